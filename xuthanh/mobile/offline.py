"""The mobile app's offline data: the compact catalogue of one language (full, or only what changed since a
cursor) and the contents of an area to download (places, reduced photos, map tiles of its bounding box).

Reads only, over `catalog.selectors`; the endpoints are in `mobile.api`. Items are keyed by their short id
(slug). A "changed since" answer carries the changed items and the ids of everything still published, so the
app also removes what was deleted or unpublished without downloading everything again.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet

from xuthanh.api.services import validators
from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place, Specialty, Tag, TicketPrice
from xuthanh.core import hours as hours_lib
from xuthanh.core.languages import translated

SCHEMA = 1  # bump when the shape below changes: the app then rebuilds its store
WINDOW_DAYS = 366  # event occurrences sent for the next 12 months

# Map tiles of a downloaded area: a few zoom levels of its bounding box, never more than MAX_TILES. Tiles come
# from MAP_TILE_URL: the public OpenStreetMap server's usage policy forbids bulk downloads, so a deployment that
# offers area downloads points MAP_TILE_URL at a tile service that allows offline use (or its own).
COMMUNE_ZOOMS = (11, 12, 13, 14)
SITE_ZOOMS = (12, 13, 14, 15)
SITE_RADIUS_KM = 1.5
AREA_PADDING_KM = 1.0
MAX_TILES = 400
PUBLIC_OSM_TILES = "tile.openstreetmap.org"


def offline_tiles_allowed() -> bool:
    """MAP_TILES_OFFLINE: "1"/"0", or "auto" (the default): yes unless the tiles come from the public
    OpenStreetMap server, whose usage policy forbids downloading them in bulk."""
    choice = str(settings.MAP_TILES_OFFLINE).strip().lower()
    if choice in ("1", "true", "yes", "on"):
        return True
    if choice in ("0", "false", "no", "off"):
        return False
    return PUBLIC_OSM_TILES not in settings.MAP_TILE_URL

TILE_BYTES_ESTIMATE = 25_000  # a typical raster map tile at these zoom levels (PNG, 256 px)
PHOTO_BYTES_ESTIMATE = 60_000  # when the reduced copy's size cannot be read from storage


def _iso(day: dt.date) -> str:
    return day.isoformat()


# ---- catalogue ----------------------------------------------------------------------------------------


def hours_out(place: Place, window: tuple[dt.date, dt.date]) -> dict[str, Any]:
    """Opening hours in a form the app evaluates as `core.hours` does: rules in override order (later wins),
    each [weekdays "0123456", season [[m, d], [m, d]] or null, intervals [[start, end] minutes]]."""
    hours = place.hours()
    first, last = window
    return {
        "always": hours.always_open,
        "rules": [
            [
                "".join(str(d) for d in sorted(rule.weekdays)),
                [list(rule.season[0]), list(rule.season[1])] if rule.season else None,
                [list(interval) for interval in rule.intervals],
            ]
            for rule in hours_lib.normalise(hours.rules)
        ],
        "closed": sorted(_iso(d) for d in hours.closed_dates if first - dt.timedelta(days=1) <= d <= last),
        "text": hours_lib.format_hours(hours) if hours.rules or hours.always_open else "",
    }


def _adult_ticket(place: Place) -> int | None:
    prices = [t.price_vnd for t in place.tickets.all() if t.audience == TicketPrice.Audience.ADULT]
    return min(prices) if prices else None


def _small_photo(item: Any) -> str | None:
    for photo in item.photos.all():
        if photo.small:
            return photo.small.url
    return None


def place_row(place: Place, lang: str, window: tuple[dt.date, dt.date]) -> dict[str, Any]:
    commune = place.commune
    return {
        "slug": place.slug,
        "name": translated(place, "name", lang) or place.slug,
        "kind": place.kind,
        "category": place.category,
        "tags": [t.slug for t in place.tags.all()],
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "approx": place.approximate_radius_m,  # metres of the area to show instead of a pin; null = precise
        "commune": commune.code,
        "commune_name": commune.name,
        "district": place.former_district,
        "summary": translated(place, "summary", lang),
        "hours": hours_out(place, window),
        "adult_vnd": _adult_ticket(place),
        "photo": _small_photo(place),
        "popularity": place.popularity,
        "visit_minutes": place.visit_minutes,
        "text": place.search_text,
    }


def event_row(event: Event, lang: str, window: tuple[dt.date, dt.date]) -> dict[str, Any]:
    location = event.location
    return {
        "slug": event.slug,
        "name": translated(event, "name", lang) or event.slug,
        "kind": event.kind,
        "summary": translated(event, "summary", lang),
        "place": event.place.slug if event.place_id else None,
        "commune": event.commune.code,
        "commune_name": event.commune.name,
        "lat": round(location[0], 5) if location else None,
        "lon": round(location[1], 5) if location else None,
        "lunar": [event.day, event.month] if event.recurrence == Event.Recurrence.LUNAR else None,
        "dates": [[_iso(s), _iso(e)] for s, e in event.occurrences_overlapping(*window)],
        "edition_end": _iso(event.end_date or event.start_date)
        if event.recurrence == Event.Recurrence.ONCE and event.start_date
        else None,
        "tags": [t.slug for t in event.tags.all()],
        "photo": _small_photo(event),
        "popularity": event.popularity,
        "text": event.search_text,
    }


def specialty_row(item: Specialty, lang: str) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "name": translated(item, "name", lang) or item.slug,
        "kind": item.kind,
        "summary": translated(item, "summary", lang),
        "origin": translated(item, "origin", lang),
        "commune": item.commune.code if item.commune_id else None,
        "places": [p.slug for p in item.places.all()],
        "photo": _small_photo(item),
        "popularity": item.popularity,
        "text": item.search_text,
    }


def _querysets() -> dict[str, QuerySet]:
    return {
        "places": selectors.published(Place)
        .select_related("commune")
        .prefetch_related("translations", "tags", "opening_rules", "closure_dates", "tickets", "photos"),
        "events": selectors.published(Event)
        .select_related("commune", "place")
        .prefetch_related("translations", "tags", "photos"),
        "specialties": selectors.published(Specialty)
        .select_related("commune")
        .prefetch_related("translations", "places", "photos"),
    }


@dataclass(frozen=True)
class Catalogue:
    etag: str
    last_modified: str | None
    lang: str
    since: dt.datetime | None
    window_start: dt.date
    querysets: dict[str, QuerySet]
    cursor: dt.datetime | None


def window_for(today: dt.date) -> tuple[dt.date, dt.date]:
    """Event dates are sent from the first day of the current month for 12 months; the window moves once a
    month, and then every event is sent again (its dates changed even if the event did not)."""
    start = today.replace(day=1)
    return start, start + dt.timedelta(days=WINDOW_DAYS + 31)


def catalogue_prepare(*, lang: str, since: dt.datetime | None, today: dt.date) -> Catalogue:
    """Validators (ETag, Last-Modified) and cursor of the catalogue, before anything is serialised."""
    querysets = _querysets()
    window_start = window_for(today)[0]
    # The ETag names the state of the catalogue, not the cursor: an app that holds the answer with this ETag
    # is up to date whatever cursor it sends, so an unchanged catalogue always costs only a 304.
    parts: list[Any] = [SCHEMA, lang, window_start]
    latest: list[dt.datetime] = []
    for name, qs in querysets.items():
        stats = qs.order_by().aggregate(last=Max("updated_at"))
        parts += [name, qs.count(), stats["last"]]
        if stats["last"]:
            latest.append(stats["last"])
    cursor = max(latest) if latest else None
    etag, modified = validators(parts, cursor)
    return Catalogue(etag, modified, lang, since, window_start, querysets, cursor)


def catalogue_build(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue answer: changed items (all when there is no cursor) and every published id."""
    window = window_for(catalogue.window_start)
    since = catalogue.since
    # Event dates depend on the month: a cursor from an earlier month gets every event again.
    events_since = since if since and since.date() >= catalogue.window_start else None
    rows = {
        "places": (catalogue.querysets["places"], since, lambda p: place_row(p, catalogue.lang, window)),
        "events": (catalogue.querysets["events"], events_since, lambda e: event_row(e, catalogue.lang, window)),
        "specialties": (catalogue.querysets["specialties"], since, lambda s: specialty_row(s, catalogue.lang)),
    }
    answer: dict[str, Any] = {
        "version": SCHEMA,
        "lang": catalogue.lang,
        "full": since is None,
        "cursor": catalogue.cursor.isoformat() if catalogue.cursor else None,
        "window": [window[0].isoformat(), window[1].isoformat()],
        "tags": {t.slug: translated(t, "name", catalogue.lang) for t in Tag.objects.prefetch_related("translations")},
        "ids": {},
    }
    for name, (qs, changed_since, row) in rows.items():
        answer["ids"][name] = sorted(qs.values_list("slug", flat=True))
        changed = qs.filter(updated_at__gte=changed_since) if changed_since else qs
        answer[name] = [row(item) for item in changed.order_by("slug")]
    return answer


# ---- areas to download ------------------------------------------------------------------------------------


class AreaNotFound(LookupError):
    """No published place in that commune, or no such published place."""


def _tile_xy(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(max(-85.05112878, min(85.05112878, lat)))
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tiles_for(bbox: tuple[float, float, float, float], zooms: tuple[int, ...]) -> list[tuple[int, int, int]]:
    """(z, x, y) of the map tiles covering bbox (south, west, north, east) at `zooms`; the highest zoom
    levels are dropped until there are at most MAX_TILES."""
    south, west, north, east = bbox
    levels = list(zooms)
    while levels:
        tiles = []
        for zoom in levels:
            x1, y1 = _tile_xy(north, west, zoom)
            x2, y2 = _tile_xy(south, east, zoom)
            tiles += [(zoom, x, y) for x in range(x1, x2 + 1) for y in range(y1, y2 + 1)]
        if len(tiles) <= MAX_TILES:
            return tiles
        levels.pop()
    return []


def _pad(south: float, west: float, north: float, east: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / 110.57
    dlon = km / max(0.01, 111.32 * math.cos(math.radians((south + north) / 2)))
    return (round(south - dlat, 5), round(west - dlon, 5), round(north + dlat, 5), round(east + dlon, 5))


def _photo_bytes(photo: Any) -> int:
    try:
        return int(photo.small.size)
    except (OSError, ValueError):  # the file is missing in storage: count a typical size
        return PHOTO_BYTES_ESTIMATE


def area_contents(*, lang: str, commune: int | None = None, place: str | None = None) -> dict[str, Any]:
    """What downloading a commune (all its published places) or a site (one place and its surroundings)
    takes: its places, their reduced photos with sizes, and the map tiles of its bounding box."""
    places = selectors.published(Place).select_related("commune").prefetch_related("translations", "photos")
    if commune is not None:
        chosen = list(places.filter(commune__code=commune))
        if not chosen:
            raise AreaNotFound(f"No published place in the commune with code {commune}.")
        name, key, zooms = chosen[0].commune.name, str(commune), COMMUNE_ZOOMS
        bbox = _pad(
            min(p.lat for p in chosen), min(p.lon for p in chosen),
            max(p.lat for p in chosen), max(p.lon for p in chosen), AREA_PADDING_KM,
        )
        kind = "commune"
    else:
        centre = places.filter(slug=place).first()
        if centre is None:
            raise AreaNotFound(f"No published place “{place}”.")
        bbox = _pad(centre.lat, centre.lon, centre.lat, centre.lon, SITE_RADIUS_KM)
        south, west, north, east = bbox
        chosen = list(places.filter(lat__range=(south, north), lon__range=(west, east)))
        chosen.sort(key=lambda p: p.slug != centre.slug)
        name, key, zooms, kind = translated(centre, "name", lang) or centre.slug, centre.slug, SITE_ZOOMS, "site"
    photos = [
        {"url": photo.small.url, "bytes": _photo_bytes(photo)}
        for p in chosen
        for photo in p.photos.all()
        if photo.small
    ]
    tiles = tiles_for(bbox, zooms) if offline_tiles_allowed() else []
    return {
        "kind": kind,
        "key": key,
        "name": name,
        "bbox": list(bbox),
        "places": [p.slug for p in chosen],
        "photos": photos,
        "photo_bytes": sum(p["bytes"] for p in photos),
        "tile_url": settings.MAP_TILE_URL,
        "tiles": [list(t) for t in tiles],
        "tile_bytes_estimate": len(tiles) * TILE_BYTES_ESTIMATE,
        "total_bytes_estimate": sum(p["bytes"] for p in photos) + len(tiles) * TILE_BYTES_ESTIMATE,
    }
