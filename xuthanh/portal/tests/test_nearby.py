"""Nearby places on the place page: widening bounding boxes give exactly the nearest places."""

import pytest

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place
from xuthanh.core.geo import haversine_km

pytestmark = pytest.mark.django_db


def brute_force(place: Place, radius_km: float, limit: int) -> list[str]:
    others = selectors.published(Place).exclude(pk=place.pk)
    found = [(haversine_km(place.lat, place.lon, o.lat, o.lon), o.pk, o.slug) for o in others]
    return [slug for d, _pk, slug in sorted(found) if d <= radius_km][:limit]


@pytest.mark.parametrize("radius_km,limit", [(10, 8), (30, 3), (60, 20), (2, 8)])
def test_it_finds_the_same_places_as_measuring_every_distance(radius_km, limit):
    for slug in ("thanh-nha-ho", "lam-kinh", "bien-sam-son", "pu-luong"):
        place = Place.objects.get(slug=slug)
        nearby = selectors.places_nearby(place, radius_km=radius_km, limit=limit)
        assert [p.slug for p, _d in nearby] == brute_force(place, radius_km, limit), (slug, radius_km)
        assert all(d <= radius_km for _p, d in nearby)


@pytest.mark.django_db
def test_places_nearby_of_one_kind_only() -> None:
    from xuthanh.catalog import selectors
    from xuthanh.catalog.models import Place

    centre = Place.objects.get(slug="lam-kinh")
    food = selectors.places_nearby(centre, radius_km=80, limit=50, kind="food")
    everything = selectors.places_nearby(centre, radius_km=80, limit=1000)
    assert food and all(Place.objects.get(pk=card.pk).kind == "food" for card, _km in food)
    assert [c.pk for c, _ in food] == [c.pk for c, _ in everything if Place.objects.get(pk=c.pk).kind == "food"]
