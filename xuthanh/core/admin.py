"""Admin building blocks shared by every back-office screen: unaccented search, the audit trail and
permissions scoped to the user's unit (see orgs.permissions)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from xuthanh.core import audit
from xuthanh.core.models import AuditEntry
from xuthanh.core.text import fold


class FoldedSearchMixin:
    """Search on a pre-folded `search_text` column, so `thanh nha ho` finds “Thành nhà Hồ”."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        words = fold(search_term).split()
        if not words:
            return queryset, False
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        if search_term.strip().isdigit() and "code" in {f.name for f in queryset.model._meta.fields}:
            condition |= Q(code=int(search_term.strip()))
        return queryset.filter(condition), False


class AuditedAdminMixin:
    """Writes an audit entry for every add, change and delete made through the admin, with the changed
    fields (translations included), and shows those entries as the object's history."""

    object_history_template = "admin/core/audit_history.html"
    audit_children: tuple[str, ...] | None = None  # None: the model's own AUDIT_CHILDREN

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        current = type(obj).objects.filter(pk=obj.pk).first() if change else None
        request._xt_before = audit.snapshot(current, self.audit_children)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if hasattr(obj, "refresh_search_text"):
            obj.refresh_search_text()
        audit.record(
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            before=getattr(request, "_xt_before", {}),
            children=self.audit_children,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = audit.snapshot(obj, self.audit_children)
        super().delete_model(request, obj)
        audit.record(actor=request.user, action=AuditEntry.Action.DELETE, obj=obj, before=before)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def log_addition(self, *args: Any, **kwargs: Any) -> None:  # our audit log replaces Django's LogEntry
        return None

    def log_change(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_deletion(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_deletions(self, *args: Any, **kwargs: Any) -> None:
        return None

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> TemplateResponse:
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": audit.history(obj)[:200],
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)


class AllowedAdminMixin:
    """Every permission of a screen from one rule, `allowed(request)`: who may see it may also change it."""

    def allowed(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request)


class ReadOnlyAdminMixin:
    """Rows the platform writes itself (loaded reference data, the audit, forms and figures from data files,
    finished imports): looked at in the back office, never added, changed or deleted there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_repr", "action", "content_type", "object_repr", "ip_address"]
    list_filter = ["action", "content_type", "created_at"]
    search_fields = ["object_repr", "actor_repr", "note"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from xuthanh.orgs.permissions import is_platform_admin

        return is_platform_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


class RefusalsShownMixin:
    """A service that refuses while the admin saves (a check made again under a lock, after the form had
    validated: someone else acted meanwhile) is told to the officer as a message, and nothing is stored (the
    change view's transaction is rolled back), instead of a 500. `refusals`: the services' error classes."""

    refusals: tuple[type[Exception], ...] = ()

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        from django.contrib import messages
        from django.shortcuts import redirect

        try:
            return super().changeform_view(request, *args, **kwargs)
        except self.refusals as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(request.get_full_path())
