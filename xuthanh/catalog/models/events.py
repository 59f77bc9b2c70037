"""Events and festivals, with real recurrence: once, every year on a solar date, or on a lunar date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from xuthanh.areas.boundary import in_province
from xuthanh.areas.models import Commune
from xuthanh.catalog.models.base import TranslatedContent, translation_status_field
from xuthanh.catalog.models.places import Place
from xuthanh.core.lunar import LunarDateError, lunar_to_solar, solar_to_lunar
from xuthanh.core.sourcetrack import tracking_fields
from xuthanh.orgs.models import Organisation

Span = tuple[dt.date, dt.date]


class Event(TranslatedContent):
    class Kind(models.TextChoices):
        FESTIVAL = "festival", _("Traditional festival")
        EVENT = "event", _("Event")
        SPORT = "sport", _("Sport")
        EXHIBITION = "exhibition", _("Exhibition / fair")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once (fixed dates)")
        SOLAR = "solar", _("Every year, solar date")
        LUNAR = "lunar", _("Every year, lunar date")

    SCOPE_COMMUNE = "commune"
    SCOPE_SITE = "managed_by"

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FESTIVAL)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        summary=models.CharField(_("summary"), max_length=300, blank=True),
        description=models.TextField(_("description"), blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune / ward"), on_delete=models.PROTECT, related_name="events"
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=6, choices=Recurrence.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    duration_days = models.PositiveSmallIntegerField(_("length (days)"), default=1)
    managed_by = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        verbose_name = _("event / festival")
        verbose_name_plural = _("events and festivals")
        ordering = ["month", "day", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=366), name="event_duration"
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.recurrence == self.Recurrence.ONCE:
            if not self.start_date:
                errors["start_date"] = _("A one-off event needs a start date.")
            elif self.end_date and self.end_date < self.start_date:
                errors["end_date"] = _("The end date is before the start date.")
        elif self.recurrence in (self.Recurrence.SOLAR, self.Recurrence.LUNAR):
            if not self.month or not 1 <= self.month <= 12:
                errors["month"] = _("Give the month (1–12).")
            max_day = 30 if self.recurrence == self.Recurrence.LUNAR else 31
            if not self.day or not 1 <= self.day <= max_day:
                errors["day"] = _("Give the day (1–%(max)s).") % {"max": max_day}
            elif self.recurrence == self.Recurrence.SOLAR and self.month and 1 <= self.month <= 12:
                try:
                    dt.date(2024, self.month, self.day)
                except ValueError:
                    errors["day"] = _("%(day)s/%(month)s is not a date.") % {
                        "day": self.day,
                        "month": self.month,
                    }
        if (self.lat is None) != (self.lon is None):
            errors["lon"] = _("Give both latitude and longitude, or neither.")
        elif self.lat is not None and not in_province(self.lat, self.lon):
            errors["lat"] = _("The point is outside Thanh Hóa province.")
        if errors:
            raise ValidationError(errors)

    def extra_search_terms(self) -> list[str]:
        return [self.commune.name, self.commune.former_districts] if self.commune_id else []

    @property
    def location(self) -> tuple[float, float] | None:
        if self.lat is not None:
            return self.lat, self.lon
        if self.place_id:
            return self.place.lat, self.place.lon
        return None

    # ---- dates ----
    def _span(self, start: dt.date) -> Span:
        return start, start + dt.timedelta(days=self.duration_days - 1)

    def occurrences_in(self, year: int) -> list[Span]:
        """Every occurrence starting in the solar `year`."""
        if self.recurrence == self.Recurrence.ONCE:
            if self.start_date and self.start_date.year == year:
                return [(self.start_date, self.end_date or self.start_date)]
            return []
        if self.recurrence == self.Recurrence.SOLAR:
            try:
                return [self._span(dt.date(year, self.month, self.day))]
            except ValueError:  # 29 February in a common year
                return [self._span(dt.date(year, 3, 1))]
        spans = []
        for lunar_year in (year - 1, year):
            try:
                start = lunar_to_solar(lunar_year, self.month, self.day)
            except LunarDateError:
                continue
            if start.year == year:
                spans.append(self._span(start))
        return spans

    def occurrences_overlapping(self, first: dt.date, last: dt.date) -> list[Span]:
        """Every occurrence with at least one day in `first`..`last` (lunar ones may start the year before)."""
        return [
            (start, end)
            for year in range(first.year - 1, last.year + 1)
            for start, end in self.occurrences_in(year)
            if end >= first and start <= last
        ]

    def next_occurrence(self, today: dt.date | None = None) -> Span | None:
        """The occurrence happening now or next (within two years)."""
        today = today or timezone.localdate()
        for year in (today.year - 1, today.year, today.year + 1, today.year + 2):
            for start, end in self.occurrences_in(year):
                if end >= today:
                    return start, end
        return None

    def lunar_label(self) -> str:
        if self.recurrence != self.Recurrence.LUNAR:
            return ""
        return _("%(day)s/%(month)s lunar") % {"day": self.day, "month": self.month}


def lunar_of(day: dt.date) -> str:
    year, month, lunar_day, leap = solar_to_lunar(day)
    return f"{lunar_day}/{month}{'*' if leap else ''}"
