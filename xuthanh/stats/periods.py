"""Reporting periods and deadlines, pure Python: a month or a year, the days it has, and the day a report on
it is due under a form's `due` rule (data: `{day = 20, months_after = 1}` for a monthly report due on the
20th of the next month, `{month = 2, day = 20}` for an annual report due on 20 February of the next year)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

MONTH, YEAR = "month", "year"


def start_of(period: str, day: dt.date) -> dt.date:
    return day.replace(day=1) if period == MONTH else day.replace(month=1, day=1)


def end_of(period: str, start: dt.date) -> dt.date:
    if period == MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start.replace(month=12, day=31)


def days_in(period: str, start: dt.date) -> int:
    return (end_of(period, start) - start).days + 1


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def previous(period: str, start: dt.date) -> dt.date:
    return add_months(start, -1) if period == MONTH else start.replace(year=start.year - 1)


def due_date(due: Mapping[str, Any], period: str, start: dt.date) -> dt.date:
    """The last day a report on the period starting `start` may be filed on time."""
    if period == MONTH:
        month = add_months(start, int(due.get("months_after", 1)))
        return month.replace(day=min(int(due["day"]), calendar.monthrange(month.year, month.month)[1]))
    return dt.date(start.year + 1, int(due["month"]), int(due["day"]))


def closed(period: str, start: dt.date, today: dt.date) -> bool:
    """Whether the period is over (a report on it can be filed)."""
    return end_of(period, start) < today


def last_closed(period: str, today: dt.date) -> dt.date:
    return previous(period, start_of(period, today))


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    return [dt.date(year, 3 * (quarter - 1) + m, 1) for m in (1, 2, 3)]
