"""Failed sign-ins: django-axes locks an account tried too often from one address, and says when to retry;
failed sign-ins are also counted per address across accounts, so one address cannot try a password against
many accounts: past LOGIN_ADDRESS_FAILURE_LIMIT in a quarter of an hour, the portal's and the back office's
sign-in forms refuse it and say in how many minutes to retry, while other addresses sign in as usual."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db
PASSWORD = "a long pass phrase 42"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def accounts():
    return [get_user_model().objects.create_user(f"user{i}", password=PASSWORD, is_staff=True) for i in range(4)]


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=6, AXES_FAILURE_LIMIT=5)
@pytest.mark.parametrize("door", ["/en/account/login/", "/admin/login/"])
def test_one_address_cannot_try_a_password_on_many_accounts(client, accounts, door):
    def sign_in(username: str, password: str, address: str = "10.0.0.7"):
        return client.post(
            door, {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en"
        )

    for attempt in range(6):  # spread over accounts: no account reaches its own lockout of 5
        response = sign_in(f"user{attempt % 4}", "guess")
        assert response.status_code == 200 and "try again in" not in response.content.decode()
    refused = sign_in("user3", PASSWORD)
    assert refused.status_code == 200
    message = r"Too many failed sign-ins from your connection; try again in 1?\d minutes\."
    assert re.search(message, refused.content.decode())
    assert "_auth_user_id" not in client.session  # even the right password is not tried
    assert sign_in("user3", PASSWORD, address="10.0.0.8").status_code == 302  # another address signs in


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=100, AXES_FAILURE_LIMIT=3)
def test_an_account_tried_too_often_is_locked_with_the_time_to_retry(client, accounts):
    for _attempt in range(3):
        client.post("/en/account/login/", {"username": "user1", "password": "guess"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post("/en/account/login/", {"username": "user1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page and "Try again in 15 minutes" in page
    fine = client.post("/en/account/login/", {"username": "user2", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert fine.status_code == 302  # the lock is the account's (with this address), not the address's
