"""axe-core (WCAG 2.0/2.1 A and AA) on every screen of the mobile app (/app/), in each required language, on a
phone-sized window: no serious or critical violation."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENS = [
    "#/",
    "#/search?q=thanh",
    "#/place/thanh-nha-ho",
    "#/events",
    "#/event/le-hoi-lam-kinh",
    "#/specialty/nem-chua-thanh-hoa",
    "#/map",
    "#/trips",
    "#/areas?place=thanh-nha-ho",
    "#/guide",
    "#/settings",
]


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_every_app_screen_has_no_serious_accessibility_violations(browser, live_server, axe_source, lang):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 412, "height": 860})
    context.set_default_timeout(20_000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else route.abort())
    page = context.new_page()
    with_axe(page, axe_source)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"/app/?lang={lang}")
    page.wait_for_selector("body[data-sync='done']")
    start = dt.date.today().isoformat()
    token = page.request.post(
        "/api/v1/trips", data={"start_date": start, "end_date": start, "start": {"place": "ga-thanh-hoa"}}
    ).json()["token"]
    problems = []
    for screen in [*SCREENS, f"#/trip/{token}"]:
        page.evaluate("path => { location.hash = path; }", screen)
        wait_for(page, "path => document.body.dataset.route === path", arg=screen.split("?")[0][2:])
        if screen.startswith("#/search"):
            page.locator("#results li").first.wait_for()
        if screen == "#/map":
            page.locator("#map .leaflet-marker-icon, #map .marker-cluster").first.wait_for()
        assert page.locator("html").get_attribute("lang") == lang
        problems += [describe(f"/app/{screen} ({lang})", v) for v in serious_violations(page)]
    context.close()
    assert not errors, errors
    assert not problems, "\n".join(["Serious or critical accessibility violations:", *problems])



@pytest.mark.parametrize("lang", ["fr", "vi"])
def test_no_screen_is_wider_than_a_small_phone(browser, live_server, lang):
    """360 px (a small Android phone): nothing scrolls sideways, the trip form's interests included."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(20_000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else route.abort())
    page = context.new_page()
    page.goto(f"/app/?lang={lang}")
    page.wait_for_selector("body[data-sync='done']")
    wide = []
    for screen in SCREENS:
        page.evaluate("path => { location.hash = path; }", screen)
        wait_for(page, "path => document.body.dataset.route === path", arg=screen.split("?")[0][2:])
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append((screen, width))
    context.close()
    assert not wide, wide
