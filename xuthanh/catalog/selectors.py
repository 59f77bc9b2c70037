"""Reads of the catalogue: published content for the public, translation coverage for the back office."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from xuthanh.areas.models import Commune
from xuthanh.catalog.models import Event, Place, Specialty, Tag, TicketPrice, Tour
from xuthanh.core.geo import haversine_km
from xuthanh.core.models import Status, TranslationStatus
from xuthanh.core.text import fold
from xuthanh.orgs.models import Organisation

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


PRICE_FREE = "free"
PRICE_PAID = "paid"


def place_browse(
    *,
    query: str = "",
    kind: str = "",
    tag: str = "",
    commune_code: int | None = None,
    former_district: str = "",
    price: str = "",
    accessible: bool = False,
    open_at: dt.datetime | None = None,
    ranked_ids: list[int] | None = None,
) -> QuerySet:
    """Published places for the portal's filters, on top of `place_search`: `price` "free" (no ticket above
    0 ₫, including places without ticket information) or "paid"; `accessible` = has accessibility notes in
    some language; `open_at` = open at that moment (evaluated in Python over the already narrowed set);
    `ranked_ids` = only these places (the search index's hits for a text query; `in_rank_order` gives the
    remaining ids in the index's order)."""
    qs = place_search(
        query=query, kind=kind, tag=tag, commune_code=commune_code, former_district=former_district
    )
    if ranked_ids is not None:
        qs = qs.filter(pk__in=ranked_ids) if ranked_ids else qs.none()
    paid = Exists(TicketPrice.objects.filter(place=OuterRef("pk"), price_vnd__gt=0))
    if price == PRICE_FREE:
        qs = qs.filter(~paid)
    elif price == PRICE_PAID:
        qs = qs.filter(paid)
    if accessible:
        qs = qs.filter(pk__in=Place.objects.filter(translations__accessibility__gt="").values("pk"))
    if open_at is not None:
        candidates = qs.prefetch_related("opening_rules", "closure_dates")
        qs = qs.filter(pk__in=[place.pk for place in candidates if place.is_open_at(open_at)])
    return qs


def in_rank_order(qs: QuerySet, ranked_ids: list[int]) -> list[int]:
    """The ids of `ranked_ids` that `qs` holds, in the order of `ranked_ids`: one query over bare ids (no
    ORDER BY CASE over thousands of ids), so a caller pages the ids and loads only one page of objects."""
    if not ranked_ids:
        return []
    present = set(qs.filter(pk__in=ranked_ids).order_by().values_list("pk", flat=True))
    return [pk for pk in ranked_ids if pk in present]


def place_filter_choices() -> dict[str, list]:
    """What the portal's filter form offers: interests, communes and former districts that have published
    places (so no choice leads to an empty page by construction). One EXISTS probe per interest and commune
    and a DISTINCT in SQL, so the cost follows the number of choices, not of places."""
    places = published(Place)
    tagged = Place.tags.through.objects.filter(tag=OuterRef("pk"), place__status=Status.PUBLISHED)
    return {
        "tags": list(Tag.objects.filter(Exists(tagged)).prefetch_related("translations")),
        "communes": sorted(
            Commune.objects.filter(Exists(places.filter(commune=OuterRef("pk")))), key=lambda c: fold(c.name)
        ),
        "former_districts": sorted(
            places.exclude(former_district="")
            .order_by()
            .values_list("former_district", flat=True)
            .distinct(),
            key=fold,
        ),
    }


def places_nearby(place: Place, *, radius_km: float = 10, limit: int = 8) -> list[tuple[Place, float]]:
    """Other published places within `radius_km` of `place`, nearest first. The database narrows by a
    bounding box (the lat/lon index), first a quarter and then half of the radius, widening only while fewer
    than `limit` places are found: everything within a smaller radius is nearer than anything outside it, so
    the answer is the same, and a dense area (100,000 places) reads a few hundred coordinates, not thousands.
    Only the `limit` nearest places are loaded with their translations."""
    nearest: list[tuple[int, float]] = []
    for radius in (radius_km / 4, radius_km / 2, radius_km):
        dlat = radius / 110.57
        dlon = radius / max(0.01, 111.32 * math.cos(math.radians(place.lat)))
        # Only the coordinates in the WHERE clause, so that SQLite (no statistics) takes the lat/lon index
        # rather than scanning every published place; status is checked on the few rows found.
        box = Place.objects.filter(
            lat__range=(place.lat - dlat, place.lat + dlat), lon__range=(place.lon - dlon, place.lon + dlon)
        ).order_by()
        found = [
            (pk, haversine_km(place.lat, place.lon, lat, lon))
            for pk, lat, lon, status in box.values_list("pk", "lat", "lon", "status")
            if status == Status.PUBLISHED and pk != place.pk
        ]
        nearest = sorted((item for item in found if item[1] <= radius), key=lambda item: (item[1], item[0]))
        if len(nearest) >= limit:
            break
    nearest = nearest[:limit]
    loaded = published(Place).filter(pk__in=[pk for pk, _d in nearest]).prefetch_related("translations").in_bulk()
    return [(loaded[pk], distance) for pk, distance in nearest if pk in loaded]


# Travel estimates: straight-line distance times a typical road circuity, at an average road speed.
TRAVEL_HUBS = ("cang-hang-khong-tho-xuan", "ga-thanh-hoa")
ROAD_CIRCUITY = 1.3
ROAD_SPEED_KMH = 40


@dataclass(frozen=True)
class TravelEstimate:
    hub: Place
    straight_km: float
    road_km: float
    minutes: int


def travel_from_hubs(place: Place) -> list[TravelEstimate]:
    """Rough travel from the airport and the main railway station to `place` (an estimate, not a route):
    great-circle distance × ROAD_CIRCUITY at ROAD_SPEED_KMH, rounded up to 5 minutes. The hub itself and
    unpublished hubs are left out."""
    hubs = {p.slug: p for p in published(Place).filter(slug__in=TRAVEL_HUBS).prefetch_related("translations")}
    estimates = []
    for slug in TRAVEL_HUBS:
        hub = hubs.get(slug)
        if hub is None or hub.pk == place.pk:
            continue
        straight = haversine_km(hub.lat, hub.lon, place.lat, place.lon)
        road = straight * ROAD_CIRCUITY
        minutes = max(5, math.ceil(road / ROAD_SPEED_KMH * 60 / 5) * 5)
        estimates.append(TravelEstimate(hub=hub, straight_km=straight, road_km=road, minutes=minutes))
    return estimates


def map_points(*, kind: str = "") -> list[dict]:
    """Compact rows for the public map: every published place (optionally of one kind)."""
    qs = published(Place).prefetch_related("translations").order_by("-popularity", "slug")
    if kind:
        qs = qs.filter(kind=kind)
    return [
        {
            "slug": p.slug,
            "name": p.safe_translation_getter("name", any_language=True) or p.slug,
            "kind": p.kind,
            "lat": round(p.lat, 5),
            "lon": round(p.lon, 5),
            "url": p.get_absolute_url(),
        }
        for p in qs
    ]


def _events(qs: QuerySet | None) -> QuerySet:
    return (
        qs
        if qs is not None
        else published(Event).select_related("commune", "place").prefetch_related("translations")
    )


def event_occurrences(
    first: dt.date, last: dt.date, *, qs: QuerySet | None = None
) -> list[tuple[dt.date, dt.date, Event]]:
    """(start, end, event) of published events (or of `qs`) overlapping `first`..`last`, by start then
    popularity."""
    items = [
        (start, end, event)
        for event in _events(qs)
        for start, end in event.occurrences_overlapping(first, last)
    ]
    items.sort(key=lambda item: (item[0], -item[2].popularity, item[2].slug))
    return items


def public_bodies() -> QuerySet:
    """The public bodies behind the catalogue (department, promotion centre, site boards), for /about/."""
    kinds = [Organisation.Kind.DEPARTMENT, Organisation.Kind.PROMOTION_CENTRE, Organisation.Kind.SITE_BOARD]
    return Organisation.objects.filter(kind__in=kinds, is_sample=False).order_by("kind", "name")


def upcoming_events(today: dt.date, limit: int = 50, *, qs: QuerySet | None = None) -> list[tuple]:
    """(start, end, event) of published events (or of `qs`) happening now or next, soonest first."""
    items = []
    for event in _events(qs):
        span = event.next_occurrence(today)
        if span:
            items.append((span[0], span[1], event))
    items.sort(key=lambda item: (item[0], -item[2].popularity))
    return items[:limit]
