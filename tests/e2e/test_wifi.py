"""The wifi splash page in a real browser with JavaScript switched off (as many phones' portal browsers
run it): a visitor joining a level-3 hotspot reads the site in their language, ticks the terms (no box is
ticked for them), connects, waits on a page that refreshes itself until authmon has let the device
through, and lands on the welcome page; axe finds no serious violation on the splash."""

from __future__ import annotations

import base64

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def handoff() -> str:
    def make() -> str:
        from urllib.parse import urlencode

        from xuthanh.catalog.models import Place
        from xuthanh.wifi.models import Hotspot
        from xuthanh.wifi.tests.conftest import Gateway

        hotspot = Hotspot.objects.create(slug="lam-kinh", place=Place.objects.get(slug="lam-kinh"),
                                         ssid="LamKinh-Free", gatewayname="xt-lamkinh-7f3a9c",
                                         state=Hotspot.State.ACTIVE, fas_level=3)
        return "/wifi/lam-kinh/?" + urlencode(Gateway(hotspot).query())

    return in_thread(make)


def test_a_visitor_connects_without_javascript(handoff, browser, live_server, axe_source):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(handoff)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("input[type=checkbox]:checked").count() == 0
    page.click("button[type=submit]")  # the terms not accepted: said so, nothing granted
    assert page.locator(".wifi-errors").is_visible()
    page.check("#terms")
    page.click("button[type=submit]")
    page.wait_for_url("**/wifi/lam-kinh/wait/**")

    def authmon_lets_it_through() -> None:
        from django.test import Client

        from xuthanh.wifi import fas
        from xuthanh.wifi.models import Grant

        gw = fas.gateway_hash("xt-lamkinh-7f3a9c")
        rhid = Grant.objects.get().rhid
        Client().post("/wifi/authmon/", {"auth_get": "view", "gatewayhash": gw,
                                         "payload": base64.b64encode(f"* {rhid}".encode()).decode()})

    in_thread(authmon_lets_it_through)
    page.wait_for_url("**/wifi/lam-kinh/welcome/**", timeout=20_000)  # the meta refresh, no script
    assert "connecté" in page.inner_text("h1").lower()
    context.close()


def test_the_splash_passes_axe(handoff, page, axe_source):
    with_axe(page, axe_source)
    page.goto(handoff)
    found = serious_violations(page)
    assert not found, [describe("/wifi/lam-kinh/", v) for v in found]
    wait_for(page, "() => document.querySelector('#terms') !== null")


def test_the_coverage_dashboard_draws_its_charts_and_passes_axe(handoff, page, axe_source):
    def officer() -> None:
        from django.contrib.auth import get_user_model

        from xuthanh.orgs.models import Membership, Organisation, Role
        from xuthanh.wifi import services
        from xuthanh.wifi.models import Hotspot

        services.key_sites_load()
        services.heartbeat(Hotspot.objects.get(slug="lam-kinh"), {"version": "openNDS 10.3.0", "clients": 4})
        user = get_user_model().objects.create_user("wifi_officer", password="correct horse battery")
        Membership.objects.create(user=user, role=Role.EDITOR,
                                  organisation=Organisation.objects.get(kind=Organisation.Kind.PROMOTION_CENTRE))

    in_thread(officer)
    with_axe(page, axe_source)
    page.goto("/admin/login/?next=/admin/wifi/hotspot/dashboard/")
    page.fill("#id_username", "wifi_officer")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/wifi/hotspot/dashboard/")
    wait_for(page, "() => typeof Chart !== 'undefined' && Chart.getChart('chart-coverage') !== undefined"
                   " && Chart.getChart('chart-days') !== undefined")
    assert "LamKinh-Free" in page.inner_text("table.stats-grid:last-of-type")
    found = serious_violations(page)
    assert not found, [describe("/admin/wifi/hotspot/dashboard/", v) for v in found]
