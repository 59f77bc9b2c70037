"""What the training programme shows: the classes open to the public, a class's counts and survey results, a
certificate's verification, and the people trained per year, audience and unit — the figures the plan's targets
read (samples never count)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from xuthanh.training.models import Audience, Certificate, CourseClass, Feedback, Registration, StudyTour


def classes_public(now: dt.datetime | None = None) -> tuple[list[CourseClass], list[CourseClass]]:
    """(coming, past) classes open to the public, with their course and counts."""
    now = now or timezone.now()
    found = list(CourseClass.objects.filter(state=CourseClass.State.PUBLISHED)
                 .select_related("course", "organiser").prefetch_related("course__translations")
                 .annotate(confirmed=Count("registrations", filter=Q(registrations__state="confirmed")),
                           waiting=Count("registrations", filter=Q(registrations__state="waiting")),
                           attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)))
                 .order_by("starts_at"))
    coming = [c for c in found if c.ends_at >= now]
    past = [c for c in reversed(found) if c.ends_at < now]
    return coming, past


def class_public(pk: int) -> CourseClass | None:
    return (CourseClass.objects.filter(pk=pk).exclude(state=CourseClass.State.DRAFT)
            .select_related("course", "organiser").first())


def counts(course_class: CourseClass) -> dict[str, int]:
    rows = dict(course_class.registrations.values_list("state").annotate(n=Count("id")).order_by())
    return {"confirmed": rows.get("confirmed", 0), "waiting": rows.get("waiting", 0),
            "cancelled": rows.get("cancelled", 0),
            "attended": course_class.registrations.filter(attended_at__isnull=False).count(),
            "free": max(0, course_class.capacity - rows.get("confirmed", 0))}


def ticket(token: str) -> Registration | None:
    return (Registration.objects.filter(token=token).select_related("course_class__course", "certificate", "feedback")
            .first())


def materials_for(course_class: CourseClass, *, participant: bool) -> QuerySet:
    found = course_class.course.materials.filter(Q(course_class__isnull=True) | Q(course_class=course_class))
    return found if participant else found.filter(public=True)


@dataclass(frozen=True)
class Survey:
    answers: int
    attended: int
    averages: dict[str, float | None]
    comments: list[str]


def survey(course_class: CourseClass) -> Survey:
    rows = Feedback.objects.filter(registration__course_class=course_class)
    averages = rows.aggregate(**{q: Avg(q) for q in Feedback.QUESTIONS})
    return Survey(rows.count(), course_class.registrations.filter(attended_at__isnull=False).count(),
                  {q: round(v, 2) if v is not None else None for q, v in averages.items()},
                  list(rows.exclude(comments="").order_by("-created_at").values_list("comments", flat=True)))


@dataclass(frozen=True)
class Verification:
    state: str  # "valid", "revoked", "unknown"
    certificate: Certificate | None = None


def verify(number: str, code: str) -> Verification:
    """A certificate by its number and check code: valid, revoked (with the reason), or unknown — a forged
    number, or a real number with a wrong code, is unknown (it tells nothing of who holds the number)."""
    number, code = (number or "").strip()[:40], (code or "").strip().upper()[:12]
    found = Certificate.objects.filter(number=number).select_related("registration__course_class").first()
    if found is None or not code or found.check_code != code:
        return Verification("unknown")
    return Verification("revoked" if found.revoked_at else "valid", found)


@dataclass
class Trained:
    """People trained in a year: distinct people (by e-mail) who attended a class, per audience and unit."""

    year: int
    people: int = 0
    classes: int = 0
    reported: int = 0  # of `people`, from the reports of classes held before the platform (no names)
    by_audience: dict[str, int] = field(default_factory=dict)
    by_unit: dict[str, int] = field(default_factory=dict)


def trained() -> list[Trained]:
    """Per year, the people who attended at least one class (a person counts once a year), the classes held
    (at least one attendee), per audience and per unit (the unit set by the organisers, else the organisation
    the person gave); classes held before the platform add the attendance their report gives. Samples never
    count."""
    rows = (Registration.objects.filter(attended_at__isnull=False, course_class__sample=False,
                                        course_class__course__sample=False)
            .order_by("attended_at", "id")  # a person counts under their first class of the year
            .values_list("course_class_id", "course_class__starts_at", "email", "audience", "unit__name",
                         "organisation_name"))
    years: dict[int, Trained] = {}
    seen: set[tuple[int, str]] = set()
    classes: dict[int, set[int]] = defaultdict(set)
    for class_id, starts, email, audience, unit, organisation in rows.iterator():
        year = timezone.localtime(starts).year
        classes[year].add(class_id)
        if (year, email.lower()) in seen:
            continue
        seen.add((year, email.lower()))
        found = years.setdefault(year, Trained(year))
        found.people += 1
        found.by_audience[audience] = found.by_audience.get(audience, 0) + 1
        key = unit or organisation.strip() or "–"
        found.by_unit[key] = found.by_unit.get(key, 0) + 1
    for course_class in (CourseClass.objects.filter(reported_attendance__isnull=False, sample=False,
                                                    course__sample=False)
                         .exclude(registrations__attended_at__isnull=False).exclude(state=CourseClass.State.CANCELLED)):
        year = course_class.year  # held before the platform: its report's count, people unnamed
        found = years.setdefault(year, Trained(year))
        found.people += course_class.reported_attendance
        found.reported += course_class.reported_attendance
        classes[year].add(course_class.pk)
    for year, found in years.items():
        found.classes = len(classes[year])
        found.by_audience = {a: found.by_audience.get(a, 0) for a in Audience.values}
        found.by_unit = dict(Counter(found.by_unit).most_common())
    return [years[y] for y in sorted(years)]


def study_tours_by_year() -> dict[int, int]:
    """Study tours held (or reported on) per year; samples never count."""
    found: dict[int, int] = {}
    for starts in (StudyTour.objects.filter(sample=False).exclude(state=StudyTour.State.PLANNED)
                   .values_list("starts_on", flat=True)):
        found[starts.year] = found.get(starts.year, 0) + 1
    return dict(sorted(found.items()))


def summary() -> dict[str, Any]:
    """For the plan's targets: people trained and classes held per year, and study tours per year."""
    years = trained()
    return {"trained": {t.year: t.people for t in years}, "classes": {t.year: t.classes for t in years},
            "audiences": {a: sum(t.by_audience.get(a, 0) for t in years) for a in Audience.values},
            "study_tours": study_tours_by_year()}
