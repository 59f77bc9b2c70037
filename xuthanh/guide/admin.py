"""Back office of the audio guide: tours (with how much of their audio is ready), stops (scripts per language,
the trigger zone, a recording to upload), place narrations, and the clips with their state, error and a way
to render them again. Scoped like the catalogue: a commune or site board edits its own places' guides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from xuthanh.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from xuthanh.core.qrcode import qr_svg
from xuthanh.guide import selectors, services
from xuthanh.guide.models import Clip, Listen, Narration, Stop, Tour
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin


def _progress(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return "–"
    return format_html(
        '<progress max="{}" value="{}"></progress> {} / {}{}', total, counts["ready"], counts["ready"], total,
        format_html(' · <strong>{}</strong>', gettext("%(n)s failed") % {"n": counts["failed"]})
        if counts["failed"] else "",
    )


@admin.register(Tour)
class TourAdmin(ScopedAdminMixin, AuditedAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "place", "status", "stop_count", "audio"]
    list_filter = ["status", "is_sample"]
    search_fields = ["slug", "translations__name"]
    autocomplete_fields = ["place"]
    actions = ["render_audio"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_stops=Count("stops"))

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        self._progress = selectors.audio_progress()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("stops"))
    def stop_count(self, obj: Tour) -> int:
        return obj.n_stops

    @admin.display(description=_("audio ready"))
    def audio(self, obj: Tour) -> str:
        return _progress(getattr(self, "_progress", {}).get(obj.pk, dict.fromkeys(Clip.State.values, 0)))

    @admin.action(description=_("Render the audio of the selected tours again"))
    def render_audio(self, request: HttpRequest, queryset: QuerySet) -> None:
        tours = [t for t in queryset if permissions.can_edit(request.user, t)]
        ids = services.clips_queue(stop_ids=Stop.objects.filter(tour__in=tours).values_list("pk", flat=True))
        self.message_user(request, ngettext("%(n)d clip queued for rendering.", "%(n)d clips queued for rendering.",
                                            len(ids)) % {"n": len(ids)})


class RecordingForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=_("Recording (MP3, M4A, WAV or Ogg, at most 25 MB)"))


@admin.register(Stop)
class StopAdmin(ScopedAdminMixin, AuditedAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "tour", "qr", "radius_m", "location_verified", "auto_play_shown"]
    list_filter = [("tour", admin.RelatedOnlyFieldListFilter), "location_verified"]
    search_fields = ["qr", "slug", "translations__name"]
    ordering = ["tour", "number"]
    actions = ["render_audio"]
    fieldsets = [
        (None, {"fields": ["tour", "slug", "number", "qr", "name", "script"]}),
        (_("Where it plays"), {"fields": ["lat", "lon", "radius_m", "location_verified", "location_uncertainty_m",
                                          "location_source", "location_evidence"]}),
        (_("Sources"), {"fields": ["sources"]}),
        (_("Audio"), {"fields": ["audio_links"]}),
    ]
    readonly_fields = ["audio_links"]
    translation_only_fields = ("name", "script")

    @admin.display(description=_("audio"))
    def audio_links(self, obj: Stop) -> str:
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:guide_stop_recording", args=[obj.pk]),
                           gettext("Audio of this stop, and upload a recording"))

    @admin.display(description=_("plays by itself"), boolean=True)
    def auto_play_shown(self, obj: Stop) -> bool:
        return obj.auto_play

    @admin.action(description=_("Render the audio of the selected stops again"))
    def render_audio(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = services.clips_queue(stop_ids=[s.pk for s in queryset if permissions.can_edit(request.user, s)])
        self.message_user(request, ngettext("%(n)d clip queued for rendering.", "%(n)d clips queued for rendering.",
                                            len(ids)) % {"n": len(ids)})

    def get_urls(self) -> list:
        return [
            path("<int:pk>/recording/", self.admin_site.admin_view(self.recording_view), name="guide_stop_recording"),
            *super().get_urls(),
        ]

    def recording_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Upload a person's recording of the script in one language: it replaces the engine's voice there."""
        stop = get_object_or_404(self.get_queryset(request), pk=pk)
        if not permissions.can_edit(request.user, stop):
            raise PermissionDenied
        form = RecordingForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > services.MAX_RECORDING_BYTES:  # before reading it into memory
                    raise ValueError(gettext("The recording is larger than 25 MB."))
                services.recording_upload(stop, form.cleaned_data["language"], upload.read())
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:
                self.log_change(request, stop, gettext("Recording uploaded (%(lang)s)") % {
                    "lang": form.cleaned_data["language"]})
                messages.success(request, gettext("The recording is stored and plays instead of the speech engine."))
                return HttpResponseRedirect(reverse("admin:guide_stop_change", args=[stop.pk]))
        return TemplateResponse(request, "guide/admin/recording.html", {
            **self.admin_site.each_context(request), "title": gettext("Upload a recording: %(stop)s") % {"stop": stop},
            "form": form, "stop": stop, "opts": self.opts,
            "clips": stop.clips.order_by("language", "origin"),
            "sign_url": sign_url(stop), "sign_qr": mark_safe(qr_svg(sign_url(stop))),  # noqa: S308 - segno's SVG
        })


def sign_url(stop: Stop) -> str:
    """What the QR code on the stop's sign holds: the app's address of the stop, which a phone's camera opens
    (the app then offers the stop's narration; its own scanner reads the code at the end of it)."""
    return f"{settings.SITE_URL.rstrip('/')}/app/#/stop/{stop.qr}"


@admin.register(Narration)
class NarrationAdmin(ScopedAdminMixin, AuditedAdminMixin, TranslatableAdmin):
    list_display = ["__str__"]
    search_fields = ["place__translations__name"]
    autocomplete_fields = ["place"]
    translation_only_fields = ("script",)


class OwnerScopedMixin(ReadOnlyAdminMixin):
    """Rows that belong to a stop or a place narration (clips, listening counts): each user sees those of the
    stops and narrations in their unit's scope (the province's units see all), and edits none by hand."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        user = request.user
        if permissions.is_platform_admin(user) or any(
                m.organisation.province_wide for m in permissions.memberships(user)):
            return qs
        owned = Q(pk__in=[])
        for field, model in (("stop", Stop), ("narration", Narration)):
            scope = permissions.scope_q(user, model, permissions.READ_ROLES)
            if scope is not None:
                owned |= Q(**{f"{field}__in": model.objects.filter(scope)})
        return qs.filter(owned)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.can_view(request.user, Stop)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_view(request.user, Stop)


@admin.register(Clip)
class ClipAdmin(OwnerScopedMixin, admin.ModelAdmin):
    """The audio made from the scripts: what is ready, waiting or failed and why; failed ones can be tried
    again (the queue also does, every quarter of an hour)."""

    list_display = ["__str__", "language", "origin", "state", "duration_s", "size_bytes", "voice", "attempts",
                    "error"]
    list_filter = ["state", "origin", "language"]
    list_select_related = ["stop__tour", "narration__place"]
    actions = ["render_again"]

    @admin.action(description=_("Render the selected clips again"))
    def render_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Each selected clip (of a stop or narration the user may edit) again, in its own language only."""
        queued = 0
        clips = queryset.filter(origin=Clip.Origin.ENGINE).select_related("stop__tour__place", "narration__place")
        for clip in clips:
            owner = clip.stop or clip.narration
            if not permissions.can_edit(request.user, owner):
                continue
            field = "stop_ids" if clip.stop_id else "narration_ids"
            queued += len(services.clips_queue(**{field: [owner.pk]}, languages=[clip.language]))
        self.message_user(request, ngettext("%(n)d clip queued for rendering.", "%(n)d clips queued for rendering.",
                                            queued) % {"n": queued})


@admin.register(Listen)
class ListenAdmin(OwnerScopedMixin, admin.ModelAdmin):
    """How often each stop and place narration was played, per language and day (anonymous counts)."""

    list_display = ["day", "stop", "narration", "language", "count"]
    list_filter = ["language", ("stop__tour", admin.RelatedOnlyFieldListFilter), "day"]
    list_select_related = ["stop__tour", "narration__place"]
    date_hierarchy = "day"
