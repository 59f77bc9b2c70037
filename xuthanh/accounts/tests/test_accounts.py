"""Travellers sign up, sign in and out on the portal; sign-ups are rate-limited and bad input is explained."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_signing_up_signs_in_and_goes_to_my_trips(client):
    response = client.post(
        "/en/account/signup/",
        {"username": "lan", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"},
    )
    assert response.status_code == 302 and response["Location"] == "/en/trips/"
    assert "Signed in as lan" in client.get("/en/trips/").content.decode()


def test_a_weak_or_mismatched_password_is_explained(client):
    response = client.post("/en/account/signup/", {"username": "lan", "password1": "abc", "password2": "abd"})
    assert response.status_code == 422
    assert "The two password fields didn’t match." in response.content.decode()
    assert not get_user_model().objects.filter(username="lan").exists()


def test_next_is_followed_only_within_the_site(client):
    data = {"username": "minh", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"}
    response = client.post("/en/account/signup/?next=https://evil.example/", data)
    assert response["Location"] == "/en/trips/"


@override_settings(SIGNUPS_PER_HOUR=1)
def test_sign_ups_are_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr("xuthanh.core.ratelimit.time.time", lambda: 1_800_000_010.0)  # one window throughout
    ok = {"username": "a1", "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"}
    assert client.post("/en/account/signup/", ok).status_code == 302
    client.logout()
    response = client.post("/en/account/signup/", {**ok, "username": "a2"})
    assert response.status_code == 429
    assert "Too many new accounts" in response.content.decode()
    assert not get_user_model().objects.filter(username="a2").exists()


def test_sign_in_and_out(client):
    get_user_model().objects.create_user("hoa", password="a long pass phrase 42")
    response = client.post("/vi/account/login/", {"username": "hoa", "password": "a long pass phrase 42"})
    assert response.status_code == 302 and response["Location"] == "/vi/trips/"
    response = client.post("/vi/account/logout/")
    assert response.status_code == 302 and response["Location"] == "/vi/"


def test_a_wrong_password_is_refused_with_a_message(client):
    get_user_model().objects.create_user("hoa", password="a long pass phrase 42")
    response = client.post("/en/account/login/", {"username": "hoa", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
