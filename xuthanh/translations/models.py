"""The translation desk's own records: the glossary, the translation memory, the batches sent to agencies
and the daily coverage figures. The translations themselves are the catalogue's parler rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.core.text import fold
from xuthanh.orgs.models import Organisation


class GlossaryTerm(models.Model):
    """A proper name or recurring term with its approved rendering per language."""

    class Kind(models.TextChoices):
        SITE = "site", _("Site or place")
        DYNASTY = "dynasty", _("Dynasty or period")
        PERSON = "person", _("Person")
        FESTIVAL = "festival", _("Festival")
        DISH = "dish", _("Dish or product")
        ADMIN = "admin", _("Administrative word")
        HERITAGE = "heritage", _("Heritage word")
        NATURE = "nature", _("Nature word")
        GENERAL = "general", _("Other term")

    vi = models.CharField(_("Vietnamese term"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    not_in = models.CharField(
        _("not the term in"),
        max_length=500,
        blank=True,
        help_text=_("Phrases in which the word means something else, separated by “ | ” (“hoạt động” for “động”)."),
    )
    renderings = models.JSONField(
        _("approved renderings"), default=dict, blank=True, help_text=_("One rendering per language code.")
    )
    folded = models.CharField(max_length=200, editable=False, db_index=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        ordering = ["folded"]

    def __str__(self) -> str:
        return self.vi

    def save(self, *args, **kwargs) -> None:
        self.folded = fold(self.vi)
        super().save(*args, **kwargs)


class MemoryEntry(models.Model):
    """A reviewed translation of one source segment (a whole field, or one of its sentences), offered again
    when the same or a nearly identical Vietnamese segment is translated."""

    language = models.CharField(_("language"), max_length=10)
    source_key = models.CharField(max_length=40, db_index=True)  # sha1 of the folded source segment
    source = models.TextField(_("source"))
    target = models.TextField(_("translation"))
    target_key = models.CharField(max_length=40, default="")
    length = models.PositiveIntegerField(default=0)
    head = models.CharField(max_length=12, default="")
    tail = models.CharField(max_length=12, default="")
    origin = models.CharField(_("from"), max_length=120, blank=True)  # "place:12:summary"
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation memory entry")
        verbose_name_plural = _("translation memory")
        constraints = [
            models.UniqueConstraint(fields=["language", "source_key", "target_key"], name="memory_unique_pair")
        ]
        indexes = [
            models.Index(fields=["language", "head"], name="memory_head"),
            models.Index(fields=["language", "tail"], name="memory_tail"),
        ]

    def __str__(self) -> str:
        return f"{self.source[:60]} → {self.target[:60]} ({self.language})"


class TranslationBatch(models.Model):
    """Records sent to a translation agency as one XLIFF file; only the agency's members import it back."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        IMPORTED = "imported", _("Imported")

    agency = models.ForeignKey(
        Organisation, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="translation_batches"
    )
    language = models.CharField(_("language"), max_length=10)
    items = models.JSONField(_("records"), default=dict)  # {"place": [pk, …], "event": […]}
    only = models.CharField(_("what"), max_length=20, default="missing,outdated")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported on"), null=True, blank=True)
    units = models.PositiveIntegerField(_("fields"), default=0)

    class Meta:
        verbose_name = _("translation batch")
        verbose_name_plural = _("translation batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.language} → {self.agency}"

    @property
    def record_count(self) -> int:
        return sum(len(pks) for pks in self.items.values())


class CoverageSnapshot(models.Model):
    """The published records of one content type in each translation state for one language on one day."""

    day = models.DateField(_("day"))
    content = models.CharField(_("content type"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    total = models.PositiveIntegerField(default=0)
    reviewed = models.PositiveIntegerField(default=0)
    machine = models.PositiveIntegerField(default=0)
    outdated = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("coverage of a day")
        verbose_name_plural = _("coverage by day")
        constraints = [models.UniqueConstraint(fields=["day", "content", "language"], name="coverage_one_per_day")]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.content} {self.language}: {self.reviewed}/{self.total}"
