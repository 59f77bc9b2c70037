"""Typed input and output of the trip engine: a Problem goes in, a Plan comes out.

All times are integers in one unit chosen by the caller (seconds, minutes or tenths of a
minute); the engine never converts them. A time window ``(open, close)`` gives the earliest
and the LATEST START of a visit: a visit may end after ``close``. Travel times come from a
matrix or a callable over location indices, so the engine does not care which routing
provider produced them; a location's travel time to itself is taken as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Window = tuple[int, int]
TravelTimes = Sequence[Sequence[int]] | Callable[[int, int], int]


@dataclass(frozen=True)
class Candidate:
    """A place that may be visited.

    ``windows[d]`` lists the opening intervals on day ``d`` (empty: closed that day). When
    ``windows`` is shorter than the trip, the missing days are closed.
    """

    id: str
    location: int
    score: float
    service: int
    windows: Sequence[Sequence[Window]]
    cost: int = 0
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Day:
    """One day (one tour): leave ``start_location`` at ``start_time``, be at ``end_location``
    by ``end_time``."""

    start_location: int
    end_location: int
    start_time: int
    end_time: int


@dataclass(frozen=True)
class LunchBreak:
    """A daily break of ``duration`` starting within ``[earliest, latest]``.

    It is taken either where the traveller is (right after the previous stop, no travel) or,
    when ``food_tag`` is set, at any candidate carrying that tag (the engine travels there).
    ``require_food_place`` forbids the plain break.
    """

    duration: int
    earliest: int
    latest: int
    food_tag: str | None = "food"
    require_food_place: bool = False


@dataclass(frozen=True)
class LockedStop:
    """A visit fixed to a day; locked stops of one day keep the order in which they are given."""

    candidate_id: str
    day: int


@dataclass(frozen=True)
class Problem:
    """Everything the engine needs to plan a trip."""

    candidates: Sequence[Candidate]
    days: Sequence[Day]
    travel: TravelTimes
    must_visit: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    budget: int | None = None
    lunch: LunchBreak | None = None
    locked: Sequence[LockedStop] = ()


@dataclass(frozen=True)
class Stop:
    """One stop of a day. ``kind`` is ``"visit"`` or ``"lunch"``. A lunch stop has
    ``candidate_id`` set when it is taken at a food place, else ``None`` (a plain break where
    the traveller is)."""

    kind: str
    candidate_id: str | None
    location: int
    arrival: int
    start: int
    departure: int


@dataclass(frozen=True)
class DayPlan:
    """The route of one day: leave at ``departure``, visit ``stops``, arrive at ``arrival``."""

    day: int
    departure: int
    stops: tuple[Stop, ...]
    arrival: int


@dataclass(frozen=True)
class Unplaced:
    """A must-visit place (or a day's lunch break, id ``"lunch:<day>"``) the plan lacks."""

    id: str
    reason: str
    code: str = ""  # excluded | budget | closed | unreachable | full | lunch: for callers that translate


@dataclass(frozen=True)
class Plan:
    """The engine's answer. ``score`` and ``cost`` sum over the visits (lunch excluded)."""

    days: tuple[DayPlan, ...]
    score: float
    cost: int
    unplaced: tuple[Unplaced, ...] = ()
    stats: dict[str, float] = field(default_factory=dict)

    def visit_ids(self) -> list[list[str]]:
        """Candidate ids visited per day, lunch excluded."""
        return [[s.candidate_id for s in d.stops if s.kind == "visit" and s.candidate_id] for d in self.days]
