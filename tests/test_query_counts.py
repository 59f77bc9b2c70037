"""No public page or API answer reads more when the catalogue grows: each one's query count is measured on the
Thanh Hóa data, then again after adding many published places (with names in every language, interests,
hours, tickets) and events around the same sites, and must not grow (no N+1 anywhere), within a budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from xuthanh.catalog.models import Event, OpeningRule, Place, Tag, TicketPrice
from xuthanh.core.models import Status

pytestmark = pytest.mark.django_db

# page → the most queries it may make (a budget, so that a slow creep is seen too)
PAGES = {
    "/vi/": 4,
    "/zh-hans/": 4,
    "/vi/places/": 5,
    "/en/places/?kind=attraction&tag=history": 5,
    "/fr/places/?q=thanh": 5,
    "/vi/places/thanh-nha-ho/": 11,
    "/zh-hans/places/lam-kinh/": 11,
    "/vi/events/": 6,
    "/en/events/le-hoi-lam-kinh/": 8,
    "/vi/specialties/": 4,
    "/vi/map/": 4,
    "/vi/map/places.json": 4,
    "/vi/about/": 3,
    "/api/v1/places?page_size=20": 7,
    "/api/v1/places?page_size=20&lang=zh-hans&tag=history": 7,
    "/api/v1/places?q=thanh": 8,
    "/api/v1/places/thanh-nha-ho": 8,
    "/api/v1/events": 8,
    "/api/v1/search?q=thanh+nha+ho": 5,
    "/api/v1/autocomplete?q=thanh+n": 10,
    "/vi/audio-tours/thanh-nha-ho/": 12,
    "/en/audio-tours/thanh-nha-ho/360/": 12,
    "/api/v1/guide/tours/lam-kinh/scenes?lang=fr": 12,
    "/kiosk/vi/tho-xuan/": 12,
    "/kiosk/en/tho-xuan/near/": 12,
    "/kiosk/en/tho-xuan/near/food/": 12,
    "/kiosk/en/tho-xuan/onward/": 12,
    "/kiosk/fr/tho-xuan/place/lam-kinh/": 14,
    "/wifi/lam-kinh/?lang=fr": 6,
    "/wifi/lam-kinh/welcome/?lang=zh-hans": 6,
    "/wifi/lam-kinh/captive-portal/api": 8,
}


# Pages whose count may grow with the data, within their budget: the places near a point are read in one box
# where places are sparse, and in up to five narrowing boxes where they are dense (catalog.places_nearby).
BOUNDED = {"/kiosk/en/tho-xuan/near/", "/kiosk/en/tho-xuan/near/food/"}


@pytest.fixture(autouse=True)
def guide_and_kiosks(db: object) -> None:
    """The audio tours with their 360° scenes, the kiosk locations and a wifi hotspot: their pages are
    measured too."""
    from xuthanh.guide import services as guide
    from xuthanh.kiosks import services as kiosks
    from xuthanh.wifi.models import Hotspot

    guide.tours_load()
    guide.scenes_load(width=2048)
    kiosks.locations_load()
    Hotspot.objects.create(slug="lam-kinh", place=Place.objects.get(slug="lam-kinh"), ssid="LamKinh-Free",
                           gatewayname="xt-lamkinh-7f3a9c", state=Hotspot.State.ACTIVE)


def _counts(client: Client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        client.get(url)  # warm: per-process memos (fuzzy vocabulary, compiled queries) are not per request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(queries)
    return counts


def _grow(n: int) -> None:
    """`n` more published places around Thành nhà Hồ and Lam Kinh, each with four translations, two
    interests, hours and a ticket, and `n // 5` more lunar events."""
    centres = [Place.objects.get(slug=slug) for slug in ("thanh-nha-ho", "lam-kinh")]
    tags = list(Tag.objects.filter(slug__in=["history", "culture"]))
    for i in range(n):
        centre = centres[i % 2]
        place = Place(
            slug=f"growth-{i}",
            kind=Place.Kind.ATTRACTION,
            category=Place.Category.TEMPLE,
            commune=centre.commune,
            lat=centre.lat + 0.001 * (i % 7),
            lon=centre.lon + 0.001 * (i // 7 % 7),
            status=Status.PUBLISHED,
            popularity=99,
        )
        for lang, name in (("vi", "Đền thử"), ("en", "Test temple"), ("zh-hans", "测试庙"), ("fr", "Temple test")):
            place.set_current_language(lang)
            place.name = f"{name} {i}"
            place.summary = f"{name} {i}"
        place.save()
        place.tags.set(tags)
        OpeningRule.objects.create(place=place, weekdays="0123456", opens=dt.time(7), closes=dt.time(17))
        TicketPrice.objects.create(place=place, price_vnd=10000)
    for i in range(n // 5):
        event = Event(
            slug=f"growth-event-{i}",
            commune=centres[0].commune,
            place=centres[0],
            recurrence=Event.Recurrence.LUNAR,
            month=1 + i % 12,
            day=10,
            status=Status.PUBLISHED,
        )
        for lang in ("vi", "en"):
            event.set_current_language(lang)
            event.name = f"Lễ thử {i}"
        event.save()


@override_settings(PAGE_CACHE_SECONDS=0, API_ANONYMOUS_PER_MINUTE=100_000)
def test_no_public_page_reads_more_when_the_catalogue_grows(client):
    before = _counts(client)
    _grow(60)
    after = _counts(client)
    grown = {url: (before[url], after[url]) for url in PAGES if after[url] > before[url] and url not in BOUNDED}
    assert not grown, f"query counts grew with the data (before, after): {grown}"
    over = {url: after[url] for url in PAGES if after[url] > PAGES[url]}
    budgets = {url: PAGES[url] for url in over}
    assert not over, f"over the budget {budgets}: {over}"
