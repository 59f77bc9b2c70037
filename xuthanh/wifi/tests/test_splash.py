"""The captive portal end to end with a gateway that speaks openNDS's FAS contract: the splash page in the
visitor's language without JavaScript and with no box ticked in advance; the terms required, the news
optional and bound to its own consent; levels 1–2 sent back to the gateway with the right rhid; level 3
through authmon's polls and acknowledgement; forged, foreign and replayed hand-offs refused with a reason
and nothing stored; the RFC 8908 document; addresses kept only hashed, and forgotten in time."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.utils import timezone

from xuthanh.wifi import fas, services
from xuthanh.wifi.models import Day, Grant, Hotspot, Subscription
from xuthanh.wifi.tests.conftest import Gateway

pytestmark = pytest.mark.django_db
URL = "/wifi/lam-kinh/"


def form_of(page: Any) -> dict[str, str]:
    """The hidden fields of the splash form, as a browser would send them back."""
    html = page.content.decode()
    return dict(re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)"', html))


def connect(client: Any, gateway: Gateway, **fields: str) -> Any:
    page = client.get(URL, gateway.query())
    assert page.status_code == 200, page.content
    return client.post(URL, {**form_of(page), **fields})


def test_the_splash_shows_the_site_in_the_visitors_language_with_no_box_ticked(client: Any, gateway: Gateway) -> None:
    page = client.get(URL, {**gateway.query(), "lang": "fr"})
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="fr"' in html and "Lam Kinh" in html
    assert "<script" not in html  # phones' portal browsers often run none
    assert " checked" not in html  # Decree 356/2025: no consent given by default
    assert 'name="terms"' in html and 'name="news"' in html and 'type="email"' in html
    assert page["Cache-Control"] == "no-store"
    # the language links keep the gateway's hand-off, so switching works without JavaScript
    assert re.search(r'href="/wifi/lam-kinh/\?fas=[^"]+&amp;lang=zh-hans"', html)


def test_level_3_lets_the_device_through_by_authmon(client: Any, gateway: Gateway, hotspot: Hotspot) -> None:
    answer = connect(client, gateway, terms="yes")
    assert answer.status_code == 302 and "/wifi/lam-kinh/wait/" in answer["Location"]
    waiting = client.get(answer["Location"])
    assert waiting.status_code == 200 and b'http-equiv="refresh"' in waiting.content
    # authmon, as openNDS runs it: POST auth_get=view, gatewayhash, payload (base64 of "none")
    form = {"auth_get": "view", "gatewayhash": fas.gateway_hash(hotspot.gatewayname),
            "payload": base64.b64encode(b"none").decode()}
    listed = client.post("/wifi/authmon/", form).content.decode()
    assert listed.startswith("* ")
    rhid, minutes = unquote(listed.split(" ")[1]).split(" ")[:2]
    assert gateway.accepts(rhid) and minutes == str(hotspot.session_minutes)
    assert client.post("/wifi/authmon/", form).content.decode().startswith("* ")  # sent until acknowledged
    ack = {**form, "payload": base64.b64encode(f"* {rhid}".encode()).decode()}
    assert client.post("/wifi/authmon/", ack).content == b"ack"
    assert client.post("/wifi/authmon/", form).content == b"*"  # nobody waits now
    welcome = client.get(answer["Location"])
    assert welcome.status_code == 302 and "/wifi/lam-kinh/welcome/" in welcome["Location"]
    day = Day.objects.get(hotspot=hotspot)
    assert (day.sessions, day.devices) == (1, 1) and sum(day.hours.values()) == 1


@pytest.mark.parametrize(("level", "legacy"), [(1, False), (1, True), (2, False)])
def test_levels_1_and_2_send_the_browser_to_the_gateway_with_rhid(client: Any, hotspot: Hotspot, level: int,
                                                                  legacy: bool) -> None:
    Hotspot.objects.filter(pk=hotspot.pk).update(fas_level=level)
    hotspot.refresh_from_db()
    gateway = Gateway(hotspot)
    page = client.get(URL, gateway.query(legacy=legacy))
    answer = client.post(URL, {**form_of(page), "terms": "yes"})
    assert answer.status_code == 302
    target = urlsplit(answer["Location"])
    assert (target.scheme, target.netloc, target.path) == ("http", "192.168.8.1:2050", "/opennds_auth/")
    query = parse_qs(target.query)
    assert gateway.accepts(query["tok"][0]) and "/wifi/lam-kinh/welcome/" in query["redir"][0]


def test_a_handoff_is_used_once(client: Any, gateway: Gateway) -> None:
    page = client.get(URL, gateway.query())
    fields = {**form_of(page), "terms": "yes"}
    assert client.post(URL, fields).status_code == 302
    again = client.post(URL, fields)
    assert again.status_code == 409 and b"already used" in again.content
    assert Grant.objects.count() == 1


@pytest.mark.parametrize("tamper", ["key", "gateway", "nothing-sent", "level0"])
def test_forged_or_foreign_handoffs_are_refused_and_nothing_is_stored(client: Any, gateway: Gateway,
                                                                     tamper: str) -> None:
    query = {"key": gateway.query(key="0" * 64), "gateway": Gateway(gateway.hotspot).query(level=1, legacy=True),
             "nothing-sent": {}, "level0": {"tok": "770bfe05", "clientip": "192.168.8.23"}}[tamper]
    page = client.get(URL, query)
    assert page.status_code in (200, 400)
    assert b'role="alert"' in page.content and b"<form" not in page.content
    posted = client.post(URL, {**query, "terms": "yes", "stamp": "x"})
    assert posted.status_code in (200, 400) and Grant.objects.count() == 0


def test_the_stamp_binds_the_form_to_its_handoff(client: Any, gateway: Gateway) -> None:
    first = form_of(client.get(URL, gateway.query()))
    other = Gateway(gateway.hotspot, mac="04:15:52:6a:e4:ae")
    second = form_of(client.get(URL, other.query()))
    mixed = client.post(URL, {**second, "stamp": first["stamp"], "terms": "yes"})
    assert mixed.status_code == 400 and Grant.objects.count() == 0


def test_the_terms_must_be_accepted_and_the_news_needs_its_own_consent(client: Any, gateway: Gateway) -> None:
    page = client.get(URL, gateway.query())
    fields = form_of(page)
    no_terms = client.post(URL, fields)
    assert no_terms.status_code == 400 and b"accept the terms" in no_terms.content
    email_only = client.post(URL, {**fields, "terms": "yes", "email": "an@example.org"})
    assert email_only.status_code == 400 and b"tick the box that says you agree" in email_only.content
    consent_only = client.post(URL, {**fields, "terms": "yes", "news": "yes"})
    assert consent_only.status_code == 400 and b"Give the e-mail" in consent_only.content
    bad = client.post(URL, {**fields, "terms": "yes", "news": "yes", "email": "not an address"})
    assert bad.status_code == 400 and b"not valid" in bad.content
    assert b'value="not an address"' in bad.content  # what was typed is kept
    assert Grant.objects.count() == 0 and Subscription.objects.count() == 0
    done = client.post(URL, {**fields, "terms": "yes", "news": "yes", "email": "an@example.org"})
    assert done.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "an@example.org" and "withdraw" in subscription.consent_text
    assert subscription.confirmed_at is None  # until its owner follows the link
    assert subscription.consent_version == services.CONSENT_VERSION


def test_a_subscription_is_confirmed_by_its_owner_and_withdrawn_and_erased(client: Any, hotspot: Hotspot,
                                                                           settings: Any) -> None:
    from django.core import mail

    made = services.subscribe(email="an@example.org", lang="en", hotspot=hotspot, consent_text="…")
    confirm = f"/wifi/confirm/{made.token('confirm')}/"
    withdraw = f"/wifi/withdraw/{made.withdraw_token}/"
    assert len(mail.outbox) == 1 and confirm in mail.outbox[0].body and withdraw in mail.outbox[0].body
    assert client.get(confirm).status_code == 200  # a mail scanner following the link confirms nothing
    assert Subscription.objects.get().confirmed_at is None
    assert b"Confirmed" in client.post(confirm).content and Subscription.objects.get().confirmed_at is not None
    assert b"not (or no longer) valid" in client.post(confirm.replace(made.token("confirm")[-4:], "abcd")).content
    assert client.post(f"/wifi/confirm/{made.withdraw_token}/").content.count(b"not (or no longer)")  # wrong purpose
    assert client.get(withdraw).status_code == 200 and Subscription.objects.count() == 1
    forged = withdraw.replace(made.withdraw_token, made.withdraw_token[:-3] + "abc")
    assert b"not (or no longer) valid" in client.post(forged).content and Subscription.objects.count() == 1
    assert b"erased" in client.post(withdraw).content and Subscription.objects.count() == 0
    assert b"not (or no longer) valid" in client.post(withdraw).content


def test_an_unconfirmed_address_is_erased_in_time(hotspot: Hotspot, settings: Any) -> None:
    now = timezone.now()
    services.subscribe(email="typed-by-someone@example.org", lang="vi", hotspot=hotspot, consent_text="…",
                       now=now - dt.timedelta(hours=settings.WIFI_CONFIRM_HOURS + 1))
    kept = services.subscribe(email="owner@example.org", lang="vi", hotspot=hotspot, consent_text="…",
                              now=now - dt.timedelta(hours=settings.WIFI_CONFIRM_HOURS + 1))
    services.confirm(kept.token("confirm"))
    assert services.retention_purge(now)["unconfirmed"] == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["owner@example.org"]


def test_an_officer_erasing_an_address_leaves_no_trace_of_it(admin_client: Any, hotspot: Hotspot) -> None:
    from xuthanh.core.models import AuditEntry

    row = services.subscribe(email="private.person@example.org", lang="en", hotspot=hotspot, consent_text="I agree")
    admin_client.post(f"/admin/wifi/subscription/{row.pk}/delete/", {"post": "yes"})
    assert not Subscription.objects.exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_repr__startswith=f"#{row.pk} ")
    stored = f"{entry.object_repr} {entry.changes} {entry.snapshot}"
    assert "private.person" not in stored and entry.object_id == str(row.pk)


def test_addresses_are_kept_hashed_and_days_cannot_be_linked(client: Any, gateway: Gateway,
                                                             hotspot: Hotspot) -> None:
    connect(client, gateway, terms="yes")
    access = Grant.objects.get()
    stored = " ".join(str(v) for v in Grant.objects.values().get().values())
    assert gateway.mac not in stored and gateway.ip not in stored and gateway.hid not in stored
    tomorrow = services.client_hash(gateway.mac, scope=f"{hotspot.pk}:{timezone.localdate() + dt.timedelta(1)}")
    assert access.mac_hash and access.mac_hash != tomorrow
    # the same device again the same day: one more access, not one more device
    connect(client, Gateway(hotspot, mac=gateway.mac), terms="yes")
    day = Day.objects.get(hotspot=hotspot)
    assert (day.sessions, day.devices) == (2, 1)


def test_retention_forgets_accesses_and_old_subscriptions(hotspot: Hotspot, gateway: Gateway,
                                                          settings: Any) -> None:
    now = timezone.now()
    services.grant(hotspot, services.handoff_check(hotspot, gateway.query()), lang="en",
                   now=now - dt.timedelta(days=settings.WIFI_RETENTION_DAYS + 1))
    services.subscribe(email="old@example.org", lang="vi", hotspot=hotspot, consent_text="…",
                       now=now - dt.timedelta(days=30 * settings.WIFI_SUBSCRIPTION_MONTHS + 1))
    services.subscribe(email="new@example.org", lang="vi", hotspot=hotspot, consent_text="…", now=now)
    done = services.retention_purge(now)
    assert done["grants"] == 1 and done["subscriptions"] == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert Day.objects.get(hotspot=hotspot).sessions == 1  # the anonymous counts stay


def test_the_captive_portal_api_document(client: Any, hotspot: Hotspot) -> None:
    api = "/wifi/lam-kinh/captive-portal/api"
    document = client.get(api, HTTP_ACCEPT="application/captive+json", REMOTE_ADDR="192.168.8.23")
    assert document["Content-Type"] == "application/captive+json"
    assert document["Cache-Control"] == "private, no-store"
    body = document.json()
    assert body["captive"] is True and body["user-portal-url"].endswith("/wifi/lam-kinh/")
    assert body["user-portal-url"].startswith("https://") or body["user-portal-url"].startswith("http")
    assert "/places/lam-kinh/" in body["venue-info-url"] or "lam-kinh" in body["venue-info-url"]
    Hotspot.objects.filter(pk=hotspot.pk).update(fas_level=2)
    hotspot.refresh_from_db()
    gateway = Gateway(hotspot, ip="192.168.8.23")
    connect(client, gateway, terms="yes")
    after = client.get(api, REMOTE_ADDR="192.168.8.23").json()
    assert after["captive"] is False and 0 < after["seconds-remaining"] <= hotspot.session_minutes * 60
    assert client.get(api, REMOTE_ADDR="192.168.8.99").json()["captive"] is True  # another device
    assert client.get("/wifi/nowhere/captive-portal/api").status_code == 404


def test_authmon_refuses_bad_calls_and_answers_unknown_gateways_empty(client: Any, hotspot: Hotspot) -> None:
    assert client.post("/wifi/authmon/", {}).status_code == 400
    assert client.get("/wifi/authmon/").status_code == 405
    unknown = client.post("/wifi/authmon/", {"auth_get": "view", "gatewayhash": "0" * 64, "payload": "none"})
    assert unknown.status_code == 200 and unknown.content == b""


def test_authmon_clear_and_deauth(client: Any, gateway: Gateway, hotspot: Hotspot) -> None:
    connect(client, gateway, terms="yes")
    gw = fas.gateway_hash(hotspot.gatewayname)
    assert client.post("/wifi/authmon/", {"auth_get": "clear", "gatewayhash": gw}).content == b""
    assert client.post("/wifi/authmon/", {"auth_get": "view", "gatewayhash": gw, "payload": "none"}).content == b"*"
    notice = base64.b64encode(f"method=timeout_deauth, clientmac={gateway.mac}".encode()).decode()
    assert client.post("/wifi/authmon/", {"auth_get": "deauthed", "gatewayhash": gw,
                                          "payload": notice}).content == b"ack"
    assert Grant.objects.get().ended_at is not None


def test_a_hotspot_not_in_service_refuses_visitors(client: Any, gateway: Gateway, hotspot: Hotspot) -> None:
    Hotspot.objects.filter(pk=hotspot.pk).update(state=Hotspot.State.PLANNED)
    page = client.get(URL, gateway.query())
    assert page.status_code == 400 and b"not in service" in page.content
    assert client.get("/wifi/unknown-site/").status_code == 404
