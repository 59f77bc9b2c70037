"""Folding a device's heartbeats into uptime intervals, and reading them back (no Django): a kiosk or a wifi
gateway beats every minute; instead of a row per beat (525,600 a year per device), consecutive beats become
one interval [first, last]. A beat within `GAP` of an interval extends it; a beat further away opens a new
one. The server's clock is used, never the device's (its clock may be wrong), so beats arrive in order but
may repeat (a retried request), arrive late (a slow network) or fall inside an interval already known: none
of those changes anything. A device restarting between two beats shows only as a gap longer than `GAP`.

The share of a period a device was up counts each interval as covering its beats plus half a beat period
after the last one (a device seen at 10:00 and 10:01 was up from 10:00 to 10:01:30), within opening hours
when given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BEAT = dt.timedelta(minutes=1)  # how often a device beats
GAP = dt.timedelta(minutes=3)  # beats further apart than this: the device was down between them
LATE = dt.timedelta(minutes=5)  # no beat for this long: "late" on the dashboard
OFFLINE = dt.timedelta(hours=1)  # and then "offline"


@dataclass(frozen=True)
class Interval:
    start: dt.datetime
    end: dt.datetime  # the last beat seen

    def covers(self, moment: dt.datetime) -> bool:
        return self.start <= moment <= self.end


@dataclass(frozen=True)
class Change:
    """What to store after a beat: `extend` the last interval to `end`, or `open` a new one, or nothing."""

    kind: str  # "extend" | "open" | "none"
    interval: Interval | None = None


def fold(last: Interval | None, beat: dt.datetime, *, gap: dt.timedelta = GAP) -> Change:
    """The change one beat (at server time `beat`) makes to a device's intervals, given its latest one."""
    if last is None:
        return Change("open", Interval(beat, beat))
    if beat <= last.end:  # a repeat, or a late beat inside or before what is known: nothing new
        return Change("none")
    if beat - last.end <= gap:
        return Change("extend", Interval(last.start, beat))
    return Change("open", Interval(beat, beat))


def fold_all(beats: Iterable[dt.datetime], *, gap: dt.timedelta = GAP) -> list[Interval]:
    """All the intervals of a series of beats in any order (a device's backlog; the tests' reference)."""
    intervals: list[Interval] = []
    for beat in sorted(set(beats)):
        change = fold(intervals[-1] if intervals else None, beat, gap=gap)
        if change.kind == "extend":
            intervals[-1] = change.interval
        elif change.kind == "open":
            intervals.append(change.interval)
    return intervals


def _overlap(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime, b_end: dt.datetime) -> dt.timedelta:
    return max(dt.timedelta(0), min(a_end, b_end) - max(a_start, b_start))


def up_time(intervals: Sequence[Interval], start: dt.datetime, end: dt.datetime, *,
            windows: Sequence[tuple[dt.datetime, dt.datetime]] | None = None,
            beat: dt.timedelta = BEAT) -> tuple[dt.timedelta, dt.timedelta]:
    """(time up, time that counts) between `start` and `end`; with `windows` (opening hours), only the time
    inside them counts. Each interval covers from its first beat to half a beat after its last."""
    windows = list(windows) if windows is not None else [(start, end)]
    counted = sum((_overlap(w_start, w_end, start, end) for w_start, w_end in windows), dt.timedelta(0))
    up = dt.timedelta(0)
    for interval in intervals:
        i_end = interval.end + beat / 2
        for w_start, w_end in windows:
            lo, hi = max(w_start, start), min(w_end, end)
            if lo < hi:
                up += _overlap(interval.start, i_end, lo, hi)
    return min(up, counted), counted


def share(intervals: Sequence[Interval], start: dt.datetime, end: dt.datetime, **options: object) -> float | None:
    """The share (0–1) of the counted time a device was up; None when no time counts (closed all day)."""
    up, counted = up_time(intervals, start, end, **options)  # type: ignore[arg-type]
    return None if not counted else up / counted


def status(last_seen: dt.datetime | None, now: dt.datetime) -> str:
    """"never" (not enrolled or never beat), "online", "late" (> 5 min) or "offline" (> 1 h)."""
    if last_seen is None:
        return "never"
    silence = now - last_seen
    if silence > OFFLINE:
        return "offline"
    return "late" if silence > LATE else "online"
