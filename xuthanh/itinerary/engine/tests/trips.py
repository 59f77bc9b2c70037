"""A seeded random multi-day trip for the engine tests."""

from __future__ import annotations

import random

from xuthanh.itinerary.engine import Candidate, Day, Problem


def random_trip(seed: int, *, n: int = 30, days: int = 3, **extra) -> Problem:
    """A small multi-day trip in minutes: a hotel at location 0, places with one or two
    opening intervals per day (some closed on some days), tickets and tags."""
    rng = random.Random(seed)
    pts = [(rng.uniform(0, 40), rng.uniform(0, 40)) for _ in range(n + 1)]
    travel = [
        [int(abs(ax - bx) + abs(ay - by)) + (0 if i == j else 5) for j, (bx, by) in enumerate(pts)]
        for i, (ax, ay) in enumerate(pts)
    ]
    for i in range(n + 1):
        travel[i][i] = 0
    cands = []
    for i in range(1, n + 1):
        windows = []
        for _ in range(days):
            roll = rng.random()
            if roll < 0.15:
                windows.append([])
            elif roll < 0.4:
                windows.append([(480, 660), (840, 1020)])
            else:
                o = rng.randrange(480, 900)
                windows.append([(o, o + rng.randrange(30, 300))])
        tags = frozenset({"food"}) if i % 7 == 0 else frozenset({"museum"})
        cands.append(
            Candidate(
                str(i),
                i,
                float(rng.randint(1, 10)),
                rng.randrange(15, 90),
                windows,
                cost=rng.choice([0, 0, 20, 50]),
                tags=tags,
            )
        )
    day_list = [Day(0, 0, 480, 1140) for _ in range(days)]
    return Problem(candidates=cands, days=day_list, travel=travel, **extra)
