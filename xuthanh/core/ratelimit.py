"""Fixed-window request counters in the configured cache (file cache embedded, Redis at scale).

`hit("trips:ip:1.2.3.4", limit=10)` counts one request in the current minute and answers None, or the
seconds to wait when the limit is passed. Used for public writes that cost (trip planning, sign-up).
"""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(bucket: str, *, limit: int, period: int = 60) -> int | None:
    """Count a request in `bucket`; None while within `limit` per `period` seconds, else seconds to wait."""
    now = time.time()
    window = int(now // period)
    key = f"rl:{bucket}:{window}"
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        count = 1 if cache.add(key, 1, timeout=period + 10) else cache.incr(key)
    if count > limit:
        return max(1, period - int(now % period))
    return None
