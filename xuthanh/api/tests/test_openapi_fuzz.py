"""The OpenAPI document is valid, and a schema-driven fuzzer (schemathesis) finds no server error and no answer
that contradicts the document in any GET operation. Requests go through the whole Django WSGI stack (middleware
included) in-process, against the test database with the Thanh Hóa data."""

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


def load_schema() -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi(OPENAPI_URL, WSGIHandler()).include(method="GET")


# Loaded at collection, to make one test per operation (the document itself needs no database).
# `schemathesis.pytest.from_fixture` would load it inside a test, but does not work with pytest 9.
schema = load_schema()


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
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,  # the same cases on every run and machine
    database=None,  # nothing written to .hypothesis/
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_get_operations_answer_without_server_errors_and_as_documented(api_under_test, case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
