"""Report reminders through the SMTP adapter, against a local server that speaks SMTP: a reminder before the
due day, an overdue notice after it, each once; a refusal or a rate limit leaves it to be tried again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from xuthanh.core.tests.smtp_server import SmtpServer
from xuthanh.stats import services
from xuthanh.stats.models import Reminder
from xuthanh.stats.tests.conftest import month_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server, override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port, EMAIL_USE_TLS=False, EMAIL_TIMEOUT=5, REPORT_REMINDER_DAYS=5,
    ):
        yield server


def monthly(today: dt.date) -> dict[str, int]:
    return services.reminders_send(today, kinds=("month",))


def recipients(server: SmtpServer) -> list[str]:
    return sorted(r for _sender, to, _msg in server.mailbox.messages for r in to)


def test_businesses_that_have_not_filed_get_one_reminder_before_the_due_day(smtp: SmtpServer, units: dict) -> None:
    services.report_file(user=None, report=services.report_open(units["own"], "month", dt.date(2026, 11, 1)),
                         values=month_values(), submit=True)
    assert monthly(dt.date(2026, 12, 10)) == {"before": 0, "late": 0, "failed": 0}  # too early
    sent = monthly(dt.date(2026, 12, 15))
    assert sent == {"before": 4, "late": 0, "failed": 0}
    assert recipients(smtp) == ["lh-001@example.org", "lt-002@example.org", "lt-003@example.org",
                                "lt-004@example.org"]
    message = smtp.mailbox.messages[0][2]
    assert "11/2026" in str(make_header(decode_header(message["Subject"])))
    assert "/month/2026-11/" in message.get_payload(decode=True).decode()
    assert monthly(dt.date(2026, 12, 16))["before"] == 0  # never twice


def test_an_overdue_notice_follows_the_due_day_once(smtp: SmtpServer, units: dict) -> None:
    assert monthly(dt.date(2026, 12, 21))["late"] == 5
    assert monthly(dt.date(2026, 12, 22))["late"] == 0
    assert Reminder.objects.filter(kind="late").count() == 5


def test_a_refused_address_is_counted_and_tried_again_later(smtp: SmtpServer, units: dict) -> None:
    smtp.mailbox.refuse.add("lt-002@example.org")
    sent = monthly(dt.date(2026, 12, 21))
    assert sent == {"before": 0, "late": 4, "failed": 1}
    assert not Reminder.objects.filter(establishment=units["sam_son_2"]).exists()
    smtp.mailbox.refuse.clear()
    assert monthly(dt.date(2026, 12, 22)) == {"before": 0, "late": 1, "failed": 0}


def test_a_rate_limited_server_gets_the_rest_the_next_day(smtp: SmtpServer, units: dict) -> None:
    smtp.mailbox.rate_limit = 2
    assert monthly(dt.date(2026, 12, 21)) == {"before": 0, "late": 2, "failed": 3}
    smtp.mailbox.rate_limit = None
    assert monthly(dt.date(2026, 12, 22)) == {"before": 0, "late": 3, "failed": 0}
    assert len(set(recipients(smtp))) == 5


def test_the_annual_report_is_reminded_before_20_february(smtp: SmtpServer, units: dict) -> None:
    assert services.reminders_send(dt.date(2027, 2, 16), kinds=("year",)) == {"before": 5, "late": 0, "failed": 0}
    bodies = [m.get_payload(decode=True).decode() for _s, _to, m in smtp.mailbox.messages]
    assert all("/year/2026/" in b and "2026" in b.split("http")[0] for b in bodies)
    assert services.reminders_send(dt.date(2027, 2, 21), kinds=("year",))["late"] == 5


def test_reminders_are_written_in_the_province_language(smtp: SmtpServer, units: dict) -> None:
    from django.utils import translation

    with translation.override("vi"):
        expected = str(services.REMINDER_SUBJECTS["late"]) % {"period": "11/2026", "due": "20/12/2026"}
    monthly(dt.date(2026, 12, 21))
    subjects = {str(make_header(decode_header(m["Subject"]))) for _s, _to, m in smtp.mailbox.messages}
    assert subjects == {expected}


def test_the_daily_command_reports_what_it_sent(smtp: SmtpServer, units: dict, capsys: Any) -> None:
    call_command("stats_reminders")
    assert "reminders" in capsys.readouterr().out
