"""Solomon-style TOPTW instances with 200 and 300 customers, generated deterministically from a seed.

Usage (from the repository root)::

    python bench/toptw_gen.py --out FOLDER [--classes c1,r2] [--sizes 200,300] [--seeds 0]

writes one file per instance in the TOPTW format of the shared set (``i x y d S f a list O C``, the
depot first, Tmax = the depot's closing time), so ``read_solomon`` reads them back; ``bench/toptw.py``
makes them in memory by name (``gen_<class>_<n>_<seed>``, e.g. ``gen_rc1_300_0``).

The scheme follows Solomon's six VRPTW sets (his description, web.cba.neu.edu/~msolomon/problems.htm:
random positions in R, clustered in C, a mix of both in RC; type 1 with a short horizon and few
customers per route, type 2 with a long horizon and many) and their extension to 200 customers by
Gehring & Homberger (one of their files, RC1_2_2: depot at (70, 70), integer positions in
[0, 140]^2, service 10, windows 30 wide), as far as it applies to the TOPTW:

* **positions**: integers in the square [0, 0.7 n]^2 (140 for 200 customers, as Gehring & Homberger;
  210 for 300, the same rule), depot in the middle. R: uniform. C: n/20 cluster centres uniform in the
  middle 80 % of the square, each customer normal around a centre (sd = side/30, clipped to the
  square), customers dealt to the centres in turn. RC: half C, half R.
* **scores** (the TOPTW's profits, Solomon's demands in the shared set): C multiples of 10 from 10 to
  50; R and RC whole numbers from 1 to 40 (Solomon's r and rc demands span 1-41 and 2-40).
* **service times**: 90 in C, 10 in R and RC (Solomon's and Gehring & Homberger's).
* **horizon** Tmax: the Solomon family's (c1 1236, c2 3390, r1 230, r2 1000, rc1 240, rc2 960) times
  the side / 100, since every distance grows with the square.
* **windows**: every customer has one (as in the shared TOPTW files). Its width is uniform in the range
  the Solomon family's TOPTW files span (type 1 tight: c1 40-180, r1 10-60, rc1 10-120; type 2 wide: c2
  160-640, r2 30-760, rc2 60-480), its centre uniform between the earliest arrival from the depot and the
  latest start that still returns by Tmax; then cut to that range and made whole numbers, so every
  customer can be visited alone under any travel-time convention (``exact`` is the longest).

Determinism: everything is drawn from one ``random.Random`` seeded with the string
``"<class>-<n>-<seed>"`` (Python seeds strings through SHA-512, so the same name gives the same instance
on every machine and Python 3 version); no other randomness is used.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from xuthanh.itinerary.engine.solomon import DEFAULT_ROUNDING, SolomonInstance  # noqa: E402

CLASSES = ("c1", "c2", "r1", "r2", "rc1", "rc2")
SIZES = (200, 300)
HORIZON = {"c1": 1236, "c2": 3390, "r1": 230, "r2": 1000, "rc1": 240, "rc2": 960}
WIDTH = {"c1": (40, 180), "c2": (160, 640), "r1": (10, 60), "r2": (30, 760), "rc1": (10, 120), "rc2": (60, 480)}
PREFIX = "gen_"


def name_of(cls: str, n: int, seed: int) -> str:
    return f"{PREFIX}{cls}_{n}_{seed}"


def parse_name(name: str) -> tuple[str, int, int]:
    """``gen_rc1_300_0`` -> ("rc1", 300, 0); ValueError if the name is not a generated instance's."""
    parts = name.split("_")
    if len(parts) != 4 or parts[0] + "_" != PREFIX or parts[1] not in CLASSES:
        raise ValueError(f"not a generated instance name: {name!r} (gen_<class>_<n>_<seed>)")
    return parts[1], int(parts[2]), int(parts[3])


def is_generated(name: str) -> bool:
    return name.startswith(PREFIX)


def generate(cls: str, n: int, seed: int = 0, rounding: str = DEFAULT_ROUNDING) -> SolomonInstance:
    """One instance of class ``cls`` (c1, c2, r1, r2, rc1, rc2) with ``n`` customers (see the module doc)."""
    if cls not in CLASSES:
        raise ValueError(f"unknown class {cls!r}: one of {', '.join(CLASSES)}")
    if n < 2:
        raise ValueError("an instance needs at least 2 customers")
    rng = random.Random(f"{cls}-{n}-{seed}")
    geo = cls[:-1]
    side = round(0.7 * n)
    depot = (side / 2, side / 2)

    def clustered(count: int) -> list[tuple[float, float]]:
        k = max(2, n // 20)
        centres = [(rng.uniform(0.1, 0.9) * side, rng.uniform(0.1, 0.9) * side) for _ in range(k)]
        sd = side / 30
        return [
            tuple(min(side, max(0, round(rng.gauss(c, sd)))) for c in centres[i % k])  # type: ignore[misc]
            for i in range(count)
        ]

    def uniform(count: int) -> list[tuple[float, float]]:
        return [(rng.randint(0, side), rng.randint(0, side)) for _ in range(count)]

    if geo == "c":
        points = clustered(n)
    elif geo == "r":
        points = uniform(n)
    else:
        points = clustered(n // 2) + uniform(n - n // 2)
        rng.shuffle(points)
    xy = [depot] + [(float(x), float(y)) for x, y in points]
    tmax = round(HORIZON[cls] * side / 100)
    svc = 90 if geo == "c" else 10
    lo_w, hi_w = WIDTH[cls]
    service, score, open_, close = [0.0], [0.0], [0.0], [float(tmax)]
    for x, y in xy[1:]:
        d = math.hypot(x - depot[0], y - depot[1])
        earliest = math.ceil(d)  # arrival from the depot at time 0, under the longest convention
        latest = math.floor(tmax - d - svc)  # latest start that still gets back by Tmax
        if latest < earliest:
            raise ValueError(f"{cls}: a customer at distance {d:.1f} cannot be served within Tmax {tmax}")
        width = rng.uniform(lo_w, hi_w)
        centre = rng.uniform(earliest, latest)
        o = max(earliest, math.ceil(centre - width / 2))
        c = min(latest, math.floor(centre + width / 2))
        if c < o:  # a window narrower than one unit at the edge of the range
            o = c = min(max(round(centre), earliest), latest)
        service.append(float(svc))
        score.append(float(10 * rng.randint(1, 5) if geo == "c" else rng.randint(1, 40)))
        open_.append(float(o))
        close.append(float(c))
    return SolomonInstance(name_of(cls, n, seed), xy, service, score, open_, close, rounding)


def load(name: str, rounding: str = DEFAULT_ROUNDING) -> SolomonInstance:
    """The generated instance of that name (``gen_<class>_<n>_<seed>``)."""
    cls, n, seed = parse_name(name)
    return generate(cls, n, seed, rounding)


def default_names(sizes: tuple[int, ...] = SIZES, seeds: tuple[int, ...] = (0,)) -> list[str]:
    """The benchmark's generated set: every class and size, for each seed."""
    return [name_of(c, n, s) for n in sizes for c in CLASSES for s in seeds]


def to_text(inst: SolomonInstance) -> str:
    """The instance in the shared set's TOPTW format (v = 1, the `f a list` columns as ``1 1 1``)."""
    lines = [f"1 1 {inst.n} 1", "0 0"]
    for i, (x, y) in enumerate(inst.xy):
        tail = "0 0 0 0" if i == 0 else f"{inst.service[i]:g} {inst.score[i]:g} 1 1 1"
        lines.append(f"{i} {x:g} {y:g} {tail} {inst.open_[i]:g} {inst.close[i]:g}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder to write the files to")
    ap.add_argument("--classes", default=",".join(CLASSES))
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--seeds", default="0")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for n in (int(x) for x in args.sizes.split(",") if x):
        for cls in (c for c in args.classes.split(",") if c):
            for seed in (int(x) for x in args.seeds.split(",") if x):
                inst = generate(cls, n, seed)
                (args.out / f"{inst.name}.txt").write_text(to_text(inst))
                print(args.out / f"{inst.name}.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
