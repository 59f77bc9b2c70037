"""API plumbing that is not an endpoint: client lookup, rate limits, CORS decisions, conditional GET and
paginated, conditional lists for any app's endpoints."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from ninja import Schema

from xuthanh.api.models import ApiClient, hash_key
from xuthanh.api.schemas import Paging
from xuthanh.core import ratelimit

_ORIGINS_CACHE_KEY = "api:origins"
CLIENT_MEMO_SECONDS = 30  # a disabled or rotated key stops working within this time in every worker
_client_memo: dict[str, tuple[float, ApiClient | None]] = {}


def client_for(request: HttpRequest) -> ApiClient | None:
    """The active client of the request's X-API-Key, remembered in this process for a few seconds so that
    answers served from the page cache need no database round trip."""
    key = request.headers.get("X-API-Key", "")
    if not key:
        return None
    digest = hash_key(key)
    now = time.monotonic()
    remembered = _client_memo.get(digest)
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    client = ApiClient.objects.filter(key_hash=digest, is_active=True).first()
    if len(_client_memo) > 10_000:  # keys guessed at random must not grow memory without bound
        _client_memo.clear()
    _client_memo[digest] = (now + CLIENT_MEMO_SECONDS, client)
    return client


def forget_clients() -> None:
    _client_memo.clear()


def rate_limit(request: HttpRequest, client: ApiClient | None) -> int | None:
    """Count this request in a one-minute window (per partner key, else per address); return seconds to wait
    when over the limit."""
    if client is not None:
        bucket, limit = f"api:client:{client.pk}", client.requests_per_minute
    else:
        bucket, limit = f"api:ip:{request.META.get('REMOTE_ADDR', '')}", settings.API_ANONYMOUS_PER_MINUTE
    return ratelimit.hit(bucket, limit=limit)


def allowed_origins() -> set[str]:
    origins = cache.get(_ORIGINS_CACHE_KEY)
    if origins is None:
        origins = {o for c in ApiClient.objects.filter(is_active=True) for o in c.origin_list()}
        cache.set(_ORIGINS_CACHE_KEY, origins, timeout=300)
    return origins


def forget_origins() -> None:
    cache.delete(_ORIGINS_CACHE_KEY)
    forget_clients()


def cors_allowed(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    """django-cors-headers asks this for /api/ requests: only registered partner origins."""
    origin = request.headers.get("Origin", "").rstrip("/")
    return bool(origin) and origin in allowed_origins()


def queryset_validators(qs: QuerySet, *parts: Any) -> tuple[str, str | None, int]:
    """ETag and Last-Modified of a list (its model, size, latest change and whatever shapes the answer), and
    its size."""
    found = qs.aggregate(last=Max("updated_at"), count=Count("pk"))  # one query for both
    return (*list_validators(qs.model, found["count"], found["last"], *parts), found["count"])


def list_validators(model: type, count: int, last: Any, *parts: Any) -> tuple[str, str | None]:
    """ETag and Last-Modified of a list of `count` objects of `model` whose latest changed at `last`, shaped by
    `parts` (the same as `queryset_validators` gives for that list)."""
    return validators([model.__name__, count, last, *parts], last)


def add_validators(
    response: HttpResponse, etag: str, last_modified: str | None, *, max_age: int = 60
) -> None:
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = last_modified
    response["Cache-Control"] = f"public, max-age={max_age}"
    patch_vary_headers(response, ["Accept-Language"])


def validators(parts: Iterable[Any], last_modified: Any) -> tuple[str, str | None]:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    modified = http_date(last_modified.timestamp()) if last_modified else None
    return quote_etag(digest), modified


def not_modified(request: HttpRequest, etag: str, last_modified: str | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = request.headers.get("If-Modified-Since")
    if since and last_modified:
        since_ts, modified_ts = parse_http_date_safe(since), parse_http_date_safe(last_modified)
        return since_ts is not None and modified_ts is not None and modified_ts <= since_ts
    return False


def conditional(
    request: HttpRequest, qs: QuerySet, params: Schema, lang: str
) -> tuple[str, str | None, bool, int]:
    """ETag and Last-Modified of a list shaped by `params` in `lang`, whether the client already has it, and
    how many items `qs` holds."""
    etag, modified, count = queryset_validators(qs, lang, params.model_dump_json())
    return etag, modified, not_modified(request, etag, modified), count


def page_of(items: list, paging: Paging) -> tuple[list, int]:
    """One page of `items` and how many there are in all."""
    start = (paging.page - 1) * paging.page_size
    return items[start : start + paging.page_size], len(items)


def paged_list(
    request: HttpRequest, response: HttpResponse, qs: QuerySet, paging: Paging, lang: str, out: Any
) -> Any:
    """A conditional, paginated list of `qs` shaped by `out(item, lang)`."""
    etag, modified, fresh, _count = conditional(request, qs, paging, lang)
    if fresh:
        return HttpResponseNotModified(headers={"ETag": etag})
    page, count = page_of(list(qs), paging)
    add_validators(response, etag, modified)
    return {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "results": [out(item, lang) for item in page],
    }
