"""The plan shipped with the platform (data/kh115.toml): its sections, objectives and tasks with their funding,
as written. Idempotent: figures and titles are set again; what units recorded (money, reports), the current
lead units and the tasks' status stay."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.db import transaction

from xuthanh.orgs.models import Organisation
from xuthanh.plan.models import Objective, Plan, Section, Task

DATA = Path(__file__).resolve().parent / "data"
SOURCES = ("total", "provincial", "district", "socialised")


def _titles(obj: object, row: dict, key: str, field: str) -> None:
    for lang in ("vi", "en"):
        if row.get(f"{key}_{lang}"):
            obj.set_current_language(lang)
            setattr(obj, field, row[f"{key}_{lang}"])
            obj.save()


def _lead(name: str) -> Organisation | None:
    """The platform's unit for a lead named in the plan, where it is one unit that exists here."""
    kinds = {"Sở Văn hóa, Thể thao và Du lịch": Organisation.Kind.DEPARTMENT,
             "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch": Organisation.Kind.PROMOTION_CENTRE}
    kind = kinds.get(name)
    return Organisation.objects.filter(kind=kind).order_by("pk").first() if kind else None


@transaction.atomic
def load(path: Path = DATA / "kh115.toml") -> Plan:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    head = data["plan"]
    plan, _new = Plan.objects.update_or_create(number=head["number"], defaults={
        "date": head["date"], "issuer": head["issuer"], "implements": head.get("implements", ""),
        "source": head["source"], **{k: head[k] for k in SOURCES}})
    _titles(plan, head, "title", "title")
    sections = {}
    for n, row in enumerate(data["sections"]):
        section, _new = Section.objects.update_or_create(plan=plan, code=row["code"], defaults={
            "position": n, **{k: row[k] for k in SOURCES}})
        _titles(section, row, "title", "title")
        sections[row["code"]] = section
    plan.objectives.all().delete()  # no one records anything on an objective: shipped text only
    for n, row in enumerate(data["objectives"]):
        objective = Objective(plan=plan, year=row["year"], measure=row["key"], position=n)
        _titles(objective, row, "text", "text")
    for n, row in enumerate(data["tasks"]):
        task = Task.objects.filter(plan=plan, code=row["code"]).first() or Task(plan=plan, code=row["code"])
        task.section = sections[row["section"]]
        task.start_year, task.end_year = row["period"]
        task.years = row.get("years", [])
        task.lead_original = row["lead_original"]
        task.district_led = row.get("district_led", False)
        task.measure = row.get("measure", "")
        task.position = n
        for key in SOURCES:
            setattr(task, key, row.get(key, 0))
        if task.lead_id is None and not task.district_led:
            task.lead = _lead(row["lead_original"])
        task.save()
        _titles(task, row, "title", "title")
    return plan
