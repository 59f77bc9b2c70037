"""API plumbing that is not an endpoint: client lookup, rate limits, CORS decisions, conditional GET."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from xuthanh.api.models import ApiClient, hash_key

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


class SqliteCounter:
    """Per-minute request counts in a small SQLite file that every worker process of this machine shares.

    The file cache cannot count: its `incr` is a read then a write (two workers lose each other's counts) and
    every write lists the cache folder. One upsert here is atomic across processes and takes tens of
    microseconds (WAL, no fsync: counts lost in a power cut only reset a one-minute window). One row per
    bucket, reset when its minute changes; rows of past minutes are purged once a minute per process."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS api_rate "
        "(bucket TEXT PRIMARY KEY, minute INTEGER NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID"
    )
    UPSERT = (
        "INSERT INTO api_rate (bucket, minute, count) VALUES (?, ?, 1) ON CONFLICT (bucket) DO UPDATE SET "
        "count = CASE WHEN minute = excluded.minute THEN count + 1 ELSE 1 END, minute = excluded.minute "
        "RETURNING count"
    )

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # the threads of a process take turns here, not in SQLite's busy waits
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._purged_minute = 0

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # one connection per process, never forked
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute(self.SCHEMA)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def hit(self, bucket: str, minute: int) -> int:
        """Count one request of `bucket` in `minute`; return the count so far in that minute."""
        with self._lock:
            connection = self._connect()
            (count,) = connection.execute(self.UPSERT, (bucket, minute)).fetchone()
            if minute != self._purged_minute:
                self._purged_minute = minute
                connection.execute("DELETE FROM api_rate WHERE minute < ?", (minute - 1,))
        return count


_counters: dict[str, SqliteCounter] = {}


def rate_counter() -> SqliteCounter | None:
    """Where the counts live, following the cache: with Redis (atomic INCR, shared by every machine) or the
    local-memory cache (one process, as in tests) the cache itself counts (None here); next to the file
    cache a SqliteCounter in the same folder counts for every worker of this machine."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith("FileBasedCache"):
        return None
    counter = _counters.get(config["LOCATION"])
    if counter is None:
        path = Path(config["LOCATION"]) / "api-rate-limits.sqlite3"
        counter = _counters[config["LOCATION"]] = SqliteCounter(path)
    return counter


def rate_limit(request: HttpRequest, client: ApiClient | None) -> int | None:
    """Count this request in a one-minute window; return seconds to wait when over the limit."""
    if client is not None:
        bucket, limit = f"client:{client.pk}", client.requests_per_minute
    else:
        bucket, limit = f"ip:{request.META.get('REMOTE_ADDR', '')}", settings.API_ANONYMOUS_PER_MINUTE
    now = time.time()
    window = int(now // 60)
    counter = rate_counter()
    if counter is not None:
        count = counter.hit(bucket, window)
    else:
        key = f"api:rl:{bucket}:{window}"
        try:
            count = cache.incr(key)  # the usual case: the window's counter exists
        except ValueError:
            count = 1 if cache.add(key, 1, timeout=70) else cache.incr(key)
    if count > limit:
        return 60 - int(now % 60)
    return None


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


def queryset_validators(qs: QuerySet, *parts: Any) -> tuple[str, str | None]:
    """ETag and Last-Modified of a list: its model, size, latest change and whatever shapes the answer."""
    last = qs.aggregate(last=Max("updated_at"))["last"]
    return validators([qs.model.__name__, qs.count(), last, *parts], last)


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
