"""The request's client address: taken from the trusted proxies' X-Forwarded-For when the platform runs
behind them (PROXY_COUNT), so that rate limits, the RFC 8908 document and the audit log see the visitor,
not nginx; and kept where the audit log can read it."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ClientAddressMiddleware:
    """Behind PROXY_COUNT proxies that each append the address they saw to X-Forwarded-For (nginx's
    `$proxy_add_x_forwarded_for`), the visitor is the PROXY_COUNT-th entry from the right; entries further
    left were written by the visitor and are ignored. Without the header (a request that did not come
    through the proxy), or with a malformed entry, REMOTE_ADDR stays as the connection's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.count = settings.PROXY_COUNT

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.count:
            import ipaddress

            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            if len(hops) >= self.count:
                with contextlib.suppress(ValueError):  # a malformed entry: the connection's address stays
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(hops[-self.count]))
        return self.get_response(request)
