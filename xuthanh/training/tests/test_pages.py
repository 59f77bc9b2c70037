"""The training programme's pages: the public registers, holds a ticket (QR code, cancelling, materials, the
survey, the certificate) and verifies certificates; bad input gets its reason, never a 500; organisers check
people in by the ticket's QR code and work in the back office on their own unit's classes only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xuthanh.training import services
from xuthanh.training.models import Certificate, Material, Registration, check_material
from xuthanh.training.tests.test_training import board, course, make_class  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

SOON = timezone.now() + dt.timedelta(days=10)


def form(email: str = "lan@example.org", **extra) -> dict:  # noqa: ANN003
    return {"name": "Nguyễn Thị Lan", "email": email, "phone": "0912 345 678", "audience": "communities",
            "organisation_name": "Làng Cổ Đô", "consent": "on", **extra}


def post(client, c, data, address="10.1.0.1"):  # noqa: ANN001, ANN201
    return client.post(reverse("training:detail", args=[c.pk]), data, REMOTE_ADDR=address)


def live_class(of, organiser, **extra):  # noqa: ANN001, ANN201
    found = make_class(of, organiser, starts=SOON, **extra)
    type(found).objects.filter(pk=found.pk).update(registration_opens=timezone.now() - dt.timedelta(days=1))
    found.refresh_from_db()
    return found


def test_the_public_registers_and_holds_a_ticket(client, course, department) -> None:  # noqa: ANN001, F811
    c = live_class(course, department, capacity=1)
    for lang in ("vi", "en", "zh-hans", "fr"):
        assert client.get(f"/{lang}/training/").status_code == 200
        assert client.get(f"/{lang}/training/{c.pk}/").status_code == 200
    page = client.get(f"/en/training/{c.pk}/").content.decode()
    assert "Ứng dụng công nghệ thông tin" in page and 'type="checkbox"' in page and "checked" not in page.split(
        'name="consent"')[1][:40]  # the consent box starts unticked
    answer = post(client, c, form())
    assert answer.status_code == 302 and "/training/ticket/" in answer["Location"]
    ticket = client.get(answer["Location"]).content.decode()
    assert "Nguyễn Thị Lan" in ticket and "<svg" in ticket  # the QR code to show at the door
    # full: the next one waits
    waiting = client.get(post(client, c, form("b@example.org"))["Location"]).content.decode()
    assert "<svg" not in waiting
    # cancelling gives the place to the first waiting
    first = Registration.objects.get(email="lan@example.org")
    assert client.post(reverse("training:cancel", args=[first.token])).status_code == 302
    assert Registration.objects.get(email="b@example.org").state == "confirmed"
    assert client.get(reverse("training:ticket", args=["no-such-ticket"])).status_code == 404


def test_bad_registrations_get_their_reason_and_store_nothing(client, course, department, settings) -> None:  # noqa: ANN001, E501, F811
    c = live_class(course, department)
    without = post(client, c, form(consent=""), "10.1.0.2")
    assert without.status_code == 422 and "consent" in without.content.decode()
    bad = post(client, c, form(email="not-an-address", audience="tourists"), "10.1.0.2")
    assert bad.status_code == 422 and not Registration.objects.exists()
    post(client, c, form(), "10.1.0.2")
    again = post(client, c, form(email="LAN@example.org"), "10.1.0.2")
    assert again.status_code == 200 and "already registered" in again.content.decode()
    assert Registration.objects.count() == 1
    settings.TRAINING_REGISTRATIONS_PER_HOUR = 1
    post(client, c, form("x@example.org"), "10.1.0.3")
    assert post(client, c, form("y@example.org"), "10.1.0.3").status_code == 429
    type(c).objects.filter(pk=c.pk).update(state="draft")
    assert client.get(f"/en/training/{c.pk}/").status_code == 404
    assert client.put(f"/en/training/{c.pk}/").status_code in (404, 405)


def test_survey_certificate_and_verification_pages(client, course, department, people) -> None:  # noqa: ANN001, F811
    c = make_class(course, department, starts=timezone.now() - dt.timedelta(hours=1))
    r = Registration.objects.create(course_class=c, name="Lê Văn Nam", email="nam@example.org",
                                    audience="officials", state="confirmed", consent_at=timezone.now(),
                                    consent_version="2026-1", attended_at=timezone.now())
    url = reverse("training:ticket", args=[r.token])
    assert 'name="usefulness"' in client.get(url).content.decode()  # the survey, open once the class started
    assert client.post(reverse("training:feedback", args=[r.token]), {"content": "9"}).status_code == 422
    ok = client.post(reverse("training:feedback", args=[r.token]),
                     {"content": 5, "trainers": 5, "organisation": 4, "usefulness": 5, "comments": "<b>Tốt</b>"})
    assert ok.status_code == 302 and r.feedback.usefulness == 5
    assert client.post(reverse("training:feedback", args=[r.token]), {"content": 5, "trainers": 5,
                       "organisation": 4, "usefulness": 5}).status_code == 409
    assert client.get(reverse("training:certificate", args=[r.token])).status_code == 404  # none yet
    found = services.issue(r, actor=people["dept_editor"])
    verify = reverse("training:verify")
    valid = client.get(verify, {"number": found.number, "code": found.check_code}).content.decode()
    assert "Lê Văn Nam" in valid
    forged = client.get(verify, {"number": "0999/2026/GCN-XT", "code": found.check_code}).content.decode()
    assert "Lê Văn Nam" not in forged and 'role="alert"' in forged
    wrong = client.get(verify, {"number": found.number, "code": "ZZZZZZZZ"}).content.decode()
    assert "Lê Văn Nam" not in wrong
    services.revoke(found, actor=people["dept_editor"], reason="Sai thông tin")
    revoked = client.get(verify, {"number": found.number, "code": found.check_code}).content.decode()
    assert "Sai thông tin" in revoked
    assert client.get(reverse("training:certificate", args=[r.token])).status_code == 404  # revoked: no PDF
    assert client.get(verify, {"number": "x" * 500, "code": "<script>"}).status_code == 200


def test_materials_are_checked_and_participants_only_unless_public(client, course, department) -> None:  # noqa: ANN001, F811
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a PDF file inside"):
        check_material(SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(ValidationError, match="give a PDF"):
        check_material(SimpleUploadedFile("run.exe", b"MZ"))
    c = live_class(course, department)
    private = Material.objects.create(course=course, title="Bài giảng", file=SimpleUploadedFile(
        "bai-giang.pdf", b"%PDF-1.4 slides"))
    Material.objects.create(course=course, title="Hướng dẫn sử dụng", link="https://example.org/guide", public=True)
    page = client.get(f"/vi/training/{c.pk}/").content.decode()
    assert "Hướng dẫn sử dụng" in page and "Bài giảng" not in page
    r = services.register(c, name="An", email="an@example.org", audience="officials", consent=True)
    answer = client.get(reverse("training:material", args=[r.token, private.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("training:material", args=["nobody", private.pk])).status_code == 404


def test_the_back_office_check_in_by_qr_and_each_unit_its_own_classes(client, course, department, board, people) -> None:  # noqa: ANN001, E501, F811
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    mine = make_class(course, board, starts=timezone.now() + dt.timedelta(hours=1))
    theirs = make_class(course, department, starts=timezone.now() + dt.timedelta(hours=2))
    r = Registration.objects.create(course_class=mine, name="Trần Hoa", email="hoa@example.org",
                                    audience="businesses", state="confirmed", consent_at=timezone.now(),
                                    consent_version="2026-1")
    checkin = reverse("admin:training_checkin", args=[r.token])
    client.force_login(people["sam_son_editor"])  # another unit's editor
    assert client.get(checkin).status_code == 403
    client.force_login(people["outsider"])  # the board's editor
    listing = client.get(reverse("admin:training_courseclass_changelist")).content.decode()
    assert str(mine.pk) in listing and f"/{theirs.pk}/change/" not in listing
    assert client.get(reverse("admin:training_courseclass_change", args=[theirs.pk])).status_code == 302
    assert "Trần Hoa" in client.get(checkin).content.decode()
    assert client.post(checkin).status_code == 302
    r.refresh_from_db()
    assert r.attended_at is not None and r.checked_in_by == people["outsider"]
    assert "already checked in" in client.post(checkin, follow=True).content.decode()
    assert client.get(reverse("admin:training_checkin", args=["forged"]), follow=True).status_code == 200
    client.force_login(people["dept_editor"])
    for name in ("course", "courseclass", "registration", "certificate", "studytour"):
        assert client.get(reverse(f"admin:training_{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:training_{name}_add")).status_code == 200, name
    assert client.get(reverse("admin:training_courseclass_change", args=[mine.pk])).status_code == 200
    figures = client.get(reverse("admin:training_figures")).content.decode()
    assert "Trần Hoa" not in figures and str(timezone.localtime(mine.starts_at).year) in figures  # counts, no names
    client.force_login(people["translator"])
    assert client.get(reverse("admin:training_courseclass_changelist")).status_code == 403


def test_a_duplicate_number_in_the_back_office_is_a_message_not_a_500(client, course, department, people) -> None:  # noqa: ANN001, E501, F811
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    c = make_class(course, department, starts=timezone.now() - dt.timedelta(hours=1))
    made = []
    for email in ("a@example.org", "b@example.org"):
        made.append(Registration.objects.create(course_class=c, name=email[0].upper(), email=email,
                                                audience="officials", state="confirmed", consent_at=timezone.now(),
                                                consent_version="2026-1", attended_at=timezone.now()))
    services.issue(made[0], actor=people["dept_editor"], number="7/2020/GCN")
    client.force_login(people["dept_editor"])
    answer = client.post(reverse("admin:training_certificate_add"),
                         {"registration": made[1].pk, "number": "7/2020/GCN"}, follow=True)
    assert answer.status_code == 200 and "7/2020/GCN is already given to A" in answer.content.decode()
    assert Certificate.objects.count() == 1
    answer = client.post(reverse("admin:training_certificate_add"), {"registration": made[1].pk, "number": ""})
    assert answer.status_code == 302 and Certificate.objects.count() == 2
    found = Certificate.objects.get(registration=made[1])
    pdf = client.get(reverse("admin:training_certificate_pdf", args=[found.pk]))
    assert pdf.status_code in (200, 503)
    revoke = client.post(reverse("admin:training_certificate_change", args=[found.pk]),
                         {"revoked_reason": "Cấp nhầm"}, follow=True)
    assert revoke.status_code == 200
    found.refresh_from_db()
    assert found.revoked_at is not None and found.revoked_reason == "Cấp nhầm"


def test_the_public_page_shows_people_trained_per_year_and_study_tours(client, course, department, people) -> None:  # noqa: ANN001, E501, F811
    from xuthanh.plan import loader
    from xuthanh.plan.models import Task
    from xuthanh.training.models import StudyTour

    make_class(course, department, starts=timezone.make_aware(dt.datetime(2024, 8, 15, 8)), reported_attendance=35)
    tour = StudyTour.objects.create(title="Học tập kinh nghiệm", destinations="Quảng Ninh",
                                    starts_on=dt.date(2023, 10, 2), ends_on=dt.date(2023, 10, 6),
                                    organiser=department, state=StudyTour.State.HELD)
    page = client.get("/en/training/").content.decode()
    assert 'id="trained-data"' in page and "<th scope=\"row\">2024</th><td>1</td><td>35" in page
    assert "<th scope=\"row\">2023</th>" in page  # the study tour's year
    loader.load()
    Task.objects.get(code="IV.2").study_tours.add(tour)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    shown = client.get(reverse("admin:training_studytour_change", args=[tour.pk])).content.decode()
    assert "IV.2" in shown  # the plan's task it informed, linked from the task's screen
    assert client.get(reverse("admin:plan_task_change", args=[Task.objects.get(code="IV.2").pk])).status_code == 200


def test_the_open_api_lists_coming_classes_and_the_figures(client, course, department) -> None:  # noqa: ANN001, F811
    c = live_class(course, department, capacity=3)
    services.register(c, name="An", email="an@example.org", audience="officials", consent=True)
    make_class(course, department, starts=timezone.make_aware(dt.datetime(2024, 8, 15, 8)), reported_attendance=35)
    found = client.get("/api/v1/training/classes?lang=vi").json()
    assert [(r["id"], r["free"], r["places"]) for r in found] == [(c.pk, 2, 3)]
    assert found[0]["course"].startswith("Ứng dụng") and found[0]["page"].endswith(f"/training/{c.pk}/")
    assert "email" not in str(found) and "an@example.org" not in str(found)
    assert client.get("/api/v1/training/figures").json() == [
        {"year": 2024, "people": 35, "classes": 1, "reported": 35, "study_tours": 0,
         "by_audience": {"officials": 0, "businesses": 0, "communities": 0}}]
    assert client.get("/api/v1/training/classes?lang=xx").status_code == 200  # an unknown language: the default


def test_organisers_change_a_class_everyone_hears_and_a_lost_file_does_not_stop_the_save(client, course, department, people, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001, E501, F811
    from django.core import mail

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    c = live_class(course, department, capacity=1)
    services.register(c, name="An", email="an@example.org", audience="officials", consent=True)
    waiting = services.register(c, name="Bình", email="binh@example.org", audience="officials", consent=True)
    material = Material.objects.create(course=course, course_class=c, title="Slides",
                                       file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 x"))
    assert client.get(reverse("training:material", args=[waiting.token, material.pk])).status_code == 404
    material.file.storage.delete(material.file.name)  # the file is lost from the storage
    client.force_login(people["dept_editor"])
    form = client.get(reverse("admin:training_courseclass_change", args=[c.pk])).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    for key in ("starts_at", "ends_at", "registration_opens", "registration_closes"):
        local = timezone.localtime(data.pop(key))
        data[f"{key}_0"], data[f"{key}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    data.update({"venue": "Phòng họp tầng 3, 37A Lê Hoàn", "materials-TOTAL_FORMS": 1, "materials-INITIAL_FORMS": 1,
                 "materials-MIN_NUM_FORMS": 0, "materials-MAX_NUM_FORMS": 1000, "materials-0-id": material.pk,
                 "materials-0-course_class": c.pk, "materials-0-title": "Slides", "materials-0-position": 0})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("admin:training_courseclass_change", args=[c.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.org", "binh@example.org"]
    assert "Phòng họp tầng 3" in mail.outbox[0].body
    placed = Registration.objects.get(email="an@example.org")  # a participant asks for the lost file: not found
    assert client.get(reverse("training:material", args=[placed.token, material.pk])).status_code == 404


def test_the_certificate_form_offers_only_the_users_own_attendees(client, course, department, board, people) -> None:  # noqa: ANN001, E501, F811
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    theirs = make_class(course, department, starts=timezone.now() - dt.timedelta(hours=1))
    Registration.objects.create(course_class=theirs, name="Người của Sở", email="so@example.org",
                                audience="officials", state="confirmed", consent_at=timezone.now(),
                                consent_version="2026-1", attended_at=timezone.now())
    client.force_login(people["outsider"])  # the site board's editor
    page = client.get(reverse("admin:training_certificate_add")).content.decode()
    assert "Người của Sở" not in page
