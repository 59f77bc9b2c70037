"""The OpenAPI document is valid, and a schema-driven fuzzer (schemathesis) finds no server error and no answer
that contradicts the document in any operation: every GET, and the writes (planning and re-planning trips) with
a real trip's edit token in the path so that they reach the planner. Requests go through the whole Django WSGI
stack (middleware included) in-process, against the test database with the Thanh Hóa data."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

OPENAPI_URL = "/api/v1/openapi.json"
EXAMPLES_PER_OPERATION = 30


def load_schema(method: str = "GET") -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi(OPENAPI_URL, WSGIHandler()).include(method=method)


# Loaded at collection, to make one test per operation (the document itself needs no database).
# `schemathesis.pytest.from_fixture` would load it inside a test, but does not work with pytest 9.
schema = load_schema()
writes = load_schema("POST")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ_SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,  # the same cases on every run and machine
    database=None,  # nothing written to .hypothesis/
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def api_under_test(db, settings):
    """The WSGI app over the test database, unthrottled."""
    settings.API_ANONYMOUS_PER_MINUTE = 1_000_000  # the fuzzer is not a client to throttle
    cache.clear()
    # As Django's test client does: a request must not close the connection holding the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_openapi_document_is_valid_and_lists_every_get_operation(api_under_test):
    document = load_schema()
    document.validate()  # against the OpenAPI meta-schema of the document's version; raises if invalid
    assert document.raw_schema["openapi"].startswith("3.")
    operations = {result.ok().label for result in document.get_all_operations()}
    assert {
        "GET /api/v1/places",
        "GET /api/v1/places/{slug}",
        "GET /api/v1/events",
        "GET /api/v1/search",
    } <= operations
    assert len(operations) >= 10


@schema.parametrize()
@FUZZ_SETTINGS
def test_get_operations_answer_without_server_errors_and_as_documented(api_under_test, case):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def a_trip(api_under_test, monkeypatch, settings):
    """A stored trip whose edit token the write operations get in their path; plans searched briefly."""
    from xuthanh.itinerary import api as trips_api
    from xuthanh.itinerary import services

    monkeypatch.setattr(trips_api, "TIME_LIMIT", 0.05)
    monkeypatch.setattr(trips_api, "ANSWER_SECONDS", 0.3)
    settings.TRIP_PLANS_PER_MINUTE = 1_000_000
    return services.trip_create(
        request={
            "start_date": "2030-05-06",
            "end_date": "2030-05-07",
            "start": {"place": "cang-hang-khong-tho-xuan"},
            "end": {"place": "ga-thanh-hoa"},
            "lang": "en",
        },
        time_limit=0.05,
    )


@writes.parametrize()
@FUZZ_SETTINGS
def test_write_operations_answer_without_server_errors_and_as_documented(a_trip, case):
    if case.path_parameters and "token" in case.path_parameters:
        case.path_parameters["token"] = a_trip.edit_token
    case.call_and_validate(checks=CHECKS)


def test_every_operation_documents_the_guards_answers_and_a_bad_body(api_under_test, client):
    """401 (unknown key) and 429 (rate limit) can answer any operation, 400 any body that is not JSON: the
    document says so, with the error body's schema, and the answers have that shape."""
    document = client.get(OPENAPI_URL).json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "429"} | ({"400"} if "requestBody" in operation else set())
            assert expected | {"414"} <= set(operation["responses"]), (method, path)
            assert "content" not in operation["responses"]["414"]  # the server's or the proxy's own page
            for status in expected:
                content = operation["responses"][status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
    bad = client.post("/api/v1/trips", data=b"{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"] == "unparsable_body" and bad.json()["message"]
    unknown = client.get("/api/v1/places", HTTP_X_API_KEY="no-such-key")
    assert unknown.status_code == 401 and set(unknown.json()) == {"detail", "message"}
