"""The independent checker: it reproduces published times and catches each kind of violation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from xuthanh.itinerary.engine import (
    Candidate,
    Day,
    DayPlan,
    Plan,
    Problem,
    Stop,
    Unplaced,
    check,
    check_routes,
    read_solomon,
)

OPTIMAL_C101 = ["57", "63", "62", "74", "93", "97", "12", "2", "21", "75"]


def tiny() -> Problem:
    cands = [
        Candidate("a", 1, 5.0, 10, [[(0, 100)]], cost=30),
        Candidate("b", 2, 3.0, 10, [[(50, 60)]], cost=10),
    ]
    travel = [[0, 10, 20], [10, 0, 10], [20, 10, 0]]
    return Problem(candidates=cands, days=[Day(0, 0, 0, 200)], travel=travel)


def plan_of(*stops: Stop, arrival: int = 100, score: float = 8.0, cost: int = 40) -> Plan:
    return Plan((DayPlan(0, 0, tuple(stops), arrival),), score, cost)


GOOD = (Stop("visit", "a", 1, 10, 10, 20), Stop("visit", "b", 2, 30, 50, 60))


def test_it_accepts_a_correct_plan():
    assert check(tiny(), plan_of(*GOOD)) == []


def test_it_reproduces_the_published_c101_optimum(solomon_dir):
    inst = read_solomon(solomon_dir / "c101.txt")
    problem = inst.problem(1)
    assert check_routes(problem, [OPTIMAL_C101]) == []
    assert sum(inst.score[int(c)] for c in OPTIMAL_C101) == 320
    # Righini & Salani's start times, in tenths: 35.0, 171.0, 266.0, 359.0, 500.4 ...
    travel = inst.travel_matrix()
    t, prev, starts = 0, 0, []
    for cid in map(int, OPTIMAL_C101):
        t = max(t + travel[prev][cid], round(inst.open_[cid] * 10))
        starts.append(t)
        t += round(inst.service[cid] * 10)
        prev = cid
    assert starts[:5] == [350, 1710, 2660, 3590, 5004]
    assert starts[-1] == 10586


def test_it_rejects_a_start_outside_the_window():
    stops = (GOOD[0], Stop("visit", "b", 2, 30, 61, 71))
    assert any("outside its windows" in e for e in check(tiny(), plan_of(*stops)))


def test_it_rejects_an_arrival_faster_than_travel():
    stops = (Stop("visit", "a", 1, 5, 10, 20), GOOD[1])
    assert any("earliest possible" in e for e in check(tiny(), plan_of(*stops)))


def test_it_rejects_a_late_return_and_a_wrong_departure():
    day = tiny().days[0]
    problem = replace(tiny(), days=[replace(day, end_time=70)])
    errors = check(problem, plan_of(*GOOD, arrival=80))
    assert any("after the end of the day" in e for e in errors)
    stops = (Stop("visit", "a", 1, 10, 10, 25), GOOD[1])
    assert any("departs at" in e for e in check(tiny(), plan_of(*stops)))


def test_it_rejects_duplicates_excluded_and_budget():
    problem = replace(tiny(), excluded=frozenset({"b"}), budget=35)
    stops = (GOOD[0], GOOD[1], Stop("visit", "a", 1, 70, 70, 80))
    errors = check(problem, plan_of(*stops, score=13.0, cost=70))
    assert any("already visited" in e for e in errors)
    assert any("is excluded" in e for e in errors)
    assert any("exceeds budget" in e for e in errors)


def test_it_rejects_a_wrong_total_and_a_silent_missing_must_visit():
    problem = replace(tiny(), must_visit=frozenset({"b"}))
    errors = check(problem, plan_of(GOOD[0], score=9.0, cost=30))
    assert any("reported score" in e for e in errors)
    assert any("must-visit b" in e for e in errors)
    reported = replace(plan_of(GOOD[0], score=5.0, cost=30), unplaced=(Unplaced("b", "closed"),))
    assert check(problem, reported) == []


def test_check_routes_flags_a_late_arrival(solomon_dir):
    problem = read_solomon(solomon_dir / "c101.txt").problem(1)
    assert check_routes(problem, [list(reversed(OPTIMAL_C101))])


def test_the_travel_time_convention_is_a_parameter_of_the_reader(solomon_dir, tmp_path):
    """floor1 (the default) truncates to tenths, floor2 to hundredths, exact keeps the distance (as its
    ceiling in 1/10000): a tour that fits the day with truncated times can be too long with the real ones."""
    c101 = {r: read_solomon(solomon_dir / "c101.txt", r) for r in ("floor1", "floor2", "exact")}
    assert [c101[r].scale for r in ("floor1", "floor2", "exact")] == [10, 100, 10_000]
    # depot (40, 50) to customer 1 at (45, 68): 18.6815...
    assert [c101[r].travel_matrix()[0][1] for r in ("floor1", "floor2", "exact")] == [186, 1868, 186816]
    for inst in c101.values():  # the published optimum fits under each, with the windows scaled alike
        assert check_routes(inst.problem(1), [OPTIMAL_C101]) == []
    # one customer at distance 0.98995 (0.9 truncated) and a day of 1.97: there and back fits only when truncated
    path = tmp_path / "tiny.txt"
    path.write_text("1 1 1 1\n0 0\n0 0 0 0 0 0 0 0 1.97\n1 0.7 0.7 0 5 1 1 1 0 1.97\n")
    assert check_routes(read_solomon(path).problem(1), [["1"]]) == []
    assert check_routes(read_solomon(path, "floor2").problem(1), [["1"]]) == []  # 0.98 + 0.98
    assert check_routes(read_solomon(path, "exact").problem(1), [["1"]]) != []  # 0.98995 * 2 > 1.97
    with pytest.raises(ValueError):
        read_solomon(path, "round")
