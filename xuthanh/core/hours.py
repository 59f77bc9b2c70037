"""Opening hours: rules per weekday with seasonal exceptions, "open now" and the OSM syntax (pure Python).

A place's hours are a list of `Rule`s. A rule covers some weekdays, optionally only inside a season
(month-day to month-day, possibly across New Year), and gives the opening intervals for those days (none
means closed). Rules apply in order and a later matching rule replaces an earlier one for that date,
as in OpenStreetMap's `opening_hours`; `normalise()` puts all-year rules before seasonal ones so that a
season always overrides the all-year hours. Times are minutes after midnight; an interval may end after
24:00 (e.g. 22:00-02:00 is stored as 1320-1560) and then counts for the night after.

The accepted text syntax is a subset of OSM's `opening_hours`:
``24/7`` or rules separated by ``;``, each ``[Apr-Sep |Apr 15-Sep 30 ][Mo-Fr,Su ]07:00-11:30,13:30-17:00``
or ``... off``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTH_CODES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
ALL_DAYS = frozenset(range(7))
MINUTES_PER_DAY = 24 * 60

MonthDay = tuple[int, int]
Interval = tuple[int, int]


class HoursError(ValueError):
    """The opening-hours text or data is not valid; the message says what and where."""


@dataclass(frozen=True)
class Rule:
    weekdays: frozenset[int] = ALL_DAYS
    intervals: tuple[Interval, ...] = ()
    season: tuple[MonthDay, MonthDay] | None = None

    def applies_to(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and (self.season is None or in_season(day, self.season))


@dataclass(frozen=True)
class Hours:
    """Everything needed to answer "is it open?": rules, always-open flag and one-off closed dates."""

    rules: tuple[Rule, ...] = ()
    always_open: bool = False
    closed_dates: frozenset[dt.date] = field(default_factory=frozenset)

    def intervals_on(self, day: dt.date) -> list[Interval]:
        if day in self.closed_dates:
            return []
        if self.always_open:
            return [(0, MINUTES_PER_DAY)]
        current: tuple[Interval, ...] = ()
        for rule in normalise(self.rules):
            if rule.applies_to(day):
                current = rule.intervals
        return sorted(current)

    def is_open(self, moment: dt.datetime) -> bool:
        """Whether open at a local (naive or aware, already in the place's zone) moment."""
        day = moment.date()
        minute = moment.hour * 60 + moment.minute
        if any(start <= minute < end for start, end in self.intervals_on(day)):
            return True
        previous = day - dt.timedelta(days=1)
        return any(start <= minute + MINUTES_PER_DAY < end for start, end in self.intervals_on(previous))

    def is_closed_all_day(self, day: dt.date) -> bool:
        return not self.intervals_on(day)


def in_season(day: dt.date, season: tuple[MonthDay, MonthDay]) -> bool:
    start, end = season
    key = (day.month, day.day)
    if start <= end:
        return start <= key <= end
    return key >= start or key <= end  # wraps over New Year, e.g. Nov 01 - Mar 31


def normalise(rules: Iterable[Rule]) -> list[Rule]:
    """All-year rules first, then seasonal ones (stable), so seasons override the usual hours."""
    rules = list(rules)
    return [r for r in rules if r.season is None] + [r for r in rules if r.season is not None]


def validate_interval(start: int, end: int) -> None:
    if not 0 <= start < MINUTES_PER_DAY:
        raise HoursError(f"opening time {format_minutes(start)} is not a time of day")
    if end <= start:
        raise HoursError(
            f"closing time {format_minutes(end)} is not after opening time {format_minutes(start)}"
        )
    if end - start > MINUTES_PER_DAY:
        raise HoursError("an interval cannot be longer than 24 hours")


def validate_month_day(month: int, day: int) -> None:
    if not 1 <= month <= 12 or not 1 <= day <= _MONTH_DAYS[month - 1]:
        raise HoursError(f"{month:02d}-{day:02d} is not a valid month-day")


# ---- text syntax -------------------------------------------------------------------------------------

_TIME = r"(\d{1,2}):(\d{2})"
_TIME_SPAN = re.compile(rf"^{_TIME}-{_TIME}$")
_MONTH_RANGE = re.compile(
    r"^(?P<m1>[A-Z][a-z]{2})(?:\s+(?P<d1>\d{1,2}))?(?:-(?P<m2>[A-Z][a-z]{2})(?:\s+(?P<d2>\d{1,2}))?)?$"
)
_DAYS_TOKEN = re.compile(
    r"^(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?(,(Mo|Tu|We|Th|Fr|Sa|Su)(-(Mo|Tu|We|Th|Fr|Sa|Su))?)*$"
)


def parse_time(text: str) -> int:
    match = re.fullmatch(_TIME, text.strip())
    if not match:
        raise HoursError(f"'{text}' is not a time (HH:MM)")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise HoursError(f"'{text}' is not a time of day")
    return hours * 60 + minutes


def _parse_span(text: str) -> Interval:
    match = _TIME_SPAN.match(text)
    if not match:
        raise HoursError(f"'{text}' is not a time span like 07:00-17:30")
    start = parse_time(f"{match.group(1)}:{match.group(2)}")
    end = parse_time(f"{match.group(3)}:{match.group(4)}")
    if end == start:
        raise HoursError(f"'{text}' opens and closes at the same time")
    if end < start:
        end += MINUTES_PER_DAY  # past midnight
    validate_interval(start, end)
    return start, end


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            first, last = (DAY_CODES.index(p) for p in part.split("-"))
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
            days.update(span)
        else:
            days.add(DAY_CODES.index(part))
    return frozenset(days)


def _parse_season(text: str) -> tuple[MonthDay, MonthDay]:
    match = _MONTH_RANGE.match(text)
    if not match or match["m1"] not in MONTH_CODES or (match["m2"] and match["m2"] not in MONTH_CODES):
        raise HoursError(f"'{text}' is not a month range like Apr-Sep or Apr 15-Sep 30")
    m1 = MONTH_CODES.index(match["m1"]) + 1
    m2 = MONTH_CODES.index(match["m2"]) + 1 if match["m2"] else m1
    d1 = int(match["d1"]) if match["d1"] else 1
    d2 = int(match["d2"]) if match["d2"] else _MONTH_DAYS[m2 - 1]
    validate_month_day(m1, d1)
    validate_month_day(m2, d2)
    return (m1, d1), (m2, d2)


def _parse_rule(text: str) -> Rule:
    tokens = text.split()
    if not tokens:
        raise HoursError("empty rule")
    *selectors, last = tokens
    if last in ("off", "closed"):
        intervals: tuple[Interval, ...] = ()
    else:
        intervals = tuple(_parse_span(span) for span in last.split(","))
    weekdays = ALL_DAYS
    if selectors and _DAYS_TOKEN.match(selectors[-1]):
        weekdays = _parse_days(selectors.pop())
    season = _parse_season(" ".join(selectors)) if selectors else None
    return Rule(weekdays=weekdays, intervals=intervals, season=season)


def parse(text: str) -> Hours:
    """Parse the OSM-style text; raise HoursError saying which rule is wrong."""
    text = (text or "").strip()
    if not text:
        return Hours()
    if text == "24/7":
        return Hours(always_open=True)
    rules = []
    for number, part in enumerate(p.strip() for p in text.split(";")):
        if not part:
            continue
        try:
            rules.append(_parse_rule(part))
        except (HoursError, ValueError) as exc:
            raise HoursError(f"rule {number + 1} ('{part}'): {exc}") from exc
    return Hours(rules=tuple(rules))


def format_minutes(minutes: int) -> str:
    if minutes != MINUTES_PER_DAY:
        minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _format_days(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return "Mo-Su"
    parts, run = [], []
    for day in range(7):
        if day in days:
            run.append(day)
        elif run:
            parts.append(run)
            run = []
    if run:
        parts.append(run)
    return ",".join(
        DAY_CODES[r[0]] if len(r) == 1 else f"{DAY_CODES[r[0]]}-{DAY_CODES[r[-1]]}" for r in parts
    )


def _format_season(season: tuple[MonthDay, MonthDay]) -> str:
    (m1, d1), (m2, d2) = season
    if d1 == 1 and d2 == _MONTH_DAYS[m2 - 1]:
        return MONTH_CODES[m1 - 1] if m1 == m2 else f"{MONTH_CODES[m1 - 1]}-{MONTH_CODES[m2 - 1]}"
    return f"{MONTH_CODES[m1 - 1]} {d1:02d}-{MONTH_CODES[m2 - 1]} {d2:02d}"


def format_hours(hours: Hours) -> str:
    """The OSM-style text of `hours` (closed dates are not part of the syntax)."""
    if hours.always_open:
        return "24/7"
    out = []
    for rule in normalise(hours.rules):
        times = ",".join(f"{format_minutes(s)}-{format_minutes(e)}" for s, e in rule.intervals) or "off"
        head = [_format_season(rule.season)] if rule.season else []
        out.append(" ".join([*head, _format_days(rule.weekdays), times]))
    return "; ".join(out)


def merge_rows(
    rows: Sequence[tuple[frozenset[int], tuple[MonthDay, MonthDay] | None, Interval | None]],
) -> Hours:
    """Build rules from table rows (weekdays, season, interval-or-None-for-closed); rows sharing weekdays
    and season form one rule with several intervals."""
    grouped: dict[tuple[frozenset[int], tuple[MonthDay, MonthDay] | None], list[Interval]] = {}
    for weekdays, season, interval in rows:
        bucket = grouped.setdefault((weekdays, season), [])
        if interval is not None:
            validate_interval(*interval)
            bucket.append(interval)
    return Hours(
        rules=tuple(Rule(weekdays=w, season=s, intervals=tuple(sorted(i))) for (w, s), i in grouped.items())
    )


DAY = dt.timedelta(days=1)


def _offset(moment: dt.time) -> dt.timedelta:
    return dt.timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second,
                        microseconds=moment.microsecond)


def daily_spans(on: dt.time, off: dt.time) -> list[tuple[dt.timedelta, dt.timedelta]]:
    """A device's daily hours (a kiosk's screen) as spans [from, to) after midnight: equal times mean all day,
    an end before the start wraps past midnight (05:00–01:00: the early hours and the evening)."""
    start, end = _offset(on), _offset(off)
    if start == end:
        return [(dt.timedelta(0), DAY)]
    if end > start:
        return [(start, end)]
    return [(dt.timedelta(0), end), (start, DAY)]


def within_daily(on: dt.time, off: dt.time, moment: dt.time) -> bool:
    """Is `moment` inside the daily hours `on`–`off` (as daily_spans reads them)?"""
    offset = _offset(moment)
    return any(a <= offset < b for a, b in daily_spans(on, off))
