"""The report entry form, built from a form version's definition (one number field per indicator and market),
and the words of the checks' findings, each naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuthanh.stats import checks
from xuthanh.stats.markets import market_name
from xuthanh.stats.models import label_in

UNITS = {
    "guests": gettext_lazy("guests"), "guest_days": gettext_lazy("guest-days"), "rooms": gettext_lazy("rooms"),
    "beds": gettext_lazy("beds"), "room_nights": gettext_lazy("room-nights"), "bed_nights": gettext_lazy("bed-nights"),
    "vnd": gettext_lazy("VND"), "tours": gettext_lazy("tours"), "people": gettext_lazy("people"),
    "%": "%", "days": gettext_lazy("days"),
}
MAX_VALUE = 10**15  # no establishment reports a quadrillion of anything


def labels(definition: dict[str, Any]) -> dict[str, str]:
    out = {i["code"]: label_in(i["label"]) for i in definition["indicators"]}
    out.update({d["code"]: label_in(d["label"]) for d in definition.get("derived", ())})
    out.update({"days": str(_("days in the period")), "registered_rooms": str(_("registered rooms")),
                "registered_beds": str(_("registered beds"))})
    return out


def _expression_words(expression: str, names: dict[str, str]) -> str:
    words = expression
    for name in sorted(checks.names_in(expression), key=len, reverse=True):
        words = words.replace(name, f"“{names.get(name, name)}”")
    return words.replace("*", "×")


def _number(value: float) -> str:
    return number_format(round(value, 2), force_grouping=True)


def problem_message(problem: checks.Problem, definition: dict[str, Any]) -> str:
    names = labels(definition)
    field_name = names.get(problem.field, problem.field)
    p = problem.params
    if problem.code == "required":
        return _("“%(field)s”: a number is needed (0 if none).") % {"field": field_name}
    if problem.code == "negative":
        return _("“%(field)s”: cannot be negative.") % {"field": field_name}
    if problem.code == "unknown_market":
        return _("“%(field)s”: unknown markets %(markets)s.") % {"field": field_name, "markets": p["markets"]}
    if problem.code in ("equal", "at_most", "at_least"):
        words = {
            "equal": _("“%(field)s” is %(left)s but must equal %(rule)s = %(right)s."),
            "at_most": _("“%(field)s” is %(left)s but cannot exceed %(rule)s = %(right)s."),
            "at_least": _("“%(field)s” is %(left)s but cannot be less than %(rule)s = %(right)s."),
        }[problem.code]
        return words % {"field": field_name, "left": _number(p["left_value"]),
                        "rule": _expression_words(p["right"], names), "right": _number(p["right_value"])}
    if problem.code == "jump":
        return _(
            "“%(field)s” is %(now)s against %(then)s in the same period last year (more than %(factor)s× apart): "
            "correct it, or tick the box to confirm it is right."
        ) % {"field": field_name, "now": _number(p["now"]), "then": _number(p["then"]), "factor": _number(p["factor"])}
    if problem.code == "period_open":
        return _("The period is not over yet: its report can be filed from the day after it ends.")
    if problem.code == "already_submitted":
        return _("This report was submitted; change it with “Submit a correction”.")
    return problem.code


class ReportValuesForm(forms.Form):
    """Numbers of one report; by-market indicators get one field per market (`code__MARKET`)."""

    def __init__(self, *args: Any, definition: dict[str, Any], initial_values: dict[str, Any] | None = None,
                 warnings: list[checks.Problem] | None = None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        for code, value in (initial_values or {}).items():
            if isinstance(value, dict):
                initial.update({f"{code}__{m}": n for m, n in value.items()})
            else:
                initial[code] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.definition = definition
        self.market_fields: dict[str, list[str]] = {}
        for indicator in definition["indicators"]:
            code, unit = indicator["code"], UNITS.get(indicator.get("unit", ""), "")
            label = f"{label_in(indicator['label'])} ({unit})" if unit else label_in(indicator["label"])
            if indicator.get("by_market"):
                names = []
                for market in definition.get("markets", ()):
                    name = f"{code}__{market}"
                    self.fields[name] = forms.IntegerField(
                        label=market_name(market), required=False, min_value=0, max_value=MAX_VALUE,
                        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
                    )
                    names.append(name)
                self.market_fields[code] = names
                continue
            self.fields[code] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=MAX_VALUE,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )
        for problem in warnings or ():
            name = labels(definition).get(problem.field, problem.field)
            self.fields[f"confirm__{problem.field}"] = forms.BooleanField(
                label=_("I confirm “%(field)s” is right.") % {"field": name}, required=False
            )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for indicator in self.definition["indicators"]:
            code = indicator["code"]
            if code in self.market_fields:
                markets = {
                    name.split("__", 1)[1]: data[name]
                    for name in self.market_fields[code]
                    if data.get(name) is not None
                }
                if markets:
                    out[code] = markets
            elif data.get(code) is not None:
                out[code] = data[code]
        return out

    def confirmed(self) -> list[str]:
        return [name.split("__", 1)[1] for name, value in self.cleaned_data.items() if name.startswith("confirm__")
                and value]

    def confirm_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("confirm__")]

    def show(self, outcome: checks.Outcome) -> None:
        """Attach each finding to its field (the first market field for a by-market indicator)."""
        for problem in [*outcome.errors, *outcome.warnings]:
            target: str | None = problem.field if problem.field in self.fields else None
            if problem.field in self.market_fields:
                target = self.market_fields[problem.field][0]
            self.add_error(target, problem_message(problem, self.definition))

    def sections(self) -> list[dict[str, Any]]:
        """The fields in the form's order, by-market ones grouped, for the template."""
        out = []
        for indicator in self.definition["indicators"]:
            code = indicator["code"]
            if code in self.market_fields:
                fields = [self[n] for n in self.market_fields[code]]
                out.append({"legend": label_in(indicator["label"]), "fields": fields})
            else:
                out.append({"field": self[code]})
        return out
