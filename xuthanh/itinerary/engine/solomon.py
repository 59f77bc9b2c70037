"""Read a Solomon-style TOPTW benchmark file into a Problem (times as exact integers).

The windows give the latest START of service; Tmax is the depot's closing time; each tour leaves
the depot at 0. How a Euclidean distance becomes a travel time is a parameter, ``rounding``,
because the benchmark families do not share one convention (see ``ROUNDINGS``):

* ``floor1`` (the default): truncated to one decimal, ``floor(10 * d + eps) / 10``: the KU Leuven
  TOPTW format note for the Solomon-based files (c/r/rc 100 and 200 series), and the convention
  under which Righini & Salani's optimal OPTW tours reproduce their published start times;
* ``floor2``: truncated to two decimals, the same note's convention for the Cordeau-based pr01-pr20
  (and the Gavalas t-instances);
* ``exact``: the distance itself (double precision, as the VRPTW literature and SINTEF's
  Gehring-Homberger tables compute it), held as ``ceil(10000 * d - eps)`` so that a plan feasible in
  integers is feasible with the real distances too.

A plan checked under a shorter convention than the one a best-known score was found under can
look better than that score; ``bench/toptw.py`` prints the convention of every run. Every time is
multiplied by the convention's ``scale`` so the engine works on exact integers (the files' services
and windows are whole numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .model import Candidate, Day, Problem

EPS = 1e-6
ROUNDINGS: dict[str, tuple[int, str]] = {  # name -> (scale, how the scaled distance becomes an integer)
    "floor1": (10, "floor"),
    "floor2": (100, "floor"),
    "exact": (10_000, "ceil"),
}
DEFAULT_ROUNDING = "floor1"


def travel_time(d: float, rounding: str = DEFAULT_ROUNDING) -> int:
    """A Euclidean distance ``d`` as an integer travel time in units of 1/scale of ``rounding``."""
    scale, how = ROUNDINGS[rounding]
    return math.floor(scale * d + EPS) if how == "floor" else math.ceil(scale * d - EPS)


@dataclass(frozen=True)
class SolomonInstance:
    """The parsed file: coordinates, and the Problem for a given number of tours."""

    name: str
    xy: list[tuple[float, float]]
    service: list[float]
    score: list[float]
    open_: list[float]
    close: list[float]
    rounding: str = DEFAULT_ROUNDING

    def __post_init__(self) -> None:
        if self.rounding not in ROUNDINGS:
            raise ValueError(f"unknown rounding {self.rounding!r}: one of {', '.join(ROUNDINGS)}")

    @property
    def n(self) -> int:
        return len(self.xy) - 1

    @property
    def scale(self) -> int:
        """Integer time units per time unit of the file."""
        return ROUNDINGS[self.rounding][0]

    def travel_matrix(self) -> list[list[int]]:
        """Integer travel times (units of 1/scale) between all vertices, depot = 0."""
        r = self.rounding
        return [[travel_time(math.hypot(ax - bx, ay - by), r) for bx, by in self.xy] for ax, ay in self.xy]

    def problem(self, tours: int) -> Problem:
        """The TOPTW with ``tours`` identical days; candidate ids are the vertex numbers."""
        s = self.scale
        tmax = round(self.close[0] * s)
        cands = [
            Candidate(
                id=str(i),
                location=i,
                score=self.score[i],
                service=round(self.service[i] * s),
                windows=[[(round(self.open_[i] * s), round(self.close[i] * s))]] * tours,
            )
            for i in range(1, len(self.xy))
        ]
        days = [Day(0, 0, round(self.open_[0] * s), tmax)] * tours
        return Problem(candidates=cands, days=days, travel=self.travel_matrix())


def read_solomon(path: str | Path, rounding: str = DEFAULT_ROUNDING) -> SolomonInstance:
    """Parse one instance file (O and C are read from the end of each vertex line); ``rounding``
    names the travel-time convention (a key of ``ROUNDINGS``)."""
    path = Path(path)
    lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    n = int(lines[0][2])
    xy, service, score, open_, close = [], [], [], [], []
    for parts in lines[2 : 3 + n]:
        xy.append((float(parts[1]), float(parts[2])))
        service.append(float(parts[3]))
        score.append(float(parts[4]))
        open_.append(float(parts[-2]))
        close.append(float(parts[-1]))
    return SolomonInstance(path.stem, xy, service, score, open_, close, rounding)
