"""The statistics in the admin: report forms and official figures to read, reports to list and open (their
figures are entered on the statistics pages, /admin/stats/, which check them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from xuthanh.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin
from xuthanh.stats.models import OfficialFigure, Report, ReportForm


@admin.register(ReportForm)
class ReportFormAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "version", "kind", "period", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["kind", "period"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_read_statistics(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_read_statistics(request.user)


@admin.register(OfficialFigure)
class OfficialFigureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "indicator", "value", "status", "publisher", "source_link"]
    list_filter = ["year", "indicator", "status"]

    @admin.display(description=_("source"))
    def source_link(self, obj: OfficialFigure) -> str:
        return format_html('<a href="{}" rel="noopener">{}</a>', obj.source, obj.publisher)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_read_statistics(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_read_statistics(request.user)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["establishment", "period_label", "state", "late", "corrections", "filed_by", "submitted_at",
                    "entry_link"]
    list_filter = ["state", "late", "period", "kind", "period_start"]
    list_select_related = ["establishment", "filed_by", "form"]
    search_fields = ["establishment__name", "establishment__code"]
    date_hierarchy = "period_start"

    @admin.display(description=_("figures"))
    def entry_link(self, obj: Report) -> str:
        start = f"{obj.period_start:%Y-%m}" if obj.period == "month" else str(obj.period_start.year)
        return format_html('<a href="{}">{}</a>', reverse("stats:report", args=[obj.establishment.code, obj.period,
                                                                               start]), _("open"))
