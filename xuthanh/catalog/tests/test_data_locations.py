"""Where the shipped places are, and how sure we are: every real place states whether its point was checked,
its uncertainty and its source; every one lies in the commune it names (screened against the commune seats
of the 2025 map, xuthanh/areas/data); the loaded places carry it all to the pages, the API and the app."""

import pytest

from xuthanh.areas import communes_geo
from xuthanh.catalog.loader import read_records
from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db

# Offshore islands are far from any commune seat by nature: each is named here with its reason.
OFFSHORE = {"dao-hon-me": "island about 11 km off the Nghi Sơn coast (coord_evidence)"}


def _real_places() -> list[dict]:
    return [r for r in read_records()["place"] if not r.get("sample")]


def test_every_real_place_says_whether_its_point_was_checked_how_well_and_where_from():
    for record in _real_places():
        slug = record["slug"]
        assert isinstance(record.get("coord_verified"), bool), slug
        assert 10 <= int(record["coord_uncertainty_m"]) <= 30_000, slug
        assert record["coord_source"].startswith(("http://", "https://")), slug
        assert len(record["coord_evidence"]) >= 10, slug


def test_every_real_place_lies_within_its_commune():
    """Tolerance: SEAT_FACTOR (2.5) equivalent radii of the commune around its seat, plus the larger of 1 km
    and the point's own stated uncertainty (an estimate may be that far off by its own account)."""
    seats = communes_geo.seats()
    outside = []
    for record in _real_places():
        if record["slug"] in OFFSHORE:
            continue
        seat = seats[record["commune_code"]]
        margin = max(communes_geo.COORD_MARGIN_KM, int(record["coord_uncertainty_m"]) / 1000)
        if not communes_geo.plausibly_in_commune(record["lat"], record["lon"], seat, margin_km=margin):
            near = communes_geo.nearest_seats(record["lat"], record["lon"], seats.values(), 1)[0]
            km = communes_geo.km_to_seat(record["lat"], record["lon"], seat)
            outside.append(f"{record['slug']}: {km:.1f} km from the seat of {seat.name}; nearest seat {near.name}")
    assert not outside, outside


def test_an_unchecked_point_is_shown_as_an_area_and_a_checked_one_as_a_pin():
    checked = Place.objects.get(slug="hang-con-moong")  # excavators' published coordinate, ±200 m
    assert checked.location_verified and checked.location_uncertainty_m <= 500
    assert checked.location_precise and checked.approximate_radius_m is None
    estimate = Place.objects.get(slug="bien-sam-son")
    assert not estimate.location_verified and not estimate.location_precise
    assert estimate.approximate_radius_m == estimate.location_uncertainty_m >= 1000
    assert estimate.location_source.startswith("http") and estimate.location_evidence
    loose = Place.objects.get(slug="lam-kinh")  # published, but read two ways 0.84 km apart: an area too
    assert loose.location_verified and not loose.location_precise
    assert loose.approximate_radius_m == loose.location_uncertainty_m > 500
