"""The provincial plan this platform serves (KH 115/KH-UBND, 2019), as data: its sections, objectives and tasks
with their funding by source (million VND, as written), their original and current lead units (districts no
longer exist since July 2025), and what the lead units record each year: money allocated and spent (with the
document), each task's milestones, evidence and risks, the yearly report on each task, and proposals to amend
the plan with their decision."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.orgs.models import Organisation


class Source(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial budget")
    DISTRICT = "district", _("district budget")  # since July 2025: the communes' budgets
    SOCIALISED = "socialised", _("socialised and other sources")


class Measure(models.TextChoices):
    """What a task or objective is measured by, computed from the platform's live data (plan/targets.py)."""

    PORTAL_APPS = "portal_apps", _("applications on the portal")
    MOBILE_APP = "mobile_app", _("the mobile app in service")
    CAMPAIGNS = "campaigns", _("promotion campaigns")
    NARRATION = "narration", _("key sites with narration in vi, zh, en, fr")
    KIOSKS = "kiosks", _("kiosk locations covered")
    WIFI = "wifi", _("key sites with working wifi")
    TRANSLATION = "translation", _("database translated into English and Chinese")
    CONTESTS = "contests", _("contests held")
    TRAINED = "trained", _("people trained")
    STUDY_TOURS = "study_tours", _("study tours")
    FEEDS = "feeds", _("partner feeds and widgets")


class Plan(TranslatableModel):
    number = models.CharField(_("number"), max_length=40, unique=True)
    date = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=200)
    implements = models.CharField(_("implements"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300)
    translations = TranslatedFields(title=models.CharField(_("title"), max_length=300))
    # the totals as the plan writes them: the shipped tasks must add up to them (tests)
    total = models.PositiveIntegerField(_("total, million VND"))
    provincial = models.PositiveIntegerField(_("provincial budget, million VND"))
    district = models.PositiveIntegerField(_("district budget, million VND"))
    socialised = models.PositiveIntegerField(_("socialised and other sources, million VND"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class Section(TranslatableModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=8)
    translations = TranslatedFields(title=models.CharField(_("title"), max_length=300))
    total = models.PositiveIntegerField(_("total, million VND"))
    provincial = models.PositiveIntegerField(_("provincial budget, million VND"))
    district = models.PositiveIntegerField(_("district budget, million VND"))
    socialised = models.PositiveIntegerField(_("socialised and other sources, million VND"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("section of the plan")
        verbose_name_plural = _("sections of the plan")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_section_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.safe_translation_getter('title', any_language=True)}"


class Objective(TranslatableModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    year = models.PositiveSmallIntegerField(_("by the year"))
    measure = models.CharField(_("measured by"), max_length=20, choices=Measure.choices)
    translations = TranslatedFields(text=models.TextField(_("objective")))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "year", "position"]

    def __str__(self) -> str:
        return f"{self.year}: {self.safe_translation_getter('text', any_language=True)}"


class Task(TranslatableModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        ON_TRACK = "on_track", _("on track")
        LATE = "late", pgettext_lazy("a plan task's status", "behind schedule")
        DONE = "done", _("done")

    AUDIT_CHILDREN = ("milestones", "evidence", "risks")  # edited on the task's screen, audited with it

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="tasks")
    code = models.CharField(_("code"), max_length=12)
    translations = TranslatedFields(title=models.CharField(_("task"), max_length=300))
    start_year = models.PositiveSmallIntegerField(_("from"))
    end_year = models.PositiveSmallIntegerField(_("to"))
    years = models.JSONField(_("only in the years"), default=list, blank=True,
                             help_text=_("For tasks held in some years only (e.g. every two years)."))
    lead_original = models.CharField(_("lead unit as written in the plan"), max_length=200)
    district_led = models.BooleanField(_("led by district people's committees in the plan"), default=False,
                                       help_text=_("Districts no longer exist since 1 July 2025: the communes and "
                                                   "site boards that took the task over lead it now."))
    lead = models.ForeignKey(Organisation, verbose_name=_("lead unit now"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="plan_tasks")
    cooperating = models.ManyToManyField(Organisation, verbose_name=_("cooperating units"), blank=True,
                                         related_name="plan_tasks_cooperating")
    total = models.PositiveIntegerField(_("total, million VND"), default=0)
    provincial = models.PositiveIntegerField(_("provincial budget, million VND"), default=0)
    district = models.PositiveIntegerField(_("district budget, million VND"), default=0)
    socialised = models.PositiveIntegerField(_("socialised and other sources, million VND"), default=0)
    measure = models.CharField(_("measured by"), max_length=20, choices=Measure.choices, blank=True)
    study_tours = models.ManyToManyField("training.StudyTour", verbose_name=_("study tours that informed it"),
                                         blank=True, related_name="plan_tasks")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0, validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task of the plan")
        verbose_name_plural = _("tasks of the plan")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_task_code"),
            models.CheckConstraint(condition=models.Q(total=models.F("provincial") + models.F("district")
                                                      + models.F("socialised")), name="plan_task_sources_add_up"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="plan_task_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.safe_translation_getter('title', any_language=True)}"

    def planned(self, source: str) -> int:
        return getattr(self, source)

    def running_years(self) -> list[int]:
        """The years the task runs: its own list (e.g. every two years), else its whole period."""
        return list(self.years) if self.years else list(range(self.start_year, self.end_year + 1))

    def runs_in(self, year: int) -> bool:
        return year in self.running_years()


class Money(models.Model):
    """Money allocated to or spent on a task in a year from one source, recorded by the lead unit with the
    document that decided or shows it."""

    class Kind(models.TextChoices):
        ALLOCATED = "allocated", _("allocated")
        SPENT = "spent", _("spent")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="money")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    amount = models.DecimalField(_("amount, million VND"), max_digits=12, decimal_places=3)
    document = models.CharField(_("document number"), max_length=80,
                                help_text=_("The decision, contract or payment that shows it, e.g. 1234/QĐ-UBND."))
    document_date = models.DateField(_("document date"))
    unit = models.ForeignKey(Organisation, verbose_name=_("recorded for"), on_delete=models.PROTECT,
                             related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("money allocated or spent")
        verbose_name_plural = _("money allocated and spent")
        ordering = ["task", "year", "kind", "source", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="plan_money_positive")]

    def __str__(self) -> str:
        return f"{self.task.code} {self.year} {self.kind} {self.source}: {self.amount}"


class Report(models.Model):
    """A unit's yearly report on one task it leads: what was done, the money spent by source, difficulties and
    proposals; sent before 15 December (the plan's section V)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="plan_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    done = models.TextField(_("what was done"), blank=True)
    spent_provincial = models.DecimalField(_("spent, provincial budget"), max_digits=12, decimal_places=3, default=0)
    spent_district = models.DecimalField(_("spent, district budget"), max_digits=12, decimal_places=3, default=0)
    spent_socialised = models.DecimalField(_("spent, socialised and other sources"), max_digits=12,
                                           decimal_places=3, default=0)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0, validators=[MaxValueValidator(100)])
    state = models.CharField(_("state"), max_length=6, choices=State.choices, default=State.DRAFT)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yearly report on a task")
        verbose_name_plural = _("yearly reports on tasks")
        ordering = ["-year", "task", "unit"]
        constraints = [models.UniqueConstraint(fields=["task", "unit", "year"], name="plan_report_once")]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit} · {self.year}"


class Amendment(models.Model):
    """A proposal to amend the plan: proposed by a unit → reviewed by the department → decided by the
    Chairman (the decision recorded, with its number)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        REVIEWED = "reviewed", _("reviewed by the department")
        ACCEPTED = "accepted", _("accepted by the Chairman")
        REFUSED = "refused", _("refused by the Chairman")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="amendments")
    unit = models.ForeignKey(Organisation, verbose_name=_("proposed by"), on_delete=models.PROTECT,
                             related_name="+")
    proposal = models.TextField(_("proposal"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    review = models.TextField(_("department's opinion"), blank=True)
    decision = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal to amend the plan")
        verbose_name_plural = _("proposals to amend the plan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.proposal[:60]}"


class Milestone(models.Model):
    """A step of a task with its date: due, and done (or not yet)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due", "id"]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.title}"

    def late(self, today: Any) -> bool:
        return self.done_on is None and self.due < today


def check_evidence(upload: Any) -> None:
    """A document or picture that shows the work (core.uploads), at most 25 MB."""
    from xuthanh.core.uploads import check_document

    check_document(upload, kinds=("pdf", "docx", "xlsx", "odt", "ods", "jpg", "jpeg", "png"), max_mb=25,
                   refused=_("“%(name)s”: give a PDF, Word, Excel, OpenDocument or picture file."))


def evidence_path(instance: Any, filename: str) -> str:
    """Under a random folder: the back office's documents have no guessable address."""
    from xuthanh.core.uploads import in_random_folder

    return in_random_folder("plan/evidence", filename)


class Evidence(models.Model):
    """What shows the work of a task: a document or picture, or a link (the platform's own pages count)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=200,
                            validators=[check_evidence])
    link = models.URLField(_("link"), blank=True, max_length=500)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["task", "-added_at"]
        constraints = [models.CheckConstraint(condition=~models.Q(file="", link=""), name="plan_evidence_has")]

    def __str__(self) -> str:
        return self.title


class Risk(models.Model):
    """What may keep a task from its target, how likely and how serious, and what is done about it."""

    class Level(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="risks")
    description = models.CharField(_("risk"), max_length=300)
    likelihood = models.CharField(_("likelihood"), max_length=6, choices=Level.choices, default=Level.MEDIUM)
    impact = models.CharField(_("impact"), max_length=6, choices=Level.choices, default=Level.MEDIUM)
    mitigation = models.CharField(_("what is done about it"), max_length=300, blank=True)
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["task", "closed", "id"]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.description[:60]}"


class Reminder(models.Model):
    """A reminder sent to a unit about its yearly reports: once before the deadline, once when late."""

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=6)  # "before" | "late"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="plan_reminder_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.kind}"
