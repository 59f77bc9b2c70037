"""core.ratelimit: fixed windows per bucket, the wait until the next window, buckets independent."""

import pytest
from django.core.cache import cache

from xuthanh.core import ratelimit


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    now = {"t": 1_800_000_010.0}  # 10 s into a minute
    monkeypatch.setattr(ratelimit.time, "time", lambda: now["t"])
    cache.clear()
    yield now
    cache.clear()


def test_requests_within_the_limit_pass_and_the_next_waits_for_the_window(clock):
    assert [ratelimit.hit("a", limit=2) for _ in range(2)] == [None, None]
    assert ratelimit.hit("a", limit=2) == 50
    assert ratelimit.hit("b", limit=2) is None  # another bucket is counted apart
    clock["t"] += 50  # the next minute
    assert ratelimit.hit("a", limit=2) is None


def test_longer_periods(clock):
    assert ratelimit.hit("signup:1.2.3.4", limit=1, period=3600) is None
    wait = ratelimit.hit("signup:1.2.3.4", limit=1, period=3600)
    assert 1 <= wait <= 3600


@pytest.mark.parametrize("shared", [False, True])
def test_peek_says_what_the_next_hit_would_without_counting(clock, shared, tmp_path, settings):
    """`peek` answers as the next `hit` would, and counts nothing; in the locmem cache and in the SQLite file
    that the workers of the embedded set-up share."""
    if shared:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
        }
    assert ratelimit.peek("p", limit=2) is None
    assert [ratelimit.hit("p", limit=2) for _ in range(2)] == [None, None]
    assert ratelimit.peek("p", limit=2) == 50 and ratelimit.peek("p", limit=2) == 50  # counting nothing
    assert ratelimit.peek("p", limit=3) is None and ratelimit.hit("p", limit=3) is None
    if shared:
        assert ratelimit.counter() is not None  # it was the SQLite counter


def _start_and_count(path: str, start: object, hits: int) -> None:
    from pathlib import Path

    from xuthanh.core.ratelimit import SqliteCounter

    start.wait()  # type: ignore[attr-defined] - every process opens the new file at once
    counter = SqliteCounter(Path(path))
    for _ in range(hits):
        counter.hit("burst", 10**10)


def test_processes_starting_at_once_count_every_request(tmp_path):
    """Workers that start under load set the file up in turn (switching to WAL takes the database whole): no
    "database is locked", and the count is exact."""
    import multiprocessing

    from xuthanh.core.ratelimit import SqliteCounter

    context = multiprocessing.get_context("fork")
    start = context.Event()
    path = tmp_path / "counts.sqlite3"
    workers = [context.Process(target=_start_and_count, args=(str(path), start, 50)) for _ in range(8)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(30)
    assert [w.exitcode for w in workers] == [0] * 8
    assert SqliteCounter(path).count("burst", 10**10) == 400
