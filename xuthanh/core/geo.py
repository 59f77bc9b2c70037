"""Small plane/sphere geometry for WGS84 points (pure Python): distances and point-in-polygon."""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088
Ring = Sequence[Sequence[float]]  # [(lon, lat), ...] as in GeoJSON


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting; the ring may or may not repeat its first point."""
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % count][0], ring[(i + 1) % count][1]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def km_to_ring(lon: float, lat: float, ring: Ring) -> float:
    """Approximate distance in km from a point to the nearest edge of a ring (local equirectangular)."""
    kx, ky = 111.32 * math.cos(math.radians(lat)), 110.57
    px, py = lon * kx, lat * ky
    best = math.inf
    count = len(ring)
    for i in range(count):
        ax, ay = ring[i][0] * kx, ring[i][1] * ky
        bx, by = ring[(i + 1) % count][0] * kx, ring[(i + 1) % count][1] * ky
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def in_polygon(lon: float, lat: float, polygon: Sequence[Ring]) -> bool:
    """GeoJSON polygon: first ring is the outline, the others are holes."""
    if not polygon or not in_ring(lon, lat, polygon[0]):
        return False
    return not any(in_ring(lon, lat, hole) for hole in polygon[1:])


def near_polygon(lon: float, lat: float, polygons: Sequence[Sequence[Ring]], tolerance_km: float) -> bool:
    """Inside one of the polygons, or within `tolerance_km` of an outline (coast, islands close by)."""
    if any(in_polygon(lon, lat, poly) for poly in polygons):
        return True
    return any(km_to_ring(lon, lat, poly[0]) <= tolerance_km for poly in polygons)
