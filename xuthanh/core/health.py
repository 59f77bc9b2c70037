"""What a monitor asks an app server: /healthz (the process answers: for the proxy's and systemd's liveness
checks, touches nothing) and /readyz (it can serve: the database answers, the cache keeps a value, and how many
background jobs wait in the queue, a figure to alert on when it only grows)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _timed(check: Any) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # a monitor wants the failure's name, not a 500
        return {"ok": False, "error": type(exc).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return {"ok": True, **(detail or {}), "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    kept = cache.get(key) == value
    cache.delete(key)
    if not kept:
        raise RuntimeError("the cache did not keep a value")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _queue() -> dict:
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return {"mode": "in-process", "pending": 0}
    return {"mode": type(HUEY).__name__, "pending": HUEY.pending_count(), "scheduled": HUEY.scheduled_count()}


def readiness() -> tuple[bool, dict]:
    """Each check's outcome and time; ready when the database and the cache work (a queue that cannot be read
    is reported, but the pages still serve)."""
    checks = {"database": _timed(_database), "cache": _timed(_cache), "queue": _timed(_queue)}
    return checks["database"]["ok"] and checks["cache"]["ok"], checks


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    ready, checks = readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
