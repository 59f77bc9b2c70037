"""The wifi gateways and the plan's coverage: heartbeats with the gateway's token (missing, wrong or
replaced → 401, nothing changed; malformed or oversized → 4xx with a reason) folded into uptime intervals
as the kiosks' are; the day's peak of connected devices; the key sites as an edited, sourced flag; the
coverage year by year from 2020 read from heartbeats, "not measured" before the first; the dashboard and
the gateway set-up shown only to those who may edit the hotspot, with the audit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xuthanh.catalog.models import Place
from xuthanh.core.models import AuditEntry
from xuthanh.wifi import selectors, services
from xuthanh.wifi.models import Day, GatewayInterval, Hotspot

pytestmark = pytest.mark.django_db
BEAT = {"version": "openNDS 10.3.0", "uptime_s": 3600, "clients": 12}


def beat(client: Any, token: str | None, body: Any = BEAT) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/v1/wifi/heartbeat", data, content_type="application/json", **headers)


def test_a_gateway_beats_with_its_token_and_its_uptime_is_folded(client: Any, hotspot: Hotspot) -> None:
    token = services.token_new(hotspot)
    for _ in range(3):
        answer = beat(client, token)
        assert answer.status_code == 200, answer.content
    assert GatewayInterval.objects.filter(hotspot=hotspot).count() == 1  # a stretch, not a row per beat
    hotspot.refresh_from_db()
    assert hotspot.last_beat["clients"] == 12 and hotspot.last_seen_at is not None
    beat(client, token, {**BEAT, "clients": 30})
    beat(client, token, {**BEAT, "clients": 5})
    assert Day.objects.get(hotspot=hotspot).peak_clients == 30


@pytest.mark.parametrize(("token", "body", "status", "detail"), [
    (None, BEAT, 401, "no_token"),
    ("wrong", BEAT, 401, "invalid_token"),
    ("good", {"version": "x"}, 422, None),
    ("good", {**BEAT, "clients": -1}, 422, None),
    ("good", "{not json", 400, None),
    ("good", {**BEAT, "version": "v" * 30, "pad": "x" * 5000}, 413, "too_large"),
    (None, "{not json", 401, "no_token"),  # the token is checked before the body is read
    ("wrong", {"clients": "many"}, 401, "invalid_token"),
])
def test_bad_heartbeats_are_refused_with_a_reason(client: Any, hotspot: Hotspot, token: str | None, body: Any,
                                                  status: int, detail: str | None) -> None:
    good = services.token_new(hotspot)
    answer = beat(client, good if token == "good" else token, body)
    assert answer.status_code == status
    if detail:
        assert answer.json()["detail"] == detail
    assert GatewayInterval.objects.count() == 0


def test_a_replaced_token_stops_working(client: Any, hotspot: Hotspot) -> None:
    old = services.token_new(hotspot)
    services.token_new(hotspot)
    assert beat(client, old).status_code == 401
    Hotspot.objects.filter(pk=hotspot.pk).update(state=Hotspot.State.RETIRED)
    hotspot.refresh_from_db()
    assert beat(client, services.token_new(hotspot)).status_code == 401


def test_the_key_site_flag_needs_its_source_and_the_shipped_list_loads() -> None:
    place = Place.objects.get(slug="ham-rong")
    place.key_site = True
    with pytest.raises(ValidationError) as refused:
        place.clean()
    assert "key_site_source" in refused.value.message_dict
    assert services.key_sites_load() == 8
    assert services.key_sites_load() == 0  # once; an officer's edits are kept
    lam_kinh = Place.objects.get(slug="lam-kinh")
    assert lam_kinh.key_site and "1905" in lam_kinh.key_site_source


def interval(hotspot: Hotspot, start: dt.datetime, hours: int = 2) -> None:
    GatewayInterval.objects.create(hotspot=hotspot, start=start, end=start + dt.timedelta(hours=hours))


def test_coverage_year_by_year_from_heartbeats(hotspot: Hotspot) -> None:
    services.key_sites_load()
    zone = timezone.get_current_timezone()
    now = dt.datetime(2026, 6, 1, 12, tzinfo=zone)
    before = selectors.coverage(now)
    assert [y.year for y in before] == [2020, 2021, 2022, 2023, 2024, 2025, 2026]
    assert all(not y.measured and y.wifi_share is None for y in before)  # no heartbeat yet: not measured, not 0 %
    assert [y.wifi_target for y in before] == [2, 4, 6, 8, 8, 8, 8]  # two sites a year, all 8 by 2025
    interval(hotspot, dt.datetime(2025, 12, 28, 8, tzinfo=zone))  # Lam Kinh's gateway, in 2025's last week
    sam_son = Hotspot.objects.create(slug="sam-son", place=Place.objects.get(slug="bien-sam-son"), ssid="SamSon",
                                     gatewayname="xt-samson-0001", state=Hotspot.State.ACTIVE)
    interval(sam_son, dt.datetime(2025, 6, 1, tzinfo=zone))  # beat in June only: not working at 2025's end
    interval(sam_son, now - dt.timedelta(days=2))
    years = {y.year: y for y in selectors.coverage(now)}
    assert not years[2024].measured
    assert (years[2025].wifi_sites, years[2025].key_sites, years[2025].wifi_share) == (1, 8, 12.5)
    assert (years[2026].wifi_sites, years[2026].wifi_share) == (1, 12.5)  # Sầm Sơn now; Lam Kinh silent
    assert years[2025].kiosk_target == 100.0 and years[2024].kiosk_target is None
    assert not years[2025].kiosk_measured  # no kiosk has beaten


def test_kiosk_coverage_needs_all_planned_kiosks_working() -> None:
    from xuthanh.kiosks import selectors as kiosks
    from xuthanh.kiosks import services as kiosk_services
    from xuthanh.kiosks.models import Device, Location, UptimeInterval

    kiosk_services.locations_load()
    airport = Location.objects.get(slug="tho-xuan")
    zone = timezone.get_current_timezone()
    now = dt.datetime(2026, 3, 1, tzinfo=zone)
    one, two = (Device.objects.create(location=airport, name=n) for n in ("TX-1", "TX-2"))
    UptimeInterval.objects.create(device=one, start=now - dt.timedelta(days=1), end=now - dt.timedelta(hours=20))
    assert kiosks.coverage_years([2026], now)[2026] == {"measured": True, "named": 4, "complete": 0, "share": 0.0}
    UptimeInterval.objects.create(device=two, start=now - dt.timedelta(days=2), end=now - dt.timedelta(days=1))
    assert kiosks.coverage_years([2026], now)[2026]["complete"] == 1
    assert kiosks.coverage_years([2025], now)[2025]["measured"] is False


def test_the_dashboard_and_the_gateway_setup_are_scoped_and_audited(client: Any, admin_client: Any,
                                                                    hotspot: Hotspot) -> None:
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = admin_client.get("/admin/wifi/hotspot/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Coverage by year" in html and "not measured" in html and 'id="wifi-data"' in html
    assert hotspot.slug in html or "LamKinh-Free" in html
    shown = admin_client.post("/admin/wifi/hotspot/", {"action": "show_setup", "_selected_action": [hotspot.pk]},
                              follow=True)
    assert hotspot.faskey in shown.content.decode()
    assert AuditEntry.objects.filter(note="gateway key shown").exists()
    key = hotspot.faskey
    admin_client.post("/admin/wifi/hotspot/", {"action": "rotate_key", "_selected_action": [hotspot.pk]})
    hotspot.refresh_from_db()
    assert hotspot.faskey != key and hotspot.key_version == 2
    # an anonymous visitor sees none of it
    assert client.get("/admin/wifi/hotspot/dashboard/").status_code == 302


def test_a_silent_gateway_is_alerted_once_per_outage(hotspot: Hotspot, settings: Any) -> None:
    from django.core import mail

    from xuthanh.orgs.models import Organisation

    settings.WIFI_ALERT_EMAIL = "noc@example.org"
    centre = Organisation.objects.get(kind=Organisation.Kind.PROMOTION_CENTRE)
    Organisation.objects.filter(pk=centre.pk).update(email="wifi@example.org")
    Hotspot.objects.filter(pk=hotspot.pk).update(run_by=centre)
    services.token_new(hotspot)
    noon = timezone.now()
    services.heartbeat(hotspot, BEAT, now=noon - dt.timedelta(hours=2))
    assert services.offline_alerts(noon - dt.timedelta(minutes=90))["sent"] == 0  # 30 min: not yet
    assert services.offline_alerts(noon)["sent"] == 1
    assert set(mail.outbox[0].to) == {"wifi@example.org", "noc@example.org"}
    assert "LamKinh-Free" in mail.outbox[0].subject
    assert services.offline_alerts(noon + dt.timedelta(minutes=5))["sent"] == 0  # never twice
    services.heartbeat(hotspot, BEAT, now=noon + dt.timedelta(minutes=10))  # back: the outage ends
    assert services.offline_alerts(noon + dt.timedelta(hours=2))["sent"] == 1  # a new one


def test_an_officer_registers_a_hotspot_and_bad_values_are_named(admin_client: Any) -> None:
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    form = {"slug": "ben-en", "place": Place.objects.get(slug="vuon-quoc-gia-ben-en").pk, "ssid": "BenEn-Free",
            "controller": "opennds", "fas_level": 3, "gatewayname": "short", "gateway_address": "",
            "session_minutes": 240, "installed_on": "2026-11-30", "operator_name": "Viettel Thanh Hóa",
            "state": "active"}
    refused = admin_client.post("/admin/wifi/hotspot/add/", form)
    assert refused.status_code == 200 and "8 to 100 letters" in refused.content.decode()
    refused = admin_client.post("/admin/wifi/hotspot/add/", {**form, "gatewayname": "xt-benen-4c1d2e",
                                                             "gateway_address": "8.8.8.8"})
    assert refused.status_code == 200 and "a private address" in refused.content.decode()
    done = admin_client.post("/admin/wifi/hotspot/add/", {**form, "gatewayname": "xt-benen-4c1d2e"})
    assert done.status_code == 302, done.content.decode()[:2000]
    hotspot = Hotspot.objects.get(slug="ben-en")
    assert hotspot.installed_on == dt.date(2026, 11, 30)
    assert AuditEntry.objects.filter(object_id=str(hotspot.pk)).exists()
