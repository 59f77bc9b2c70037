"""The place list pages in SQL: the same answers as slicing the whole list, with a query count that does not
depend on how many places there are (bench/web.py measures it at 100,000 places)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_it_pages_like_the_whole_list(client):
    everything = client.get("/api/v1/places", {"page_size": 100}).json()
    for page in (1, 2, 3):
        data = client.get("/api/v1/places", {"page_size": 7, "page": page}).json()
        assert data["count"] == everything["count"]
        expected = everything["results"][(page - 1) * 7 : page * 7]
        assert [p["slug"] for p in data["results"]] == [p["slug"] for p in expected]


def test_a_page_past_the_end_is_empty_with_the_count(client):
    data = client.get("/api/v1/places", {"page_size": 100, "page": 50}).json()
    assert data["results"] == [] and data["count"] > 0


def test_its_query_count_does_not_grow_with_the_page_size(client):
    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/places", {"page_size": page_size}).status_code == 200
        return len(captured.captured_queries)

    assert queries(2) == queries(40)


def test_open_now_and_near_still_filter_in_python(client):
    near = client.get("/api/v1/places", {"near": "19.8067,105.7768", "radius_km": 5, "page_size": 100}).json()
    distances = [p["distance_km"] for p in near["results"]]
    assert distances == sorted(distances) and all(d <= 5 for d in distances)
    assert near["count"] == len(near["results"])
    open_now = client.get("/api/v1/places", {"open_now": "true", "page_size": 100}).json()
    assert all(p["open_now"] for p in open_now["results"])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "attraction"},
        {"category": "temple"},
        {"tag": "history"},
        {"kind": "attraction", "tag": "history"},
        {"commune": "commune-of-lam-kinh"},
        {"kind": "attraction", "tag": "history", "commune": "commune-of-lam-kinh"},
    ],
)
def test_each_filter_pages_the_orm_list_with_its_validators(client, params):
    """Kind, category, interest and commune lists read a page, its size and latest change in one prepared
    query: the places, the count, the ETag and Last-Modified are the queryset's, on every page and past the
    end."""
    from django.core.cache import cache

    from xuthanh.api.services import queryset_validators
    from xuthanh.catalog import selectors
    from xuthanh.catalog.models import Place

    cache.clear()  # the anonymous rate limit counts every request of the parameters before
    if params.get("commune"):
        params = {**params, "commune": Place.objects.get(slug="lam-kinh").commune.code}
    qs = selectors.place_search(
        kind=params.get("kind", ""),
        category=params.get("category", ""),
        tag=params.get("tag", ""),
        commune_code=params.get("commune"),
    )
    ordered = list(qs.values_list("slug", flat=True))
    assert ordered, params
    for page in range(1, -(-len(ordered) // 5) + 2):
        response = client.get("/api/v1/places", {**params, "page_size": 5, "page": page, "lang": "en"})
        data = response.json()
        assert [p["slug"] for p in data["results"]] == ordered[(page - 1) * 5 : page * 5]
        assert data["count"] == len(ordered)
        shape = (
            '{"page":%d,"page_size":5,"lang":"en","q":"","kind":%s,"category":%s,"tag":"%s","commune":%s,'
            '"former_district":"","open_now":false,"near":"","radius_km":20.0}'
        )
        json_of = lambda v: "null" if v is None else (f'"{v}"' if isinstance(v, str) else str(v))  # noqa: E731
        etag, modified, _count = queryset_validators(
            qs,
            "en",
            shape % (page, json_of(params.get("kind")), json_of(params.get("category")), params.get("tag", ""),
                     json_of(params.get("commune"))),
        )
        assert (response["ETag"], response["Last-Modified"]) == (etag, modified), page
        assert client.get("/api/v1/places", {**params, "page_size": 5, "page": page, "lang": "en"},
                          HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_unknown_commune_lists_nothing(client):
    data = client.get("/api/v1/places", {"commune": 99999999}).json()
    assert data["count"] == 0 and data["results"] == []
