"""TOPTW benchmark of the trip engine against PyVRP and OR-Tools on the Solomon-based set.

Usage (from the repository root)::

    python bench/toptw.py [--dir FOLDER] [--instances c101,r201] [--tours 1,2,3,4]
                          [--seconds 1] [--solvers engine,pyvrp,ortools] [--seeds 0] [--out results.csv]
    python bench/toptw.py --summary-of part1.csv,part2.csv   # one summary of a run split over processes

Every solver gets the same time limit per (instance, tours). Every solution, the baselines'
too, is re-checked by the engine's independent checker from bare id sequences; one that
fails is counted as infeasible (score 0) and noted. The gap is 100*(ref - score)/ref with ref
the best-known score from bks.csv when it has one, else the best score any solver reached
in this run, over all its seeds (marked ``*``). With several seeds (``--seeds 0,1,2``: the
engine's and PyVRP's; OR-Tools has none) every run is a row, and the averages are over runs:
single runs at 10 s differ by more than the solvers do on some rows, so a comparison of
families is fairer over seeds. Progress goes to stderr, one line per run.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from xuthanh.itinerary.engine import check_routes, read_solomon, solve  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "bench" / "toptw" / "solomon"
FAMILIES = ("c1", "c2", "r1", "r2", "rc1", "rc2")
COLUMNS = ["instance", "tours", "seconds", "solver", "score", "gap", "routes", "seed"]


def family(name: str) -> str:
    letters = name.rstrip("0123456789")
    digits = name[len(letters) :]
    return letters + digits[:1]


def load_bks(folder: Path) -> dict[tuple[str, int], float]:
    path = folder.parent / "bks.csv"
    bks: dict[tuple[str, int], float] = {}
    if path.exists():
        with path.open() as fh:
            for row in csv.DictReader(fh):
                if row.get("bks_score"):
                    bks[(row["instance"], int(row["m"]))] = float(row["bks_score"])
    return bks


def reference(bks: dict[tuple[str, int], float], key: tuple[str, int], scores: Iterable[float]) -> float:
    """The score a gap is measured to: the best-known one, else the best of the runs (1 if none scored)."""
    return bks.get(key) or max(scores, default=0.0) or 1.0


def gap_percent(score: float, ref: float) -> float:
    return 100.0 * (ref - score) / ref


def run_engine(inst, tours: int, seconds: float, seed: int = 0) -> list[list[str]]:
    plan = solve(inst.problem(tours), time_limit=seconds, seed=seed)
    return plan.visit_ids()


def run_solver(name: str, inst, tours: int, seconds: float, seed: int = 0) -> list[list[str]]:
    if name == "engine":
        return run_engine(inst, tours, seconds, seed)
    import toptw_baselines

    if name == "pyvrp":
        return toptw_baselines.solve_pyvrp(inst, tours, seconds, seed)
    if name == "ortools":
        return toptw_baselines.solve_ortools(inst, tours, seconds, seed)
    raise ValueError(f"unknown solver {name!r}")


def summarise(rows: list[dict], solvers: list[str], tours_list: list[int], seconds: float) -> None:
    """Print the average gap per family and m, per family over all m, and over rows with a best-known score."""
    print(f"\nSummary: average gap % per family and m ({seconds:g} s per run)")
    header = f"{'family':>6} {'m':>3} {'n':>3} " + " ".join(f"{s:>9}" for s in solvers)
    print(header)
    agg: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    for row in rows:
        for fam in (row["family"], "all"):
            agg[(fam, row["tours"], row["solver"])].append(float(row["gap"]))
            agg[(fam, 0, row["solver"])].append(float(row["gap"]))
    for fam in (*FAMILIES, "all"):
        for tours in (*tours_list, 0):
            if (fam, tours, solvers[0]) not in agg:
                continue
            n = len(agg[(fam, tours, solvers[0])])
            means = [sum(agg[(fam, tours, s)]) / max(1, len(agg[(fam, tours, s)])) for s in solvers]
            cells = " ".join(f"{x:>9.3f}" for x in means)
            best = "" if tours or len(solvers) < 2 else "  best: " + solvers[means.index(min(means))]
            print(f"{fam:>6} {tours if tours else 'all':>3} {n:>3} {cells}{best}")
    with_bks = [r for r in rows if r["bks"]]
    if with_bks:
        print("\nRows with a best-known score only:")
        for s in solvers:
            gaps = [float(r["gap"]) for r in with_bks if r["solver"] == s]
            print(f"  {s:>8}: {sum(gaps) / len(gaps):.3f}% over {len(gaps)} runs")


def summarise_files(paths: list[Path], folder: Path) -> int:
    """Re-print the summary of earlier runs from their CSV files (a run split over processes, or over seeds).
    Where bks.csv has no score, gaps are recomputed against the best score of any row of the files."""
    bks = load_bks(folder)
    rows: list[dict] = []
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        with path.open() as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    tours = int(row["tours"])
                    float(row["score"]), float(row["seconds"]), int(row.get("seed") or 0)
                except (KeyError, TypeError, ValueError) as exc:
                    print(f"{path}:{line}: not a row of this benchmark's CSV ({exc!r})", file=sys.stderr)
                    return 2
                rows.append(
                    {**row, "tours": tours, "family": family(row["instance"]), "bks": (row["instance"], tours) in bks}
                )
    scores: dict[tuple[str, int], list[float]] = defaultdict(list)
    for row in rows:
        scores[(row["instance"], row["tours"])].append(float(row["score"]))
    for row in rows:
        key = (row["instance"], row["tours"])
        row["gap"] = f"{gap_percent(float(row['score']), reference(bks, key, scores[key])):.3f}"
    if not rows:
        print("no rows in " + ", ".join(map(str, paths)), file=sys.stderr)
        return 2
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    tours_list = sorted({r["tours"] for r in rows})
    seconds = sorted({float(r["seconds"]) for r in rows})
    if len(seconds) > 1:
        print(f"the files mix time limits {seconds}: summarise one limit at a time", file=sys.stderr)
        return 2
    seeds = sorted({r.get("seed") or "0" for r in rows}, key=int)
    print(
        f"{len({r['instance'] for r in rows})} instances, {len(rows)} runs, seeds {', '.join(seeds)}, from "
        + ", ".join(map(str, paths))
    )
    summarise(rows, solvers, tours_list, seconds[0])
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--instances", default="")
    ap.add_argument("--tours", default="1,2,3,4")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--solvers", default="engine,pyvrp,ortools")
    ap.add_argument("--seeds", "--seed", default="0", help="seeds of the engine and PyVRP, e.g. 0,1,2")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--summary-of", default="", help="comma-separated CSV files of earlier runs: print their summary only"
    )
    args = ap.parse_args(argv)
    if args.summary_of:
        return summarise_files([Path(p) for p in args.summary_of.split(",") if p], args.dir)

    folder: Path = args.dir
    names = [x for x in args.instances.split(",") if x] or sorted(p.stem for p in folder.glob("*.txt"))
    tours_list = [int(x) for x in args.tours.split(",") if x]
    solvers = [x for x in args.solvers.split(",") if x]
    bks = load_bks(folder)
    rows: list[dict] = []
    notes: list[str] = []
    try:
        seeds = list(dict.fromkeys(int(x) for x in args.seeds.split(",") if x)) or [0]
    except ValueError:
        print(f"--seeds takes whole numbers separated by commas, not {args.seeds!r}", file=sys.stderr)
        return 2
    total = len(names) * len(tours_list) * len(seeds) * len(solvers)
    done = 0
    for name in names:
        inst = read_solomon(folder / f"{name}.txt")
        table = []
        for tours in tours_list:
            problem = inst.problem(tours)
            runs: list[tuple[int, str, float, list[list[str]]]] = []  # (seed, solver, score, routes)
            for seed in seeds:
                for solver in solvers:
                    t0 = time.perf_counter()
                    try:
                        routes = run_solver(solver, inst, tours, args.seconds, seed)
                        error = ""
                    except ImportError as exc:
                        routes, error = [[] for _ in range(tours)], f"not installed ({exc.name})"
                    elapsed = time.perf_counter() - t0
                    violations = check_routes(problem, routes)
                    score = sum(inst.score[int(c)] for r in routes for c in r)
                    if error or violations:
                        why = error or f"infeasible: {violations[0]}"
                        notes.append(f"{name} m={tours} seed {seed} {solver}: {why}")
                        score = 0.0
                    runs.append((seed, solver, score, routes))
                    done += 1
                    print(
                        f"[{done}/{total}] {name} m={tours} seed {seed} {solver}: score {score:g} in {elapsed:.2f}s"
                        + (f" ({error or 'INFEASIBLE'})" if error or violations else ""),
                        file=sys.stderr,
                        flush=True,
                    )
            star = (name, tours) not in bks
            ref = reference(bks, (name, tours), (score for _, _, score, _ in runs))
            lines: dict[int, dict] = {}
            for seed, solver, score, routes in runs:
                gap = gap_percent(score, ref)
                lines.setdefault(seed, {"tours": tours, "seed": seed, "ref": ref, "star": star})[solver] = (score, gap)
                rows.append(
                    {
                        "instance": name,
                        "tours": tours,
                        "seconds": args.seconds,
                        "solver": solver,
                        "score": f"{score:g}",
                        "gap": f"{gap:.3f}",
                        "routes": "|".join(" ".join(r) for r in routes),
                        "seed": seed,
                        "family": family(name),
                        "bks": not star,
                    }
                )
            table.extend(lines.values())
        print(f"\n{name}  ({args.seconds:g} s per run; gap vs BKS, * = vs best of this run)")
        print(f"{'m':>2} {'seed':>4} {'ref':>8} " + " ".join(f"{s:>18}" for s in solvers))
        for line in table:
            cells = " ".join(f"{line[s][0]:>8g} {line[s][1]:>7.2f}% " for s in solvers)
            star = "*" if line["star"] else " "
            print(f"{line['tours']:>2} {line['seed']:>4} {line['ref']:>7g}{star} {cells}", flush=True)

    summarise(rows, solvers, tours_list, args.seconds)
    if notes:
        print("\nNotes:")
        for note in notes:
            print("  " + note)
    if args.out:
        with args.out.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: row[k] for k in writer.fieldnames})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
