"""/api/v1/offline/catalogue: the app's offline data in each language, ETag/304, the "changed since" cursor
(changes and every published id, so deletions and unpublishing reach the app) and JSON 4xx on bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from xuthanh.catalog.models import Event, Place
from xuthanh.core.models import Status
from xuthanh.mobile.offline import SCHEMA

pytestmark = pytest.mark.django_db
URL = "/api/v1/offline/catalogue"


def test_the_full_catalogue_has_every_published_place_event_and_specialty(client):
    data = client.get(URL, {"lang": "vi"}).json()
    assert data["version"] == SCHEMA and data["full"] is True and data["lang"] == "vi"
    published = set(Place.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True))
    assert {p["slug"] for p in data["places"]} == published == set(data["ids"]["places"])
    assert len(data["events"]) == Event.objects.filter(status=Status.PUBLISHED).count()
    citadel = next(p for p in data["places"] if p["slug"] == "thanh-nha-ho")
    assert citadel["name"] == "Thành nhà Hồ"
    assert "thanh nha ho" in citadel["text"]  # folded search text, as core.text.fold makes it
    assert citadel["commune_name"] and citadel["district"] == "Vĩnh Lộc"
    assert citadel["hours"]["rules"] and citadel["hours"]["text"]
    assert citadel["adult_vnd"] == 40000


@pytest.mark.parametrize(("lang", "expected"), [("en", "Citadel"), ("fr", "Citadelle"), ("zh-hans", "胡")])
def test_each_required_language_gets_its_names(client, lang, expected):
    data = client.get(URL, {"lang": lang}).json()
    citadel = next(p for p in data["places"] if p["slug"] == "thanh-nha-ho")
    assert data["lang"] == lang and expected in citadel["name"]


def test_events_carry_their_dates_for_the_next_twelve_months(client):
    data = client.get(URL, {"lang": "en"}).json()
    first, last = (dt.date.fromisoformat(d) for d in data["window"])
    assert first == timezone.localdate().replace(day=1) and (last - first).days >= 366
    lunar = [e for e in data["events"] if e["lunar"]]
    assert lunar, "the Thanh Hóa data has lunar festivals"
    for event in lunar:
        assert event["dates"], event["slug"]
        for start, end in event["dates"]:
            assert first <= dt.date.fromisoformat(end) and dt.date.fromisoformat(start) <= last


def test_a_one_off_edition_carries_its_last_day_and_recurring_ones_none(client):
    events = {e["slug"]: e for e in client.get(URL, {"lang": "en"}).json()["events"]}
    assert events["le-hoi-du-lich-bien-sam-son-2025"]["edition_end"] == "2025-04-26"
    assert events["le-hoi-lam-kinh"]["edition_end"] is None


def test_an_unchanged_catalogue_answers_304_to_its_etag(client):
    first = client.get(URL, {"lang": "fr"})
    assert first.status_code == 200 and first["ETag"]
    again = client.get(URL, {"lang": "fr"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other_language = client.get(URL, {"lang": "vi"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_language.status_code == 200


def test_since_the_cursor_only_changes_are_sent_and_the_etag_still_matches(client):
    full = client.get(URL, {"lang": "vi"})
    data = full.json()
    nothing = client.get(URL, {"lang": "vi", "since": data["cursor"]}).json()
    assert nothing["full"] is False and nothing["ids"] == data["ids"]
    cursor = dt.datetime.fromisoformat(data["cursor"])
    for name, model in (("places", Place), ("events", Event)):  # at most what changed at the cursor itself
        changed = model.objects.filter(status=Status.PUBLISHED, updated_at__gte=cursor)
        expected = set(changed.values_list("slug", flat=True))
        assert {item["slug"] for item in nothing[name]} == expected
    assert sum(len(nothing[name]) for name in ("places", "events", "specialties")) <= 3
    # The app sends its last ETag with its cursor: nothing changed, so nothing to download.
    assert client.get(URL, {"lang": "vi", "since": data["cursor"]}, HTTP_IF_NONE_MATCH=full["ETag"]).status_code == 304


def test_an_edit_an_unpublished_place_and_a_deletion_reach_the_app_through_the_cursor(client):
    data = client.get(URL, {"lang": "en"}).json()
    citadel = Place.objects.get(slug="thanh-nha-ho")
    citadel.set_current_language("en")
    citadel.summary = "Edited for the offline test"
    citadel.save()
    Place.objects.filter(slug="ga-thanh-hoa").update(status=Status.ARCHIVED, updated_at=timezone.now())
    gone = Place.objects.filter(status=Status.PUBLISHED).exclude(slug="thanh-nha-ho").exclude(events__isnull=False)
    gone = gone.exclude(tour_stops__isnull=False).first()
    gone_slug = gone.slug
    gone.delete()
    changes = client.get(URL, {"lang": "en", "since": data["cursor"]}).json()
    assert [p["slug"] for p in changes["places"]] == ["thanh-nha-ho"]
    assert changes["places"][0]["summary"] == "Edited for the offline test"
    assert "ga-thanh-hoa" not in changes["ids"]["places"] and gone_slug not in changes["ids"]["places"]
    assert len(changes["ids"]["places"]) == len(data["ids"]["places"]) - 2


def test_a_cursor_from_an_earlier_month_sends_every_event_again(client):
    last_month = timezone.now() - dt.timedelta(days=40)
    data = client.get(URL, {"lang": "vi", "since": last_month.isoformat()}).json()
    assert len(data["events"]) == len(data["ids"]["events"])


@pytest.mark.parametrize(
    "params",
    [{"since": "yesterday"}, {"since": "1970-01-01T00:00:00Z"}, {"since": "2999-01-01T00:00:00Z"}, {"lang": "xx"}],
)
def test_bad_parameters_are_a_json_422_with_a_message(client, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["message"].startswith("Invalid request")


def test_the_language_comes_from_accept_language_without_lang(client):
    data = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert data["lang"] == "fr"


def test_the_catalogue_of_the_real_data_is_small(client):
    sizes = {lang: len(client.get(URL, {"lang": lang}).content) for lang in ("vi", "en", "zh-hans", "fr")}
    assert sum(sizes.values()) < 5_000_000, sizes


def test_places_carry_only_their_reduced_photo_and_areas_count_its_bytes(client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from xuthanh.catalog.models import Photo
    from xuthanh.catalog.services import photo_make_small

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "#3a7").save(buffer, format="JPEG")
    citadel = Place.objects.get(slug="thanh-nha-ho")
    photo = Photo.objects.create(
        place=citadel, image=SimpleUploadedFile("citadel.jpg", buffer.getvalue()), author="Test", licence="CC0-1.0"
    )
    photo_make_small(photo)
    photo.refresh_from_db()
    data = client.get(URL, {"lang": "en"}).json()
    row = next(p for p in data["places"] if p["slug"] == "thanh-nha-ho")
    assert row["photo"] == photo.small.url and row["photo"].endswith(".webp")
    area = client.get("/api/v1/offline/area", {"place": "thanh-nha-ho"}).json()
    assert area["photos"] == [{"url": photo.small.url, "bytes": photo.small.size}]
    assert area["total_bytes_estimate"] == area["tile_bytes_estimate"] + photo.small.size
