"""Back office for API clients: issuing a key shows it once; origins open CORS for partner sites."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xuthanh.api.models import ApiClient
from xuthanh.api.services import forget_origins
from xuthanh.core.admin import AuditedAdminMixin
from xuthanh.orgs.permissions import is_platform_admin


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "key_prefix", "requests_per_minute", "is_active", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ["key_prefix", "created_at"]
    actions = ["rotate_key"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = lambda self, request, obj=None: (
        is_platform_admin(request.user)
    )

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        key = obj.issue_key() if not obj.key_hash else None
        super().save_model(request, obj, form, change)
        forget_origins()
        if key:
            self.message_user(
                request, _("API key (shown only now, keep it safe): %(key)s") % {"key": key}, messages.WARNING
            )

    @admin.action(description=_("Issue a new key (the old one stops working)"))
    def rotate_key(self, request: HttpRequest, queryset: Any) -> None:
        for client in queryset:
            key = client.issue_key()
            client.save()
            forget_origins()
            self.message_user(request, f"{client.name}: {key}", messages.WARNING)
