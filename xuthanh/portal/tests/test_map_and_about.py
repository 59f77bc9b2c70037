"""The map page (usable without JavaScript), its compact JSON, and the agency's /about/ page."""

import pytest
from django.urls import reverse
from django.utils import translation

from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


def test_the_map_page_lists_every_published_place_without_javascript(client):
    with translation.override("en"):
        body = client.get(reverse("portal:place_map")).content.decode()
    assert '<div id="places-map" class="map map-large" hidden' in body
    assert 'id="place-index"' in body
    published = Place.objects.filter(status="published").count()
    assert body.count('<li data-kind="') == published
    assert 'href="/en/places/lam-kinh/"' in body
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in body
    assert 'data-points="/en/map/places.json"' in body


def test_the_map_filters_by_kind_without_javascript(client):
    with translation.override("en"):
        body = client.get(reverse("portal:place_map"), {"kind": "transport"}).content.decode()
    transport = Place.objects.filter(status="published", kind="transport").count()
    assert body.count('<li data-kind="transport"') == transport == body.count('<li data-kind="')
    assert 'data-points="/en/map/places.json?kind=transport"' in body


def test_map_points_are_compact_and_translated(client):
    with translation.override("fr"):
        data = client.get(reverse("portal:map_points"), {"kind": "transport"}).json()
    assert data["count"] == len(data["places"]) > 0
    airport = next(p for p in data["places"] if p["slug"] == "cang-hang-khong-tho-xuan")
    assert airport == {
        "slug": "cang-hang-khong-tho-xuan",
        "name": "Aéroport de Thọ Xuân",
        "kind": "transport",
        "lat": 19.9025,
        "lon": 105.46917,
        "url": "/fr/places/cang-hang-khong-tho-xuan/",
        "approx": 1000,  # checked against the aviation publication, but only to ±1 km: an area, not a pin
    }


def test_drafts_are_not_on_the_map(client):
    Place.objects.filter(slug="lam-kinh").update(status="draft")
    with translation.override("en"):
        data = client.get(reverse("portal:map_points")).json()
    assert "lam-kinh" not in {p["slug"] for p in data["places"]}


@pytest.mark.parametrize("lang,heading", [("vi", "Giới thiệu cổng thông tin"), ("en", "About this portal")])
def test_about_page_names_the_department_and_its_address(client, lang, heading):
    with translation.override(lang):
        body = client.get(reverse("portal:about")).content.decode()
    assert heading in body
    assert "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa" in body
    assert "Số 35 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa" in body
    assert "https://svhttdl.thanhhoa.gov.vn" in body
    assert "Ban Quản lý Di tích lịch sử Lam Kinh" in body
    assert "tel:" not in body  # no phone number in the data, none invented


def test_pages_have_landmarks_skip_link_and_labelled_navigation(client):
    with translation.override("en"):
        body = client.get(reverse("portal:home")).content.decode()
    assert '<a class="skip" href="#main">' in body and '<main id="main"' in body
    assert '<nav aria-label="Main">' in body and '<nav class="lang" aria-label="Language">' in body
    assert 'hreflang="en" lang="en" aria-current="true"' in body
    assert "When to go" in body and "Pù Luông" in body
