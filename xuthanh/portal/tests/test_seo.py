"""Search engines: hreflang alternates, canonical URLs, OpenGraph, JSON-LD and /sitemap.xml."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db
LANGS = ["vi", "en", "zh-hans", "fr"]
SITE = "http://127.0.0.1:8000"
OG = {"vi": "vi_VN", "en": "en_US", "zh-hans": "zh_CN", "fr": "fr_FR"}


def get(client, lang: str, name: str, *args, **params) -> str:
    with translation.override(lang):
        response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def jsonld(body: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "name,args",
    [
        ("portal:home", []),
        ("portal:place_list", []),
        ("portal:place_detail", ["thanh-nha-ho"]),
        ("portal:event_list", []),
        ("portal:specialty_list", []),
        ("portal:place_map", []),
        ("portal:about", []),
    ],
)
def test_every_page_has_hreflang_canonical_and_opengraph(client, lang, name, args):
    body = get(client, lang, name, *args)
    with translation.override(lang):
        path = reverse(name, args=args)
    assert f'<link rel="canonical" href="{SITE}{path}">' in body
    assert f'<meta property="og:url" content="{SITE}{path}">' in body
    assert f'<meta property="og:locale" content="{OG[lang]}">' in body
    for other in LANGS:
        with translation.override(other):
            other_path = reverse(name, args=args)
        assert f'<link rel="alternate" hreflang="{other}" href="{SITE}{other_path}">' in body
        assert f'hreflang="{other}" lang="{other}"' in body  # the language switcher
    assert f'<link rel="alternate" hreflang="x-default" href="{SITE}/{path.split("/", 2)[2]}">' in body
    assert '<meta property="og:title"' in body and '<meta property="og:description"' in body


def test_x_default_redirects_to_a_language(client):
    response = client.get("/places/lam-kinh/", headers={"accept-language": "fr"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/places/lam-kinh/"


def test_canonical_keeps_the_month_but_not_filters(client):
    body = get(client, "en", "portal:event_list", month="2027-02")
    assert f'<link rel="canonical" href="{SITE}/en/events/?month=2027-02">' in body
    body = get(client, "en", "portal:place_list", kind="food", q="pho")
    assert f'<link rel="canonical" href="{SITE}/en/places/">' in body


@pytest.mark.parametrize(
    "slug,schema_type",
    [
        ("lam-kinh", "TouristAttraction"),
        ("cang-hang-khong-tho-xuan", "Airport"),
        ("ga-thanh-hoa", "TrainStation"),
    ],
)
def test_place_json_ld_has_type_geo_and_hours(client, slug, schema_type):
    data = jsonld(get(client, "en", "portal:place_detail", slug))
    place = Place.objects.get(slug=slug)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
    assert data["address"]["addressCountry"] == "VN"
    assert data["url"] == f"{SITE}/en/places/{slug}/"
    if slug == "lam-kinh":
        assert data["openingHours"] == ["Mo-Su 07:00-17:30"]
    if slug == "ga-thanh-hoa":
        assert data["openingHours"] == ["Mo-Su"]


def test_lodging_and_food_get_their_own_types(client):
    hotel = Place.objects.filter(kind="accommodation", status="published").first()
    restaurant = Place.objects.filter(kind="food", status="published").first()
    assert jsonld(get(client, "en", "portal:place_detail", hotel.slug))["@type"] == "LodgingBusiness"
    assert jsonld(get(client, "en", "portal:place_detail", restaurant.slug))["@type"] == "FoodEstablishment"


def test_event_and_specialty_json_ld(client):
    event = jsonld(get(client, "en", "portal:event_detail", "le-hoi-lam-kinh"))
    assert event["@type"] == "Festival"
    assert event["name"] == "Lam Kinh Festival"
    assert re.match(r"\d{4}-\d{2}-\d{2}$", event["startDate"])
    assert event["location"]["geo"]["@type"] == "GeoCoordinates"
    product = jsonld(get(client, "en", "portal:specialty_detail", "nem-chua-thanh-hoa"))
    assert product["@type"] == "Product"


def test_json_ld_cannot_be_broken_out_of(client):
    place = Place.objects.get(slug="lam-kinh")
    place.set_current_language("en")
    place.name = "Lam </script><script>alert(1)</script> <!-- & Kinh"
    place.save()
    body = get(client, "en", "portal:place_detail", "lam-kinh")
    assert "<script>alert(1)</script>" not in body
    assert jsonld(body)["name"] == "Lam </script><script>alert(1)</script> <!-- & Kinh"


def test_sitemap_lists_every_published_place_in_every_language(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    published = Place.objects.filter(status="published")
    for lang in LANGS:
        for slug in ("lam-kinh", "thanh-nha-ho"):
            assert f"<loc>{SITE}/{lang}/places/{slug}/</loc>" in body
        assert f'hreflang="{lang}" href="{SITE}/{lang}/places/lam-kinh/"' in body
        assert f"<loc>{SITE}/{lang}/events/le-hoi-lam-kinh/</loc>" in body
        assert f"<loc>{SITE}/{lang}/map/</loc>" in body
    assert body.count("/places/") >= published.count() * len(LANGS)
    assert 'hreflang="x-default"' in body


def test_sitemap_leaves_out_drafts(client):
    Place.objects.filter(slug="lam-kinh").update(status="draft")
    assert "/places/lam-kinh/" not in client.get("/sitemap.xml").content.decode()
