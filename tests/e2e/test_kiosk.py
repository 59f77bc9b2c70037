"""The kiosk screen in a real browser (Debian's Chromium): a machine enrols with its one-time code and beats;
the idle reset clears a half-typed search and brings back the attract loop; the pages stay through a
network cut (the service worker); axe finds no serious violation on the kiosk's screens."""

from __future__ import annotations

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
HOME = "/kiosk/en/tho-xuan/"


@pytest.fixture
def airport() -> str:
    def make() -> str:
        from xuthanh.kiosks import services
        from xuthanh.kiosks.models import Device, Location

        services.locations_load()
        device = Device.objects.create(location=Location.objects.get(slug="tho-xuan"), name="TX-1")
        return services.enrol_code_new(device)

    return in_thread(make)


def kiosk(browser, live_server, idle: int | None = None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1080, "height": 1920},
                                  service_workers="allow")
    context.set_default_timeout(15_000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                  else route.abort())
    if idle:
        context.add_init_script(f"localStorage.setItem('kiosk.settings', JSON.stringify({{idle_seconds: {idle}}}))")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def test_a_kiosk_enrols_with_its_code_and_beats(airport, browser, live_server):
    context, page, errors = kiosk(browser, live_server)
    page.goto("/kiosk/")
    page.fill("#code", airport.lower())
    with page.expect_response(lambda r: r.url.endswith("/api/v1/kiosks/heartbeat"), timeout=30_000) as answer:
        page.click("#enrol button[type=submit]")
        page.wait_for_url("**/kiosk/vi/tho-xuan/")
    assert answer.value.status == 200 and page.evaluate("() => localStorage.getItem('kiosk.token')")

    def seen() -> bool:
        from xuthanh.kiosks.models import Device

        return Device.objects.get(name="TX-1").last_seen_at is not None

    assert in_thread(seen)
    page.goto("/kiosk/")  # an enrolled machine goes straight to its location
    page.wait_for_url("**/kiosk/vi/tho-xuan/")
    context.close()
    assert not errors, errors


def test_idle_clears_a_half_typed_search_and_shows_the_attract_loop(airport, browser, live_server):
    context, page, errors = kiosk(browser, live_server, idle=2)
    page.goto("/kiosk/en/tho-xuan/search/")
    for key in "lam":
        page.click(f'#kiosk-keyboard button[data-key="{key}"]')
    assert page.input_value("#kiosk-q") == "lam"
    page.wait_for_url(f"**{HOME}", timeout=10_000)  # untouched: back home, nothing typed kept
    wait_for(page, "() => !document.getElementById('attract').hidden")
    page.mouse.click(500, 500)
    wait_for(page, "() => document.getElementById('attract').hidden")
    page.goto("/kiosk/en/tho-xuan/search/")
    assert page.input_value("#kiosk-q") == ""
    context.close()
    assert not errors, errors


def test_the_pages_stay_through_a_network_cut(airport, browser, live_server):
    context, page, errors = kiosk(browser, live_server)
    page.goto(HOME)
    wait_for(page, "navigator.serviceWorker.controller !== null")
    wait_for(page, "() => caches.open('kiosk-pages').then(c => c.match('/kiosk/en/tho-xuan/near/')).then(Boolean)")
    context.set_offline(True)
    page.click('.kiosk-tabs a[href$="/near/"]')
    page.wait_for_url("**/kiosk/en/tho-xuan/near/")
    assert page.inner_text("h1") == "Near here"
    context.close()
    assert not errors, errors


def test_the_kiosk_screens_pass_axe(airport, page, axe_source):
    with_axe(page, axe_source)
    for path in (HOME, HOME + "search/", HOME + "near/", HOME + "place/thanh-nha-ho/", "/kiosk/"):
        page.goto(path)
        found = serious_violations(page)
        assert not found, [describe(path, v) for v in found]


def test_the_fleet_dashboard_draws_its_chart_and_map_and_passes_axe(airport, page, axe_source):
    def officer() -> None:
        from django.contrib.auth import get_user_model

        from xuthanh.kiosks import services
        from xuthanh.kiosks.models import Device
        from xuthanh.orgs.models import Membership, Organisation, Role

        services.heartbeat(Device.objects.get(name="TX-1"), {"version": "1"})
        user = get_user_model().objects.create_user("fleet_officer", password="correct horse battery")
        Membership.objects.create(user=user, role=Role.EDITOR,
                                  organisation=Organisation.objects.get(kind=Organisation.Kind.PROMOTION_CENTRE))

    in_thread(officer)
    with_axe(page, axe_source)
    page.goto("/admin/login/?next=/admin/kiosks/device/dashboard/")
    page.fill("#id_username", "fleet_officer")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/kiosks/device/dashboard/")
    wait_for(page, "() => typeof Chart !== 'undefined' && Chart.getChart('chart-uptime') !== undefined")
    wait_for(page, "() => document.querySelectorAll('#fleet-map path').length >= 4")
    found = serious_violations(page)
    assert not found, [describe("/admin/kiosks/device/dashboard/", v) for v in found]


def test_outside_its_screen_hours_the_screen_is_dark_until_touched(airport, browser, live_server):
    context, page, errors = kiosk(browser, live_server)
    context.add_init_script(  # screen hours that start in two hours and end in three: now is outside them
        "const t = (h) => { const d = new Date(Date.now() + h * 3600e3); "
        "return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2); };"
        "localStorage.setItem('kiosk.settings', JSON.stringify({screen_on: t(2), screen_off: t(3)}))")
    page.goto(HOME)
    wait_for(page, "() => document.body.classList.contains('screen-off')")
    page.mouse.click(400, 600)
    wait_for(page, "() => !document.body.classList.contains('screen-off')")
    context.close()
    assert not errors, errors


def test_a_tours_360_view_works_full_screen_on_the_kiosk(airport, browser, live_server, axe_source):
    def scenes() -> None:
        from xuthanh.guide import services

        services.tours_load()
        services.scenes_load(width=2048)

    in_thread(scenes)
    context, page, errors = kiosk(browser, live_server)
    with_axe(page, axe_source)
    page.goto(HOME + "place/thanh-nha-ho/")
    page.click('a[href$="/360/thanh-nha-ho/"]')
    wait_for(page, "() => window.xuthanhPano && window.xuthanhPano.tour.getCurrentNode()?.id === 'cong-nam'")
    way = page.locator('#pano button[data-to="trung-tam"]')
    way.wait_for(state="visible")
    found = serious_violations(page)
    assert not found, [describe("kiosk 360", v) for v in found]
    way.click()
    wait_for(page, "() => window.xuthanhPano.tour.getCurrentNode()?.id === 'trung-tam'")
    context.close()
    assert not errors, errors


def test_a_kiosk_shows_what_its_content_group_features(airport, browser, live_server):
    def schedule() -> None:
        import datetime as dt

        from django.utils import timezone

        from xuthanh.catalog.models import Place
        from xuthanh.kiosks.models import Feature

        today = timezone.localdate()
        for group, slug in (("airport", "lam-kinh"), ("station", "ham-rong")):
            Feature.objects.create(group=group, place=Place.objects.get(slug=slug), starts_on=today,
                                   ends_on=today + dt.timedelta(days=30))

    in_thread(schedule)
    context, page, errors = kiosk(browser, live_server)
    context.add_init_script("localStorage.setItem('kiosk.settings', JSON.stringify({group: 'airport'}))")
    page.goto(HOME)
    featured = page.locator(".kiosk-featured li:visible")
    wait_for(page, "() => document.querySelectorAll('.kiosk-featured li[hidden]').length === 1")
    assert featured.count() == 1 and "Lam Kinh" in featured.inner_text()
    context.close()
    assert not errors, errors


def test_the_hourly_screenshot_goes_from_chromium_to_the_fleet(airport, live_server):
    """deploy/kiosk/kiosk-screenshot against a real Chromium started as docs/kiosk.md says (DevTools on
    localhost): it reads the enrolled page's token, captures the screen and posts it; the back office shows
    it to the fleet's officers only."""
    import socket
    import subprocess
    import sys
    from pathlib import Path

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests")
    pytest.importorskip("websocket", reason="websocket-client is missing: pip install -e '.[dev]'")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing: pip install -e '.[dev]'")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(__file__).resolve().parents[2] / "deploy" / "kiosk" / "kiosk-screenshot"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=[*CHROMIUM_ARGS, f"--remote-debugging-port={port}"])
        context, page, errors = kiosk(chromium, live_server)
        page.goto("/kiosk/")
        page.fill("#code", airport)
        page.click("#enrol button[type=submit]")
        page.wait_for_url("**/kiosk/vi/tho-xuan/")
        sent = subprocess.run([sys.executable, str(script), "--cdp", f"http://127.0.0.1:{port}"],
                              capture_output=True, text=True, timeout=60)
        again = subprocess.run([sys.executable, str(script), "--cdp", f"http://127.0.0.1:{port}"],
                               capture_output=True, text=True, timeout=60)
        context.close()
        chromium.close()
    assert sent.returncode == 0, sent.stderr
    assert again.returncode == 2 and "429" in again.stderr  # one an hour, not more

    def stored() -> tuple[int, int]:
        from PIL import Image

        from xuthanh.kiosks.models import Device

        device = Device.objects.get(name="TX-1")
        with device.screenshot.open("rb") as handle, Image.open(handle) as image:
            return image.size

    width, height = in_thread(stored)
    assert width == 480 and height > 480  # a portrait screen, reduced
    assert not errors, errors
