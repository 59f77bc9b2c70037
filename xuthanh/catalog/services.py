"""Writes to the catalogue that are more than a form save: workflow transitions, photo processing.

Every function takes the acting user (`actor`), checks permissions and writes the audit trail.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.catalog.models import Photo
from xuthanh.core import audit, images
from xuthanh.core.models import TRANSITIONS, AuditEntry, Publishable, Status
from xuthanh.orgs import permissions


@transaction.atomic
def content_set_status(*, actor: Any, obj: Publishable, status: str) -> Publishable:
    """Move content (catalogue content, news: any scoped Publishable) through draft → review → published
    → archived, as the actor's role allows."""
    if status == obj.status:
        return obj
    if status not in Status.values or status not in TRANSITIONS[obj.status]:
        raise ValidationError(permissions.status_change_refusal(None, obj, obj.status, status))
    if not permissions.can_edit(actor, obj):
        raise PermissionDenied(_("You may not change this content."))
    refusal = permissions.status_change_refusal(actor, obj, obj.status, status)
    if refusal:
        raise PermissionDenied(refusal)
    before = audit.snapshot(obj)
    obj.status = status
    if status == Status.PUBLISHED and obj.published_at is None:
        obj.published_at = timezone.now()
    obj.save(update_fields=["status", "published_at", "updated_at"])
    obj.refresh_search_text()
    audit.record(actor=actor, action=AuditEntry.Action.STATUS, obj=obj, before=before)
    return obj


def photo_prepare(photo: Photo) -> None:
    """Before saving an uploaded photo: read size and capture date, strip GPS if asked."""
    upload = photo.image.file
    info = images.inspect(upload, max_bytes=10**9)
    photo.width, photo.height = info.width, info.height
    if info.taken_at and not photo.taken_at:
        photo.taken_at = timezone.make_aware(info.taken_at)
    if photo.remove_location and info.has_gps:
        cleaned = images.strip_gps(upload)
        photo.image.save(photo.image.name.rsplit("/", 1)[-1], ContentFile(cleaned), save=False)


def photo_make_small(photo: Photo, max_side: int = 960) -> None:
    """The photo's copies, from its original: the reduced copy (`small`, at most `max_side`: lists, the app,
    feeds) and the AVIF and WebP copies of each `srcset` width (core.images.RENDITION_WIDTHS up to its own)."""
    with photo.image.open("rb") as source:
        original = source.read()
    stem = photo.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    data = images.rendition(io.BytesIO(original), max_side=max_side)
    photo.small.save(stem + ".webp", ContentFile(data), save=False)
    made: dict[str, dict[str, str]] = {}
    for fmt in images.RENDITION_FORMATS:
        for width in images.rendition_widths(photo.width or max_side):
            data = images.rendition(original, width=width, fmt=fmt.upper())
            name = default_storage.save(f"photos/r/{stem}-{width}.{fmt}", ContentFile(data))
            made.setdefault(fmt, {})[str(width)] = name
    photo.renditions = made
    Photo.objects.filter(pk=photo.pk).update(small=photo.small.name, renditions=made)
