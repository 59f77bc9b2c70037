"""Vietnamese lunar calendar dates (pure Python, no Django).

Thin layer over the maintained `vnlunar` package, which implements Hồ Ngọc Đức's astronomical algorithm
for the UTC+7 meridian (Vietnam's lunar calendar differs from China's in some years, e.g. Tết 1985).
A conversion computes new moons and solar terms (about 0.1 ms); both directions are pure functions of their
arguments, so their results are memoised (a few thousand dates cover every festival of every year a page
shows).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import vnlunar

VIETNAM_TZ_OFFSET = 7.0


class LunarDateError(ValueError):
    """The lunar date does not exist in that year."""


@lru_cache(maxsize=8192)
def lunar_to_solar(year: int, month: int, day: int, *, leap: bool = False) -> dt.date:
    """Solar date of lunar `day`/`month` in the lunar year `year`.

    Day 30 of a month that has only 29 days in that year becomes day 29 (the custom for anniversaries).
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise LunarDateError(f"{day}/{month} is not a lunar date")
    for candidate in (day, 29) if day == 30 else (day,):
        result = vnlunar.convert_lunar_to_solar(candidate, month, year, 1 if leap else 0, VIETNAM_TZ_OFFSET)
        if result and result != (0, 0, 0) and _round_trips(result, year, month, candidate, leap):
            d, m, y = result
            return dt.date(y, m, d)
    raise LunarDateError(f"lunar {day}/{month}{' (leap)' if leap else ''} does not exist in {year}")


def _round_trips(result: tuple[int, int, int], year: int, month: int, day: int, leap: bool) -> bool:
    back = solar_to_lunar(dt.date(result[2], result[1], result[0]))
    return back == (year, month, day, leap)


@lru_cache(maxsize=8192)
def solar_to_lunar(day: dt.date) -> tuple[int, int, int, bool]:
    """(lunar year, month, day, is_leap_month) of a solar date."""
    lunar = vnlunar.convert_solar_to_lunar(day.day, day.month, day.year, VIETNAM_TZ_OFFSET)
    return int(lunar["year"]), int(lunar["month"]), int(lunar["day"]), bool(lunar["leap"])
