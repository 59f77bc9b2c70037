"""Reads of campaigns: the table of short links the redirect uses (one per content version and process: a
link's creation or change bumps it); a campaign's figures by day, market, channel and link, with what the visits
did next; campaigns compared; and the figures per year that the plan monitoring reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from xuthanh.campaigns import services
from xuthanh.campaigns.models import Campaign, ClickDay, ClickHour, Link, Outcome
from xuthanh.core.derived import per_content_version


@dataclass(frozen=True)
class Hop:
    link_id: int
    code: str
    to: str
    expires_at: dt.datetime | None


@per_content_version
def links() -> dict[str, Hop]:
    """Every active link by code, with where it leads."""
    found = {}
    for link in Link.objects.filter(active=True).select_related("campaign", "market"):
        found[link.code] = Hop(link.pk, link.code, services.destination(link, link.campaign.slug,
                                                              link.market.code if link.market_id else None),
                               link.expires_at)
    return found


@dataclass(frozen=True)
class Figures:
    days: list[str]
    by_market: dict[str, list[int]]  # clicks per day, by market code ("-": links without a market)
    by_channel: dict[str, int]  # clicks
    by_link: list[tuple[Link, dict[str, int]]]  # each link's counts by outcome
    outcomes_by_market: dict[str, dict[str, int]]  # market code: {outcome: count}
    outcomes_by_day: dict[str, list[int]]  # what followed the clicks per day (days as `days`), by outcome
    totals: dict[str, int]  # outcome: count
    cost_per_click: float | None
    cost_per_trip: float | None

    @property
    def total(self) -> int:
        return self.totals.get(Outcome.CLICK, 0)


def _rolled_until() -> dt.datetime | None:
    """The first moment not rolled up into ClickDay yet (every link's days are rolled up together)."""
    from django.db.models import Max

    last = ClickDay.objects.aggregate(last=Max("day"))["last"]
    return timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time())) if last else None


def _counts(since: dt.datetime | None, fields: tuple[str, ...], **where: Any) -> Iterator[tuple]:
    """(day, *fields, count) of every count matching `where`: finished days from their roll-up (ClickDay), the
    rest from their hours, so a year reads a few thousand rows, not a year of hours."""
    days = ClickDay.objects.filter(**where)
    recent = ClickHour.objects.filter(**where)
    if since is not None:  # the two reads meet at `since`: a day rolled up between them is not read twice
        days = days.filter(day__lt=timezone.localtime(since).date())
        recent = recent.filter(hour__gte=since)
    yield from days.values_list("day", *fields, "count")
    for hour, *rest in recent.values_list("hour", *fields, "count"):
        yield (timezone.localtime(hour).date(), *rest)


def figures(campaign: Campaign) -> Figures:
    """A campaign's clicks per day and market (for the chart), per channel, and every outcome per link and
    market, with the cost per click and per trip planned where the spending is recorded. The shared counter's
    latest counts are folded in first, so the figures are those of this minute."""
    services.fold_counts()
    per_market: dict[str, dict[dt.date, int]] = defaultdict(dict)
    by_channel: dict[str, int] = defaultdict(int)
    per_link: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    per_kind: dict[str, dict[dt.date, int]] = defaultdict(dict)
    fields = ("link", "link__market__code", "link__channel", "kind")
    for day, link_id, market, channel, kind, n in _counts(_rolled_until(), fields, link__campaign=campaign):
        market = market or "-"
        per_link[link_id][kind] += n
        outcomes[market][kind] += n
        totals[kind] += n
        if kind == Outcome.CLICK:
            per_market[market][day] = per_market[market].get(day, 0) + n
            by_channel[channel] += n
        else:
            per_kind[kind][day] = per_kind[kind].get(day, 0) + n
    days = sorted({d for series in (*per_market.values(), *per_kind.values()) for d in series})
    links = campaign.links.select_related("market").prefetch_related("market__translations")
    clicks, trips = totals.get(Outcome.CLICK, 0), totals.get(Outcome.TRIP, 0)
    spent = campaign.spent_vnd or None
    return Figures(
        days=[d.isoformat() for d in days],
        by_market={m: [series.get(d, 0) for d in days] for m, series in sorted(per_market.items())},
        by_channel=dict(sorted(by_channel.items(), key=lambda kv: -kv[1])),
        by_link=[(link, dict(per_link.get(link.pk, {}))) for link in links],
        outcomes_by_market={m: dict(v) for m, v in sorted(outcomes.items())},
        outcomes_by_day={kind: [per_kind[kind].get(d, 0) for d in days] for kind in Outcome.values
                         if kind in per_kind},
        totals=dict(totals),
        cost_per_click=spent / clicks if spent and clicks else None,
        cost_per_trip=spent / trips if spent and trips else None,
    )


@dataclass(frozen=True)
class Compared:
    campaign: Campaign
    totals: dict[str, int]
    by_market: dict[str, dict[str, int]]
    cost_per_click: float | None
    cost_per_trip: float | None


def compare(campaigns: list[Campaign]) -> list[Compared]:
    """Campaigns side by side: every outcome in total and per market, the cost per click and per trip."""
    services.fold_counts()
    ids = [c.pk for c in campaigns]
    totals: dict[int, dict[str, int]] = {pk: defaultdict(int) for pk in ids}
    markets: dict[int, dict[str, dict[str, int]]] = {pk: defaultdict(lambda: defaultdict(int)) for pk in ids}
    for _day, campaign_id, market, kind, n in _counts(_rolled_until(), ("link__campaign", "link__market__code",
                                                                         "kind"), link__campaign__in=ids):
        totals[campaign_id][kind] += n
        markets[campaign_id][market or "-"][kind] += n
    found = []
    for campaign in campaigns:
        counts = dict(totals[campaign.pk])
        clicks, trips, spent = counts.get(Outcome.CLICK, 0), counts.get(Outcome.TRIP, 0), campaign.spent_vnd
        found.append(Compared(campaign, counts, {m: dict(v) for m, v in sorted(markets[campaign.pk].items())},
                              spent / clicks if spent and clicks else None, spent / trips if spent and trips else None))
    return found


def by_year() -> dict[int, dict[str, int]]:
    """The plan monitoring's figures of promotion (task I.3), per calendar year: campaigns run (any day of the
    year within their period, not drafts), distinct markets reached, money spent (recorded on the campaigns
    that started that year) and every outcome counted, as folded by the minute's job (read by public pages: no
    write on their path)."""
    years: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    markets: dict[int, set[int]] = defaultdict(set)
    running = Campaign.objects.exclude(status=Campaign.Status.DRAFT).prefetch_related("markets")
    for campaign in running:
        for year in range(campaign.starts.year, campaign.ends.year + 1):
            years[year]["campaigns"] += 1
            markets[year].update(m.pk for m in campaign.markets.all())
        years[campaign.starts.year]["spent_vnd"] += campaign.spent_vnd
    for day, kind, n in _counts(_rolled_until(), ("kind",)):
        years[day.year][kind] += n
    for year, found in markets.items():
        years[year]["markets"] = len(found)
    return {year: dict(v) for year, v in sorted(years.items())}


@dataclass(frozen=True)
class Month:
    first: dt.date
    weeks: list[list[tuple[dt.date | None, list[Any]]]]  # Monday first; None: a day of another month


def calendar(campaign: Campaign, market: str | None = None) -> tuple[list[Month], list[Any]]:
    """The campaign's items in month grids (local dates of their publication time), for one market (its items
    and those for every market) or all: the months from the campaign's start to its end, and any month holding
    an item; and the items not scheduled yet."""
    import calendar as cal

    from django.db.models import Q

    items = campaign.items.select_related("market").order_by("scheduled_at", "id")
    if market:
        items = items.filter(Q(market__code=market) | Q(market=None))
    by_day: dict[dt.date, list[Any]] = defaultdict(list)
    unscheduled = []
    for item in items:
        if item.scheduled_at is None:
            unscheduled.append(item)
        else:
            by_day[timezone.localtime(item.scheduled_at).date()].append(item)
    firsts = {d.replace(day=1) for d in by_day}
    month = campaign.starts.replace(day=1)
    while month <= campaign.ends and len(firsts) < 36:  # a campaign of years shows three
        firsts.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    grid = cal.Calendar(firstweekday=0)
    return [Month(first, [[(day if day.month == first.month else None, by_day.get(day, []) if day.month ==
                            first.month else []) for day in week] for week in grid.monthdatescalendar(
                                first.year, first.month)]) for first in sorted(firsts)], unscheduled
