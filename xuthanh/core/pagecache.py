"""Whole-response cache for anonymous GET requests to the public pages and the open API.

Tourists read, officers write rarely: an anonymous visitor's page (or API answer) is stored for at most
`PAGE_CACHE_SECONDS` (60 s, so "open now" stays within a minute) under a key made of the path, the query,
the languages asked for and a content version. Every catalogue write bumps the version (see
`bump_content_version`, connected by the portal app), so an edit shows at once. Signed-in users (a session
cookie), non-200 answers, answers that set cookies or vary on cookies are never cached. Rate limits and
CORS still apply, since this middleware sits after them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import cc_delim_re

VERSION_KEY = "pagecache:version"
MAX_BYTES = 1_000_000


_request = threading.local()  # the version as first read in the request this thread is serving


def content_version() -> int:
    """The current content version; read once per request (each read of the shared cache is a file read or a
    network round trip), again after a write in the same request, and on every call outside requests."""
    version = getattr(_request, "version", None)
    if version is None:
        version = cache.get(VERSION_KEY, 0)
        if getattr(_request, "active", False):
            _request.version = version
    return version


def request_started(*args: Any, **kwargs: Any) -> None:
    """Signal receiver (request_started): a new request reads the version afresh."""
    _request.active, _request.version = True, None


def request_finished(*args: Any, **kwargs: Any) -> None:
    """Signal receiver (request_finished): outside a request, every call reads the shared cache."""
    _request.active, _request.version = False, None


def bump_content_version(*args: Any, **kwargs: Any) -> None:
    """Signal receiver and plain function: make every cached page stale."""
    _request.version = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def _prefixes() -> tuple[str, ...]:
    from xuthanh.core.languages import prefixes

    return prefixes() + ("/api/v1/",)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = _prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = self._key(request)
        entry = cache.get(key)
        if entry is not None:
            return self._replay(request, entry)
        response = self.get_response(request)
        if self._cacheable_response(response):
            entry = {
                "status": response.status_code,
                "content": response.content,
                "headers": [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie",)],
            }
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and request.path.startswith(self.prefixes)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def _key(self, request: HttpRequest) -> str:
        parts = [
            str(content_version()),
            request.get_full_path(),
            request.headers.get("Accept-Language", "")[:100],
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")[:20],
        ]
        return "pagecache:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(response, "xframe_options_exempt", False) or len(response.content) > MAX_BYTES:
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
        control = response.get("Cache-Control", "").lower()
        return "cookie" not in vary and "private" not in control and "no-store" not in control

    @staticmethod
    def _replay(request: HttpRequest, entry: dict) -> HttpResponse:
        headers = dict(entry["headers"])
        etag = headers.get("ETag")
        if_none_match = request.headers.get("If-None-Match", "")
        if etag and (etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"):
            return HttpResponseNotModified(headers={"ETag": etag})
        response = HttpResponse(content=entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response
