"""`/api/v1/places?q=` answers from the search index: the same places, in the same order, as `/search`."""

import pytest

pytestmark = pytest.mark.django_db


def slugs(data: dict) -> list[str]:
    return [item["slug"] for item in data["results"]]


@pytest.mark.parametrize("query", ["thanhnhaho", "thanh nah ho", "Thành nhà Hồ", "胡朝城"])
def test_it_finds_the_citadel_however_it_is_typed(client, query):
    data = client.get("/api/v1/places", {"q": query}).json()
    assert slugs(data)[0] == "thanh-nha-ho", (query, slugs(data)[:3])


def test_it_lists_the_places_of_the_search_endpoint_in_its_order(client):
    search = client.get("/api/v1/search", {"q": "den", "kind": "place", "page_size": 100}).json()
    places = client.get("/api/v1/places", {"q": "den", "page_size": 100}).json()
    assert places["count"] == search["count"] > 3
    assert slugs(places) == slugs(search)


def test_filters_narrow_the_ranked_places_and_pages_follow_the_ranking(client):
    everything = slugs(client.get("/api/v1/places", {"q": "den", "page_size": 100}).json())
    temples = client.get("/api/v1/places", {"q": "den", "category": "temple", "page_size": 100}).json()
    assert slugs(temples) == [s for s in everything if s in set(slugs(temples))]
    assert all(p["category"] == "temple" for p in temples["results"])
    second = client.get("/api/v1/places", {"q": "den", "page_size": 2, "page": 2}).json()
    assert slugs(second) == everything[2:4] and second["count"] == len(everything)


def test_open_now_and_near_apply_to_the_ranked_places(client):
    near = client.get("/api/v1/places", {"q": "den", "near": "19.8067,105.7768", "radius_km": 30}).json()
    distances = [p["distance_km"] for p in near["results"]]
    assert distances == sorted(distances) and all(d <= 30 for d in distances)
    ranked = set(slugs(client.get("/api/v1/places", {"q": "den", "page_size": 100}).json()))
    assert set(slugs(near)) <= ranked
    open_now = client.get("/api/v1/places", {"q": "den", "open_now": "true", "page_size": 100}).json()
    assert all(p["open_now"] for p in open_now["results"]) and set(slugs(open_now)) <= ranked


def test_nothing_found_is_an_empty_page(client):
    data = client.get("/api/v1/places", {"q": "zzzzqqq"}).json()
    assert data["count"] == 0 and data["results"] == []
