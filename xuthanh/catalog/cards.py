"""Light rows for showing many catalogue items at once (lists, nearby places, highlights, map points, hubs):
a few columns of each item and its texts in the reader's language, read with two flat queries and no model
instances, so a page of 24 cards costs what its rows cost and not what building 24 translated models does.

The texts follow the same fallback as the models (django-parler): the first language of the reader's chain
(`core.languages.fallback_chain`) that has a translation row with a name gives every text of the card, and
the card says which language that was (`lang`), so a page can mark a text shown in another language.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from xuthanh.catalog.models import Place
from xuthanh.core.languages import fallback_chain
from xuthanh.core.models import Status
from xuthanh.core.prepared import Prepared

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
    chain = fallback_chain(lang)
    rank = {code: i for i, code in enumerate(chain)}
    columns = ("master_id", "language_code", *dict.fromkeys(("name", *fields)))
    rows = _texts_query(model, columns).rows(ids=list(ids), chain=chain)
    best: dict[int, tuple[int, str, dict[str, str]]] = {}
    for master, code, *values in rows:
        row = dict(zip(columns[2:], values, strict=True))
        if not row["name"]:
            continue
        current = best.get(master)
        if current is None or rank[code] < current[0]:
            best[master] = (rank[code], code, row)
    return {master: (code, row) for master, (_rank, code, row) in best.items()}


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


_PLACE_ROWS = Prepared(
    lambda ids: Place.objects.filter(pk__in=ids).order_by().values_list("status", *PLACE_COLUMNS), ids=list[int]
)


def url_maker(viewname: str) -> Any:
    """A function slug → URL of `viewname` in the active language, from one reverse() per call site."""
    marker = "slug-marker"
    template = reverse(viewname, args=[marker])
    head, tail = template.split(marker, 1)
    return lambda slug: f"{head}{slug}{tail}"


def place_cards(ids: Sequence[int], lang: str, *, published_only: bool = True) -> list[PlaceCard]:
    """Cards of the places `ids`, in that order (ids not found, unpublished or without a name are left
    out)."""
    if not ids:
        return []
    rows = {
        row[1]: row[1:] for row in _PLACE_ROWS.rows(ids=list(ids)) if row[0] == Status.PUBLISHED or not published_only
    }
    found = texts(Place, rows, lang)
    url = url_maker("portal:place_detail")
    categories, kinds = choice_labels(lang)
    cards = []
    for pk in ids:
        row, text = rows.get(pk), found.get(pk)
        if row is None or text is None:
            continue
        served, values = text
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
            )
        )
    return cards


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
