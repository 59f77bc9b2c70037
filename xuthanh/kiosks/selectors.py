"""Reads of the kiosk screen and the fleet: what a traveller at a location sees (the places near it, what is
on today and this week, how long the main sites take from here), and each device's state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from xuthanh.catalog import selectors as catalog
from xuthanh.catalog.models import Place
from xuthanh.kiosks.models import Location


def location_shown(slug: str) -> Location | None:
    return (Location.objects.filter(slug=slug).select_related("place")
            .prefetch_related("translations", Prefetch("place__translations")).first())


NEAR_KINDS = (Place.Kind.ATTRACTION, Place.Kind.FOOD, Place.Kind.ACCOMMODATION, Place.Kind.SHOPPING)


def near(location: Location, lang: str, *, kind: str = "", limit: int = 12,
         radius_km: float = 40) -> list[tuple[Any, float]]:
    """Published places (of `kind`, when given) nearest to the location's catalogue place (cards, km)."""
    return catalog.places_nearby(location.place, radius_km=radius_km, limit=limit, lang=lang, kind=kind)


@dataclass(frozen=True)
class Happening:
    start: dt.date
    end: dt.date
    event: Any


def on_now(today: dt.date, *, days: int = 7, limit: int = 30) -> tuple[list[Happening], list[Happening]]:
    """(today's events, the rest of the coming `days`), from the catalogue's upcoming events."""
    items = [Happening(s, e, ev) for s, e, ev in catalog.upcoming_events(today, limit=limit)]
    horizon = today + dt.timedelta(days=days)
    return ([h for h in items if h.start <= today <= h.end],
            [h for h in items if today < h.start <= horizon])


def onward(location: Location, lang: str, *, limit: int = 10) -> list[Any]:
    """The province's most visited attractions with a rough road time from here, nearest first."""
    here = location.point
    cards = [c for c in catalog.top_places(kind=Place.Kind.ATTRACTION, limit=limit + 1, lang=lang)
             if c.pk != location.place_id][:limit]
    return sorted((catalog.travel_estimate(card, here) for card in cards), key=lambda t: t.minutes)


# ---- the fleet ------------------------------------------------------------------------------------------------


@dataclass
class DeviceState:
    device: Any
    status: str  # uptime.status
    today: float | None  # share of today's opening hours up (None: closed all day)
    month: float | None  # of the last `days` days' opening hours
    daily: list[float | None]  # per day, oldest first


def opening(device: Any, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The device's screen hours on `day` (local time), as aware datetimes (core.hours.daily_spans)."""
    from django.utils import timezone

    from xuthanh.core.hours import daily_spans

    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())
    return [(midnight + a, midnight + b) for a, b in daily_spans(device.screen_on, device.screen_off)]


def fleet(devices: list[Any], now: dt.datetime, *, days: int = 30) -> list[DeviceState]:
    """Each device's state and uptime over its opening hours, today and per day over `days` (one query for
    all their intervals)."""
    from django.utils import timezone

    from xuthanh.core import uptime
    from xuthanh.kiosks.models import UptimeInterval

    today = timezone.localtime(now).date()
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time(0), tzinfo=timezone.get_current_timezone())
    by_device: dict[int, list[uptime.Interval]] = {}
    for device_id, start, end in UptimeInterval.objects.filter(
            device__in=devices, end__gte=since).values_list("device_id", "start", "end").order_by("start"):
        by_device.setdefault(device_id, []).append(uptime.Interval(start, end))
    states = []
    for device in devices:
        intervals = by_device.get(device.pk, [])
        daily, up_all, counted_all = [], dt.timedelta(0), dt.timedelta(0)
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            windows = opening(device, day)
            if day == today:  # today counts until now
                windows = [(a, min(b, now)) for a, b in windows if a < now]
            up, counted = uptime.up_time(intervals, since, now, windows=windows)
            daily.append(round(up / counted, 3) if counted else None)
            up_all, counted_all = up_all + up, counted_all + counted
        states.append(DeviceState(device, uptime.status(device.last_seen_at, now), daily[-1],
                                  round(up_all / counted_all, 3) if counted_all else None, daily))
    return states


def coverage(states: list[DeviceState], locations: list[Any]) -> dict[str, Any]:
    """The plan's kiosk target now: named locations with as many working kiosks as planned (working: seen
    within the last hour), and the share of them."""
    working: dict[int, int] = {}
    for state in states:
        if state.status in ("online", "late"):
            working[state.device.location_id] = working.get(state.device.location_id, 0) + 1
    named = [loc for loc in locations if loc.named_in_plan]
    complete = [loc for loc in named if working.get(loc.pk, 0) >= loc.devices_planned]
    return {"named": len(named), "complete": len(complete),
            "share": round(100 * len(complete) / len(named), 1) if named else None,
            "working": working}


def coverage_years(years: Any, now: dt.datetime, *, window: dt.timedelta = dt.timedelta(days=7)) -> dict[int, dict]:
    """The plan's kiosk target at the end of each year: named locations with as many kiosks heard from in
    the year's last week (the last 7 days, this year) as planned. A year before the first heartbeat is not
    measured (share None), never 0 %."""
    from django.db.models import Min
    from django.utils import timezone

    from xuthanh.kiosks.models import UptimeInterval

    named = list(Location.objects.filter(named_in_plan=True).values_list("pk", "devices_planned"))
    first_beat = UptimeInterval.objects.aggregate(first=Min("start"))["first"]
    zone = timezone.get_current_timezone()
    out = {}
    for year in years:
        end = min(now, dt.datetime(year + 1, 1, 1, tzinfo=zone))
        start = end - window
        measured = first_beat is not None and first_beat < end
        working: dict[int, int] = {}
        for location_id, _device in UptimeInterval.objects.filter(
                device__location__named_in_plan=True, start__lt=end, end__gte=start).values_list(
                "device__location", "device").distinct():
            working[location_id] = working.get(location_id, 0) + 1
        complete = sum(1 for pk, planned in named if working.get(pk, 0) >= planned) if measured else 0
        out[year] = {"measured": measured, "named": len(named), "complete": complete,
                     "share": round(100 * complete / len(named), 1) if measured and named else None}
    return out


@dataclass(frozen=True)
class Featured:
    group: str  # "" for every kiosk
    name: str
    summary: str
    slug: str  # the place's, for its kiosk page; "" for an event (the events section shows it)
    kind: str  # "place" | "event"


def features(today: dt.date, lang: str) -> list[Featured]:
    """What the groups of kiosks feature today (published places and events only), in `lang`."""
    from django.db.models import Q
    from django.utils import translation

    from xuthanh.core.models import Status
    from xuthanh.kiosks.models import Feature

    rows = list(Feature.objects.filter(starts_on__lte=today, ends_on__gte=today).filter(
        Q(place__status=Status.PUBLISHED) | Q(event__status=Status.PUBLISHED))
        .select_related("place", "event").prefetch_related("place__translations", "event__translations")
        .order_by("starts_on", "pk"))
    out = []
    with translation.override(lang):
        for row in rows:
            item = row.place or row.event
            item.set_current_language(lang)
            out.append(Featured(row.group, item.safe_translation_getter("name", any_language=True) or "",
                                item.safe_translation_getter("summary", any_language=True) or "",
                                row.place.slug if row.place else "", "place" if row.place else "event"))
    return out
