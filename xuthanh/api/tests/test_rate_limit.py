"""The API rate limit's counters: exact across worker processes next to the file cache, reset each minute."""

import multiprocessing
import sqlite3

import pytest
from django.core.cache import cache
from django.test import override_settings

from xuthanh.api.services import SqliteCounter, forget_clients, rate_counter

pytestmark = pytest.mark.django_db


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


def _hammer(path, bucket, minute, times, queue):
    counter = SqliteCounter(path)  # this process's own connection, as in another gunicorn worker
    queue.put([counter.hit(bucket, minute) for _ in range(times)])


def test_two_connections_count_into_the_same_bucket(tmp_path):
    first, second = SqliteCounter(tmp_path / "rl.sqlite3"), SqliteCounter(tmp_path / "rl.sqlite3")
    assert [first.hit("ip:1.2.3.4", 100), second.hit("ip:1.2.3.4", 100), first.hit("ip:1.2.3.4", 100)] == [1, 2, 3]
    assert second.hit("ip:5.6.7.8", 100) == 1


def test_two_processes_lose_no_count(tmp_path):
    path = tmp_path / "rl.sqlite3"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_hammer, args=(path, "client:7", 42, 300, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    counts = queue.get(timeout=60) + queue.get(timeout=60)
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(counts) == list(range(1, 601))  # every count handed out exactly once
    assert SqliteCounter(path).hit("client:7", 42) == 601


def test_a_new_minute_starts_from_one_and_old_rows_are_purged(tmp_path):
    counter = SqliteCounter(tmp_path / "rl.sqlite3")
    for _ in range(5):
        counter.hit("ip:1.2.3.4", 10)
    counter.hit("ip:9.9.9.9", 10)
    assert counter.hit("ip:1.2.3.4", 11) == 1
    counter.hit("ip:1.2.3.4", 12)
    rows = sqlite3.connect(tmp_path / "rl.sqlite3").execute("SELECT bucket, minute FROM api_rate").fetchall()
    assert rows == [("ip:1.2.3.4", 12)]


def test_next_to_the_file_cache_the_limit_counts_in_the_shared_file(client, file_cache):
    assert rate_counter() is not None and rate_counter().path.parent == file_cache
    with override_settings(API_ANONYMOUS_PER_MINUTE=3, PAGE_CACHE_SECONDS=60):
        answers = [client.get("/api/v1/tours") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[-1]["X-Page-Cache"] == "hit"  # cached answers are counted too
        limited = client.get("/api/v1/tours")
    assert limited.status_code == 429 and limited.json()["detail"] == "rate_limited"
    rows = sqlite3.connect(file_cache / "api-rate-limits.sqlite3").execute("SELECT bucket, count FROM api_rate")
    assert rows.fetchall() == [("ip:127.0.0.1", 4)]


def test_with_the_local_memory_cache_the_cache_counts(client):
    assert rate_counter() is None
    with override_settings(API_ANONYMOUS_PER_MINUTE=2):
        cache.clear()
        assert [client.get("/api/v1/tours").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()
