"""What people do in the training programme, each step checked: the public registers for a class (confirmed
within its places, else on the waiting list, in the order they came) and may cancel (the first waiting person then
gets the place); the organisers check participants in (QR at the door, or the list), issue numbered certificates
to those who attended and revoke one with a reason; participants send the feedback survey after the class.
Organisers are the editors and administrators of the class's unit, and the department's."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuthanh.core import audit
from xuthanh.core.cells import plain
from xuthanh.core.models import AuditEntry
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Organisation, Role
from xuthanh.training.models import Audience, Certificate, CourseClass, Feedback, Registration

PRIVACY_VERSION = "2026-1"  # the notice people accept when they register (jinja2/training/privacy.html)
ORGANISER_ROLES = (Role.ADMIN, Role.EDITOR)
ORGANISER_UNITS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.PROMOTION_CENTRE, Organisation.Kind.COMMUNE,
                   Organisation.Kind.SITE_BOARD)  # the state units that train (III.4); businesses take part


class TrainingError(ValueError):
    """Refused; the message says what and where."""


class AlreadyRegistered(TrainingError):
    def __init__(self, registration: Registration) -> None:
        super().__init__(_("This e-mail address is already registered for this class. We have sent its ticket "
                           "link to it again."))
        self.registration = registration


# who


def organises_any(user: Any) -> bool:
    """Whether the person organises training anywhere (the back office shows them the training screens)."""
    return permissions.is_platform_admin(user) or any(
        m.role in ORGANISER_ROLES and m.organisation.kind in ORGANISER_UNITS for m in permissions.memberships(user))


def province_wide(user: Any) -> bool:
    """The department's and the platform's administrators and editors see every class."""
    return permissions.is_platform_admin(user) or any(
        m.role in ORGANISER_ROLES and m.organisation.kind == Organisation.Kind.DEPARTMENT
        for m in permissions.memberships(user))


def units_of(user: Any) -> list[int]:
    return [m.organisation_id for m in permissions.memberships(user)
            if m.role in ORGANISER_ROLES and m.organisation.kind in ORGANISER_UNITS]


def manages(user: Any, course_class: CourseClass) -> bool:
    """The class's own unit organises it; the department oversees every class."""
    return province_wide(user) or course_class.organiser_id in units_of(user)


# registering


def registration_refusal(course_class: CourseClass, now: dt.datetime | None = None) -> str:
    """Why the class takes no registration now, or "" when it does."""
    now = now or timezone.now()
    if course_class.state == CourseClass.State.CANCELLED:
        return _("This class is cancelled.")
    if course_class.state != CourseClass.State.PUBLISHED:
        return _("This class is not open to the public.")
    if course_class.registration_opens and now < course_class.registration_opens:
        return _("Registration opens on %(when)s.") % {
            "when": timezone.localtime(course_class.registration_opens).strftime("%d/%m/%Y %H:%M")}
    if now >= course_class.registration_closes:
        return _("Registration closed on %(when)s.") % {
            "when": timezone.localtime(course_class.registration_closes).strftime("%d/%m/%Y %H:%M")}
    return ""


def seats_taken(course_class: CourseClass) -> int:
    return course_class.registrations.filter(state=Registration.State.CONFIRMED).count()


def register(course_class: CourseClass, *, name: str, email: str, phone: str = "", audience: str,
             organisation_name: str = "", consent: bool, now: dt.datetime | None = None) -> Registration:
    """A place in the class if one is free, else a place on the waiting list; the ticket link by e-mail.
    Raises AlreadyRegistered (the link is sent again) or TrainingError with the reason."""
    now = now or timezone.now()
    name, organisation_name = plain(name, 120), plain(organisation_name, 200)
    email, phone = plain(email, 254).lower(), plain(phone, 30)
    if not consent:
        raise TrainingError(_("Registering needs your consent to the processing of your personal data."))
    if not name:
        raise TrainingError(_("Full name: give the name to print on your certificate."))
    try:
        validate_email(email)
    except ValidationError:
        raise TrainingError(_("E-mail: “%(value)s” is not an e-mail address.") % {"value": email}) from None
    if audience not in Audience.values:
        raise TrainingError(_("Taking part as: choose state official, tourism business or community."))
    if phone and not re.fullmatch(r"\+?[0-9 .()-]{8,20}", phone):
        raise TrainingError(_("Phone: “%(value)s” is not a phone number.") % {"value": phone})
    with transaction.atomic():
        locked = CourseClass.objects.select_for_update().get(pk=course_class.pk)
        refusal = registration_refusal(locked, now)
        if refusal:
            raise TrainingError(refusal)
        existing = locked.registrations.exclude(state=Registration.State.CANCELLED).filter(email=email).first()
        if existing is None:
            found = _add(locked, name=name, email=email, phone=phone, audience=audience,
                         organisation_name=organisation_name, now=now, language=_language())
    if existing is not None:  # nothing written: the link again, to the address only, at most 3 times an hour
        from xuthanh.core import ratelimit

        if ratelimit.hit(f"training-resend:{existing.pk}", limit=3, period=3600) is None:
            _send_ticket(existing)
        raise AlreadyRegistered(existing)
    return found


def _add(locked: CourseClass, *, now: dt.datetime, consent_version: str = PRIVACY_VERSION,
         **fields: Any) -> Registration:
    """Within the class's lock: a place if one is free, else the waiting list; the ticket once committed."""
    state = Registration.State.CONFIRMED if seats_taken(locked) < locked.capacity else Registration.State.WAITING
    try:
        with transaction.atomic():
            found = Registration.objects.create(course_class=locked, state=state, consent_at=now,
                                                consent_version=consent_version, **fields)
    except IntegrityError:  # the same address in the same instant (the lock makes this rare)
        raise TrainingError(_("This e-mail address is already registered for this class.")) from None
    transaction.on_commit(lambda: _send_ticket(found))
    return found


def register_by_organiser(course_class: CourseClass, *, actor: Any, name: str, email: str, phone: str = "",
                          audience: str, organisation_name: str = "", unit: Organisation | None = None,
                          consent: bool) -> Registration:
    """An organiser registers someone (a paper form, at the door), also after registration closed: a place if
    one is free, else the waiting list; the person's consent must have been given on paper."""
    if not manages(actor, course_class):
        raise TrainingError(_("Only the organisers of this class register people for it."))
    if not consent:
        raise TrainingError(_("Register someone only with their consent, given on a signed form."))
    email = plain(email, 254).lower()
    with transaction.atomic():
        locked = CourseClass.objects.select_for_update().get(pk=course_class.pk)
        if locked.state == CourseClass.State.CANCELLED:
            raise TrainingError(_("This class is cancelled."))
        if locked.registrations.exclude(state=Registration.State.CANCELLED).filter(email=email).exists():
            raise TrainingError(_("%(email)s is already registered for this class.") % {"email": email})
        found = _add(locked, now=timezone.now(), consent_version=f"{PRIVACY_VERSION}/paper", name=plain(name, 120),
                     email=email, phone=plain(phone, 30), audience=audience,
                     organisation_name=plain(organisation_name, 200), unit=unit)
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=found)
    return found


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list."""
    if registration.state != Registration.State.WAITING:
        return None
    return registration.course_class.registrations.filter(
        state=Registration.State.WAITING, created_at__lte=registration.created_at, id__lte=registration.id).count()


def cancel(registration: Registration, *, actor: Any = None, now: dt.datetime | None = None) -> Registration | None:
    """The person gives up their place (or an organiser cancels it); the first waiting person gets it. Returns
    the registration promoted, if any."""
    now = now or timezone.now()
    with transaction.atomic():
        course_class = CourseClass.objects.select_for_update().get(pk=registration.course_class_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.state == Registration.State.CANCELLED:
            raise TrainingError(_("This registration is already cancelled."))
        if current.attended_at is not None:
            raise TrainingError(_("%(name)s has attended the class: the registration stays.") % {"name": current.name})
        if course_class.starts_at <= now and actor is None:
            raise TrainingError(_("The class has started: ask the organisers."))
        before = audit.snapshot(current)
        current.state, current.cancelled_at = Registration.State.CANCELLED, now
        current.save(update_fields=["state", "cancelled_at"])
        if actor is not None:
            audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before)
        promoted = _promote(course_class, now)
    registration.state, registration.cancelled_at = current.state, current.cancelled_at
    return promoted


def _promote(course_class: CourseClass, now: dt.datetime) -> Registration | None:
    """Within the class's lock: the first waiting person gets a free place."""
    if (course_class.state != CourseClass.State.PUBLISHED or course_class.starts_at <= now
            or seats_taken(course_class) >= course_class.capacity):
        return None
    first = (course_class.registrations.select_for_update().filter(state=Registration.State.WAITING)
             .order_by("created_at", "id").first())
    if first is None:
        return None
    first.state, first.promoted_at = Registration.State.CONFIRMED, now
    first.save(update_fields=["state", "promoted_at"])
    transaction.on_commit(lambda: _send_ticket(first, promoted=True))
    return first


def promote_waiting(course_class: CourseClass, *, now: dt.datetime | None = None) -> int:
    """After the organisers add places: waiting people move up, in order, as far as places allow."""
    now = now or timezone.now()
    moved = 0
    with transaction.atomic():
        locked = CourseClass.objects.select_for_update().get(pk=course_class.pk)
        while _promote(locked, now) is not None:
            moved += 1
    return moved


def ticket_url(registration: Registration) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("training:ticket", args=[registration.token])


TICKET_SUBJECT = gettext_lazy("Your place in the class “%(course)s”")
TICKET_BODY = {
    Registration.State.CONFIRMED: gettext_lazy(
        "Hello %(name)s,\n\nyour place in the class “%(course)s” (%(when)s, %(where)s) is confirmed. Your ticket, "
        "with the QR code to show at the door, the materials and, after the class, the survey and your "
        "certificate: %(url)s\n\nIf you cannot come, cancel there so that someone waiting gets your place."),
    Registration.State.WAITING: gettext_lazy(
        "Hello %(name)s,\n\nthe class “%(course)s” (%(when)s) is full: you are number %(position)s on the waiting "
        "list. We will write to you as soon as a place is yours. Your registration: %(url)s"),
}
PROMOTED_SUBJECT = gettext_lazy("A place is yours in the class “%(course)s”")


def _language() -> str:
    from django.conf import settings as conf

    active = translation.get_language() or conf.LANGUAGE_CODE
    return active if active in dict(conf.LANGUAGES) else conf.LANGUAGE_CODE


def _send(registration: Registration, subject: Any, body: Any) -> bool:
    """One e-mail to the person, in the language they registered in, with the ticket's link (in that language
    too); False when the mail server refused."""
    from django.core.mail import send_mail

    course_class = registration.course_class
    with translation.override(registration.language):
        words = {"name": registration.name, "course": str(course_class.course),
                 "when": timezone.localtime(course_class.starts_at).strftime("%d/%m/%Y %H:%M"),
                 "where": course_class.venue or _("online"), "url": ticket_url(registration),
                 "position": waiting_position(registration) or ""}
        subject_text, body_text = str(subject) % words, str(body) % words
    try:
        send_mail(subject_text, body_text, None, [registration.email])
    except OSError:  # smtplib's errors are OSErrors: refused, unreachable, rate-limited
        return False
    return True


def _send_ticket(registration: Registration, *, promoted: bool = False) -> bool:
    """The ticket link by e-mail (the page showed it too)."""
    if registration.state not in TICKET_BODY:
        return False
    return _send(registration, PROMOTED_SUBJECT if promoted else TICKET_SUBJECT, TICKET_BODY[registration.state])


REMINDER_SUBJECT = gettext_lazy("Tomorrow: the class “%(course)s”")
REMINDER_BODY = gettext_lazy(
    "Hello %(name)s,\n\na reminder: the class “%(course)s” starts on %(when)s (%(where)s). Show the QR code of "
    "your ticket at the door: %(url)s\n\nIf you cannot come, cancel there so that someone waiting gets your "
    "place.")


CANCELLED_SUBJECT = gettext_lazy("Cancelled: the class “%(course)s”")
CANCELLED_BODY = gettext_lazy(
    "Hello %(name)s,\n\nwe are sorry: the class “%(course)s” planned on %(when)s is cancelled. Your registration "
    "ends with it; the organisers will announce any new class on the training page.")
CHANGED_SUBJECT = gettext_lazy("Changed: the class “%(course)s”")
CHANGED_BODY = gettext_lazy(
    "Hello %(name)s,\n\nthe class “%(course)s” has changed: it is now on %(when)s (%(where)s). Your ticket, with "
    "the details and the online link if there is one: %(url)s\n\nIf you cannot come any more, cancel there so "
    "that someone waiting gets your place.")


def notify_change(course_class: CourseClass, *, cancelled: bool) -> int:
    """After the organisers cancel a class or change its date or place: everyone with a place or waiting hears
    of it, in their language. How many were told."""
    told = 0
    for registration in course_class.registrations.filter(
            state__in=(Registration.State.CONFIRMED, Registration.State.WAITING)).select_related("course_class"):
        if _send(registration, CANCELLED_SUBJECT if cancelled else CHANGED_SUBJECT,
                 CANCELLED_BODY if cancelled else CHANGED_BODY):
            told += 1
    return told


def send_reminders(now: dt.datetime | None = None) -> int:
    """The day before (the daily job): every confirmed participant of a class starting within 36 hours, once."""
    now = now or timezone.now()
    sent = 0
    due = (Registration.objects.filter(state=Registration.State.CONFIRMED, reminded_at__isnull=True,
                                       course_class__state=CourseClass.State.PUBLISHED,
                                       course_class__starts_at__gt=now,
                                       course_class__starts_at__lte=now + dt.timedelta(hours=36))
           .select_related("course_class__course"))
    for registration in due:
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now)
        if claimed and _send(registration, REMINDER_SUBJECT, REMINDER_BODY):
            sent += 1
        elif claimed:  # the mail server refused: tried again tomorrow, if still ahead
            Registration.objects.filter(pk=registration.pk).update(reminded_at=None)
    return sent


# at the class


def check_in(registration: Registration, *, actor: Any, now: dt.datetime | None = None) -> Registration:
    """The organisers mark the person present (scanning their ticket's QR code, or from the list)."""
    now = now or timezone.now()
    if not manages(actor, registration.course_class):
        raise TrainingError(_("Only the organisers of this class check its participants in."))
    with transaction.atomic():
        current = Registration.objects.select_for_update().select_related("course_class").get(pk=registration.pk)
        if current.attended_at is not None:
            raise TrainingError(_("%(name)s was already checked in at %(when)s.") % {
                "name": current.name, "when": timezone.localtime(current.attended_at).strftime("%H:%M %d/%m/%Y")})
        if current.state != Registration.State.CONFIRMED:
            raise TrainingError(_("%(name)s has no confirmed place (%(state)s).") % {
                "name": current.name, "state": current.get_state_display()})
        starts = current.course_class.starts_at
        if now < starts - dt.timedelta(hours=12) or now > current.course_class.ends_at + dt.timedelta(hours=12):
            raise TrainingError(_("Check-in is for the day of the class (%(when)s).") % {
                "when": timezone.localtime(starts).strftime("%d/%m/%Y")})
        before = audit.snapshot(current)
        current.attended_at, current.checked_in_by = now, actor
        current.save(update_fields=["attended_at", "checked_in_by"])
        audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before)
    return current


def send_feedback(registration: Registration, *, ratings: dict[str, int], comments: str = "",
                  now: dt.datetime | None = None) -> Feedback:
    """The survey, once per participant who attended, from the start of the class."""
    now = now or timezone.now()
    if registration.attended_at is None:
        raise TrainingError(_("The survey is for participants who attended the class."))
    if now < registration.course_class.starts_at:
        raise TrainingError(_("The survey opens when the class starts."))
    for question in Feedback.QUESTIONS:
        value = ratings.get(question)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise TrainingError(_("Give every question a mark from 1 to 5."))
    try:
        with transaction.atomic():
            return Feedback.objects.create(registration=registration, comments=plain(comments, 3000),
                                           **{q: ratings[q] for q in Feedback.QUESTIONS})
    except IntegrityError:
        raise TrainingError(_("You have already sent your answers. Thank you!")) from None


# certificates


def check_code(number: str) -> str:
    """The code printed beside a certificate's number: without it, a number alone verifies nothing (numbers
    follow each other; names stay private)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"training-certificate:{number}".encode(), hashlib.sha256)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    value = int.from_bytes(digest.digest()[:8], "big")
    return "".join(alphabet[(value >> (5 * i)) & 31] for i in range(8))


NUMBER_FORMAT = "{seq:04d}/{year}/GCN-XT"  # e.g. 0012/2026/GCN-XT (giấy chứng nhận)
NUMBER_PATTERN = re.compile(r"^(\d{1,6})/(\d{4})/GCN-XT$")


def _next_number(year: int) -> str:
    taken = [NUMBER_PATTERN.match(n) for n in Certificate.objects.filter(number__endswith=f"/{year}/GCN-XT")
             .values_list("number", flat=True)]
    return NUMBER_FORMAT.format(seq=max((int(m.group(1)) for m in taken if m), default=0) + 1, year=year)


def check_number(number: str, actor: Any) -> None:
    """A number given by hand must be free; whose it is, is said only to those who organise that class."""
    other = Certificate.objects.filter(number=number).select_related("registration__course_class").first()
    if other is None:
        return
    if manages(actor, other.registration.course_class):
        raise TrainingError(_("Certificate number %(number)s is already given to %(name)s (%(course)s).")
                            % {"number": number, "name": other.name, "course": other.course_title})
    raise TrainingError(_("Certificate number %(number)s is already given.") % {"number": number})


def issue(registration: Registration, *, actor: Any, number: str = "", now: dt.datetime | None = None) -> Certificate:
    """A certificate for a person who attended: the next number of the year, or the one given (certificates
    printed before the platform, with their own numbers)."""
    now = now or timezone.now()
    if not manages(actor, registration.course_class):
        raise TrainingError(_("Only the organisers of this class issue its certificates."))
    number = plain(number, 40)
    with transaction.atomic():
        course_class = CourseClass.objects.select_for_update().select_related("course").get(
            pk=registration.course_class_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.attended_at is None:
            raise TrainingError(_("%(name)s did not attend the class: no certificate.") % {"name": current.name})
        if Certificate.objects.filter(registration=current).exists():
            raise TrainingError(_("%(name)s already has a certificate for this class.") % {"name": current.name})
        if number:
            check_number(number, actor)
        with translation.override(settings.LANGUAGE_CODE):  # printed in Vietnamese, the source language
            title = course_class.course.safe_translation_getter("title", any_language=True)
        start, end = timezone.localtime(course_class.starts_at), timezone.localtime(course_class.ends_at)
        held = f"{start:%d/%m/%Y}" if start.date() == end.date() else f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
        for _attempt in range(3):
            chosen = number or _next_number(timezone.localtime(now).year)  # the year printed on it
            try:
                with transaction.atomic():
                    found = Certificate.objects.create(
                        registration=current, number=chosen, check_code=check_code(chosen), name=current.name,
                        course_title=title, held=held, issued_at=now, issued_by=actor)
                break
            except IntegrityError:
                if number:
                    raise TrainingError(_("Certificate number %(number)s is already given.") % {"number": number}) \
                        from None
        else:
            raise TrainingError(_("No free certificate number now: try again."))
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=found)
    return found


def issue_for_class(course_class: CourseClass, *, actor: Any, now: dt.datetime | None = None) -> int:
    """Certificates for everyone who attended and has none yet; how many were issued."""
    issued = 0
    for registration in course_class.registrations.filter(attended_at__isnull=False, certificate__isnull=True):
        issue(registration, actor=actor, now=now)
        issued += 1
    return issued


def revoke(certificate: Certificate, *, actor: Any, reason: str, now: dt.datetime | None = None) -> Certificate:
    """A certificate given in error stops verifying; its record stays, with the reason."""
    reason = plain(reason, 300)
    if not reason:
        raise TrainingError(_("Give the reason for revoking the certificate."))
    if not manages(actor, certificate.registration.course_class):
        raise TrainingError(_("Only the organisers of this class revoke its certificates."))
    with transaction.atomic():
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if current.revoked_at is not None:
            raise TrainingError(_("Certificate %(number)s is already revoked.") % {"number": current.number})
        before = audit.snapshot(current)
        current.revoked_at, current.revoked_reason = now or timezone.now(), reason
        current.save(update_fields=["revoked_at", "revoked_reason"])
        audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before)
    return current


ERASED = "@erased.invalid"
CANCELLED_KEPT_DAYS = 30  # a cancelled or never-confirmed registration: gone a month after the class


def _erase(registration: Registration) -> None:
    """Name, phone and survey comments go; the address becomes a keyed hash (so a person still counts once a
    year in the figures, and no one can read it back); the audit log's copies of them go too."""
    from django.contrib.contenttypes.models import ContentType

    digest = hmac.new(settings.SECRET_KEY.encode(), registration.email.lower().encode(), hashlib.sha256)
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(
            name="", phone="", email=f"h-{digest.hexdigest()[:40]}{ERASED}")
        Feedback.objects.filter(registration=registration.pk).update(comments="")
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Registration),
                                  object_id=str(registration.pk)).update(snapshot={}, changes={},
                                                                         object_repr=_("(erased)"))


def erase_old(now: dt.datetime | None = None) -> int:
    """Personal data kept no longer than the notice says: TRAINING_RETENTION_DAYS after the class for those who
    had a place, a month after it for cancelled and waiting ones. Certificates keep the name they print, for
    their verification."""
    now = now or timezone.now()
    old = Registration.objects.filter(
        Q(course_class__ends_at__lt=now - dt.timedelta(days=settings.TRAINING_RETENTION_DAYS))
        | Q(state__in=(Registration.State.CANCELLED, Registration.State.WAITING),
            course_class__ends_at__lt=now - dt.timedelta(days=CANCELLED_KEPT_DAYS))).exclude(email__endswith=ERASED)
    erased = 0
    for registration in old.only("pk", "email"):
        _erase(registration)
        erased += 1
    return erased


def erase(registration: Registration, *, actor: Any) -> None:
    """On the person's request (Law 91/2025/QH15): their data erased now, the registration cancelled if it
    still holds a place (the first waiting person gets it). A certificate already issued keeps its name."""
    if not manages(actor, registration.course_class):
        raise TrainingError(_("Only the organisers of this class erase its participants' data."))
    if registration.email.endswith(ERASED):
        raise TrainingError(_("These data are already erased."))
    if registration.state != Registration.State.CANCELLED and registration.attended_at is None:
        cancel(registration, actor=actor)
    _erase(registration)
    registration.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=registration, note="erased on request")
