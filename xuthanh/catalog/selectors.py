"""Reads of the catalogue: published content for the public, translation coverage for the back office."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import translation
from django.utils.translation import get_language

from xuthanh.areas.models import Commune
from xuthanh.catalog.cards import PlaceCard, place_cards, published_names, url_maker
from xuthanh.catalog.models import ClosureDate, Event, OpeningRule, Photo, Place, Specialty, Tag, TicketPrice, Tour
from xuthanh.catalog.models.places import approximate_radius_m
from xuthanh.core.derived import per_content_version
from xuthanh.core.geo import haversine_km
from xuthanh.core.languages import fallback_chain
from xuthanh.core.models import Status, TranslationStatus
from xuthanh.core.prepared import Prepared, PreparedObjects, attach, batch
from xuthanh.core.text import fold
from xuthanh.orgs.models import Organisation

CONTENT_MODELS = {"place": Place, "event": Event, "specialty": Specialty, "tour": Tour}


def published(model: type) -> QuerySet:
    return model.objects.filter(status=Status.PUBLISHED)


TRANSLATION_STATES = ("missing", "outdated", "machine", "reviewed")


# Translated content of any app answers three questions for the translation states and the desk, by class
# attributes with these defaults (as SCOPE_COMMUNE answers who edits it): which field a translation cannot
# lack (TRANSLATION_MAIN_FIELD), where its published state is (PUBLISHED_PATH: a stop is published with its
# tour), and which of its records have texts at all (TRANSLATABLE_Q: a hotspot leading to a scene has none).
def translation_main_field(model: type) -> str:
    return getattr(model, "TRANSLATION_MAIN_FIELD", "name")


def published_q(model: type) -> Q:
    return Q(**{getattr(model, "PUBLISHED_PATH", "status"): Status.PUBLISHED})


def translatable(model: type) -> QuerySet:
    """The records of `model` that have texts to translate."""
    return model.objects.filter(getattr(model, "TRANSLATABLE_Q", Q()))


def with_translation_state(qs: QuerySet, lang: str) -> QuerySet:
    """`qs` annotated with `tr_state`, the state of its translation into `lang`: "missing" (no row, or no
    name: the model's main field), "outdated" (the Vietnamese source changed after the translation was made:
    core.sourcetrack), "machine" (a current draft not yet reviewed: a machine's or a person's) or "reviewed"
    (current and reviewed). One query, two joins on the translation table (its (language_code, master) index)."""
    if lang == settings.SOURCE_LANGUAGE:
        return qs.annotate(tr_state=Value("reviewed", output_field=CharField()))
    return qs.annotate(
        xt_target=FilteredRelation("translations", condition=Q(translations__language_code=lang)),
        xt_source=FilteredRelation(
            "translations", condition=Q(translations__language_code=settings.SOURCE_LANGUAGE)
        ),
    ).annotate(
        tr_state=Case(
            When(Q(xt_target__id__isnull=True) | Q(**{f"xt_target__{translation_main_field(qs.model)}": ""}),
                 then=Value("missing")),
            When(~Q(xt_target__source_hash=F("xt_source__source_hash")), then=Value("outdated")),
            When(
                xt_target__translation_status__in=[TranslationStatus.MACHINE, TranslationStatus.DRAFT],
                then=Value("machine"),
            ),
            default=Value("reviewed"),
            output_field=CharField(),
        )
    )


def translation_state(obj: Any, lang: str) -> str:
    """The translation state of one record in `lang` (see `with_translation_state`)."""
    return with_translation_state(type(obj).objects.filter(pk=obj.pk), lang).values_list("tr_state", flat=True)[0]


def translation_state_counts(qs: QuerySet, lang: str) -> dict[str, int]:
    """How many of `qs` are in each translation state for `lang` (every state present, zeros included)."""
    counts = dict.fromkeys(TRANSLATION_STATES, 0)
    grouped = with_translation_state(qs.order_by(), lang).values("tr_state").annotate(n=Count("pk"))
    for row in grouped:
        counts[row["tr_state"]] += row["n"]
    return counts


def translation_coverage(model: type, *, only_published: bool = False) -> dict[str, dict[str, int]]:
    """Per language: how many records have a reviewed translation, a machine draft, an outdated one (the
    source changed since), or none."""
    qs = translatable(model)
    if only_published:
        qs = qs.filter(published_q(model))
    total = qs.count()
    return {
        code: {"total": total, **translation_state_counts(qs, code)} for code, _name in settings.LANGUAGES
    }


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


@dataclass(frozen=True)
class IdPage:
    """One page of an ordered list of ids, how many the whole list holds and when its latest item changed (what
    a pager and a list's ETag and Last-Modified need)."""

    ids: list[int]
    count: int
    last_modified: dt.datetime | None


_ID_PAGE_FILTERS = {"kind": str, "category": str, "tag": str, "commune_id": int}
_ID_PAGES: dict[tuple[str, ...], Prepared] = {}  # by the filters in use (at most 16 shapes)
_LIST_SUMMARIES: dict[tuple[str, ...], Prepared] = {}


def _prepared_for(
    store: dict[tuple[str, ...], Prepared], shape: tuple[str, ...], build: Any, **options: Any
) -> Prepared:
    """The prepared query `build(place_search(**filters))` for the filters named in `shape`."""
    query = store.get(shape)
    if query is None:
        kinds = {name: _ID_PAGE_FILTERS[name] for name in shape}
        query = store.setdefault(shape, Prepared(lambda **values: build(_filtered(**values)), **options, **kinds))
    return query


def _filtered(*, commune_id: int | None = None, **filters: Any) -> QuerySet:
    """`place_search` with the commune as its id: the database then reads the commune's places from the
    (commune, status, popularity, slug) index in list order, where a join on the code scanned every place."""
    qs = place_search(**filters)
    return qs if commune_id is None else qs.filter(commune_id=commune_id)


@per_content_version
def _place_list_summary(shape: tuple[str, ...], values: tuple[Any, ...]) -> tuple[int, dt.datetime | None]:
    """How many published places the filters list, and the latest change among them: counting 100,000 places
    takes milliseconds, so each count is kept until the next content write."""
    query = _prepared_for(
        _LIST_SUMMARIES,
        shape,
        lambda qs: qs.order_by().values("status").annotate(size=Count("pk"), latest=Max("updated_at"))
        .values_list("size", "latest"),
    )
    rows = query.rows(**dict(zip(shape, values, strict=True)))
    return rows[0] if rows else (0, None)


def place_id_page(
    *, start: int, size: int, kind: str = "", category: str = "", tag: str = "", commune_code: int | None = None
) -> IdPage:
    """Ids `start` to `start + size` of the published places `place_search` lists for these filters, in its
    order (most popular first), with the list's size and latest change: a prepared query for the page (on the
    lists' indexes) and the list's size and latest change, counted once per content version."""
    commune_id = None
    if commune_code:
        commune_id = _commune_ids().get(commune_code)
        if commune_id is None:  # no such commune: nothing is listed
            return IdPage(ids=[], count=0, last_modified=None)
    given = {
        name: value
        for name, value in (("kind", kind), ("category", category), ("tag", tag), ("commune_id", commune_id))
        if value
    }
    shape = tuple(sorted(given))
    count, latest = _place_list_summary(shape, tuple(given[name] for name in shape))
    ids = _list_page(given, start=start, size=size) if start < count else []
    return IdPage(ids=ids, count=count, last_modified=latest)


def _list_page(given: dict[str, Any], *, start: int, size: int) -> list[int]:
    """Ids `start` to `start + size` of the published places the filters `given` list, in list order."""
    page = _prepared_for(_ID_PAGES, tuple(sorted(given)), lambda qs: qs.values_list("pk", flat=True), paged=True)
    return [pk for (pk,) in page.rows(limit=size, offset=start, **given)]


def top_places(*, kind: str, limit: int, lang: str) -> list[PlaceCard]:
    """The `limit` most popular published places of `kind`, as cards in `lang` (the home page's highlights):
    the first page of the kind's list."""
    return place_cards(_list_page({"kind": kind}, start=0, size=limit), lang, photos=True)


def ids_near(qs: QuerySet, *, lat: float, lon: float, radius_km: float) -> list[tuple[int, float]]:
    """(id, distance in km) of the places of `qs` within the radius, nearest first; a bounding box narrows the
    query first."""
    dlat = radius_km / 110.57
    dlon = radius_km / max(0.01, 111.32 * math.cos(math.radians(lat)))
    box = qs.filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
    found = [(pk, haversine_km(lat, lon, plat, plon)) for pk, plat, plon in box.values_list("pk", "lat", "lon")]
    return sorted((item for item in found if item[1] <= radius_km), key=lambda item: (item[1], item[0]))


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


_TAGS_IN_USE = PreparedObjects(
    Tag,
    lambda status: Tag.objects.filter(
        Exists(Place.tags.through.objects.filter(tag=OuterRef("pk"), place__status=status))
    ),
    status=str,
)
_COMMUNES_IN_USE = PreparedObjects(
    Commune,
    lambda status: Commune.objects.filter(Exists(Place.objects.filter(commune=OuterRef("pk"), status=status))),
    status=str,
)
_DISTRICTS_IN_USE = Prepared(
    lambda status: Place.objects.filter(status=status)
    .exclude(former_district="")
    .order_by()
    .values_list("former_district", flat=True)
    .distinct(),
    status=str,
)


def place_filter_choices() -> dict[str, list]:
    """What the portal's filter form offers: interests, communes and former districts that have published
    places (so no choice leads to an empty page by construction). One EXISTS probe per interest and commune
    and a DISTINCT in SQL, so the cost follows the number of choices, not of places; prepared queries, and
    the interests' names in the active language only."""
    published_status = str(Status.PUBLISHED)
    return {
        "tags": _with_translations(_TAGS_IN_USE.objects(status=published_status), get_language()),
        "communes": sorted(_COMMUNES_IN_USE.objects(status=published_status), key=lambda c: fold(c.name)),
        "former_districts": sorted((name for (name,) in _DISTRICTS_IN_USE.rows(status=published_status)), key=fold),
    }


@dataclass(frozen=True)
class FilterOptions:
    """The filter form's choices as (value, label) pairs, labels in one language."""

    tags: tuple[tuple[str, str], ...]
    communes: tuple[tuple[int, str], ...]
    former_districts: tuple[tuple[str, str], ...]


@per_content_version
def place_filter_options(lang: str) -> FilterOptions:
    """`place_filter_choices` in `lang` as plain pairs, worked out once per content version (they change only
    when a place is published, withdrawn or moved): every list page shows them."""
    with translation.override(lang):
        choices = place_filter_choices()
    return FilterOptions(
        tags=tuple((tag.slug, str(tag)) for tag in choices["tags"]),
        communes=tuple((commune.code, commune.name) for commune in choices["communes"]),
        former_districts=tuple((name, name) for name in choices["former_districts"]),
    )


_BOX = Prepared(
    lambda lat0, lat1, lon0, lon1: Place.objects.filter(lat__range=(lat0, lat1), lon__range=(lon0, lon1))
    .order_by()
    .values_list("pk", "lat", "lon", "status", "kind"),
    lat0=float,
    lat1=float,
    lon0=float,
    lon1=float,
)


_SPARSE_ROWS = 64
_BOX_SPARSE = Prepared(
    lambda lat0, lat1, lon0, lon1: Place.objects.filter(lat__range=(lat0, lat1), lon__range=(lon0, lon1))
    .order_by()
    .values_list("pk", "lat", "lon", "status", "kind")[:_SPARSE_ROWS],
    lat0=float,
    lat1=float,
    lon0=float,
    lon1=float,
)


def places_nearby(
    place: Place, *, radius_km: float = 10, limit: int = 8, lang: str | None = None, kind: str = ""
) -> list[tuple[PlaceCard, float]]:
    """Other published places (of `kind`, when given) within `radius_km` of `place`, nearest first, as cards in
    `lang` (default: the active language). The database narrows by a bounding box (the lat/lon index). Where
    places are sparse (the real catalogue) one read of the whole box, at most _SPARSE_ROWS rows, holds them
    all. Where it is full, the box grows from a sixteenth of the radius, doubling, to all of it, only while
    fewer than `limit` places (of the kind) are found: everything within a smaller radius is nearer than
    anything outside it, so the answer is the same, and a dense area (100,000 places) reads a few dozen
    coordinates, not thousands. Only the `limit` nearest places are loaded."""

    def within(radius: float, query: Prepared) -> tuple[list[tuple[int, float]], int]:
        dlat = radius / 110.57
        dlon = radius / max(0.01, 111.32 * math.cos(math.radians(place.lat)))
        # Only the coordinates in the WHERE clause, so that SQLite (no statistics) takes the lat/lon index
        # rather than scanning every published place; status is checked on the few rows found.
        box = query.rows(lat0=place.lat - dlat, lat1=place.lat + dlat, lon0=place.lon - dlon, lon1=place.lon + dlon)
        found = [
            (pk, haversine_km(place.lat, place.lon, lat, lon))
            for pk, lat, lon, status, place_kind in box
            if status == Status.PUBLISHED and pk != place.pk and (not kind or place_kind == kind)
        ]
        return sorted((item for item in found if item[1] <= radius), key=lambda item: (item[1], item[0])), len(box)

    nearest, read = within(radius_km, _BOX_SPARSE)
    if read >= _SPARSE_ROWS:  # the box holds more: narrow down from a sixteenth of the radius
        for radius in (radius_km / 16, radius_km / 8, radius_km / 4, radius_km / 2, radius_km):
            nearest, _read = within(radius, _BOX)
            if len(nearest) >= limit:
                break
    nearest = nearest[:limit]
    distance = dict(nearest)
    cards = place_cards([pk for pk, _d in nearest], lang or get_language())
    return [(card, distance[card.pk]) for card in cards]


# Travel estimates: straight-line distance times a typical road circuity, at an average road speed.
TRAVEL_HUBS = ("cang-hang-khong-tho-xuan", "ga-thanh-hoa")
ROAD_CIRCUITY = 1.3
ROAD_SPEED_KMH = 40


_HUBS = Prepared(lambda slugs: Place.objects.filter(slug__in=slugs).values_list("slug", "pk"), slugs=list[str])


@dataclass(frozen=True)
class TravelEstimate:
    hub: PlaceCard
    straight_km: float
    road_km: float
    minutes: int


@per_content_version
def hub_cards(lang: str) -> list[PlaceCard]:
    """The published TRAVEL_HUBS as cards in `lang`, in that order."""
    hub_ids = dict(_HUBS.rows(slugs=list(TRAVEL_HUBS)))
    return place_cards([hub_ids[slug] for slug in TRAVEL_HUBS if slug in hub_ids], lang)


def travel_from_hubs(place: Place, *, lang: str | None = None) -> list[TravelEstimate]:
    """Rough travel from the airport and the main railway station to `place` (an estimate, not a route):
    great-circle distance × ROAD_CIRCUITY at ROAD_SPEED_KMH, rounded up to 5 minutes. The hub itself and
    unpublished hubs are left out; hubs are cards in `lang` (default: the active language)."""
    return [travel_estimate(hub, (place.lat, place.lon)) for hub in hub_cards(lang or get_language())
            if hub.pk != place.pk]


def travel_estimate(card: PlaceCard, other: tuple[float, float]) -> TravelEstimate:
    """Rough road travel between the place `card` and the point `other` (either way): the great-circle
    distance × ROAD_CIRCUITY at ROAD_SPEED_KMH, rounded up to 5 minutes; an estimate, not a route."""
    straight = haversine_km(card.lat, card.lon, other[0], other[1])
    road = straight * ROAD_CIRCUITY
    minutes = max(5, math.ceil(road / ROAD_SPEED_KMH * 60 / 5) * 5)
    return TravelEstimate(hub=card, straight_km=straight, road_km=road, minutes=minutes)


def map_points(*, kind: str = "") -> list[dict]:
    """Compact rows for the public map: every published place (optionally of one kind)."""
    rows = published(Place).order_by("-popularity", "slug")
    if kind:
        rows = rows.filter(kind=kind)
    rows = list(rows.values_list("pk", "slug", "kind", "lat", "lon", "location_verified", "location_uncertainty_m"))
    names = published_names(Place, get_language())
    url = url_maker("portal:place_detail")
    return [
        {
            "slug": slug,
            "name": names.get(pk) or slug,
            "kind": kind,
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "url": url(slug),
            "approx": approximate_radius_m(verified, uncertainty),
        }
        for pk, slug, kind, lat, lon, verified, uncertainty in rows
    ]


_PUBLISHED_EVENTS = PreparedObjects(
    Event, lambda status: Event.objects.filter(status=status).order_by("slug"), status=str
)


@per_content_version
def communes_by_id() -> dict[int, Commune]:
    """Every commune by id (166 rows that change only with the map): what places and events show of theirs."""
    return {commune.pk: commune for commune in Commune.objects.all()}


@per_content_version
def _commune_ids() -> dict[int, int]:
    """{official code: id} of every commune."""
    return {commune.code: pk for pk, commune in communes_by_id().items()}


@per_content_version
def tags_by_id(lang: str) -> dict[int, Tag]:
    """Every interest by id with its names in `lang` and fallbacks (a vocabulary of a few dozen words)."""
    return {tag.pk: tag for tag in _with_translations(list(Tag.objects.all()), lang)}



@per_content_version
def published_events(lang: str) -> list[Event]:
    """Every published event with its commune and its translations in `lang` and fallbacks, through three
    prepared queries (what the calendar, the home page and the lists read; not its place). Kept until the
    next content write (`core.derived`): callers read the events, never change them."""
    events = _PUBLISHED_EVENTS.objects(status=Status.PUBLISHED)
    communes = communes_by_id()
    for event in events:
        if event.commune_id in communes:  # else (a commune added this instant) Django loads it when read
            event.commune = communes[event.commune_id]
    return _with_translations(events, lang)


def _events(qs: QuerySet | None) -> QuerySet | list[Event]:
    return qs if qs is not None else published_events(get_language())


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


@per_content_version
def event_months_around(first: dt.date, last: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The first days of the latest month with a published event before `first` and of the earliest one after
    `last` (within a year each way; None when there is none): where an empty month of the calendar leads."""
    later = event_occurrences(last + dt.timedelta(days=1), last + dt.timedelta(days=366))
    earlier = event_occurrences(first - dt.timedelta(days=366), first - dt.timedelta(days=1))
    previous = max((start for start, _end, _event in earlier), default=None)
    return (previous.replace(day=1) if previous else None, later[0][0].replace(day=1) if later else None)


def upcoming_events(today: dt.date, limit: int = 50, *, qs: QuerySet | None = None) -> list[tuple]:
    """(start, end, event) of published events (or of `qs`) happening now or next, soonest first."""
    if qs is None:  # the home page's and the calendar's: the same for every request of a day and language
        return _upcoming_published(today, limit, get_language())
    return _upcoming(today, limit, qs)


@per_content_version
def _upcoming_published(today: dt.date, limit: int, lang: str) -> list[tuple]:
    """`lang` keys the value: the events carry their texts in it (published_events)."""
    return _upcoming(today, limit, None)


def _upcoming(today: dt.date, limit: int, qs: QuerySet | None) -> list[tuple]:
    items = []
    for event in _events(qs):
        span = event.next_occurrence(today)
        if span:
            items.append((span[0], span[1], event))
    items.sort(key=lambda item: (item[0], -item[2].popularity))
    return items[:limit]


# ---- places with what their pages and API answers show, through prepared queries -----------------------------
_PLACE_BY_SLUG = PreparedObjects(Place, lambda slug: Place.objects.filter(slug=slug), slug=str)
_PLACES_BY_ID = PreparedObjects(Place, lambda ids: Place.objects.filter(pk__in=ids).order_by(), ids=list[int])
_PLACE_TAG_LINKS = Prepared(
    lambda ids: Place.tags.through.objects.filter(place_id__in=ids).order_by().values_list("place_id", "tag_id"),
    ids=list[int],
)
_RELATED = {
    name: PreparedObjects(model, lambda ids, model=model: model.objects.filter(place_id__in=ids), ids=list[int])
    for name, model in (
        ("tickets", TicketPrice),
        ("opening_rules", OpeningRule),
        ("closure_dates", ClosureDate),
        ("photos", Photo),
    )
}
_TRANSLATIONS: dict[type, PreparedObjects] = {}
PLACE_RELATIONS = ("tags", "tickets", "opening_rules", "closure_dates", "photos")


def _translations(model: type, ids: list[int], lang: str) -> dict[int, list]:
    """{id: translation rows of `model`'s object in `lang` and its fallbacks}."""
    rows_model = model._parler_meta.root_model
    if model not in _TRANSLATIONS:
        _TRANSLATIONS[model] = PreparedObjects(
            rows_model,
            lambda ids, chain: rows_model.objects.filter(master_id__in=ids, language_code__in=chain).order_by(),
            ids=list[int],
            chain=list[str],
        )
    found: dict[int, list] = {pk: [] for pk in ids}
    for row in _TRANSLATIONS[model].objects(ids=ids, chain=fallback_chain(lang)):
        found[row.master_id].append(row)
    return found


def _with_translations(objects: list, lang: str) -> list:
    if objects:
        found = _translations(type(objects[0]), [obj.pk for obj in objects], lang)
        for obj in objects:
            attach(obj, "translations", found[obj.pk])
            obj.set_current_language(lang)
    return objects


def places_loaded(
    places: list[Place], lang: str, relations: tuple[str, ...] = PLACE_RELATIONS, *, translated: bool = False
) -> list[Place]:
    """`places` with their commune, their translations in `lang` and fallbacks and the `relations` (of
    PLACE_RELATIONS) already loaded, one prepared query per relation for the whole list: what prefetch_related
    does, without building a query per relation and request."""
    if not places:
        return places
    ids = [place.pk for place in places]
    communes = communes_by_id()
    for place in places:
        if place.commune_id in communes:  # else (a commune added this instant) Django loads it when read
            place.commune = communes[place.commune_id]
    if not translated:  # else the caller has attached them
        _with_translations(places, lang)
    others = [name for name in relations if name != "tags"]
    reads = [(_PLACE_TAG_LINKS, {"ids": ids})] if "tags" in relations else []
    found = iter(batch(*reads, *((_RELATED[name].query, {"ids": ids}) for name in others)))  # one round trip
    if "tags" in relations:
        links = next(found)
        tags = tags_by_id(lang)
        by_place: dict[int, list[Tag]] = {pk: [] for pk in ids}
        for place_id, tag_id in links:
            if tag_id in tags:  # else a tag made after this content version was read: shown from the next
                by_place[place_id].append(tags[tag_id])
        for place in places:
            attach(place, "tags", sorted(by_place[place.pk], key=lambda tag: tag.slug))
    for name in others:
        rows = _RELATED[name].from_rows(next(found))
        if name == "photos":
            rows.sort(key=lambda photo: (photo.position, photo.pk))
            _with_translations(rows, lang)
        else:
            rows.sort(key=lambda row: row.pk)
        grouped: dict[int, list] = {pk: [] for pk in ids}
        for row in rows:
            grouped[row.place_id].append(row)
        for place in places:
            attach(place, name, grouped[place.pk])
    return places


def places_by_id(ids: list[int], lang: str, relations: tuple[str, ...] = PLACE_RELATIONS) -> list[Place]:
    """The places `ids` (any status), in that order, loaded as `places_loaded` does."""
    found = {place.pk: place for place in _PLACES_BY_ID.objects(ids=ids)}
    return places_loaded([found[pk] for pk in ids if pk in found], lang, relations)


def place_page(slug: str, lang: str) -> Place | None:
    """The place `slug` (whatever its status: the caller decides who may see a draft) with its commune and,
    already loaded, its translations in `lang` and fallbacks, interests, tickets, hours, closures and photos:
    what the place page, its hours and its JSON-LD read."""
    rows = _PLACE_PAGE.rows(slug=slug, chain=fallback_chain(lang))
    if not rows:  # no such place, or none of its texts in the chain (a draft): the place alone, then the rest
        found = _PLACE_BY_SLUG.objects(slug=slug)
        return places_loaded(found, lang)[0] if found else None
    width = len(_PLACE_FIELDS)
    place = Place.from_db("default", _PLACE_FIELDS, rows[0][:width])
    attach(place, "translations", [PlaceTranslation.from_db("default", _TEXT_FIELDS, row[width:]) for row in rows])
    place.set_current_language(lang)
    return places_loaded([place], lang, translated=True)[0]


PlaceTranslation = Place._parler_meta.root_model
_PLACE_FIELDS = [field.attname for field in Place._meta.concrete_fields]
_TEXT_FIELDS = [field.attname for field in PlaceTranslation._meta.concrete_fields]
# The place page's first read: the place and its texts in the reader's chain, one row per language.
_PLACE_PAGE = Prepared(
    lambda slug, chain: PlaceTranslation.objects.filter(master__slug=slug, language_code__in=chain)
    .order_by()
    .values_list(*(f"master__{name}" for name in _PLACE_FIELDS), *_TEXT_FIELDS),
    slug=str,
    chain=list[str],
)
