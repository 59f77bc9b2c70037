"""Is a WGS84 point in Thanh Hóa? The provincial outline (data/thanh_hoa_boundary.geojson) with a small
tolerance for the shoreline, plus the offshore islands that belong to the province."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from xuthanh.core.geo import near_polygon

BOUNDARY_FILE = Path(__file__).parent / "data" / "thanh_hoa_boundary.geojson"
SHORE_TOLERANCE_KM = 2.0


@cache
def _polygons() -> tuple[list, ...]:
    features = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"]
    polygons: list = []
    for feature in features:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            polygons.append(geometry["coordinates"])
        else:
            polygons.extend(geometry["coordinates"])
    return tuple(polygons)


def in_province(lat: float, lon: float) -> bool:
    return near_polygon(lon, lat, _polygons(), SHORE_TOLERANCE_KM)
