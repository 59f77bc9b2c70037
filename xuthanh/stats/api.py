"""/api/v1/statistics: open data of aggregated tourism figures, as JSON or CSV. The figures from businesses'
reports obey statistical confidentiality (stats.selectors.protect: no cell of fewer than three
establishments); the official figures come with their source."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.core.cells import csv_bytes, download
from xuthanh.stats import selectors
from xuthanh.stats.schemas import CellOut, FiguresOut, IndicatorOut, OfficialFigureOut

router = Router(tags=["statistics"])


def mount(api: NinjaAPI) -> None:
    """Attach the statistics endpoints to the open API (`xuthanh/urls.py` does, once)."""
    api.add_router("/statistics", router)


CSV_TOO = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}


def _refuse(field: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ["query", field], "msg": message}])


class FormatParam(Schema):
    format: Literal["json", "csv"] = Field("json", description="json, or csv for a spreadsheet")


@router.get("/official", response={200: list[OfficialFigureOut], 422: api_schemas.ErrorOut},
            operation_id="statistics_official", openapi_extra=CSV_TOO,
            summary="The province's published tourism figures, each with its source")
def official(request: HttpRequest, params: Query[FormatParam]) -> object:
    figures = [
        OfficialFigureOut(
            year=f.year, indicator=f.indicator, label=str(selectors.OFFICIAL_INDICATORS.get(f.indicator, f.indicator)),
            value=f.value, status=f.status, publisher=f.publisher, source=f.source, evidence=f.evidence,
            note=f.note,
        )
        for by_indicator in selectors.official_figures().values()
        for items in by_indicator.values()
        for f in items
    ]
    if params.format == "csv":
        return download(csv_bytes(
            [["year", "indicator", "value", "status", "publisher", "source", "evidence", "note"]]
            + [[f.year, f.indicator, f.value, f.status, f.publisher, f.source, f.evidence, f.note] for f in figures]
        ), "thanhhoa-official-figures.csv")
    return figures


@router.get("/indicators", response=list[IndicatorOut], operation_id="statistics_indicators",
            summary="The indicators of the businesses' reports that /figures can add up")
def indicators(request: HttpRequest) -> list[IndicatorOut]:
    return [IndicatorOut(code=code, label=label) for code, label in selectors.indicator_choices()]


class FigureParams(FormatParam):
    indicator: str = Field("accommodation:guests_total", max_length=80,
                           description="An indicator of /statistics/indicators, e.g. accommodation:guests_total")
    by: Literal["total", "commune", "type", "class", "market"] = Field(
        "total", description="How to break it down: commune, accommodation type, type and stars, nationality")
    year: int = Field(..., ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12)


@router.get("/figures", response={200: FiguresOut, 422: api_schemas.ErrorOut}, operation_id="statistics_figures",
            openapi_extra=CSV_TOO,
            summary="An indicator of the businesses' reports, added up over a month, quarter or year")
def figures(request: HttpRequest, params: Query[FigureParams]) -> object:
    known = dict(selectors.indicator_choices())
    if params.indicator not in known:
        raise _refuse("indicator", f"unknown; one of {', '.join(sorted(known))}")
    if params.quarter and params.month:
        raise _refuse("month", "give a quarter or a month, not both")
    if params.year > timezone.localdate().year:
        raise _refuse("year", "in the future")
    months = selectors.months_of(params.year, params.quarter, params.month)
    rollup = selectors.rollup(params.indicator, params.by, months, public=True)
    period = str(params.year) + (f"-Q{params.quarter}" if params.quarter else "") + (
        f"-{params.month:02d}" if params.month else "")

    def cell(c: selectors.Cell) -> CellOut:
        return CellOut(key=c.key, label=c.label, value=c.value, previous=c.previous, change_pct=c.change_pct,
                       suppressed=c.suppressed)

    if params.format == "csv":
        rows: list[list[object]] = [["key", "label", "value", "previous_year", "change_pct", "suppressed"]]
        for c in [*rollup.cells, *([rollup.total] if rollup.total else [])]:
            rows.append([c.key, c.label, c.value, c.previous, c.change_pct, "yes" if c.suppressed else ""])
        return download(csv_bytes(rows), f"thanhhoa-{params.indicator.replace(':', '-')}-{params.by}-{period}.csv")
    return FiguresOut(
        indicator=params.indicator, by=params.by, period=period, months=[m.isoformat()[:7] for m in months],
        min_contributors=selectors.MIN_CONTRIBUTORS, cells=[cell(c) for c in rollup.cells],
        total=cell(rollup.total) if rollup.total else None,
        note=("Sums of the statistical reports submitted by registered businesses; cells with fewer than "
              f"{selectors.MIN_CONTRIBUTORS} establishments are not published (suppressed), and when one cell "
              "is suppressed the next smallest is too. Not the province's official totals: see /official."),
    )
