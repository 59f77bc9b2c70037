"""The audio guide's data: guided tours of a catalogue place with their ordered stops (a point and a trigger
zone, the sign's QR id and keypad number, a narration script per language), a short narration for any
place, the audio clips rendered from the scripts (or recorded by an officer), anonymous listening counts, and
the 360° scenes of a tour with their hotspots (ways to the next scene, information spots)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.catalog.models import Photo, Place
from xuthanh.catalog.models.base import translation_status_field
from xuthanh.catalog.models.places import location_precise
from xuthanh.core.models import Publishable
from xuthanh.core.sourcetrack import tracking_fields

MIN_RADIUS_M, MAX_RADIUS_M = 10, 500


def validate_sources(value: object) -> None:
    """Sources are a list of texts (URLs or titles)."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValidationError(_("Give the sources as a list of texts, e.g. [\"https://…\", \"Wikipedia vi: …\"]."))


class Tour(TranslatableModel, Publishable):
    """A guided walk (or drive) through one catalogue place, stop by stop."""

    SCOPE_COMMUNE = "place__commune"  # the place's commune and its site board edit its tours (orgs.permissions)
    SCOPE_SITE = "place__managed_by"

    slug = models.SlugField(_("short id"), max_length=120, unique=True)
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="guided_tours")
    sources = models.JSONField(_("sources"), default=list, blank=True, validators=[validate_sources],
                               help_text=_("What the tour's facts were checked against (URLs or titles)."))
    is_sample = models.BooleanField(_("sample"), default=False)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        summary=models.CharField(_("summary"), max_length=300, blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )

    class Meta:
        verbose_name = _("guided tour")
        verbose_name_plural = _("guided tours")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug


class Stop(TranslatableModel):
    """A point of a tour: where its narration plays (a zone around the point), and the sign that names it."""

    SCOPE_COMMUNE = "tour__place__commune"
    SCOPE_SITE = "tour__place__managed_by"
    PUBLISHED_PATH = "tour__status"  # the translation desk's "published only" (catalog.selectors.published_q)

    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="stops")
    slug = models.SlugField(_("short id"), max_length=80)
    number = models.PositiveSmallIntegerField(
        _("keypad number"), validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text=_("The number printed on the stop's sign, typed on the keypad of the app or a kiosk."),
    )
    qr = models.CharField(
        _("QR code id"), max_length=20, unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9\-]{1,19}$", _("Capital letters, digits and dashes."))],
        help_text=_("The id in the QR code on the stop's sign, e.g. TNH-01."),
    )
    lat = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    radius_m = models.PositiveSmallIntegerField(
        _("trigger radius (m)"), default=40,
        validators=[MinValueValidator(MIN_RADIUS_M), MaxValueValidator(MAX_RADIUS_M)],
        help_text=_("The narration starts by itself when a visitor walks within this distance of the point."),
    )
    location_verified = models.BooleanField(
        _("location checked"), default=False,
        help_text=_("The point was read from a published coordinate or taken on site."),
    )
    location_uncertainty_m = models.PositiveIntegerField(_("location uncertainty (m)"), null=True, blank=True)
    location_source = models.CharField(_("location source"), max_length=500, blank=True)
    location_evidence = models.CharField(_("what the source says"), max_length=600, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True, validators=[validate_sources])
    photos = models.ManyToManyField(
        Photo, verbose_name=_("photos"), blank=True, related_name="guide_stops",
        help_text=_("Photos of the tour's place (uploaded on the place, with their author and licence) that show "
                    "this stop; the first is shown with the stop."),
    )
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        script=models.TextField(_("narration script"), blank=True,
                                help_text=_("What the guide says at this stop, as it is to be spoken.")),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["tour", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "number"], name="guide_stop_number_per_tour"),
            models.UniqueConstraint(fields=["tour", "slug"], name="guide_stop_slug_per_tour"),
        ]

    def __str__(self) -> str:
        name = self.safe_translation_getter("name", any_language=True) or self.slug
        return f"{self.number}. {name}"

    @property
    def auto_play(self) -> bool:
        """May the app start this stop by itself when the visitor walks in? Only when the point is known to
        within the trigger radius: a zone around an estimated point would play in the wrong place."""
        return location_precise(self.location_verified, self.location_uncertainty_m) and (
            self.location_uncertainty_m or 0) <= self.radius_m


class Narration(TranslatableModel):
    """A place's short narration, played from its page (any place, tour or not)."""

    SCOPE_COMMUNE = "place__commune"
    SCOPE_SITE = "place__managed_by"
    TRANSLATION_MAIN_FIELD = "script"  # a translation without it is missing (catalog.selectors)
    PUBLISHED_PATH = "place__status"

    place = models.OneToOneField(Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="narration")
    translations = TranslatedFields(
        script=models.TextField(_("narration script"), blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )

    class Meta:
        verbose_name = _("place narration")
        verbose_name_plural = _("place narrations")

    def __str__(self) -> str:
        return str(self.place)


class Clip(models.Model):
    """The audio of one script in one language: rendered by a speech engine, or recorded by an officer (a
    recording always wins over the engine for that script and language)."""

    class Origin(models.TextChoices):
        ENGINE = "engine", _("Speech engine")
        RECORDING = "recording", _("Human recording")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, null=True, blank=True, related_name="clips")
    narration = models.ForeignKey(Narration, on_delete=models.CASCADE, null=True, blank=True, related_name="clips")
    scene = models.ForeignKey("Scene", on_delete=models.CASCADE, null=True, blank=True, related_name="clips")
    language = models.CharField(_("language"), max_length=10)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.ENGINE)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    key = models.CharField(_("rendering key"), max_length=64, blank=True,
                           help_text=_("Digest of the text, the voice and the settings the audio was made from."))
    audio = models.FileField(_("audio"), upload_to="guide/audio/", blank=True)
    transcript = models.TextField(_("transcript (WebVTT)"), blank=True)
    duration_s = models.FloatField(_("duration (s)"), null=True, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    engine = models.CharField(_("engine"), max_length=80, blank=True)
    voice = models.CharField(_("voice"), max_length=80, blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("audio clip")
        verbose_name_plural = _("audio clips")
        constraints = [
            models.CheckConstraint(
                condition=Q(stop__isnull=False, narration__isnull=True, scene__isnull=True)
                | Q(stop__isnull=True, narration__isnull=False, scene__isnull=True)
                | Q(stop__isnull=True, narration__isnull=True, scene__isnull=False),
                name="guide_clip_one_owner",
            ),
            models.UniqueConstraint(fields=["scene", "language", "origin"], condition=Q(scene__isnull=False),
                                    name="guide_clip_scene_language_origin"),
            models.UniqueConstraint(fields=["stop", "language", "origin"], condition=Q(stop__isnull=False),
                                    name="guide_clip_stop_language_origin"),
            models.UniqueConstraint(fields=["narration", "language", "origin"], condition=Q(narration__isnull=False),
                                    name="guide_clip_narration_language_origin"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} [{self.language}] {self.get_origin_display()}"

    @property
    def owner(self) -> Any:
        """The stop, place narration or 360° scene whose script this clip speaks."""
        return self.stop if self.stop_id else self.narration if self.narration_id else self.scene

    @property
    def transcript_path(self) -> str:
        """Where the API serves the clip's WebVTT captions (guide/api.py: transcript)."""
        return f"/api/v1/guide/clips/{self.pk}/transcript.vtt"


class Listen(models.Model):
    """How many times a stop's or a place's narration was played, per language and day: a count, nothing
    about who listened."""

    language = models.CharField(_("language"), max_length=10)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("listenings"), default=0)

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, null=True, blank=True, related_name="listens")
    narration = models.ForeignKey(Narration, on_delete=models.CASCADE, null=True, blank=True, related_name="listens")

    class Meta:
        verbose_name = _("listening count")
        verbose_name_plural = _("listening counts")
        constraints = [
            models.UniqueConstraint(fields=["stop", "language", "day"], condition=Q(stop__isnull=False),
                                    name="guide_listen_stop_day"),
            models.UniqueConstraint(fields=["narration", "language", "day"], condition=Q(narration__isnull=False),
                                    name="guide_listen_narration_day"),
        ]

    def __str__(self) -> str:
        return f"{self.stop or self.narration} [{self.language}] {self.day}: {self.count}"


def validate_panorama(file: Any) -> None:
    """An equirectangular panorama a phone can show (guide.panorama.check); the message says what is wrong."""
    from django.conf import settings

    from xuthanh.guide import panorama

    if getattr(file, "_committed", False):
        return  # stored already (checked when uploaded): a scene's other edits do not read it again
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        panorama.check(data, max_bytes=settings.GUIDE_PANORAMA_MAX_BYTES)
    except panorama.PanoramaError as exc:
        raise ValidationError(_("Panorama rejected: %(reason)s.") % {"reason": str(exc)}) from exc


class Scene(TranslatableModel):
    """One 360° view of a tour: an equirectangular panorama, where the view opens, and where it was taken
    (at a stop of the tour, whose narration then plays in the view, or at a point of its own)."""

    SCOPE_COMMUNE = "tour__place__commune"
    SCOPE_SITE = "tour__place__managed_by"
    TRANSLATION_MAIN_FIELD = "title"
    PUBLISHED_PATH = "tour__status"
    AUDIT_CHILDREN = ("hotspots",)

    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="scenes")
    slug = models.SlugField(_("short id"), max_length=80)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    stop = models.ForeignKey(
        Stop, verbose_name=_("taken at the stop"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="scenes", help_text=_("The stop's narration plays in this view, and the view is on the "
                                           "stop's point of the map."),
    )
    panorama = models.ImageField(
        _("panorama"), upload_to="guide/panoramas/", validators=[validate_panorama],
        help_text=_("An equirectangular 360° photo, twice as wide as high (e.g. 8000×4000), JPEG, PNG or WebP."),
    )
    display = models.ImageField(_("viewer copy"), upload_to="guide/panoramas/view/", blank=True, editable=False)
    preview = models.ImageField(_("flat preview"), upload_to="guide/panoramas/preview/", blank=True,
                                editable=False)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    package_bytes = models.PositiveIntegerField(default=0, editable=False,
                                                help_text="The viewer's copy and the preview: what a phone downloads")
    lat = models.FloatField(_("latitude"), null=True, blank=True,
                            validators=[MinValueValidator(-90), MaxValueValidator(90)],
                            help_text=_("Where the photo was taken, when not at a stop."))
    lon = models.FloatField(_("longitude"), null=True, blank=True,
                            validators=[MinValueValidator(-180), MaxValueValidator(180)])
    initial_yaw = models.FloatField(_("initial direction (°)"), default=0,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    initial_pitch = models.FloatField(_("initial height (°)"), default=0,
                                      validators=[MinValueValidator(-90), MaxValueValidator(90)])
    initial_zoom = models.PositiveSmallIntegerField(_("initial zoom"), default=30,
                                                    validators=[MaxValueValidator(100)])
    is_sample = models.BooleanField(_("sample"), default=False,
                                    help_text=_("A generated picture standing in for a photograph."))
    credit = models.CharField(_("author and licence"), max_length=300, blank=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        script=models.TextField(_("narration script"), blank=True,
                                help_text=_("What the guide says in this view; empty: the stop's narration plays.")),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )

    class Meta:
        verbose_name = _("360° scene")
        verbose_name_plural = _("360° scenes")
        ordering = ["tour", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["tour", "slug"], name="guide_scene_slug_per_tour")]

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def clean(self) -> None:
        if self.stop_id and self.tour_id and self.stop.tour_id != self.tour_id:
            raise ValidationError({"stop": _("The stop belongs to another tour.")})
        if (self.lat is None) != (self.lon is None):
            raise ValidationError(_("Give both the latitude and the longitude, or neither."))

    @property
    def point(self) -> tuple[float, float] | None:
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        return (self.stop.lat, self.stop.lon) if self.stop_id else None


class Hotspot(TranslatableModel):
    """A spot in a scene's panorama: a way to another scene of the tour, or a note about what is there."""

    SCOPE_COMMUNE = "scene__tour__place__commune"
    SCOPE_SITE = "scene__tour__place__managed_by"
    TRANSLATION_MAIN_FIELD = "title"
    PUBLISHED_PATH = "scene__tour__status"
    TRANSLATABLE_Q = Q(target__isnull=True)  # a way to another scene has no text of its own

    scene = models.ForeignKey(Scene, verbose_name=_("scene"), on_delete=models.CASCADE, related_name="hotspots")
    target = models.ForeignKey(
        Scene, verbose_name=_("leads to"), on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("Another scene of the tour; leave empty for an information spot."),
    )
    yaw = models.FloatField(_("direction (°)"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    pitch = models.FloatField(_("height (°)"), default=0, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200, blank=True,
                               help_text=_("Information spots: what is there. Ways: the target's title is used.")),
        text=models.TextField(_("text"), blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["scene", "yaw"]

    def __str__(self) -> str:
        if self.target_id:
            return f"→ {self.target}"
        return self.safe_translation_getter("title", any_language=True) or f"{self.yaw:.0f}°"

    def clean(self) -> None:
        scene = getattr(self, "scene", None)  # an inline's new row knows its scene before the scene has an id
        if self.target_id and scene is not None:
            if self.target_id == scene.pk:
                raise ValidationError({"target": _("A way leads to another scene, not to its own.")})
            if self.target.tour_id != scene.tour_id:
                raise ValidationError({"target": _("The scene belongs to another tour.")})


# The models whose script a clip speaks, by the clip's field name (services, signals and the admin read this).
CLIP_OWNERS: dict[str, type[models.Model]] = {"stop": Stop, "narration": Narration, "scene": Scene}
