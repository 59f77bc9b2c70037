"""bench/toptw_gen.py, the generator of the 200/300-customer TOPTW instances: the same name gives the same
instance, the shape is Solomon's (square, depot in the middle, services, scores, horizon per class), every
customer can be visited alone within its window and the horizon under every travel-time convention, and a
written file reads back as the same instance."""

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from xuthanh.itinerary.engine import check_routes, read_solomon
from xuthanh.itinerary.engine.solomon import ROUNDINGS

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "toptw_gen.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_toptw_gen", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load()


def test_the_same_seed_gives_the_same_instance_and_another_seed_another():
    a, b = gen.generate("rc1", 200, 3), gen.generate("rc1", 200, 3)
    assert (a.xy, a.score, a.open_, a.close, a.service) == (b.xy, b.score, b.open_, b.close, b.service)
    c = gen.generate("rc1", 200, 4)
    assert c.xy != a.xy and c.open_ != a.open_
    assert gen.load("gen_rc1_200_3").xy == a.xy  # by name, as bench/toptw.py makes it


@pytest.mark.parametrize("cls", gen.CLASSES)
@pytest.mark.parametrize("n", gen.SIZES)
def test_shape_follows_the_class(cls, n):
    inst = gen.generate(cls, n, 0)
    side = round(0.7 * n)
    assert inst.n == n and inst.name == f"gen_{cls}_{n}_0"
    assert inst.xy[0] == (side / 2, side / 2)
    assert all(0 <= x <= side and 0 <= y <= side and x == int(x) and y == int(y) for x, y in inst.xy[1:])
    assert inst.close[0] == round(gen.HORIZON[cls] * side / 100) and inst.open_[0] == 0
    clustered = cls.startswith("c") and not cls.startswith("rc")
    assert set(inst.service[1:]) == {90.0 if clustered else 10.0}
    if clustered:
        assert set(inst.score[1:]) <= {10.0, 20.0, 30.0, 40.0, 50.0}
    else:
        assert min(inst.score[1:]) >= 1 and max(inst.score[1:]) <= 40
    widths = [inst.close[i] - inst.open_[i] for i in range(1, n + 1)]
    assert max(widths) <= gen.WIDTH[cls][1]
    assert sum(widths) / n > (gen.WIDTH[cls][0] + gen.WIDTH[cls][1]) / 4  # drawn across the range, not collapsed


def test_clustered_positions_are_closer_together_than_random_ones():
    def mean_nearest(inst):
        pts = inst.xy[1:]
        return sum(min(math.dist(p, q) for q in pts if q is not p) for p in pts) / len(pts)

    assert mean_nearest(gen.generate("c1", 200, 0)) < 0.6 * mean_nearest(gen.generate("r1", 200, 0))


@pytest.mark.parametrize("cls", gen.CLASSES)
@pytest.mark.parametrize("rounding", sorted(ROUNDINGS))
def test_every_customer_can_be_visited_alone(cls, rounding):
    inst = gen.generate(cls, 300, 1, rounding)
    problem = inst.problem(1)
    bad = [i for i in range(1, inst.n + 1) if check_routes(problem, [[str(i)]])]
    assert bad == []
    assert all(inst.open_[i] <= inst.close[i] for i in range(1, inst.n + 1))


def test_a_written_file_reads_back_as_the_same_instance(tmp_path):
    assert gen.main(["--out", str(tmp_path), "--classes", "c2,r1", "--sizes", "200", "--seeds", "5"]) == 0
    for cls in ("c2", "r1"):
        made = gen.generate(cls, 200, 5)
        back = read_solomon(tmp_path / f"gen_{cls}_200_5.txt")
        assert (back.xy, back.score, back.service, back.open_, back.close) == (
            made.xy,
            made.score,
            made.service,
            made.open_,
            made.close,
        )
        assert back.travel_matrix() == made.travel_matrix()


def test_a_bad_name_or_class_is_refused():
    with pytest.raises(ValueError):
        gen.parse_name("gen_x9_200_0")
    with pytest.raises(ValueError):
        gen.generate("r3", 200)
