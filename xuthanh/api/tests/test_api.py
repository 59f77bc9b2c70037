"""The open API: languages, filters, pagination, conditional requests, JSON errors, keys, limits, CORS."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from xuthanh.api.models import ApiClient
from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from xuthanh.api.services import forget_clients

    cache.clear()
    forget_clients()
    yield
    cache.clear()
    forget_clients()


def get(client, url, **headers):
    return client.get(url, **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})


def test_place_list_in_each_required_language(client):
    for lang, expected in (("vi", "Thành nhà Hồ"), ("zh-hans", "胡"), ("fr", "Citadelle"), ("en", "Citadel")):
        data = client.get("/api/v1/places", {"q": "thanh nha ho", "lang": lang}).json()
        assert data["count"] >= 1
        first = data["results"][0]
        assert first["slug"] == "thanh-nha-ho"
        assert expected in first["name"], (lang, first["name"])
        assert first["lang"] == lang


def test_language_from_accept_language_and_fallback_reported(client):
    data = get(client, "/api/v1/places/ga-thanh-hoa", Accept_Language="fr").json()
    assert data["lang"] in ("fr", "en", "vi")
    from xuthanh.catalog.models import Specialty

    translations = Specialty._parler_meta.root_model.objects
    translations.filter(language_code="zh-hans", master__slug="nem-chua-thanh-hoa").delete()
    specialty = client.get("/api/v1/specialties", {"lang": "zh-hans", "page_size": 100}).json()["results"]
    fallback = [s for s in specialty if s["lang"] != "zh-hans"]  # falls back to English, and says so
    assert [(s["slug"], s["lang"]) for s in fallback] == [("nem-chua-thanh-hoa", "en")]


def test_filters_and_pagination(client):
    beaches = client.get("/api/v1/places", {"category": "beach", "page_size": 100}).json()
    assert beaches["count"] >= 3 and all(p["category"] == "beach" for p in beaches["results"])
    vinh_loc = client.get("/api/v1/places", {"former_district": "vinh loc", "page_size": 100}).json()
    assert "thanh-nha-ho" in {p["slug"] for p in vinh_loc["results"]}
    page2 = client.get("/api/v1/places", {"page_size": 5, "page": 2}).json()
    assert page2["page"] == 2 and len(page2["results"]) == 5


def test_near_me_sorts_by_distance(client):
    data = client.get("/api/v1/places", {"near": "20.0778,105.6047", "radius_km": 10}).json()
    distances = [p["distance_km"] for p in data["results"]]
    assert data["results"][0]["slug"] == "thanh-nha-ho"
    assert distances == sorted(distances) and distances[-1] <= 10


def test_place_detail_has_practical_information(client):
    data = client.get("/api/v1/places/thanh-nha-ho", {"lang": "en"}).json()
    assert data["opening_hours"] and isinstance(data["open_now"], bool)
    assert data["tickets"][0]["price_vnd"] > 0
    assert data["translations"]["vi"] == "reviewed"


def test_events_have_solar_dates_of_lunar_festivals(client):
    data = client.get("/api/v1/events", {"from": "2027-01-01", "to": "2027-12-31", "page_size": 100}).json()
    lam_kinh = next(e for e in data["results"] if e["slug"] == "le-hoi-lam-kinh")
    assert lam_kinh["lunar_month"] == 8 and lam_kinh["next"]["start"].startswith("2027-09")
    starts = [e["next"]["start"] for e in data["results"]]
    assert starts == sorted(starts)


def test_etag_gives_304_until_something_changes(client):
    first = client.get("/api/v1/places", {"kind": "attraction"})
    etag = first["ETag"]
    assert first.status_code == 200 and first["Last-Modified"]
    again = get(client, "/api/v1/places?kind=attraction", If_None_Match=etag)
    assert again.status_code == 304
    place = Place.objects.get(slug="lam-kinh")
    place.popularity = 99
    place.save()
    changed = get(client, "/api/v1/places?kind=attraction", If_None_Match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/places?page=0",
        "/api/v1/places?page_size=1000",
        "/api/v1/places?near=abc",
        "/api/v1/places?lang=xx",
        "/api/v1/events?from=2027-02-30",
        "/api/v1/events?from=2027-05-01&to=2027-01-01",
        "/api/v1/places?radius_km=-1",
        "/api/v1/places?near=48.85,2.35",
        "/api/v1/places?commune=notanumber",
        # found by fuzzing: each of these was a 500 (on PostgreSQL for the NUL characters)
        "/api/v1/places?near=1" + "0" * 400 + ",1",
        "/api/v1/events?from=0001-01-01&to=0002-01-01",
        "/api/v1/events?from=9999-12-01",
        "/api/v1/events?from=0",  # not 1 January 1970 (a number of seconds)
        "/api/v1/events?to=1700000000",
        "/api/v1/places?tag=%00",
        "/api/v1/places?former_district=a%00",
        "/api/v1/search?q=a&kind=place&category=%00",
        "/api/v1/autocomplete?q=%00",
        "/api/v1/places/%00",
        "/api/v1/tours/a%20b",
    ],
)
def test_malformed_input_gives_a_json_4xx_with_a_message(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"]


def test_unknown_slugs_are_404_json(client):
    for url in (
        "/api/v1/places/nope",
        "/api/v1/events/nope",
        "/api/v1/specialties/nope",
        "/api/v1/tours/nope",
    ):
        response = client.get(url)
        assert response.status_code == 404 and "message" in response.json()


def test_drafts_are_not_served(client):
    Place.objects.filter(slug="lam-kinh").update(status="draft")
    assert client.get("/api/v1/places/lam-kinh").status_code == 404


@override_settings(API_ANONYMOUS_PER_MINUTE=3)
def test_anonymous_rate_limit_and_partner_key(client):
    for _ in range(3):
        assert client.get("/api/v1/tours").status_code == 200
    limited = client.get("/api/v1/tours")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    partner = ApiClient(name="Xã Tây Đô", requests_per_minute=100)
    key = partner.issue_key()
    partner.save()
    assert get(client, "/api/v1/tours", X_Api_Key=key).status_code == 200
    assert get(client, "/api/v1/tours", X_Api_Key="xt_wrong").status_code == 401


def test_cors_only_for_registered_partner_origins(client):
    partner = ApiClient(name="Đại học Hồng Đức", origins="https://hdu.edu.vn\n")
    partner.issue_key()
    partner.save()
    allowed = get(client, "/api/v1/places", Origin="https://hdu.edu.vn")
    assert allowed["Access-Control-Allow-Origin"] == "https://hdu.edu.vn"
    other = get(client, "/api/v1/places", Origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_openapi_document_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/places", "/api/v1/places/{slug}", "/api/v1/events", "/api/v1/tours"} <= set(
        schema["paths"]
    )
    assert client.get("/api/v1/docs").status_code == 200


def test_search_endpoint_ranks_and_explains(client):
    data = client.get("/api/v1/search", {"q": "thanhnhaho", "lang": "en"}).json()
    assert data["results"][0]["slug"] == "thanh-nha-ho"
    assert data["interpreted"] == ["thanh", "nha", "ho"]
    assert data["facets"]["kind"]["place"] >= 1


def test_autocomplete_endpoint(client):
    data = client.get("/api/v1/autocomplete", {"q": "pu lu", "lang": "fr"}).json()
    assert data[0]["slug"] in ("pu-luong", "tour-trekking-pu-luong-3n-mau")
    assert client.get("/api/v1/autocomplete").status_code == 422


def test_events_at_the_edges_of_the_calendar_range(client):
    for query in ({"from": "1900-01-01", "to": "1900-12-31"}, {"from": "2199-12-01"}):
        assert client.get("/api/v1/events", query).status_code == 200, query


def test_openapi_lists_languages_and_documents_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    places = schema["paths"]["/api/v1/places"]["get"]
    lang = next(p for p in places["parameters"] if p["name"] == "lang")
    assert lang["schema"]["anyOf"][0]["enum"] == ["vi", "en", "zh-hans", "fr"]
    assert {"200", "304", "422"} <= set(places["responses"])
    assert {"200", "404", "422"} <= set(schema["paths"]["/api/v1/places/{slug}"]["get"]["responses"])


def test_a_disabled_key_stops_working_once_the_back_office_saves_it(client, people):
    partner = ApiClient(name="Trường Đại học Văn hóa", requests_per_minute=100)
    key = partner.issue_key()
    partner.save()
    assert get(client, "/api/v1/tours", X_Api_Key=key).status_code == 200
    ApiClient.objects.filter(pk=partner.pk).update(is_active=False)
    assert get(client, "/api/v1/tours", X_Api_Key=key).status_code == 200  # remembered for a few seconds
    client.force_login(people["admin"])
    client.post(
        f"/admin/api/apiclient/{partner.pk}/change/",
        {"name": partner.name, "organisation": "", "origins": "", "requests_per_minute": "100"},
    )
    client.logout()
    assert get(client, "/api/v1/tours", X_Api_Key=key).status_code == 401


def test_places_carry_their_first_photo_with_its_credit_in_lists_and_detail(client):
    """#15 item 2: once a place has a photo, partners get it too."""
    from django.core.files.base import ContentFile

    from xuthanh.catalog.models import Photo, Place
    from xuthanh.core.tests.test_images import jpeg_with_exif

    citadel = Place.objects.get(slug="thanh-nha-ho")
    Photo.objects.create(
        place=citadel, image=ContentFile(jpeg_with_exif(gps=False), name="c.jpg"), author="Lê Văn B",
        licence="CC-BY-4.0", width=800, height=600,
    )
    listed = {p["slug"]: p for p in client.get("/api/v1/places?page_size=100&lang=en").json()["results"]}
    assert listed["thanh-nha-ho"]["photo"]["author"] == "Lê Văn B"
    assert listed["thanh-nha-ho"]["photo"]["licence"] == "CC BY 4.0" and listed["thanh-nha-ho"]["photo"]["width"] == 800
    assert listed["lam-kinh"]["photo"] is None
    detail = client.get("/api/v1/places/thanh-nha-ho?lang=en").json()
    assert detail["photo"]["url"].endswith(".jpg") and detail["photos"][0]["author"] == "Lê Văn B"
