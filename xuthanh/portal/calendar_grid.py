"""The month grid of the events calendar: weeks Monday→Sunday, each day with its lunar date and the events
happening on it (a festival spanning several days appears on each of them)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from xuthanh.core.lunar import solar_to_lunar


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    lunar_day: int
    lunar_month: int
    lunar_leap: bool
    events: list = field(default_factory=list)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def lunar_label(self) -> str:
        """ "1/8" on the first day of a lunar month, otherwise just the day, as on Vietnamese calendars."""
        if self.lunar_day == 1:
            return f"{self.lunar_day}/{self.lunar_month}{'*' if self.lunar_leap else ''}"
        return str(self.lunar_day)


@dataclass
class MonthGrid:
    month: dt.date  # first day of the month
    weeks: list[list[Day]]

    @property
    def first_day(self) -> dt.date:
        return self.weeks[0][0].date

    @property
    def last_day(self) -> dt.date:
        return self.weeks[-1][-1].date

    @property
    def month_end(self) -> dt.date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    @property
    def previous(self) -> dt.date:
        return (self.month - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return self.month_end + dt.timedelta(days=1)


def month_grid(month: dt.date, *, today: dt.date) -> MonthGrid:
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        days = []
        for day in week:
            _year, lunar_month, lunar_day, leap = solar_to_lunar(day)
            days.append(Day(day, day.month == month.month, day == today, lunar_day, lunar_month, leap))
        weeks.append(days)
    return MonthGrid(month=month, weeks=weeks)


def place_events(grid: MonthGrid, occurrences: list[tuple[dt.date, dt.date, object]]) -> None:
    """Put each (start, end, event) on every day of the grid it covers."""
    for week in grid.weeks:
        for day in week:
            day.events = [event for start, end, event in occurrences if start <= day.date <= end]
