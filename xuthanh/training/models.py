"""The training programme of the plan (KH 115, III.4): courses on IT and smart tourism for state officials,
tourism businesses and communities, their classes (dates, venue or online link, trainers, capacity), the people
who register (a waiting list beyond capacity), their attendance (checked in by QR), materials, the feedback
survey and the certificates (numbered, verifiable in public, revocable); and the study tours to other provinces
with their participants, programme, report and lessons learned."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.models import TranslatableModel, TranslatedFields

from xuthanh.core.models import TimeStamped
from xuthanh.orgs.models import Organisation


class Audience(models.TextChoices):
    """Who the plan trains (III.4.1): state officials, tourism businesses, communities."""

    OFFICIALS = "officials", _("state officials")
    BUSINESSES = "businesses", _("tourism businesses")
    COMMUNITIES = "communities", _("communities")


def new_token() -> str:
    return secrets.token_urlsafe(18)


MATERIAL_KINDS = ("pdf", "docx", "pptx", "xlsx", "odt", "odp", "png", "jpg", "jpeg", "mp4", "mp3")


def check_material(upload: Any) -> None:
    """A material's file: a known kind whose content is what its name says (core.uploads), within
    TRAINING_MATERIAL_MAX_MB."""
    from django.conf import settings as conf

    from xuthanh.core.uploads import check_document

    check_document(upload, kinds=MATERIAL_KINDS, max_mb=conf.TRAINING_MATERIAL_MAX_MB,
                   refused=_("“%(name)s”: give a PDF, Word, PowerPoint, Excel, OpenDocument, picture, MP3 or MP4 "
                             "file."))


def check_report(upload: Any) -> None:
    """A study tour's report: a PDF, Word or OpenDocument text (core.uploads)."""
    from django.conf import settings as conf

    from xuthanh.core.uploads import check_document

    check_document(upload, kinds=("pdf", "docx", "odt"), max_mb=conf.TRAINING_MATERIAL_MAX_MB,
                   refused=_("The report: give a PDF, Word or OpenDocument file."))


def material_path(instance: Any, filename: str) -> str:
    """Under a random folder: a participants-only file has no guessable address."""
    from xuthanh.core.uploads import in_random_folder

    return in_random_folder("training/materials", filename)


def report_path(instance: Any, filename: str) -> str:
    from xuthanh.core.uploads import in_random_folder

    return in_random_folder("training/study-tours", filename)


class Course(TranslatableModel, TimeStamped):
    """What is taught: a topic for some audiences, given as one or more classes."""

    slug = models.SlugField(_("short id"), max_length=80, unique=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        summary=models.TextField(_("what participants learn"), blank=True),
    )
    audiences = models.JSONField(_("for"), default=list, help_text=_("Who the course is for."))
    hours = models.PositiveSmallIntegerField(_("length, hours"), default=8, validators=[MinValueValidator(1)])
    organiser = models.ForeignKey(Organisation, verbose_name=_("organised by"), on_delete=models.PROTECT,
                                  related_name="courses")
    sample = models.BooleanField(_("sample"), default=False,
                                 help_text=_("Invented for demonstrations: shown as a sample, never counted."))

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]


class CourseClass(TimeStamped):
    """One class of a course: when, where, by whom, for how many; registration opens and closes."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("open to the public")
        CANCELLED = "cancelled", _("cancelled")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="classes")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=300, blank=True, help_text=_("Room, building and address."))
    online_link = models.URLField(_("online link"), blank=True,
                                  help_text=_("For online classes: sent to registered participants only."))
    trainers = models.TextField(_("trainers"), help_text=_("One per line: name, position, organisation."))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    organiser = models.ForeignKey(Organisation, verbose_name=_("organised by"), on_delete=models.PROTECT,
                                  related_name="course_classes")
    reported_attendance = models.PositiveIntegerField(
        _("attendance as reported"), null=True, blank=True,
        help_text=_("For a class held before the platform or on paper: the number of participants its report "
                    "gives. Counted only while no one is checked in here."))
    source = models.URLField(_("source"), blank=True, max_length=500,
                             help_text=_("Where a class held before the platform is documented."))
    sample = models.BooleanField(_("sample"), default=False)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="training_class_ends"),
            models.CheckConstraint(condition=models.Q(registration_closes__lte=models.F("starts_at")),
                                   name="training_class_registration_before_start"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return f"{self.course} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    @property
    def year(self) -> int:
        from django.utils import timezone

        return timezone.localtime(self.starts_at).year

    def trainer_lines(self) -> list[str]:
        return [line.strip() for line in self.trainers.splitlines() if line.strip()]


class Registration(models.Model):
    """A person registered for a class: confirmed within capacity, else waiting (first come, first served)."""

    AUDIT_SECRETS = ("token",)  # the ticket's secret link never goes into the audit log

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    course_class = models.ForeignKey(CourseClass, verbose_name=_("class"), on_delete=models.PROTECT,
                                     related_name="registrations")
    name = models.CharField(_("full name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    audience = models.CharField(_("taking part as"), max_length=12, choices=Audience.choices)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True,
                                         help_text=_("The unit, business or community the person comes from."))
    unit = models.ForeignKey(Organisation, verbose_name=_("unit in the platform"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="trainees",
                             help_text=_("Set by the organisers, for the counts per unit."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    language = models.CharField(_("language"), max_length=10, default="vi",
                                help_text=_("The page's language at registration: the e-mails are written in it."))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("moved from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    consent_at = models.DateTimeField(_("consent to the processing of personal data"))
    consent_version = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["course_class", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course_class", "email"], condition=~models.Q(state="cancelled"),
                                    name="training_one_registration_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.course_class}"


class Material(models.Model):
    """Slides, handouts, recordings or a link; public, or for the class's registered participants only."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="materials")
    course_class = models.ForeignKey(CourseClass, verbose_name=_("only for the class"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, blank=True, max_length=200,
                            validators=[check_material])
    link = models.URLField(_("link"), blank=True, help_text=_("A page of the user guide, a video, a document."))
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Shown on the class page to everyone; else to participants only."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["course", "position", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(file="", link=""), name="training_material_has")]

    def __str__(self) -> str:
        return self.title


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Feedback(models.Model):
    """The survey a participant fills after the class (1 to 5, and words)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    content = models.PositiveSmallIntegerField(_("content"), validators=RATING)
    trainers = models.PositiveSmallIntegerField(_("trainers"), validators=RATING)
    organisation = models.PositiveSmallIntegerField(_("organisation"), validators=RATING)
    usefulness = models.PositiveSmallIntegerField(_("useful for my work"), validators=RATING)
    comments = models.TextField(_("comments"), blank=True, max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    QUESTIONS = ("content", "trainers", "organisation", "usefulness")

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [models.CheckConstraint(condition=models.Q(content__range=(1, 5), trainers__range=(1, 5),
                                                                 organisation__range=(1, 5),
                                                                 usefulness__range=(1, 5)),
                                              name="training_feedback_ratings")]

    def __str__(self) -> str:
        return f"{self.registration}: {self.content}/{self.trainers}/{self.organisation}/{self.usefulness}"


class Certificate(models.Model):
    """A numbered certificate for a participant who attended; verifiable in public by its number and check
    code; revoked with a reason, never deleted. What it says is kept as it was printed."""

    registration = models.OneToOneField(Registration, verbose_name=_("participant"), on_delete=models.PROTECT,
                                        related_name="certificate")
    number = models.CharField(_("number"), max_length=40, unique=True)
    check_code = models.CharField(_("check code"), max_length=12, editable=False)
    name = models.CharField(_("name as printed"), max_length=120)
    course_title = models.CharField(_("course as printed"), max_length=200)
    held = models.CharField(_("dates as printed"), max_length=60)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


class StudyTour(TimeStamped):
    """A study tour to other provinces (the plan's IV.2: 2020, 2023, and later): who went, the programme, the
    report and the lessons learned. The plan's tasks it informed are linked from the task."""

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("a study tour's state", "planned")
        HELD = "held", _("held")
        REPORTED = "reported", _("report written")

    title = models.CharField(_("title"), max_length=200)
    destinations = models.CharField(_("provinces and places visited"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    organiser = models.ForeignKey(Organisation, verbose_name=_("organised by"), on_delete=models.PROTECT,
                                  related_name="study_tours")
    purpose = models.TextField(_("purpose"), blank=True)
    programme = models.TextField(_("programme"), blank=True, help_text=_("Day by day: hosts, visits, talks."))
    report = models.TextField(_("report"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    report_file = models.FileField(_("report document"), upload_to=report_path, blank=True, max_length=200,
                                   validators=[check_report])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    participants_reported = models.PositiveSmallIntegerField(
        _("participants as reported"), null=True, blank=True,
        help_text=_("When the participants are not listed one by one below."))
    source = models.URLField(_("source"), blank=True, max_length=500)
    sample = models.BooleanField(_("sample"), default=False)

    class Meta:
        verbose_name = _("study tour")
        verbose_name_plural = _("study tours")
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="training_tour_dates")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%m/%Y})" if self.starts_on else self.title


class Participant(models.Model):
    tour = models.ForeignKey(StudyTour, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(_("position"), max_length=120, blank=True)
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    organisation_name = models.CharField(_("organisation, if not in the platform"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name
