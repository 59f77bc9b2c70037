"""The place page: map that degrades to coordinates and links, nearby places, travel estimates, photos."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Photo, Place

pytestmark = pytest.mark.django_db


def page(client, slug: str, lang: str = "en") -> str:
    with translation.override(lang):
        response = client.get(reverse("portal:place_detail", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_nearby_excludes_the_place_itself_and_is_within_10_km():
    place = Place.objects.get(slug="lam-kinh")
    nearby = selectors.places_nearby(place, radius_km=10)
    assert nearby
    assert place not in [other for other, _km in nearby]
    assert all(km <= 10 for _other, km in nearby)
    assert [km for _o, km in nearby] == sorted(km for _o, km in nearby)


def test_the_page_lists_nearby_places(client):
    body = page(client, "lam-kinh")
    assert "Nearby places" in body
    section = body.split('id="h-nearby"')[1]
    assert 'href="/en/places/lam-kinh/"' not in section
    assert "/en/places/dap-bai-thuong/" in section


def test_travel_estimate_from_the_airport_and_the_station():
    place = Place.objects.get(slug="lam-kinh")
    estimates = {e.hub.slug: e for e in selectors.travel_from_hubs(place)}
    assert set(estimates) == {"cang-hang-khong-tho-xuan", "ga-thanh-hoa"}
    station = estimates["ga-thanh-hoa"]
    assert 35 < station.straight_km < 45
    assert station.road_km == pytest.approx(station.straight_km * 1.3)
    assert station.minutes == pytest.approx(station.road_km / 40 * 60, abs=5)


def test_a_hub_is_not_a_route_to_itself():
    airport = Place.objects.get(slug="cang-hang-khong-tho-xuan")
    assert [e.hub.slug for e in selectors.travel_from_hubs(airport)] == ["ga-thanh-hoa"]


def test_the_page_says_how_to_get_there_and_that_it_is_an_estimate(client):
    body = page(client, "lam-kinh")
    assert "How to get there" in body
    assert "Estimate only" in body
    assert "openstreetmap.org/directions" in body
    assert 'href="geo:19.926080,105.406720' in body


def test_the_map_degrades_to_coordinates_and_a_link(client):
    body = page(client, "lam-kinh", "fr")
    assert "19.92608, 105.40672" in body  # not localised to 19,926 in French
    assert "openstreetmap.org/?mlat=19.926080" in body
    assert '<div id="place-map" class="map map-small" hidden' in body  # shown only by the script
    assert "/static/vendor/leaflet/leaflet.js" in body and " defer" in body
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in body


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_photos_show_credits_and_alt_text_and_feed_og_image(client):
    place = Place.objects.get(slug="lam-kinh")
    photo = Photo(place=place, author="Nguyễn Văn A", licence=Photo.Licence.CC_BY)
    photo.image.save("lam-kinh.png", ContentFile(_png()), save=False)
    photo.set_current_language("en")
    photo.alt_text = "The Lam Kinh main hall"
    photo.caption = "Main hall"
    photo.save()
    body = page(client, "lam-kinh")
    assert 'alt="The Lam Kinh main hall"' in body
    assert "Nguyễn Văn A, CC BY 4.0" in body
    assert '<meta property="og:image" content="http://127.0.0.1:8000/media/photos/' in body


def test_list_cards_show_the_first_photo_with_its_credit_else_the_artwork(client):
    """#15 item 2: cards had no visual at all."""
    citadel = Place.objects.get(slug="thanh-nha-ho")
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (120, 90, 60)).save(buffer, "JPEG")
    photo = Photo.objects.create(
        place=citadel, image=ContentFile(buffer.getvalue(), name="citadel.jpg"), author="Lê Văn B",
        licence="CC-BY-4.0", width=1200, height=800,
    )
    with translation.override("en"):
        body = client.get(reverse("portal:place_list")).content.decode()
    card = body.split('href="/en/places/thanh-nha-ho/"', 1)[0].rsplit("<li>", 1)[1]
    assert f'<img src="{photo.image.url}" alt="" width="1200" height="800" loading="lazy"' in card
    assert "© Lê Văn B · CC BY 4.0" in card
    other = body.split('href="/en/places/lam-kinh/"', 1)[0].rsplit("<li>", 1)[1]
    assert 'class="card-visual art" src="/static/xuthanh/art/citadel' in other and 'width="320" height="180"' in other
