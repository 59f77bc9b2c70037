"""Reads of the catalogue: published content for the public, translation coverage for the back office."""

from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from xuthanh.catalog.models import Event, Place, Specialty, Tour
from xuthanh.core.geo import haversine_km
from xuthanh.core.models import Status, TranslationStatus
from xuthanh.core.text import fold

CONTENT_MODELS = {"place": Place, "event": Event, "specialty": Specialty, "tour": Tour}


def published(model: type) -> QuerySet:
    return model.objects.filter(status=Status.PUBLISHED)


def translation_coverage(model: type, *, only_published: bool = False) -> dict[str, dict[str, int]]:
    """Per language: how many records have a reviewed translation, a machine draft, or none."""
    qs = model.objects.all()
    if only_published:
        qs = qs.filter(status=Status.PUBLISHED)
    total = qs.count()
    coverage = {}
    for code, _name in settings.LANGUAGES:
        counts = qs.aggregate(
            reviewed=Count(
                "translations",
                filter=Q(
                    translations__language_code=code,
                    translations__translation_status=TranslationStatus.REVIEWED,
                )
                & ~Q(translations__name=""),
            ),
            machine=Count(
                "translations",
                filter=Q(
                    translations__language_code=code,
                    translations__translation_status=TranslationStatus.MACHINE,
                )
                & ~Q(translations__name=""),
            ),
        )
        coverage[code] = {
            "total": total,
            "reviewed": counts["reviewed"],
            "machine": counts["machine"],
            "missing": total - counts["reviewed"] - counts["machine"],
        }
    return coverage


def place_search(
    *,
    query: str = "",
    kind: str = "",
    category: str = "",
    tag: str = "",
    commune_code: int | None = None,
    former_district: str = "",
    include_drafts: bool = False,
) -> QuerySet:
    """Places matching an unaccented query (every word must match) and the given filters; published only
    unless `include_drafts`. The former district matches with or without accents ("vinh loc")."""
    qs = Place.objects.all() if include_drafts else published(Place)
    for word in fold(query).split():
        qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if commune_code:
        qs = qs.filter(commune__code=commune_code)
    if former_district:
        qs = qs.filter(commune__search_text__contains=fold(former_district))
    return qs.select_related("commune").prefetch_related("translations")


def places_near(qs: QuerySet, *, lat: float, lon: float, radius_km: float) -> list[tuple[Place, float]]:
    """(place, distance in km) within the radius, nearest first; a bounding box narrows the query first."""
    dlat = radius_km / 110.57
    dlon = radius_km / max(0.01, 111.32 * math.cos(math.radians(lat)))
    box = qs.filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
    found = [(place, haversine_km(lat, lon, place.lat, place.lon)) for place in box]
    return sorted((item for item in found if item[1] <= radius_km), key=lambda item: item[1])


def upcoming_events(today, limit: int = 50) -> list[tuple]:
    """(start, end, event) of published events happening now or next, soonest first."""
    items = []
    for event in published(Event).select_related("commune", "place").prefetch_related("translations"):
        span = event.next_occurrence(today)
        if span:
            items.append((span[0], span[1], event))
    items.sort(key=lambda item: (item[0], -item[2].popularity))
    return items[:limit]
