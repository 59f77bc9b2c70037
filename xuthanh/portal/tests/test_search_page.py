"""The place list with a text query: the search index's ranking, paged over ids, one page of places loaded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuthanh.search import services as search

pytestmark = pytest.mark.django_db


def card_slugs(response) -> list[str]:
    return [place.slug for place in response.context["page"].object_list]


def test_the_best_match_comes_first(client):
    assert card_slugs(client.get("/vi/places/", {"q": "thanhnhaho"}))[0] == "thanh-nha-ho"


def test_pages_follow_the_search_ranking(client):
    ranked = [hit.slug for hit in search.search("thanh", kinds=["place"], limit=search.MAX_CANDIDATES).hits]
    assert len(ranked) > 24  # more than one page
    first, second = client.get("/vi/places/", {"q": "thanh"}), client.get("/vi/places/", {"q": "thanh", "page": 2})
    assert card_slugs(first) + card_slugs(second) == ranked[: len(card_slugs(first)) + len(card_slugs(second))]
    assert first.context["page"].paginator.count == len(ranked)


def test_filters_keep_the_ranking(client):
    ranked = [hit.slug for hit in search.search("den", kinds=["place"], limit=search.MAX_CANDIDATES).hits]
    shown = card_slugs(client.get("/vi/places/", {"q": "den", "kind": "attraction"}))
    assert shown and shown == [slug for slug in ranked if slug in set(shown)]


def test_its_query_count_does_not_depend_on_the_number_of_hits(client):
    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/vi/places/", {"q": query}).status_code == 200
        return len(captured.captured_queries)

    assert queries("den") == queries("thanh nha ho")
