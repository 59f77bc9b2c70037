"""/feeds/places.geojson: a FeatureCollection of published places, filtered, in the requested language."""

import json

import pytest
from django.conf import settings

from xuthanh.areas.boundary import in_province
from xuthanh.catalog.models import Place
from xuthanh.core.models import Status

pytestmark = pytest.mark.django_db
URL = "/feeds/places.geojson"


def features(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    return {f["properties"]["slug"]: f for f in data["features"]}


def test_it_lists_every_published_place_with_its_point_and_properties(client):
    found = features(client, lang="en")
    published = Place.objects.filter(status=Status.PUBLISHED)
    assert set(found) == set(published.values_list("slug", flat=True))
    citadel = found["thanh-nha-ho"]
    place = Place.objects.get(slug="thanh-nha-ho")
    assert citadel["geometry"] == {"type": "Point", "coordinates": [place.lon, place.lat]}  # lon first
    assert set(citadel["properties"]) == {"slug", "name", "kind", "category", "url", "lang", "is_sample", "photo"}
    assert citadel["properties"]["is_sample"] is False
    assert "Citadel" in citadel["properties"]["name"] and citadel["properties"]["lang"] == "en"
    assert citadel["properties"]["url"] == f"{settings.SITE_URL}/en/places/thanh-nha-ho/"
    for feature in found.values():
        lon, lat = feature["geometry"]["coordinates"]
        assert in_province(lat, lon), feature["id"]


def test_it_speaks_the_requested_language_and_reports_fallbacks(client):
    assert "胡" in features(client, lang="zh-hans")["thanh-nha-ho"]["properties"]["name"]
    assert features(client, lang="vi")["thanh-nha-ho"]["properties"]["name"] == "Thành nhà Hồ"
    served = {f["properties"]["lang"] for f in features(client, lang="fr").values()}
    assert served <= {"fr", "en", "vi"}


def test_it_filters_by_kind_category_tag_commune_and_former_district(client, commune_sam_son):
    beaches = features(client, category="beach")
    assert beaches and all(f["properties"]["category"] == "beach" for f in beaches.values())
    attractions = features(client, kind="attraction")
    assert attractions and all(f["properties"]["kind"] == "attraction" for f in attractions.values())
    history = features(client, tag="history")
    assert set(history) == set(
        Place.objects.filter(status=Status.PUBLISHED, tags__slug="history").values_list("slug", flat=True)
    )
    sam_son = features(client, commune=str(commune_sam_son.code))
    assert "bien-sam-son" in sam_son
    assert set(sam_son) == set(
        Place.objects.filter(status=Status.PUBLISHED, commune=commune_sam_son).values_list("slug", flat=True)
    )
    assert "thanh-nha-ho" in features(client, former_district="vinh loc")
    assert "bien-sam-son" not in features(client, former_district="Vĩnh Lộc")


def test_drafts_are_left_out(client):
    Place.objects.filter(slug="thanh-nha-ho").update(status=Status.DRAFT)
    assert "thanh-nha-ho" not in features(client)


def test_a_place_with_a_photo_carries_it_with_its_credit(client):
    """#15 item 2: when a photo exists it is used everywhere, the partners' feed included."""
    from django.core.files.base import ContentFile

    from xuthanh.catalog.models import Photo
    from xuthanh.core.tests.test_images import jpeg_with_exif

    citadel = Place.objects.get(slug="thanh-nha-ho")
    Photo.objects.create(
        place=citadel, image=ContentFile(jpeg_with_exif(gps=False), name="c.jpg"), author="Lê Văn B",
        licence="CC-BY-4.0",
    )
    found = features(client, lang="en")
    photo = found["thanh-nha-ho"]["properties"]["photo"]
    assert photo["url"].startswith("http") and photo["url"].endswith(".jpg")
    assert photo["author"] == "Lê Văn B" and photo["licence"] == "CC BY 4.0"
    assert found["lam-kinh"]["properties"]["photo"] is None
