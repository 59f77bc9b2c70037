"""core.tally: counts added by many threads and processes, taken away whole while others still add, each batch
offered again until it is done (a crash between taking and storing loses nothing). On the SQLite counts file
here, on Redis when TEST_REDIS_URL is set (.ci/run runs this file again so)."""

from __future__ import annotations

import multiprocessing
import threading
import uuid

import pytest

from xuthanh.core import tally


@pytest.fixture
def bucket() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def drain(bucket: str) -> dict[str, int]:
    total: dict[str, int] = {}
    for token, counts in tally.take(bucket).items():
        for key, n in counts.items():
            total[key] = total.get(key, 0) + n
        tally.done(bucket, token)
    return total


def test_counts_add_up_and_are_taken_once(bucket: str) -> None:
    tally.add(bucket, "a")
    tally.add(bucket, "a", 4)
    tally.add(bucket, "b")
    assert drain(bucket) == {"a": 5, "b": 1}
    assert drain(bucket) == {}  # taken and done: gone
    tally.add(bucket, "a")
    assert drain(bucket) == {"a": 1}


def test_a_batch_not_done_is_offered_again_with_its_token(bucket: str) -> None:
    tally.add(bucket, "a", 3)
    first = tally.take(bucket)
    [(token, counts)] = first.items()
    assert counts == {"a": 3}
    tally.add(bucket, "a")  # counted after the take: the next batch
    again = tally.take(bucket)
    assert again[token] == {"a": 3} and sum(c.get("a", 0) for c in again.values()) == 4
    for done in again:
        tally.done(bucket, done)
    assert tally.take(bucket) == {}


def test_buckets_are_apart(bucket: str) -> None:
    tally.add(bucket, "a")
    tally.add(bucket + "-other", "a", 7)
    assert drain(bucket) == {"a": 1}
    assert drain(bucket + "-other") == {"a": 7}


def test_adds_from_many_threads_while_taking_are_all_counted(bucket: str) -> None:
    stop = threading.Event()
    taken: dict[str, int] = {}

    def add() -> None:
        for _ in range(300):
            tally.add(bucket, "k")

    def take() -> None:
        while not stop.is_set():
            for key, n in drain(bucket).items():
                taken[key] = taken.get(key, 0) + n

    taker = threading.Thread(target=take)
    taker.start()
    adders = [threading.Thread(target=add) for _ in range(8)]
    for t in adders:
        t.start()
    for t in adders:
        t.join()
    stop.set()
    taker.join()
    for key, n in drain(bucket).items():
        taken[key] = taken.get(key, 0) + n
    assert taken == {"k": 2400}


def _add_in_a_process(bucket: str, n: int) -> None:
    import django

    django.setup()
    from xuthanh.core import tally as shared

    for _ in range(n):
        shared.add(bucket, "p")


def test_adds_from_several_processes_are_all_counted(bucket: str) -> None:
    """The workers of a server are processes: each opens the shared file (or Redis) itself."""
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_add_in_a_process, args=(bucket, 200)) for _ in range(3)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0]
    assert drain(bucket) == {"p": 600}
