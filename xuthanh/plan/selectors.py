"""Reads of the plan: whether the shipped figures add up, the budget planned, allocated and spent per source and
year, the tasks with their state for a year, and what the public page may show (no drafts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from xuthanh.plan.models import Money, Plan, Report, Source, Task

SOURCES = tuple(Source.values)


def current_plan() -> Plan | None:
    return Plan.objects.prefetch_related("translations").order_by("-date").first()


def sums_by_section(plan: Plan) -> dict[str, dict[str, int]]:
    """The tasks' figures summed per section and for the plan ("*"): total and each source."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(("total", *SOURCES), 0))
    for task in plan.tasks.select_related("section"):
        for key in ("total", *SOURCES):
            out[task.section.code][key] += getattr(task, key)
            out["*"][key] += getattr(task, key)
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


def budget(plan: Plan) -> Budget:
    """Planned (the plan gives a task's funding for its whole period: spread evenly over the years it runs),
    allocated and spent per source and year, from the money the lead units recorded."""
    tasks = list(plan.tasks.all())
    years = sorted({y for t in tasks for y in t.running_years()}
                   | set(Money.objects.filter(task__plan=plan).values_list("year", flat=True)))
    planned = {s: dict.fromkeys(years, 0.0) for s in SOURCES}
    for task in tasks:
        running = task.running_years()
        for source in SOURCES:
            for year in running:
                planned[source][year] += getattr(task, source) / len(running)
    recorded = {kind: {s: dict.fromkeys(years, 0.0) for s in SOURCES} for kind in Money.Kind.values}
    for kind, source, year, total in (Money.objects.filter(task__plan=plan).values("kind", "source", "year")
                                      .annotate(total=Sum("amount")).values_list("kind", "source", "year", "total")):
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
    reports = {(r.task_id, r.unit_id): r for r in Report.objects.filter(task__plan=plan, year=year)}
    rows = []
    for task in (plan.tasks.select_related("lead", "section").prefetch_related("translations", "cooperating")
                 .order_by("position")):
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
