"""The training programme in a real browser: a person registers for a class on the public page (the consent box
unticked until they tick it) and gets a ticket with its QR code; the organiser opens the address the QR code holds
in the back office and checks them in, then issues the certificates; anyone verifies the certificate's number
and check code on the public page. axe-core finds no serious or critical violation on the class page, the
ticket, the check-in screen, a page of the officers' user guide and the verification page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread
from tests.e2e.test_campaigns import saved, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def course_class(people, department) -> int:
    from django.utils import timezone

    from xuthanh.training.models import Course, CourseClass

    course = Course.objects.create(slug="du-lich-thong-minh-e2e", audiences=["officials", "communities"], hours=4,
                                   organiser=department)
    course.set_current_language("vi")
    course.title = "Ứng dụng công nghệ thông tin trong du lịch thông minh"
    course.save()
    now = timezone.now()
    return CourseClass.objects.create(
        course=course, organiser=department, starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=5), venue="Hội trường Sở VHTTDL Thanh Hóa", trainers="ThS. Nguyễn Văn A",
        capacity=20, registration_closes=now + dt.timedelta(minutes=30), state=CourseClass.State.PUBLISHED).pk


def test_register_check_in_certify_and_verify(course_class, page, axe_source):
    from xuthanh.training.models import Certificate, Registration

    with_axe(page, axe_source)
    problems: list[str] = []

    def axe_here() -> None:
        page.wait_for_load_state("networkidle")
        problems.extend(describe(page.url, v) for v in serious_violations(page))

    page.goto(f"/vi/training/{course_class}/")
    axe_here()  # the class and its form
    assert not page.is_checked("input[name=consent]")
    page.fill("input[name=name]", "Nguyễn Thị Lan")
    page.fill("input[name=email]", "lan@example.org")
    page.check("input[name=audience][value=communities]")
    page.check("input[name=consent]")
    page.click("form.account button[type=submit]")
    page.wait_for_url("**/training/ticket/**")
    assert page.locator(".ticket-qr svg").count() == 1
    axe_here()  # the ticket
    token = in_thread(lambda: Registration.objects.get(email="lan@example.org").token)

    sign_in(page, "dept_editor", f"/admin/training/courseclass/checkin/{token}/")  # where the QR code leads
    assert "Nguyễn Thị Lan" in page.inner_text("#content")
    axe_here()  # the check-in screen
    page.click("input[type=submit].default")
    saved(page)
    page.goto("/admin/handbook/training/")  # the officers' guide to all this, as printed for a class
    assert page.locator("h1").count() == 1 and page.locator("nav a[href*='#']").count() >= 3
    axe_here()  # a page of the user guide
    page.goto("/admin/training/courseclass/")
    page.check(f"input[name=_selected_action][value='{course_class}']")
    page.select_option("select[name=action]", "issue_certificates")
    page.click("button[name=index]")
    saved(page)
    found = in_thread(lambda: Certificate.objects.get())

    page.context.clear_cookies()
    page.goto(f"/en/training/verify/?number={found.number}&code={found.check_code}")
    assert "Nguyễn Thị Lan" in page.inner_text("main") and "Valid" in page.inner_text("main")
    axe_here()  # the verification page
    page.goto(f"/en/training/verify/?number=0999/2020/GCN-XT&code={found.check_code}")
    assert "Nguyễn Thị Lan" not in page.inner_text("main") and "Not found" in page.inner_text("main")
    assert problems == [], "\n".join(problems)
