"""Sign-in throttling per address, across accounts.

django-axes locks an account after `LOGIN_FAILURE_LIMIT` failed sign-ins from one address (user and address
together). That alone lets one address try one password against many accounts, so failed sign-ins are also
counted per address whatever the account (`core.ratelimit`, shared by every worker): past
`LOGIN_ADDRESS_FAILURE_LIMIT` in a quarter of an hour, sign-ins from that address are refused until the
quarter ends, and the form says in how many minutes to retry. Both sign-in forms (the portal's and the back
office's) apply it.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xuthanh.core import ratelimit

WINDOW_SECONDS = 15 * 60


def _bucket(request: HttpRequest) -> str:
    return f"login-failed:{request.META.get('REMOTE_ADDR', '-')}"


def count_failure(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Signal receiver (user_login_failed): one more failed sign-in from the request's address."""
    if request is not None:
        ratelimit.hit(_bucket(request), limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT, period=WINDOW_SECONDS)


def retry_after(request: HttpRequest | None) -> int | None:
    """Seconds until sign-ins from this address are taken again, or None when they are."""
    if request is None:
        return None
    return ratelimit.peek(_bucket(request), limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT, period=WINDOW_SECONDS)


class _Throttled:
    """First of a sign-in form's checks: the address may try (no password is checked otherwise)."""

    request: HttpRequest | None

    def clean(self) -> dict:
        wait = retry_after(self.request)
        if wait is not None:
            raise ValidationError(
                _("Too many failed sign-ins from your connection; try again in %(minutes)s minutes.")
                % {"minutes": math.ceil(wait / 60)},
                code="throttled",
            )
        return super().clean()  # type: ignore[misc]


class SignInForm(_Throttled, AuthenticationForm):
    """The portal's sign-in form."""


class AdminSignInForm(_Throttled, AdminAuthenticationForm):
    """The back office's sign-in form."""
