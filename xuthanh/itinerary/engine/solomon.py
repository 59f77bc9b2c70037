"""Read a Solomon-style TOPTW benchmark file into a Problem (times in tenths, as integers).

Convention of the benchmark (see the shared README): travel time is the Euclidean distance
truncated to one decimal, ``floor(10 * d + eps) / 10``; the windows give the latest START of
service; Tmax is the depot's closing time; each tour leaves the depot at 0. Everything is
multiplied by ``scale`` (10) so the engine works on exact integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .model import Candidate, Day, Problem

EPS = 1e-6


@dataclass(frozen=True)
class SolomonInstance:
    """The parsed file: coordinates, and the Problem for a given number of tours."""

    name: str
    xy: list[tuple[float, float]]
    service: list[float]
    score: list[float]
    open_: list[float]
    close: list[float]
    scale: int = 10

    @property
    def n(self) -> int:
        return len(self.xy) - 1

    def travel_matrix(self) -> list[list[int]]:
        """Integer travel times (units of 1/scale) between all vertices, depot = 0."""
        s = self.scale
        return [[math.floor(s * math.hypot(ax - bx, ay - by) + EPS) for bx, by in self.xy] for ax, ay in self.xy]

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


def read_solomon(path: str | Path) -> SolomonInstance:
    """Parse one instance file (O and C are read from the end of each vertex line)."""
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
    return SolomonInstance(path.stem, xy, service, score, open_, close)
