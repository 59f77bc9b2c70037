"""Smoke test of bench/toptw.py (the TOPTW benchmark): one tiny run writes the CSV the issue asks for, with routes
that re-check as feasible, a run split over two processes is summarised as one table, per family and m and per
family over all m, and runs over several seeds take their gaps against the best of all seeds; the travel-time
convention is a parameter, printed and written with every row; generated instances run by name, and two runs
compare as score ratios. No timing is asserted: speed targets live in the benchmark itself."""

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from xuthanh.itinerary.engine import check_routes, read_solomon

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "toptw.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_toptw", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


toptw = _load()
pytestmark = pytest.mark.skipif(not toptw.DEFAULT_DIR.is_dir(), reason=f"{toptw.DEFAULT_DIR} (shared set) missing")


def _run(tmp_path: Path, instance: str, out: str, seeds: str = "0") -> Path:
    path = tmp_path / out
    argv = ["--instances", instance, "--tours", "1,2", "--seconds", "0.2", "--solvers", "engine", "--out", str(path)]
    assert toptw.main([*argv, "--seeds", seeds]) == 0
    return path


def test_run_writes_checkable_rows_and_split_runs_summarise_as_one(tmp_path, capsys):
    part1 = _run(tmp_path, "c101", "a.csv")
    part2 = _run(tmp_path, "r201", "b.csv")
    with part1.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["tours"] for r in rows] == ["1", "2"]
    assert set(rows[0]) == {"instance", "tours", "seconds", "solver", "score", "gap", "routes", "seed", "rounding"}
    assert {r["rounding"] for r in rows} == {"floor1"}  # the default: the convention bks.csv holds under
    inst = read_solomon(toptw.DEFAULT_DIR / "c101.txt")
    for row in rows:
        routes = [r.split() for r in row["routes"].split("|")]
        assert len(routes) == int(row["tours"])
        assert check_routes(inst.problem(int(row["tours"])), routes) == []
        assert float(row["score"]) == sum(inst.score[int(c)] for r in routes for c in r) > 0
    capsys.readouterr()

    assert toptw.main(["--summary-of", f"{part1},{part2}"]) == 0
    out = capsys.readouterr().out
    assert "2 instances, 4 runs, seeds 0, travel times floor1," in out
    lines = {tuple(line.split()[:2]) for line in out.splitlines() if line.split()}
    assert {("c1", "1"), ("c1", "2"), ("c1", "all"), ("r2", "all"), ("all", "all")} <= lines
    assert "Rows with a best-known score only" in out  # c101 m=1 has one


def test_summary_refuses_mixed_time_limits(tmp_path, capsys):
    part = _run(tmp_path, "c101", "a.csv")
    text = part.read_text().replace(",0.2,", ",10.0,", 1)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(text)
    assert toptw.main(["--summary-of", str(mixed)]) == 2
    assert "mix time limits" in capsys.readouterr().err


def test_several_seeds_give_a_row_each_and_gaps_against_the_best_of_all_seeds(tmp_path, capsys):
    """c201 with m = 2 has no best-known score: the reference is the best score of any seed, in the run, and
    again when files of single seeds are summarised together (the summary re-computes such gaps)."""
    both = _run(tmp_path, "c201", "both.csv", seeds="0,1")
    with both.open() as fh:
        rows = list(csv.DictReader(fh))
    two = [r for r in rows if r["tours"] == "2"]
    assert [r["seed"] for r in two] == ["0", "1"]
    best = max(float(r["score"]) for r in two)
    gaps = [100 * (best - float(r["score"])) / best for r in two]
    assert [float(r["gap"]) for r in two] == pytest.approx(gaps, abs=1e-3)
    capsys.readouterr()

    parts = []
    for seed in ("0", "1"):  # as if each seed had been a run of its own: its gaps against itself
        part = tmp_path / f"seed{seed}.csv"
        with part.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=toptw.COLUMNS)
            writer.writeheader()
            writer.writerows({**r, "gap": "0.000"} for r in rows if r["seed"] == seed)
        parts.append(str(part))
    assert toptw.main(["--summary-of", ",".join(parts)]) == 0
    out = capsys.readouterr().out
    assert "1 instances, 4 runs, seeds 0, 1," in out
    c2_m2 = next(line.split() for line in out.splitlines() if line.split()[:2] == ["c2", "2"])
    assert c2_m2[2] == "2" and float(c2_m2[3]) == pytest.approx(sum(gaps) / 2, abs=1e-3)


def test_seeds_must_be_numbers(capsys):
    assert toptw.main(["--seeds", "0,x"]) == 2
    assert "--seeds takes whole numbers" in capsys.readouterr().err


def test_summary_says_which_file_and_line_is_wrong(tmp_path, capsys):
    part = _run(tmp_path, "c101", "a.csv")
    broken = tmp_path / "broken.csv"
    lines = part.read_text().splitlines(True)
    broken.write_text(lines[0] + lines[1].replace(",engine,", ",engine,abc,", 1))  # a column too many: score "abc"
    assert toptw.main(["--summary-of", str(broken)]) == 2
    assert f"{broken}:2: not a row" in capsys.readouterr().err
    assert toptw.main(["--summary-of", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err


def test_the_rounding_is_printed_and_written_and_only_floor1_uses_the_bks(tmp_path, capsys):
    """Under exact travel times c101 m=1 is not measured against bks.csv's 320 (found under floor1): its gap is to
    the best of the run, and the row and the summary name the convention."""
    path = tmp_path / "exact.csv"
    argv = ["--instances", "c101", "--tours", "1", "--seconds", "0.2", "--solvers", "engine", "--out", str(path)]
    assert toptw.main([*argv, "--rounding", "exact"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("travel times: exact (") and "c101  (0.2 s per run, exact;" in out
    assert "Rows with a best-known score only" not in out
    with path.open() as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["rounding"] == "exact" and float(row["gap"]) == 0.0  # the only run is the best of the run
    inst = read_solomon(toptw.DEFAULT_DIR / "c101.txt", "exact")
    assert check_routes(inst.problem(1), [row["routes"].split()]) == []
    floor1 = _run(tmp_path, "c101", "floor1.csv")
    assert toptw.main(["--summary-of", f"{path},{floor1}"]) == 2
    assert "mix travel-time conventions" in capsys.readouterr().err


def test_generated_instances_run_by_name_and_two_runs_compare_as_ratios(tmp_path, capsys):
    short, long_ = tmp_path / "short.csv", tmp_path / "long.csv"
    for seconds, path in (("0.1", short), ("0.4", long_)):
        argv = ["--instances", "gen_r1_200_0", "--tours", "1,3", "--seconds", seconds, "--solvers", "engine"]
        assert toptw.main([*argv, "--out", str(path)]) == 0
    out = capsys.readouterr().out
    assert "r1-200 all   2" in out  # the generated family: class and size
    with short.open() as fh:
        rows = list(csv.DictReader(fh))
    with long_.open() as fh:
        ref = {r["tours"]: float(r["score"]) for r in csv.DictReader(fh)}
    ratios = [100 * float(r["score"]) / ref[r["tours"]] for r in rows]
    assert toptw.main(["--ratio-of", str(short), "--reference", str(long_)]) == 0
    line = next(ln.split() for ln in capsys.readouterr().out.splitlines() if ln.split()[:2] == ["r1-200", "engine"])
    assert line[2] == "2"
    assert float(line[3]) == pytest.approx(sum(ratios) / 2, abs=0.01)
    assert float(line[4]) == pytest.approx(min(ratios), abs=0.01)
