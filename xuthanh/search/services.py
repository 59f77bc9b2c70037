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
from django.utils import translation

from xuthanh.catalog.cards import texts
from xuthanh.catalog.models import Event, Place, Specialty, Tour
from xuthanh.catalog.models.base import TranslatedContent
from xuthanh.core import bulk
from xuthanh.core.geo import haversine_km
from xuthanh.core.models import Status
from xuthanh.core.text import fold
from xuthanh.search import fuzzy
from xuthanh.search.models import NameEntry, SearchDocument

KINDS: dict[str, type[TranslatedContent]] = {
    "place": Place,
    "event": Event,
    "specialty": Specialty,
    "tour": Tour,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}
MAX_QUERY_WORDS = 8
MAX_CANDIDATES = 2000
# Autocomplete's fallback (typed words not consecutive in a name, or a typo) ranks at most this many
# full-text matches, taken in index order: bounded work however common the words are.
AUTOCOMPLETE_CANDIDATES = 500
# A search ranks at most this many matches whose names hold the words and this many others, each taken in
# index order (SQLite): words common in 100,000 names ("thanh", "ho"…) match thousands of items, and scoring
# them all took 70 ms; the items named by the words are ranked whatever else matches. Its total is then a
# count of the ranked matches, not of every match.
SEARCH_CANDIDATES = 300
PHRASE_MAX = 100  # NameEntry.phrase
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


_labels: dict[tuple[str | None, str], str] = {}


def _category_label(place: Place) -> str:
    """The place's category label in the active language, remembered (a reindex asks 100,000 times)."""
    key = (translation.get_language(), place.category)
    label = _labels.get(key)
    if label is None:
        label = _labels[key] = str(place.get_category_display())
    return label


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
        body += [item.category, _category_label(item)]
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


def name_entries(item: TranslatedContent, fields: dict[str, Any], kind: str) -> list[NameEntry]:
    """Autocomplete rows of one item: each name (every language, and the slug) from each word to its end."""
    names = [fold(t.name).split() for t in item.translations.all()]
    slug = item.slug.split("-")
    if not any(words and slug[: len(words)] == words for words in names):  # not just a name with a suffix
        names.append(slug)
    phrases: dict[str, int] = {}
    for words in names:
        for position in range(len(words)):
            phrase = " ".join(words[position:])[:PHRASE_MAX]
            phrases[phrase] = min(position, phrases.get(phrase, position))
    common = {
        "kind": kind,
        "object_id": item.pk,
        "slug": fields["slug"],
        "category": fields["category"],
        "popularity": fields["popularity"],
    }
    return [NameEntry(phrase=phrase, position=position, **common) for phrase, position in phrases.items()]


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
    fields = document_fields(item)
    with transaction.atomic():
        SearchDocument.objects.update_or_create(kind=kind, object_id=item.pk, defaults=fields)
        NameEntry.objects.filter(kind=kind, object_id=item.pk).delete()
        NameEntry.objects.bulk_create(name_entries(item, fields, kind))
    transaction.on_commit(_bump_version)


def loaded_for_index(model: type[TranslatedContent], pks: list[int]) -> Any:
    """The items with what their documents are made of, in four queries (for `index_loaded`, after a bulk
    write that sends no signals)."""
    qs = model.objects.filter(pk__in=pks).prefetch_related("translations", "tags__translations")
    return qs.select_related("commune") if model in (Place, Specialty, Event) else qs


def index_loaded(model: type[TranslatedContent], pks: list[int], items: list[TranslatedContent]) -> int:
    """Rebuild the documents of `pks` from `items` (loaded by `loaded_for_index`): the published ones are
    indexed, the others removed."""
    kind = KIND_OF[model]
    rows, entries = [], []
    for item in items:
        if item.status == Status.PUBLISHED:
            fields = document_fields(item)
            rows.append(SearchDocument(kind=kind, object_id=item.pk, **fields))
            entries += name_entries(item, fields, kind)
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, object_id__in=pks).delete()
        NameEntry.objects.filter(kind=kind, object_id__in=pks).delete()
        # executemany of one INSERT (core.bulk): bulk_create's statement per batch cost an agency's import of
        # 5,000 records 5 s of its 16 (bench/desk.py)
        bulk.insert_all(SearchDocument, rows)
        bulk.insert_all(NameEntry, entries)
    transaction.on_commit(_bump_version)
    return len(rows)


def remove_item(item: TranslatedContent) -> None:
    kind = KIND_OF.get(type(item))
    if kind is None:
        return
    NameEntry.objects.filter(kind=kind, object_id=item.pk).delete()
    if SearchDocument.objects.filter(kind=kind, object_id=item.pk).delete()[0]:
        transaction.on_commit(_bump_version)


def reindex(progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole index from the published catalogue."""
    total = sum(model.objects.filter(status=Status.PUBLISHED).count() for model in KINDS.values())
    done = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        NameEntry.objects.all().delete()
        for kind, model in KINDS.items():
            qs = model.objects.filter(status=Status.PUBLISHED).prefetch_related("translations", "tags__translations")
            if model in (Place, Specialty, Event):
                qs = qs.select_related("commune")
            rows, entries = [], []
            for item in qs.iterator(chunk_size=batch):
                fields = document_fields(item)
                rows.append(SearchDocument(kind=kind, object_id=item.pk, **fields))
                entries += name_entries(item, fields, kind)
                if len(rows) >= batch:
                    SearchDocument.objects.bulk_create(rows)
                    NameEntry.objects.bulk_create(entries, batch_size=batch * 4)
                    done += len(rows)
                    rows, entries = [], []
                    if progress:
                        progress(done, total)
            SearchDocument.objects.bulk_create(rows)
            NameEntry.objects.bulk_create(entries, batch_size=batch * 4)
            done += len(rows)
            if progress:
                progress(done, total)
    with connection.cursor() as cursor:  # planner statistics for the rebuilt tables
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute("ANALYZE search_nameentry")
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
            cursor.execute("SELECT DISTINCT w FROM search_searchdocument, unnest(string_to_array(trim(names), ' ')) w")
        terms = [row[0] for row in cursor.fetchall()]
    _vocabulary = (version, fuzzy.Vocabulary(terms))
    return _vocabulary[1]


# ---- querying -----------------------------------------------------------------------------------------------


def _filters_sql(kinds: Iterable[str] | None, categories: Iterable[str] | None, box: tuple | None) -> tuple[str, list]:
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


def _sqlite_match(groups: list[list[str]], *, names_only: bool, whole: frozenset[str] = frozenset()) -> str:
    """The FTS5 query: every group (a typed word and its alternatives) must match; a word of `whole` as the
    whole word, any other as the start of a word."""
    parts = []
    for group in groups:
        alternatives = " OR ".join(f'"{word}"' if word in whole else f'"{word}"*' for word in group)
        parts.append(f"({alternatives})")
    expression = " AND ".join(parts)
    return f"names : ({expression})" if names_only else expression


def _rows(
    groups: list[list[str]],
    folded: str,
    *,
    names_only: bool,
    filters: tuple[str, list],
    limit: int,
    candidates: int | None = None,
    names_first: int | None = None,
    whole: frozenset[str] = frozenset(),
) -> list:
    """Ranked (kind, object_id, slug, category, lat, lon, score) rows; with `candidates`, only that many
    matches (in index order) are ranked, so the cost does not grow with how many items match; with
    `names_first` (SQLite), that many matches in names and that many others (each in index order)."""
    where, params = filters
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = _sqlite_match(groups, names_only=names_only, whole=whole)
            if names_first:
                ranked = "SELECT rowid AS id, -bm25(search_fts, 10.0, 1.0) AS relevance FROM search_fts"
                source = (
                    f"(SELECT id, MAX(relevance) AS relevance FROM (SELECT * FROM ({ranked} WHERE search_fts "  # noqa: S608
                    f"MATCH %s LIMIT %s) UNION ALL SELECT * FROM ({ranked} WHERE search_fts MATCH %s LIMIT %s)) "
                    "GROUP BY id) m JOIN search_searchdocument d ON d.id = m.id WHERE 1 = 1"
                )
                source_params = [_sqlite_match(groups, names_only=True, whole=whole), names_first, match, names_first]
            elif candidates:
                source = (
                    "(SELECT rowid AS id, -bm25(search_fts, 10.0, 1.0) AS relevance FROM search_fts "
                    "WHERE search_fts MATCH %s LIMIT %s) m JOIN search_searchdocument d ON d.id = m.id "
                    "WHERE 1 = 1"
                )
                source_params = [match, candidates]
            else:
                source = (
                    "(SELECT rowid AS id, -bm25(search_fts, 10.0, 1.0) AS relevance FROM search_fts "
                    "WHERE search_fts MATCH %s) m JOIN search_searchdocument d ON d.id = m.id WHERE 1 = 1"
                )
                source_params = [match]
            cursor.execute(  # only placeholders and fixed fragments are formatted in
                "SELECT d.kind, d.object_id, d.slug, d.category, d.lat, d.lon, "  # noqa: S608
                f"m.relevance + d.popularity / 25.0 AS score FROM {source}{where} ORDER BY score DESC LIMIT %s",
                [*source_params, *params, limit],
            )
        else:
            clauses, like_params = [], []
            for group in groups:
                ors = []
                for word in group:
                    ors.append("d.names LIKE %s" if names_only else "(d.names LIKE %s OR d.body LIKE %s)")
                    like_params += [f"% {word}%"] * (1 if names_only else 2)
                clauses.append("(" + " OR ".join(ors) + ")")
            source, bound = "search_searchdocument d", []
            if candidates:
                source = f"(SELECT * FROM search_searchdocument d WHERE {' AND '.join(clauses)} LIMIT %s) d"  # noqa: S608
                like_params, bound = [], [*like_params, candidates]
                clauses = ["TRUE"]
            cursor.execute(  # only placeholders and fixed fragments are formatted in
                "SELECT d.kind, d.object_id, d.slug, d.category, d.lat, d.lon, "  # noqa: S608
                "word_similarity(%s, d.names) * 10 + similarity(d.names, %s) * 5 + d.popularity / 25.0 AS score "
                f"FROM {source} WHERE {' AND '.join(clauses)}{where} "
                "ORDER BY score DESC, d.slug LIMIT %s",
                [folded, folded, *bound, *like_params, *params, limit],
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
    known = vocabulary()
    groups = fuzzy.expand(words, known)
    # A word that is an indexed word is searched as that word ("ho" is not "hoa", "hong"…: at 100,000 places
    # such prefixes match tens of thousands of items, and ranking them cost 30 ms); a word that is not one
    # (still being typed, or cut short) as the start of a word.
    whole = frozenset(word for group in groups for word in group if word in known)
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
        names_first=SEARCH_CANDIDATES,  # SQLite
        candidates=2 * SEARCH_CANDIDATES,  # PostgreSQL: as many matches, in the trigram index's order
        whole=whole,
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


def _phrase_rows(typed: str, kinds: list[str], limit: int) -> list[Hit]:
    """Items with a name containing `typed` as consecutive words (the last one possibly partial), from the
    NameEntry prefix index; names that start with it first, then by popularity. The best entries are ranked
    inside the index (it holds the ranking columns), then only those rows are read: a one-letter prefix
    matching most of 100,000 places costs a scan of index entries, not of rows."""
    kind_sql = f" AND kind IN ({','.join(['%s'] * len(kinds))})" if kinds else ""
    if connection.vendor == "sqlite":
        match, params = "phrase >= %s AND phrase < %s", [typed, typed + "\U0010ffff"]
    else:
        match, params = "phrase LIKE %s", [connection.ops.prep_for_like_query(typed) + "%"]
    hits: dict[tuple[str, int], Hit] = {}
    entries = limit * 10  # an item has several entries (names, languages): enough for `limit` items
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(  # only placeholders and fixed fragments are formatted in
                "SELECT e.kind, e.object_id, e.slug, e.category, best.score FROM ("  # noqa: S608
                "SELECT id, popularity / 25.0 + CASE WHEN position = 0 THEN 2.0 ELSE 0.0 END AS score "
                f"FROM search_nameentry WHERE {match}{kind_sql} ORDER BY score DESC LIMIT %s) best "
                "JOIN search_nameentry e ON e.id = best.id ORDER BY best.score DESC, e.slug",
                [*params, *kinds, entries],
            )
            rows = cursor.fetchall()
        hits = {}
        for kind, object_id, slug, category, score in rows:
            hits.setdefault((kind, object_id), Hit(kind, object_id, slug, category, float(score)))
        if len(hits) >= limit or len(rows) < entries:
            break
        entries *= 8
    return list(hits.values())[:limit]


def autocomplete(prefix: str, *, limit: int = 8, kinds: Iterable[str] | None = None) -> list[Hit]:
    """Names starting with what was typed so far (the last word may be partial), best first.

    First the typed words as they stand in a name (an indexed prefix range, fast at any size); when that
    gives fewer than `limit` names, the full-text index adds names holding every word anywhere (earlier
    words corrected for typos or split), and, if nothing matched at all, the last word corrected too. Those
    fallbacks rank at most AUTOCOMPLETE_CANDIDATES matches."""
    words = fold(prefix).split()[:MAX_QUERY_WORDS]
    if not words:
        return []
    kinds = list(kinds or [])
    hits = _phrase_rows(" ".join(words)[:PHRASE_MAX], kinds, limit)
    if len(hits) >= limit:
        return hits
    vocab = vocabulary()
    filters = _filters_sql(kinds, None, None)
    groups = fuzzy.expand(words[:-1], vocab) + [[words[-1]]]
    options = {"names_only": True, "filters": filters, "limit": limit, "candidates": AUTOCOMPLETE_CANDIDATES}
    rows = _rows(groups, " ".join(words), **options)
    if not rows and not hits and len(words[-1]) >= 4:  # a typo in the word being typed
        rows = _rows(fuzzy.expand(words, vocab), " ".join(words), **options)
    seen = {(hit.kind, hit.object_id) for hit in hits}
    for kind, object_id, slug, category, _la, _lo, score in rows:
        if (kind, object_id) not in seen and len(hits) < limit:
            seen.add((kind, object_id))
            hits.append(Hit(kind, object_id, slug, category, float(score)))
    return hits


def hit_texts(hits: Iterable[Hit], lang: str) -> list[tuple[Hit, dict[str, str]]]:
    """Each hit with the name and summary of its object in `lang` or its fallback languages (one flat query
    of translation rows per kind, `catalog.cards.texts`), in hit order; objects deleted meanwhile, or with no
    name in the chain, are left out."""
    hits = list(hits)
    found: dict[str, dict[int, tuple[str, dict[str, str]]]] = {}
    for kind, model in KINDS.items():
        ids = [h.object_id for h in hits if h.kind == kind]
        if ids:
            found[kind] = texts(model, ids, lang)
    return [(h, found[h.kind][h.object_id][1]) for h in hits if h.object_id in found.get(h.kind, {})]
