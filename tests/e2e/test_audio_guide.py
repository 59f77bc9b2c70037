"""The audio guide in a real browser (Debian's Chromium): on the app, a simulated walk (the browser's position
changed step by step) starts each stop's narration in the chosen language as the visitor reaches it, never
cuts one short and never replays one; a tour downloaded plays with the network cut; a refused location leaves
the number and the list; the tour screen and the portal's tour page pass axe."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread

pytestmark = [
    pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("ffmpeg")),
                       reason="espeak-ng and ffmpeg are not installed (.ci/run installs them)"),
]
TOUR = "#/guide/thanh-nha-ho"


@pytest.fixture
def citadel() -> dict:
    """The Thành nhà Hồ tour with English audio; stops 2 and 3 taken on site (so their zones play by
    themselves). Returns each stop's point."""

    def make() -> dict:
        from xuthanh.guide import services
        from xuthanh.guide.models import Clip, Stop

        services.tours_load()
        points = {}
        for stop in Stop.objects.filter(tour__slug="thanh-nha-ho"):
            if stop.number in (2, 3):
                stop.location_verified, stop.location_uncertainty_m = True, 10
                stop.save()
            services.clip_render(Clip.objects.create(stop=stop, language="en"))
            points[stop.number] = (stop.lat, stop.lon)
        return points

    return in_thread(make)


def phone(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 412, "height": 860},
                                  service_workers="allow", **options)
    context.set_default_timeout(20_000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/app/")
    page.wait_for_selector("body[data-sync='done']")
    page.evaluate("path => { location.hash = path; }", TOUR)
    page.wait_for_selector("#g-walk-start")
    return context, page, errors


def playing(page) -> str:
    return page.evaluate("() => { const a = document.getElementById('g-audio');"
                         " return a.paused ? '' : a.dataset.qr + ':' + a.lang; }")


def test_a_walk_plays_each_stop_on_arrival_in_the_chosen_language(browser, live_server, citadel):
    far = citadel[1][0] - 0.01, citadel[1][1]
    context, page, errors = phone(browser, live_server, permissions=["geolocation"],
                                  geolocation={"latitude": far[0], "longitude": far[1], "accuracy": 8})
    page.click("#g-walk-start")
    wait_for(page, "() => document.getElementById('g-walk').textContent.includes('Automatic play is on')")
    assert playing(page) == ""
    lat, lon = citadel[2]
    for step in (0.00002, 0.0):  # two fixes inside the zone
        context.set_geolocation({"latitude": lat + step, "longitude": lon, "accuracy": 6})
        page.wait_for_timeout(400)
    wait_for(page, "() => !document.getElementById('g-audio').paused")
    assert playing(page) == "TNH-02:en"
    assert page.locator("#g-now").inner_text().startswith("2.")
    lat3, lon3 = citadel[3]
    for i in range(30):  # the next zone while stop 2 still plays (fixes each ½ s, past the 10 s cooldown)
        context.set_geolocation({"latitude": lat3 + (0.00002 if i % 2 else 0), "longitude": lon3, "accuracy": 6})
        page.wait_for_timeout(500)
        if page.evaluate("() => document.getElementById('g-audio').dataset.next") == "3":
            break
    assert page.evaluate("() => document.getElementById('g-audio').dataset.next") == "3"
    assert playing(page) == "TNH-02:en"  # it waits: a narration is never cut short
    page.evaluate("() => { document.getElementById('g-audio').playbackRate = 16; }")  # stop 2 ends in ~3 s
    wait_for(page, "() => document.getElementById('g-audio').dataset.qr === 'TNH-03'")
    wait_for(page, "() => !document.getElementById('g-audio').paused")
    for step in (0.00002, 0.0):  # back to stop 2: heard already, not played again
        context.set_geolocation({"latitude": lat + step, "longitude": lon, "accuracy": 6})
        page.wait_for_timeout(400)
    assert page.evaluate("() => document.getElementById('g-audio').dataset.qr") == "TNH-03"
    track = page.evaluate("() => document.querySelector('#g-audio track').srclang")
    assert track == "en"
    context.close()
    assert not errors, errors


def test_a_downloaded_tour_plays_with_the_network_cut(browser, live_server, citadel):
    context, page, errors = phone(browser, live_server)
    wait_for(page, "navigator.serviceWorker.controller !== null")
    page.click("#g-download")
    wait_for(page, "() => document.getElementById('g-save').textContent.includes('Saved on this phone')")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#g-walk-start")
    page.click("#g-stop-4 button.stop")
    wait_for(page, "() => !document.getElementById('g-audio').paused")
    assert playing(page) == "TNH-04:en"
    assert page.evaluate("() => document.getElementById('g-audio').error") is None
    context.close()
    assert not errors, errors


def test_a_refused_location_leaves_the_number_and_the_list(browser, live_server, citadel):
    context, page, errors = phone(browser, live_server)  # no permission given: the browser refuses
    page.click("#g-walk-start")
    wait_for(page, "() => document.getElementById('g-walk').textContent.includes('Location not allowed')")
    page.fill("#g-number", "5")
    page.click("form.row button[type=submit]")
    wait_for(page, "() => !document.getElementById('g-audio').paused")
    assert playing(page) == "TNH-05:en"
    context.close()
    assert not errors, errors


def test_the_guide_screens_pass_axe(browser, live_server, citadel, axe_source):
    context, page, errors = phone(browser, live_server)
    with_axe(page, axe_source)
    page.reload()
    page.wait_for_selector("#g-walk-start")
    found = serious_violations(page)
    assert not found, [describe(TOUR, v) for v in found]
    page.goto("/en/audio-tours/thanh-nha-ho/")
    found = serious_violations(page)
    assert not found, [describe("/en/audio-tours/thanh-nha-ho/", v) for v in found]
    context.close()
    assert not errors, errors
