"""Keeping the guide's audio true to its scripts: the source version of every translation (core.sourcetrack),
and a new rendering queued whenever a script's text changes in any language (services.clips_queue)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from xuthanh.core.sourcetrack import on_post_save, on_pre_save
from xuthanh.guide.models import CLIP_OWNERS, Hotspot, Narration, Scene, Stop, Tour

_quiet: ContextVar[bool] = ContextVar("guide_audio_quiet", default=False)


@contextlib.contextmanager
def audio_deferred() -> Iterator[None]:
    """Scripts saved inside are not queued for rendering one by one (a data load renders them all after)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _script_saved(sender: type, instance: Any, raw: bool = False, **_: Any) -> None:
    if raw or _quiet.get():
        return
    from xuthanh.guide import services

    owner_field = next(name for name, model in CLIP_OWNERS.items() if model._parler_meta.root_model is sender)
    master_id, language = instance.master_id, instance.language_code
    transaction.on_commit(lambda: services.clips_queue(**{f"{owner_field}_ids": [master_id]}, languages=[language]))


for model in (Tour, Stop, Narration, Scene, Hotspot):
    rows = model._parler_meta.root_model
    pre_save.connect(on_pre_save, sender=rows, dispatch_uid=f"guide-sourcetrack-{model.__name__}")
    post_save.connect(on_post_save, sender=rows, dispatch_uid=f"guide-sourcetrack-after-{model.__name__}")
for model in CLIP_OWNERS.values():
    post_save.connect(_script_saved, sender=model._parler_meta.root_model, dispatch_uid=f"guide-audio-{model.__name__}")
