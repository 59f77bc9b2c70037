"""What every feed and widget response shares: open to any origin (public, read-only data), cached with
validators (ETag, Last-Modified, 304, the same as the open API), and a plain 400 for bad parameters."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.views.decorators.http import require_safe

from xuthanh.api.services import add_validators, not_modified, queryset_validators
from xuthanh.feeds.params import BadParameter, Filters

MAX_AGE = 300  # seconds partners and proxies may reuse an answer without asking


def public_read(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; any origin may read; BadParameter becomes a 400 with its message as plain text."""

    @wraps(view)
    @require_safe
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as exc:
            response = HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
            response["Cache-Control"] = "no-cache"
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapper


def conditional(
    request: HttpRequest, qs: QuerySet, filters: Filters, render: Callable[[], HttpResponse], *parts: Any
) -> HttpResponse:
    """304 when the client's copy is current, else `render()`; both carry the validators and the language.
    `parts`: whatever else shapes the answer (the day, the format)."""
    etag, modified, _count = queryset_validators(qs, filters.key(), *parts)
    response = HttpResponseNotModified() if not_modified(request, etag, modified) else render()
    add_validators(response, etag, modified, max_age=MAX_AGE)
    response["Content-Language"] = filters.lang
    return response


def absolute(path: str) -> str:
    """A site path as an absolute URL (SITE_URL), for links that leave this site; URLs stay as they are
    (media on S3)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path
