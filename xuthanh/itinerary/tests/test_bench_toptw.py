"""Smoke test of bench/toptw.py (the TOPTW benchmark): one tiny run writes the CSV the issue asks for, with routes
that re-check as feasible, and a run split over two processes is summarised as one table, per family and m and per
family over all m. No timing is asserted: speed targets live in the benchmark itself."""

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


def _run(tmp_path: Path, instance: str, out: str) -> Path:
    path = tmp_path / out
    argv = ["--instances", instance, "--tours", "1,2", "--seconds", "0.2", "--solvers", "engine", "--out", str(path)]
    assert toptw.main(argv) == 0
    return path


def test_run_writes_checkable_rows_and_split_runs_summarise_as_one(tmp_path, capsys):
    part1 = _run(tmp_path, "c101", "a.csv")
    part2 = _run(tmp_path, "r201", "b.csv")
    with part1.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["tours"] for r in rows] == ["1", "2"]
    assert set(rows[0]) == {"instance", "tours", "seconds", "solver", "score", "gap", "routes"}
    inst = read_solomon(toptw.DEFAULT_DIR / "c101.txt")
    for row in rows:
        routes = [r.split() for r in row["routes"].split("|")]
        assert len(routes) == int(row["tours"])
        assert check_routes(inst.problem(int(row["tours"])), routes) == []
        assert float(row["score"]) == sum(inst.score[int(c)] for r in routes for c in r) > 0
    capsys.readouterr()

    assert toptw.main(["--summary-of", f"{part1},{part2}"]) == 0
    out = capsys.readouterr().out
    assert "2 instances, 4 runs" in out
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
