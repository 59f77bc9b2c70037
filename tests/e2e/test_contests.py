"""A photo contest in a real browser, from entry to gallery: an entrant with a confirmed e-mail address signs in,
registers (no consent box ticked for them), sends a photo with its place and licence and finds it among their
entries; the department accepts it in the back office and opens a yes/no jury round; the juror judges it
blind (the work, never its author's name) until nothing is left; the gallery then shows it with its author's
credit and licence. axe-core finds no serious or critical violation on the contest's public pages, the forms
and the jury's pages."""

from __future__ import annotations

import pytest

from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"  # the root conftest's `people` and the contests' `confirmed`
ENTRANT, JUROR = "thi_sinh", "giam_khao"
FULL_NAME, CREDIT = "Lê Thị Thu Hà", "Thu Hà Lê"
TITLE = "Bình minh trên Thành nhà Hồ"
LICENCE = "CC-BY-SA-4.0"


def vi(text: str) -> str:
    """A message as the Vietnamese pages show it (the tests' own thread speaks English, root conftest)."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def contest(people, tmp_path) -> dict:
    """A contest taking entries, an entrant and a juror with confirmed addresses, and the photo to send: made
    before the browser starts (test bodies do not use the ORM)."""
    from xuthanh.catalog.models import Place
    from xuthanh.contests.models import Kind
    from xuthanh.contests.tests.conftest import confirmed, make_contest, picture

    made = make_contest("submissions")
    confirmed(ENTRANT)
    photo = tmp_path / "binh-minh.jpg"
    photo.write_bytes(picture(7))
    place = Place.objects.filter(status="published").order_by("id").first()
    return {"slug": made.slug, "category": made.categories.get(kind=Kind.PHOTO).pk, "place": place.pk,
            "juror": confirmed(JUROR).pk, "photo": str(photo)}


def sign_in(page, username: str, then: str) -> None:
    """The portal's sign-in form, as `username` (the cookies of whoever used the page before are dropped)."""
    page.context.clear_cookies()
    page.goto(f"/vi/account/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.account button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_an_entry_is_sent_judged_and_shown_in_the_gallery(contest, page, axe_source):
    with_axe(page, axe_source)
    slug = contest["slug"]
    base = f"/vi/contests/{slug}/"
    problems: list[str] = []

    def axe_here() -> None:
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "vi"
        problems.extend(describe(page.url, v) for v in serious_violations(page))

    for path in ("/vi/contests/", base):
        response = page.goto(path)
        assert response.ok, (path, response.status)
        axe_here()
    assert page.locator(f'main a[href="{base}enter/"]').count() >= 1  # "Take part" while entries are open

    # the entrant registers once, then sends the photo
    sign_in(page, ENTRANT, f"{base}enter/")
    assert page.locator("input[type=checkbox]").count() >= 2
    assert page.locator("input[type=checkbox]:checked").count() == 0  # no consent given for them
    axe_here()
    page.fill("#id_full_name", FULL_NAME)
    page.fill("#id_credit_name", CREDIT)
    page.check("#id_privacy_consent")
    page.click("form.account button[type=submit]")
    page.wait_for_url(f"**{base}enter/?done=registered")
    assert page.locator("#id_licence_accept").is_visible()
    assert page.locator("input[type=checkbox]:checked").count() == 0
    axe_here()  # the entry form
    page.select_option("#id_category", str(contest["category"]))
    page.fill("#id_title", TITLE)
    page.select_option("#id_place", str(contest["place"]))
    page.check(f'input[name=licence][value="{LICENCE}"]')
    page.check("#id_licence_accept")
    page.set_input_files("#id_upload", contest["photo"])
    page.click("form.account button[type=submit]")
    page.wait_for_url(f"**{base}mine/?done=submitted", timeout=60_000)
    assert TITLE in page.inner_text("main")
    axe_here()

    def stored() -> tuple[int, str, int]:
        from xuthanh.contests.models import Entry

        entry = Entry.objects.get(contest__slug=slug)
        return entry.pk, entry.state, entry.width

    entry_id, state, width = in_thread(stored)
    assert (state, width) == ("submitted", 1800)
    assert page.locator(f'a[href="{base}entries/{entry_id}/"]').count() == 0  # public once accepted only

    # the department accepts it and opens a yes/no round with one juror, in the back office
    page.context.clear_cookies()
    page.goto("/admin/login/?next=/admin/contests/entry/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/contests/entry/")
    page.check(f'input[name=_selected_action][value="{entry_id}"]')
    page.select_option("select[name=action]", "accept_entries")
    page.click("#changelist-form button[name=index]")
    page.locator(".messagelist .success").wait_for()
    assert not page.locator(".messagelist .error").count(), page.inner_text(".messagelist")
    page.goto("/admin/contests/round/add/")
    page.select_option("#id_category", str(contest["category"]))
    page.select_option("#id_method", "yesno")
    page.fill("#id_quorum", "1")
    page.select_option("#id_jurors_from", str(contest["juror"]))
    page.click("#id_jurors_add")
    page.click("input[name=_save]")
    page.locator(".messagelist li").first.wait_for()
    assert not page.locator(".messagelist .error").count(), page.inner_text(".messagelist")

    # the juror judges blind
    sign_in(page, JUROR, "/vi/contests/jury/")
    axe_here()
    page.click("main a[href*='/contests/jury/']")
    page.wait_for_url("**/vi/contests/jury/*/")
    seen = page.inner_text("body")
    assert TITLE in seen
    for secret in (FULL_NAME, CREDIT, ENTRANT, f"{ENTRANT}@example.org"):
        assert secret not in seen and secret not in page.content(), f"the jury sees the author: {secret}"
    assert page.get_attribute("progress", "value") == "0"
    axe_here()
    with page.expect_navigation():
        page.click('button[name=value][value="1"]')
    assert page.get_attribute("progress", "max") == "1"
    assert page.get_attribute("progress", "value") == "1"
    assert page.locator('button[name=value]').count() == 0
    assert vi("Nothing left to judge in this round.") in page.inner_text("main")
    axe_here()

    def votes() -> list:
        from xuthanh.contests.models import Task

        return list(Task.objects.filter(entry_id=entry_id).values_list("juror__username", "value"))

    assert in_thread(votes) == [(JUROR, 1)]

    # anyone sees the accepted entry in the gallery, credited, with its licence
    page.context.clear_cookies()
    page.goto(f"{base}gallery/")
    card = page.locator("ul.cards li", has=page.locator(f'a[href="{base}entries/{entry_id}/"]'))
    assert card.count() == 1
    assert TITLE in card.inner_text()
    assert f"© {CREDIT}" in card.inner_text() and "CC BY-SA 4.0" in card.inner_text()
    assert FULL_NAME not in page.inner_text("main")  # the credit, not the legal name
    assert card.locator("img").count() == 1, "the gallery card shows no picture of the photo"
    card.locator("img").evaluate("img => img.decode()")  # and the picture is served
    axe_here()
    page.click(f'a[href="{base}entries/{entry_id}/"]')
    page.wait_for_url(f"**{base}entries/{entry_id}/")
    assert page.inner_text("h1") == TITLE
    assert f"© {CREDIT}" in page.inner_text(".credit") and "CC BY-SA 4.0" in page.inner_text(".credit")
    page.locator("figure img").evaluate("img => img.decode()")
    axe_here()

    assert not problems, "\n".join(["Serious or critical accessibility violations:", *problems])
