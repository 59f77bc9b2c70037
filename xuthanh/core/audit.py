"""The audit trail: snapshots of objects (with their translations and relations) and recorded changes.

Every service that changes catalogue data calls `record()`; the admin does it through `AuditedAdminMixin`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from xuthanh.core.middleware import current_ip
from xuthanh.core.models import AuditEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # files, empty ones too (hasattr(url) raises on those)
        return value.name or ""
    return value


def snapshot(obj: models.Model | None, children: tuple[str, ...] | None = None) -> Snapshot:
    """Concrete fields, many-to-many ids, child rows named in the model's AUDIT_CHILDREN (opening hours,
    tickets, memberships…) and, for parler models, every translation. Secrets are left out: passwords and
    the fields a model names in AUDIT_SECRETS (hashes of tokens and codes), recorded only as "changed"."""
    if obj is None or obj.pk is None:
        return {}
    data: Snapshot = {}
    secrets = set(getattr(obj, "AUDIT_SECRETS", ()))
    for field in obj._meta.concrete_fields:
        if field.name in ("search_text", "password"):
            continue
        if field.name in secrets:  # whether it is set, and a short digest to show that it changed
            value = getattr(obj, field.attname)
            data[field.name] = f"set:{hashlib.sha256(str(value).encode()).hexdigest()[:8]}" if value else ""
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    for name in getattr(obj, "AUDIT_CHILDREN", ()) if children is None else children:
        data[name] = [
            {f.name: _plain(getattr(child, f.attname)) for f in child._meta.concrete_fields if f.name != "id"}
            for child in getattr(obj, name).all().order_by("pk")
        ]
    meta = getattr(obj, "_parler_meta", None)
    if meta is not None:
        for model in meta.get_all_models():
            for row in model.objects.filter(master_id=obj.pk):
                fields = {
                    f.name: _plain(getattr(row, f.attname))
                    for f in model._meta.concrete_fields
                    if f.name not in ("id", "master", "language_code")
                }
                data.setdefault("translations", {}).setdefault(row.language_code, {}).update(fields)
    return data


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        if key == "translations":
            langs = set(before.get(key, {})) | set(after.get(key, {}))
            for lang in sorted(langs):
                old, new = before.get(key, {}).get(lang, {}), after.get(key, {}).get(lang, {})
                for name in sorted(set(old) | set(new)):
                    if old.get(name) != new.get(name):
                        changes[f"{name}[{lang}]"] = [old.get(name), new.get(name)]
        elif key not in ("updated_at",) and before.get(key) != after.get(key):
            changes[key] = [before.get(key), after.get(key)]
    return changes


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: Snapshot | None = None,
    note: str = "",
    children: tuple[str, ...] | None = None,
) -> AuditEntry | None:
    """Write one audit entry; for updates with no change, write nothing."""
    after = snapshot(obj, children) if action != AuditEntry.Action.DELETE else {}
    changes = diff(before or {}, after)
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_repr=(user.get_username() if user else str(actor or "system"))[:150],
        ip_address=current_ip.get(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk if obj.pk is not None else before.get("id", "") if before else ""),
        object_repr=str(obj)[:300],
        changes=changes,
        snapshot=after,
        note=note[:300],
    )


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
    ).select_related("actor")


def step(obj: models.Model, actor: Any, *, field: str, allowed: tuple[str, ...], to: str,
         refused: Callable[[models.Model], Exception], **changes: Any) -> models.Model:
    """A workflow step of `obj`, audited: its row locked, its `field` checked to be one of `allowed` as stored
    now (else `refused(stored)` is raised), set to `to` with `changes`, saved, recorded as a status change.
    The locked, changed row is returned."""
    from django.db import transaction

    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if getattr(locked, field) not in allowed:
            raise refused(locked)
        before = snapshot(locked)
        setattr(locked, field, to)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        record(actor=actor, action=AuditEntry.Action.STATUS, obj=locked, before=before)
    return locked
