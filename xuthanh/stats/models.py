"""Statistical reports of tourism businesses: the forms (versioned data), the reports filed under them, the
province's roll-up kept per month (Aggregate) and the official figures already published.

A report keeps the form version it was filed under, the values as typed (by-market indicators as a mapping),
the derived figures computed by `stats.checks`, and who filed it, when, and for whom.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xuthanh.areas.models import Commune
from xuthanh.core.models import TimeStamped
from xuthanh.orgs.models import Organisation
from xuthanh.registry.models import Establishment
from xuthanh.stats import periods


def label_in(labels: dict[str, str], lang: str | None = None) -> str:
    """A data label in the reader's language (forms carry vi and en; others read English)."""
    lang = (lang or get_language() or "vi").split("-")[0]
    return labels.get(lang) or labels.get("en") or labels.get("vi") or ""


class ReportForm(models.Model):
    """One version of a report form, as loaded from data/forms/*.toml (`manage.py load_report_forms`)."""

    class Period(models.TextChoices):
        MONTH = periods.MONTH, _("Monthly")
        YEAR = periods.YEAR, _("Annual")

    code = models.SlugField(_("form"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("for"), max_length=16, choices=Establishment.Kind.choices)
    period = models.CharField(_("period"), max_length=5, choices=Period.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    definition = models.JSONField(_("definition"))

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_form_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return label_in(self.definition.get("title", {})) or self.code

    def indicators(self) -> list[dict[str, Any]]:
        return list(self.definition["indicators"])

    def due_date(self, start: dt.date) -> dt.date:
        return periods.due_date(self.definition["due"], self.period, start)


class Report(TimeStamped):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    SCOPE_COMMUNE = "establishment__commune"
    SCOPE_OPERATOR = "establishment__operator"

    # no index of its own: the unique (establishment, period, period_start) begins with it and serves its lookups
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="reports",
                                      db_index=False)
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("period"), max_length=5, choices=ReportForm.Period.choices)
    period_start = models.DateField(_("period"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    values = models.JSONField(_("values"), default=dict)
    derived = models.JSONField(_("computed figures"), default=dict)
    confirmed = models.JSONField(_("confirmed jumps"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_by = models.ForeignKey(
        Organisation, verbose_name=_("filed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The unit that filed: the business itself, or a commune or site board for it."),
    )
    late = models.BooleanField(_("filed late"), default=False)
    corrections = models.PositiveSmallIntegerField(_("corrections"), default=0)
    # the establishment's classification when the report was filed (roll-ups group by these)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Establishment.Kind.choices)
    accommodation_type = models.CharField(max_length=12, blank=True)
    stars = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("statistical report")
        verbose_name_plural = _("statistical reports")
        ordering = ["-period_start", "establishment__name"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "period", "period_start"], name="one_report_per_period")
        ]
        indexes = [models.Index(fields=["period", "period_start", "state"])]

    def __str__(self) -> str:
        return f"{self.establishment} – {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%m/%Y}" if self.period == periods.MONTH else str(self.period_start.year)

    @property
    def due_date(self) -> dt.date:
        return self.form.due_date(self.period_start)


class Aggregate(models.Model):
    """The province's figures for one month along one dimension: the sum of an indicator over the submitted
    monthly reports of a class (`dimension` total | kind | class | commune | market, `key` the class) and how
    many establishments contributed (for statistical confidentiality). Rebuilt per month by
    services.refresh_month whenever a report of that month is submitted or corrected."""

    month = models.DateField()
    dimension = models.CharField(max_length=8)
    key = models.CharField(max_length=40)
    indicator = models.CharField(max_length=40)
    value = models.FloatField()
    contributors = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["dimension", "indicator", "month"]),
            # refresh_month replaces a month; the roll-ups' reads (a few months, dimensions, indicators) too
            models.Index(fields=["month", "dimension", "indicator"], name="stats_aggregate_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}:{self.key} {self.indicator}={self.value}"


class OfficialFigure(models.Model):
    """A figure already published by the province (data/official_figures.toml), each with its source."""

    class Status(models.TextChoices):
        OFFICIAL = "official", _("Official")
        ESTIMATED = "estimated", _("Estimate")

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.FloatField(_("value"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.URLField(_("source"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200)
    evidence = models.TextField(_("what the source says"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("official figure")
        verbose_name_plural = _("official figures")
        ordering = ["year", "indicator"]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator} = {self.value:g}"


class Reminder(models.Model):
    """A deadline reminder or late notice sent: one per establishment, period and kind (never twice)."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="+",
                                      db_index=False)  # the unique constraint's first column
    period = models.CharField(max_length=5)
    period_start = models.DateField()
    kind = models.CharField(max_length=10)  # "before" | "late"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["establishment", "period", "period_start", "kind"], name="one_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start} {self.establishment_id}"
