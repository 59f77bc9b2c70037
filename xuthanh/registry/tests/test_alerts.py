"""Expiry: what `selectors.expiring` finds (current decisions and cards, not revoked, not superseded) and the
daily `registry_alerts` command: one e-mail per item and threshold (90, 30, 0 days) to the establishment (the
agency for a card) and the department, never twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from xuthanh.registry import selectors, services
from xuthanh.registry.models import Credential, Establishment, ExpiryNotice
from xuthanh.registry.tests.conftest import TODAY, add_stars, make_card

pytestmark = pytest.mark.django_db
DEPARTMENT = "dangky@svhttdl.thanhhoa.example"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def alerts(today: dt.date = TODAY, *args: str) -> str:
    out = StringIO()
    call_command("registry_alerts", "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_expiring_finds_current_decisions_and_cards_within_the_window_or_expired(sam_son_hotel, agency, card):
    soon = add_stars(sam_son_hotel, issued_on=dt.date(2022, 1, 1), expires_on=days(60))
    Credential.objects.create(establishment=agency, kind=Credential.Kind.TRAVEL_LICENCE, number="GP-1",
                              issued_on=dt.date(2020, 1, 1), issuer="Sở", expires_on=days(-5))
    card.expires_on = days(10)
    card.save()
    found = selectors.expiring(90, TODAY)
    assert [(e.kind, e.days_left) for e in found] == [("licence", -5), ("card", 10), ("stars", 60)]
    assert found[2].item == soon and found[1].establishment == agency


def test_expiring_leaves_out_far_revoked_superseded_and_closed(sam_son_hotel, agency, commune_sam_son):
    add_stars(sam_son_hotel, issued_on=dt.date(2021, 1, 1), expires_on=days(20))  # superseded by the next
    add_stars(sam_son_hotel, 4, issued_on=dt.date(2026, 1, 1), expires_on=days(1800))
    add_stars(agency, issued_on=dt.date(2022, 1, 1), expires_on=days(20), revoked_on=days(-100))
    from xuthanh.registry.tests.conftest import make_establishment

    closed = make_establishment(commune_sam_son, state=Establishment.State.CLOSED)
    add_stars(closed, expires_on=days(20))
    make_card("138000081", expires_on=days(20), issued_on=dt.date(2022, 1, 1), revoked_on=days(-1),
              revoked_reason="x")
    make_card("138000082", expires_on=days(200), issued_on=dt.date(2022, 1, 1))
    make_card("338000083", card_type="site", expires_on=None, languages="")
    assert selectors.expiring(90, TODAY) == []


def test_the_threshold_is_the_nearest_reached():
    assert [services.alert_threshold(d) for d in (120, 91, 90, 31, 30, 1, 0, -3)] == [None, None, 90, 90, 30, 30, 0, 0]


@override_settings(REGISTRY_ALERT_EMAIL=DEPARTMENT)
def test_an_alert_goes_once_per_threshold_to_the_establishment_and_the_department(sam_son_hotel):
    add_stars(sam_son_hotel, number="77/QĐ", issued_on=dt.date(2022, 1, 1), expires_on=days(80))
    assert "sent 1 alert(s)" in alerts()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hotel@example.com", DEPARTMENT]
    assert "77/QĐ" in message.subject and sam_son_hotel.name in message.body
    assert days(80).strftime("%d/%m/%Y") in message.body
    assert f"/admin/registry/establishment/{sam_son_hotel.pk}/change/" in message.body
    alerts(days(1))
    alerts(days(20))  # 60 days left: still the 90-day step
    assert len(mail.outbox) == 1
    alerts(days(50))  # 30 days left
    assert len(mail.outbox) == 2
    alerts(days(51))
    alerts(days(80))  # expiry day
    alerts(days(82))
    assert len(mail.outbox) == 3
    assert days(80).strftime("%d/%m/%Y") in mail.outbox[2].subject  # written in the province's language
    assert mail.outbox[2].subject != mail.outbox[1].subject
    assert ExpiryNotice.objects.count() == 3


def test_a_guide_card_alert_goes_to_the_agency_employing_the_guide(card):
    card.expires_on = days(25)
    card.save()
    alerts()
    assert [m.to for m in mail.outbox] == [["agency@example.com"]]
    assert card.number in mail.outbox[0].subject and card.holder_name in mail.outbox[0].body


def test_an_item_without_any_address_is_reported_and_left_for_later(commune_sam_son):
    from xuthanh.registry.tests.conftest import make_establishment

    silent = make_establishment(commune_sam_son)
    add_stars(silent, expires_on=days(10))
    output = alerts()
    assert "no address for stars:" in output
    assert mail.outbox == [] and not ExpiryNotice.objects.exists()
    with override_settings(REGISTRY_ALERT_EMAIL=DEPARTMENT):
        alerts()
    assert [m.to for m in mail.outbox] == [[DEPARTMENT]]


def test_a_renewed_decision_gets_its_alerts_again(sam_son_hotel):
    credential = add_stars(sam_son_hotel, expires_on=days(10))
    alerts()
    credential.expires_on = days(10 + 365 * 5 - 60)  # renewed in place, five years on: 60 days before the next
    credential.save()
    alerts(days(365 * 5 - 60 - 60))
    assert len(mail.outbox) == 2


def test_samples_and_long_expired_items_get_no_alert(sam_son_hotel, commune_sam_son):
    from xuthanh.registry.tests.conftest import make_establishment

    sample = make_establishment(commune_sam_son, is_sample=True, email="sample@example.com")
    add_stars(sample, expires_on=days(10))
    add_stars(sam_son_hotel, issued_on=dt.date(2015, 1, 1), expires_on=days(-400))
    make_card("138000091", expires_on=days(5), is_sample=True)
    alerts()
    assert mail.outbox == []


def test_a_dry_run_says_what_would_go_and_sends_nothing(sam_son_hotel):
    add_stars(sam_son_hotel, expires_on=days(10))
    assert "would send 1 alert(s)" in alerts(TODAY, "--dry-run")
    assert mail.outbox == [] and not ExpiryNotice.objects.exists()


def test_a_failed_sending_is_tried_again_on_the_next_run(sam_son_hotel, monkeypatch):
    add_stars(sam_son_hotel, expires_on=days(10))

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    with pytest.raises(CommandError, match="could not be sent"):
        alerts()
    assert not ExpiryNotice.objects.exists()
    monkeypatch.undo()
    alerts()
    assert len(mail.outbox) == 1


def test_an_alert_claimed_by_another_run_is_not_sent_again(sam_son_hotel):
    credential = add_stars(sam_son_hotel, expires_on=days(10))
    ExpiryNotice.objects.create(key=f"stars:{credential.pk}:{days(10).isoformat()}:30")
    alerts()
    assert mail.outbox == []
