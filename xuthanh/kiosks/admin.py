"""Back office of the kiosk fleet (the promotion centre's, scoped to the unit that runs the locations): the
locations with their planned machines, the kiosks with their state (online, late, offline) and last report,
a one-time enrolment code, a token revoked, a command queued for the next heartbeat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from xuthanh.core import audit, heartbeats
from xuthanh.core.admin import AuditedAdminMixin
from xuthanh.core.models import AuditEntry
from xuthanh.kiosks import selectors, services
from xuthanh.kiosks.models import Command, Device, Feature, Location
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin

STATUS_WORDS = heartbeats.STATUS_WORDS


@admin.register(Location)
class LocationAdmin(ScopedAdminMixin, AuditedAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "kind", "named_in_plan", "devices_planned", "device_count"]
    list_filter = ["kind", "named_in_plan"]
    search_fields = ["slug", "translations__name"]
    autocomplete_fields = ["place"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count, Q

        return super().get_queryset(request).annotate(
            n_devices=Count("devices", filter=Q(devices__state=Device.State.ACTIVE)))

    @admin.display(description=_("kiosks in service"))
    def device_count(self, obj: Location) -> int:
        return obj.n_devices


@admin.register(Device)
class DeviceAdmin(ScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "state", "status", "last_seen_at", "version", "token_prefix"]
    list_filter = ["state", ("location", admin.RelatedOnlyFieldListFilter), "orientation"]
    list_select_related = ["location"]
    search_fields = ["name", "location__slug"]
    readonly_fields = ["token_prefix", "enrolled_at", "last_seen_at", "last_beat", "screen"]
    actions = ["new_enrol_code", "revoke_token", "queue_reload"]
    change_list_template = "kiosks/admin/device_change_list.html"  # with a link to the fleet's dashboard

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("location__translations")

    def save_model(self, request: HttpRequest, obj: Device, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.state == Device.State.RETIRED and (obj.token_hash or obj.enrol_code_hash):
            services.revoke(obj)  # a retired machine's token never comes back with it

    def get_urls(self) -> list:
        from django.urls import path

        return [path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="kiosks_device_dashboard"),
                path("<int:pk>/screenshot/", self.admin_site.admin_view(self.screenshot_view),
                     name="kiosks_device_screenshot"),
                *super().get_urls()]

    def screenshot_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The kiosk's last screenshot, for those who may see the kiosk (never a public media URL)."""
        from django.http import FileResponse, Http404

        device = self.get_queryset(request).filter(pk=pk).first()
        if device is None or not self.has_view_permission(request, device) or not device.screenshot:
            raise Http404
        response = FileResponse(device.screenshot.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.display(description=_("last screenshot"))
    def screen(self, obj: Device) -> str:
        from django.urls import reverse

        if not obj.pk or not obj.screenshot:
            return gettext("none yet (see docs/kiosk.md: the hourly screenshot)")
        return format_html('<img src="{}" alt="{}" width="240"> {}', reverse("admin:kiosks_device_screenshot",
                           args=[obj.pk]), gettext("The kiosk's screen"),
                           timezone.localtime(obj.screenshot_at).strftime("%d/%m/%Y %H:%M"))

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        """The fleet at a glance: each kiosk's state and uptime over its opening hours (today, 30 days, per
        day), a map of the locations, and the plan's target: named locations with their kiosks working."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        devices = list(self.get_queryset(request).filter(state=Device.State.ACTIVE).select_related("location__place"))
        states = selectors.fleet(devices, now)
        # the locations this user may see (a unit: its own), not the whole province's
        locations = list(LocationAdmin(Location, self.admin_site).get_queryset(request).select_related("place")
                         .prefetch_related("translations"))
        cover = selectors.coverage(states, locations)
        today = timezone.localdate(now)
        days = [(today - dt.timedelta(days=29 - i)).isoformat() for i in range(30)]
        fleet_daily = [
            round(100 * sum(v for v in column if v is not None) / len([v for v in column if v is not None]), 1)
            if any(v is not None for v in column) else None
            for column in zip(*[s.daily for s in states], strict=False)
        ] if states else []
        chart = {
            "days": days, "daily": fleet_daily, "label": gettext("Share of opening hours up (%)"),
            "locations": [{"name": str(loc), "lat": loc.point[0], "lon": loc.point[1],
                           "working": cover["working"].get(loc.pk, 0), "planned": loc.devices_planned}
                          for loc in locations],
            "tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION,
        }
        return TemplateResponse(request, "kiosks/admin/dashboard.html", {
            **self.admin_site.each_context(request), "title": gettext("Kiosk fleet"), "opts": self.opts,
            "rows": [(s, STATUS_WORDS[s.status]) for s in states], "cover": cover, "chart": chart,
            "counts": [(word, sum(1 for s in states if s.status == key)) for key, word in STATUS_WORDS.items()],
        })

    @admin.display(description=_("status"))
    def status(self, obj: Device) -> str:
        return heartbeats.status_html(obj.last_seen_at, timezone.now())

    @admin.display(description=_("version"))
    def version(self, obj: Device) -> str:
        return str((obj.last_beat or {}).get("version", ""))

    def _editable(self, request: HttpRequest, queryset: QuerySet) -> list[Device]:
        return [d for d in queryset.select_related("location") if permissions.can_edit(request.user, d)]

    @admin.action(description=_("Give the selected kiosks a one-time enrolment code"))
    def new_enrol_code(self, request: HttpRequest, queryset: QuerySet) -> None:
        for device in self._editable(request, queryset):
            before = audit.snapshot(device)
            code = services.enrol_code_new(device)
            audit.record(actor=request.user, action=AuditEntry.Action.UPDATE, obj=device, before=before,
                         note=gettext("enrolment code given"))
            self.message_user(request, gettext(
                "Enrolment code for %(device)s: %(code)s (valid 30 minutes; type it on the kiosk once).")
                % {"device": device, "code": code})

    @admin.action(description=_("Revoke the selected kiosks' tokens"))
    def revoke_token(self, request: HttpRequest, queryset: QuerySet) -> None:
        devices = self._editable(request, queryset)
        for device in devices:
            before = audit.snapshot(device)
            services.revoke(device)
            audit.record(actor=request.user, action=AuditEntry.Action.UPDATE, obj=device, before=before,
                         note=gettext("token revoked"))
        self.message_user(request, ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", len(devices))
                          % {"n": len(devices)})

    @admin.action(description=_("Reload the selected kiosks at their next heartbeat"))
    def queue_reload(self, request: HttpRequest, queryset: QuerySet) -> None:
        devices = self._editable(request, queryset)
        for device in devices:
            services.command_queue(device, Command.Kind.RELOAD, user=request.user)
        self.message_user(request, ngettext("%(n)d reload queued.", "%(n)d reloads queued.", len(devices))
                          % {"n": len(devices)})


@admin.register(Feature)
class FeatureAdmin(ScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Content scheduling: what a content group of kiosks features, and when (the province-wide units:
    the promotion centre that runs the kiosks, the department)."""

    list_display = ["__str__", "group", "starts_on", "ends_on", "showing"]
    list_filter = ["group"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["place", "event"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return permissions.is_platform_admin(request.user) or any(
            m.role in permissions.EDIT_ROLES and m.organisation.province_wide
            for m in permissions.memberships(request.user))

    @admin.display(description=_("shown today"), boolean=True)
    def showing(self, obj: Feature) -> bool:
        return obj.starts_on <= timezone.localdate() <= obj.ends_on
