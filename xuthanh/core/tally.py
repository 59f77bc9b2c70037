"""Counts that many requests add to and a background job moves into the database (a campaign's clicks and what
followed them): adding is one atomic increment in storage that every worker shares — a Redis hash (HINCRBY) when
`REDIS_URL` is set, else the machine's shared counts file (`core.ratelimit.SqliteCounter`) — so a hot path never
writes the main database and never waits for its locks.

Moving them is exactly-once: `take(bucket)` sets the bucket's counts aside under a fresh token and answers every
batch set aside and not yet `done` (this one, and any a crash left between taking and storing); the caller stores
a batch together with its token in one transaction, skips a token it has already stored, then calls
`done(token)`. A batch is therefore stored once whatever stops where."""

from __future__ import annotations

import contextlib
import uuid

from django.conf import settings
from django.core.cache import cache

from xuthanh.core import ratelimit


def _sqlite() -> ratelimit.SqliteCounter:
    found = ratelimit.counter()
    if found is None:  # a cache that is neither Redis nor files: the counts file in var/ all the same
        path = settings.VAR_DIR / "tallies.sqlite3"
        found = ratelimit._counters.setdefault(str(path), ratelimit.SqliteCounter(path))
    return found


def _redis():  # noqa: ANN202 - a redis.Redis client, or None
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return None
    return cache._cache.get_client(write=True)  # Django's RedisCache: its redis-py client


def _key(bucket: str, token: str = "") -> str:
    return cache.make_key(f"tally:{bucket}" + (f":taken:{token}" if token else ""))


def add(bucket: str, key: str, n: int = 1) -> None:
    """Count `n` more for `key` in `bucket` (one atomic step shared by every worker)."""
    client = _redis()
    if client is None:
        _sqlite().add(bucket, key, n)
    else:
        client.hincrby(_key(bucket), key, n)


def take(bucket: str) -> dict[str, dict[str, int]]:
    """The bucket's counts so far, set aside under a new token, and any batch set aside earlier and not done:
    {token: {key: count}}."""
    token = uuid.uuid4().hex
    client = _redis()
    if client is None:
        return _sqlite().take(bucket, token)
    import redis

    with contextlib.suppress(redis.ResponseError):  # nothing counted since the last take
        client.rename(_key(bucket), _key(bucket, token))  # atomic: an add after it starts a new hash
    batches: dict[str, dict[str, int]] = {}
    prefix = _key(bucket, "-")[:-1]
    for name in client.scan_iter(match=prefix + "*", count=1000):
        name = name.decode() if isinstance(name, bytes) else name
        counts = client.hgetall(name)
        batches[name[len(prefix):]] = {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in counts.items()}
    return batches


def done(bucket: str, token: str) -> None:
    """The batch `token` is stored: drop it."""
    client = _redis()
    if client is None:
        _sqlite().done(token)
    else:
        client.delete(_key(bucket, token))
