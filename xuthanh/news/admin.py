"""Back office for news: the catalogue's permissions, audit trail, unaccented search and workflow actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from xuthanh.catalog.admin import PublishableAdminMixin
from xuthanh.core import images
from xuthanh.core.admin import AuditedAdminMixin, FoldedSearchMixin
from xuthanh.news.models import Article
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin
from xuthanh.orgs.models import Organisation


def _writing_units(request: HttpRequest) -> list[Organisation] | None:
    """The units the user writes for; None when any unit may be named (administrators, province-wide)."""
    if permissions.is_platform_admin(request.user):
        return None
    units = [m.organisation for m in permissions.memberships(request.user) if m.role in permissions.EDIT_ROLES]
    return None if any(u.province_wide for u in units) else units


@admin.register(Article)
class ArticleAdmin(PublishableAdminMixin, ScopedAdminMixin, AuditedAdminMixin, FoldedSearchMixin, TranslatableAdmin):
    search_fields = ["search_text"]
    list_display = ["__str__", "author", "commune", "status", "published_at", "translation_overview"]
    list_filter = [
        "status",
        ("author", admin.RelatedOnlyFieldListFilter),
        ("commune", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["author", "commune"]
    list_per_page = 50
    autocomplete_fields = ["commune"]
    actions = ["submit_for_review", "publish", "archive"]
    readonly_fields = ["translation_overview", "published_at"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "summary", "body"]}),
        (_("Who and where"), {"fields": ["author", "commune"]}),
        (_("Cover photo"), {"fields": ["cover", "cover_alt", "cover_author", "cover_licence"]}),
        (_("Workflow"), {"fields": ["status", "published_at", "translation_status", "translation_overview"]}),
    ]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict:
        return {"slug": ("title",)} if obj is None else {}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("translations")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "author":
            units = _writing_units(request)
            if units is not None:
                kwargs["queryset"] = Organisation.objects.filter(pk__in=[u.pk for u in units])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        units = _writing_units(request) or [
            m.organisation for m in permissions.memberships(request.user) if m.role in permissions.EDIT_ROLES
        ]
        if units and "author" not in initial:
            initial["author"] = units[0].pk
        return initial

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if "cover" in form.changed_data and obj.cover:  # a new upload: remove the camera's GPS position
            cleaned = images.strip_gps(obj.cover.file)
            obj.cover.save(obj.cover.name.rsplit("/", 1)[-1], ContentFile(cleaned), save=False)
        super().save_model(request, obj, form, change)
