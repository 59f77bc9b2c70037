"""The kiosk screen's pages: every section in every language for each named location, "you are here" and the
places near it, today's and this week's events, onward travel estimates with the location's sourced note,
search without accents, a place handed to the phone as a QR code, and no link that leaves the kiosk."""

from __future__ import annotations

import re
from typing import Any

import pytest

from xuthanh.kiosks import services

pytestmark = pytest.mark.django_db
SECTIONS = ["", "near/", "near/food/", "near/accommodation/",
            "events/", "onward/", "search/?q=lam%20kinh", "help/", "place/thanh-nha-ho/"]


@pytest.fixture
def locations(db: Any) -> int:
    return services.locations_load()


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_every_section_answers_in_every_language_and_never_links_out(locations: int, client: Any, lang: str) -> None:
    for location in ("tho-xuan", "na-meo"):
        for section in SECTIONS:
            response = client.get(f"/kiosk/{lang}/{location}/{section}")
            page = response.content.decode()
            assert response.status_code == 200, (location, section)
            assert f'<html lang="{lang}">' in page
            outside = [href for href in re.findall(r'<a [^>]*href="([^"]+)"', page) if not href.startswith("/kiosk/")]
            assert outside == [], (section, outside)  # external links are QR codes, never navigation


def test_near_here_starts_from_the_location_and_onward_gives_the_sourced_note(locations: int, client: Any) -> None:
    near = client.get("/kiosk/en/na-meo/near/").content.decode()
    assert '"here": {"lat": 20.29687, "lon": 104.62238}' in near
    onward = client.get("/kiosk/en/tho-xuan/onward/").content.decode()
    assert "33 km south-east of the airport" in onward and "eAIP" in onward
    assert "Citadel of the Hồ Dynasty" in onward and "min" in onward


def test_search_needs_no_accents_and_a_place_goes_to_the_phone_by_qr(locations: int, client: Any) -> None:
    found = client.get("/kiosk/vi/tho-xuan/search/?q=thanh nha ho").content.decode()
    assert "/kiosk/vi/tho-xuan/place/thanh-nha-ho/" in found
    page = client.get("/kiosk/en/tho-xuan/place/thanh-nha-ho/").content.decode()
    assert "<svg" in page and "Xứ Thanh app" in page
    assert client.get("/kiosk/en/tho-xuan/place/nowhere/").status_code == 404
    assert client.get("/kiosk/xx/tho-xuan/").status_code == 404
    assert client.get("/kiosk/en/nowhere/").status_code == 404


def test_the_help_page_gives_the_emergency_numbers(locations: int, client: Any) -> None:
    page = client.get("/kiosk/fr/ga-thanh-hoa/help/").content.decode()
    assert all(number in page for number in ("113", "114", "115", "112"))


def test_the_set_up_screen_and_the_worker(client: Any) -> None:
    assert 'id="enrol"' in client.get("/kiosk/").content.decode()
    worker = client.get("/kiosk/sw.js")
    assert worker["Content-Type"].startswith("text/javascript") and "networkFirst" in worker.content.decode()


def test_the_days_events_and_the_attract_loop_show_the_festivals(locations: int, client: Any,
                                                                 monkeypatch: Any) -> None:
    import datetime as dt

    from django.utils import translation

    from xuthanh.catalog import selectors as catalog
    from xuthanh.kiosks import views

    with translation.override("en"):
        start, _end, event = catalog.upcoming_events(dt.date(2026, 12, 7), limit=1)[0]
        name = event.safe_translation_getter("name", any_language=True)
    monkeypatch.setattr(views.timezone, "localdate", lambda: start)
    page = client.get("/kiosk/en/tho-xuan/events/").content.decode()
    assert name in page.split("<h2>")[1]  # under "Today"
    assert name in client.get("/kiosk/en/tho-xuan/").content.decode()  # and in the attract loop


def test_a_tours_360_scenes_show_full_screen_on_the_kiosk_without_a_way_out(locations: int, client: Any) -> None:
    from xuthanh.core.csp import script_hash
    from xuthanh.guide import services as guide

    guide.tours_load()
    guide.scenes_load(width=2048)
    place = client.get("/kiosk/en/tho-xuan/place/thanh-nha-ho/").content.decode()
    assert "/kiosk/en/tho-xuan/360/thanh-nha-ho/" in place
    response = client.get("/kiosk/en/tho-xuan/360/thanh-nha-ho/")
    page = response.content.decode()
    importmap = re.search(r'<script type="importmap">(.*?)</script>', page, re.S).group(1)
    assert response.status_code == 200 and f"'{script_hash(importmap)}'" in response["Content-Security-Policy"]
    assert "guide/pano.js" in page and page.count('data-scene="') == 3
    outside = [h for h in re.findall(r'<a [^>]*href="([^"]+)"', page) if not h.startswith(("/kiosk/", "?scene="))]
    assert outside == []
    assert client.get("/kiosk/en/tho-xuan/360/bien-sam-son/").status_code == 404  # no scenes


def test_a_places_kiosk_page_gives_its_hours_today_and_its_tickets(locations: int, client: Any) -> None:
    from xuthanh.catalog.models import Place, TicketPrice

    place = Place.objects.get(slug="thanh-nha-ho")
    page = client.get("/kiosk/en/tho-xuan/place/thanh-nha-ho/").content.decode()
    facts = page.split('class="kiosk-facts"')[1].split("</dl>")[0]
    assert "Opening hours" in facts and ("Open now" in facts or "Closed now" in facts)
    assert "07:00–17:30" in facts  # every day (Mo-Su 07:00-17:30, from the catalogue)
    assert TicketPrice.objects.filter(place=place, price_vnd=40000).exists()
    assert "Tickets" in facts and "40,000" in facts and "Adult" in facts


def test_near_here_by_kind_of_place(locations: int, client: Any) -> None:
    from xuthanh.catalog.models import Place

    page = client.get("/kiosk/en/tho-xuan/near/attraction/").content.decode()
    listed = re.findall(r'/kiosk/en/tho-xuan/place/([a-z0-9-]+)/', page)
    assert listed and set(Place.objects.filter(slug__in=listed).values_list("kind", flat=True)) == {"attraction"}
    assert 'aria-current="page">Attraction<' in page
    assert '/kiosk/vi/tho-xuan/near/attraction/' in page  # the language links keep the kind
    assert client.get("/kiosk/en/tho-xuan/near/transport/").status_code == 404
    assert client.get("/kiosk/en/tho-xuan/near/nonsense/").status_code == 404
