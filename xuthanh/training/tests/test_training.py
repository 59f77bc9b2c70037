"""The training programme: registering (a place within capacity, else the waiting list in order; consent; one
registration per address), cancelling (the first waiting person gets the place), check-in by the class's
organisers only, the survey, numbered certificates (a duplicate number refused with nothing stored; verification
rejects forged numbers, wrong codes and revoked certificates), and the people trained per year, audience and
unit, which feed the plan's targets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from xuthanh.orgs.models import Membership, Organisation, Role
from xuthanh.training import certificate, selectors, services
from xuthanh.training.models import Audience, Certificate, Course, CourseClass, Feedback, Registration, StudyTour

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 5, 4, 9, 0))


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):  # noqa: ANN001, ANN201
    """What waits for the commit (the ticket by e-mail) runs at once: the test's transaction never commits."""
    monkeypatch.setattr(services.transaction, "on_commit", lambda call, *a, **k: call())


@pytest.fixture
def board(people):  # noqa: ANN001, ANN201
    """A site board organising its own class, with an editor."""
    found = Organisation.objects.create(name="Ban quản lý Di tích Thành nhà Hồ", slug="bql-tnh",
                                        kind=Organisation.Kind.SITE_BOARD)
    Membership.objects.create(user=people["outsider"], organisation=found, role=Role.EDITOR)
    return found


@pytest.fixture
def course(department):  # noqa: ANN001, ANN201
    found = Course.objects.create(slug="du-lich-thong-minh", audiences=["officials", "businesses", "communities"],
                                  hours=8, organiser=department)
    found.set_current_language("vi")
    found.title = "Ứng dụng công nghệ thông tin trong du lịch thông minh"
    found.save()
    return found


def make_class(course, organiser, *, capacity=2, starts=NOW + dt.timedelta(days=10), **extra):  # noqa: ANN001, ANN201
    return CourseClass.objects.create(
        course=course, organiser=organiser, starts_at=starts, ends_at=starts + dt.timedelta(hours=8),
        venue="Hội trường Sở VHTTDL, 37A Lê Hoàn, Thanh Hóa", trainers="ThS. Nguyễn Văn A, giảng viên",
        capacity=capacity, registration_opens=NOW - dt.timedelta(days=5),
        registration_closes=starts - dt.timedelta(days=1), state=CourseClass.State.PUBLISHED, **extra)


def join(course_class, email, **extra):  # noqa: ANN001, ANN201
    data = {"name": email.split("@")[0].title(), "email": email, "audience": Audience.OFFICIALS, "consent": True,
            "now": NOW, **extra}
    return services.register(course_class, **data)


def test_places_then_the_waiting_list_in_order_and_a_cancelled_place_goes_to_the_first(course, department) -> None:  # noqa: ANN001, E501
    c = make_class(course, department, capacity=2)
    a, b = join(c, "a@example.org"), join(c, "b@example.org")
    w1, w2 = join(c, "w1@example.org"), join(c, "w2@example.org")
    assert [r.state for r in (a, b, w1, w2)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert services.waiting_position(w1) == 1 and services.waiting_position(w2) == 2
    assert "number 1 on the waiting list" in mail.outbox[2].body and w1.token in mail.outbox[2].body
    mail.outbox.clear()
    promoted = services.cancel(a, now=NOW)
    assert promoted.pk == w1.pk
    w1.refresh_from_db()
    assert w1.state == "confirmed" and w1.promoted_at == NOW
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["w1@example.org"] and "is yours" in mail.outbox[0].subject
    assert services.waiting_position(Registration.objects.get(pk=w2.pk)) == 1
    with pytest.raises(services.TrainingError, match="already cancelled"):
        services.cancel(Registration.objects.get(pk=a.pk), now=NOW)
    # more places: the waiting move up
    CourseClass.objects.filter(pk=c.pk).update(capacity=5)
    assert services.promote_waiting(c, now=NOW) == 1
    c.refresh_from_db()
    assert selectors.counts(c) == {"confirmed": 3, "waiting": 0, "cancelled": 1, "attended": 0, "free": 2}


def test_registering_is_refused_with_its_reason(course, department) -> None:  # noqa: ANN001
    c = make_class(course, department)
    with pytest.raises(services.TrainingError, match="consent"):
        join(c, "a@example.org", consent=False)
    with pytest.raises(services.TrainingError, match="not an e-mail"):
        join(c, "not-an-address")
    with pytest.raises(services.TrainingError, match="choose state official"):
        join(c, "a@example.org", audience="tourists")
    with pytest.raises(services.TrainingError, match="Phone"):
        join(c, "a@example.org", phone="call me")
    assert not Registration.objects.exists()  # nothing stored
    join(c, "a@example.org")
    mail.outbox.clear()
    with pytest.raises(services.AlreadyRegistered):
        join(c, "A@Example.org ")
    assert Registration.objects.count() == 1 and mail.outbox[0].to == ["a@example.org"]  # the link again
    with pytest.raises(services.TrainingError, match="Registration closed"):
        join(c, "late@example.org", now=c.registration_closes)
    with pytest.raises(services.TrainingError, match="Registration opens"):
        join(c, "early@example.org", now=NOW - dt.timedelta(days=6))
    CourseClass.objects.filter(pk=c.pk).update(state=CourseClass.State.DRAFT)
    with pytest.raises(services.TrainingError, match="not open"):
        join(c, "b@example.org")


def attend(c, email, actor, **extra):  # noqa: ANN001, ANN201
    found = join(c, email, **extra)
    return services.check_in(found, actor=actor, now=c.starts_at + dt.timedelta(minutes=5))


def test_check_in_by_the_class_organisers_only(course, board, people) -> None:  # noqa: ANN001
    c = make_class(course, board, capacity=1)
    r, waiting = join(c, "a@example.org"), join(c, "w@example.org")
    at = c.starts_at
    with pytest.raises(services.TrainingError, match="Only the organisers"):
        services.check_in(r, actor=people["sam_son_editor"], now=at)  # another commune's editor
    with pytest.raises(services.TrainingError, match="day of the class"):
        services.check_in(r, actor=people["outsider"], now=at - dt.timedelta(days=2))
    services.check_in(r, actor=people["outsider"], now=at)  # the board's editor
    with pytest.raises(services.TrainingError, match="already checked in"):
        services.check_in(r, actor=people["dept_editor"], now=at)  # the department may, but it is done
    with pytest.raises(services.TrainingError, match="no confirmed place"):
        services.check_in(waiting, actor=people["dept_editor"], now=at)
    with pytest.raises(services.TrainingError, match="has attended"):
        services.cancel(Registration.objects.get(pk=r.pk), actor=people["outsider"], now=at)
    assert services.manages(people["dept_editor"], c) and not services.manages(people["translator"], c)


def test_the_survey_once_after_attending(course, department, people) -> None:  # noqa: ANN001
    c = make_class(course, department)
    r = attend(c, "a@example.org", people["dept_editor"])
    absent = join(c, "b@example.org")
    marks = {"content": 5, "trainers": 4, "organisation": 3, "usefulness": 5}
    with pytest.raises(services.TrainingError, match="who attended"):
        services.send_feedback(absent, ratings=marks)
    with pytest.raises(services.TrainingError, match="from 1 to 5"):
        services.send_feedback(r, ratings={**marks, "content": 6}, now=c.ends_at)
    services.send_feedback(r, ratings=marks, comments="Rất bổ ích\x07", now=c.ends_at)
    with pytest.raises(services.TrainingError, match="already sent"):
        services.send_feedback(r, ratings=marks, now=c.ends_at)
    found = selectors.survey(c)
    assert found.answers == 1 and found.attended == 1 and found.averages["organisation"] == 3
    assert found.comments == ["Rất bổ ích"] and Feedback.objects.count() == 1


def test_certificates_are_numbered_verified_and_revoked(course, department, people) -> None:  # noqa: ANN001
    c = make_class(course, department, capacity=5)
    editor = people["dept_editor"]
    a, b = attend(c, "a@example.org", editor), attend(c, "b@example.org", editor)
    absent = join(c, "c@example.org")
    when = timezone.make_aware(dt.datetime(2026, 5, 20, 10))
    with pytest.raises(services.TrainingError, match="did not attend"):
        services.issue(absent, actor=editor, now=when)
    with pytest.raises(services.TrainingError, match="Only the organisers"):
        services.issue(a, actor=people["sam_son_editor"], now=when)
    assert services.issue_for_class(c, actor=editor, now=when) == 2
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == ["0001/2026/GCN-XT", "0002/2026/GCN-XT"]
    first = Certificate.objects.get(registration=a)
    assert first.name == "A" and first.course_title.startswith("Ứng dụng công nghệ") and first.held == "14/05/2026"
    with pytest.raises(services.TrainingError, match="already has a certificate"):
        services.issue(a, actor=editor, now=when)
    # verification: valid; a forged number, a real number with a wrong or no code: unknown
    assert selectors.verify(first.number, first.check_code.lower()).state == "valid"
    assert selectors.verify("0099/2026/GCN-XT", first.check_code).state == "unknown"
    assert selectors.verify(first.number, "AAAAAAAA").state == "unknown"
    assert selectors.verify(first.number, "").state == "unknown"
    with pytest.raises(services.TrainingError, match="reason"):
        services.revoke(first, actor=editor, reason="  ")
    services.revoke(first, actor=editor, reason="Cấp nhầm người")
    found = selectors.verify(first.number, first.check_code)
    assert found.state == "revoked" and found.certificate.revoked_reason == "Cấp nhầm người"
    with pytest.raises(services.TrainingError, match="already revoked"):
        services.revoke(first, actor=editor, reason="again")
    del b


def test_a_duplicate_certificate_number_is_refused_and_nothing_is_stored(course, department, people) -> None:  # noqa: ANN001, E501
    c = make_class(course, department, capacity=5)
    editor = people["dept_editor"]
    a, b = attend(c, "a@example.org", editor), attend(c, "b@example.org", editor)
    services.issue(a, actor=editor, number="15/2021/GCN")  # printed before the platform, with its own number
    with pytest.raises(services.TrainingError, match="15/2021/GCN is already given to A"):
        services.issue(b, actor=editor, number="15/2021/GCN")
    assert Certificate.objects.count() == 1 and not Certificate.objects.filter(registration=b).exists()
    assert services.issue(b, actor=editor).number.endswith("/GCN-XT")


def test_the_certificate_pdf_carries_its_number_and_verification_link(course, department, people) -> None:  # noqa: ANN001, E501
    from xuthanh.core.pdf import font_path

    if font_path() is None:
        pytest.skip("no Unicode font for PDFs (apt-get install fonts-dejavu-core; PDF_FONT)")
    c = make_class(course, department)
    r = attend(c, "a@example.org", people["dept_editor"])
    found = services.issue(r, actor=people["dept_editor"])
    data = certificate.pdf_bytes(found)
    assert data.startswith(b"%PDF") and len(data) > 5_000
    url = certificate.verify_url(found)
    assert "/vi/training/verify/?number=" in url and found.check_code in url


def test_people_trained_per_year_audience_and_unit_feed_the_plan(course, department, board, people) -> None:  # noqa: ANN001, E501
    from xuthanh.plan import targets
    from xuthanh.plan.models import Measure

    editor = people["dept_editor"]
    first = make_class(course, department, capacity=10)
    attend(first, "a@example.org", editor)
    attend(first, "b@example.org", editor, audience=Audience.BUSINESSES, organisation_name="Khách sạn Mường Thanh")
    join(first, "absent@example.org")
    second = make_class(course, board, capacity=10, starts=NOW + dt.timedelta(days=40))
    again = attend(second, "a@example.org", editor)  # the same person twice a year counts once
    Registration.objects.filter(pk=again.pk).update(unit=board)
    sample = make_class(course, department, capacity=10, sample=True, starts=NOW + dt.timedelta(days=50))
    attend(sample, "s@example.org", editor)
    earlier = make_class(course, department, starts=timezone.make_aware(dt.datetime(2024, 8, 15, 8)),
                         reported_attendance=35, source="https://example.org/tin-tap-huan")  # before the platform
    years = selectors.trained()
    assert [(t.year, t.people, t.classes, t.reported) for t in years] == [(2024, 35, 1, 0 + 35), (2026, 2, 2, 0)]
    assert years[1].by_audience == {"officials": 1, "businesses": 1, "communities": 0}
    assert years[1].by_unit == {"–": 1, "Khách sạn Mường Thanh": 1}
    Registration.objects.create(course_class=earlier, name="E", email="e@example.org", audience="officials",
                                state="confirmed", consent_at=NOW, consent_version="paper",
                                attended_at=earlier.starts_at)  # checked in here: its own count only
    assert [(t.year, t.people) for t in selectors.trained()] == [(2024, 1), (2026, 2)]
    Registration.objects.filter(course_class=earlier).delete()
    StudyTour.objects.create(title="Học tập kinh nghiệm du lịch thông minh", destinations="Quảng Ninh, Đà Nẵng",
                             starts_on=dt.date(2023, 10, 2), ends_on=dt.date(2023, 10, 6), organiser=department,
                             state=StudyTour.State.REPORTED)
    StudyTour.objects.create(title="Dự kiến", destinations="Huế", starts_on=dt.date(2027, 4, 1),
                             ends_on=dt.date(2027, 4, 3), organiser=department)  # planned: not counted
    found = targets.compute()
    assert found[Measure.TRAINED].value == 37.0 and found[Measure.TRAINED].by_year == {2024: 35.0, 2026: 2.0}
    assert "years of the plan with a class: 1 of 6" in found[Measure.TRAINED].detail
    assert found[Measure.STUDY_TOURS].value == 1.0 and found[Measure.STUDY_TOURS].goal == 2.0


def test_the_day_before_each_confirmed_participant_is_reminded_once_in_their_language(course, department) -> None:  # noqa: ANN001, E501
    from django.utils import translation

    c = make_class(course, department, capacity=1)
    with translation.override("en"):
        english = join(c, "a@example.org")
    waiting = join(c, "w@example.org")
    assert english.language == "en" and waiting.state == "waiting"
    mail.outbox.clear()
    assert services.send_reminders(c.starts_at - dt.timedelta(hours=40)) == 0  # not yet
    assert services.send_reminders(c.starts_at - dt.timedelta(hours=24)) == 1
    assert mail.outbox[0].to == ["a@example.org"] and "/en/training/ticket/" in mail.outbox[0].body
    assert services.send_reminders(c.starts_at - dt.timedelta(hours=20)) == 0  # once


def test_personal_data_are_erased_after_their_retention_and_the_counts_stay(course, department, people, settings) -> None:  # noqa: ANN001, E501
    settings.TRAINING_RETENTION_DAYS = 30
    c = make_class(course, department, capacity=5)
    r = attend(c, "a@example.org", people["dept_editor"], phone="0912345678")
    services.send_feedback(r, ratings={"content": 5, "trainers": 5, "organisation": 5, "usefulness": 5},
                           comments="Tên tôi là A", now=c.ends_at)
    found = services.issue(r, actor=people["dept_editor"])
    before = [(t.year, t.people) for t in selectors.trained()]
    assert services.erase_old(c.ends_at + dt.timedelta(days=29)) == 0
    assert services.erase_old(c.ends_at + dt.timedelta(days=31)) == 1
    r.refresh_from_db()
    assert (r.name, r.phone) == ("", "") and r.email.endswith("@erased.invalid") and "a@" not in r.email
    assert r.feedback.comments == "" and r.feedback.content == 5
    assert [(t.year, t.people) for t in selectors.trained()] == before
    assert selectors.verify(found.number, found.check_code).certificate.name == "A"
    assert services.erase_old(c.ends_at + dt.timedelta(days=32)) == 0


def test_a_cancelled_class_moves_no_one_up_and_everyone_hears_of_it(course, department, people) -> None:  # noqa: ANN001, E501
    from django.utils import translation

    c = make_class(course, department, capacity=1)
    with translation.override("fr"):
        placed = join(c, "a@example.org")
    waiting = join(c, "w@example.org")
    CourseClass.objects.filter(pk=c.pk).update(state=CourseClass.State.CANCELLED)
    c.refresh_from_db()
    mail.outbox.clear()
    assert services.cancel(placed, now=NOW) is None  # no place to give in a cancelled class
    assert Registration.objects.get(pk=waiting.pk).state == "waiting" and mail.outbox == []
    assert services.notify_change(c, cancelled=True) == 1  # the one still waiting
    assert mail.outbox[0].to == ["w@example.org"]


def test_certificate_numbers_follow_the_year_in_vietnam_and_name_holders_to_their_organisers_only(course, department, board, people) -> None:  # noqa: ANN001, E501
    c = make_class(course, department, capacity=5)
    r = attend(c, "a@example.org", people["dept_editor"])
    new_year = timezone.make_aware(dt.datetime(2027, 1, 1, 6, 0))  # 31 December 23:00 UTC
    found = services.issue(r, actor=people["dept_editor"], now=new_year)
    assert found.number == "0001/2027/GCN-XT"
    with pytest.raises(services.TrainingError) as refused:
        services.check_number(found.number, people["outsider"])  # the board's editor: not their class
    assert "A" not in str(refused.value).replace("GCN", "") and "already given" in str(refused.value)
    with pytest.raises(services.TrainingError, match="already given to A"):
        services.check_number(found.number, people["dept_editor"])


def test_erasing_on_request_cancels_the_place_and_scrubs_the_audit_log(course, department, people) -> None:  # noqa: ANN001, E501
    from xuthanh.core.models import AuditEntry

    c = make_class(course, department, capacity=1, starts=timezone.now() + dt.timedelta(days=10))
    r = join(c, "a@example.org", phone="0912345678")
    waiting = join(c, "w@example.org")
    with pytest.raises(services.TrainingError, match="Only the organisers"):
        services.erase(r, actor=people["sam_son_editor"])
    services.erase(r, actor=people["dept_editor"])
    r.refresh_from_db()
    assert r.state == "cancelled" and r.name == "" and r.email.endswith(services.ERASED)
    assert Registration.objects.get(pk=waiting.pk).state == "confirmed"  # the place went on
    logged = " ".join(str(e.snapshot) + str(e.changes) + e.object_repr
                      for e in AuditEntry.objects.filter(object_id=str(r.pk), content_type__model="registration"))
    assert "a@example.org" not in logged and "0912345678" not in logged and r.token not in logged
    with pytest.raises(services.TrainingError, match="already erased"):
        services.erase(r, actor=people["dept_editor"])
