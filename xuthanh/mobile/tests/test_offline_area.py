"""/api/v1/offline/area: what downloading a commune or a site takes (places, reduced photos, map tiles)."""

import pytest

from xuthanh.mobile.offline import MAX_TILES, TILE_BYTES_ESTIMATE, tiles_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/offline/area"


@pytest.fixture(autouse=True)
def own_tile_server(settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"


def test_no_tiles_are_offered_from_the_public_openstreetmap_server(client, settings):
    settings.MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    data = client.get(URL, {"place": "thanh-nha-ho"}).json()
    assert data["tiles"] == [] and data["tile_bytes_estimate"] == 0
    assert data["places"][0] == "thanh-nha-ho"
    settings.MAP_TILES_OFFLINE = "1"  # a deployment whose tile agreement allows it may still say so
    assert client.get(URL, {"place": "thanh-nha-ho"}).json()["tiles"]


def test_a_site_lists_its_places_and_the_tiles_around_it(client):
    data = client.get(URL, {"place": "thanh-nha-ho", "lang": "en"}).json()
    assert data["kind"] == "site" and data["key"] == "thanh-nha-ho" and "Citadel" in data["name"]
    assert data["places"][0] == "thanh-nha-ho"
    south, west, north, east = data["bbox"]
    assert south < 20.08 < north and west < 105.6 < east
    assert 0 < len(data["tiles"]) <= MAX_TILES
    assert {z for z, _x, _y in data["tiles"]} <= {12, 13, 14, 15}
    assert data["tile_bytes_estimate"] == len(data["tiles"]) * TILE_BYTES_ESTIMATE
    assert data["total_bytes_estimate"] == data["tile_bytes_estimate"] + data["photo_bytes"]
    assert "{z}" in data["tile_url"]


def test_a_commune_lists_all_its_published_places(client):
    site = client.get(URL, {"place": "thanh-nha-ho"}).json()
    place = client.get("/api/v1/places/thanh-nha-ho").json()
    data = client.get(URL, {"commune": place["commune"]["code"]}).json()
    assert data["kind"] == "commune" and data["name"] == place["commune"]["name"]
    assert "thanh-nha-ho" in data["places"] and site["tiles"]


def test_tiles_stay_under_the_cap_for_a_large_box():
    tiles = tiles_for((19.0, 104.5, 20.6, 106.1), (11, 12, 13, 14))
    assert 0 < len(tiles) <= MAX_TILES


@pytest.mark.parametrize(
    ("params", "status"),
    [({}, 422), ({"commune": 1, "place": "thanh-nha-ho"}, 422), ({"commune": "abc"}, 422),
     ({"place": "no such place"}, 422), ({"place": "no-such-place"}, 404), ({"commune": 99999}, 404)],
)
def test_bad_or_unknown_areas_are_json_errors(client, params, status):
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["message"]
