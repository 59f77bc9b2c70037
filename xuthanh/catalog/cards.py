"""Light rows for showing many catalogue items at once (lists, nearby places, highlights, map points, hubs):
a few columns of each item and its texts in the reader's language, read with one flat query and no model
instances, so a page of 24 cards costs what its rows cost and not what building 24 translated models does.

The texts follow the same fallback as the models (django-parler): the first language of the reader's chain
(`core.languages.fallback_chain`) that has a translation row with a name gives every text of the card, and
the card says which language that was (`lang`), so a page can mark a text shown in another language.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from xuthanh.catalog.artwork import place_art
from xuthanh.catalog.models import ClosureDate, OpeningRule, Photo, Place
from xuthanh.catalog.models.places import RULE_COLUMNS, hours_of, location_precise
from xuthanh.core.hours import Hours
from xuthanh.core.languages import fallback_chain, first_in_chain, served_language, translated
from xuthanh.core.models import Status
from xuthanh.core.prepared import Prepared, batch

_CATEGORY_LABELS = dict(Place.Category.choices)
_KIND_LABELS = dict(Place.Kind.choices)
PLACE_COLUMNS = (
    "pk",
    "slug",
    "kind",
    "category",
    "lat",
    "lon",
    "popularity",
    "former_district",
    "is_sample",
    "location_verified",
    "commune__name",
)


@dataclass(frozen=True, slots=True)
class CardPhoto:
    """The first photo of an item, as a card shows it: its reduced copy (or the original), size and credit."""

    url: str
    width: int
    height: int
    author: str
    licence: str
    renditions: dict  # {"avif": {"320": name, …}, "webp": {…}}: for srcset


@dataclass(frozen=True, slots=True)
class PlaceCard:
    pk: int
    slug: str
    kind: str
    category: str
    lat: float
    lon: float
    popularity: int
    former_district: str
    is_sample: bool
    location_verified: bool
    commune_name: str
    name: str
    summary: str
    lang: str  # the language the texts are in (the reader's, or a fallback)
    url: str
    category_label: str  # in the reader's language
    kind_label: str
    photo: CardPhoto | None = None  # the place's first photo, if it has one
    art: str = ""  # else the artwork of its category (a static path: catalog.artwork)


@functools.lru_cache(maxsize=64)
def choice_labels(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Place categories and kinds {code: label} in `lang` (the labels are the code's own, fixed per process)."""
    with translation.override(lang):
        return (
            {code: str(label) for code, label in _CATEGORY_LABELS.items()},
            {code: str(label) for code, label in _KIND_LABELS.items()},
        )


def texts(
    model: type, ids: Iterable[int], lang: str, fields: Sequence[str] = ("name", "summary")
) -> dict[int, tuple[str, dict[str, str]]]:
    """{id: (served language, {field: text})} for `model`'s objects `ids` in `lang` or its fallbacks: the
    first language in the chain whose translation row has a name (as parler and the API's
    `served_language` choose). Objects without any such row are absent."""
    columns = ("master_id", "language_code", *dict.fromkeys(("name", *fields)))
    rows = _texts_query(model, columns).rows(ids=list(ids), chain=fallback_chain(lang))
    named = ((master, code, dict(zip(columns[2:], values, strict=True))) for master, code, *values in rows)
    return first_in_chain(((master, code, row) for master, code, row in named if row["name"]), lang)


_TEXT_QUERIES: dict[tuple, Prepared] = {}


def _texts_query(model: type, columns: tuple[str, ...]) -> Prepared:
    key = (model, columns)
    if key not in _TEXT_QUERIES:
        translations = model._parler_meta.root_model
        _TEXT_QUERIES[key] = Prepared(
            lambda ids, chain: translations.objects.filter(master_id__in=ids, language_code__in=chain)
            .order_by()
            .values_list(*columns),
            ids=list[int],
            chain=list[str],
        )
    return _TEXT_QUERIES[key]


def _rows_with_texts(
    columns: tuple[str, ...], ids: Sequence[int], lang: str, published_only: bool, *, photos: bool = False
) -> tuple[list[tuple[tuple, str, dict[str, str]]], dict[int, CardPhoto]]:
    """(the place's `columns`, served language, texts) of the places `ids`, in that order; places not found,
    unpublished (unless `published_only` is false) or without a name in the chain are left out. One query:
    the translation rows of the chain's languages joined to their place (at most one row per language).
    With `photos`, also their first photos, read in the same round trip."""
    reads = [(_joined_query(columns), {"ids": list(ids), "chain": fallback_chain(lang)})]
    if photos:
        reads.append((_FIRST_PHOTOS, {"ids": list(ids)}))
    rows, *photo_rows = batch(*reads)
    best = first_in_chain(
        ((row[0], code, (tuple(row), {"name": name, "summary": summary}))
         for status, *row, code, name, summary in rows
         if name and (status == Status.PUBLISHED or not published_only)),
        lang,
    )
    found = []
    for pk in ids:
        if pk in best:
            served, (row, values) = best[pk]
            found.append((row, served, values))
    return found, (_first_photos(photo_rows[0], set(best)) if photos else {})


_JOINED_QUERIES: dict[tuple[str, ...], Prepared] = {}


def _joined_query(columns: tuple[str, ...]) -> Prepared:
    """Translation rows (language in the chain) of the places `ids`, each with its place's status and
    `columns` (the place's id first)."""
    if columns not in _JOINED_QUERIES:
        translations = Place._parler_meta.root_model
        master = ["master_id" if column == "pk" else f"master__{column}" for column in columns]
        _JOINED_QUERIES[columns] = Prepared(
            lambda ids, chain: translations.objects.filter(master_id__in=ids, language_code__in=chain)
            .order_by()
            .values_list("master__status", *master, "language_code", "name", "summary"),
            ids=list[int],
            chain=list[str],
        )
    return _JOINED_QUERIES[columns]


def url_maker(viewname: str) -> Any:
    """A function slug → URL of `viewname` in the active language, from one reverse() per call site."""
    marker = "slug-marker"
    template = reverse(viewname, args=[marker])
    head, tail = template.split(marker, 1)
    return lambda slug: f"{head}{slug}{tail}"


def place_cards(
    ids: Sequence[int], lang: str, *, published_only: bool = True, photos: bool = False
) -> list[PlaceCard]:
    """Cards of the places `ids`, in that order (ids not found, unpublished or without a name are left
    out); with their first photos when `photos` (one more query, for pages that show them)."""
    if not ids:
        return []
    url = url_maker("portal:place_detail")
    categories, kinds = choice_labels(lang)
    cards = []
    found, pictures = _rows_with_texts(PLACE_COLUMNS, ids, lang, published_only, photos=photos)
    for row, served, values in found:
        cards.append(
            PlaceCard(
                *row[:10],
                commune_name=row[10] or "",
                name=values["name"],
                summary=values.get("summary", ""),
                lang=served,
                url=url(row[1]),
                category_label=categories.get(row[3], row[3]),
                kind_label=kinds.get(row[2], row[2]),
                photo=pictures.get(row[0]),
                art=place_art(row[3]),
            )
        )
    return cards


_FIRST_PHOTOS = Prepared(
    lambda ids: Photo.objects.filter(place_id__in=ids)
    .order_by("place_id", "position", "pk")
    .values_list("place_id", "image", "small", "width", "height", "author", "licence", "renditions"),
    ids=list[int],
)
_LICENCES = dict(Photo.Licence.choices)


def first_photos(ids: Sequence[int]) -> dict[int, CardPhoto]:
    """{place id: its first photo} for the places `ids` that have one (one query for a whole page)."""
    if not ids:
        return {}
    return _first_photos(_FIRST_PHOTOS.rows(ids=list(ids)), set(ids))


def _first_photos(rows: list[tuple], shown: set[int]) -> dict[int, CardPhoto]:
    found: dict[int, CardPhoto] = {}
    for place_id, image, small, width, height, author, licence, renditions in rows:
        if place_id in found or place_id not in shown:
            continue
        name = small or image
        if small and width and height:  # the reduced copy keeps the proportions, at most 960 px wide
            scale = min(1.0, 960 / max(width, height))
            width, height = round(width * scale), round(height * scale)
        if isinstance(renditions, str):  # a backend that hands JSON back as text through values_list
            renditions = json.loads(renditions or "{}")
        found[place_id] = CardPhoto(
            default_storage.url(name), width, height, author, str(_LICENCES.get(licence, licence)), renditions or {}
        )
    return found


LISTING_COLUMNS = (
    "pk",
    "slug",
    "kind",
    "category",
    "former_district",
    "address",
    "lat",
    "lon",
    "location_verified",
    "location_uncertainty_m",
    "visit_minutes",
    "popularity",
    "is_sample",
    "updated_at",
    "always_open",
    "commune__code",
    "commune__name",
    "commune__former_districts",
)


@dataclass(frozen=True, slots=True)
class PlaceListing:
    """What a list of places in the open API shows of each: the card's columns, its commune, interests and
    opening hours."""

    pk: int
    slug: str
    kind: str
    category: str
    former_district: str
    address: str
    lat: float
    lon: float
    location_verified: bool
    location_uncertainty_m: int | None
    visit_minutes: int
    popularity: int
    is_sample: bool
    updated_at: dt.datetime
    commune_code: int
    commune_name: str
    commune_former_districts: str
    name: str
    summary: str
    lang: str
    tags: tuple[str, ...]
    hours: Hours

    @property
    def location_precise(self) -> bool:
        return location_precise(self.location_verified, self.location_uncertainty_m)


_TAG_SLUGS = Prepared(
    lambda ids: Place.tags.through.objects.filter(place_id__in=ids)
    .order_by("tag__slug")
    .values_list("place_id", "tag__slug"),
    ids=list[int],
)
_RULE_ROWS = Prepared(
    lambda ids: OpeningRule.objects.filter(place_id__in=ids).order_by("pk").values_list("place_id", *RULE_COLUMNS),
    ids=list[int],
)
_CLOSURE_ROWS = Prepared(
    lambda ids: ClosureDate.objects.filter(place_id__in=ids).order_by().values_list("place_id", "date"),
    ids=list[int],
)


def place_listings(ids: Sequence[int], lang: str, *, published_only: bool = True) -> list[PlaceListing]:
    """Listings of the places `ids`, in that order (ids not found, unpublished or without a name are left
    out): four flat queries for any number of places, no model instances."""
    if not ids:
        return []
    found, _photos = _rows_with_texts(LISTING_COLUMNS, ids, lang, published_only)
    shown = [row[0] for row, _served, _values in found]
    tags: dict[int, list[str]] = {pk: [] for pk in shown}
    for place_id, slug in _TAG_SLUGS.rows(ids=shown):
        tags[place_id].append(slug)
    rules: dict[int, list[tuple]] = {pk: [] for pk in shown}
    for place_id, *rule in _RULE_ROWS.rows(ids=shown):
        rules[place_id].append(tuple(rule))
    closed: dict[int, list[dt.date]] = {pk: [] for pk in shown}
    for place_id, day in _CLOSURE_ROWS.rows(ids=shown):
        closed[place_id].append(day)
    listings = []
    for row, served, values in found:
        pk = row[0]
        *columns, always_open, code, commune, former = row
        listings.append(
            PlaceListing(
                *columns,
                commune_code=code,
                commune_name=commune,
                commune_former_districts=former,
                name=values["name"],
                summary=values.get("summary", ""),
                lang=served,
                tags=tuple(tags[pk]),
                hours=hours_of(rules[pk], always_open, closed[pk]),
            )
        )
    return listings


def listing_of(place: Place, lang: str) -> PlaceListing:
    """The listing of a place already loaded with its translations, commune, tags and hours (a detail page)."""
    return PlaceListing(
        *(getattr(place, name) for name in LISTING_COLUMNS[:14]),
        commune_code=place.commune.code,
        commune_name=place.commune.name,
        commune_former_districts=place.commune.former_districts,
        name=translated(place, "name", lang),
        summary=translated(place, "summary", lang),
        lang=served_language(place, lang),
        tags=tuple(tag.slug for tag in place.tags.all()),
        hours=place.hours(),
    )


def names(model: type, ids: Iterable[int], lang: str) -> dict[int, str]:
    """{id: name in `lang` or its fallbacks} for Event, Specialty, Place or Tag objects."""
    return {pk: row["name"] for pk, (_code, row) in texts(model, ids, lang, ("name",)).items()}



def published_names(model: type, lang: str) -> dict[int, str]:
    """{id: name in `lang` or its fallbacks} of every published object of `model`, in one query over the
    translation rows of the chain (no list of ids: the map of all places at 100,000 places stays one
    query)."""
    chain = fallback_chain(lang)
    rank = {code: i for i, code in enumerate(chain)}
    rows = (
        model._parler_meta.root_model.objects.filter(master__status=Status.PUBLISHED, language_code__in=chain)
        .exclude(name="")
        .order_by()
        .values_list("master_id", "language_code", "name")
    )
    best: dict[int, tuple[int, str]] = {}
    for master, code, name in rows:
        if master not in best or rank[code] < best[master][0]:
            best[master] = (rank[code], name)
    return {master: name for master, (_rank, name) in best.items()}
