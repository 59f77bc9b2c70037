"""Writes of the translation desk: saving a translation (as a draft or reviewed), machine drafts, the
glossary's import and the daily coverage figures. Every write checks the user's scope and is audited like
any back-office edit."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.catalog.selectors import translation_main_field, translation_state
from xuthanh.core import audit, bulk
from xuthanh.core.models import AuditEntry, TranslationStatus
from xuthanh.translations import machine
from xuthanh.translations.glossary import Flag
from xuthanh.translations.models import CoverageSnapshot, GlossaryTerm
from xuthanh.translations.registry import CONTENT, field_specs, has_field, kind_of, main_field_needed
from xuthanh.translations.selectors import (
    TARGET_LANGUAGES,
    coverage_now,
    current_glossary,
    may_translate,
    translation_row,
)

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.toml"


@dataclass
class SaveResult:
    saved: bool
    flags: dict[str, list[Flag]] = field(default_factory=dict)  # field → glossary flags
    errors: dict[str, str] = field(default_factory=dict)  # field → what is wrong


def _check_values(obj: Model, lang: str, values: dict[str, str]) -> dict[str, str]:
    errors = {}
    for spec in field_specs(type(obj), lang):
        value = values.get(spec.name, "")
        if spec.max_length and len(value) > spec.max_length:
            errors[spec.name] = _("%(field)s: at most %(max)s characters (this has %(n)s).") % {
                "field": spec.label,
                "max": spec.max_length,
                "n": len(value),
            }
    main = translation_main_field(type(obj))
    if not values.get(main, "").strip():
        errors[main] = main_field_needed(type(obj))
    return errors



def save_translation(
    user: Any,
    obj: Model,
    lang: str,
    values: dict[str, str],
    *,
    reviewed: bool,
    engine: str = "",
    note: str = "",
) -> SaveResult:
    """Store the translation of `obj` into `lang` (every text field at once, in one transaction), stamped
    with the current Vietnamese source. `reviewed` saves it as reviewed, otherwise as a draft (a machine
    draft when `engine` names the engine that wrote it). Glossary flags are returned, never blocking."""
    if lang not in TARGET_LANGUAGES:
        raise ValidationError(_("Unknown language “%(lang)s”.") % {"lang": lang})
    if user is not None and not may_translate(user, obj):
        raise PermissionDenied(_("You may not translate this record."))
    names = [spec.name for spec in field_specs(type(obj), lang)]
    values = {name: (values.get(name) or "").strip() for name in names}
    errors = _check_values(obj, lang, values)
    if errors:
        return SaveResult(saved=False, errors=errors)
    terms = current_glossary()
    source = translation_row(obj, settings.SOURCE_LANGUAGE)
    flags = {
        name: found
        for name in names
        if (found := terms.check(getattr(source, name, "") or "" if source else "", values[name], lang))
    }
    children = getattr(type(obj), "AUDIT_CHILDREN", ())
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = audit.snapshot(locked, children)
        row = locked._get_translated_model(lang, auto_create=True)
        for name in names:
            setattr(row, name, values[name])
        if reviewed:
            status = TranslationStatus.REVIEWED
        else:
            status = TranslationStatus.MACHINE if engine else TranslationStatus.DRAFT
        row.translation_status = status
        row.engine = engine
        row._xt_restamp = True  # saved even when unchanged: the translator confirms it against today's source
        row.save()
        if has_field(type(obj), "updated_at"):
            type(obj).objects.filter(pk=obj.pk).update(updated_at=timezone.now())
        if hasattr(locked, "refresh_search_text"):
            locked.refresh_search_text()
        audit.record(
            actor=user or "system",
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            before=before,
            children=children,
            note=note or _("translation desk: %(lang)s, %(status)s") % {"lang": lang, "status": status},
        )
    return SaveResult(saved=True, flags=flags)


def machine_draft(user: Any, obj: Model, lang: str, provider: machine.Provider | None = None) -> SaveResult:
    """Ask the engine for a draft of every field of `obj` and store it as a machine draft naming the engine.
    A current reviewed translation is never replaced. Raises MachineError (nothing stored) when the engine
    is not configured, down, slow or refuses."""
    provider = provider or machine.configured_provider()
    if provider is None:
        raise machine.MachineError(
            _("No machine translation engine is configured (MACHINE_TRANSLATION_URL); see docs/translation.md.")
        )
    if user is not None and not may_translate(user, obj):
        raise PermissionDenied(_("You may not translate this record."))
    if translation_state(obj, lang) == "reviewed":
        raise machine.MachineError(_("This translation is reviewed and current; a machine draft would replace it."))
    source = obj.translations.get(language_code=settings.SOURCE_LANGUAGE)
    names = [spec.name for spec in field_specs(type(obj), lang)]
    texts = [getattr(source, name) or "" for name in names]
    wanted = [i for i, text in enumerate(texts) if text.strip()]
    translated = provider.translate([texts[i] for i in wanted], settings.SOURCE_LANGUAGE, lang)
    values = dict.fromkeys(names, "")
    for i, text in zip(wanted, translated, strict=True):
        values[names[i]] = text
    return save_translation(user, obj, lang, values, reviewed=False, engine=provider.name, note=provider.name)


def _refresh_search(model: type[Model], pks: list[int]) -> None:
    """After a bulk write: the records' folded search text (their names in every language), change time and
    search documents, from one load of each 500 records."""
    from django.db import connection

    from xuthanh.search.services import index_loaded, loaded_for_index

    stamp = model._meta.get_field("updated_at").get_db_prep_value(timezone.now(), connection)
    # the table and column are the model's own, quoted; the values are parameters
    sql = (
        f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET search_text = %s, updated_at = %s "  # noqa: S608
        f"WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s"
    )
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        items = list(loaded_for_index(model, chunk))
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(item.build_search_text(), stamp, item.pk) for item in items])
        index_loaded(model, chunk, items)


def store_translations(user: Any, lang: str, items: list[tuple[Model, dict[str, str], bool]], note: str) -> int:
    """Many translations at once (an agency's batch): for each (record, texts, reviewed), the translation row
    is written stamped with the record's current Vietnamese, an audit entry names the changed fields, reviewed
    texts feed the memory, and the records' search text and index are refreshed — in bulk, in the caller's
    transaction. The records must come with their translations prefetched; callers check the scope."""
    from django.contrib.contenttypes.models import ContentType

    from xuthanh.core.middleware import current_ip
    from xuthanh.core.pagecache import bump_content_version
    from xuthanh.core.sourcetrack import digest, texts_of
    from xuthanh.translations import memory

    by_model: dict[type, list[tuple[Model, dict[str, str], bool]]] = {}
    for obj, values, reviewed in items:
        by_model.setdefault(type(obj), []).append((obj, values, reviewed))
    actor = user if getattr(user, "is_authenticated", False) else None
    written = 0
    for model, entries in by_model.items():
        root = model._parler_meta.root_model
        names = [spec.name for spec in field_specs(model, lang)]
        to_update, to_create, audits, remembered, pks = [], [], [], [], []
        content_type = ContentType.objects.get_for_model(model)
        for obj, values, reviewed in entries:
            rows = {t.language_code: t for t in obj.translations.all()}
            source_row = rows[settings.SOURCE_LANGUAGE]
            source = texts_of(source_row)
            row = rows.get(lang) or root(master_id=obj.pk, language_code=lang)
            before = {name: getattr(row, name) or "" for name in names} if row.pk else {}
            before_status = row.translation_status if row.pk else None
            for name in names:
                setattr(row, name, values.get(name, "") or "")
            row.translation_status = TranslationStatus.REVIEWED if reviewed else TranslationStatus.DRAFT
            row.engine = ""
            row.source_snapshot = source
            row.source_hash = source_row.source_hash or digest(source)
            (to_update if row.pk else to_create).append(row)
            changes = {
                f"{name}[{lang}]": [before.get(name), getattr(row, name)]
                for name in names
                if before.get(name) != getattr(row, name)
            }
            if before_status != row.translation_status:
                changes[f"translation_status[{lang}]"] = [before_status, row.translation_status]
            audits.append(
                AuditEntry(
                    actor=actor,
                    actor_repr=(actor.get_username() if actor else "system")[:150],
                    ip_address=current_ip.get(),
                    action=AuditEntry.Action.UPDATE,
                    content_type=content_type,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    changes=changes,
                    snapshot={"translations": {lang: {n: getattr(row, n) for n in names}}},
                    note=note[:300],
                )
            )
            if reviewed:
                kind = kind_of(model)
                remembered += [
                    (lang, source.get(name, ""), getattr(row, name), f"{kind}:{obj.pk}:{name}") for name in names
                ]
            pks.append(obj.pk)
        # Rewritten rows go out and in again: bulk_update's CASE per row and field costs far more than a
        # delete and an insert (parler's rows are referenced by nothing but their master).
        stale = [row.pk for row in to_update]
        for start in range(0, len(stale), 500):
            root.objects.filter(pk__in=stale[start : start + 500])._raw_delete(root.objects.db)
        for row in to_update:
            row.pk = None
        bulk.insert_all(root, [*to_update, *to_create])  # no primary key needed afterwards
        bulk.insert_all(AuditEntry, audits)
        memory.remember_many(remembered)
        if has_field(model, "search_text"):
            _refresh_search(model, pks)
        written += len(entries)
    transaction.on_commit(bump_content_version)
    return written


# ---- the glossary ------------------------------------------------------------------------------------------


def load_glossary(path: Path = GLOSSARY_FILE, *, update: bool = False) -> tuple[int, int]:
    """Add the glossary file's terms (and with `update`, rewrite existing ones); returns (added, updated)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    added = updated = 0
    kinds = set(GlossaryTerm.Kind.values)
    with transaction.atomic():
        existing = {t.vi: t for t in GlossaryTerm.objects.all()}
        for index, item in enumerate(data.get("term", []), start=1):
            vi = str(item.get("vi", "")).strip()
            kind = item.get("kind", "general")
            if not vi or kind not in kinds:
                raise ValidationError(
                    _("%(file)s, term %(n)s: a Vietnamese term and a kind among %(kinds)s are needed.")
                    % {"file": path.name, "n": index, "kinds": ", ".join(sorted(kinds))}
                )
            fields = {
                "kind": kind,
                "note": item.get("note", ""),
                "not_in": " | ".join(item.get("not_in", [])),
                "renderings": {
                    k: str(v) for k, v in item.items() if k not in ("vi", "kind", "note", "not_in") and str(v).strip()
                },
            }
            term = existing.get(vi)
            if term is None:
                GlossaryTerm.objects.create(vi=vi, **fields)
                added += 1
            elif update:
                for name, value in fields.items():
                    setattr(term, name, value)
                term.save()
                updated += 1
    return added, updated


# ---- coverage ------------------------------------------------------------------------------------------------


def snapshot_coverage(day: dt.date | None = None) -> int:
    """Store today's coverage of published content (one row per content type and language)."""
    day = day or timezone.localdate()
    rows = 0
    with transaction.atomic():
        for content, per_language in coverage_now().items():
            for lang, counts in per_language.items():
                CoverageSnapshot.objects.update_or_create(day=day, content=content, language=lang, defaults=counts)
                rows += 1
    return rows


__all__ = ["CONTENT", "SaveResult", "load_glossary", "machine_draft", "save_translation", "snapshot_coverage"]
