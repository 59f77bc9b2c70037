"""Reads of the statistics: the roll-ups (by month, quarter or year; by commune, class or market; with the
same period a year before), statistical confidentiality for anything public, filing status and who is late,
and the official figures.

Confidentiality of every public figure (`public=True`; officers see everything):
- a cell needs at least MIN_CONTRIBUTORS establishments with a non-zero figure in it (a month's count; over
  several months, the largest monthly count);
- secondary suppression: while the hidden cells of a table together have fewer than MIN_CONTRIBUTORS
  contributors, the smallest published cell is hidden too, so neither the total nor a hidden neighbour's own
  figure gives one away;
- over a quarter or a year, a cell hidden in any of its months is hidden, so subtracting the published months
  from the period never gives back a hidden month;
- last year's figure beside a cell obeys the same rules, and the province's monthly series hides a month of
  fewer than MIN_CONTRIBUTORS.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuthanh.areas.models import Commune
from xuthanh.registry.models import Establishment
from xuthanh.stats import periods
from xuthanh.stats.markets import market_name
from xuthanh.stats.models import Aggregate, OfficialFigure, Report, ReportForm, label_in

MIN_CONTRIBUTORS = 3
DIMENSIONS = ("total", "commune", "type", "class", "market")


@dataclass
class Cell:
    key: str
    label: str
    value: float | None
    contributors: int
    previous: float | None = None
    suppressed: bool = False

    @property
    def change_pct(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous, 1)


@dataclass
class Rollup:
    indicator: str
    dimension: str
    months: list[dt.date]
    cells: list[Cell] = field(default_factory=list)
    total: Cell | None = None


def months_of(year: int, quarter: int | None = None, month: int | None = None) -> list[dt.date]:
    if month:
        return [dt.date(year, month, 1)]
    if quarter:
        return periods.quarter_months(year, quarter)
    return [dt.date(year, m, 1) for m in range(1, 13)]


def ratios() -> dict[str, dict[str, Any]]:
    """The ratio figures the forms define for roll-ups (occupancy…), keyed `kind:code`."""
    out: dict[str, dict[str, Any]] = {}
    for kind, definition in ReportForm.objects.filter(period=periods.MONTH).values_list("kind", "definition"):
        for ratio in definition.get("rollup_ratios", ()):
            out[f"{kind}:{ratio['code']}"] = {**ratio, "kind": kind}
    return out


def indicator_choices() -> list[tuple[str, str]]:
    """The monthly forms' indicators and roll-up ratios, as (`kind:code`, label) for the newest versions."""
    seen: dict[str, str] = {}
    kinds = dict(Establishment.Kind.choices)
    known_ratios = ratios()
    for form in ReportForm.objects.filter(period=periods.MONTH, valid_to__isnull=True).order_by("kind"):
        for item in [*form.definition["indicators"], *form.definition.get("derived", ())]:
            key = f"{form.kind}:{item['code']}"
            if key not in seen and (item in form.definition["indicators"] or key in known_ratios):
                seen[key] = f"{kinds[form.kind]}: {label_in(item['label'])}"
    return list(seen.items())


def _labels(dimension: str, keys: Iterable[str]) -> dict[str, str]:
    keys = list(keys)
    if dimension == "commune":
        names = dict(Commune.objects.filter(code__in=[int(k) for k in keys if k.isdigit()]).values_list("code", "name"))
        return {k: names.get(int(k), k) if k.isdigit() else k for k in keys}
    if dimension == "type":
        types = dict(Establishment.AccommodationType.choices)
        return {k: str(types.get(k, k)) for k in keys}
    if dimension == "class":
        types = dict(Establishment.AccommodationType.choices)
        out = {}
        for key in keys:
            kind, _sep, stars = key.partition(":")
            out[key] = f"{types.get(kind, kind)} {stars}★" if stars not in ("", "0") else str(types.get(kind, kind))
        return out
    if dimension == "market":
        return {k: market_name(k) for k in keys}
    return {k: _("Province") for k in keys}


Sums = dict[str, tuple[float, int]]


def _stored(indicator: str, ratio_of: dict[str, dict[str, Any]], seen: frozenset[str] = frozenset()) -> set[str]:
    """The stored indicators (Aggregate rows) an indicator is computed from: itself, or a ratio's parts."""
    ratio = ratio_of.get(indicator)
    if ratio is None or indicator in seen:
        return {indicator}
    seen = seen | {indicator}
    return (_stored(f"{ratio['kind']}:{ratio['numerator']}", ratio_of, seen)
            | _stored(f"{ratio['kind']}:{ratio['denominator']}", ratio_of, seen))


def _sums(indicators: Iterable[str], dimensions: Iterable[str], spans: Sequence[Sequence[dt.date]],
          ratio_of: dict[str, dict[str, Any]] | None = None) -> dict[tuple[str, str, int], Sums]:
    """For each indicator, dimension and span of months (by its position in `spans`): per key, the
    indicator's sum over the span's months and the largest monthly count of contributors. One query for
    all of them; a ratio indicator (occupancy) is its numerator's sum over its denominator's, per key."""
    ratio_of = ratios() if ratio_of is None else ratio_of
    indicators, dimensions = list(dict.fromkeys(indicators)), list(dict.fromkeys(dimensions))
    stored = set().union(*(_stored(i, ratio_of) for i in indicators)) if indicators else set()
    spans_of: dict[dt.date, list[int]] = defaultdict(list)
    for position, months in enumerate(spans):
        for month in set(months):
            spans_of[month].append(position)
    raw: dict[tuple[str, str, int], dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    if stored and spans_of:
        rows = Aggregate.objects.filter(
            dimension__in=dimensions, indicator__in=sorted(stored), month__in=sorted(spans_of)
        ).values_list("dimension", "indicator", "month", "key", "value", "contributors")
        for dimension, indicator, month, key, value, contributors in rows:
            for position in spans_of[month]:
                cell = raw[(indicator, dimension, position)][key]
                cell[0] += value
                cell[1] = max(cell[1], contributors)

    def resolve(indicator: str, dimension: str, position: int, seen: frozenset[str] = frozenset()) -> Sums:
        ratio = ratio_of.get(indicator)
        if ratio is not None and indicator not in seen:
            seen = seen | {indicator}
            kind = ratio["kind"]
            top = resolve(f"{kind}:{ratio['numerator']}", dimension, position, seen)
            bottom = resolve(f"{kind}:{ratio['denominator']}", dimension, position, seen)
            scale = ratio.get("scale", 1)
            return {
                key: (round(value * scale / bottom[key][0], 1), count)
                for key, (value, count) in top.items()
                if key in bottom and bottom[key][0]
            }
        per_key = raw.get((indicator, dimension, position), {})
        return {key: (value, int(count)) for key, (value, count) in per_key.items()}

    return {
        (indicator, dimension, position): resolve(indicator, dimension, position)
        for indicator in indicators
        for dimension in dimensions
        for position in range(len(spans))
    }


def _sum(indicator: str, dimension: str, months: Sequence[dt.date]) -> Sums:
    """Per key: the indicator's sum over the months, and the largest monthly count of contributors."""
    return _sums([indicator], [dimension], [months])[(indicator, dimension, 0)]


def _shift_year(months: Sequence[dt.date], years: int) -> list[dt.date]:
    return [m.replace(year=m.year + years) for m in months]


def _hidden_in_some_month(indicator: str, dimension: str, months: Sequence[dt.date]) -> tuple[set[str], bool]:
    """The keys whose cell is hidden in at least one of the months' own public tables (and whether the
    province total is), so that a quarter or a year never publishes a sum from which a hidden month could be
    taken back by subtracting the months that are published."""
    dimensions = [dimension] if dimension == "total" else [dimension, "total"]
    sums = _sums([indicator], dimensions, [[m] for m in months])
    hidden: set[str] = set()
    total_hidden = False
    for position in range(len(months)):
        table = [Cell(k, k, v, n) for k, (v, n) in sums[(indicator, dimension, position)].items()]
        hidden |= {c.key for c in protect(table) if c.suppressed}
        total = sums[(indicator, "total", position)].get("all")
        total_hidden |= total is not None and total[1] < MIN_CONTRIBUTORS
    return hidden, total_hidden


def rollup(indicator: str, dimension: str, months: Sequence[dt.date], *, public: bool) -> Rollup:
    """The indicator over `months` per key of `dimension`, with the same months a year before; when
    `public`, no cell and no comparison that could reveal a business: see the module's rules."""
    dimensions = [dimension] if dimension == "total" else [dimension, "total"]
    before_months = _shift_year(months, -1)
    sums = _sums([indicator], dimensions, [months, before_months])
    now, before = sums[(indicator, dimension, 0)], sums[(indicator, dimension, 1)]
    labels = _labels(dimension, set(now) | set(before))
    result = Rollup(indicator, dimension, list(months))
    for key in sorted(now, key=lambda k: (-now[k][0], labels[k])):
        value, contributors = now[key]
        previous = before.get(key, (None, 0))
        result.cells.append(Cell(key, labels[key], value, contributors, previous[0]))
    total_before = sums[(indicator, "total", 1)].get("all")
    if dimension != "total":
        total = sums[(indicator, "total", 0)]
        if "all" in total:
            value, contributors = total["all"]
            result.total = Cell("all", _("Province"), value, contributors, total_before[0] if total_before else None)
    if not public:
        return result
    hidden, total_hidden = _hidden_in_some_month(indicator, dimension, months) if len(months) > 1 else (set(), False)
    protect(result.cells, also=hidden | ({"all"} if total_hidden and dimension == "total" else set()))
    # last year's figures obey the same rules: a comparison shows no figure that is hidden itself
    last_year = [Cell(k, k, v, n) for k, (v, n) in before.items()]
    earlier, _total_earlier = _hidden_in_some_month(indicator, dimension, before_months) if len(months) > 1 else (
        set(), False)
    hidden_before = {c.key for c in protect(last_year, also=earlier) if c.suppressed}
    for cell in result.cells:
        if cell.key in hidden_before:
            cell.previous = None
    if result.total is not None:
        protect([result.total], also={"all"} if total_hidden else set())
        if total_before is None or total_before[1] < MIN_CONTRIBUTORS or _total_earlier:
            result.total.previous = None
    return result


def protect(cells: list[Cell], also: set[str] | frozenset[str] = frozenset()) -> list[Cell]:
    """Hide the cells with fewer than MIN_CONTRIBUTORS contributors (and those named in `also`); then, while
    the hidden cells together have fewer than MIN_CONTRIBUTORS contributors (a lone hidden cell, or two
    single businesses, each of which could take the other's figure from the total), hide the smallest other
    cell too (secondary suppression). Hidden cells lose their values and comparisons."""
    hidden = [c for c in cells if c.contributors < MIN_CONTRIBUTORS or c.key in also]
    hidden_ids = {id(c) for c in hidden}  # by identity: `in` on the list compared every field, O(n²) per table
    others = sorted((c for c in cells if id(c) not in hidden_ids), key=lambda c: (c.value or 0, c.key))
    while hidden and others and (len(hidden) == 1 or sum(c.contributors for c in hidden) < MIN_CONTRIBUTORS):
        hidden.append(others.pop(0))
    for cell in hidden:
        cell.suppressed = True
        cell.value = None
        cell.previous = None
    return cells


def monthly_series(indicator: str, year: int, *, public: bool, dimension: str = "total",
                   key: str = "all") -> list[dict[str, Any]]:
    """One point per month of `year` (and the same month a year before) for a chart; when `public`, a month
    (or its comparison) of fewer than MIN_CONTRIBUTORS businesses has no value."""
    months = months_of(year)
    spans = [[month] for month in months] + [[month.replace(year=year - 1)] for month in months]
    sums = _sums([indicator], [dimension], spans)
    out = []
    for i, month in enumerate(months):
        now = sums[(indicator, dimension, i)].get(key)
        then = sums[(indicator, dimension, len(months) + i)].get(key)
        cell = Cell(key, f"{month:%m/%Y}", now[0] if now else None, now[1] if now else 0, then[0] if then else None)
        if public:
            if cell.value is not None:
                protect([cell])
            if then is None or then[1] < MIN_CONTRIBUTORS:
                cell.previous = None
        out.append({"month": month.isoformat(), "value": cell.value, "previous": cell.previous,
                    "suppressed": cell.suppressed})
    return out


# ---- filing ---------------------------------------------------------------------------------------------

FILING_STATES = ("on_time", "late_filed", "draft", "overdue", "open", "not_due")


def filing_state(report: Report | None, due: dt.date, period_over: bool, today: dt.date) -> str:
    """One word for a business and a period: on_time, late_filed, draft (saved, not submitted), overdue
    (not filed after its due date), open (the period is over, the report is not yet due) or not_due (the
    period is not over)."""
    if report is not None and report.state == Report.State.SUBMITTED:
        return "late_filed" if report.late else "on_time"
    if not period_over:
        return "not_due"
    if today > due:
        return "overdue"
    return "draft" if report is not None else "open"


def reporting_units(queryset: Any = None, *, samples: bool = True) -> Any:
    """Operating establishments of the kinds a form applies to (without the sample ones when `samples` is
    false: the figures, the filing rate, the late list and the reminders are about real businesses)."""
    kinds = set(ReportForm.objects.values_list("kind", flat=True))
    queryset = Establishment.objects.all() if queryset is None else queryset
    queryset = queryset.filter(kind__in=kinds, state=Establishment.State.OPERATING)
    return queryset if samples else queryset.filter(is_sample=False)


def unfiled(period: str, start: dt.date, queryset: Any = None) -> tuple[dict[str, ReportForm], Any]:
    """The form in force per kind for the period that starts on `start`, and the real operating establishments
    of those kinds that have not submitted their report on it (the late list's and the reminders' subjects)."""
    forms = forms_at(period, start)
    filed = Report.objects.filter(period=period, period_start=start, state=Report.State.SUBMITTED)
    units = reporting_units(queryset, samples=False).filter(kind__in=list(forms)).exclude(
        pk__in=filed.values("establishment"))
    return forms, units


def late_list(period: str, start: dt.date, today: dt.date, queryset: Any = None) -> list[Establishment]:
    """Operating establishments whose report on the period is overdue (not submitted after the due day)."""
    if not periods.closed(period, start, today):
        return []
    forms, units = unfiled(period, start, queryset)
    return [e for e in units.select_related("commune", "operator") if today > forms[e.kind].due_date(start)]


def operating_in(month: dt.date) -> Q:
    """Establishments that operated during the month, as far as the register knows (no history of states
    is kept): operating and not since after the month ended, or suspended or closed since after it began."""
    end = periods.end_of(periods.MONTH, month)
    operating = Q(state=Establishment.State.OPERATING) & (Q(state_since__isnull=True) | Q(state_since__lte=end))
    stopped = Q(state__in=[Establishment.State.SUSPENDED, Establishment.State.CLOSED], state_since__gt=month)
    return operating | stopped


def filing_rate(months: Sequence[dt.date], today: dt.date) -> list[dict[str, Any]]:
    """Per month: reports submitted (on time, late) against the establishments expected to file that month
    (operating in it, `operating_in`: a business opened in June is not expected in March, one closed in
    May still is), in one query for all months."""
    kinds = set(ReportForm.objects.values_list("kind", flat=True))
    units = Establishment.objects.filter(kind__in=kinds, is_sample=False)
    expected_by = units.aggregate(**{f"m{i}": Count("pk", filter=operating_in(m)) for i, m in enumerate(months)})
    counts = {
        row["period_start"]: row
        for row in Report.objects.filter(period=periods.MONTH, period_start__in=list(months),
                                         state=Report.State.SUBMITTED)
        .order_by()  # the model's ordering (by the establishment's name) would join the register for nothing
        .values("period_start")
        .annotate(n=Count("id"), late_n=Count("id", filter=Q(late=True)))
    }
    out = []
    for index, month in enumerate(months):
        row = counts.get(month, {"n": 0, "late_n": 0})
        expected = max(expected_by[f"m{index}"], row["n"])  # one that filed was expected, whatever its state now
        out.append({
            "month": month.isoformat(), "expected": expected, "filed": row["n"], "late": row["late_n"],
            "rate": round(row["n"] * 100 / expected, 1) if expected else None,
            "over": periods.closed(periods.MONTH, month, today),
        })
    return out


def business_reports(establishment_ids: Iterable[int], months: Sequence[dt.date]) -> dict[tuple[int, dt.date], Report]:
    return {
        (r.establishment_id, r.period_start): r
        for r in Report.objects.filter(establishment_id__in=list(establishment_ids), period=periods.MONTH,
                                       period_start__in=list(months)).select_related("form")
    }


def official_figures() -> dict[int, dict[str, list[OfficialFigure]]]:
    """The published figures per year and indicator (several sources may give one figure)."""
    out: dict[int, dict[str, list[OfficialFigure]]] = defaultdict(lambda: defaultdict(list))
    for figure in OfficialFigure.objects.order_by("year", "indicator", "status"):
        out[figure.year][figure.indicator].append(figure)
    return {year: dict(v) for year, v in out.items()}


OFFICIAL_INDICATORS = {
    "visitors_total": gettext_lazy("Visitors, total"),
    "visitors_international": gettext_lazy("International visitors"),
    "visitors_domestic": gettext_lazy("Domestic visitors"),
    "revenue_bn_vnd": gettext_lazy("Receipts from tourists (billion VND)"),
    "guest_days": gettext_lazy("Guest-days"),
    "overnight_guests": gettext_lazy("Overnight guests"),
    "accommodation_establishments": gettext_lazy("Accommodation establishments"),
    "accommodation_rooms": gettext_lazy("Accommodation rooms"),
}


def forms_in_force(period: str, months: Sequence[dt.date]) -> dict[tuple[str, dt.date], ReportForm]:
    """The form version in force for each kind of establishment and period start (one query)."""
    versions = list(ReportForm.objects.filter(period=period).order_by("-valid_from"))
    return {
        (form.kind, start): form
        for start in months
        for form in reversed(versions)
        if form.valid_from <= start and (form.valid_to is None or start <= form.valid_to)
    }


def forms_at(period: str, start: dt.date) -> dict[str, ReportForm]:
    """The form version in force per kind of establishment for the period that starts on `start`."""
    return {kind: form for (kind, _start), form in forms_in_force(period, [start]).items()}


def filing_grid(units: Sequence[Establishment], months: Sequence[dt.date], today: dt.date) -> list[dict[str, Any]]:
    """Per establishment and month: the filing state (filing_state) under the form version of that month, or
    the report's own version once one exists."""
    reports = business_reports([u.pk for u in units], months)
    forms = forms_in_force(periods.MONTH, months)
    rows = []
    for unit in units:
        cells = []
        for month in months:
            report = reports.get((unit.pk, month))
            form = report.form if report is not None else forms.get((unit.kind, month))
            if form is None:
                continue
            state = filing_state(report, form.due_date(month), periods.closed(periods.MONTH, month, today), today)
            cells.append({"month": month, "state": state, "report": report})
        rows.append({"unit": unit, "cells": cells})
    return rows


def business_totals(units: Sequence[Establishment], months: Sequence[dt.date],
                    codes: Sequence[str] = ("guests_total", "revenue_total", "room_nights_sold")) -> list[dict]:
    """Per establishment: how many of the months it filed, and the sums of a few indicators over them."""
    reports = business_reports([u.pk for u in units], months)
    rows = []
    for unit in units:
        filed = [r for m in months if (r := reports.get((unit.pk, m))) and r.state == Report.State.SUBMITTED]
        totals: dict[str, float] = {}
        for report in filed:
            for code in codes:
                value = report.values.get(code)
                if isinstance(value, int | float):
                    totals[code] = totals.get(code, 0) + value
        rows.append({"unit": unit, "filed": len(filed), "of": len(months), "totals": totals})
    return rows
