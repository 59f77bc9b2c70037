"""Back office for organisations, the business registry and who belongs where with which role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest

from xuthanh.areas.models import Commune, Province
from xuthanh.core.admin import AuditedAdminMixin, FoldedSearchMixin, ReadOnlyAdminMixin
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    """A unit's administrator changes or removes its members' roles; adding people is for platform admins."""

    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            obj is None
            or permissions.can_manage_members(request.user, obj)
            or permissions.is_platform_admin(request.user)
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and permissions.can_manage_members(request.user, obj)

    has_delete_permission = has_change_permission


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "business_type", "licence_no", "is_sample"]
    list_filter = ["kind", "business_type", "is_sample"]
    search_fields = ["search_text"]
    filter_horizontal = ["communes"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict:
        return {"slug": ["name"]} if permissions.is_platform_admin(request.user) else {}

    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "communes"]}),
        ("Liên hệ / Contact", {"fields": ["address", "phone", "email", "website"]}),
        ("Doanh nghiệp / Business", {"fields": ["business_type", "licence_no", "is_sample"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)
        if permissions.is_platform_admin(request.user):
            return qs
        return qs.filter(pk__in=[m.organisation_id for m in permissions.memberships(request.user)])

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(permissions.memberships(request.user)) or permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return permissions.can_manage_members(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if permissions.is_platform_admin(request.user):
            return []
        return ["name", "slug", "kind", "communes", "business_type", "licence_no", "is_sample"]


class MembershipUserInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(AuditedAdminMixin, UserAdmin):
    audit_children = ("memberships",)
    inlines = [MembershipUserInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_superuser"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    has_view_permission = has_change_permission = has_add_permission = lambda self, request, obj=None: (  # noqa: E731
        permissions.is_platform_admin(request.user)
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class ReferenceDataAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Official reference data loaded from packages: every member may look, nobody edits by hand."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view(request.user, self.model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_view(request.user, self.model)



@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(FoldedSearchMixin, ReferenceDataAdmin):
    list_display = ["name", "code", "kind", "former_districts"]
    list_filter = ["kind"]
    search_fields = ["search_text", "=code"]
