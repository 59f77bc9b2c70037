"""The portal's statistics page: the province's published figures with their sources (estimates marked), and
the figures of the businesses' reports under statistical confidentiality, with links to the open data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xuthanh.stats import periods, selectors


def _point(items: list) -> dict | None:
    """A year's bar: the first source's figure, marked when it is an estimate."""
    return {"value": items[0].value, "estimated": items[0].status == "estimated"} if items else None


def statistics(request: HttpRequest) -> HttpResponse:
    figures = selectors.official_figures()
    indicators = [key for key in selectors.OFFICIAL_INDICATORS if any(key in by for by in figures.values())]
    table = [
        {"year": year, "cells": {key: by.get(key, []) for key in indicators}} for year, by in sorted(figures.items())
    ]
    chart = {
        "years": [row["year"] for row in table],
        "series": {
            key: [_point(row["cells"][key]) for row in table]
            for key in ("visitors_total", "visitors_international", "revenue_bn_vnd")
            if key in indicators
        },
        "labels": {key: str(selectors.OFFICIAL_INDICATORS[key]) for key in indicators},
    }
    year = periods.last_closed(periods.MONTH, timezone.localdate()).year  # the year of the last month over
    reported = {
        "year": year,
        "by_month": selectors.monthly_series("accommodation:guests_total", year, public=True),
        "by_market": selectors.rollup("accommodation:guests_by_market", "market", selectors.months_of(year),
                                      public=True),
        "by_commune": selectors.rollup("accommodation:guests_total", "commune", selectors.months_of(year),
                                       public=True),
    }
    return render(request, "stats/statistics.html", {
        "table": table, "indicators": [(k, selectors.OFFICIAL_INDICATORS[k]) for k in indicators], "chart": chart,
        "reported": reported, "min_contributors": selectors.MIN_CONTRIBUTORS,
    })
