import pytest

from xuthanh.areas.boundary import in_province
from xuthanh.core.geo import haversine_km, in_ring


def test_haversine_hanoi_to_thanh_hoa_city():
    assert haversine_km(21.0285, 105.8542, 19.8067, 105.7852) == pytest.approx(136, abs=3)


def test_point_in_square():
    square = [(0, 0), (1, 0), (1, 1), (0, 1)]
    assert in_ring(0.5, 0.5, square)
    assert not in_ring(1.5, 0.5, square)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(19.8067, 105.7852), (20.0783, 105.6050), (20.2969, 104.6224), (19.7425, 105.9042)],
)
def test_thanh_hoa_points_are_in_the_province(lat, lon):
    assert in_province(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(21.0285, 105.8542), (18.6796, 105.6813), (20.2506, 105.9745), (105.78, 19.80)],
)
def test_points_elsewhere_or_swapped_are_not(lat, lon):
    assert not in_province(lat, lon)
