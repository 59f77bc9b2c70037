"""core.middleware.ClientAddressMiddleware: behind nginx (PROXY_COUNT=1) the visitor's address is the entry
nginx appended to X-Forwarded-For, never one the visitor wrote; without a proxy nothing changes."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from xuthanh.core.middleware import ClientAddressMiddleware


def seen(settings, count: int, forwarded: str | None, peer: str = "127.0.0.1") -> str:
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    ClientAddressMiddleware(lambda r: HttpResponse())(request)
    return request.META["REMOTE_ADDR"]


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the visitor's own entry (6.6.6.6) is ignored
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # two proxies
    (1, "2001:db8::7", "2001:db8::7"),
    (1, "not-an-address", "127.0.0.1"),
    (1, None, "127.0.0.1"),  # not through the proxy
    (2, "203.0.113.9", "127.0.0.1"),  # fewer hops than proxies: not trusted
    (0, "203.0.113.9", "127.0.0.1"),  # no proxy configured: the header is the visitor's, ignored
])
def test_the_visitor_address_behind_trusted_proxies(settings, count, forwarded, expected) -> None:
    assert seen(settings, count, forwarded) == expected


@pytest.mark.django_db
def test_rate_limits_count_visitors_not_the_proxy(client, settings) -> None:
    settings.PROXY_COUNT = 1
    settings.API_ANONYMOUS_PER_MINUTE = 2
    from django.core.cache import cache

    cache.clear()
    for visitor in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):  # each within its own limit
        for _ in range(2):
            assert client.get("/api/v1/events", HTTP_X_FORWARDED_FOR=visitor).status_code == 200
    assert client.get("/api/v1/events", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
