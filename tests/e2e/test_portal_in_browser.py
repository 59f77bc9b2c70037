"""A visitor's paths through the portal in a real browser: switching language, searching without accents,
reading a place, the map (with and without Leaflet; tiles never load here) and the events calendar."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.e2e.browser import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What the switcher must show in each language: <html lang>, the home heading, the "Places" menu item.
HOME = {
    "vi": ("Khám phá Thanh Hóa", "Địa điểm"),
    "en": ("Discover Thanh Hóa", "Places"),
    "zh-hans": ("探索清化", "地点"),
    "fr": ("Découvrir Thanh Hóa", "Lieux"),
}


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_the_language_switcher_goes_from_vietnamese_to_english_chinese_and_french(page):
    page.goto("/vi/")
    for lang in ("vi", "en", "zh-hans", "fr"):
        if lang != "vi":
            page.locator(f'nav.lang a[hreflang="{lang}"]').click()
            page.wait_for_url(f"**/{lang}/")
        heading, places = HOME[lang]
        assert html_lang(page) == lang
        assert page.locator("h1").inner_text() == heading
        assert page.locator("header.site nav").first.get_by_role("link", name=places, exact=True).is_visible()
        assert page.locator(f'nav.lang a[hreflang="{lang}"]').get_attribute("aria-current") == "true"


def test_a_search_without_accents_finds_the_citadel_and_opens_its_page(page):
    page.goto("/vi/")
    page.get_by_role("searchbox").fill("thanh nha ho")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url(re.compile(r"/vi/places/\?q=thanh\+nha\+ho"))
    first = page.locator("ul.cards li a").first
    assert first.inner_text() == "Thành nhà Hồ"
    first.click()
    page.wait_for_url("**/vi/places/thanh-nha-ho/")
    assert page.locator("h1").inner_text() == "Thành nhà Hồ"
    assert page.locator("#h-practical").is_visible()
    assert re.fullmatch(r"20\.\d+, 105\.\d+", page.locator(".coords").inner_text())
    assert page.locator(".nearby a").count() >= 1
    if page.request.get("/static/vendor/leaflet/leaflet.js").ok:  # a checked point: a pin, whose image loads
        page.locator("#place-map img.leaflet-marker-icon").wait_for(state="visible")
        wait_for(page, "document.querySelector('#place-map img.leaflet-marker-icon').naturalWidth > 0")


def test_the_map_page_lists_places_and_adds_the_map_when_leaflet_is_served(page):
    page.goto("/en/map/")
    items = page.locator("#place-index li")
    assert items.count() >= 10  # the list works with or without a map
    assert page.get_by_role("status").inner_text() == f"{items.count()} places"
    if page.request.get("/static/vendor/leaflet/leaflet.js").ok:
        page.locator("#places-map.leaflet-container").wait_for(state="visible")
        page.locator("#places-map .leaflet-marker-icon").first.wait_for(state="visible")  # from places.json
        assert page.locator("#places-map").get_attribute("hidden") is None
    else:  # npm ci not run: no Leaflet, the container stays hidden
        assert page.locator("#places-map").is_hidden()


def test_the_events_calendar_moves_to_the_next_month(page):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + dt.timedelta(days=32)).replace(day=1)
    page.goto("/en/events/")
    caption = page.locator("table.calendar caption")
    assert caption.inner_text().startswith(f"Month {this_month:%m/%Y}")
    page.locator("nav.months a[rel=next]").click()  # (an empty month also links to the next one with events)
    page.wait_for_url(f"**/en/events/?month={next_month:%Y-%m}")
    assert caption.inner_text().startswith(f"Month {next_month:%m/%Y}")
    assert page.locator(f'table.calendar td[data-date="{next_month:%Y-%m-%d}"]').is_visible()
    assert page.locator("#month-list").inner_text() == f"Events in {next_month:%m/%Y}"
