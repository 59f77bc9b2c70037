"""Indexing catalogue items and answering searches, on SQLite (FTS5) or PostgreSQL (pg_trgm).

Both backends receive the same expanded query (folded words, typo alternatives, split runs) from
`fuzzy.expand`, match whole-word prefixes, and rank by text relevance plus popularity; distance filtering,
facets and paging are shared Python/SQL around them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from xuthanh.catalog.models import Event, Place, Specialty, Tour
from xuthanh.catalog.models.base import TranslatedContent
from xuthanh.core.geo import haversine_km
from xuthanh.core.models import Status
from xuthanh.core.text import fold
from xuthanh.search import fuzzy
from xuthanh.search.models import SearchDocument

KINDS: dict[str, type[TranslatedContent]] = {
    "place": Place,
    "event": Event,
    "specialty": Specialty,
    "tour": Tour,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}
MAX_QUERY_WORDS = 8
MAX_CANDIDATES = 2000
_VERSION_KEY = "search:version"


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    slug: str
    category: str
    score: float
    distance_km: float | None = None


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    expanded: list[list[str]] = field(default_factory=list)


# ---- indexing ---------------------------------------------------------------------------------------------


def _spaced(text: str) -> str:
    return " " + " ".join(dict.fromkeys(fold(text).split()))


def document_fields(item: TranslatedContent) -> dict[str, Any]:
    translations = list(item.translations.all())
    names = [t.name for t in translations] + [item.slug.replace("-", " ")]
    body: list[str] = []
    for t in translations:
        body += [getattr(t, "summary", "") or "", getattr(t, "origin", "") or ""]
    body += [tag.slug for tag in item.tags.all()]
    for tag in item.tags.all():
        body += [t.name for t in tag.translations.all()]
    body += item.extra_search_terms()
    lat = lon = None
    category = ""
    if isinstance(item, Place):
        lat, lon, category = item.lat, item.lon, item.kind
        body += [item.category, item.get_category_display()]
    elif isinstance(item, Event):
        location = item.location
        lat, lon = location if location else (None, None)
        category = item.kind
    elif isinstance(item, Specialty):
        category = item.kind
    return {
        "slug": item.slug,
        "category": category,
        "names": _spaced(" ".join(names)),
        "body": _spaced(" ".join(b for b in body if b)),
        "popularity": item.popularity,
        "lat": lat,
        "lon": lon,
    }


def _bump_version() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, timeout=None)


def index_item(item: TranslatedContent) -> None:
    """Add or refresh one item; unpublished items are removed from the index."""
    kind = KIND_OF.get(type(item))
    if kind is None or item.pk is None:
        return
    if item.status != Status.PUBLISHED:
        remove_item(item)
        return
    SearchDocument.objects.update_or_create(kind=kind, object_id=item.pk, defaults=document_fields(item))
    transaction.on_commit(_bump_version)


def remove_item(item: TranslatedContent) -> None:
    kind = KIND_OF.get(type(item))
    if kind is not None and SearchDocument.objects.filter(kind=kind, object_id=item.pk).delete()[0]:
        transaction.on_commit(_bump_version)


def reindex(progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole index from the published catalogue."""
    total = sum(model.objects.filter(status=Status.PUBLISHED).count() for model in KINDS.values())
    done = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for kind, model in KINDS.items():
            qs = model.objects.filter(status=Status.PUBLISHED).prefetch_related(
                "translations", "tags__translations"
            )
            if model in (Place, Specialty, Event):
                qs = qs.select_related("commune")
            rows = []
            for item in qs.iterator(chunk_size=batch):
                rows.append(SearchDocument(kind=kind, object_id=item.pk, **document_fields(item)))
                if len(rows) >= batch:
                    SearchDocument.objects.bulk_create(rows)
                    done += len(rows)
                    rows = []
                    if progress:
                        progress(done, total)
            SearchDocument.objects.bulk_create(rows)
            done += len(rows)
            if progress:
                progress(done, total)
    _bump_version()
    return done


# ---- vocabulary ---------------------------------------------------------------------------------------------

_vocabulary: tuple[Any, fuzzy.Vocabulary] | None = None


def vocabulary() -> fuzzy.Vocabulary:
    """Words of the indexed names, rebuilt in this process when the index changed."""
    global _vocabulary
    version = cache.get(_VERSION_KEY, 0)
    if _vocabulary is not None and _vocabulary[0] == version:
        return _vocabulary[1]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT term FROM search_vocab WHERE col = 'names'")
        else:
            cursor.execute(
                "SELECT DISTINCT w FROM search_searchdocument, unnest(string_to_array(trim(names), ' ')) w"
            )
        terms = [row[0] for row in cursor.fetchall()]
    _vocabulary = (version, fuzzy.Vocabulary(terms))
    return _vocabulary[1]


# ---- querying -----------------------------------------------------------------------------------------------


def _filters_sql(
    kinds: Iterable[str] | None, categories: Iterable[str] | None, box: tuple | None
) -> tuple[str, list]:
    sql, params = "", []
    kinds, categories = list(kinds or []), list(categories or [])
    if kinds:
        sql += f" AND d.kind IN ({','.join(['%s'] * len(kinds))})"
        params += kinds
    if categories:
        sql += f" AND d.category IN ({','.join(['%s'] * len(categories))})"
        params += categories
    if box:
        sql += " AND d.lat BETWEEN %s AND %s AND d.lon BETWEEN %s AND %s"
        params += list(box)
    return sql, params


def _sqlite_match(groups: list[list[str]], *, names_only: bool) -> str:
    parts = []
    for group in groups:
        alternatives = " OR ".join(f'"{word}"*' for word in group)
        parts.append(f"({alternatives})")
    expression = " AND ".join(parts)
    return f"names : ({expression})" if names_only else expression


def _rows(
    groups: list[list[str]], folded: str, *, names_only: bool, filters: tuple[str, list], limit: int
) -> list:
    where, params = filters
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(  # only placeholders and fixed fragments are formatted in
                "SELECT d.kind, d.object_id, d.slug, d.category, d.lat, d.lon, "  # noqa: S608
                "-bm25(search_fts, 10.0, 1.0) + d.popularity / 25.0 AS score "
                "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s{where} ORDER BY score DESC LIMIT %s",
                [_sqlite_match(groups, names_only=names_only), *params, limit],
            )
        else:
            clauses, like_params = [], []
            for group in groups:
                ors = []
                for word in group:
                    ors.append("d.names LIKE %s" if names_only else "(d.names LIKE %s OR d.body LIKE %s)")
                    like_params += [f"% {word}%"] * (1 if names_only else 2)
                clauses.append("(" + " OR ".join(ors) + ")")
            cursor.execute(  # only placeholders and fixed fragments are formatted in
                "SELECT d.kind, d.object_id, d.slug, d.category, d.lat, d.lon, "  # noqa: S608
                "word_similarity(%s, d.names) * 10 + similarity(d.names, %s) * 5 + d.popularity / 25.0 AS score "
                f"FROM search_searchdocument d WHERE {' AND '.join(clauses)}{where} "
                "ORDER BY score DESC, d.slug LIMIT %s",
                [folded, folded, *like_params, *params, limit],
            )
        return cursor.fetchall()


def search(
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    near: tuple[float, float] | None = None,
    radius_km: float | None = None,
    offset: int = 0,
    limit: int = 20,
    max_candidates: int = MAX_CANDIDATES,
) -> Results:
    """Ranked hits for `query` (any language, any accents), optionally filtered and sorted by distance."""
    words = fold(query).split()[:MAX_QUERY_WORDS]
    if not words:
        return Results(hits=[], total=0)
    groups = fuzzy.expand(words, vocabulary())
    box = None
    if near and radius_km:
        dlat = radius_km / 110.57
        dlon = radius_km / max(0.01, 111.32 * math.cos(math.radians(near[0])))
        box = (near[0] - dlat, near[0] + dlat, near[1] - dlon, near[1] + dlon)
    rows = _rows(
        groups,
        " ".join(words),
        names_only=False,
        filters=_filters_sql(kinds, categories, box),
        limit=max_candidates,
    )
    hits = []
    for kind, object_id, slug, category, lat, lon, score in rows:
        distance = haversine_km(near[0], near[1], lat, lon) if near and lat is not None else None
        if radius_km and near and (distance is None or distance > radius_km):
            continue
        hits.append(Hit(kind, object_id, slug, category, float(score), distance))
    if near and radius_km:
        hits.sort(key=lambda hit: (hit.distance_km, -hit.score))
    facets: dict[str, dict[str, int]] = {"kind": {}, "category": {}}
    for hit in hits:
        facets["kind"][hit.kind] = facets["kind"].get(hit.kind, 0) + 1
        if hit.category:
            facets["category"][hit.category] = facets["category"].get(hit.category, 0) + 1
    return Results(hits=hits[offset : offset + limit], total=len(hits), facets=facets, expanded=groups)


def autocomplete(prefix: str, *, limit: int = 8, kinds: Iterable[str] | None = None) -> list[Hit]:
    """Names starting with what was typed so far (the last word may be partial), best first."""
    words = fold(prefix).split()[:MAX_QUERY_WORDS]
    if not words:
        return []
    vocab = vocabulary()
    groups = fuzzy.expand(words[:-1], vocab) + [[words[-1]]]
    rows = _rows(
        groups, " ".join(words), names_only=True, filters=_filters_sql(kinds, None, None), limit=limit
    )
    if not rows and len(words[-1]) >= 4:  # a typo in the word being typed
        groups = fuzzy.expand(words, vocab)
        rows = _rows(
            groups, " ".join(words), names_only=True, filters=_filters_sql(kinds, None, None), limit=limit
        )
    return [
        Hit(kind, object_id, slug, category, float(score))
        for kind, object_id, slug, category, _la, _lo, score in rows
    ]


def load(hits: Iterable[Hit]) -> list[tuple[Hit, TranslatedContent]]:
    """The catalogue objects behind hits, in hit order (items deleted meanwhile are skipped)."""
    hits = list(hits)
    by_kind: dict[str, dict[int, TranslatedContent]] = {}
    for kind, model in KINDS.items():
        ids = [h.object_id for h in hits if h.kind == kind]
        if ids:
            qs = model.objects.filter(pk__in=ids).prefetch_related("translations")
            by_kind[kind] = {obj.pk: obj for obj in qs}
    return [(h, by_kind[h.kind][h.object_id]) for h in hits if h.object_id in by_kind.get(h.kind, {})]
