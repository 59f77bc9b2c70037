"""Trip-optimisation engine of Xứ Thanh: pure Python (plus numpy), no Django.

Public API::

    from xuthanh.itinerary.engine import (
        Problem, Candidate, Day, LunchBreak, LockedStop,   # input
        Plan, DayPlan, Stop, Unplaced,                    # output
        solve, check,
    )

    plan = solve(problem, time_limit=2.0, seed=0, max_iterations=None)
    errors = check(problem, plan)          # [] when the plan is feasible

* ``Problem``: candidates (id, location index, score, service time, per-day opening windows
  whose ``close`` is the latest START, optional ticket ``cost`` and ``tags``), days (start and
  end location, start and end time), ``travel`` (matrix or ``callable(a, b)`` over location
  indices, integers), ``must_visit`` and ``excluded`` ids, a ticket ``budget``, an optional
  ``LunchBreak`` (a required daily pseudo-visit: a plain break where the traveller is, or a
  meal at a place tagged ``food``), and ``locked`` stops (day fixed, order kept) for
  re-planning. All times are integers in one unit of the caller's choice.
* ``solve`` returns the best ``Plan`` found: per day the stops with arrival, start and
  departure times, the total score and cost, and ``unplaced`` must-visits (and lunches) with a
  plain reason. It is deterministic for a given seed when stopped by ``max_iterations`` (or
  ``stall_iterations``) rather than by the clock, honours ``time_limit``, and never returns a
  plan that the independent ``check`` rejects. It raises ``ValueError`` for inconsistent input.
* ``check`` recomputes the plan from scratch (separate code from the solver) and lists every
  violation; ``check_routes`` does the same for bare id sequences.
* ``read_solomon`` loads a TOPTW benchmark file (used by ``bench/toptw.py`` and the tests).
"""

from .api import solve
from .checker import check, check_routes
from .model import Candidate, Day, DayPlan, LockedStop, LunchBreak, Plan, Problem, Stop, Unplaced
from .solomon import SolomonInstance, read_solomon

__all__ = [
    "Candidate",
    "Day",
    "DayPlan",
    "LockedStop",
    "LunchBreak",
    "Plan",
    "Problem",
    "SolomonInstance",
    "Stop",
    "Unplaced",
    "check",
    "check_routes",
    "read_solomon",
    "solve",
]
