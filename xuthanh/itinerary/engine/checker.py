"""Independent feasibility checker: recomputes a plan from the Problem alone, reports every violation.

This module shares no code with the solver's incremental evaluation (no maxShift, no
compiled arrays): it walks each day from its start with plain arithmetic, so a bug in the
solver cannot hide itself here. An empty list means the plan is feasible.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Candidate, Plan, Problem


def _travel_fn(problem: Problem):
    travel = problem.travel
    if callable(travel):
        return lambda a, b: 0 if a == b else int(travel(a, b))
    return lambda a, b: 0 if a == b else int(travel[a][b])


def _window_for(cand: Candidate, day: int, start: int) -> bool:
    if day >= len(cand.windows):
        return False
    return any(o <= start <= c for o, c in cand.windows[day])


def _earliest_start(cand: Candidate, day: int, arrival: int) -> int | None:
    if day >= len(cand.windows):
        return None
    starts = [max(arrival, o) for o, c in cand.windows[day] if max(arrival, o) <= c]
    return min(starts) if starts else None


def check_routes(problem: Problem, routes: Sequence[Sequence[str]]) -> list[str]:
    """Check bare visit sequences (one list of candidate ids per day, no lunch) by computing
    the earliest schedule from scratch. Used for plans that carry no times (baselines)."""
    errors: list[str] = []
    tt = _travel_fn(problem)
    by_id = {c.id: c for c in problem.candidates}
    seen: set[str] = set()
    if len(routes) > len(problem.days):
        errors.append(f"{len(routes)} routes for {len(problem.days)} days")
    cost = 0
    for d, route in enumerate(routes[: len(problem.days)]):
        day = problem.days[d]
        t, loc = day.start_time, day.start_location
        for cid in route:
            cand = by_id.get(cid)
            if cand is None:
                errors.append(f"day {d}: unknown candidate {cid!r}")
                continue
            if cid in seen:
                errors.append(f"day {d}: {cid} visited more than once")
            seen.add(cid)
            if cid in problem.excluded:
                errors.append(f"day {d}: {cid} is excluded")
            cost += cand.cost
            arrival = t + tt(loc, cand.location)
            start = _earliest_start(cand, d, arrival)
            if start is None:
                errors.append(f"day {d}: {cid} arrival {arrival} after its last window start")
                start = arrival
            t, loc = start + cand.service, cand.location
        back = t + tt(loc, day.end_location)
        if back > day.end_time:
            errors.append(f"day {d}: back at {back}, after the end of the day {day.end_time}")
    if problem.budget is not None and cost > problem.budget:
        errors.append(f"ticket cost {cost} exceeds budget {problem.budget}")
    return errors


def check(problem: Problem, plan: Plan) -> list[str]:
    """Every violation of ``plan`` against ``problem``: times, windows, day ends, duplicates,
    excluded places, budget, lunch, locked stops, must-visits and the reported totals."""
    errors: list[str] = []
    tt = _travel_fn(problem)
    by_id = {c.id: c for c in problem.candidates}
    lunch = problem.lunch
    unplaced = {u.id for u in plan.unplaced}
    seen: dict[str, int] = {}
    score = 0.0
    cost = 0
    if len(plan.days) != len(problem.days):
        errors.append(f"plan has {len(plan.days)} days, problem has {len(problem.days)}")
    visited_per_day: list[list[str]] = []
    for d, dp in enumerate(plan.days[: len(problem.days)]):
        day = problem.days[d]
        where = f"day {d}"
        if dp.day != d:
            errors.append(f"{where}: labelled day {dp.day}")
        if dp.departure < day.start_time:
            errors.append(f"{where}: leaves at {dp.departure}, before the day starts at {day.start_time}")
        t, loc = dp.departure, day.start_location
        lunches = 0
        visited: list[str] = []
        for k, stop in enumerate(dp.stops):
            at = f"{where} stop {k}"
            if stop.kind == "visit":
                cand = by_id.get(stop.candidate_id or "")
                if cand is None:
                    errors.append(f"{at}: unknown candidate {stop.candidate_id!r}")
                    continue
                if cand.id in seen:
                    errors.append(f"{at}: {cand.id} already visited on day {seen[cand.id]}")
                seen[cand.id] = d
                visited.append(cand.id)
                if cand.id in problem.excluded:
                    errors.append(f"{at}: {cand.id} is excluded")
                if cand.id in unplaced:
                    errors.append(f"{at}: {cand.id} is visited but reported as unplaced")
                score += cand.score
                cost += cand.cost
                dest, service = cand.location, cand.service
                if not _window_for(cand, d, stop.start):
                    errors.append(f"{at}: {cand.id} starts at {stop.start}, outside its windows on day {d}")
            elif stop.kind == "lunch":
                lunches += 1
                if lunch is None:
                    errors.append(f"{at}: lunch stop but the problem has no lunch break")
                    continue
                if stop.candidate_id is None:
                    if lunch.require_food_place:
                        errors.append(f"{at}: lunch must be taken at a food place")
                    dest = loc
                else:
                    cand = by_id.get(stop.candidate_id)
                    if cand is None or lunch.food_tag is None or lunch.food_tag not in cand.tags:
                        errors.append(f"{at}: lunch place {stop.candidate_id!r} is not a food place")
                        continue
                    dest = cand.location
                service = lunch.duration
                if not lunch.earliest <= stop.start <= lunch.latest:
                    errors.append(f"{at}: lunch starts at {stop.start}, outside [{lunch.earliest}, {lunch.latest}]")
            else:
                errors.append(f"{at}: unknown stop kind {stop.kind!r}")
                continue
            if stop.location != dest:
                errors.append(f"{at}: reported location {stop.location}, expected {dest}")
            earliest = t + tt(loc, dest)
            if stop.arrival < earliest:
                errors.append(f"{at}: arrives at {stop.arrival}, earliest possible is {earliest}")
            if stop.start < stop.arrival:
                errors.append(f"{at}: starts at {stop.start} before arriving at {stop.arrival}")
            if stop.departure != stop.start + service:
                errors.append(f"{at}: departs at {stop.departure}, expected {stop.start + service}")
            t, loc = stop.departure, dest
        back = t + tt(loc, day.end_location)
        if dp.arrival < back:
            errors.append(f"{where}: reported back at {dp.arrival}, earliest possible is {back}")
        if max(back, dp.arrival) > day.end_time:
            errors.append(f"{where}: back at {max(back, dp.arrival)}, after the end of the day {day.end_time}")
        if lunch is not None:
            if lunches > 1:
                errors.append(f"{where}: {lunches} lunch breaks")
            elif lunches == 0 and f"lunch:{d}" not in unplaced:
                errors.append(f"{where}: no lunch break and none reported as unplaced")
        visited_per_day.append(visited)
    for cid in problem.must_visit:
        if cid not in seen and cid not in unplaced:
            errors.append(f"must-visit {cid} neither visited nor reported as unplaced")
    visited_per_day.extend([] for _ in range(len(plan.days), len(problem.days)))
    for d in range(len(problem.days)):
        wanted = [ls.candidate_id for ls in problem.locked if ls.day == d]
        got = [cid for cid in visited_per_day[d] if cid in set(wanted)] if d < len(visited_per_day) else []
        if got != wanted:
            errors.append(f"day {d}: locked stops {wanted} not kept in order (got {got})")
    for ls in problem.locked:
        if ls.day >= len(problem.days):
            errors.append(f"locked stop {ls.candidate_id} on day {ls.day}, beyond the trip")
    if problem.budget is not None and cost > problem.budget:
        errors.append(f"ticket cost {cost} exceeds budget {problem.budget}")
    if abs(score - plan.score) > 1e-6 * max(1.0, abs(score)):
        errors.append(f"reported score {plan.score}, recomputed {score}")
    if cost != plan.cost:
        errors.append(f"reported cost {plan.cost}, recomputed {cost}")
    return errors
