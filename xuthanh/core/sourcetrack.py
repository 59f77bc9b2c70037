"""Which version of the Vietnamese source each translation was made from, so that a stale translation is
never published unknowingly.

Every translation row of tracked content (catalogue places, events, specialties, tours) carries
`source_hash` and `source_snapshot`. On the Vietnamese row, `source_hash` is the digest of its own texts,
kept current on every save. On a translation row, they are the digest and the texts of the Vietnamese row
at the moment the translation was written (or confirmed as reviewed). A translation is **outdated** when
its `source_hash` differs from the Vietnamese row's: the source changed after the translation was made.
Editing the translation (or saving it as reviewed) stamps it again with the current source.

The stamp is given on save by a `pre_save` receiver, so every door (admin, import, loader, the desk, XLIFF)
keeps it; bulk writes call `stamp_rows`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models

TRACKING_FIELDS = ("source_hash", "source_snapshot", "engine")
NOT_TEXT = {"id", "language_code", "master", "translation_status", *TRACKING_FIELDS}


def tracking_fields() -> dict[str, models.Field]:
    """The fields to add to a model's `TranslatedFields(...)` (new instances on every call)."""
    from django.utils.translation import gettext_lazy as _

    return {
        "source_hash": models.CharField(_("source version"), max_length=16, blank=True, default="", editable=False),
        "source_snapshot": models.JSONField(_("source when translated"), default=dict, blank=True, editable=False),
        "engine": models.CharField(
            _("machine engine"),
            max_length=120,
            blank=True,
            default="",
            editable=False,
            help_text=_("The engine that wrote the machine draft; empty for a person's translation."),
        ),
    }


def text_fields(translation_model: type[models.Model]) -> tuple[str, ...]:
    """The translated text fields of a parler translation model, in declaration order."""
    cached = translation_model.__dict__.get("_xt_text_fields")
    if cached is None:
        cached = tuple(
            f.name
            for f in translation_model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and f.name not in NOT_TEXT
        )
        translation_model._xt_text_fields = cached
    return cached


def digest(texts: dict[str, str]) -> str:
    """A short, stable digest of a record's source texts (field order does not matter)."""
    payload = json.dumps({k: v or "" for k, v in sorted(texts.items())}, ensure_ascii=False)
    return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()[:16]


def texts_of(row: models.Model) -> dict[str, str]:
    return {name: getattr(row, name) or "" for name in text_fields(type(row))}


def _current_source(row: models.Model) -> dict[str, str] | None:
    """The Vietnamese texts of `row`'s record: the one held in memory by the master (parler's cache, which a
    form saving several languages at once fills before saving any), else the stored one."""
    master = row._state.fields_cache.get("master")
    if master is not None:
        cached = getattr(master, "_translations_cache", {}).get(settings.SOURCE_LANGUAGE)
        if isinstance(cached, models.Model):
            return texts_of(cached)
    stored = (
        type(row)
        .objects.filter(master_id=row.master_id, language_code=settings.SOURCE_LANGUAGE)
        .values(*text_fields(type(row)))
        .first()
    )
    return {k: v or "" for k, v in stored.items()} if stored else None


def stamp(row: models.Model, source: dict[str, str] | None = None) -> None:
    """Record on a translation row that it was made from `source` (default: the current Vietnamese)."""
    source = _current_source(row) if source is None else source
    if source is None:
        return
    row.source_snapshot = source
    row.source_hash = digest(source)


def on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    """Keep the source version: the Vietnamese row's own digest, a translation's stamp when its text (or its
    status, to reviewed) changed. `instance._xt_restamp = True` stamps it in any case (the desk's save: the
    translator saw today's source); `instance._xt_keep_stamp = True` keeps the stamp as it is."""
    if raw:
        return
    if instance.language_code == settings.SOURCE_LANGUAGE:
        instance.source_hash = digest(texts_of(instance))
        return
    if getattr(instance, "_xt_keep_stamp", False):
        return
    if getattr(instance, "_xt_restamp", False):  # a translator confirms it against today's source
        stamp(instance)
        return
    names = text_fields(sender)
    old = None
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values(*names, "translation_status", "source_hash").first()
    if old is None:
        stamp(instance)
        return
    text_changed = any((old[name] or "") != (getattr(instance, name) or "") for name in names)
    now_reviewed = old["translation_status"] != "reviewed" and instance.translation_status == "reviewed"
    if text_changed or now_reviewed or not old["source_hash"]:
        stamp(instance)


def on_post_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    """A Vietnamese row saved after translations of the same record (a form or an import writing every
    language at once, in any order): translations that could not be stamped yet are stamped with it."""
    if raw or instance.language_code != settings.SOURCE_LANGUAGE:
        return
    texts = texts_of(instance)
    sender.objects.filter(master_id=instance.master_id, source_hash="").exclude(
        language_code=settings.SOURCE_LANGUAGE
    ).update(source_hash=digest(texts), source_snapshot=texts)


def stamp_rows(rows: Iterable[models.Model]) -> None:
    """Stamps for rows about to be bulk-created (no signals there): each Vietnamese row gets its digest, each
    translation the digest of the Vietnamese row of the same master in `rows`."""
    rows = list(rows)
    sources = {}
    for row in rows:
        if row.language_code == settings.SOURCE_LANGUAGE:
            texts = texts_of(row)
            row.source_hash = digest(texts)
            sources[row.master_id] = texts
    for row in rows:
        if row.language_code != settings.SOURCE_LANGUAGE and row.master_id in sources:
            stamp(row, sources[row.master_id])
