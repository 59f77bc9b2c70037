"""The anonymous page cache: hits, invalidation by any catalogue write, and what is never cached."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache():
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    cache.clear()


def test_second_anonymous_request_is_served_from_the_cache(client):
    first = client.get("/en/places/thanh-nha-ho/")
    second = client.get("/en/places/thanh-nha-ho/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content


def test_any_catalogue_write_makes_pages_stale(client):
    client.get("/api/v1/places/lam-kinh?lang=en")
    place = Place.objects.get(slug="lam-kinh")
    place.visit_minutes = 123
    place.save()
    fresh = client.get("/api/v1/places/lam-kinh?lang=en")
    assert fresh["X-Page-Cache"] == "miss" and fresh.json()["visit_minutes"] == 123


def test_languages_are_cached_apart(client):
    english = client.get("/api/v1/places/lam-kinh", HTTP_ACCEPT_LANGUAGE="en").json()["name"]
    french = client.get("/api/v1/places/lam-kinh", HTTP_ACCEPT_LANGUAGE="fr").json()["name"]
    assert english != french


def test_a_cached_api_answer_still_honours_if_none_match(client):
    etag = client.get("/api/v1/places?kind=attraction")["ETag"]
    again = client.get("/api/v1/places?kind=attraction", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_signed_in_users_and_errors_are_not_cached(client, people):
    client.get("/en/places/no-such-place/")
    assert "X-Page-Cache" not in client.get("/en/places/no-such-place/")
    client.force_login(people["dept_editor"])
    assert "X-Page-Cache" not in client.get("/en/places/thanh-nha-ho/")


def test_rate_limits_still_apply_to_cached_answers(client):
    with override_settings(API_ANONYMOUS_PER_MINUTE=2):
        assert client.get("/api/v1/tours").status_code == 200
        assert client.get("/api/v1/tours")["X-Page-Cache"] == "hit"
        assert client.get("/api/v1/tours").status_code == 429
