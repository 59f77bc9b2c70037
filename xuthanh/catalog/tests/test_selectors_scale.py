"""Selectors whose cost must follow the answer, not the catalogue (bench/web.py runs them at 100,000 places)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place
from xuthanh.core.geo import haversine_km
from xuthanh.core.models import Status

pytestmark = pytest.mark.django_db


def test_nearby_places_are_the_nearest_published_ones_in_order():
    place = Place.objects.get(slug="thanh-nha-ho")
    nearby = selectors.places_nearby(place, radius_km=60, limit=5)
    brute = sorted(
        (haversine_km(place.lat, place.lon, p.lat, p.lon), p.pk)
        for p in selectors.published(Place).exclude(pk=place.pk)
    )
    expected = [pk for distance, pk in brute if distance <= 60][:5]
    assert [p.pk for p, _d in nearby] == expected
    assert all(d <= 60 for _p, d in nearby)


def test_nearby_places_load_only_the_few_shown_with_their_translations():
    place = Place.objects.get(slug="thanh-nha-ho")
    with CaptureQueriesContext(connection) as captured:
        nearby = selectors.places_nearby(place, radius_km=200, limit=3)
        names = [str(p) for p, _d in nearby]
    assert len(names) == 3 and all(names)
    # coordinates (the whole box, or past _SPARSE_ROWS a smaller one too), the three places, their translations
    assert len(captured.captured_queries) <= 4


def test_filter_choices_offer_only_what_published_places_have():
    place = Place.objects.filter(former_district__gt="").first()
    alone = not Place.objects.filter(former_district=place.former_district, status=Status.PUBLISHED).exclude(
        pk=place.pk
    )
    before = selectors.place_filter_choices()
    assert place.former_district in before["former_districts"]
    assert place.commune in before["communes"]
    assert {t.slug for t in before["tags"]} >= {t.slug for t in place.tags.all()}
    Place.objects.filter(pk=place.pk).update(status=Status.DRAFT)
    after = selectors.place_filter_choices()
    assert (place.former_district in after["former_districts"]) is not alone
    assert len(after["former_districts"]) == len(set(after["former_districts"]))
