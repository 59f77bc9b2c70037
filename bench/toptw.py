"""TOPTW benchmark of the trip engine against PyVRP and OR-Tools: the Solomon-based set, and generated instances.

Usage (from the repository root)::

    python bench/toptw.py [--dir FOLDER] [--instances c101,r201] [--tours 1,2,3,4] [--rounding floor1]
                          [--seconds 1] [--solvers engine,pyvrp,ortools] [--seeds 0] [--out results.csv]
    python bench/toptw.py --set generated --tours 1,2,3,4,5 ...   # the 200/300-customer set of toptw_gen.py
    python bench/toptw.py --summary-of part1.csv,part2.csv   # one summary of a run split over processes
    python bench/toptw.py --ratio-of short.csv --reference long.csv   # score ratios of two runs, e.g. 1 s vs 60 s

Every solver gets the same time limit per (instance, tours). Every solution, the baselines'
too, is re-checked by the engine's independent checker from bare id sequences; one that
fails is counted as infeasible (score 0) and noted. The gap is 100*(ref - score)/ref with ref
the best-known score from bks.csv when it has one, else the best score any solver reached
in this run, over all its seeds (marked ``*``). With several seeds (``--seeds 0,1,2``: the
engine's and PyVRP's; OR-Tools has none) every run is a row, and the averages are over runs:
single runs at 10 s differ by more than the solvers do on some rows, so a comparison of
families is fairer over seeds. Progress goes to stderr, one line per run.

``--rounding`` is the travel-time convention (``floor1``, ``floor2`` or ``exact``; see
``xuthanh.itinerary.engine.solomon``): every solver and the checker use it, the run prints it and
writes it in each row. bks.csv's scores are under ``floor1`` (the Solomon set's convention), so under
another convention the gap is to the best of the run. Instances named ``gen_<class>_<n>_<seed>``
(``--set generated``: every class of ``toptw_gen.py`` at 200 and 300 customers, seed 0) are generated
in memory; their family is ``<class>-<n>`` and they have no best-known score.
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

import toptw_gen  # noqa: E402

from xuthanh.itinerary.engine import check_routes, read_solomon, solve  # noqa: E402
from xuthanh.itinerary.engine.solomon import DEFAULT_ROUNDING, ROUNDINGS  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "bench" / "toptw" / "solomon"
FAMILIES = ("c1", "c2", "r1", "r2", "rc1", "rc2")
COLUMNS = ["instance", "tours", "seconds", "solver", "score", "gap", "routes", "seed", "rounding"]
BKS_ROUNDING = "floor1"  # the convention bks.csv's scores were found under
CONVENTION = {
    "floor1": "Euclidean distance truncated to 1 decimal, as the Solomon-based TOPTW sets",
    "floor2": "Euclidean distance truncated to 2 decimals, as the Cordeau-based pr sets",
    "exact": "Euclidean distance in double precision, held as its ceiling at 1e-4",
}


def family(name: str) -> str:
    if toptw_gen.is_generated(name):
        cls, n, _seed = toptw_gen.parse_name(name)
        return f"{cls}-{n}"
    letters = name.rstrip("0123456789")
    digits = name[len(letters) :]
    return letters + digits[:1]


def family_order(fam: str) -> tuple:
    """Solomon families first, in their usual order, then the generated ones by size and class."""
    if fam in FAMILIES:
        return (0, 0, FAMILIES.index(fam))
    cls, _, n = fam.partition("-")
    return (1, int(n or 0), FAMILIES.index(cls) if cls in FAMILIES else len(FAMILIES))


def load_instance(folder: Path, name: str, rounding: str):
    if toptw_gen.is_generated(name):
        return toptw_gen.load(name, rounding)
    return read_solomon(folder / f"{name}.txt", rounding)


def load_bks(folder: Path, rounding: str = DEFAULT_ROUNDING) -> dict[tuple[str, int], float]:
    """bks.csv's scores, which hold under its own convention only: none under another rounding."""
    path = folder.parent / "bks.csv"
    bks: dict[tuple[str, int], float] = {}
    if path.exists() and rounding == BKS_ROUNDING:
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
    rounding = rows[0].get("rounding", DEFAULT_ROUNDING) if rows else DEFAULT_ROUNDING
    print(f"\nSummary: average gap % per family and m ({seconds:g} s per run, travel times {rounding})")
    header = f"{'family':>6} {'m':>3} {'n':>3} " + " ".join(f"{s:>9}" for s in solvers)
    print(header)
    agg: dict[tuple[str, int, str], list[float]] = defaultdict(list)
    for row in rows:
        for fam in (row["family"], "all"):
            agg[(fam, row["tours"], row["solver"])].append(float(row["gap"]))
            agg[(fam, 0, row["solver"])].append(float(row["gap"]))
    families = sorted({row["family"] for row in rows}, key=family_order)
    for fam in (*families, "all"):
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


def read_rows(paths: list[Path]) -> list[dict] | None:
    """The rows of earlier runs' CSV files (``tours`` as int, ``rounding`` filled in for files written
    before the column existed: they all used floor1); None, with the reason on stderr, when a file is
    missing or a row is malformed."""
    rows: list[dict] = []
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return None
        with path.open() as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    tours = int(row["tours"])
                    float(row["score"]), float(row["seconds"]), int(row.get("seed") or 0)
                    rounding = row.get("rounding") or DEFAULT_ROUNDING
                    if rounding not in ROUNDINGS:
                        raise ValueError(f"rounding {rounding!r}")
                except (KeyError, TypeError, ValueError) as exc:
                    print(f"{path}:{line}: not a row of this benchmark's CSV ({exc!r})", file=sys.stderr)
                    return None
                rows.append({**row, "tours": tours, "rounding": rounding, "family": family(row["instance"])})
    if not rows:
        print("no rows in " + ", ".join(map(str, paths)), file=sys.stderr)
        return None
    roundings = sorted({r["rounding"] for r in rows})
    if len(roundings) > 1:
        print(f"the files mix travel-time conventions {roundings}: one at a time", file=sys.stderr)
        return None
    return rows


def summarise_files(paths: list[Path], folder: Path) -> int:
    """Re-print the summary of earlier runs from their CSV files (a run split over processes, or over seeds).
    Where bks.csv has no score, gaps are recomputed against the best score of any row of the files."""
    rows = read_rows(paths)
    if rows is None:
        return 2
    bks = load_bks(folder, rows[0]["rounding"])
    scores: dict[tuple[str, int], list[float]] = defaultdict(list)
    for row in rows:
        row["bks"] = (row["instance"], row["tours"]) in bks
        scores[(row["instance"], row["tours"])].append(float(row["score"]))
    for row in rows:
        key = (row["instance"], row["tours"])
        row["gap"] = f"{gap_percent(float(row['score']), reference(bks, key, scores[key])):.3f}"
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    tours_list = sorted({r["tours"] for r in rows})
    seconds = sorted({float(r["seconds"]) for r in rows})
    if len(seconds) > 1:
        print(f"the files mix time limits {seconds}: summarise one limit at a time", file=sys.stderr)
        return 2
    seeds = sorted({r.get("seed") or "0" for r in rows}, key=int)
    print(
        f"{len({r['instance'] for r in rows})} instances, {len(rows)} runs, seeds {', '.join(seeds)}, "
        f"travel times {rows[0]['rounding']}, from " + ", ".join(map(str, paths))
    )
    summarise(rows, solvers, tours_list, seconds[0])
    return 0


def ratio_files(paths: list[Path], reference_paths: list[Path]) -> int:
    """Score of each run of ``paths`` divided by the score of the same instance, tours, seed and solver in
    ``reference_paths`` (e.g. the engine at 1 s against itself at 60 s): mean and minimum per family."""
    short, long_ = read_rows(paths), read_rows(reference_paths)
    if short is None or long_ is None:
        return 2
    if short[0]["rounding"] != long_[0]["rounding"]:
        print("the two sets of files use different travel-time conventions", file=sys.stderr)
        return 2
    ref = {(r["instance"], r["tours"], r.get("seed") or "0", r["solver"]): float(r["score"]) for r in long_}
    ratios: dict[tuple[str, str], list[float]] = defaultdict(list)
    missing = 0
    for row in short:
        key = (row["instance"], row["tours"], row.get("seed") or "0", row["solver"])
        if key not in ref:
            missing += 1
            continue
        score, base = float(row["score"]), ref[key]
        ratio = 100.0 if base <= 0 and score <= 0 else 100.0 * score / base if base > 0 else 0.0
        for fam in (row["family"], "all"):
            ratios[(fam, row["solver"])].append(ratio)
    if not ratios:
        print("no run of the first files has a counterpart in the reference files", file=sys.stderr)
        return 2
    secs = sorted({float(r["seconds"]) for r in short}), sorted({float(r["seconds"]) for r in long_})
    print(f"score ratio % of {', '.join(map(str, paths))} ({'/'.join(f'{x:g}' for x in secs[0])} s) to")
    print(f"  {', '.join(map(str, reference_paths))} ({'/'.join(f'{x:g}' for x in secs[1])} s)")
    print(f"{'family':>8} {'solver':>8} {'n':>4} {'mean':>8} {'min':>8}")
    families = sorted({f for f, _ in ratios if f != "all"}, key=family_order)
    for fam in (*families, "all"):
        for solver in dict.fromkeys(s for _, s in ratios):
            vals = ratios.get((fam, solver))
            if vals:
                print(f"{fam:>8} {solver:>8} {len(vals):>4} {sum(vals) / len(vals):>8.2f} {min(vals):>8.2f}")
    if missing:
        print(f"({missing} runs without a counterpart left out)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--instances", default="")
    ap.add_argument("--set", choices=("solomon", "generated"), default="solomon", help="instances when none named")
    ap.add_argument("--tours", default="1,2,3,4")
    ap.add_argument("--rounding", choices=tuple(ROUNDINGS), default=DEFAULT_ROUNDING, help="travel-time convention")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--solvers", default="engine,pyvrp,ortools")
    ap.add_argument("--seeds", "--seed", default="0", help="seeds of the engine and PyVRP, e.g. 0,1,2")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--summary-of", default="", help="comma-separated CSV files of earlier runs: print their summary only"
    )
    ap.add_argument("--ratio-of", default="", help="comma-separated CSV files: their scores as %% of --reference's")
    ap.add_argument("--reference", default="", help="comma-separated CSV files, with --ratio-of")
    args = ap.parse_args(argv)
    if args.summary_of:
        return summarise_files([Path(p) for p in args.summary_of.split(",") if p], args.dir)
    if args.ratio_of:
        if not args.reference:
            print("--ratio-of needs --reference", file=sys.stderr)
            return 2
        return ratio_files(
            [Path(p) for p in args.ratio_of.split(",") if p], [Path(p) for p in args.reference.split(",") if p]
        )

    folder: Path = args.dir
    names = [x for x in args.instances.split(",") if x]
    if not names:
        names = toptw_gen.default_names() if args.set == "generated" else sorted(p.stem for p in folder.glob("*.txt"))
    tours_list = [int(x) for x in args.tours.split(",") if x]
    solvers = [x for x in args.solvers.split(",") if x]
    bks = load_bks(folder, args.rounding)
    rows: list[dict] = []
    notes: list[str] = []
    print(f"travel times: {args.rounding} ({CONVENTION[args.rounding]})", flush=True)
    try:
        seeds = list(dict.fromkeys(int(x) for x in args.seeds.split(",") if x)) or [0]
    except ValueError:
        print(f"--seeds takes whole numbers separated by commas, not {args.seeds!r}", file=sys.stderr)
        return 2
    total = len(names) * len(tours_list) * len(seeds) * len(solvers)
    done = 0
    for name in names:
        inst = load_instance(folder, name, args.rounding)
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
                        "rounding": args.rounding,
                        "family": family(name),
                        "bks": not star,
                    }
                )
            table.extend(lines.values())
        print(f"\n{name}  ({args.seconds:g} s per run, {args.rounding}; gap vs BKS, * = vs best of this run)")
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
