"""Compile a Problem into flat arrays for the solver's hot loop.

Internal nodes are visit options: a candidate with several opening intervals on one day
becomes several single-window copies sharing a *group* (at most one copy of a group is
visited). Each day's lunch becomes a required group of its own: a plain break (node kind
BREAK, located wherever the previous stop is) and/or one copy per food place. The start and
end of day ``r`` are nodes ``n + 2r`` and ``n + 2r + 1``. Locations are renumbered densely.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Problem

VISIT, BREAK, FOOD_LUNCH = 0, 1, 2
CLOSED = -(1 << 40)


@dataclass
class Instance:
    """Arrays indexed by internal node (``n`` visit nodes, then 2 depot nodes per day)."""

    n: int
    routes: int
    kind: list[int]
    cand: list[int]  # candidate index, -1 for a plain break
    group: np.ndarray
    group_nodes: list[np.ndarray]
    loc: list[int]
    loc_np: np.ndarray
    svc: list[int]
    svc_np: np.ndarray
    weight: np.ndarray  # internal prize: score, plus a large bonus when required
    weight_l: list[float]
    cost: np.ndarray
    cost_l: list[int]
    open_: list[list[int]]  # per route, per node
    close: list[list[int]]
    open_np: list[np.ndarray]
    close_np: list[np.ndarray]
    allowed: list[np.ndarray]  # per route: node can be visited that day at all
    base_avail: np.ndarray
    travel: np.ndarray  # dense locations
    travel_l: list[list[int]]
    locations: list[int]  # dense -> original location index
    start_time: list[int]
    end_time: list[int]
    budget: int | None
    required_bonus: float
    locked: list[list[int]]  # per route: candidate indices in order
    cand_nodes: list[list[int]]  # candidate index -> its copies
    is_break: list[bool]


def compile_problem(problem: Problem) -> Instance:
    """Validate the problem and build the solver's arrays."""
    cands = list(problem.candidates)
    days = list(problem.days)
    if not days:
        raise ValueError("a trip needs at least one day")
    ids = [c.id for c in cands]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique")
    index = {cid: i for i, cid in enumerate(ids)}
    unknown = (set(problem.must_visit) | {ls.candidate_id for ls in problem.locked}) - set(index)
    if unknown:
        raise ValueError(f"unknown candidate ids: {sorted(unknown)}")
    for c in cands:
        if c.service < 0:
            raise ValueError(f"candidate {c.id}: negative service time")
    R = len(days)
    lunch = problem.lunch

    kind: list[int] = []
    cand: list[int] = []
    group: list[int] = []
    win: list[list[tuple[int, int] | None]] = []  # per node, per route
    svc: list[int] = []
    locs: list[int] = []
    for ci, c in enumerate(cands):
        per_day = [sorted(c.windows[d]) if d < len(c.windows) else [] for d in range(R)]
        copies = max((len(w) for w in per_day), default=0)
        if c.id in problem.excluded:
            copies = 0
        for k in range(copies):
            kind.append(VISIT)
            cand.append(ci)
            group.append(ci)
            win.append([(int(w[k][0]), int(w[k][1])) if k < len(w) else None for w in per_day])
            svc.append(int(c.service))
            locs.append(c.location)
    n_cand_nodes = len(kind)
    if lunch is not None:
        food = [
            ci
            for ci, c in enumerate(cands)
            if lunch.food_tag is not None and lunch.food_tag in c.tags and c.id not in problem.excluded
        ]
        for r in range(R):
            options = ([] if lunch.require_food_place else [-1]) + food
            for ci in options:
                kind.append(BREAK if ci < 0 else FOOD_LUNCH)
                cand.append(ci)
                group.append(len(cands) + r)
                win.append([(lunch.earliest, lunch.latest) if d == r else None for d in range(R)])
                svc.append(int(lunch.duration))
                locs.append(cands[ci].location if ci >= 0 else days[r].start_location)
    n = len(kind)
    for d in days:
        locs.extend([d.start_location, d.end_location])
        svc.extend([0, 0])

    dense = sorted(set(locs))
    pos = {loc: i for i, loc in enumerate(dense)}
    travel = problem.travel
    if callable(travel):
        tl = [[0 if a == b else int(travel(a, b)) for b in dense] for a in dense]
    else:
        tl = [[0 if a == b else int(travel[a][b]) for b in dense] for a in dense]
    loc = [pos[x] for x in locs]

    scores = [float(cands[cand[v]].score) if kind[v] == VISIT else 0.0 for v in range(n)]
    bonus = 10.0 * (sum(abs(float(c.score)) for c in cands) + 1.0)
    must = {index[m] for m in problem.must_visit}
    weight = [
        scores[v] + (bonus if (kind[v] == VISIT and cand[v] in must) or kind[v] != VISIT else 0.0) for v in range(n)
    ]
    cost = [int(cands[cand[v]].cost) if kind[v] == VISIT else 0 for v in range(n)]

    total = n + 2 * R
    open_ = []
    close = []
    for r, d in enumerate(days):
        o = [0] * total
        cl = [CLOSED] * total
        for v in range(n):
            w = win[v][r]
            if w is not None and w[0] <= w[1]:
                o[v], cl[v] = w
        o[n + 2 * r], cl[n + 2 * r] = d.start_time, d.start_time
        o[n + 2 * r + 1], cl[n + 2 * r + 1] = d.start_time, d.end_time
        open_.append(o)
        close.append(cl)
        if tl[loc[n + 2 * r]][loc[n + 2 * r + 1]] > d.end_time - d.start_time:
            raise ValueError(f"day {r}: the trip from start to end alone does not fit in the day")
    groups = np.array(group + [-1] * (2 * R), dtype=np.int64)
    n_groups = len(cands) + R
    group_nodes = [[] for _ in range(n_groups)]
    for v in range(n):
        group_nodes[group[v]].append(v)
    allowed = [np.array([close[r][v] >= open_[r][v] for v in range(n)], dtype=bool) for r in range(R)]
    base_avail = np.zeros(n, dtype=bool)
    for r in range(R):
        base_avail |= allowed[r]
    if problem.budget is not None:
        base_avail &= np.array(cost, dtype=np.int64) <= problem.budget
    locked: list[list[int]] = [[] for _ in range(R)]
    for ls in problem.locked:
        if not 0 <= ls.day < R:
            raise ValueError(f"locked stop {ls.candidate_id} on day {ls.day}, outside the trip")
        locked[ls.day].append(index[ls.candidate_id])
    cand_nodes: list[list[int]] = [[] for _ in cands]
    for v in range(n_cand_nodes):
        cand_nodes[cand[v]].append(v)
    return Instance(
        n=n,
        routes=R,
        kind=kind,
        cand=cand,
        group=groups,
        group_nodes=[np.array(g, dtype=np.int64) for g in group_nodes],
        loc=loc,
        loc_np=np.array(loc[:n], dtype=np.int64),
        svc=svc,
        svc_np=np.array(svc[:n], dtype=np.int64),
        weight=np.array(weight, dtype=np.float64),
        weight_l=weight,
        cost=np.array(cost, dtype=np.int64),
        cost_l=cost,
        open_=open_,
        close=close,
        open_np=[np.array(o[:n], dtype=np.int64) for o in open_],
        close_np=[np.array(c[:n], dtype=np.int64) for c in close],
        allowed=allowed,
        base_avail=base_avail,
        travel=np.array(tl, dtype=np.int64),
        travel_l=tl,
        locations=dense,
        start_time=[d.start_time for d in days],
        end_time=[d.end_time for d in days],
        budget=problem.budget,
        required_bonus=bonus,
        locked=locked,
        cand_nodes=cand_nodes,
        is_break=[k == BREAK for k in kind] + [False] * (2 * R),
    )
