"""Reads of campaigns: the table of short links the redirect uses (one per content version and process: a
link's creation or change bumps it), and a campaign's figures by day, market, channel and link."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from xuthanh.campaigns import services
from xuthanh.campaigns.models import Campaign, ClickDay, ClickHour, Link
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
    spending is recorded: finished days from their roll-up (ClickDay), the days not rolled up yet from their
    hours, so a year reads a few thousand rows, not a year of hours."""
    from django.db.models import Max

    rolled_until = ClickDay.objects.filter(link__campaign=campaign).aggregate(last=Max("day"))["last"]
    since = (timezone.make_aware(dt.datetime.combine(rolled_until + dt.timedelta(days=1), dt.time()))
             if rolled_until else None)
    per_market: dict[str, dict[dt.date, int]] = defaultdict(dict)
    by_channel: dict[str, int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)

    def add(day: dt.date, link_id: int, market: str | None, channel: str, n: int) -> None:
        market = market or "-"
        per_market[market][day] = per_market[market].get(day, 0) + n
        by_channel[channel] += n
        totals[link_id] += n

    for row in (ClickDay.objects.filter(link__campaign=campaign)
                .values_list("day", "link", "link__market__code", "link__channel", "clicks")):
        add(*row)
    recent = ClickHour.objects.filter(link__campaign=campaign)
    if since is not None:
        recent = recent.filter(hour__gte=since)
    for hour, link_id, market, channel, n in recent.values_list("hour", "link", "link__market__code",
                                                                "link__channel", "clicks"):
        add(timezone.localtime(hour).date(), link_id, market, channel, n)
    days = sorted({d for series in per_market.values() for d in series})
    links = campaign.links.select_related("market").prefetch_related("market__translations")
    total = sum(totals.values())
    return Figures(
        days=[d.isoformat() for d in days],
        by_market={m: [series.get(d, 0) for d in days] for m, series in sorted(per_market.items())},
        by_channel=dict(sorted(by_channel.items(), key=lambda kv: -kv[1])),
        by_link=[(link, totals.get(link.pk, 0)) for link in links], total=total,
        cost_per_click=(campaign.spent_vnd / total) if total and campaign.spent_vnd else None,
    )
