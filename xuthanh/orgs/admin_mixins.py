"""Admin mixin enforcing orgs.permissions on the server: what a user lists, opens, adds, changes and
deletes, which statuses they may set, and which fields a translator may touch."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xuthanh.core.models import Status
from xuthanh.orgs import permissions


class ScopedAdminMixin:
    translation_only_fields: tuple[str, ...] = ()

    # ---- what is visible ----
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        condition = permissions.scope_q(request.user, qs.model, permissions.READ_ROLES)
        if condition is None:
            return qs.none()
        if permissions.is_platform_admin(request.user) or any(
            m.organisation.province_wide for m in permissions.memberships(request.user)
        ):
            return qs  # province-wide members and statisticians see everything (read-only where not editors)
        return qs.filter(condition)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view(request.user, self.model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_view(request.user, self.model)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return permissions.can_add(request.user, self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return permissions.can_view(request.user, self.model)
        return permissions.can_edit(request.user, obj) or permissions.can_translate(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return permissions.is_platform_admin(request.user)
        return permissions.can_edit(request.user, obj) and permissions.can_publish(request.user, obj)

    def _translator_only(self, request: HttpRequest, obj: Any) -> bool:
        return (
            obj is not None
            and not permissions.can_edit(request.user, obj)
            and permissions.can_translate(request.user, obj)
        )

    # ---- what is editable ----
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if self._translator_only(request, obj):
            translated = (
                set(obj._parler_meta.get_translated_fields()) if hasattr(obj, "_parler_meta") else set()
            )
            language = self.get_form_language(request, obj) if hasattr(self, "get_form_language") else "vi"
            declared = (
                flatten_fieldsets(self.fieldsets) if self.fieldsets else [f.name for f in obj._meta.fields]
            )
            for field in declared:
                if field not in translated or language == "vi":
                    readonly.append(field)
        return readonly

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list:
        if self._translator_only(request, obj):
            return []
        return super().get_inline_instances(request, obj)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> type:
        form_class = super().get_form(request, obj, **kwargs)
        user = request.user
        original_status = obj.status if obj is not None and hasattr(obj, "status") else Status.DRAFT

        class ScopedForm(form_class):
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                status_field = self.fields.get("status")
                if status_field is not None:  # only the steps the one status rule allows this user
                    status_field.choices = [
                        c
                        for c in status_field.choices
                        if not permissions.status_change_refusal(user, self.instance, original_status, c[0])
                    ]
                commune_field = self.fields.get("commune")
                if commune_field is not None and not permissions.is_platform_admin(user):
                    orgs = [
                        m.organisation
                        for m in permissions.memberships(user)
                        if m.role in permissions.EDIT_ROLES
                    ]
                    if orgs and not any(o.province_wide for o in orgs):
                        ids = {c.pk for o in orgs for c in o.communes.all()}
                        if getattr(self.instance, "commune_id", None):
                            ids.add(self.instance.commune_id)
                        commune_field.queryset = commune_field.queryset.filter(pk__in=ids)

            def _post_clean(self) -> None:
                super()._post_clean()
                instance = self.instance
                if permissions.can_edit(user, instance):
                    pass
                elif not (instance.pk and permissions.can_translate(user, instance)):
                    self.add_error(None, _("This content would be outside the area your unit may edit."))
                new_status = getattr(instance, "status", None)
                refusal = new_status and permissions.status_change_refusal(user, instance, original_status, new_status)
                if refusal:
                    self.add_error("status", refusal)

        ScopedForm.__name__ = form_class.__name__
        return ScopedForm


class ScopedInlineMixin:
    """Inlines follow the parent object's permissions (not Django's per-model permissions)."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_view(request.user, self.parent_model)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            obj is None
            and permissions.can_add(request.user, self.parent_model)
            or (obj is not None and permissions.can_edit(request.user, obj))
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            obj is None
            and permissions.can_add(request.user, self.parent_model)
            or (obj is not None and permissions.can_edit(request.user, obj))
        )

    has_delete_permission = has_change_permission
