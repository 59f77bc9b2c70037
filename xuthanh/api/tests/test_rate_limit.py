"""Rate-limit counters (core.ratelimit, used by the API, trip planning and sign-ups): exact across worker
processes next to the file cache, a new window starts from one, ended windows are purged."""

import multiprocessing
import sqlite3

import pytest
from django.core.cache import cache
from django.test import override_settings

from xuthanh.api.services import forget_clients
from xuthanh.core.ratelimit import SqliteCounter, counter

pytestmark = pytest.mark.django_db
NOW = 1_800_000_010.0  # 10 s into a minute
END = 1_800_000_060  # the end of that minute


@pytest.fixture
def file_cache(tmp_path):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    with override_settings(CACHES=caches):
        forget_clients()
        yield tmp_path / "cache"
        cache.clear()
    forget_clients()


def _hammer(path, bucket, window_end, times, queue):
    shared = SqliteCounter(path)  # this process's own connection, as in another gunicorn worker
    queue.put([shared.hit(bucket, window_end, now=NOW) for _ in range(times)])


def test_two_connections_count_into_the_same_bucket(tmp_path):
    first, second = SqliteCounter(tmp_path / "rl.sqlite3"), SqliteCounter(tmp_path / "rl.sqlite3")
    counts = [first.hit("ip:1.2.3.4", END, now=NOW), second.hit("ip:1.2.3.4", END, now=NOW)]
    assert counts + [first.hit("ip:1.2.3.4", END, now=NOW)] == [1, 2, 3]
    assert second.hit("ip:5.6.7.8", END, now=NOW) == 1


def test_two_processes_lose_no_count(tmp_path):
    path = tmp_path / "rl.sqlite3"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_hammer, args=(path, "client:7", END, 300, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    counts = queue.get(timeout=60) + queue.get(timeout=60)
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(counts) == list(range(1, 601))  # every count handed out exactly once
    assert SqliteCounter(path).hit("client:7", END, now=NOW) == 601


def test_a_new_window_starts_from_one_and_ended_windows_are_purged(tmp_path):
    shared = SqliteCounter(tmp_path / "rl.sqlite3")
    for _ in range(5):
        shared.hit("ip:1.2.3.4", END, now=NOW)
    shared.hit("ip:9.9.9.9", END, now=NOW)
    assert shared.hit("ip:1.2.3.4", END + 60, now=NOW + 60) == 1  # the next minute
    shared.hit("ip:1.2.3.4", END + 120, now=NOW + 120)
    rows = sqlite3.connect(tmp_path / "rl.sqlite3").execute("SELECT bucket, window_end FROM rate_counts")
    assert rows.fetchall() == [("ip:1.2.3.4", END + 120)]


def test_next_to_the_file_cache_the_api_limit_counts_in_the_shared_file(client, file_cache):
    assert counter() is not None and counter().path.parent == file_cache
    with override_settings(API_ANONYMOUS_PER_MINUTE=3, PAGE_CACHE_SECONDS=60):
        answers = [client.get("/api/v1/tours") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[-1]["X-Page-Cache"] == "hit"  # cached answers are counted too
        limited = client.get("/api/v1/tours")
    assert limited.status_code == 429 and limited.json()["detail"] == "rate_limited"
    rows = sqlite3.connect(file_cache / "rate-limits.sqlite3").execute("SELECT bucket, count FROM rate_counts")
    assert rows.fetchall() == [("api:ip:127.0.0.1/60", 4)]


def test_with_the_local_memory_cache_the_cache_counts(client):
    assert counter() is None
    with override_settings(API_ANONYMOUS_PER_MINUTE=2):
        cache.clear()
        assert [client.get("/api/v1/tours").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()
