"""How far is a WGS84 point from a commune of Thanh Hóa? Pure Python, no Django.

No installable package ships the post-2025 commune polygons, so each unit is a point and an area
(data/thanh_hoa_communes.geojson, extracted from `vietnamadminunits` by data/extract_communes.py): the point is
the unit's administrative seat, not its centroid, and the area is the official one. A point "plausibly lies
in" a unit when it is within `SEAT_FACTOR` equivalent radii of the seat (the radius of a disc of the unit's
area) plus `COORD_MARGIN_KM` for the ~1 km accuracy of the catalogue's coordinates. Inside a disc any
point is within 2 radii of any other; 2.5 leaves room for elongated units and seats off-centre. It is a
screen that flags points for checking, not a proof of membership.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xuthanh.core.geo import haversine_km

SEATS_FILE = Path(__file__).parent / "data" / "thanh_hoa_communes.geojson"
SEAT_FACTOR = 2.5
COORD_MARGIN_KM = 1.0


@dataclass(frozen=True)
class CommuneSeat:
    code: int
    name: str
    lat: float
    lon: float
    area_km2: float

    @property
    def equivalent_radius_km(self) -> float:
        """Radius of a disc with the unit's area."""
        return math.sqrt(self.area_km2 / math.pi)


def read_seats(path: Path) -> dict[int, CommuneSeat]:
    """{official code: seat} from a GeoJSON of Point features with properties code, name, area_km2."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    result = {}
    for feature in features:
        properties = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        code = int(properties["code"])
        result[code] = CommuneSeat(
            code=code, name=properties["name"], lat=float(lat), lon=float(lon), area_km2=float(properties["area_km2"])
        )
    return result


@cache
def seats() -> Mapping[int, CommuneSeat]:
    """The 166 units of Thanh Hóa, by official code (read once)."""
    return read_seats(SEATS_FILE)


def km_to_seat(lat: float, lon: float, seat: CommuneSeat) -> float:
    """Great-circle distance in km from the point to the unit's administrative seat."""
    return haversine_km(lat, lon, seat.lat, seat.lon)


def seat_distance_ratio(lat: float, lon: float, seat: CommuneSeat) -> float:
    """Distance to the seat in equivalent radii of the unit (≤ 2 for any point of a disc-shaped unit)."""
    return km_to_seat(lat, lon, seat) / seat.equivalent_radius_km


def seat_tolerance_km(seat: CommuneSeat, *, factor: float = SEAT_FACTOR, margin_km: float = COORD_MARGIN_KM) -> float:
    """Largest distance from the seat still taken as inside the unit."""
    return factor * seat.equivalent_radius_km + margin_km


def plausibly_in_commune(
    lat: float, lon: float, seat: CommuneSeat, *, factor: float = SEAT_FACTOR, margin_km: float = COORD_MARGIN_KM
) -> bool:
    """Is the point close enough to the unit's seat, for its size, to lie inside it?"""
    return km_to_seat(lat, lon, seat) <= seat_tolerance_km(seat, factor=factor, margin_km=margin_km)


def nearest_seats(lat: float, lon: float, candidates: Iterable[CommuneSeat], count: int = 3) -> list[CommuneSeat]:
    """The `count` units whose seats are closest to the point, closest first."""
    return sorted(candidates, key=lambda seat: km_to_seat(lat, lon, seat))[:count]
