"""Baseline TOPTW solvers for bench/toptw.py: PyVRP and OR-Tools, prize-collecting models.

Both get the same integer travel times (tenths, truncated as in the benchmark convention)
as the engine, so their solutions can be checked by the engine's independent checker. Each
returns one list of customer ids (strings) per tour.
"""

from __future__ import annotations

from xuthanh.itinerary.engine import SolomonInstance

# One point of score must outweigh any amount of travel, so the solvers maximise score first.
_PRIZE_SCALE = 1_000


def _data(inst: SolomonInstance):
    s = inst.scale
    travel = inst.travel_matrix()
    service = [round(x * s) for x in inst.service]
    open_ = [round(x * s) for x in inst.open_]
    close = [round(x * s) for x in inst.close]
    return travel, service, open_, close


def solve_pyvrp(inst: SolomonInstance, tours: int, seconds: float, seed: int = 0) -> list[list[str]]:
    """PyVRP: optional clients with prize = score, ``tours`` vehicles, depot window [0, Tmax]."""
    import warnings

    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    warnings.filterwarnings("ignore", module="pyvrp")

    travel, service, open_, close = _data(inst)
    tmax = close[0]
    model = Model()
    locs = [model.add_location(x=x, y=y) for x, y in inst.xy]
    model.add_depot(locs[0], tw_early=open_[0], tw_late=tmax)
    model.add_vehicle_type(num_available=tours, tw_early=open_[0], tw_late=tmax, unit_distance_cost=1)
    for i in range(1, inst.n + 1):
        model.add_client(
            locs[i],
            service_duration=service[i],
            tw_early=open_[i],
            tw_late=close[i],
            prize=int(inst.score[i] * _PRIZE_SCALE),
            required=False,
        )
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            if i != j:
                model.add_edge(a, b, distance=travel[i][j], duration=travel[i][j])
    result = model.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
    if not result.is_feasible():
        return [[] for _ in range(tours)]
    # A client activity's idx is its 0-based position among the clients: vertex idx + 1.
    routes = [[str(a.idx + 1) for a in route if a.is_client()] for route in result.best.routes()]
    return routes + [[] for _ in range(tours - len(routes))]


def solve_ortools(inst: SolomonInstance, tours: int, seconds: float, seed: int = 0) -> list[list[str]]:
    """OR-Tools routing: disjunction penalty = score for every customer, a time dimension
    with the windows (slack = waiting), guided local search for the time limit."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    travel, service, open_, close = _data(inst)
    tmax = close[0]
    size = inst.n + 1
    manager = pywrapcp.RoutingIndexManager(size, tours, 0)
    routing = pywrapcp.RoutingModel(manager)

    def arc(i: int, j: int) -> int:
        return travel[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def transit(i: int, j: int) -> int:
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return service[a] + travel[a][b]

    arc_cb = routing.RegisterTransitCallback(arc)
    time_cb = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(arc_cb)
    routing.AddDimension(time_cb, tmax, tmax, False, "Time")
    dim = routing.GetDimensionOrDie("Time")
    for node in range(1, size):
        idx = manager.NodeToIndex(node)
        dim.CumulVar(idx).SetRange(open_[node], close[node])
        routing.AddDisjunction([idx], int(inst.score[node] * _PRIZE_SCALE))
    for v in range(tours):
        dim.CumulVar(routing.Start(v)).SetRange(open_[0], tmax)
        dim.CumulVar(routing.End(v)).SetRange(open_[0], tmax)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    routes: list[list[str]] = []
    for v in range(tours):
        route = []
        if solution is not None:
            idx = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(idx):
                route.append(str(manager.IndexToNode(idx)))
                idx = solution.Value(routing.NextVar(idx))
        routes.append(route)
    return routes
