"""The kiosk fleet: the locations the plan names (Thọ Xuân airport, Thanh Hóa station, Na Mèo border gate,
the Lê Lợi monument area, key sites), the devices installed there with their settings and their enrolment
(a one-time code exchanged for a device token; both kept only as hashes), the uptime intervals folded from
their heartbeats (core.uptime), and the commands queued for their next heartbeat."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.catalog.models import Place
from xuthanh.orgs.models import Organisation


def validate_languages(value: object) -> None:
    """A list of configured language codes (["en", "zh-hans"]), or empty."""
    from django.core.exceptions import ValidationError

    from xuthanh.core.languages import LANG_CODES

    if not isinstance(value, list) or any(code not in LANG_CODES for code in value):
        raise ValidationError(_("Give a list of language codes among: %(codes)s.") % {"codes": ", ".join(LANG_CODES)})


class Location(TranslatableModel):
    """A place where kiosks stand: a gateway (airport, station, border gate), a city spot or a key site."""

    class Kind(models.TextChoices):
        AIRPORT = "airport", _("Airport")
        STATION = "station", _("Railway station")
        BORDER = "border", _("Border gate")
        CITY = "city", _("City centre")
        SITE = "site", _("Key tourist site")

    SCOPE_OPERATOR = "operator"  # the unit that runs the machines (the promotion centre) sees and edits them

    slug = models.SlugField(_("short id"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    place = models.ForeignKey(Place, verbose_name=_("catalogue place"), on_delete=models.PROTECT,
                              related_name="kiosk_locations",
                              help_text=_("The gateway's or site's record in the catalogue (its point and name)."))
    operator = models.ForeignKey(Organisation, verbose_name=_("run by"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="kiosk_locations")
    lat = models.FloatField(_("latitude"), null=True, blank=True,
                            validators=[MinValueValidator(-90), MaxValueValidator(90)],
                            help_text=_("Where the machines stand, when not at the place's point (e.g. the terminal)."))
    lon = models.FloatField(_("longitude"), null=True, blank=True,
                            validators=[MinValueValidator(-180), MaxValueValidator(180)])
    devices_planned = models.PositiveSmallIntegerField(
        _("kiosks planned"), default=2, help_text=_("The plan installs two machines per location."))
    named_in_plan = models.BooleanField(
        _("named in the plan"), default=False,
        help_text=_("One of the locations the plan (KH 115/KH-UBND) names; counted in its 2025 target."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        note=models.TextField(_("getting on from here"), blank=True,
                              help_text=_("A sourced sentence for travellers arriving here (distances, roads).")),
    )
    note_source = models.CharField(_("source of the note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kiosk location")
        verbose_name_plural = _("kiosk locations")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.slug

    @property
    def point(self) -> tuple[float, float]:
        """Where "you are here" is: the machines' own point, else the catalogue place's."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        return self.place.lat, self.place.lon


class Device(models.Model):
    """One enrolled kiosk: where it stands, how it shows itself, and what it last said."""

    class Orientation(models.TextChoices):
        PORTRAIT = "portrait", _("Portrait (1080×1920)")
        LANDSCAPE = "landscape", _("Landscape (1920×1080)")

    class State(models.TextChoices):
        ACTIVE = "active", _("In service")
        RETIRED = "retired", _("Retired")

    SCOPE_OPERATOR = "location__operator"
    AUDIT_SECRETS = ("token_hash", "enrol_code_hash")  # core.audit keeps only that they changed

    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT,
                                 related_name="devices")
    name = models.CharField(_("name"), max_length=120, help_text=_("As on the label of the machine, e.g. TX-1."))
    orientation = models.CharField(_("screen"), max_length=10, choices=Orientation.choices,
                                   default=Orientation.PORTRAIT)
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_languages],
                                 help_text=_("Language codes offered first; empty: all configured languages."))
    idle_seconds = models.PositiveSmallIntegerField(
        _("reset after idle (s)"), default=90, validators=[MinValueValidator(20), MaxValueValidator(900)],
        help_text=_("After this long untouched, the kiosk forgets what was typed and shows its attract loop."))
    group = models.SlugField(_("content group"), max_length=40, blank=True)
    screen_on = models.TimeField(_("screen on at"), default=dt.time(6, 0))
    screen_off = models.TimeField(_("screen off at"), default=dt.time(22, 0))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.ACTIVE)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_prefix = models.CharField(_("token"), max_length=8, blank=True, editable=False)
    enrol_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    enrol_code_expires = models.DateTimeField(null=True, blank=True, editable=False)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False, db_index=True)
    last_beat = models.JSONField(_("last heartbeat's report"), default=dict, blank=True, editable=False)
    last_use_id = models.CharField(max_length=40, blank=True, editable=False)  # the last use batch counted
    alerted_at = models.DateTimeField(_("offline alert sent"), null=True, blank=True, editable=False,
                                      help_text=_("For the current outage; cleared by the next heartbeat."))
    screenshot = models.FileField(_("last screenshot"), upload_to="kiosks/screens/", blank=True, editable=False)
    screenshot_at = models.DateTimeField(_("screenshot taken"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")
        ordering = ["location", "name"]
        constraints = [models.UniqueConstraint(fields=["location", "name"], name="kiosk_name_per_location")]

    def __str__(self) -> str:
        return f"{self.location} · {self.name}"


class UptimeInterval(models.Model):
    """A stretch of time a device beat without a gap (first and last heartbeat, server time)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="intervals")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = _("uptime interval")
        verbose_name_plural = _("uptime intervals")
        indexes = [models.Index(fields=["device", "-start"], name="kiosk_interval_latest")]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class Use(models.Model):
    """What a kiosk was used for on a day, anonymous: sessions, the languages chosen, the searches typed
    (folded, the most frequent kept), the places offered to a phone by QR code. Nothing about a visitor."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="uses")
    day = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    handoffs = models.PositiveIntegerField(_("QR hand-offs shown"), default=0)
    languages = models.JSONField(default=dict, blank=True)  # {"en": 12, …}
    searches = models.JSONField(default=dict, blank=True)  # {"lam kinh": 3, …}

    class Meta:
        verbose_name = _("kiosk use")
        verbose_name_plural = _("kiosk uses")
        constraints = [models.UniqueConstraint(fields=["device", "day"], name="kiosk_use_per_day")]

    def __str__(self) -> str:
        return f"{self.device} {self.day}: {self.sessions}"


class Command(models.Model):
    """Something a device does at its next heartbeat: reload, show a message, change its content group."""

    class Kind(models.TextChoices):
        RELOAD = "reload", _("Reload")
        MESSAGE = "message", _("Show a message")
        GROUP = "group", _("Change content group")

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="commands")
    kind = models.CharField(_("command"), max_length=8, choices=Kind.choices)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    acked_at = models.DateTimeField(_("carried out"), null=True, blank=True,
                                    help_text=_("The kiosk said so; until then the command is sent again."))

    class Meta:
        verbose_name = _("kiosk command")
        verbose_name_plural = _("kiosk commands")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["device", "acked_at"], name="kiosk_command_pending")]

    def __str__(self) -> str:
        return f"{self.device}: {self.get_kind_display()}"


class Feature(models.Model):
    """What a group of kiosks shows first, on its home screen and in its attract loop, between two dates:
    e.g. the airport kiosks show the Lam Kinh festival during its month. A place or an event of the
    catalogue (published ones only are shown), for one content group or, with none, for every kiosk."""

    group = models.SlugField(_("content group"), max_length=40, blank=True,
                             help_text=_("The kiosks' content group (as set on each kiosk); empty: every kiosk."))
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.CASCADE, null=True, blank=True,
                              related_name="kiosk_features")
    event = models.ForeignKey("catalog.Event", verbose_name=_("event"), on_delete=models.CASCADE, null=True,
                              blank=True, related_name="kiosk_features")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), help_text=_("Shown until the end of this day."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("featured on kiosks")
        verbose_name_plural = _("featured on kiosks")
        ordering = ["starts_on", "group"]
        indexes = [models.Index(fields=["ends_on", "starts_on"], name="kiosk_feature_dates")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="kiosk_feature_span"),
            models.CheckConstraint(condition=models.Q(place__isnull=True, event__isnull=False)
                                   | models.Q(place__isnull=False, event__isnull=True), name="kiosk_feature_one"),
        ]

    def __str__(self) -> str:
        return f"{self.group or '*'}: {self.place or self.event} ({self.starts_on}–{self.ends_on})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if (self.place_id is None) == (self.event_id is None):
            errors["place"] = _("Choose a place or an event (one of the two).")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day is before the first.")
        elif self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > 366:
            errors["ends_on"] = _("At most a year: schedule it again next year.")
        if errors:
            raise ValidationError(errors)
