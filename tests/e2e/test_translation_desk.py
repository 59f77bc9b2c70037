"""The translation desk in a real browser: a translator signs in, finds a place in a queue, translates it
side by side with the keyboard, saves it as reviewed and sees it on the portal; axe-core finds no serious
or critical violation on the queue, the editor and the coverage dashboard (its chart drawn by Chart.js)."""

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_what_a_person_sees import SHOTS  # where the screenshots go (var/screenshots)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def translator(django_db_blocker) -> str:
    """A translator of the department (created before the browser starts: test bodies do not use the ORM)."""
    from django.contrib.auth import get_user_model

    from xuthanh.orgs.models import Membership, Organisation, Role

    user = get_user_model().objects.create_user("desk_translator", password="correct horse battery")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT), role=Role.TRANSLATOR
    )
    return "desk_translator"


def sign_in(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/desk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/desk/**")


def test_translate_a_place_in_the_editor_and_see_it_on_the_portal(translator, page, axe_source):
    with_axe(page, axe_source)
    sign_in(page, translator)
    page.select_option("#id_lang", "en")
    page.click(".desk-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    violations = serious_violations(page)
    assert not violations, "\n".join(describe("desk", v) for v in violations)

    page.fill("#id_q", "thanh nha ho")  # found by its name, typed without accents
    page.click(".desk-filters button[type=submit]")
    page.click(".desk-list a:text-is('Thành nhà Hồ')")
    page.wait_for_url("**/admin/desk/place/**/en/**")
    violations = serious_violations(page)
    assert not violations, "\n".join(describe("editor", v) for v in violations)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "desk-editor.png"), full_page=True)
    name = page.locator("#t-name")
    name.fill("Hồ Dynasty Citadel (World Heritage)")
    wait_for(page, "() => document.querySelector('.count[data-for=\"t-name\"]').textContent === '35'")
    name.press("Control+Enter")  # save as reviewed from the keyboard
    page.wait_for_load_state("networkidle")
    assert page.locator(".messagelist .success").count() == 1
    assert page.locator(".badge.state-reviewed").count() == 1

    page.goto("/en/places/thanh-nha-ho/")
    assert page.locator("h1").inner_text().strip() == "Hồ Dynasty Citadel (World Heritage)"


def test_coverage_dashboard_draws_its_chart(translator, page, axe_source):
    with_axe(page, axe_source)
    sign_in(page, translator)
    page.goto("/admin/desk/coverage/")
    page.click(".desk-chart button[type=submit]")  # record today's figures
    page.wait_for_load_state("networkidle")
    wait_for(page, "() => window.Chart && Chart.getChart(document.getElementById('coverage-chart'))")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "desk-coverage.png"), full_page=True)
    points = page.evaluate(
        "() => Chart.getChart(document.getElementById('coverage-chart')).data.datasets.map(d => d.data.length)"
    )
    assert points and all(n >= 1 for n in points)
    violations = serious_violations(page)
    assert not violations, "\n".join(describe("coverage", v) for v in violations)
