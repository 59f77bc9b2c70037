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


def near(location: Location, lang: str, *, limit: int = 12, radius_km: float = 40) -> list[tuple[Any, float]]:
    """Published places nearest to the location's catalogue place, nearest first (cards, km)."""
    return catalog.places_nearby(location.place, radius_km=radius_km, limit=limit, lang=lang)


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
