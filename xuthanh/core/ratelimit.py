"""Fixed-window request counters, shared by every worker: the one rate-limit mechanism of the platform (the
open API's per-key and per-address limits, trip planning, sign-ups).

`hit("trips:1.2.3.4", limit=10)` counts one request in the current minute (or `period` seconds) and answers
None, or the seconds to wait when the limit is passed. Where the counts live follows the cache:
- Redis (`REDIS_URL`): the cache's atomic INCR, shared by every machine;
- the embedded file cache: a small SQLite file in the cache folder (`SqliteCounter`), because the file cache
  cannot count (its `incr` is a read then a write, so two workers lose each other's counts, and every write
  lists the cache folder);
- the local-memory cache (tests): the cache itself, one process.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

try:
    import fcntl
except ImportError:  # not a POSIX system: SQLite's own lock alone
    fcntl = None  # type: ignore[assignment]


class SqliteCounter:
    """Request counts in a small SQLite file that every worker process of this machine shares.

    One upsert is atomic across processes and takes tens of microseconds (WAL, no fsync: counts lost in a power
    cut only reset a window). One row per bucket, holding the end of its current window (epoch seconds); a
    different end starts the count again. Rows whose window has ended are purged once a minute per process.

    Writers take turns on an exclusive lock of a file beside the database (`flock`: the kernel wakes the next
    one as soon as the lock is free) before SQLite's own lock: SQLite's busy handler instead sleeps and
    retries, from 1 ms up, which at 16 concurrent API requests over two workers cut their rate by half.

    The same file keeps `core.tally`'s counts on the embedded default (`add`, `take`, `done`)."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS rate_counts "
        "(bucket TEXT PRIMARY KEY, window_end INTEGER NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID"
    )
    UPSERT = (
        "INSERT INTO rate_counts (bucket, window_end, count) VALUES (?, ?, 1) ON CONFLICT (bucket) DO UPDATE SET "
        "count = CASE WHEN window_end = excluded.window_end THEN count + 1 ELSE 1 END, "
        "window_end = excluded.window_end RETURNING count"
    )
    TALLY_SCHEMA = (
        "CREATE TABLE IF NOT EXISTS tallies (bucket TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL, "
        "PRIMARY KEY (bucket, key)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS tallies_taken "
        "(token TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL)",
    )
    TALLY_ADD = ("INSERT INTO tallies (bucket, key, count) VALUES (?, ?, ?) "
                 "ON CONFLICT (bucket, key) DO UPDATE SET count = count + excluded.count")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # the threads of a process take turns here, not in SQLite's busy waits
        self._connection: sqlite3.Connection | None = None
        self._turns: int | None = None  # descriptor of the lock file
        self._pid = 0
        self._purged_minute = 0

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # one connection per process, never forked
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._turns = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600) if fcntl else None
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            # Set up in turn with the other processes' counts: switching to WAL takes the database whole, and
            # a worker starting under load would otherwise find it locked (a 500 seen in bench/kiosk.py).
            if self._turns is not None:
                fcntl.flock(self._turns, fcntl.LOCK_EX)
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # kept in the file once set
                    connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=OFF")
                for schema in (self.SCHEMA, *self.TALLY_SCHEMA):
                    connection.execute(schema)
            finally:
                if self._turns is not None:
                    fcntl.flock(self._turns, fcntl.LOCK_UN)
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    @contextlib.contextmanager
    def _turn(self) -> Iterator[sqlite3.Connection]:
        """The process's connection, this thread's and this process's turn (the file lock) held."""
        with self._lock:
            connection = self._connect()
            if self._turns is not None:
                fcntl.flock(self._turns, fcntl.LOCK_EX)
            try:
                yield connection
            finally:
                if self._turns is not None:
                    fcntl.flock(self._turns, fcntl.LOCK_UN)

    def hit(self, bucket: str, window_end: int, *, now: float | None = None) -> int:
        """Count one request of `bucket` in the window ending at `window_end`; the count so far in it."""
        now = time.time() if now is None else now
        with self._turn() as connection:
            (count,) = connection.execute(self.UPSERT, (bucket, window_end)).fetchone()
            minute = int(now // 60)
            if minute != self._purged_minute:
                self._purged_minute = minute
                connection.execute("DELETE FROM rate_counts WHERE window_end < ?", (int(now),))
        return count

    def count(self, bucket: str, window_end: int) -> int:
        """How many requests `bucket` has counted in the window ending at `window_end` (nothing is counted)."""
        with self._lock:
            row = self._connect().execute(
                "SELECT count FROM rate_counts WHERE bucket = ? AND window_end = ?", (bucket, window_end)
            ).fetchone()
        return row[0] if row else 0

    # tallies (core.tally): counts added without a window, taken away whole by a job

    def add(self, bucket: str, key: str, n: int = 1) -> None:
        with self._turn() as connection:
            connection.execute(self.TALLY_ADD, (bucket, key, n))

    def take(self, bucket: str, token: str) -> dict[str, dict[str, int]]:
        """Move `bucket`'s counts aside under `token` (one transaction); every batch taken and not yet done
        (this one and those a crash left), by token."""
        with self._turn() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("INSERT INTO tallies_taken (token, bucket, key, count) "
                                   "SELECT ?, bucket, key, count FROM tallies WHERE bucket = ?", (token, bucket))
                connection.execute("DELETE FROM tallies WHERE bucket = ?", (bucket,))
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            rows = connection.execute("SELECT token, key, count FROM tallies_taken WHERE bucket = ?",
                                      (bucket,)).fetchall()
        batches: dict[str, dict[str, int]] = {}
        for taken, key, count in rows:
            batches.setdefault(taken, {})[key] = count
        return batches

    def done(self, token: str) -> None:
        with self._turn() as connection:
            connection.execute("DELETE FROM tallies_taken WHERE token = ?", (token,))


_counters: dict[str, SqliteCounter] = {}


def counter() -> SqliteCounter | None:
    """The SqliteCounter next to the file cache, or None when the cache itself can count (Redis, memory)."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith("FileBasedCache"):
        return None
    found = _counters.get(config["LOCATION"])
    if found is None:
        path = Path(config["LOCATION"]) / "rate-limits.sqlite3"
        found = _counters[config["LOCATION"]] = SqliteCounter(path)
    return found


def hit(bucket: str, *, limit: int, period: int = 60) -> int | None:
    """Count a request in `bucket`; None while within `limit` per `period` seconds, else seconds to wait."""
    now = time.time()
    window_end = (int(now // period) + 1) * period
    key = f"{bucket}/{period}"
    shared = counter()
    if shared is not None:
        count = shared.hit(key, window_end, now=now)
    else:
        cache_key = f"rl:{key}:{window_end}"
        try:
            count = cache.incr(cache_key)  # the usual case: the window's counter exists
        except ValueError:  # the window's first request
            count = 1 if cache.add(cache_key, 1, timeout=period + 10) else cache.incr(cache_key)
    if count > limit:
        return max(1, window_end - int(now))
    return None


def peek(bucket: str, *, limit: int, period: int = 60) -> int | None:
    """Without counting: None while `bucket` may still be hit within `limit` per `period` seconds, else the
    seconds until its window ends (what the next `hit` would answer)."""
    now = time.time()
    window_end = (int(now // period) + 1) * period
    key = f"{bucket}/{period}"
    shared = counter()
    count = shared.count(key, window_end) if shared is not None else cache.get(f"rl:{key}:{window_end}", 0)
    if count >= limit:
        return max(1, window_end - int(now))
    return None
