"""Public pages in every required language, unaccented search, drafts hidden."""

import pytest
from django.urls import reverse
from django.utils import translation

from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_pages_answer_in_each_language(client, lang):
    with translation.override(lang):
        for name in ("portal:home", "portal:place_list", "portal:event_list", "portal:specialty_list"):
            response = client.get(reverse(name))
            assert response.status_code == 200, name
            assert f'lang="{lang}"' in response.content.decode()
        response = client.get(reverse("portal:place_detail", args=["thanh-nha-ho"]))
        assert response.status_code == 200


def test_place_page_shows_translated_name_and_opening_state(client):
    with translation.override("zh-hans"):
        body = client.get(reverse("portal:place_detail", args=["thanh-nha-ho"])).content.decode()
    assert "胡朝城" in body or "胡" in body
    assert "open" in body.lower() or "开" in body


def test_search_without_accents(client):
    with translation.override("vi"):
        body = client.get(reverse("portal:place_list"), {"q": "thanh nha ho"}).content.decode()
    assert "Thành nhà Hồ" in body


def test_drafts_are_hidden_from_the_public(client):
    place = Place.objects.get(slug="lam-kinh")
    place.status = "draft"
    place.save()
    with translation.override("en"):
        assert client.get(reverse("portal:place_detail", args=["lam-kinh"])).status_code == 404
        assert client.get(reverse("portal:place_detail", args=["no-such-place"])).status_code == 404


def test_hostile_query_strings_do_not_break_pages(client):
    with translation.override("en"):
        for params in (
            {"q": "<script>alert(1)</script>"},
            {"kind": "'; DROP TABLE"},
            {"page": "9999"},
            {"q": "x" * 5000},
        ):
            response = client.get(reverse("portal:place_list"), params)
            assert response.status_code == 200
            assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_leads_to_the_planner_and_offers_the_app_with_a_qr_code(client, settings):
    """#15 item 8: no way into the planner but the menu, and the app was never offered."""
    settings.SITE_URL = "https://dulich.example.vn"
    body = client.get("/fr/").content.decode()
    main = body.split("<main", 1)[1]
    assert '<a class="button" href="/fr/trips/plan/">Planifier un voyage</a>' in main
    assert '<a class="button" href="https://dulich.example.vn/app/">' in main
    qr = main.split('class="qr wide-only">', 1)[1].split("</figure>", 1)[0]
    assert qr.startswith("<svg") and "<script" not in qr
