"""Who may do what to which content. Enforced by the admin, the import service and every other door.

A content model says where its scope lives with three class attributes, each a lookup path or None:
`SCOPE_COMMUNE` (the commune it lies in), `SCOPE_SITE` (the site board managing it) and `SCOPE_OPERATOR`
(the business offering it). A member of a province-wide unit (the department, the promotion centre) acts on
all content; a commune's members on content in the unit's communes; a site board's on the sites it manages
(and its communes, if any); a business's only on what it operates.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from xuthanh.core.models import TRANSITIONS, Status
from xuthanh.orgs.models import Membership, Organisation, Role

EDIT_ROLES = {Role.ADMIN, Role.EDITOR, Role.BUSINESS}
TRANSLATE_ROLES = EDIT_ROLES | {Role.TRANSLATOR}
READ_ROLES = TRANSLATE_ROLES | {Role.STATISTICIAN}


def memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_xt_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("organisation")
            .prefetch_related("organisation__communes")
        )
        user._xt_memberships = cached
    return cached


def is_platform_admin(user: Any) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(m.role == Role.ADMIN and m.organisation.province_wide for m in memberships(user))


def _org_q(model: type[models.Model], org: Organisation, role: str) -> Q:
    if role == Role.BUSINESS:
        path = getattr(model, "SCOPE_OPERATOR", None)
        return Q(**{path: org}) if path else Q(pk__in=[])
    if org.province_wide:
        return Q()
    q = Q(pk__in=[])
    commune_path = getattr(model, "SCOPE_COMMUNE", None)
    if commune_path:
        q |= Q(**{f"{commune_path}__in": [c.pk for c in org.communes.all()]})
    for attr in ("SCOPE_SITE", "SCOPE_OPERATOR"):
        path = getattr(model, attr, None)
        if path:
            q |= Q(**{path: org})
    return q


def scope_q(user: Any, model: type[models.Model], roles: set[str]) -> Q | None:
    """Filter for the objects of `model` the user may act on with one of `roles`; None means none."""
    if is_platform_admin(user):
        return Q()
    result: Q | None = None
    for membership in memberships(user):
        if membership.role in roles:
            q = _org_q(model, membership.organisation, membership.role)
            if not q:  # empty Q = everything
                return Q()
            result = q if result is None else result | q
    return result


def _resolve(obj: models.Model, path: str) -> Any:
    """Follow a lookup path (`place__managed_by`) on an object, returning the final id or None."""
    *parts, last = path.split("__")
    for part in parts:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def _in_org_scope(obj: models.Model, org: Organisation, role: str) -> bool:
    model = type(obj)
    operator_path = getattr(model, "SCOPE_OPERATOR", None)
    if role == Role.BUSINESS:
        return bool(operator_path) and _resolve(obj, operator_path) == org.pk
    if org.province_wide:
        return True
    commune_path = getattr(model, "SCOPE_COMMUNE", None)
    if commune_path and _resolve(obj, commune_path) in {c.pk for c in org.communes.all()}:
        return True
    return any(
        path and _resolve(obj, path) == org.pk for path in (getattr(model, "SCOPE_SITE", None), operator_path)
    )


def _allowed(user: Any, obj: models.Model, roles: set[str]) -> bool:
    if is_platform_admin(user):
        return True
    return any(m.role in roles and _in_org_scope(obj, m.organisation, m.role) for m in memberships(user))


def can_edit(user: Any, obj: models.Model) -> bool:
    """May change every field of `obj` (checked on its current and on its new values by the callers)."""
    return _allowed(user, obj, EDIT_ROLES)


def can_translate(user: Any, obj: models.Model) -> bool:
    return _allowed(user, obj, TRANSLATE_ROLES)


def can_view(user: Any, model: type[models.Model]) -> bool:
    return is_platform_admin(user) or any(m.role in READ_ROLES for m in memberships(user))


def can_add(user: Any, model: type[models.Model]) -> bool:
    return is_platform_admin(user) or any(
        m.role in EDIT_ROLES and (m.role != Role.BUSINESS or getattr(model, "SCOPE_OPERATOR", None))
        for m in memberships(user)
    )


def can_publish(user: Any, obj: models.Model) -> bool:
    """Publishing (and archiving) is for administrators and editors of a province-wide unit."""
    if is_platform_admin(user):
        return True
    return any(
        m.role in (Role.ADMIN, Role.EDITOR) and m.organisation.province_wide for m in memberships(user)
    )


def status_change_refusal(user: Any, obj: models.Model, old: str, new: str) -> str | None:
    """Why `user` may not move `obj` from status `old` to `new`, or None when it may: the workflow's steps
    (core.models.TRANSITIONS) and the right to publish or archive. The one rule of every door that changes a
    status: the workflow actions (catalog.services.content_set_status), the change form and the import. A
    `user` of None is a trusted command (the data loader, an operator's import)."""
    if new == old:
        return None
    if new not in Status.values:
        return _("Unknown status “%(status)s”.") % {"status": new}
    if new not in TRANSITIONS[old]:
        return _("Cannot go from “%(old)s” to “%(new)s”.") % {"old": Status(old).label, "new": Status(new).label}
    if new in (Status.PUBLISHED, Status.ARCHIVED) and user is not None and not can_publish(user, obj):
        return _("Only the department's editors and administrators publish or archive content.")
    return None


def can_manage_members(user: Any, org: Organisation) -> bool:
    return is_platform_admin(user) or any(
        m.role == Role.ADMIN and m.organisation_id == org.pk for m in memberships(user)
    )


FILE_ROLES = EDIT_ROLES | {Role.STATISTICIAN}
STATISTICS_ROLES = {Role.ADMIN, Role.STATISTICIAN}


def _operator_files_itself(establishment: models.Model) -> bool:
    """Whether the establishment's business has its own people on the platform (then it files for itself)."""
    return bool(establishment.operator_id) and Membership.objects.filter(
        organisation_id=establishment.operator_id, role__in=[Role.ADMIN, Role.BUSINESS]
    ).exists()


def can_file_report(user: Any, establishment: models.Model) -> bool:
    """Files statistical reports for a registered establishment: the business that operates it; for a small
    operator without its own people on the platform, the commune or site board whose area holds it; and the
    department's administrators and statisticians for anyone."""
    if is_platform_admin(user):
        return True
    for m in memberships(user):
        if m.role not in FILE_ROLES or not _in_org_scope(establishment, m.organisation, m.role):
            continue
        if m.role == Role.BUSINESS or m.organisation_id == establishment.operator_id:
            return True
        if m.organisation.province_wide and m.role in STATISTICS_ROLES:
            return True
        if not m.organisation.province_wide and not _operator_files_itself(establishment):
            return True
    return False


def can_read_statistics(user: Any) -> bool:
    """Sees the province's dashboards, every business's figures and the exports: administrators and
    statisticians of province-wide units (and platform administrators)."""
    return is_platform_admin(user) or any(
        m.organisation.province_wide and m.role in STATISTICS_ROLES for m in memberships(user)
    )
