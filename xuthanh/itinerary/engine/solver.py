"""Iterated local search for the multi-day trip problem (a team orienteering problem with time windows).

The search is a ruin-and-recreate ILS built on Vansteenwegen et al. (2009): greedy insertion
by score^2/shift (with random weight noise on most rounds, which matters on tight windows; for
several days, on some rounds by score/shift, which packs more, cheaper places into full days),
then a ruin step: their shake (a run of consecutive visits removed from every day), random
removal, or removal of visits close to each other. Local search adds *replace* (swap a free
place for a visited one of lower value at the same position, or of equal value where the day gets
shorter), *relocate* (move a visit to the day and position where it costs less time), *exchange*
(swap two visits of different days) and *cross* (2-opt*: swap the tails of two days), the last two
when both days then end earlier. Acceptance is simulated annealing on the
value, cooled over the budget, with periodic restarts from the best solution; of two solutions
of equal value the best is the one whose days end earlier in total (room for more visits), and
every new best is polished: all the shortening moves, then insertion again.

Feasibility of an insertion is checked in O(1) with the classic quantities of a schedule
(wait and maxShift: how much later a visit may start without breaking any later window),
vectorised over all unvisited nodes and all positions of a day with numpy, a plain lunch break
(whose location is that of the previous stop) included. Moves that change two days at once are
checked by simulating the days.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np

from .instance import VISIT, Instance

INF = math.inf
NOISE = (0.0, 0.3, 1.0, 3.0)  # weight noise levels for the greedy rebuild, drawn uniformly
TEMPERATURE = 0.5  # initial annealing temperature, as a fraction of the mean place weight
RESTART_AFTER = 200  # non-improving iterations before going back to the best solution...
RESTART_SHARE = 0.1  # ...or this share of the iterations so far, if more: long runs wander further
RELOCATE_RATE = 0.05  # share of iterations followed by a relocation pass
RELOCATE_SAMPLE = 60  # visits a relocation pass tries at most
EXCHANGE_RATE = 0.05  # share of iterations followed by an exchange pass, and by a cross pass, between days
LEVEL_RATE = 0.05  # share of iterations followed by an equal-value replace that shortens a day
POLISH_ROUNDS = 3  # rounds of all the shortening moves on every new best solution...
POLISH_SHARE = 0.25  # ...while polishing has taken at most this share of the time so far (on large plans,
# where early iterations are new bests one after another, it would otherwise take most of the search)
DAY_RUIN_RATE = 0.2  # share of iterations (trips of several days) whose ruin empties one whole day
PACK_RATE = 0.3  # share of greedy insertions (trips of several days) ranking places by score/shift, not score^2/shift
_BIG = 1 << 50


class Search:
    """Mutable search state: one list of internal nodes per day, with its schedule."""

    def __init__(self, inst: Instance, seed: int = 0) -> None:
        self.inst = inst
        self.rng = random.Random(seed)
        self.nrng = np.random.default_rng(seed)
        n, R = inst.n, inst.routes
        self.seq: list[list[int]] = [[n + 2 * r, n + 2 * r + 1] for r in range(R)]
        self.eloc: list[list[int]] = [[] for _ in range(R)]
        self.arr: list[list[int]] = [[] for _ in range(R)]
        self.st: list[list[int]] = [[] for _ in range(R)]
        self.lim: list[list[int]] = [[] for _ in range(R)]
        self.edges: list[tuple] = [() for _ in range(R)]
        self.locked = np.zeros(n + 2 * R, dtype=bool)
        self.visited_group = np.zeros(len(inst.group_nodes), dtype=bool)
        self.avail = inst.base_avail.copy()
        self.shift = np.full((R, n), INF)
        self.pos = np.zeros((R, n), dtype=np.int64)
        self.dirty = [True] * R  # the day changed: every free node's best insertion into it is stale
        self.fresh: list[list[np.ndarray]] = [[] for _ in range(R)]  # freed nodes not yet evaluated for the day
        self.value = 0.0
        self.remaining = inst.budget
        self.w2 = inst.weight * inst.weight
        self.any_break = any(inst.is_break)
        self.brk_all = np.array(inst.is_break, dtype=bool)  # these four over all nodes, days' ends included
        self.loc_all = np.array(inst.loc, dtype=np.int64)
        self.svc_all = np.array(inst.svc, dtype=np.int64)
        self.open_all = [np.array(o, dtype=np.int64) for o in inst.open_]
        self.close_all = [np.array(c, dtype=np.int64) for c in inst.close]
        self.break_np = self.brk_all[:n]
        for r in range(R):
            self.schedule(r)

    # ----------------------------------------------------------------- schedule
    def schedule(self, r: int) -> int:
        """Recompute day ``r``'s times; return the first infeasible position or -1.

        Vectorised: with d_i the service at i-1 plus the road to i and C its running sum, the start
        s_i = max(open_i, s_(i-1) + d_i) is C_i + the running max of (open_k - C_k); maxShift is a
        running min from the end, the same way."""
        inst = self.inst
        seq = self.seq[r]
        L = len(seq)
        sq = np.array(seq, dtype=np.int64)
        if self.any_break and self.brk_all[sq].any():
            eloc_l = [inst.loc[seq[0]]]
            for v in seq[1:]:
                eloc_l.append(eloc_l[-1] if inst.is_break[v] else inst.loc[v])
            eloc = np.array(eloc_l, dtype=np.int64)
        else:
            eloc = self.loc_all[sq]
        svc = self.svc_all[sq[:-1]]
        d = svc + inst.travel[eloc[:-1], eloc[1:]]
        C = np.zeros(L, dtype=np.int64)
        np.add.accumulate(d, out=C[1:])
        o = self.open_all[r][sq]
        o[0] = inst.start_time[r]
        st = C + np.maximum.accumulate(o - C)
        arr = np.empty(L, dtype=np.int64)
        arr[0] = st[0]
        arr[1:] = st[:-1] + d
        cl = self.close_all[r][sq]
        late = (st[1:] > cl[1:]).nonzero()[0]
        bad = int(late[0]) + 1 if late.size else -1
        W = np.add.accumulate(st - arr)
        z = np.minimum.accumulate(((cl - st) + W)[::-1])[::-1] - W
        lim = (st - arr) + z
        lim[0] = 0
        self.eloc[r], self.arr[r], self.st[r], self.lim[r] = eloc.tolist(), arr.tolist(), st.tolist(), lim.tolist()
        special = self.brk_all[sq[1:]].nonzero()[0].tolist() if self.any_break else []
        self.edges[r] = (eloc[:-1], eloc[1:], st[:-1] + svc, arr[1:], lim[1:], special)
        self.dirty[r] = True
        return bad

    def simulate(self, r: int, seq: list[int]) -> tuple[bool, int]:
        """Slow exact check of a candidate sequence for day ``r``: (feasible, busy time)."""
        inst = self.inst
        opn, cls = inst.open_[r], inst.close[r]
        T, loc, svc, brk = inst.travel_l, inst.loc, inst.svc, inst.is_break
        prev_e = loc[seq[0]]
        dep = inst.start_time[r] + svc[seq[0]]
        busy = 0
        for v in seq[1:]:
            e = prev_e if brk[v] else loc[v]
            a = dep + T[prev_e][e]
            s = max(opn[v], a)
            if s > cls[v]:
                return False, 0
            busy += T[prev_e][e] + svc[v] + (s - a)
            prev_e = e
            dep = s + svc[v]
        return True, busy

    # ----------------------------------------------------------------- visit bookkeeping
    def _visit(self, v: int) -> None:
        inst = self.inst
        g = inst.group[v]
        self.visited_group[g] = True
        nodes = inst.group_nodes[g]
        self.avail[nodes] = False
        self.shift[:, nodes] = INF
        self.value += inst.weight_l[v]
        if self.remaining is not None:
            self.remaining -= inst.cost_l[v]
            over = self.avail & (inst.cost > self.remaining)
            if over.any():
                self.avail &= ~over
                self.shift[:, over] = INF

    def _unvisit(self, v: int) -> None:
        inst = self.inst
        g = inst.group[v]
        self.visited_group[g] = False
        self.value -= inst.weight_l[v]
        if self.remaining is not None:  # places may have become affordable again: every day is stale
            self.remaining += inst.cost_l[v]
            self.avail = inst.base_avail & ~self.visited_group[inst.group[: inst.n]] & (inst.cost <= self.remaining)
            for r in range(inst.routes):
                self.dirty[r] = True
        else:  # only the freed group is new to the days whose schedule did not change
            nodes = inst.group_nodes[g]
            self.avail[nodes] = inst.base_avail[nodes]
            for r in range(inst.routes):
                if not self.dirty[r]:
                    self.fresh[r].append(nodes)

    def insert(self, r: int, v: int, p: int) -> None:
        """Insert node ``v`` after position ``p`` of day ``r`` (no check)."""
        self.seq[r].insert(p + 1, v)
        self._visit(v)
        self.schedule(r)

    def remove_positions(self, r: int, positions: list[int]) -> None:
        seq = self.seq[r]
        for i in sorted(positions, reverse=True):
            v = seq.pop(i)
            self._unvisit(v)
        self.repair(r)

    def repair(self, r: int) -> bool:
        """Re-time day ``r``; while a window breaks (possible when travel times break the
        triangle inequality), drop the nearest unlocked visit. False if impossible."""
        while True:
            bad = self.schedule(r)
            if bad < 0:
                return True
            seq = self.seq[r]
            i = bad if bad < len(seq) - 1 else bad - 1
            while i > 0 and self.locked[seq[i]]:
                i -= 1
            if i <= 0:
                return False
            self._unvisit(seq.pop(i))

    # ----------------------------------------------------------------- insertion
    def recompute(self, r: int, nodes: np.ndarray | None = None) -> None:
        """Best insertion (delay at the next stop, and position) of every free node into day ``r`` (of
        ``nodes`` only, when the day is unchanged and only they were freed since).

        A plain lunch break stands where the previous stop is, so two cases differ from the plain formula
        and are computed exactly, in closed form too: a place put just before the break moves the break
        there (the break starts after the place, and the stop after the break is reached from the place),
        and the break itself, put after any stop, adds its wait and duration but no road."""
        self.dirty[r] = False
        self.fresh[r] = []
        inst = self.inst
        row = self.shift[r]
        if nodes is None:
            row.fill(INF)
            U = np.flatnonzero(self.avail & inst.allowed[r])
        else:
            row[nodes] = INF
            U = nodes[self.avail[nodes] & inst.allowed[r][nodes]]
        if U.size == 0:
            return
        prevE, nextE, dep, arrk, limk, special = self.edges[r]
        T = inst.travel
        locU = inst.loc_np[U][:, None]
        openU, closeU, svcU = inst.open_np[r][U][:, None], inst.close_np[r][U][:, None], inst.svc_np[U][:, None]
        a = T[prevE[None, :], locU] + dep
        stj = np.maximum(a, openU)
        in_window = stj <= closeU
        d = stj + svcU + T[locU, nextE] - arrk
        d = np.where(in_window & (d <= limk), d, _BIG)
        for p in special:  # before the break at p + 1: the break follows the place, the next stop is p + 2
            brk = self.seq[r][p + 1]
            arr_brk = stj[:, p] + svcU[:, 0]
            st_brk = np.maximum(arr_brk, self.open_all[r][brk])
            delay = st_brk + self.svc_all[brk] + T[locU[:, 0], nextE[p + 1]] - arrk[p + 1]
            fits = in_window[:, p] & (st_brk <= self.close_all[r][brk]) & (delay <= limk[p + 1])
            d[:, p] = np.where(fits, delay, _BIG)
        if self.any_break:
            for i in np.flatnonzero(self.break_np[U]).tolist():  # the day's own plain break, not yet placed
                v = int(U[i])
                st_v = np.maximum(dep, inst.open_[r][v])  # no road: it is where the previous stop is
                delay = st_v + inst.svc[v] + T[prevE, nextE] - arrk
                fits = (st_v <= inst.close[r][v]) & (delay <= limk)
                d[i] = np.where(fits, delay, _BIG)
        best = d.argmin(axis=1)
        val = d[np.arange(U.size), best]
        good = val < _BIG
        row[U[good]] = np.maximum(val[good], 0)
        self.pos[r][U] = best

    def greedy(self, noise: float = 0.0, pack: bool = False) -> bool:
        """Insert the best score^2/shift node (score/shift if ``pack``: more, cheaper places into full
        days) until nothing fits; True if anything was added."""
        added = False
        R, n = self.inst.routes, self.inst.n
        w = self.inst.weight if pack else self.w2
        w = w * (1.0 + noise * self.nrng.random(n)) if noise else w
        while True:
            for r in range(R):
                if self.dirty[r]:
                    self.recompute(r)
                elif self.fresh[r]:
                    self.recompute(r, np.unique(np.concatenate(self.fresh[r])))
            ratio = w / np.maximum(self.shift, 1.0)
            k = int(ratio.argmax())
            r, v = divmod(k, n)
            if not ratio[r, v] > 0.0:
                return added
            self.insert(r, v, int(self.pos[r, v]))
            added = True

    # ----------------------------------------------------------------- replace
    def replace(self, level: bool = False) -> bool:
        """Best swap of a visited node for a free one of higher weight at the same position; if there
        is none and ``level``, the equal-weight swap that brings the next stop's arrival earliest
        (which frees time)."""
        inst = self.inst
        T = inst.travel
        best_gain, best = 0.0, None
        best_delay, even = 0, None
        for r in range(inst.routes):
            seq = self.seq[r]
            L = len(seq)
            if L <= 2:
                continue
            U = np.flatnonzero(self.avail & inst.allowed[r])
            if U.size == 0:
                continue
            prevE, nextE, dep, arrk, limk, _special = self.edges[r]
            locU = inst.loc_np[U][:, None]
            a = T[prevE[None, : L - 2], locU] + dep[: L - 2]
            stj = np.maximum(a, inst.open_np[r][U][:, None])
            ok = stj <= inst.close_np[r][U][:, None]
            d = stj + inst.svc_np[U][:, None] + T[locU, nextE[1:]] - arrk[1:]
            ok &= d <= limk[1:]
            inner = seq[1:-1]
            wv = inst.weight[inner]
            gain = inst.weight[U][:, None] - wv[None, :]
            colbad = [i for i, v in enumerate(inner) if self.locked[v] or inst.is_break[v]]
            colbad += [i for i in range(L - 2) if inst.is_break[seq[i + 2]]]
            if colbad:
                ok[:, colbad] = False
            if self.any_break:
                ok[self.break_np[U], :] = False
            if self.remaining is not None:
                cv = inst.cost[inner]
                ok &= (inst.cost[U][:, None] - cv[None, :]) <= self.remaining
            g = np.where(ok, gain, -INF)
            k = int(g.argmax())
            gi, ci = divmod(k, L - 2)
            if g[gi, ci] > best_gain + 1e-9:
                best_gain, best = float(g[gi, ci]), (r, ci + 1, int(U[gi]))
            elif level and best is None:  # no gain yet: an equal swap that brings the next stop earlier
                flat = np.where(ok & (np.abs(gain) <= 1e-9), d, _BIG)
                k = int(flat.argmin())
                gi, ci = divmod(k, L - 2)
                if flat[gi, ci] < best_delay:
                    best_delay, even = int(flat[gi, ci]), (r, ci + 1, int(U[gi]))
        best = best or even
        if best is None:
            return False
        r, i, v = best
        old = self.seq[r][i]
        self.seq[r][i] = v
        self._unvisit(old)
        self._visit(v)
        self.repair(r)  # the move was checked; this only re-times the day
        return True

    # ----------------------------------------------------------------- relocation
    def _best_position(self, r: int, v: int) -> tuple[float, int]:
        """Cheapest feasible insertion of ``v`` into day ``r``: (delay at the next stop, position)."""
        inst = self.inst
        prevE, nextE, dep, arrk, limk, special = self.edges[r]
        lv = inst.loc[v]
        a = inst.travel[prevE, lv] + dep
        stj = np.maximum(a, inst.open_[r][v])
        ok = stj <= inst.close[r][v]
        d = stj + inst.svc[v] + inst.travel[lv, nextE] - arrk
        ok &= d <= limk
        if special:
            ok[special] = False
        d = np.where(ok, d, _BIG)
        p = int(d.argmin())
        return (float(d[p]) if d[p] < _BIG else INF), p

    def relocate(self, sample: int = RELOCATE_SAMPLE) -> bool:
        """Move single visits to the place (any day) where they cost less time than where
        they are: frees time for more visits. At most ``sample`` visits, drawn at random, are tried (each
        costs a look at every day: on plans of hundreds of visits all of them would take most of a
        second). True if anything moved."""
        inst = self.inst
        T = inst.travel_l
        moved = False
        order = [(r, v) for r, s in enumerate(self.seq) for v in s[1:-1] if not self.locked[v] and not inst.is_break[v]]
        self.rng.shuffle(order)
        del order[sample:]
        for r, v in order:
            seq = self.seq[r]
            i = seq.index(v)
            if inst.is_break[seq[i + 1]]:
                continue
            eloc = self.eloc[r]
            saving = self.arr[r][i + 1] - (self.st[r][i - 1] + inst.svc[seq[i - 1]] + T[eloc[i - 1]][eloc[i + 1]])
            if saving <= 0:
                continue
            seq.pop(i)
            if self.schedule(r) >= 0:
                seq.insert(i, v)
                self.schedule(r)
                continue
            best, where = saving - 1e-9, None
            for r2 in range(inst.routes):
                if not inst.allowed[r2][v]:
                    continue
                cost, p = self._best_position(r2, v)
                if cost < best:
                    best, where = cost, (r2, p)
            if where is None:
                seq.insert(i, v)
                self.schedule(r)
                continue
            r2, p = where
            self.seq[r2].insert(p + 1, v)
            self.schedule(r2)
            moved = True
        return moved

    # ----------------------------------------------------------------- exchange
    def exchange(self, tries: int = 60) -> bool:
        """Swap two visits of different days where that brings the two days' ends earlier in total
        (candidates by road time saved, checked exactly): frees time on full days. True if any moved."""
        inst = self.inst
        T = inst.travel
        cands: list[tuple[int, int, int, int, int]] = []
        R = inst.routes
        for r1 in range(R):
            for r2 in range(r1 + 1, R):
                s1, s2 = self.seq[r1], self.seq[r2]
                if len(s1) < 3 or len(s2) < 3:
                    continue
                e1, e2 = np.array(self.eloc[r1]), np.array(self.eloc[r2])
                a1, b1 = e1[:-2], e1[2:]  # neighbours of inner positions 1..L-2
                a2, b2 = e2[:-2], e2[2:]
                m1, m2 = e1[1:-1], e2[1:-1]
                out1 = T[a1, m1] + T[m1, b1]
                out2 = T[a2, m2] + T[m2, b2]
                in1 = T[a1[:, None], m2[None, :]] + T[m2[None, :], b1[:, None]]  # v of day 2 into day 1
                in2 = T[a2[None, :], m1[:, None]] + T[m1[:, None], b2[None, :]]
                delta = in1 + in2 - out1[:, None] - out2[None, :]
                fixed1 = [i for i in range(1, len(s1) - 1) if self.locked[s1[i]] or inst.is_break[s1[i]]]
                fixed2 = [j for j in range(1, len(s2) - 1) if self.locked[s2[j]] or inst.is_break[s2[j]]]
                if fixed1:
                    delta[[i - 1 for i in fixed1], :] = _BIG
                if fixed2:
                    delta[:, [j - 1 for j in fixed2]] = _BIG
                for k in np.flatnonzero(delta.ravel() < 0).tolist():
                    i, j = divmod(k, delta.shape[1])
                    cands.append((int(delta.flat[k]), r1, i + 1, r2, j + 1))

        def swap(r1: int, i: int, r2: int, j: int) -> tuple[list[int], list[int]] | None:
            s1, s2 = self.seq[r1], self.seq[r2]
            u, v = s1[i], s2[j]
            if not (inst.allowed[r1][v] and inst.allowed[r2][u]):
                return None
            return s1[:i] + [v] + s1[i + 1 :], s2[:j] + [u] + s2[j + 1 :]

        return self._apply_pair_moves(cands, swap, tries)

    def _apply_pair_moves(self, cands: list[tuple[int, int, int, int, int]], make, tries: int) -> bool:
        """Try two-day moves ``(estimate, r1, i, r2, j)`` best estimate first; ``make`` gives the two new
        days (or None). Keep each feasible one that brings the two days' ends earlier in total, at most
        one per day. True if any was kept."""
        cands.sort()
        moved = False
        done: set[int] = set()
        for _estimate, r1, i, r2, j in cands[:tries]:
            if r1 in done or r2 in done:
                continue
            days = make(r1, i, r2, j)
            if days is None:
                continue
            t1, t2 = days
            if not (self.simulate(r1, t1)[0] and self.simulate(r2, t2)[0]):
                continue
            s1, s2 = self.seq[r1], self.seq[r2]
            before = self.arr[r1][-1] + self.arr[r2][-1]
            self.seq[r1], self.seq[r2] = t1, t2
            self.schedule(r1)
            self.schedule(r2)
            if self.arr[r1][-1] + self.arr[r2][-1] < before:
                moved = True
                done.update((r1, r2))
            else:
                self.seq[r1], self.seq[r2] = s1, s2
                self.schedule(r1)
                self.schedule(r2)
        return moved

    def cross(self, tries: int = 60) -> bool:
        """2-opt* between days: cut two days and swap their tails, where that brings the two days'
        ends earlier in total (candidates by road time saved, checked exactly). True if any moved."""
        inst = self.inst
        T = inst.travel
        R = inst.routes
        cands: list[tuple[int, int, int, int, int]] = []
        for r1 in range(R):
            for r2 in range(r1 + 1, R):
                s1, s2 = self.seq[r1], self.seq[r2]
                if len(s1) + len(s2) < 5:
                    continue
                e1, e2 = np.array(self.eloc[r1]), np.array(self.eloc[r2])
                # cut after position i (0..L1-2) and j (0..L2-2): i -> first of tail 2, j -> first of tail 1
                lo1 = max([i for i in range(len(s1) - 1) if self.locked[s1[i]] or inst.is_break[s1[i]]], default=0)
                lo2 = max([j for j in range(len(s2) - 1) if self.locked[s2[j]] or inst.is_break[s2[j]]], default=0)
                a1, n1 = e1[lo1:-1], e1[lo1 + 1 :]
                a2, n2 = e2[lo2:-1], e2[lo2 + 1 :]
                delta = (
                    T[a1[:, None], n2[None, :]]
                    + T[a2[None, :], n1[:, None]]
                    - T[a1, n1][:, None]
                    - T[a2, n2][None, :]
                )
                for k in np.flatnonzero(delta.ravel() < 0).tolist():
                    i, j = divmod(k, delta.shape[1])
                    cands.append((int(delta.flat[k]), r1, i + lo1, r2, j + lo2))

        def tails(r1: int, i: int, r2: int, j: int) -> tuple[list[int], list[int]] | None:
            s1, s2 = self.seq[r1], self.seq[r2]
            tail1, tail2 = s1[i + 1 : -1], s2[j + 1 : -1]
            if not tail1 and not tail2:
                return None
            if not all(inst.allowed[r1][v] for v in tail2) or not all(inst.allowed[r2][v] for v in tail1):
                return None
            return s1[: i + 1] + tail2 + s1[-1:], s2[: j + 1] + tail1 + s2[-1:]

        return self._apply_pair_moves(cands, tails, tries)

    # ----------------------------------------------------------------- shake
    def shake(self, start: int, size: int) -> None:
        """Remove ``size`` consecutive unlocked visits from every day, from position ``start``."""
        for r in range(self.inst.routes):
            inner = len(self.seq[r]) - 2
            if inner <= 0:
                continue
            s = (start - 1) % inner
            positions = sorted({1 + (s + t) % inner for t in range(min(size, inner))})
            positions = [i for i in positions if not self.locked[self.seq[r][i]]]
            if positions:
                self.remove_positions(r, positions)

    def span(self) -> int:
        """Sum of the days' end times: among plans of equal value, the one that ends earlier has room for more."""
        return sum(a[-1] for a in self.arr)

    def n_visits(self) -> int:
        return sum(len(s) - 2 for s in self.seq)

    def _unlocked_visits(self) -> list[tuple[int, int]]:
        return [(r, i) for r, s in enumerate(self.seq) for i in range(1, len(s) - 1) if not self.locked[s[i]]]

    def _remove_many(self, picks: list[tuple[int, int]]) -> None:
        by_route: dict[int, list[int]] = {}
        for r, i in picks:
            by_route.setdefault(r, []).append(i)
        for r, positions in by_route.items():
            self.remove_positions(r, positions)

    def ruin_random(self, k: int) -> None:
        """Remove ``k`` random unlocked visits."""
        cands = self._unlocked_visits()
        if cands:
            self._remove_many(self.rng.sample(cands, min(k, len(cands))))

    def ruin_day(self) -> None:
        """Remove every unlocked visit of one random day and start it again from a random free place that
        fits: insertion then fills the day around that place, which may be in another region (greedy
        insertion alone rebuilds the day it had)."""
        cands = self._unlocked_visits()
        if not cands:
            return
        r = self.rng.choice(sorted({r for r, _ in cands}))
        self._remove_many([(d, i) for d, i in cands if d == r])
        self.recompute(r)
        fits = np.flatnonzero(self.shift[r] < INF)
        if fits.size:
            v = int(fits[self.rng.randrange(fits.size)])
            self.insert(r, v, int(self.pos[r, v]))

    def ruin_related(self, k: int) -> None:
        """Remove a random unlocked visit and the ``k - 1`` visits nearest to it in travel time."""
        cands = self._unlocked_visits()
        if not cands:
            return
        r0, i0 = cands[self.rng.randrange(len(cands))]
        inst = self.inst
        row = inst.travel_l[self.eloc[r0][i0]]
        cands.sort(key=lambda ri: row[self.eloc[ri[0]][ri[1]]] + self.rng.random())
        self._remove_many(cands[:k])

    # ----------------------------------------------------------------- snapshots
    def snapshot(self) -> list[list[int]]:
        return [list(s) for s in self.seq]

    def restore(self, snap: list[list[int]]) -> None:
        inst = self.inst
        self.seq = [list(s) for s in snap]
        self.visited_group[:] = False
        self.value = 0.0
        self.remaining = inst.budget
        for s in self.seq:
            for v in s[1:-1]:
                self.visited_group[inst.group[v]] = True
                self.value += inst.weight_l[v]
                if self.remaining is not None:
                    self.remaining -= inst.cost_l[v]
        self.avail = inst.base_avail & ~self.visited_group[inst.group[: inst.n]]
        if self.remaining is not None:
            self.avail &= inst.cost <= self.remaining
        self.shift.fill(INF)
        for r in range(inst.routes):
            self.schedule(r)


def mean_score(inst: Instance) -> float:
    """Mean score of the places that have one (1.0 if none): the scale of the annealing temperature. The
    bonus that makes lunches and must-visits required is left out: it is thousands of times a place's score,
    and counted in, it made the search accept almost any loss (a random walk) on trips with lunch."""
    bonus = inst.required_bonus
    own = [w - bonus if w >= bonus else w for v, w in enumerate(inst.weight_l[: inst.n]) if inst.kind[v] == VISIT]
    own = [w for w in own if w > 0]
    return sum(own) / len(own) if own else 1.0


def place_locked(search: Search) -> list[tuple[int, int]]:
    """Put the locked stops in their days, in order; return the (candidate, day) pairs that
    do not fit (empty when all fit)."""
    inst = search.inst
    errors = []
    for r, cands in enumerate(inst.locked):
        for ci in cands:
            seq = search.seq[r]
            for v in inst.cand_nodes[ci]:
                if inst.close[r][v] < inst.open_[r][v] or search.visited_group[inst.group[v]]:
                    continue
                trial = seq[:-1] + [v] + seq[-1:]
                if search.simulate(r, trial)[0]:
                    search.seq[r] = trial
                    search.locked[v] = True
                    search._visit(v)
                    break
            else:
                errors.append((ci, r))
        search.schedule(r)
    return errors


def run_ils(
    search: Search,
    *,
    deadline: float,
    max_iterations: int | None,
    stall_iterations: int | None,
) -> tuple[list[list[int]], float, int]:
    """Ruin-and-recreate iterated local search from the current state; returns (best days,
    best value, iterations). Acceptance is simulated annealing on the value, cooled over the
    time (or iteration) budget, with restarts from the best solution."""
    inst = search.inst
    rng = search.rng

    def pack() -> bool:
        """Whether the next greedy insertion packs (score/shift): it pays with several days to fill
        and cost value on one-day runs in the benchmark, so a single day always ranks by score^2."""
        return inst.routes > 1 and rng.random() < PACK_RATE

    def local_search(noise: float) -> None:
        search.greedy(noise, pack())
        for _ in range(4 * inst.n + 10):  # a bound, in case a repair ever undoes a move
            if not search.replace():
                return
            search.greedy(pack=pack())

    def new_best() -> bool:
        """Higher value than the best, or the same value with days that end earlier in total."""
        v = search.value
        return v > best_value + 1e-9 or (v > best_value - 1e-9 and search.span() < best_span)

    t_start = time.perf_counter()
    local_search(0.0)
    best, best_value, best_span = search.snapshot(), search.value, search.span()
    cur, cur_value = best, best_value
    size, start, stall, it, last_restart = 1, 1, 0, 0, 0
    polish_time = 0.0
    temp0 = TEMPERATURE * mean_score(inst)
    while True:
        now = time.perf_counter()
        if now >= deadline:
            break
        if max_iterations is not None and it >= max_iterations:
            break
        if stall_iterations is not None and stall >= stall_iterations:
            break
        it += 1
        # Cooling follows the iteration budget when there is one, so that runs are reproducible.
        frac = it / max_iterations if max_iterations else (now - t_start) / max(1e-09, deadline - t_start)
        temp = temp0 * max(0.0, 1.0 - frac)
        op = rng.random()
        nv = search.n_visits()
        if inst.routes > 1 and rng.random() < DAY_RUIN_RATE:
            search.ruin_day()
        elif op < 0.35:
            search.shake(start, size)
        elif op < 0.6:
            search.ruin_random(rng.randint(1, max(2, nv // 6)))
        elif op < 0.9:
            search.ruin_related(rng.randint(2, max(3, nv // 5)))
        else:
            search.ruin_random(rng.randint(max(1, nv // 4), max(2, (2 * nv) // 3)))
        local_search(NOISE[rng.randrange(len(NOISE))])
        if rng.random() < RELOCATE_RATE and search.relocate():
            local_search(0.0)
        if inst.routes > 1 and rng.random() < EXCHANGE_RATE and search.exchange():
            local_search(0.0)
        if inst.routes > 1 and rng.random() < EXCHANGE_RATE and search.cross():
            local_search(0.0)
        if rng.random() < LEVEL_RATE and search.replace(level=True):
            local_search(0.0)
        # Under an iteration budget every new best is polished, so that runs stay reproducible.
        if new_best() and (max_iterations is not None or polish_time <= POLISH_SHARE * (now - t_start)):
            t_polish = time.perf_counter()
            for _ in range(POLISH_ROUNDS):  # a new best: make its days shorter, then fill them again
                moved = search.relocate()
                if inst.routes > 1:
                    moved = search.exchange() or moved
                    moved = search.cross() or moved
                if not (search.replace(level=True) or moved):
                    break
                local_search(0.0)
            polish_time += time.perf_counter() - t_polish
        value = search.value
        if new_best():
            best, best_value, best_span = search.snapshot(), value, search.span()
            size, stall = 1, 0
        else:
            size += 1
            stall += 1
        if value >= cur_value - 1e-9 or (temp > 0 and rng.random() < math.exp((value - cur_value) / temp)):
            cur, cur_value = search.snapshot(), value
        else:
            search.restore(cur)
        smallest = min(len(s) - 2 for s in search.seq)
        start += size
        if smallest > 0 and start > smallest:
            start = (start - 1) % smallest + 1
        if size > max(2, inst.n // (3 * inst.routes)):
            size = 1
        if stall - last_restart >= max(RESTART_AFTER, int(RESTART_SHARE * it)):
            search.restore(best)
            cur, cur_value = best, best_value
            last_restart = stall
        elif not stall:
            last_restart = 0
    return best, best_value, it
