"""The engine's entry point: ``solve`` runs the search and turns its best solution into a Plan.

The returned plan is always re-checked by the independent checker; should the search ever
produce a violation (a bug), the engine drops the offending visits, and failing that falls
back to the locked stops alone, rather than return something infeasible.
"""

from __future__ import annotations

import time

from .checker import check
from .instance import BREAK, VISIT, Instance, compile_problem
from .model import DayPlan, Plan, Problem, Stop, Unplaced
from .solver import Search, place_locked, run_ils


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    max_iterations: int | None = None,
    stall_iterations: int | None = None,
) -> Plan:
    """Plan the trip. Stops at ``time_limit`` seconds, after ``max_iterations`` search
    iterations, or after ``stall_iterations`` iterations without improvement, whichever
    comes first. With a fixed seed and an iteration budget that ends before the time limit,
    the result is reproducible. Raises ValueError for an inconsistent problem (unknown ids,
    a day too short to go from start to end, locked stops that cannot be scheduled)."""
    t0 = time.perf_counter()
    deadline = t0 + max(0.0, time_limit)
    inst = compile_problem(problem)
    search = Search(inst, seed)
    misfits = place_locked(search)
    if misfits:
        names = ", ".join(f"{problem.candidates[ci].id} (day {r})" for ci, r in misfits)
        raise ValueError(f"locked stops that cannot be scheduled in order: {names}")
    fallback = search.snapshot()
    best, _, iterations = run_ils(
        search, deadline=deadline, max_iterations=max_iterations, stall_iterations=stall_iterations
    )
    stats = {"iterations": float(iterations)}
    plan = _build_plan(problem, inst, search, best, stats)
    if check(problem, plan):  # a bug: drop the offending visits, else keep only the locked stops
        search.restore(best)
        for r in range(inst.routes):
            search.repair(r)
        plan = _build_plan(problem, inst, search, search.snapshot(), {**stats, "fallback": 1.0})
    if check(problem, plan):
        plan = _build_plan(problem, inst, search, fallback, {**stats, "fallback": 2.0})
        problems = check(problem, plan)
        if problems:
            raise RuntimeError("engine produced an infeasible plan: " + "; ".join(problems))
    stats["seconds"] = time.perf_counter() - t0
    return plan


def _build_plan(problem: Problem, inst: Instance, search: Search, days: list[list[int]], stats: dict) -> Plan:
    search.restore(days)
    cands = problem.candidates
    out = []
    score = 0.0
    cost = 0
    visited: set[int] = set()
    lunch_days: set[int] = set()
    for r, seq in enumerate(search.seq):
        stops = []
        st, arr, eloc = search.st[r], search.arr[r], search.eloc[r]
        for i in range(1, len(seq) - 1):
            v = seq[i]
            kind = inst.kind[v]
            ci = inst.cand[v]
            location = inst.locations[eloc[i]]
            if kind == VISIT:
                stops.append(Stop("visit", cands[ci].id, location, arr[i], st[i], st[i] + inst.svc[v]))
                score += cands[ci].score
                cost += cands[ci].cost
                visited.add(ci)
            else:
                cid = None if kind == BREAK else cands[ci].id
                stops.append(Stop("lunch", cid, location, arr[i], st[i], st[i] + inst.svc[v]))
                lunch_days.add(r)
        out.append(DayPlan(r, st[0], tuple(stops), arr[-1]))
    unplaced = _unplaced(problem, inst, visited, lunch_days)
    return Plan(tuple(out), score, cost, tuple(unplaced), stats)


def _unplaced(problem: Problem, inst: Instance, visited: set[int], lunch_days: set[int]) -> list[Unplaced]:
    """Plain-language reasons for each must-visit place (and lunch) the plan lacks."""
    result = []
    T = problem.travel

    def tt(a: int, b: int) -> int:
        if a == b:
            return 0
        return int(T(a, b)) if callable(T) else int(T[a][b])

    for ci, c in enumerate(problem.candidates):
        if c.id not in problem.must_visit or ci in visited:
            continue
        if c.id in problem.excluded:
            reason, code = "it is both a must-visit and excluded", "excluded"
        elif problem.budget is not None and c.cost > problem.budget:
            reason, code = f"its ticket ({c.cost}) alone is over the budget ({problem.budget})", "budget"
        elif not any(d < len(c.windows) and c.windows[d] for d in range(len(problem.days))):
            reason, code = "it is closed on every day of the trip", "closed"
        elif not _fits_alone(problem, c, tt):
            reason, code = "no day is long enough to reach it while it is open and get back in time", "unreachable"
        else:
            reason = "no room left: the other must-visit places, locked stops and lunch breaks fill the days"
            code = "full"
        result.append(Unplaced(c.id, reason, code))
    if problem.lunch is not None:
        for r in range(len(problem.days)):
            if r not in lunch_days:
                result.append(Unplaced(f"lunch:{r}", "the day's plan cannot fit a lunch break in its window", "lunch"))
    return result


def _fits_alone(problem: Problem, c, tt) -> bool:
    for d, day in enumerate(problem.days):
        if d >= len(c.windows):
            continue
        arrival = day.start_time + tt(day.start_location, c.location)
        for o, cl in c.windows[d]:
            start = max(arrival, o)
            if start <= cl and start + c.service + tt(c.location, day.end_location) <= day.end_time:
                return True
    return False
