"""Reads of the plan: whether the shipped figures add up, the budget planned, allocated and spent per source and
year, the tasks with their state for a year, and what the public page may show (no drafts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Sum

from xuthanh.plan.models import Milestone, Money, Plan, Report, Risk, Source, Task

SOURCES = tuple(Source.values)


def current_plan() -> Plan | None:
    return Plan.objects.prefetch_related("translations").order_by("-date").first()


def sums_by_section(plan: Plan) -> dict[str, dict[str, int]]:
    """The tasks' figures summed per section and for the plan ("*"): total and each source."""
    keys = ("total", *SOURCES)
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for code, *figures in plan.tasks.order_by().values_list("section__code", *keys):  # rows: asked every request
        for key, value in zip(keys, figures, strict=True):
            out[code][key] += value
            out["*"][key] += value
    return {k: dict(v) for k, v in out.items()}


def adds_up(plan: Plan) -> list[str]:
    """Where the tasks' figures differ from the totals the plan writes (empty: it adds up)."""
    found = sums_by_section(plan)
    problems = []
    for section in plan.sections.all():
        for key in ("total", *SOURCES):
            if found.get(section.code, {}).get(key, 0) != getattr(section, key):
                problems.append(f"{section.code} {key}: {found.get(section.code, {}).get(key, 0)} ≠ "
                                f"{getattr(section, key)}")
    for key in ("total", *SOURCES):
        if found.get("*", {}).get(key, 0) != getattr(plan, key):
            problems.append(f"plan {key}: {found.get('*', {}).get(key, 0)} ≠ {getattr(plan, key)}")
    return problems


@dataclass(frozen=True)
class Budget:
    years: list[int]
    planned: dict[str, list[float]]  # source: per year, spread evenly over each task's years
    allocated: dict[str, list[float]]
    spent: dict[str, list[float]]
    totals: dict[str, dict[str, float]]  # source: {"planned", "allocated", "spent"}


class _Span(NamedTuple):
    """What Task.running_years reads, without a model instance."""

    start_year: int
    end_year: int
    years: list[int]


def budget(plan: Plan) -> Budget:
    """Planned (the plan gives a task's funding for its whole period: spread evenly over the years it runs),
    allocated and spent per source and year, from the money the lead units recorded."""
    # rows, not models: the dashboard and the public page ask on every request, and with hundreds of tasks and tens
    # of thousands of money rows, making model instances was most of the time
    tasks = [(Task.running_years(_Span(*row[:3])), row[3:]) for row in plan.tasks.order_by("position").values_list(
        "start_year", "end_year", "years", *SOURCES)]
    sums = list(Money.objects.filter(task__plan=plan).values("kind", "source", "year").annotate(total=Sum("amount"))
                .values_list("kind", "source", "year", "total"))
    years = sorted({y for running, _figures in tasks for y in running} | {year for _k, _s, year, _t in sums})
    planned = {s: dict.fromkeys(years, 0.0) for s in SOURCES}
    for running, figures in tasks:
        for source, figure in zip(SOURCES, figures, strict=True):
            for year in running:
                planned[source][year] += figure / len(running)
    recorded = {kind: {s: dict.fromkeys(years, 0.0) for s in SOURCES} for kind in Money.Kind.values}
    for kind, source, year, total in sums:
        recorded[kind][source][year] = float(total)
    series = {name: {s: [round(values[s][y], 3) for y in years] for s in SOURCES}
              for name, values in (("planned", planned), ("allocated", recorded["allocated"]),
                                   ("spent", recorded["spent"]))}
    return Budget(years, series["planned"], series["allocated"], series["spent"],
                  {s: {name: round(sum(series[name][s]), 3) for name in series} for s in SOURCES})


def task_rows(plan: Plan, year: int) -> list[dict[str, Any]]:
    """Each task with its lead, state and the year's money and report (one query per kind, not per task)."""
    money: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for task_id, kind, total in (Money.objects.filter(task__plan=plan, year=year).values("task", "kind")
                                 .annotate(total=Sum("amount")).values_list("task", "kind", "total")):
        money[(task_id, kind)] = total
    # the page shows a report's state: not its texts (tens of KB a year with hundreds of units)
    reports = {(r.task_id, r.unit_id): r for r in Report.objects.filter(task__plan=plan, year=year).order_by()
               .only("task_id", "unit_id", "year", "state", "sent_at")}
    rows = []
    for task in plan.tasks.select_related("lead").prefetch_related("translations").order_by("position"):
        rows.append({"task": task, "allocated": money[(task.pk, "allocated")], "spent": money[(task.pk, "spent")],
                     "report": reports.get((task.pk, task.lead_id)), "runs": task.runs_in(year)})
    return rows


def status_counts(plan: Plan) -> dict[str, int]:
    counts = dict.fromkeys(Task.Status.values, 0)
    for status in plan.tasks.values_list("status", flat=True):
        counts[status] += 1
    return counts


@dataclass(frozen=True)
class Consolidated:
    """What the department's yearly report sums up: per task, the plan's figures, the year's money recorded and
    the lead unit's sent report (drafts are not the unit's word yet: left out)."""

    plan: Plan
    year: int
    rows: list[dict[str, Any]]
    totals: dict[str, dict[str, Decimal]]  # source: {"planned", "allocated", "spent"} for the year
    missing: list[Task]  # tasks that owe a report for the year and sent none


def consolidated(plan: Plan, year: int) -> Consolidated:
    from xuthanh.plan import services

    money: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for task_id, kind, source, total in (Money.objects.filter(task__plan=plan, year=year)
                                         .values("task", "kind", "source").annotate(total=Sum("amount"))
                                         .values_list("task", "kind", "source", "total")):
        money[(task_id, kind, source)] = total
    sent: dict[int, Report] = {}  # per task: its current lead's report, else a former lead's
    for r in (Report.objects.filter(task__plan=plan, year=year, state=Report.State.SENT).select_related("unit", "task")
              .order_by("sent_at")):
        if r.task_id not in sent or r.unit_id == r.task.lead_id:
            sent[r.task_id] = r
    owing = {t.pk for t in services.expected(year)}
    rows, missing = [], []
    totals = {s: {"planned": Decimal(0), "allocated": Decimal(0), "spent": Decimal(0)} for s in SOURCES}
    for task in plan.tasks.select_related("lead").prefetch_related("translations").order_by("position"):
        running = task.running_years()
        row = {"task": task, "report": sent.get(task.pk), "planned": {}, "allocated": {}, "spent": {}}
        for source in SOURCES:
            planned = Decimal(getattr(task, source)) / len(running) if year in running else Decimal(0)
            row["planned"][source] = planned.quantize(Decimal("0.001"))
            row["allocated"][source] = money[(task.pk, "allocated", source)]
            row["spent"][source] = money[(task.pk, "spent", source)]
            for key in ("planned", "allocated", "spent"):
                totals[source][key] += row[key][source]
        rows.append(row)
        if task.pk in owing and task.pk not in sent:
            missing.append(task)
    return Consolidated(plan, year, rows, totals, missing)


@dataclass(frozen=True)
class Watch:
    """What the Steering Committee should look at: milestones past their date and not done, and open risks
    (the serious ones first)."""

    late_milestones: list[Milestone]
    open_risks: list[Risk]


LEVEL = {"high": 0, "medium": 1, "low": 2}


def watch(plan: Plan, today: dt.date) -> Watch:
    late = list(Milestone.objects.filter(task__plan=plan, done_on__isnull=True, due__lt=today)
                .select_related("task").order_by("due"))
    risks = sorted(Risk.objects.filter(task__plan=plan, closed=False).select_related("task"),
                   key=lambda r: (LEVEL[r.impact] + LEVEL[r.likelihood], r.task.position, r.pk))
    return Watch(late, risks)
