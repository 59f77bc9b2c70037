"""/healthz (the process answers) and /readyz (database, cache, queue) as a monitor reads them."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_each_check_and_is_never_cached(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["database"]["vendor"] == connection.vendor
    assert body["checks"]["cache"]["ok"]
    queue = body["checks"]["queue"]
    assert queue["ok"] and queue["mode"] == "in-process" and queue["pending"] == 0  # tests run jobs at once
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_a_503_naming_what_failed_when_the_database_does_not_answer(client, monkeypatch):
    from xuthanh.core import health

    def broken() -> dict:
        raise ConnectionRefusedError("no database")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "ConnectionRefusedError",
                                                     "ms": response.json()["checks"]["database"]["ms"]}
