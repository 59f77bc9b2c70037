"""The report checks engine alone (no Django, no database): the form definitions of data/forms/."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from xuthanh.stats import checks

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"


def form(name: str) -> dict:
    with (FORMS / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


ACCOMMODATION = form("accommodation-monthly")
CONTEXT = {"days": 30, "registered_rooms": 40, "registered_beds": 80}


def good_month() -> dict:
    return {
        "guests_total": 1000, "guests_overnight": 800, "guests_day": 200,
        "guests_international": 150, "guests_domestic": 850,
        "guests_by_market": {"CN": 60, "KR": 50, "FR": 40},
        "guest_days": 1400, "rooms_available": 40, "beds_available": 80,
        "room_nights_sold": 900, "bed_nights_sold": 1500,
        "revenue_total": 900_000_000, "revenue_international": 200_000_000, "revenue_domestic": 700_000_000,
    }


def codes(problems: list[checks.Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def test_every_form_file_is_a_valid_definition() -> None:
    for path in FORMS.glob("*.toml"):
        assert checks.validate_definition(form(path.stem)) == [], path.name


def test_a_consistent_month_passes_and_its_occupancy_is_computed_never_typed() -> None:
    outcome = checks.check(ACCOMMODATION, good_month(), context=CONTEXT)
    assert outcome.ok and not outcome.warnings
    assert outcome.derived["room_occupancy"] == 75.0  # 900 / (40 × 30)
    assert outcome.derived["bed_occupancy"] == 62.5
    assert outcome.derived["average_stay"] == 1.75


def test_parts_that_do_not_add_up_are_named_by_field_with_both_numbers() -> None:
    values = good_month() | {"guests_domestic": 800}
    outcome = checks.check(ACCOMMODATION, values, context=CONTEXT)
    [problem] = outcome.errors
    assert problem.field == "guests_total" and problem.code == "equal"
    assert problem.params["left_value"] == 1000 and problem.params["right_value"] == 950


def test_markets_must_add_up_to_the_international_guests() -> None:
    values = good_month() | {"guests_by_market": {"CN": 60, "KR": 50}}
    assert codes(checks.check(ACCOMMODATION, values, context=CONTEXT).errors) == [("guests_by_market", "equal")]


def test_room_nights_cannot_exceed_rooms_times_days() -> None:
    values = good_month() | {"room_nights_sold": 1201}
    assert ("room_nights_sold", "at_most") in codes(checks.check(ACCOMMODATION, values, context=CONTEXT).errors)
    values = good_month() | {"room_nights_sold": 1200, "bed_nights_sold": 1500}
    assert checks.check(ACCOMMODATION, values, context=CONTEXT).ok  # a full house is possible


def test_rooms_available_cannot_exceed_the_registered_rooms() -> None:
    values = good_month() | {"rooms_available": 41}
    assert ("rooms_available", "at_most") in codes(checks.check(ACCOMMODATION, values, context=CONTEXT).errors)


def test_missing_negative_and_unknown_market_values_are_refused_before_the_arithmetic() -> None:
    values = good_month()
    del values["guest_days"]
    values["guests_day"] = -1
    values["guests_by_market"] = {"XX": 150}
    assert sorted(codes(checks.check(ACCOMMODATION, values, context=CONTEXT).errors)) == [
        ("guest_days", "required"), ("guests_by_market", "unknown_market"), ("guests_day", "negative"),
    ]


def test_an_optional_breakdown_left_empty_is_not_compared() -> None:
    values = good_month()
    del values["guests_by_market"]
    assert checks.check(ACCOMMODATION, values, context=CONTEXT).ok


def test_a_jump_of_more_than_the_factor_from_last_year_asks_for_confirmation() -> None:
    last_year = good_month() | {"revenue_total": 200_000_000, "revenue_international": 50_000_000,
                                "revenue_domestic": 150_000_000}
    outcome = checks.check(ACCOMMODATION, good_month(), context=CONTEXT, last_year=last_year)
    assert outcome.ok
    assert {p.field for p in outcome.warnings} == {"revenue_total", "revenue_international", "revenue_domestic"}
    confirmed = frozenset({"revenue_total", "revenue_international", "revenue_domestic"})
    assert not checks.check(ACCOMMODATION, good_month(), context=CONTEXT, last_year=last_year,
                            confirmed=confirmed).warnings


def test_a_fall_to_less_than_a_third_is_a_jump_too() -> None:
    last_year = good_month()
    now = good_month() | {"revenue_total": 250_000_000, "revenue_international": 70_000_000,
                          "revenue_domestic": 180_000_000}
    fields = {p.field for p in checks.check(ACCOMMODATION, now, context=CONTEXT, last_year=last_year).warnings}
    assert fields == {"revenue_total", "revenue_domestic"}


@pytest.mark.parametrize("expression", ["__import__('os')", "a.b", "a ** 2", "'text'", "a if b else c", "f(x)"])
def test_expressions_are_only_arithmetic(expression: str) -> None:
    with pytest.raises(checks.ExpressionError):
        checks.evaluate(expression, {"a": 1, "b": 2})


def test_a_division_by_zero_or_a_missing_name_has_no_value() -> None:
    assert checks.evaluate("a / (b * days)", {"a": 1, "b": 0, "days": 30}) is None
    assert checks.evaluate("a + missing", {"a": 1}) is None


def test_a_definition_reading_an_unknown_name_is_refused_with_the_name() -> None:
    broken = ACCOMMODATION | {"checks": [{"kind": "equal", "left": "guests_total", "right": "guests_typo"}]}
    [problem] = checks.validate_definition(broken)
    assert "guests_typo" in problem
    assert checks.validate_definition(ACCOMMODATION | {"checks": [{"kind": "about", "left": "guests_total",
                                                                   "right": "guests_day"}]})
