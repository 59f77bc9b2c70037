"""Back office of the audio guide: tours (with how much of their audio is ready), stops (scripts per language,
the trigger zone, a recording to upload), place narrations, the clips with their state, error and a way
to render them again, and the 360° scenes (a panorama checked on upload, its hotspots placed by clicking in
the viewer, the opening view, a preview in each language). Scoped like the catalogue: a commune or site
board edits its own places' guides."""

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
from parler.admin import TranslatableAdmin, TranslatableTabularInline
from parler.forms import TranslatableModelForm

from xuthanh.core import audit, csp
from xuthanh.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from xuthanh.core.models import AuditEntry
from xuthanh.core.qrcode import qr_svg
from xuthanh.guide import selectors, services
from xuthanh.guide.models import CLIP_OWNERS, Clip, Hotspot, Listen, Narration, Scene, Stop, Tour
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin, ScopedInlineMixin


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


class StopForm(TranslatableModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        tour = data.get("tour") or getattr(self.instance, "tour", None)
        foreign = [p for p in data.get("photos") or [] if tour is not None and p.place_id != tour.place_id]
        if foreign:
            self.add_error("photos", gettext(
                "Choose photos of the tour's place (%(place)s); upload others there first.") % {"place": tour.place})
        return data


@admin.register(Stop)
class StopAdmin(ScopedAdminMixin, AuditedAdminMixin, TranslatableAdmin):
    form = StopForm
    filter_horizontal = ["photos"]
    list_display = ["__str__", "tour", "qr", "radius_m", "location_verified", "auto_play_shown"]
    list_filter = [("tour", admin.RelatedOnlyFieldListFilter), "location_verified"]
    search_fields = ["qr", "slug", "translations__name"]
    ordering = ["tour", "number"]
    actions = ["render_audio"]
    fieldsets = [
        (None, {"fields": ["tour", "slug", "number", "qr", "name", "script", "photos"]}),
        (_("Where it plays"), {"fields": ["lat", "lon", "radius_m", "location_verified", "location_uncertainty_m",
                                          "location_source", "location_evidence"]}),
        (_("Sources"), {"fields": ["sources"]}),
        (_("Audio"), {"fields": ["audio_links"]}),
    ]
    readonly_fields = ["audio_links"]
    translation_only_fields = ("name", "script")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        stop_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if db_field.name == "photos" and stop_id:  # the photos of the tour's place only
            place_id = Stop.objects.filter(pk=stop_id).values_list("tour__place_id", flat=True).first()
            field.queryset = field.queryset.filter(place_id=place_id)
        return field

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
                clip = services.recording_upload(stop, form.cleaned_data["language"], upload.read())
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:  # the clip's entry: a new recording (its file, length and key), by whom
                audit.record(actor=request.user, action=AuditEntry.Action.CREATE, obj=clip,
                             note=gettext("Recording uploaded (%(lang)s)") % {"lang": form.cleaned_data["language"]})
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
        # the rows' names (a stop's, a place's) from prefetched translations: not one query per row
        owners = [name for name in CLIP_OWNERS if any(f.name == name for f in self.model._meta.get_fields())]
        translations = {"stop": "stop__translations", "narration": "narration__place__translations",
                        "scene": "scene__translations"}
        qs = super().get_queryset(request).prefetch_related(*(translations[name] for name in owners))
        user = request.user
        if permissions.is_platform_admin(user) or any(
                m.organisation.province_wide for m in permissions.memberships(user)):
            return qs
        owned = Q(pk__in=[])
        for field, model in ((name, CLIP_OWNERS[name]) for name in owners):
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
    list_select_related = ["stop__tour", "narration__place", "scene__tour"]
    actions = ["render_again"]

    @admin.action(description=_("Render the selected clips again"))
    def render_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Each selected clip (of a stop or narration the user may edit) again, in its own language only."""
        queued = 0
        clips = queryset.filter(origin=Clip.Origin.ENGINE).select_related(
            "stop__tour__place", "narration__place", "scene__tour__place")
        for clip in clips:
            owner = clip.owner
            if not permissions.can_edit(request.user, owner):
                continue
            field = next(f"{name}_ids" for name in CLIP_OWNERS if getattr(clip, f"{name}_id"))
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


class HotspotInline(ScopedInlineMixin, TranslatableTabularInline):
    model = Hotspot
    fk_name = "scene"
    extra = 0
    fields = ["target", "yaw", "pitch", "title", "text"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "target":  # the other scenes of the same tour (a new scene: none yet)
            scene_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            tour_id = Scene.objects.filter(pk=scene_id).values_list("tour_id", flat=True).first() if scene_id else None
            others = Scene.objects.filter(tour_id=tour_id).exclude(pk=scene_id).prefetch_related("translations")
            field.queryset = others if tour_id else Scene.objects.none()
        return field


class HotspotForm(forms.Form):
    """A hotspot placed by a click in the viewer: a way to another scene, or a note."""

    target = forms.ModelChoiceField(label=_("Leads to"), queryset=Scene.objects.none(), required=False,
                                    empty_label=_("(an information spot)"))
    yaw = forms.FloatField(label=_("direction (°)"), min_value=-180, max_value=180)
    pitch = forms.FloatField(label=_("height (°)"), min_value=-90, max_value=90)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, scene: Scene, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Scene.objects.filter(tour_id=scene.tour_id).exclude(pk=scene.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("target") and not (data.get("title") or "").strip():
            raise forms.ValidationError(_("An information spot needs a title (or choose the scene it leads to)."))
        return data


class InitialViewForm(forms.Form):
    initial_yaw = forms.FloatField(label=_("initial direction (°)"), min_value=-180, max_value=180)
    initial_pitch = forms.FloatField(label=_("initial height (°)"), min_value=-90, max_value=90)
    initial_zoom = forms.IntegerField(label=_("initial zoom"), min_value=0, max_value=100)


@admin.register(Scene)
class SceneAdmin(ScopedAdminMixin, AuditedAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "tour", "position", "thumbnail", "is_sample", "hotspot_count", "author_link"]
    list_filter = [("tour", admin.RelatedOnlyFieldListFilter), "is_sample"]
    search_fields = ["slug", "translations__title"]
    list_select_related = ["tour"]
    ordering = ["tour", "position"]
    inlines = [HotspotInline]
    fieldsets = [
        (None, {"fields": ["tour", "slug", "position", "title", "stop", "script"]}),
        (_("Panorama"), {"fields": ["panorama", "thumbnail", "credit", "is_sample", "author_link"]}),
        (_("Where it opens and where it was taken"),
         {"fields": ["initial_yaw", "initial_pitch", "initial_zoom", "lat", "lon"]}),
    ]
    readonly_fields = ["thumbnail", "author_link"]
    translation_only_fields = ("title", "script")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from django.db.models import Count

        return (super().get_queryset(request).annotate(n_hotspots=Count("hotspots"))
                .prefetch_related("translations", "tour__translations"))

    @admin.display(description=_("hotspots"))
    def hotspot_count(self, obj: Scene) -> int:
        return getattr(obj, "n_hotspots", 0)

    @admin.display(description=_("flat preview"))
    def thumbnail(self, obj: Scene) -> str:
        if not obj.preview:
            return "–"
        return format_html('<img src="{}" alt="" width="256" height="128" loading="lazy">', obj.preview.url)

    @admin.display(description=_("hotspots and opening view"))
    def author_link(self, obj: Scene) -> str:
        if not obj.pk or not obj.display:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:guide_scene_author", args=[obj.pk]),
                           gettext("Place hotspots in the viewer"))

    def save_model(self, request: HttpRequest, obj: Scene, form: Any, change: bool) -> None:
        if "panorama" in form.changed_data:  # checked by the field's validator; stored without its GPS position
            upload = form.cleaned_data["panorama"]
            upload.seek(0)
            services.scene_panorama_set(obj, upload.read(), filename=upload.name, save=False)
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list:
        return [
            path("<int:pk>/author/", self.admin_site.admin_view(self.author_view), name="guide_scene_author"),
            *super().get_urls(),
        ]

    def author_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The scene in the viewer: a click gives a hotspot's direction and height; the view as it stands can
        become the opening view; the scene and its spots shown in any language."""
        from xuthanh.guide import views

        scene = get_object_or_404(self.get_queryset(request).exclude(display=""), pk=pk)
        editable = permissions.can_edit(request.user, scene)
        action = request.POST.get("action") if request.method == "POST" else None
        if action and not editable:
            raise PermissionDenied
        language = request.GET.get("language") or request.POST.get("language") or settings.SOURCE_LANGUAGE
        if language not in dict(settings.LANGUAGES):
            language = settings.SOURCE_LANGUAGE
        spot_form = HotspotForm(request.POST if action == "hotspot" else None, scene=scene,
                                initial={"language": language})
        view_form = InitialViewForm(request.POST if action == "initial" else None, initial={
            "initial_yaw": scene.initial_yaw, "initial_pitch": scene.initial_pitch, "initial_zoom": scene.initial_zoom})
        done = None
        before = audit.snapshot(scene)
        if action == "hotspot" and spot_form.is_valid():
            data = spot_form.cleaned_data
            spot = services.hotspot_add(scene, yaw=data["yaw"], pitch=data["pitch"], target=data["target"],
                                        language=data["language"], title=data["title"], text=data["text"])
            done = gettext("Hotspot added: %(spot)s") % {"spot": spot}
        elif action == "initial" and view_form.is_valid():
            data = view_form.cleaned_data
            services.scene_initial_view_set(scene, yaw=data["initial_yaw"], pitch=data["initial_pitch"],
                                            zoom=data["initial_zoom"])
            done = gettext("Opening view saved.")
        if done:
            audit.record(actor=request.user, action=AuditEntry.Action.UPDATE, obj=scene, before=before, note=done)
            messages.success(request, done)
            return HttpResponseRedirect(f"{reverse('admin:guide_scene_author', args=[scene.pk])}?language={language}")
        found = selectors.tour_scenes_any(scene.tour_id)
        nodes = selectors.scene_nodes(found, language, url=lambda u: u)
        importmap = views.viewer_importmap()
        response = TemplateResponse(request, "guide/admin/scene_author.html", {
            **self.admin_site.each_context(request), "title": gettext("Hotspots of %(scene)s") % {"scene": scene},
            "scene": scene, "opts": self.opts, "spot_form": spot_form, "view_form": view_form,
            "editable": editable, "language": language, "languages": settings.LANGUAGES,
            "importmap": importmap,
            "viewer": views.viewer_data(nodes, scene.slug),
            "spots": list(scene.hotspots.prefetch_related("translations", "target__translations")),
        })
        return csp.allow_inline_script(response, str(importmap), fetch_media=True)
