"""The commune seats file and the distance-to-commune functions (no database)."""

import importlib.util
import json
import math
from importlib import metadata

import pytest

from xuthanh.areas import communes_geo
from xuthanh.areas.boundary import _polygons, in_province
from xuthanh.areas.communes_geo import (
    SEATS_FILE,
    CommuneSeat,
    km_to_seat,
    nearest_seats,
    plausibly_in_commune,
    read_seats,
    seat_distance_ratio,
    seat_tolerance_km,
    seats,
)
from xuthanh.core.geo import EARTH_RADIUS_KM


def _north_of(seat: CommuneSeat, km: float) -> tuple[float, float]:
    """A point `km` due north of the seat (along a meridian the great-circle distance is exact)."""
    return seat.lat + math.degrees(km / EARTH_RADIUS_KM), seat.lon


def _ring_area_km2(ring) -> float:
    """Spherical area of a lon/lat ring (the approximation used by GeoJSON tools)."""
    total = 0.0
    for i in range(len(ring)):
        (lon1, lat1), (lon2, lat2) = ring[i][:2], ring[(i + 1) % len(ring)][:2]
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * EARTH_RADIUS_KM**2 / 2)


def test_the_file_has_one_seat_per_official_unit_of_the_province_with_its_name():
    from vietnam_provinces import ProvinceCode, Ward

    official = {int(w.code): w.name for w in Ward.iter_by_province(ProvinceCode(38))}
    assert {code: seat.name for code, seat in seats().items()} == official
    assert len(official) == 166


def test_every_seat_lies_in_the_province():
    outside = [seat.name for seat in seats().values() if not in_province(seat.lat, seat.lon)]
    assert outside == []


def test_the_unit_areas_add_up_to_the_provincial_outline():
    outline = sum(_ring_area_km2(p[0]) - sum(_ring_area_km2(h) for h in p[1:]) for p in _polygons())
    units = sum(seat.area_km2 for seat in seats().values())
    assert abs(units - outline) / outline < 0.03, (units, outline)


def test_no_two_units_share_a_seat_so_each_seat_is_nearest_to_itself():
    everyone = list(seats().values())
    assert all(nearest_seats(s.lat, s.lon, everyone, count=1) == [s] for s in everyone)


def test_the_distance_is_zero_at_the_seat_and_follows_an_offset():
    seat = seats()[14797]  # Phường Hạc Thành
    assert km_to_seat(seat.lat, seat.lon, seat) == 0
    assert km_to_seat(*_north_of(seat, 5.0), seat) == pytest.approx(5.0, abs=1e-6)
    assert seat_distance_ratio(*_north_of(seat, 5.0), seat) == pytest.approx(5.0 / seat.equivalent_radius_km)


def test_the_equivalent_radius_gives_back_the_area():
    seat = seats()[14797]
    assert math.pi * seat.equivalent_radius_km**2 == pytest.approx(seat.area_km2)


def test_a_point_just_inside_the_tolerance_passes_and_just_outside_fails():
    for seat in (seats()[14797], max(seats().values(), key=lambda s: s.area_km2)):
        tolerance = seat_tolerance_km(seat)
        assert tolerance == pytest.approx(
            communes_geo.SEAT_FACTOR * seat.equivalent_radius_km + communes_geo.COORD_MARGIN_KM
        )
        assert plausibly_in_commune(*_north_of(seat, tolerance - 0.05), seat)
        assert not plausibly_in_commune(*_north_of(seat, tolerance + 0.05), seat)
        assert plausibly_in_commune(
            *_north_of(seat, tolerance + 0.05), seat, margin_km=communes_geo.COORD_MARGIN_KM + 0.1
        )


def test_a_big_unit_tolerates_a_farther_point_than_a_small_one():
    small = min(seats().values(), key=lambda s: s.area_km2)
    big = max(seats().values(), key=lambda s: s.area_km2)
    assert seat_tolerance_km(big) > seat_tolerance_km(small)
    distance = (seat_tolerance_km(big) + seat_tolerance_km(small)) / 2
    assert plausibly_in_commune(*_north_of(big, distance), big)
    assert not plausibly_in_commune(*_north_of(small, distance), small)


def test_nearest_seats_are_ordered_by_distance():
    seat = seats()[14797]
    found = nearest_seats(*_north_of(seat, 0.5), seats().values(), count=4)
    assert found[0] == seat
    distances = [km_to_seat(*_north_of(seat, 0.5), s) for s in found]
    assert distances == sorted(distances) and len(found) == 4


def test_read_seats_reads_the_file_it_is_given(tmp_path):
    path = tmp_path / "seats.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [105.5, 19.5]},
        "properties": {"code": 1, "name": "Xã Một", "area_km2": 12.25, "source_code": 1},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    assert read_seats(path) == {1: CommuneSeat(code=1, name="Xã Một", lat=19.5, lon=105.5, area_km2=12.25)}


def test_the_committed_file_is_what_the_extraction_script_gives():
    try:
        metadata.distribution("vietnamadminunits")
    except metadata.PackageNotFoundError:
        pytest.skip("vietnamadminunits (dev dependency) is not installed")
    spec = importlib.util.spec_from_file_location("extract_communes", SEATS_FILE.with_name("extract_communes.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_geojson() == SEATS_FILE.read_text(encoding="utf-8")
