"""Reads of campaigns: the table of short links the redirect uses (one per content version and process: a
link's creation or change bumps it), and a campaign's figures by day, market, channel and link."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.db.models.functions import TruncDate

from xuthanh.campaigns import services
from xuthanh.campaigns.models import Campaign, ClickHour, Link
from xuthanh.core.derived import per_content_version


@dataclass(frozen=True)
class Hop:
    link_id: int
    to: str
    expires_at: dt.datetime | None


@per_content_version
def links() -> dict[str, Hop]:
    """Every active link by code, with where it leads."""
    found = {}
    for link in Link.objects.filter(active=True).select_related("campaign", "market"):
        found[link.code] = Hop(link.pk, services.destination(link, link.campaign.slug,
                                                              link.market.code if link.market_id else None),
                               link.expires_at)
    return found


@dataclass(frozen=True)
class Figures:
    days: list[str]
    by_market: dict[str, list[int]]
    by_channel: dict[str, int]
    by_link: list[tuple[Link, int]]
    total: int
    cost_per_click: float | None


def figures(campaign: Campaign) -> Figures:
    """Clicks per day and market (for the chart), per channel and per link, and the cost per click where the
    spending is recorded."""
    rows = (ClickHour.objects.filter(link__campaign=campaign).annotate(day=TruncDate("hour"))
            .values("day", "link__market__code", "link__channel").annotate(n=Sum("clicks")).order_by("day"))
    days: list[dt.date] = []
    per_market: dict[str, dict[dt.date, int]] = defaultdict(dict)
    by_channel: dict[str, int] = defaultdict(int)
    for row in rows:
        day = row["day"]
        if not days or days[-1] != day:
            days.append(day)
        market = row["link__market__code"] or "-"
        per_market[market][day] = per_market[market].get(day, 0) + row["n"]
        by_channel[row["link__channel"]] += row["n"]
    totals = dict(ClickHour.objects.filter(link__campaign=campaign).values("link").annotate(n=Sum("clicks"))
                  .values_list("link", "n"))
    by_link = [(link, totals.get(link.pk, 0)) for link in campaign.links.select_related("market")]
    total = sum(totals.values())
    return Figures(
        days=[d.isoformat() for d in days],
        by_market={m: [series.get(d, 0) for d in days] for m, series in sorted(per_market.items())},
        by_channel=dict(sorted(by_channel.items(), key=lambda kv: -kv[1])),
        by_link=by_link, total=total,
        cost_per_click=(campaign.spent_vnd / total) if total and campaign.spent_vnd else None,
    )
