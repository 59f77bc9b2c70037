"""The public check of a tour guide card: by number and by the signed QR code, for valid, forged, expired,
revoked and unknown cards, malformed input (never a 500) and the per-address rate limit."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import override_settings

from xuthanh.registry import services
from xuthanh.registry.tests.conftest import make_card

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_address")]
FORM = "/en/guides/verify/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def qr_path(card) -> str:
    return f"/en/guides/verify/{card.number}/{services.guidecard_token(card)}/"


def test_the_form_asks_for_a_card_number(client):
    response = client.get(FORM)
    assert response.status_code == 200
    body = text(response)
    assert 'name="number"' in body
    assert "Check a tour guide card" in body


def test_a_valid_card_shows_its_holder_type_languages_expiry_and_employer(client, card):
    response = client.get(FORM, {"number": card.number})
    assert response.status_code == 200
    body = text(response)
    assert "Valid card" in body
    assert "Nguyễn Văn An" in body
    assert "International tour guide" in body
    assert "English, Français" in body
    assert "01/03/2028" in body
    assert "Lữ hành Thử Nghiệm" in body


def test_a_card_number_is_found_whatever_its_letter_case_and_spaces(client):
    make_card("MAU-138-0009", languages="en")
    assert "Valid card" in text(client.get(FORM, {"number": "  mau-138-0009 "}))
    make_card("138000007", languages="en")
    assert "Valid card" in text(client.get(FORM, {"number": "138 000 007"}))


def test_the_qr_code_of_a_valid_card_opens_its_check(client, card):
    response = client.get(qr_path(card))
    assert response.status_code == 200
    assert "Valid card" in text(response)
    assert "Nguyễn Văn An" in text(response)


def test_the_qr_code_encodes_an_address_that_opens_in_the_visitors_language(client, card):
    url = services.guidecard_verify_url(card)
    assert url.endswith(f"/guides/verify/{card.number}/{services.guidecard_token(card)}/")
    assert "/vi/" not in url and "/en/" not in url
    path = services.guidecard_verify_path(card)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == f"/fr{path}"


def test_a_qr_code_with_a_wrong_token_says_the_department_did_not_issue_it(client, card):
    response = client.get(f"/en/guides/verify/{card.number}/forged-token-123/")
    assert response.status_code == 200
    body = text(response)
    assert "Not issued by the department" in body
    assert "may be forged" in body
    assert "Nguyễn Văn An" not in body and "Valid card" not in body


def test_a_qr_code_made_for_another_card_is_forged_for_this_one(client, card):
    other = make_card("138000002", holder_name="Trần Thị Bình")
    response = client.get(f"/en/guides/verify/{card.number}/{services.guidecard_token(other)}/")
    assert "Not issued by the department" in text(response)


def test_a_card_reissued_on_another_day_makes_its_old_qr_code_forged(client, card):
    old = qr_path(card)
    card.issued_on = dt.date(2024, 3, 1)
    card.save()
    assert "Not issued by the department" in text(client.get(old))
    assert "Valid card" in text(client.get(qr_path(card)))


def test_a_qr_code_naming_a_number_not_in_the_register_is_forged(client):
    response = client.get("/en/guides/verify/138999999/abc/")
    assert "Not issued by the department" in text(response)


def test_an_expired_card_says_since_when_and_not_who_holds_it(client):
    make_card("138000003", expires_on=dt.date(2024, 5, 1), issued_on=dt.date(2019, 5, 1))
    response = client.get(FORM, {"number": "138000003"})
    body = text(response)
    assert response.status_code == 200
    assert "Expired card" in body
    assert "expired on 01/05/2024" in body
    assert "Nguyễn Văn An" not in body


def test_a_revoked_card_says_since_when_but_not_why(client):
    make_card("138000004", revoked_on=dt.date(2025, 11, 15), revoked_reason="Vi phạm quy định hành nghề")
    response = client.get(FORM, {"number": "138000004"})
    body = text(response)
    assert "Revoked card" in body
    assert "revoked on 15/11/2025" in body
    assert "Vi phạm" not in body
    assert "Nguyễn Văn An" not in body


def test_a_revocation_comes_before_an_expiry(client):
    make_card("138000005", expires_on=dt.date(2024, 5, 1), issued_on=dt.date(2019, 5, 1),
              revoked_on=dt.date(2023, 1, 2), revoked_reason="x")
    assert "Revoked card" in text(client.get(FORM, {"number": "138000005"}))


def test_an_unknown_number_points_to_the_national_register_for_other_provinces(client):
    response = client.get(FORM, {"number": "101234567"})
    assert response.status_code == 404
    body = text(response)
    assert "Not in Thanh Hóa's register" in body
    assert "Cards issued by other provinces are not in this register" in body
    assert 'href="https://huongdanvien.vn"' in body


@pytest.mark.parametrize(
    "number",
    ["", "a", "12", "../../etc/passwd", "<script>alert(1)</script>", "1" * 30, "số thẻ 138", "'; --"],
)
def test_malformed_input_is_named_plainly_and_never_a_server_error(client, number):
    response = client.get(FORM, {"number": number})
    assert response.status_code == 400
    body = text(response)
    assert "Not a card number" in body
    assert "<script>alert" not in body


def test_a_malformed_number_in_a_qr_address_is_a_plain_answer_too(client):
    response = client.get("/en/guides/verify/x/abc/")
    assert response.status_code == 400
    assert "Not a card number" in text(response)


def test_only_get_is_answered(client):
    assert client.post(FORM, {"number": "138000001"}).status_code == 405


def test_the_answer_is_neither_cached_nor_indexed(client, card):
    response = client.get(FORM, {"number": card.number})
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in text(response)


def test_a_sample_card_says_it_is_invented(client):
    make_card("MAU-138-0001", is_sample=True, holder_name="Nguyễn Thị Mẫu (mẫu)")
    assert "invented sample card" in text(client.get(FORM, {"number": "MAU-138-0001"}))


def test_the_page_answers_in_vietnamese_by_default(client, card):
    response = client.get(f"/vi/guides/verify/?number={card.number}")
    assert response.status_code == 200
    assert '<html lang="vi">' in text(response)


@override_settings(REGISTRY_VERIFY_PER_MINUTE=3)
def test_lookups_are_rate_limited_per_address(client, card, monkeypatch):
    monkeypatch.setattr("xuthanh.core.ratelimit.time.time", lambda: 1_800_000_010.0)  # one window throughout
    for _ in range(3):
        assert client.get(FORM, {"number": card.number}).status_code == 200
    response = client.get(qr_path(card))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = text(response)
    assert "Too many checks from your connection" in body
    assert "Nguyễn Văn An" not in body
    client.defaults["REMOTE_ADDR"] = "198.19.0.1"  # another address has its own count
    assert client.get(FORM, {"number": card.number}).status_code == 200


@override_settings(REGISTRY_VERIFY_PER_MINUTE=1)
def test_opening_the_empty_form_is_not_counted_as_a_lookup(client, card, monkeypatch):
    monkeypatch.setattr("xuthanh.core.ratelimit.time.time", lambda: 1_800_000_010.0)
    for _ in range(3):
        assert client.get(FORM).status_code == 200
    assert client.get(FORM, {"number": card.number}).status_code == 200
