"""The trip planner in a real browser: plan from the form, see one map per day, change the plan in place
(no page load), and no serious accessibility violation on the trip page in every required language."""

import pytest

from tests.e2e.test_accessibility import describe, serious_violations, with_axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def plan_a_trip(page, lang: str = "en") -> str:
    page.goto(f"/{lang}/trips/plan/")
    page.fill("#id_start_date", "2026-12-07")
    page.fill("#id_end_date", "2026-12-08")
    page.check("input[name=interests][value=history]")
    page.select_option("#id_hotel", "khach-san-hac-thanh-mau")
    with page.expect_navigation():
        page.click("form.planner button[type=submit]")
    assert "/trips/" in page.url and "/plan/" not in page.url
    return page.url


def test_a_trip_is_planned_shown_on_maps_and_changed_in_place(page):
    plan_a_trip(page)
    assert page.locator("section.day").count() == 2
    page.locator("#day-1 .day-map .stop-number").first.wait_for()  # Leaflet drew the numbered stops
    assert page.locator("#day-1 .day-map .stop-number").count() == page.locator("#day-1 li.stop").count() + 2
    page.evaluate("window.__noReload = true")
    first = page.locator("#day-1 li.stop").first
    name = first.locator("strong a").inner_text()
    first.locator("button[value=lock]").click()
    page.locator("#day-1 li.stop.locked").first.wait_for()
    assert page.evaluate("window.__noReload === true")  # re-planned without leaving the page
    assert "Re-planned." in page.locator("#trip-status").inner_text()
    assert page.locator("#day-1 li.stop.locked strong a").inner_text() == name


def test_the_trip_page_has_no_serious_accessibility_violations(page, axe_source):
    with_axe(page, axe_source)
    url = plan_a_trip(page, "vi")
    problems = []
    for lang in ("vi", "en", "zh-hans", "fr"):
        page.goto(url.replace("/vi/", f"/{lang}/"))
        page.locator(".day-map .stop-number").first.wait_for()
        problems += [describe(page.url, v) for v in serious_violations(page)]
    assert not problems, "\n".join(problems)
