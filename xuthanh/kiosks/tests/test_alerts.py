"""Alerts of a kiosk offline during its opening hours, through a local SMTP server that speaks the protocol
(refusals and rate limits included): one e-mail per outage to the unit running the location and to
KIOSK_ALERT_EMAIL, none at night, none twice, another try after a refusal, and the next heartbeat ends
the outage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from xuthanh.core.tests.smtp_server import SmtpServer
from xuthanh.kiosks import services
from xuthanh.kiosks.models import Device, Location
from xuthanh.orgs.models import Organisation

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = dt.datetime(2026, 12, 7, 12, tzinfo=VN)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server, override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port, EMAIL_USE_TLS=False, EMAIL_TIMEOUT=5, KIOSK_ALERT_EMAIL="kiosks@svhttdl.example",
    ):
        yield server


@pytest.fixture
def silent(db: Any) -> Device:
    services.locations_load()
    Organisation.objects.filter(kind=Organisation.Kind.PROMOTION_CENTRE).update(email="xuctien@example.org")
    device = Device.objects.create(location=Location.objects.get(slug="na-meo"), name="NM-1")
    device = services.enrol(services.enrol_code_new(device)).device
    services.heartbeat(device, {"version": "1"}, now=NOON - dt.timedelta(hours=2))
    return device


def test_one_alert_per_outage_during_opening_hours(smtp: SmtpServer, silent: Device) -> None:
    assert services.offline_alerts(NOON - dt.timedelta(hours=1, minutes=30)) == {"sent": 0, "failed": 0,
                                                                                 "no_address": 0}  # 30 min: late
    assert services.offline_alerts(NOON)["sent"] == 1
    (_sender, to, message), = smtp.mailbox.messages
    assert sorted(to) == ["kiosks@svhttdl.example", "xuctien@example.org"]
    assert "NM-1" in message.get_payload(decode=True).decode()
    assert services.offline_alerts(NOON + dt.timedelta(minutes=5))["sent"] == 0  # never twice
    services.heartbeat(silent, {"version": "1"}, now=NOON + dt.timedelta(minutes=10))  # back: outage over
    assert Device.objects.get(pk=silent.pk).alerted_at is None
    assert services.offline_alerts(NOON + dt.timedelta(hours=2))["sent"] == 1  # a new outage


def test_no_alert_at_night_or_for_a_machine_not_enrolled(smtp: SmtpServer, silent: Device) -> None:
    night = dt.datetime(2026, 12, 7, 23, 30, tzinfo=VN)
    assert services.offline_alerts(night)["sent"] == 0
    services.revoke(silent)
    assert services.offline_alerts(NOON)["sent"] == 0
    assert smtp.mailbox.messages == []


def test_a_refused_alert_is_tried_again(smtp: SmtpServer, silent: Device) -> None:
    smtp.mailbox.refuse = {"kiosks@svhttdl.example", "xuctien@example.org"}
    assert services.offline_alerts(NOON)["failed"] == 1
    assert Device.objects.get(pk=silent.pk).alerted_at is None
    smtp.mailbox.refuse = set()
    assert services.offline_alerts(NOON + dt.timedelta(minutes=5))["sent"] == 1


def test_screen_hours_may_run_past_midnight_or_all_day(db: Any) -> None:
    from xuthanh.kiosks import selectors

    device = Device(screen_on=dt.time(5), screen_off=dt.time(1))
    assert services.screen_time(device, dt.time(0, 30)) and services.screen_time(device, dt.time(23))
    assert not services.screen_time(device, dt.time(3))
    windows = selectors.opening(device, dt.date(2026, 12, 7))
    assert sum((b - a for a, b in windows), dt.timedelta(0)) == dt.timedelta(hours=20)
    always = Device(screen_on=dt.time(0), screen_off=dt.time(0))
    assert services.screen_time(always, dt.time(3)) and len(selectors.opening(always, dt.date(2026, 12, 7))) == 1


def test_searches_are_kept_without_numbers_and_forgotten_after_a_year(silent: Device) -> None:
    from xuthanh.kiosks.models import Use

    services.use_add(silent, {"searches": {"Gọi 0912345678 Lam Kinh": 1}}, day=dt.date(2025, 11, 1))
    assert Use.objects.get(device=silent).searches == {"goi lam kinh": 1}
    assert services.use_searches_purge(dt.date(2026, 12, 7)) == 1
    assert Use.objects.get(device=silent).searches == {}
