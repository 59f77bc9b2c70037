"""Reads of the translation desk: the queues a user may work on, their counts, the editor's view of one
record, and coverage over time."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Max, Model, Q, QuerySet

from xuthanh.catalog.selectors import (
    TRANSLATION_STATES,
    published_q,
    translatable,
    translation_coverage,
    translation_main_field,
    translation_state,
    translation_state_counts,
    with_translation_state,
)
from xuthanh.core.languages import LANG_CODES
from xuthanh.core.pagecache import content_version
from xuthanh.core.text import fold
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Organisation
from xuthanh.translations import glossary, memory
from xuthanh.translations.models import CoverageSnapshot, GlossaryTerm, TranslationBatch
from xuthanh.translations.registry import CONTENT, FieldSpec, field_specs, has_field, kind_of

TARGET_LANGUAGES = tuple(code for code in LANG_CODES if code != settings.SOURCE_LANGUAGE)
PLAN_LANGUAGES = ("en", "zh-hans")  # the plan's target: every published record reviewed in these


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    unit: Organisation | None = None
    commune_id: int | None = None
    kind: str = ""
    published_only: bool = False
    batch: TranslationBatch | None = None
    q: str = ""


def batch_items(user: Any, model: type[Model]) -> list[int]:
    """Records of `model` in open batches sent to the user's agencies."""
    orgs = [m.organisation_id for m in permissions.memberships(user)]
    if not orgs:
        return []
    kind = kind_of(model)
    pks: list[int] = []
    for items in TranslationBatch.objects.filter(agency_id__in=orgs, state=TranslationBatch.State.SENT).values_list(
        "items", flat=True
    ):
        pks.extend(items.get(kind, []))
    return pks


def visible(user: Any, model: type[Model]) -> QuerySet:
    """The records of `model` the user may translate: its units' scope (orgs.permissions, translator role or
    above) and the records of batches sent to its agencies."""
    scope = permissions.scope_q(user, model, permissions.TRANSLATE_ROLES)
    batch = batch_items(user, model)
    q = scope if scope is not None else Q(pk__in=[])
    if batch:
        q = q | Q(pk__in=batch)
    if scope is None and not batch:
        return model.objects.none()
    return translatable(model).filter(q)


def may_translate(user: Any, obj: Model) -> bool:
    return permissions.can_translate(user, obj) or obj.pk in batch_items(user, type(obj))


def unit_q(model: type[Model], unit: Organisation) -> Q:
    """Records a unit is responsible for (its communes, the sites it manages, what it operates)."""
    q = Q(pk__in=[])
    commune_path = getattr(model, "SCOPE_COMMUNE", None)
    if commune_path:
        q |= Q(**{f"{commune_path}__in": unit.communes.all()})
    for attr in ("SCOPE_SITE", "SCOPE_OPERATOR"):
        path = getattr(model, attr, None)
        if path:
            q |= Q(**{path: unit})
    return q


def _filtered(user: Any, model: type[Model], filters: QueueFilters) -> QuerySet:
    qs = visible(user, model)
    if filters.unit is not None:
        qs = qs.filter(unit_q(model, filters.unit))
    if filters.commune_id and getattr(model, "SCOPE_COMMUNE", None):
        qs = qs.filter(**{model.SCOPE_COMMUNE: filters.commune_id})
    if filters.kind and hasattr(model, "kind"):
        qs = qs.filter(kind=filters.kind)
    if filters.published_only:
        qs = qs.filter(published_q(model))
    if filters.batch is not None:
        qs = qs.filter(pk__in=filters.batch.items.get(kind_of(model), []))
    if has_field(model, "search_text"):
        for word in fold(filters.q).split()[:8]:  # a name in any language, with or without accents
            qs = qs.filter(search_text__contains=word)
    else:  # content without a search text (the guide's): its main field in any language, as typed
        main = translation_main_field(model)
        for word in filters.q.split()[:8]:
            qs = qs.filter(pk__in=model._parler_meta.root_model.objects.filter(
                **{f"{main}__icontains": word}).values("master_id"))
    return qs


def queue(user: Any, model: type[Model], lang: str, filters: QueueFilters) -> QuerySet:
    """The records to show in a queue, each with `tr_state`; the newest first (the primary key's index gives the
    first page without ranking the whole table). Only the columns a
    queue shows are read: the database sorts narrow rows, not whole records (their search text)."""
    columns = [name for name in ("slug", "updated_at", "status") if has_field(model, name)]
    qs = with_translation_state(_filtered(user, model, filters).only("pk", *columns), lang)
    if filters.state:
        qs = qs.filter(tr_state=filters.state)
    return qs.order_by("-pk")


_COUNTS: dict[tuple, dict[str, dict[str, int]]] = {}


def _scope_signature(user: Any) -> tuple:
    """What decides which records a user sees: the units and roles, and the open batches of its agencies."""
    units = tuple(sorted((m.organisation_id, m.role) for m in permissions.memberships(user)))
    batches = (
        tuple(
            TranslationBatch.objects.filter(
                agency_id__in=[unit for unit, _role in units], state=TranslationBatch.State.SENT
            ).values_list("pk", flat=True)
        )
        if units
        else ()
    )
    return (getattr(user, "pk", None), permissions.is_platform_admin(user), units, batches)


def queue_counts(user: Any, lang: str, filters: QueueFilters) -> dict[str, dict[str, int]]:
    """Per content type: how many records are in each state for `lang` (the filters but the state apply).
    Kept per content version (every content write, translations included, bumps it) and user scope: a
    translator moving through a queue does not count 100,000 rows again on every page."""
    key = (
        content_version(),
        _scope_signature(user),
        lang,
        filters.unit.pk if filters.unit else None,
        filters.commune_id,
        filters.kind,
        filters.published_only,
        filters.batch.pk if filters.batch else None,
        filters.q,
    )
    counts = _COUNTS.get(key)
    if counts is None:
        counts = {
            kind: translation_state_counts(_filtered(user, model, filters), lang) for kind, model in CONTENT.items()
        }
        if len(_COUNTS) >= 1024:
            _COUNTS.clear()
        _COUNTS[key] = counts
    return counts


# ---- the editor -------------------------------------------------------------------------------------------


@dataclass
class EditorField:
    spec: FieldSpec
    source: str
    target: str
    previous_source: str | None  # the Vietnamese the translation was made from, when it has changed since
    diff: list[tuple[str, str]]  # ("equal"|"insert"|"delete", words) from previous to current source
    pieces: list[tuple[str, Any]]  # the source cut at glossary terms
    flags: list[glossary.Flag]
    suggestions: list[memory.Suggestion] = field(default_factory=list)

    @property
    def outdated(self) -> bool:
        return self.previous_source is not None


@dataclass
class EditorView:
    obj: Model
    kind: str
    lang: str
    state: str
    status: str
    engine: str
    fields: list[EditorField]
    terms: list[tuple[glossary.Term, str]]  # the glossary's terms in the source, with their rendering


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """What changed from `before` to `after`, word by word."""
    a, b = _WORDS.findall(before or ""), _WORDS.findall(after or "")
    result: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            result.append(("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            result.append(("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            result.append(("insert", "".join(b[j1:j2])))
    return result


_GLOSSARY_CACHE: dict[tuple, glossary.Glossary] = {}


def current_glossary() -> glossary.Glossary:
    """The glossary's terms, compiled once per change of the glossary."""
    stamp = tuple(GlossaryTerm.objects.aggregate(n=Max("pk"), at=Max("updated_at")).values()) + (
        GlossaryTerm.objects.count(),
    )
    compiled = _GLOSSARY_CACHE.get(stamp)
    if compiled is None:
        terms = [
            glossary.Term(t.vi, t.renderings, t.kind, t.note, tuple(p.strip() for p in t.not_in.split("|")))
            for t in GlossaryTerm.objects.only("vi", "renderings", "kind", "note", "not_in")
        ]
        _GLOSSARY_CACHE.clear()
        compiled = _GLOSSARY_CACHE[stamp] = glossary.Glossary(terms)
    return compiled


def translation_row(obj: Model, lang: str) -> Any:
    return obj.translations.filter(language_code=lang).first()


def editor_view(obj: Model, lang: str, *, values: dict[str, str] | None = None, with_memory: bool = True) -> EditorView:
    """Source and translation field by field, with what changed in the source since, the glossary's terms
    and flags, and the memory's suggestions. `values` are a submitted form's texts (shown instead)."""
    model = type(obj)
    source_row = translation_row(obj, settings.SOURCE_LANGUAGE)
    target_row = translation_row(obj, lang)
    terms = current_glossary()
    kind = kind_of(model)
    fields = []
    found: dict[str, glossary.Term] = {}
    for spec in field_specs(model, lang):
        source = getattr(source_row, spec.name, "") or "" if source_row else ""
        target = (values or {}).get(spec.name, getattr(target_row, spec.name, "") if target_row else "") or ""
        previous = None
        if target_row and target_row.source_snapshot and target:
            before = target_row.source_snapshot.get(spec.name, "")
            if before != source:
                previous = before
        hits = terms.find(source)
        for hit in hits:
            found.setdefault(hit.term.vi, hit.term)
        fields.append(
            EditorField(
                spec=spec,
                source=source,
                target=target,
                previous_source=previous,
                diff=word_diff(previous, source) if previous is not None else [],
                pieces=glossary.highlight(source, hits),
                flags=terms.check(source, target, lang),
                suggestions=(
                    memory.suggest(lang, source, exclude_origin=f"{kind}:{obj.pk}:{spec.name}")
                    if with_memory and source
                    else []
                ),
            )
        )
    state = translation_state(obj, lang)
    return EditorView(
        obj=obj,
        kind=kind,
        lang=lang,
        state=state,
        status=target_row.translation_status if target_row else "",
        engine=target_row.engine if target_row else "",
        fields=fields,
        terms=[(term, term.renderings.get(lang, "")) for term in found.values()],
    )


# ---- coverage over time ------------------------------------------------------------------------------------


def coverage_now() -> dict[str, dict[str, dict[str, int]]]:
    """Published records per content type and language, by translation state."""
    result: dict[str, dict[str, dict[str, int]]] = {}
    for key, model in CONTENT.items():
        coverage = translation_coverage(model, only_published=True)
        result[key] = {lang: coverage[lang] for lang in TARGET_LANGUAGES}
    return result


def coverage_series(lang: str, since: dt.date) -> list[dict[str, Any]]:
    """Per day since `since`: the share of published records (all content types) reviewed, drafted,
    outdated and missing in `lang`, in percent."""
    days: dict[dt.date, dict[str, int]] = {}
    rows = CoverageSnapshot.objects.filter(language=lang, day__gte=since).values("day", "total", *TRANSLATION_STATES)
    for row in rows:
        day = days.setdefault(row["day"], dict.fromkeys(("total", *TRANSLATION_STATES), 0))
        for key in ("total", *TRANSLATION_STATES):
            day[key] += row[key]
    series = []
    for day in sorted(days):
        counts = days[day]
        total = counts["total"] or 1
        series.append(
            {"day": day.isoformat(), **{state: round(100 * counts[state] / total, 1) for state in TRANSLATION_STATES}}
        )
    return series
