"""What every feed shares: conditional requests (304), caching headers, open CORS, 400 for bad parameters."""

import pytest

from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db
FEEDS = [
    "/feeds/places.geojson",
    "/feeds/events.ics",
    "/feeds/news.rss",
    "/feeds/news.atom",
    "/widgets/events",
]


@pytest.mark.parametrize("url", FEEDS + ["/widgets/places"])
def test_it_answers_304_when_the_copy_is_current(client, url):
    first = client.get(url, {"lang": "en"})
    assert first.status_code == 200
    assert first["ETag"] and first["Cache-Control"].startswith("public, max-age=")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["Content-Language"] == "en"
    again = client.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Access-Control-Allow-Origin"] == "*"
    other_language = client.get(url, {"lang": "fr"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_language.status_code == 200


def test_a_change_gives_a_new_etag(client):
    first = client.get("/feeds/places.geojson")
    place = Place.objects.get(slug="thanh-nha-ho")
    place.popularity = 1
    place.save()
    assert client.get("/feeds/places.geojson", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_language_defaults_to_accept_language(client):
    response = client.get("/feeds/places.geojson", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en" and "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("/feeds/places.geojson", {"lang": "xx"}, "Unknown language in “lang”; use one of vi, en, zh-hans, fr."),
        ("/feeds/places.geojson", {"lang": "<script>alert(1)</script>"}, "Unknown language in “lang”"),
        ("/feeds/places.geojson", {"kind": "castle"}, "Unknown value of “kind”; use one of attraction,"),
        ("/feeds/places.geojson", {"category": "moon"}, "Unknown value of “category”"),
        ("/feeds/places.geojson", {"commune": "abc"}, "official commune/ward code"),
        ("/feeds/places.geojson", {"former_district": "x" * 61}, "longer than 60"),
        ("/feeds/events.ics", {"commune": "99999"}, "No commune or ward of Thanh Hóa has the code 99999"),
        ("/feeds/events.ics", {"tag": "<b>"}, "Unknown interest in “tag”"),
        ("/feeds/events.ics", {"kind": "attraction"}, "Unknown value of “kind”"),
        ("/feeds/news.rss", {"commune": "1e5"}, "official commune/ward code"),
        ("/feeds/news.atom", {"lang": "klingon"}, "Unknown language"),
        ("/widgets/events", {"limit": "21"}, "from 1 to 20"),
        ("/widgets/places", {"limit": "0"}, "from 1 to 20"),
        ("/widgets/places", {"limit": "ten"}, "from 1 to 20"),
    ],
)
def test_bad_parameters_get_a_plain_400(client, url, params, message):
    """The answer names the parameter and what it takes; it never repeats what was sent (#16)."""
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()
    sent = next(iter(params.values()))
    assert sent not in response.content.decode() or sent.isdigit()  # a code may be named: "… the code 99999"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_feeds_are_read_only(client):
    assert client.post("/feeds/places.geojson").status_code == 405
