"""The checks of a statistical report form, pure Python (no Django): the form's definition is data (a
circular's indicators, checks and derived figures, see data/forms/*.toml), this module evaluates it.

Expressions are arithmetic over indicator codes and a few context names (`days` in the period,
`registered_rooms`, `registered_beds`): numbers, names, + - * / and parentheses, nothing else. A
by-market indicator's name stands for the sum over its markets.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Value = int | dict[str, int] | None

_ALLOWED = (ast.Expression, ast.BinOp, ast.Name, ast.Constant, ast.Load, ast.UnaryOp, ast.USub, ast.Add, ast.Sub,
            ast.Mult, ast.Div)


class ExpressionError(ValueError):
    """An expression of a form definition is not the small arithmetic this module speaks."""


def names_in(expression: str) -> list[str]:
    """The names an expression reads, in order of appearance (checked when a form is loaded)."""
    tree = _parse(expression)
    return [node.id for node in ast.walk(tree) if isinstance(node, ast.Name)]


def _parse(expression: str) -> ast.Expression:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot read {expression!r}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{expression!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise ExpressionError(f"{expression!r}: only numbers")
    return tree


@functools.lru_cache(maxsize=512)
def compiled(expression: str) -> Callable[[Mapping[str, float]], float | None]:
    """The expression, checked once (only numbers, names, + - * / and parentheses: `_parse`) and compiled into
    a function of its names, for evaluating it over many reports."""
    code = compile(_parse(expression), "<form expression>", "eval")

    def run(names: Mapping[str, float]) -> float | None:
        try:
            return eval(code, {"__builtins__": {}}, dict(names))  # noqa: S307 - checked arithmetic only
        except (NameError, TypeError, ZeroDivisionError):  # a name without a value (or None); a division by 0
            return None

    return run


def evaluate(expression: str, names: Mapping[str, float]) -> float | None:
    """The expression's value, or None when a name it reads has no value (or it divides by zero)."""
    return compiled(expression)(names)


@dataclass(frozen=True)
class Problem:
    """One finding, naming the field it is about; `code` says which rule, `params` the numbers in it."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # need a confirmation, not a correction
    derived: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def flat(definition: Mapping[str, Any], values: Mapping[str, Value]) -> dict[str, float]:
    """Each indicator's number (a by-market indicator's sum over its markets)."""
    out: dict[str, float] = {}
    for indicator in definition["indicators"]:
        value = values.get(indicator["code"])
        if isinstance(value, dict):
            out[indicator["code"]] = sum(value.values())
        elif value is not None:
            out[indicator["code"]] = value
    return out


_COMPARE = {
    "equal": lambda a, b: abs(a - b) < 1e-9,
    "at_most": lambda a, b: a <= b + 1e-9,
    "at_least": lambda a, b: a + 1e-9 >= b,
}


def check(
    definition: Mapping[str, Any],
    values: Mapping[str, Value],
    *,
    context: Mapping[str, float],
    last_year: Mapping[str, Value] | None = None,
    confirmed: frozenset[str] = frozenset(),
) -> Outcome:
    """Every rule of the form on one report's values: required and non-negative numbers, the form's checks
    (parts add up, capacity), the derived figures (never typed) and, against the same period last year, the
    jumps that need a confirmation (unless their field is in `confirmed`)."""
    outcome = Outcome()
    for indicator in definition["indicators"]:
        code = indicator["code"]
        value = values.get(code)
        if value is None or value == {}:
            if indicator.get("required", True):
                outcome.errors.append(Problem(code, "required"))
            continue
        numbers = value.values() if isinstance(value, dict) else [value]
        if any(n < 0 for n in numbers):
            outcome.errors.append(Problem(code, "negative"))
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(definition.get("markets", ())))
            if unknown:
                outcome.errors.append(Problem(code, "unknown_market", {"markets": ", ".join(unknown)}))
    if outcome.errors:
        return outcome
    names = {**context, **flat(definition, values)}
    for rule in definition.get("checks", ()):
        left, right = evaluate(rule["left"], names), evaluate(rule["right"], names)
        if left is None or right is None:
            continue  # an optional part left empty: nothing to compare
        if not _COMPARE[rule["kind"]](left, right):
            outcome.errors.append(
                Problem(
                    rule.get("field") or names_in(rule["left"])[0],
                    rule["kind"],
                    {"left": rule["left"], "right": rule["right"], "left_value": left, "right_value": right},
                )
            )
    for derived in definition.get("derived", ()):
        value = evaluate(derived["expr"], names)
        if value is not None:
            outcome.derived[derived["code"]] = round(value * derived.get("scale", 1), 2)
    factor = float(definition.get("jump_factor", 0) or 0)
    if last_year and factor > 1:
        before = flat(definition, last_year)
        for code, now in flat(definition, values).items():
            then = before.get(code)
            if code in confirmed or not then or not now:
                continue
            if now > then * factor or now * factor < then:
                outcome.warnings.append(Problem(code, "jump", {"now": now, "then": then, "factor": factor}))
    return outcome


def validate_definition(definition: Mapping[str, Any]) -> list[str]:
    """What is wrong with a form definition (empty when it can be used): unknown names in expressions,
    duplicate codes, unknown check kinds."""
    problems: list[str] = []
    codes = [i["code"] for i in definition.get("indicators", ())]
    if not codes:
        problems.append("no indicators")
    if len(set(codes)) != len(codes):
        problems.append("an indicator code appears twice")
    known = set(codes) | set(definition.get("context", ())) | {"days"}
    for rule in definition.get("checks", ()):
        if rule.get("kind") not in _COMPARE:
            problems.append(f"check kind {rule.get('kind')!r} is not one of {sorted(_COMPARE)}")
        for side in ("left", "right"):
            try:
                unknown = set(names_in(rule[side])) - known
            except (ExpressionError, KeyError) as exc:
                problems.append(str(exc))
                continue
            if unknown:
                problems.append(f"{rule[side]!r} reads unknown names {sorted(unknown)}")
    for derived in definition.get("derived", ()):
        try:
            unknown = set(names_in(derived["expr"])) - known
        except (ExpressionError, KeyError) as exc:
            problems.append(str(exc))
            continue
        if unknown:
            problems.append(f"{derived['expr']!r} reads unknown names {sorted(unknown)}")
    return problems
