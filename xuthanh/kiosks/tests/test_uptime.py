"""The uptime folding alone (core.uptime, no Django): beats become intervals; repeats, late beats and
beats inside a known interval change nothing; a gap longer than three minutes (a restart, a cut) opens a
new interval; the share of a day or of opening hours; the dashboard's states."""

from __future__ import annotations

import datetime as dt
import random

from xuthanh.core import uptime

T0 = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)


def minutes(*values: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=v) for v in values]


def test_beats_a_minute_apart_make_one_interval() -> None:
    assert uptime.fold_all(minutes(0, 1, 2, 3)) == [uptime.Interval(T0, T0 + dt.timedelta(minutes=3))]


def test_a_gap_longer_than_three_minutes_opens_a_new_interval() -> None:
    intervals = uptime.fold_all(minutes(0, 1, 2, 10, 11))  # a restart or a network cut after minute 2
    assert [(i.start, i.end) for i in intervals] == [(T0, minutes(2)[0]), (minutes(10)[0], minutes(11)[0])]
    assert len(uptime.fold_all(minutes(0, 3))) == 1  # exactly three minutes: still up (one lost beat or two)


def test_repeated_late_and_known_beats_change_nothing() -> None:
    last = uptime.Interval(T0, minutes(5)[0])
    assert uptime.fold(last, minutes(5)[0]).kind == "none"  # a retried request
    assert uptime.fold(last, minutes(2.5)[0]).kind == "none"  # late, inside
    assert uptime.fold(last, minutes(-30)[0]).kind == "none"  # very late: before what is known
    assert uptime.fold(last, minutes(6)[0]) == uptime.Change("extend", uptime.Interval(T0, minutes(6)[0]))
    assert uptime.fold(None, T0) == uptime.Change("open", uptime.Interval(T0, T0))


def test_the_order_of_arrival_does_not_matter_to_the_reference_folding() -> None:
    beats = minutes(*range(0, 30), *range(40, 50), 49, 49)
    shuffled = beats[:]
    random.Random(7).shuffle(shuffled)
    assert uptime.fold_all(shuffled) == uptime.fold_all(beats)


def test_the_share_of_a_day_and_of_opening_hours() -> None:
    day_start, day_end = T0.replace(hour=0), T0.replace(hour=0) + dt.timedelta(days=1)
    intervals = uptime.fold_all(minutes(*range(0, 60)))  # up 07:00–07:59:30 (+ half a beat)
    up, counted = uptime.up_time(intervals, day_start, day_end)
    assert counted == dt.timedelta(days=1) and up == dt.timedelta(minutes=59, seconds=30)
    opening = [(T0, T0 + dt.timedelta(hours=2))]  # open 07:00–09:00
    assert uptime.share(intervals, day_start, day_end, windows=opening) == (59.5 / 120)
    assert uptime.share(intervals, day_start, day_end, windows=[]) is None  # closed all day: no figure


def test_the_dashboard_states() -> None:
    assert uptime.status(None, T0) == "never"
    assert uptime.status(T0, T0 + dt.timedelta(minutes=4)) == "online"
    assert uptime.status(T0, T0 + dt.timedelta(minutes=6)) == "late"
    assert uptime.status(T0, T0 + dt.timedelta(hours=2)) == "offline"
