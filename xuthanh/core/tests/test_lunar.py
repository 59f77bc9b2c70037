import datetime as dt

import pytest

from xuthanh.core.lunar import LunarDateError, lunar_to_solar, solar_to_lunar


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, dt.date(2025, 1, 29)), (2026, dt.date(2026, 2, 17)), (2027, dt.date(2027, 2, 6))],
)
def test_tet_dates(year, expected):
    assert lunar_to_solar(year, 1, 1) == expected


def test_it_uses_the_vietnamese_meridian_not_the_chinese_one():
    # In 1985 Vietnam celebrated Tết on 21 January, China on 20 February.
    assert lunar_to_solar(1985, 1, 1) == dt.date(1985, 1, 21)


def test_round_trip():
    day = dt.date(2026, 11, 26)
    year, month, lunar_day, leap = solar_to_lunar(day)
    assert lunar_to_solar(year, month, lunar_day, leap=leap) == day


def test_leap_month_exists_only_in_leap_years():
    assert lunar_to_solar(2025, 6, 1, leap=True) == dt.date(2025, 7, 25)
    with pytest.raises(LunarDateError):
        lunar_to_solar(2026, 6, 1, leap=True)


def test_day_30_of_a_short_month_becomes_day_29():
    year = next(
        y
        for y in range(2020, 2030)
        if solar_to_lunar(lunar_to_solar(y, 12, 29) + dt.timedelta(days=1))[1] == 1
    )
    assert lunar_to_solar(year, 12, 30) == lunar_to_solar(year, 12, 29)
