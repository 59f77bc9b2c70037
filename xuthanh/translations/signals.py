"""Reviewed translations feed the translation memory, whichever door saved them (desk, admin, import)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save

from xuthanh.core.models import TranslationStatus
from xuthanh.core.sourcetrack import text_fields
from xuthanh.translations import memory
from xuthanh.translations.registry import CONTENT, kind_of


def remember_reviewed(sender: type, instance: Any, raw: bool = False, **_: Any) -> None:
    if raw or instance.language_code == settings.SOURCE_LANGUAGE:
        return
    if instance.translation_status != TranslationStatus.REVIEWED:
        return
    kind = kind_of(sender)
    for name in text_fields(sender):
        source = (instance.source_snapshot or {}).get(name, "")
        target = getattr(instance, name) or ""
        if source and target:
            memory.remember(instance.language_code, source, target, f"{kind}:{instance.master_id}:{name}")


for _model in CONTENT.values():
    post_save.connect(
        remember_reviewed, sender=_model._parler_meta.root_model, dispatch_uid=f"memory-{_model.__name__}"
    )
