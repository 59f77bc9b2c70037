"""/api/v1/places, /events, /specialties and /tours: thin endpoints that parse typed parameters, call the
catalogue's selectors and shape the result in the requested language. Lists are paginated and answer
conditional requests (ETag). Operation ids are those the endpoints were published with (clients generate
method names from them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from ninja import NinjaAPI, Query, Router
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.schemas import NEAR_PATTERN, IsoDate, Paging, Slug, Text
from xuthanh.api.services import add_validators, list_validators, not_modified, validators
from xuthanh.api.services import conditional as _conditional
from xuthanh.api.services import page_of as _page
from xuthanh.api.services import paged_list as _paged_list
from xuthanh.areas.boundary import in_province
from xuthanh.catalog import schemas, selectors
from xuthanh.catalog.cards import CardPhoto, PlaceListing, first_photos, listing_of, place_listings, url_maker
from xuthanh.catalog.models import Event, Place, Specialty, Tour
from xuthanh.core.hours import format_hours
from xuthanh.core.languages import LANG_CODES, request_language, served_language, translated

router = Router()
FIRST_DAY, LAST_DAY = (
    dt.date(1900, 1, 1),
    dt.date(2199, 12, 31),
)  # the lunar calendar's range, as on the portal


def mount(api: NinjaAPI) -> None:
    """Attach the catalogue's endpoints to the open API (`xuthanh/urls.py` does, once)."""
    api.add_router("", router)


class PlaceFilters(Paging):
    q: Text = Field(
        "",
        max_length=200,
        description="Words to find, as /search finds them (any language, accents, typos); best matches first",
    )
    kind: Literal[tuple(Place.Kind.values)] | None = None  # type: ignore[valid-type]
    category: Literal[tuple(Place.Category.values)] | None = None  # type: ignore[valid-type]
    tag: Text = Field("", max_length=40, description="Interest, e.g. history, beach")
    commune: int | None = Field(None, description="Official commune/ward code")
    former_district: Text = Field("", max_length=60, description="District before 2025, e.g. Vĩnh Lộc")
    open_now: bool = False
    near: str = Field("", description="lat,lon — sort by distance from this point", pattern=NEAR_PATTERN)
    radius_km: float = Field(20, gt=0, le=300)


class EventFilters(Paging):
    date_from: IsoDate | None = Field(None, alias="from", description="Events ending on or after this date")
    date_to: IsoDate | None = Field(None, alias="to", description="Events starting on or before this date")
    commune: int | None = None
    tag: Text = Field("", max_length=40)


def _commune(commune: Any) -> dict | None:
    if commune is None:
        return None
    return {"code": commune.code, "name": commune.name, "former_districts": commune.former_districts}


# ---- places -----------------------------------------------------------------------------------------------


def place_out(
    place: PlaceListing,
    *,
    now: dt.datetime,
    distance: float | None = None,
    url: Callable[[str], str],
    photo: CardPhoto | None = None,
) -> dict:
    """A place as the lists answer it, with its first photo when it has one."""
    return {
        "slug": place.slug,
        "kind": place.kind,
        "category": place.category,
        "name": place.name,
        "summary": place.summary,
        "lang": place.lang,
        "commune": {
            "code": place.commune_code,
            "name": place.commune_name,
            "former_districts": place.commune_former_districts,
        },
        "former_district": place.former_district,
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
        "location_verified": place.location_verified,
        "location_uncertainty_m": place.location_uncertainty_m,
        "location_precise": place.location_precise,
        "visit_minutes": place.visit_minutes,
        "popularity": place.popularity,
        "tags": list(place.tags),
        "opening_hours": format_hours(place.hours),
        "open_now": place.hours.is_open(now),
        "is_sample": place.is_sample,
        "url": url(place.slug),
        "updated_at": place.updated_at,
        "distance_km": None if distance is None else round(distance, 2),
        "photo": None
        if photo is None
        else {"url": photo.url, "width": photo.width, "height": photo.height, "author": photo.author,
              "licence": photo.licence},
    }


def place_detail_out(place: Place, lang: str, *, now: dt.datetime) -> dict:
    """A place as /places/{slug} answers it: what a list shows and the rest of its page."""
    return {
        **place_out(
            listing_of(place, lang), now=now, url=url_maker("portal:place_detail"),
            photo=first_photos([place.pk]).get(place.pk),
        ),
        "description": translated(place, "description", lang),
        "accessibility": translated(place, "accessibility", lang),
        "tickets": [
            {
                "audience": t.audience,
                "label": (t.label_en if lang != "vi" and t.label_en else t.label),
                "price_vnd": t.price_vnd,
            }
            for t in place.tickets.all()
        ],
        "phone": place.phone,
        "email": place.email,
        "website": place.website,
        "stars": place.stars,
        "rooms": place.rooms,
        "photos": [photo_out(p, lang) for p in place.photos.all()],
        "translations": place.translation_statuses(),
    }



def photo_out(photo: Any, lang: str) -> dict[str, Any]:
    """A photo as the API gives it (schemas.PhotoOut): the file, its reduced copy, credit and texts in `lang`."""
    return {
        "url": photo.image.url,
        "small_url": photo.small.url if photo.small else None,
        "author": photo.author,
        "licence": photo.licence,
        "caption": translated(photo, "caption", lang),
        "alt_text": translated(photo, "alt_text", lang),
    }

@router.get(
    "/places",
    response={200: api_schemas.PageOut[schemas.PlaceOut], 304: None, 422: api_schemas.ErrorOut},
    tags=["places"],
    summary="Search and filter places",
    operation_id="xuthanh_api_views_list_places",
)
def list_places(request: HttpRequest, response: HttpResponse, filters: Query[PlaceFilters]) -> Any:
    """Filters narrow a query of ids; only the page shown is loaded, as flat listings (`cards.place_listings`)."""

    lang = request_language(request, filters.lang)
    start = (filters.page - 1) * filters.page_size
    distance: dict[int, float] = {}
    if not (filters.q.strip() or filters.near or filters.open_now or filters.former_district):
        # the common case: the page by a prepared query, the list's size and latest change kept per version
        page = selectors.place_id_page(
            start=start,
            size=filters.page_size,
            kind=filters.kind or "",
            category=filters.category or "",
            tag=filters.tag,
            commune_code=filters.commune,
        )
        etag, modified = list_validators(Place, page.count, page.last_modified, lang, filters.model_dump_json())
        if not_modified(request, etag, modified):
            return HttpResponseNotModified(headers={"ETag": etag})
        page_ids, count = page.ids, page.count
    else:
        etag, modified, page_ids, count, distance = _searched_places(request, filters, lang, start)
        if page_ids is None:
            return HttpResponseNotModified(headers={"ETag": etag})
    add_validators(response, etag, modified)
    url = url_maker("portal:place_detail")
    now = timezone.localtime()
    photos = first_photos(page_ids)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            place_out(place, now=now, distance=distance.get(place.pk), url=url, photo=photos.get(place.pk))
            for place in place_listings(page_ids, lang)
        ],
    }


def _searched_places(
    request: HttpRequest, filters: PlaceFilters, lang: str, start: int
) -> tuple[str, str | None, list[int] | None, int, dict[int, float]]:
    """ETag, Last-Modified, the page's ids (None: the client has the list already), how many in all and the
    distances, for a list that words, a point, a former district or "open now" narrow."""
    from xuthanh.search import services as search

    qs = selectors.place_search(
        kind=filters.kind or "",
        category=filters.category or "",
        tag=filters.tag,
        commune_code=filters.commune,
        former_district=filters.former_district,
    )
    etag, modified, fresh, total = _conditional(request, qs, filters, lang)
    if fresh and not filters.open_now:
        return etag, modified, None, total, {}
    now = timezone.localtime()
    ids = None  # every matching id, in order, when a filter has to see them all
    if filters.q.strip():  # the search index, as /search: accents, typos, missing spaces, every language
        hits = search.search(filters.q, kinds=["place"], limit=search.MAX_CANDIDATES).hits
        ids = [hit.object_id for hit in hits]
        if any((filters.kind, filters.category, filters.tag, filters.commune, filters.former_district)):
            ids = selectors.in_rank_order(qs, ids)  # else the index holds published places only
    distance: dict[int, float] = {}
    if filters.near:
        lat, lon = (float(v) for v in filters.near.split(","))
        if not (8 <= lat <= 24 and 102 <= lon <= 110) and not in_province(lat, lon):
            raise NinjaValidationError([{"loc": ["query", "near"], "msg": "the point is not in Vietnam"}])
        scope = qs if ids is None else qs.filter(pk__in=ids)
        distance = dict(selectors.ids_near(scope, lat=lat, lon=lon, radius_km=filters.radius_km))
        ids = list(distance)
    if filters.open_now:
        if ids is None:
            ids = list(qs.values_list("pk", flat=True))
        open_ids = {p.pk for p in place_listings(ids, lang) if p.hours.is_open(now)}
        ids = [pk for pk in ids if pk in open_ids]
    if ids is None:  # a former district only: count and slice in SQL
        return etag, modified, list(qs.values_list("pk", flat=True)[start : start + filters.page_size]), total, {}
    return etag, modified, ids[start : start + filters.page_size], len(ids), distance


@router.get(
    "/places/{slug}",
    response={200: schemas.PlaceDetailOut, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut},
    tags=["places"],
    operation_id="xuthanh_api_views_get_place",
)
def get_place(request: HttpRequest, response: HttpResponse, slug: Slug, lang: str | None = None) -> Any:
    lang = request_language(request, lang if lang in LANG_CODES else None)
    place = selectors.place_page(slug, lang)
    if place is None or not place.is_published:
        raise Http404(f"No published place “{slug}”.")
    etag, modified = validators([place.slug, place.updated_at, lang], place.updated_at)
    if not_modified(request, etag, modified):
        return HttpResponseNotModified(headers={"ETag": etag})
    add_validators(response, etag, modified)
    return place_detail_out(place, lang, now=timezone.localtime())


# ---- events ---------------------------------------------------------------------------------------------


def event_out(event: Event, lang: str, *, today: dt.date, detail: bool = False) -> dict:
    span = event.next_occurrence(today)
    data = {
        "slug": event.slug,
        "kind": event.kind,
        "name": translated(event, "name", lang),
        "summary": translated(event, "summary", lang),
        "lang": served_language(event, lang),
        "recurrence": event.recurrence,
        "lunar_month": event.month if event.recurrence == Event.Recurrence.LUNAR else None,
        "lunar_day": event.day if event.recurrence == Event.Recurrence.LUNAR else None,
        "next": {"start": span[0], "end": span[1]} if span else None,
        "place": event.place.slug if event.place_id else None,
        "commune": _commune(event.commune),
        "lat": event.location[0] if event.location else None,
        "lon": event.location[1] if event.location else None,
        "tags": [t.slug for t in event.tags.all()],
        "updated_at": event.updated_at,
    }
    if detail:
        data["description"] = translated(event, "description", lang)
        data["occurrences"] = [
            {"start": s, "end": e}
            for year in (today.year, today.year + 1)
            for s, e in event.occurrences_in(year)
        ]
    return data


@router.get(
    "/events",
    response={200: api_schemas.PageOut[schemas.EventOut], 304: None, 422: api_schemas.ErrorOut},
    tags=["events"],
    summary="Festivals and events by date",
    operation_id="xuthanh_api_views_list_events",
)
def list_events(request: HttpRequest, response: HttpResponse, filters: Query[EventFilters]) -> Any:
    lang = request_language(request, filters.lang)
    today = timezone.localdate()
    for name, value in (("from", filters.date_from), ("to", filters.date_to)):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise NinjaValidationError(
                [{"loc": ["query", name], "msg": f"use a date from {FIRST_DAY} to {LAST_DAY}"}]
            )
    date_from = filters.date_from or today
    date_to = filters.date_to or date_from + dt.timedelta(days=366)
    if date_to < date_from:
        raise NinjaValidationError([{"loc": ["query", "to"], "msg": "'to' is before 'from'"}])
    if (date_to - date_from).days > 3 * 366:
        raise NinjaValidationError([{"loc": ["query", "to"], "msg": "ask for at most three years at a time"}])
    qs = (
        selectors.published(Event).select_related("commune", "place").prefetch_related("translations", "tags")
    )
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.tag:
        qs = qs.filter(tags__slug=filters.tag)
    etag, modified, fresh, _count = _conditional(request, qs, filters, lang + str(today))
    if fresh:
        return HttpResponseNotModified(headers={"ETag": etag})
    items = selectors.event_occurrences(date_from, date_to, qs=qs)
    page, count = _page(items, filters)
    add_validators(response, etag, modified)
    results = []
    for start, end, event in page:
        data = event_out(event, lang, today=today)
        data["next"] = {"start": start, "end": end}
        results.append(data)
    return {"count": count, "page": filters.page, "page_size": filters.page_size, "results": results}


@router.get(
    "/events/{slug}",
    response={200: schemas.EventDetailOut, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut},
    tags=["events"],
    operation_id="xuthanh_api_views_get_event",
)
def get_event(request: HttpRequest, slug: Slug, lang: str | None = None) -> Any:
    lang = request_language(request, lang if lang in LANG_CODES else None)
    event = selectors.published(Event).select_related("commune", "place").filter(slug=slug).first()
    if event is None:
        raise Http404(f"No published event “{slug}”.")
    return event_out(event, lang, today=timezone.localdate(), detail=True)


# ---- specialties and tours ---------------------------------------------------------------------------


def specialty_out(item: Specialty, lang: str) -> dict:
    return {
        "slug": item.slug,
        "kind": item.kind,
        "name": translated(item, "name", lang),
        "summary": translated(item, "summary", lang),
        "description": translated(item, "description", lang),
        "origin": translated(item, "origin", lang),
        "lang": served_language(item, lang),
        "commune": _commune(item.commune),
        "places": [p.slug for p in item.places.all()],
        "tags": [t.slug for t in item.tags.all()],
        "updated_at": item.updated_at,
    }


@router.get(
    "/specialties",
    response={200: api_schemas.PageOut[schemas.SpecialtyOut], 304: None, 422: api_schemas.ErrorOut},
    tags=["specialties"],
    operation_id="xuthanh_api_views_list_specialties",
)
def list_specialties(request: HttpRequest, response: HttpResponse, paging: Query[Paging]) -> Any:
    lang = request_language(request, paging.lang)
    qs = (
        selectors.published(Specialty)
        .select_related("commune")
        .prefetch_related("translations", "tags", "places")
    )
    return _paged_list(request, response, qs, paging, lang, specialty_out)


@router.get(
    "/specialties/{slug}",
    response={200: schemas.SpecialtyOut, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut},
    tags=["specialties"],
    operation_id="xuthanh_api_views_get_specialty",
)
def get_specialty(request: HttpRequest, slug: Slug, lang: str | None = None) -> Any:
    item = selectors.published(Specialty).filter(slug=slug).first()
    if item is None:
        raise Http404(f"No published specialty “{slug}”.")
    return specialty_out(item, request_language(request, lang if lang in LANG_CODES else None))


def tour_out(tour: Tour, lang: str) -> dict:
    return {
        "slug": tour.slug,
        "name": translated(tour, "name", lang),
        "summary": translated(tour, "summary", lang),
        "description": translated(tour, "description", lang),
        "lang": served_language(tour, lang),
        "operator": tour.operator.name,
        "operator_is_sample": tour.operator.is_sample,
        "days": tour.days,
        "price_vnd": tour.price_vnd,
        "is_sample": tour.is_sample,
        "stops": [{"day": s.day, "place": s.place.slug} for s in tour.stops.all()],
        "updated_at": tour.updated_at,
    }


@router.get(
    "/tours",
    response={200: api_schemas.PageOut[schemas.TourOut], 304: None, 422: api_schemas.ErrorOut},
    tags=["tours"],
    operation_id="xuthanh_api_views_list_tours",
)
def list_tours(request: HttpRequest, response: HttpResponse, paging: Query[Paging]) -> Any:
    lang = request_language(request, paging.lang)
    qs = selectors.published(Tour).select_related("operator").prefetch_related("translations", "stops__place")
    return _paged_list(request, response, qs, paging, lang, tour_out)


@router.get(
    "/tours/{slug}",
    response={200: schemas.TourOut, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut},
    tags=["tours"],
    operation_id="xuthanh_api_views_get_tour",
)
def get_tour(request: HttpRequest, slug: Slug, lang: str | None = None) -> Any:
    tour = selectors.published(Tour).select_related("operator").filter(slug=slug).first()
    if tour is None:
        raise Http404(f"No published tour “{slug}”.")
    return tour_out(tour, request_language(request, lang if lang in LANG_CODES else None))
