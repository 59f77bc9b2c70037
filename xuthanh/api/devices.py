"""Authentication of the machines that report to the API (kiosks, wifi gateways): `Authorization: Bearer
<token>`, checked before the body is read, so that a request without a valid token is refused with 401
whatever it carries, and an oversized body with 413 before it is parsed. Each app gives the lookup of its
own tokens; the refusal has the API's one error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from xuthanh.core import heartbeats


class DeviceRefused(Exception):
    """A device's request refused before its body is read: `status`, `detail` (a code) and the message."""

    def __init__(self, status: int, detail: str, message: str) -> None:
        super().__init__(message)
        self.status, self.detail, self.message = status, detail, message


class DeviceToken(HttpBearer):
    """`auth=` of a device's operations: `lookup(token)` gives the device, or None for an unknown token;
    `request.auth` is the device. `max_bytes` bounds the body."""

    def __init__(self, lookup: Callable[[str], Any], *, what: str, max_bytes: int) -> None:
        super().__init__()
        self.lookup, self.what, self.max_bytes = lookup, what, max_bytes

    def __call__(self, request: HttpRequest) -> Any:
        token = heartbeats.bearer(request)
        if token is None:
            raise DeviceRefused(401, "no_token", f"Send the {self.what} token as `Authorization: Bearer <token>`.")
        device = self.lookup(token)
        if device is None:
            raise DeviceRefused(401, "invalid_token", f"This {self.what} token is unknown or revoked.")
        if len(request.body) > self.max_bytes:
            raise DeviceRefused(413, "too_large", f"The body is at most {self.max_bytes} bytes.")
        return device

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover - __call__ does it all
        return self.lookup(token)
