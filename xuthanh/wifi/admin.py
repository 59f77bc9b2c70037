"""Back office of the public wifi (scoped to the unit that manages each hotspot): the hotspots with their
gateway's state, a heartbeat token made, the gateway's set-up (faskey and openNDS options) shown to those
who may edit it, the key changed; the dashboard of the network (state, accesses and peaks per day) and of
the plan's coverage year by year; the news subscriptions, readable and erasable only by those allowed."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xuthanh.core import audit, heartbeats
from xuthanh.core.admin import AuditedAdminMixin
from xuthanh.core.middleware import current_ip
from xuthanh.core.models import AuditEntry
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin
from xuthanh.wifi import fas, selectors, services
from xuthanh.wifi.models import Hotspot, Subscription

STATUS_WORDS = heartbeats.STATUS_WORDS


@admin.register(Hotspot)
class HotspotAdmin(ScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "state", "status", "last_seen_at", "fas_level", "installed_on", "operator_name"]
    list_filter = ["state", "controller", "fas_level"]
    list_select_related = ["place"]
    search_fields = ["slug", "ssid", "gatewayname", "place__slug"]
    autocomplete_fields = ["place"]
    readonly_fields = ["token_prefix", "last_seen_at", "last_beat"]
    actions = ["new_token", "show_setup", "rotate_key"]
    change_list_template = "wifi/admin/hotspot_change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("place__translations")

    def get_urls(self) -> list:
        from django.urls import path

        return [path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="wifi_hotspot_dashboard"),
                *super().get_urls()]

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        """The network at a glance and the plan's coverage, year by year, from the heartbeats."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        items = list(self.get_queryset(request).exclude(state=Hotspot.State.RETIRED))
        states = selectors.hotspots(items, now)
        today = timezone.localdate(now)
        daily = selectors.days(items, today - dt.timedelta(days=29), today)
        years = selectors.coverage(now)
        chart = {
            "days": [d["day"] for d in daily], "sessions": [d["sessions"] for d in daily],
            "peak": [d["peak"] for d in daily],
            "labels": {"sessions": gettext("Accesses per day"), "peak": gettext("Most devices connected at once"),
                       "wifi": gettext("Key sites with working wifi (%)"),
                       "wifi_target": gettext("Plan: wifi sites (%)"),
                       "kiosk": gettext("Named locations with their kiosks working (%)"),
                       "kiosk_target": gettext("Plan: kiosk locations (%)")},
            "years": [y.year for y in years], "wifi": [y.wifi_share for y in years],
            "wifi_target": [round(100 * y.wifi_target / y.key_sites, 1) if y.key_sites else None for y in years],
            "kiosk": [y.kiosk_share for y in years], "kiosk_target": [y.kiosk_target for y in years],
        }
        return TemplateResponse(request, "wifi/admin/dashboard.html", {
            **self.admin_site.each_context(request), "title": gettext("Public wifi and coverage"), "opts": self.opts,
            "rows": [(s, STATUS_WORDS[s.status]) for s in states], "years": years, "chart": chart,
            "key_sites_url": reverse("admin:catalog_place_changelist") + "?key_site__exact=1",
        })

    @admin.display(description=_("status"))
    def status(self, obj: Hotspot) -> str:
        return heartbeats.status_html(obj.last_seen_at, timezone.now())

    def _editable(self, request: HttpRequest, queryset: QuerySet) -> list[Hotspot]:
        return [h for h in queryset if permissions.can_edit(request.user, h)]

    @admin.action(description=_("Make a new heartbeat token for the selected hotspots' gateways"))
    def new_token(self, request: HttpRequest, queryset: QuerySet) -> None:
        for hotspot in self._editable(request, queryset):
            before = audit.snapshot(hotspot)
            token = services.token_new(hotspot)
            audit.record(actor=request.user, action=AuditEntry.Action.UPDATE, obj=hotspot, before=before,
                         note=gettext("heartbeat token made"))
            self.message_user(request, gettext(
                "Heartbeat token for %(hotspot)s (shown once; put it in the gateway's heartbeat script): %(token)s")
                % {"hotspot": hotspot, "token": token})

    @admin.action(description=_("Show the gateway set-up (openNDS options and key)"))
    def show_setup(self, request: HttpRequest, queryset: QuerySet) -> None:
        for hotspot in self._editable(request, queryset):
            splash = selectors.absolute(reverse("wifi:splash", kwargs={"slug": hotspot.slug}))
            audit.record(actor=request.user, action=AuditEntry.Action.REVEAL, obj=hotspot,
                         before=audit.snapshot(hotspot), note=gettext("gateway key shown"))
            self.message_user(request, gettext(
                "%(hotspot)s: gatewayname '%(name)s', fas_secure_enabled '%(level)s', faskey '%(key)s', FAS URL "
                "%(url)s (fasremotefqdn, fasport, faspath); authmon (level 3) posts to %(authmon)s; gateway "
                "hash %(hash)s. See docs/wifi.md.") % {
                "hotspot": hotspot, "name": hotspot.gatewayname, "level": hotspot.fas_level,
                "key": hotspot.faskey, "url": splash, "hash": fas.gateway_hash(hotspot.gatewayname),
                "authmon": selectors.absolute(reverse("wifi:authmon"))})

    @admin.action(description=_("Change the selected hotspots' gateway key"))
    def rotate_key(self, request: HttpRequest, queryset: QuerySet) -> None:
        for hotspot in self._editable(request, queryset):
            before = audit.snapshot(hotspot)
            services.key_rotate(hotspot)
            audit.record(actor=request.user, action=AuditEntry.Action.UPDATE, obj=hotspot, before=before,
                         note=gettext("gateway key changed"))
            self.message_user(request, gettext(
                "%(hotspot)s: new key made; until the gateway has it (Show the gateway set-up), its visitors "
                "are refused.") % {"hotspot": hotspot})


@admin.register(Subscription)
class SubscriptionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read and erase only: a subscription is given by the visitor, never typed in by an officer."""

    list_display = ["email", "lang", "hotspot", "consented_at", "confirmed_at", "consent_version"]
    list_filter = ["lang", "consent_version", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "lang", "hotspot", "consent_text", "consent_version", "consented_at", "confirmed_at",
                       "withdraw_link"]

    @admin.display(description=_("withdrawal link (put it in every message)"))
    def withdraw_link(self, obj: Subscription) -> str:
        return services.withdraw_url(obj) if obj.pk else ""

    def delete_model(self, request: HttpRequest, obj: Subscription) -> None:
        """Erased for good: the audit log keeps who erased which number when, never the address."""
        label = str(obj)
        obj.delete()
        AuditEntry.objects.create(actor=request.user, actor_repr=request.user.get_username()[:150],
                                  ip_address=current_ip.get(),
                                  action=AuditEntry.Action.DELETE, object_repr=label, object_id=label[1:].split()[0],
                                  content_type=ContentType.objects.get_for_model(Subscription),
                                  note=gettext("news subscription erased"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return request.user.has_perm("wifi.view_subscription")

    def has_delete_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return request.user.has_perm("wifi.delete_subscription")
