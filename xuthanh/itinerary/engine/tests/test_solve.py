"""The solver on trips: every plan passes the independent checker, and the product rules hold."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from xuthanh.itinerary.engine import Candidate, Day, LockedStop, LunchBreak, Problem, check, read_solomon, solve

from .trips import random_trip


def solved(problem: Problem, **kw):
    kw.setdefault("time_limit", 10.0)
    kw.setdefault("max_iterations", 150)
    plan = solve(problem, **kw)
    assert check(problem, plan) == []
    assert "fallback" not in plan.stats  # the search itself stayed feasible
    return plan


@pytest.mark.parametrize("seed", range(6))
def test_random_trips_give_feasible_plans(seed):
    plan = solved(random_trip(seed))
    assert plan.score > 0
    assert all(s.start <= s.departure for d in plan.days for s in d.stops)


def test_it_is_deterministic_for_a_seed():
    problem = random_trip(11)
    a = solved(problem, seed=3)
    b = solved(problem, seed=3)
    assert a.days == b.days and a.score == b.score


def test_it_accepts_a_travel_callable():
    problem = random_trip(2)
    matrix = problem.travel
    as_callable = replace(problem, travel=lambda i, j: matrix[i][j])
    assert solved(as_callable).days == solved(problem).days


def test_it_honours_the_time_limit(solomon_dir):
    problem = read_solomon(solomon_dir / "r201.txt").problem(4)
    t0 = time.perf_counter()
    plan = solve(problem, time_limit=0.3)
    assert time.perf_counter() - t0 < 0.9
    assert check(problem, plan) == []


def test_it_finds_the_c101_optimum_quickly(solomon_dir):
    problem = read_solomon(solomon_dir / "c101.txt").problem(1)
    plan = solved(problem, max_iterations=300)
    assert plan.score == 320


def test_excluded_places_are_never_visited():
    problem = random_trip(4)
    first = solved(problem)
    banned = frozenset(first.visit_ids()[0][:2])
    plan = solved(replace(problem, excluded=banned))
    assert banned.isdisjoint(cid for day in plan.visit_ids() for cid in day)


def test_the_budget_caps_ticket_costs():
    problem = replace(random_trip(5), budget=60)
    plan = solved(problem)
    assert plan.cost <= 60


def test_must_visits_are_placed_even_when_low_scored():
    problem = random_trip(6)
    plain = solved(problem)
    visited = {cid for day in plain.visit_ids() for cid in day}
    wanted = [c.id for c in problem.candidates if c.id not in visited and any(c.windows)][:2]
    plan = solved(replace(problem, must_visit=frozenset(wanted)))
    got = {cid for day in plan.visit_ids() for cid in day}
    placed_or_told = got | {u.id for u in plan.unplaced}
    assert set(wanted) <= placed_or_told
    assert set(wanted) <= got or plan.unplaced


def test_an_impossible_must_visit_is_reported_with_a_reason():
    problem = random_trip(7)
    closed = Candidate("closed", 1, 9.0, 30, [[], [], []])
    far = Candidate("far", 2, 9.0, 600, [[(480, 500)]] * 3)
    problem = replace(problem, candidates=[*problem.candidates, closed, far], must_visit=frozenset({"closed", "far"}))
    plan = solved(problem)
    reasons = {u.id: u.reason for u in plan.unplaced}
    assert "closed on every day" in reasons["closed"]
    assert "no day is long enough" in reasons["far"]


def test_lunch_is_a_break_in_its_window_every_day():
    lunch = LunchBreak(duration=60, earliest=690, latest=780, food_tag=None)
    problem = replace(random_trip(8), lunch=lunch)
    plan = solved(problem)
    for day in plan.days:
        lunches = [s for s in day.stops if s.kind == "lunch"]
        assert len(lunches) == 1 and 690 <= lunches[0].start <= 780
        assert lunches[0].departure - lunches[0].start == 60


def test_lunch_can_be_required_at_a_food_place():
    lunch = LunchBreak(duration=45, earliest=690, latest=780, food_tag="food", require_food_place=True)
    problem = replace(random_trip(9), lunch=lunch)
    plan = solved(problem)
    food = {c.id for c in problem.candidates if "food" in c.tags}
    for day in plan.days:
        (meal,) = [s for s in day.stops if s.kind == "lunch"]
        assert meal.candidate_id in food


def test_a_lunch_that_cannot_fit_is_reported():
    lunch = LunchBreak(duration=60, earliest=1200, latest=1260, food_tag=None)
    plan = solved(replace(random_trip(10), lunch=lunch))
    assert {u.id for u in plan.unplaced} == {"lunch:0", "lunch:1", "lunch:2"}


def test_locked_stops_keep_their_day_and_order():
    problem = random_trip(12)
    first = solved(problem)
    day1 = first.visit_ids()[1]
    locked = [LockedStop(cid, 1) for cid in day1[:3]]
    plan = solved(replace(problem, locked=locked))
    got = [cid for cid in plan.visit_ids()[1] if cid in day1[:3]]
    assert got == day1[:3]


def test_locked_stops_that_cannot_be_scheduled_are_refused():
    problem = random_trip(13)
    cid = problem.candidates[0].id
    with pytest.raises(ValueError):
        solve(replace(problem, locked=[LockedStop(cid, 0), LockedStop(cid, 1)]), time_limit=1.0)


def test_days_may_start_and_end_in_different_places():
    problem = random_trip(14)
    days = [Day(0, 3, 480, 1140), Day(3, 5, 540, 1080), Day(5, 0, 480, 1000)]
    plan = solved(replace(problem, days=days))
    assert plan.days[1].departure == 540


def test_a_day_too_short_for_its_own_journey_is_an_error():
    problem = Problem(candidates=[], days=[Day(0, 1, 0, 5)], travel=[[0, 10], [10, 0]])
    with pytest.raises(ValueError):
        solve(problem, time_limit=1.0)


def test_travel_that_breaks_the_triangle_inequality_stays_feasible():
    problem = random_trip(15, n=25, days=2)
    matrix = [list(row) for row in problem.travel]
    for i in range(len(matrix)):
        for j in range(len(matrix)):
            if (i * 7 + j) % 5 == 0 and i != j:
                matrix[i][j] += 40
    for seed in range(3):
        solved(replace(problem, travel=matrix), seed=seed)


@pytest.mark.parametrize("seed", range(8))
def test_all_rules_together_stay_feasible(seed):
    base = random_trip(100 + seed, n=35, days=3)
    ids = [c.id for c in base.candidates]
    lunch = LunchBreak(duration=50, earliest=700, latest=800, food_tag="food", require_food_place=seed % 2 == 1)
    problem = replace(
        base,
        lunch=lunch,
        budget=80 + 10 * seed,
        must_visit=frozenset(ids[seed : seed + 3]),
        excluded=frozenset(ids[-2:]),
    )
    plan = solved(problem, seed=seed)
    locked = [LockedStop(cid, d) for d, day in enumerate(plan.visit_ids()) for cid in day[:1]]
    solved(replace(problem, locked=locked), seed=seed + 1)


def test_solomon_plans_pass_the_checker_for_every_family(solomon_dir):
    for name, tours in [("c101", 2), ("c201", 1), ("r102", 3), ("r202", 2), ("rc103", 4), ("rc204", 1)]:
        problem = read_solomon(solomon_dir / f"{name}.txt").problem(tours)
        plan = solved(problem, max_iterations=40)
        assert plan.score > 0


def test_an_iteration_budget_makes_benchmark_runs_reproducible(solomon_dir):
    problem = read_solomon(solomon_dir / "rc102.txt").problem(2)
    runs = [solve(problem, time_limit=30.0, seed=5, max_iterations=120) for _ in range(2)]
    assert runs[0].days == runs[1].days
    assert check(problem, runs[0]) == []


def _search_on_a_line(pos: list[int], end: int, days: list[list[int]], scores: list[float] | None = None):
    """A Search over places at ``pos[1:]`` on a line (hotel at ``pos[0]``, score 1 unless ``scores`` says,
    5-minute visits, open all day), with len(days) days ending at ``end`` that visit ``days[r]`` (place
    numbers) in order."""
    from xuthanh.itinerary.engine.instance import compile_problem
    from xuthanh.itinerary.engine.solver import Search

    travel = [[abs(a - b) for b in pos] for a in pos]
    scores = scores or [1.0] * (len(pos) - 1)
    cands = [Candidate(str(i), i, scores[i - 1], 5, [[(0, end)]] * len(days)) for i in range(1, len(pos))]
    problem = Problem(candidates=cands, days=[Day(0, 0, 0, end)] * len(days), travel=travel)
    search = Search(compile_problem(problem), 0)
    node = {search.inst.cand[v] + 1: v for v in range(search.inst.n)}
    for r, places in enumerate(days):
        seq = search.seq[r]
        search.seq[r] = [seq[0], *(node[c] for c in places), seq[-1]]
    search.restore(search.snapshot())
    return search


def test_exchange_swaps_visits_between_days_when_both_days_end_earlier():
    """Two clusters of places, at 10–11 and 100–101 minutes from the hotel, each day holding one of each: the
    exchange swaps the stray visits so that each day stays in one cluster."""
    search = _search_on_a_line([0, 10, 11, 100, 101], 1000, [[1, 4], [3, 2]])
    assert search.exchange()
    days = [sorted(search.inst.cand[v] + 1 for v in s[1:-1]) for s in search.seq]
    assert sorted(days) == [[1, 2], [3, 4]]
    assert search.arr[0][-1] + search.arr[1][-1] == 22 + 10 + 202 + 10  # road plus two 5-minute visits a day


def test_cross_swaps_the_tails_of_two_days_when_both_days_end_earlier():
    """Day 1 goes near then far, day 2 far then near: swapping the tails after the first visits
    (2-opt* between days) leaves one near day and one far day (one day cannot hold all four)."""
    search = _search_on_a_line([0, 10, 11, 100, 101], 215, [[1, 3], [4, 2]])
    before = search.arr[0][-1] + search.arr[1][-1]
    assert before == 200 + 202 + 20
    assert search.cross()
    days = sorted([search.inst.cand[v] + 1 for v in s[1:-1]] for s in search.seq)
    assert days == [[1, 2], [4, 3]]
    assert search.arr[0][-1] + search.arr[1][-1] == 22 + 202 + 20


def test_replace_swaps_a_visit_for_a_free_place_of_equal_value_that_ends_the_day_earlier():
    """With no gain in value to be had, replace trades a far visit for a near free place of the same
    value: the day ends earlier, which leaves room for more."""
    search = _search_on_a_line([0, 10, 100], 208, [[2]])
    assert not search.replace()  # no gain in value
    assert search.replace(level=True)
    assert [search.inst.cand[v] + 1 for v in search.seq[0][1:-1]] == [1]
    assert search.arr[0][-1] == 25 and search.value == 1.0
    assert not search.replace(level=True)  # the far place would bring the end later: no swap back


def test_of_two_plans_of_equal_value_the_search_keeps_the_one_that_ends_earlier():
    """Started from the far place (value 1, day ends at 205), the search finds the near one of the same
    value (day ends at 25) and returns it: among equal values the best plan is the shorter one."""
    from xuthanh.itinerary.engine.solver import run_ils

    search = _search_on_a_line([0, 10, 100], 208, [[2]])
    assert search.span() == 205
    best, value, _ = run_ils(search, deadline=time.perf_counter() + 5, max_iterations=30, stall_iterations=None)
    assert value == 1.0
    assert [search.inst.cand[v] + 1 for v in best[0][1:-1]] == [1]


def test_greedy_ranks_by_score_squared_or_by_score_per_minute_of_the_day():
    """Room for one of two places: one worth 4 at 40 minutes (85 minutes of the day), one worth 1 at
    2 minutes (9 minutes). By score^2/shift the valuable one goes in (16/85 > 1/9); by score/shift,
    which packs full days, the near one does (1/9 > 4/85)."""
    for pack, place in ((False, 1), (True, 2)):
        search = _search_on_a_line([0, 40, 2], 88, [[]], scores=[4.0, 1.0])
        assert search.greedy(pack=pack)
        assert [search.inst.cand[v] + 1 for v in search.seq[0][1:-1]] == [place]


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_schedule_matches_the_plain_recurrence(seed: int):
    """Search.schedule computes starts and maxShift with running max/min; it must give what the plain
    loop gives (arrival, start, slack, first late stop), plain lunch breaks included."""
    import random as _random

    from xuthanh.itinerary.engine.instance import compile_problem
    from xuthanh.itinerary.engine.solver import Search

    lunch = LunchBreak(duration=60, earliest=690, latest=780, food_tag=None)
    problem = replace(random_trip(seed, n=25, days=2), lunch=lunch)
    search = Search(compile_problem(problem), seed)
    inst = search.inst
    rng = _random.Random(seed)
    for _ in range(40):
        r = rng.randrange(inst.routes)
        nodes = [v for v in range(inst.n) if inst.allowed[r][v]]
        inner = rng.sample(nodes, rng.randint(0, min(12, len(nodes))))
        seq = [search.seq[r][0], *inner, search.seq[r][-1]]
        search.seq[r] = seq
        bad = search.schedule(r)
        eloc, arr, st = [inst.loc[seq[0]]], [inst.start_time[r]], [inst.start_time[r]]
        for v in seq[1:]:
            e = eloc[-1] if inst.is_break[v] else inst.loc[v]
            arr.append(st[-1] + inst.svc[seq[len(st) - 1]] + inst.travel_l[eloc[-1]][e])
            st.append(max(inst.open_[r][v], arr[-1]))
            eloc.append(e)
        late = [i for i in range(1, len(seq)) if st[i] > inst.close[r][seq[i]]]
        lim = [0] * len(seq)
        lim[-1] = inst.close[r][seq[-1]] - arr[-1]
        for i in range(len(seq) - 2, 0, -1):
            lim[i] = st[i] - arr[i] + min(inst.close[r][seq[i]] - st[i], lim[i + 1])
        assert (search.eloc[r], search.arr[r], search.st[r]) == (eloc, arr, st)
        assert search.lim[r][1:] == lim[1:]
        assert bad == (late[0] if late else -1)


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_insertion_around_a_lunch_break_matches_simulation(seed: int):
    """Search.recompute finds each free place's cheapest insertion in closed form, a plain lunch break (which
    stands where the previous stop is) included: a place just before the break moves it, and the break itself
    adds no road. Against the exact simulation of every insertion: a place gets a position exactly when some
    position is feasible, the position it gets is feasible, and its delay at the next real stop is the least."""
    import random as _random

    import numpy as np

    from xuthanh.itinerary.engine.instance import compile_problem
    from xuthanh.itinerary.engine.solver import INF, Search

    lunch = LunchBreak(duration=60, earliest=690, latest=780, food_tag="food")
    problem = replace(random_trip(seed, n=30, days=2), lunch=lunch)
    search = Search(compile_problem(problem), seed)
    inst = search.inst
    rng = _random.Random(seed)
    checked_break = checked_before_break = 0
    for _ in range(30):
        search.restore([[s[0], s[-1]] for s in search.seq])
        search.greedy(noise=3.0)
        search.ruin_random(rng.randint(1, 4))
        for r in range(inst.routes):
            search.recompute(r)
            seq = search.seq[r]

            def delay(r: int, seq: list[int], trial: list[int], p: int) -> int | None:
                """Arrival shift at the first real stop after the inserted node, if the day stays feasible."""
                if not search.simulate(r, trial)[0]:
                    return None
                old = search.arr[r]
                search.seq[r] = trial
                search.schedule(r)
                k = p + 2 if not inst.is_break[trial[p + 2]] else p + 3
                shift = search.arr[r][k] - old[k - 1]
                search.seq[r] = seq
                search.schedule(r)
                return shift

            for v in np.flatnonzero(search.avail & inst.allowed[r]).tolist():
                shifts = {p: delay(r, seq, seq[: p + 1] + [v] + seq[p + 1 :], p) for p in range(len(seq) - 1)}
                feasible = {p: s for p, s in shifts.items() if s is not None}
                assert (search.shift[r, v] < INF) == bool(feasible), (v, feasible)
                if feasible:
                    p = int(search.pos[r, v])
                    assert p in feasible
                    assert search.shift[r, v] == max(0, min(feasible.values()))
                    checked_break += inst.is_break[v]
                    checked_before_break += any(inst.is_break[u] for u in seq[p + 1 : p + 2])
    assert checked_break and checked_before_break  # both special cases were met
