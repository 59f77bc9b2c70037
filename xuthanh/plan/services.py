"""What people do with the plan, each step checked and audited: who runs it (the department's editors and
administrators) and who leads a task (its lead unit's editors and administrators); money allocated and spent,
recorded by the lead unit with its document, never spent beyond what was allocated; the yearly report of a lead
unit on each of its tasks, due before 15 December; proposals to amend the plan, reviewed by the department and
decided by the Chairman; and the reminders before and after the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuthanh.core import audit
from xuthanh.core.cells import CONTROL  # characters DOCX and XLSX cannot hold
from xuthanh.core.models import AuditEntry
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Organisation, Role
from xuthanh.plan.models import Amendment, Money, Report, Source, Task

RUN_ROLES = (Role.ADMIN, Role.EDITOR)
DEADLINE = (12, 15)  # the plan's section V: every unit reports "before 15 December"


class PlanError(ValueError):
    """Refused; the message says what and where."""


def runs_plan(user: Any) -> bool:
    """The department (the Steering Committee's standing body) runs the plan: its editors and administrators."""
    if permissions.is_platform_admin(user):
        return True
    return any(m.role in RUN_ROLES and m.organisation.kind == Organisation.Kind.DEPARTMENT
               for m in permissions.memberships(user))


def leads(user: Any, task: Task) -> bool:
    """The task's lead unit's editors and administrators act for it."""
    return task.lead_id is not None and any(m.role in RUN_ROLES and m.organisation_id == task.lead_id
                                            for m in permissions.memberships(user))


PLAN_UNITS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.PROMOTION_CENTRE, Organisation.Kind.COMMUNE,
              Organisation.Kind.SITE_BOARD)  # the state units the plan gives tasks to; not businesses or partners


def may_see(user: Any) -> bool:
    """The members of the plan's state units see its figures in the back office (a business or a partner does
    not: the public page is theirs)."""
    return permissions.is_platform_admin(user) or any(
        m.organisation.kind in PLAN_UNITS and m.role != Role.BUSINESS for m in permissions.memberships(user))


def deadline(year: int) -> dt.datetime:
    """The moment a year's reports are late: the start of 15 December in the platform's time zone."""
    month, day = DEADLINE
    return timezone.make_aware(dt.datetime(year, month, day), timezone.get_default_timezone())


def parse_amount(value: Any, where: str) -> Decimal:
    """Million VND as typed, "12,5" or "12.5", at most three decimals; else PlanError saying where."""
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise PlanError(_("%(where)s: “%(value)s” is not an amount in million VND.")
                        % {"where": where, "value": value}) from None
    if not amount.is_finite():
        raise PlanError(_("%(where)s: “%(value)s” is not an amount in million VND.")
                        % {"where": where, "value": value})
    if amount < 0:
        raise PlanError(_("%(where)s: an amount cannot be negative.") % {"where": where})
    if amount >= Decimal("1e9") or amount != amount.quantize(Decimal("0.001")):
        raise PlanError(_("%(where)s: give million VND with at most three decimals (e.g. 12.5 for 12,500,000 "
                          "VND).") % {"where": where})
    return amount


def _year(task: Task, year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise PlanError(_("The year must be a number, e.g. 2025.")) from None
    if not task.start_year <= year <= max(task.end_year, timezone.localdate().year):
        raise PlanError(_("Task %(code)s runs from %(start)s to %(end)s: %(year)s is outside it.")
                        % {"code": task.code, "start": task.start_year, "end": task.end_year, "year": year})
    return year


def totals(task: Task, year: int | None = None) -> dict[tuple[str, str], Decimal]:
    """(kind, source): the sum recorded for the task (in one year, or all)."""
    rows = Money.objects.filter(task=task)
    if year is not None:
        rows = rows.filter(year=year)
    return {(kind, source): total for kind, source, total in
            rows.values("kind", "source").annotate(total=Sum("amount")).values_list("kind", "source", "total")}


def check_money(task: Task, actor: Any, *, year: Any, kind: str, source: str, amount: Any,
                document: str) -> tuple[int, Decimal]:
    """The checks of `record_money` that need no lock (who, what, how much, which year): (year, amount)."""
    if not (leads(actor, task) or runs_plan(actor)):
        raise PlanError(_("Only the unit leading task %(code)s (or the department) records its money.")
                        % {"code": task.code})
    if kind not in Money.Kind.values:
        raise PlanError(_("Say whether the money was allocated or spent."))
    if source not in Source.values:
        raise PlanError(_("Unknown source of funding."))
    amount = parse_amount(amount, _("Amount"))
    if amount == 0:
        raise PlanError(_("Amount: give more than zero."))
    if not (document or "").strip():
        raise PlanError(_("Give the number of the document that decided or shows this money."))
    if task.lead_id is None and _department() is None:
        raise PlanError(_("Task %(code)s has no lead unit yet: the department names it first.") % {"code": task.code})
    year = _year(task, year)
    _within_allocation(task, year, kind, source, amount)
    return year, amount


def _within_allocation(task: Task, year: int, kind: str, source: str, amount: Decimal) -> None:
    if kind != Money.Kind.SPENT:
        return
    sums = totals(task, year)
    allocated = sums.get((Money.Kind.ALLOCATED, source), Decimal(0))
    spent = sums.get((Money.Kind.SPENT, source), Decimal(0))
    if spent + amount > allocated:
        raise PlanError(_("%(year)s, %(source)s: %(spent)s + %(amount)s million VND spent would pass the "
                          "%(allocated)s allocated to task %(code)s. Record the allocation first.")
                        % {"year": year, "source": Source(source).label, "spent": number(spent),
                           "amount": number(amount), "allocated": number(allocated), "code": task.code})


def number(value: Decimal) -> str:
    """An amount as people write it: 120.5, 100 (not 120.500 or 1E+2)."""
    return format(value.normalize(), "f")


def record_money(task: Task, actor: Any, *, year: Any, kind: str, source: str, amount: Any, document: str,
                 document_date: dt.date) -> Money:
    """Money allocated to or spent on `task`, by its lead unit (or the department). Spending beyond the year's
    allocation from that source is refused; the task's row is locked, so two officers recording at once cannot
    both pass the check."""
    year, amount = check_money(task, actor, year=year, kind=kind, source=source, amount=amount, document=document)
    with transaction.atomic():
        Task.objects.select_for_update().filter(pk=task.pk).first()
        _within_allocation(task, year, kind, source, amount)  # again, under the lock
        money = Money.objects.create(task=task, year=year, kind=kind, source=source, amount=amount,
                                     document=document.strip()[:80], document_date=document_date,
                                     unit=task.lead or _department(), recorded_by=actor)
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=money)
    return money


def _department() -> Organisation:
    return Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by("pk").first()


def check_report(task: Task, unit: Organisation | None, actor: Any, year: Any, *, send: bool = False,
                 **fields: Any) -> tuple[int, dict[str, Any]]:
    """The checks of `save_report`: (year, the cleaned changes). A new report comes from the task's lead unit; an
    existing one stays its unit's (a task whose lead changed keeps the reports the former lead sent)."""
    if unit is None:
        raise PlanError(_("Task %(code)s has no lead unit yet: the department names it first.") % {"code": task.code})
    year = _year(task, year)
    stored = Report.objects.filter(task=task, unit=unit, year=year).first()
    if stored is None and task.lead_id != unit.pk:
        raise PlanError(_("%(unit)s does not lead task %(code)s: it reports on its own tasks only.")
                        % {"unit": unit, "code": task.code})
    if not (runs_plan(actor) or unit.pk in units_of(actor)):
        raise PlanError(_("Only %(unit)s reports on task %(code)s.") % {"unit": unit, "code": task.code})
    changes: dict[str, Any] = {}
    for name in ("done", "difficulties", "proposals"):
        if name in fields:
            changes[name] = CONTROL.sub("", str(fields[name] or ""))[:20_000]
    for source in Source.values:
        name = f"spent_{source}"
        if name in fields:
            changes[name] = parse_amount(fields[name] or 0, Source(source).label)
    if "progress" in fields:
        try:
            changes["progress"] = int(fields["progress"])
        except (TypeError, ValueError):
            raise PlanError(_("Progress is a whole number from 0 to 100.")) from None
        if not 0 <= changes["progress"] <= 100:
            raise PlanError(_("Progress is a whole number from 0 to 100."))
    if stored is not None and stored.state == Report.State.SENT and not runs_plan(actor):
        raise PlanError(_("This report was sent on %(when)s; ask the department to correct it.")
                        % {"when": timezone.localtime(stored.sent_at).strftime("%d/%m/%Y")})
    if send and not (changes.get("done", stored.done if stored else "") or "").strip():
        raise PlanError(_("Say what was done before sending the report."))
    return year, changes


def save_report(task: Task, unit: Organisation | None, actor: Any, year: Any, *, send: bool = False,
                **fields: Any) -> Report:
    """A unit's yearly report on a task (see `check_report`), kept as a draft or sent. Sent reports are changed
    by the department only (a correction is audited)."""
    year, changes = check_report(task, unit, actor, year, send=send, **fields)
    with transaction.atomic():
        report, new = Report.objects.select_for_update().get_or_create(task=task, unit=unit, year=year)
        if report.state == Report.State.SENT and not runs_plan(actor):  # sent meanwhile
            raise PlanError(_("This report was sent on %(when)s; ask the department to correct it.")
                            % {"when": timezone.localtime(report.sent_at).strftime("%d/%m/%Y")})
        before = audit.snapshot(report)
        for name, value in changes.items():
            setattr(report, name, value)
        report.updated_by = actor
        if send and report.state != Report.State.SENT:
            report.state, report.sent_at = Report.State.SENT, timezone.now()
        report.save()
        audit.record(actor=actor, action=AuditEntry.Action.CREATE if new else AuditEntry.Action.UPDATE,
                     obj=report, before=before)
    return report


def expected(year: int) -> list[Task]:
    """The tasks that owe a report for `year`: running that year, with a lead unit."""
    tasks = Task.objects.filter(lead__isnull=False, start_year__lte=year).select_related("lead")
    return [t for t in tasks if t.runs_in(year) or (t.end_year < year and t.status != Task.Status.DONE
                                                     and not t.years)]


def lateness(year: int, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every report a year owes: its task and unit, its state, and whether it is late (not sent before the
    deadline, or sent after it)."""
    now = now or timezone.now()
    due = deadline(year)
    sent = {(r.task_id, r.unit_id): r for r in Report.objects.filter(year=year)}
    rows = []
    for task in expected(year):
        report = sent.get((task.pk, task.lead_id))
        sent_at = report.sent_at if report and report.state == Report.State.SENT else None
        late = (sent_at is None and now >= due) or (sent_at is not None and sent_at >= due)
        rows.append({"task": task, "unit": task.lead, "report": report, "sent_at": sent_at, "late": late,
                     "due": due})
    return rows


def check_proposal(task: Task, actor: Any, *, proposal: str, reason: str) -> None:
    if not (leads(actor, task) or runs_plan(actor)):
        raise PlanError(_("Only the unit leading task %(code)s (or the department) proposes to amend it.")
                        % {"code": task.code})
    if not (proposal or "").strip() or not (reason or "").strip():
        raise PlanError(_("Say what to change and why."))


def propose(task: Task, actor: Any, *, proposal: str, reason: str) -> Amendment:
    check_proposal(task, actor, proposal=proposal, reason=reason)
    with transaction.atomic():
        made = Amendment.objects.create(task=task, unit=task.lead or _department(), proposal=proposal.strip(),
                                        reason=reason.strip())
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=made)
    return made


def _amendment_step(amendment: Amendment, actor: Any, allowed: tuple[str, ...], to: str,
                    **changes: Any) -> Amendment:
    return audit.step(amendment, actor, field="state", allowed=allowed, to=to, **changes, refused=lambda stored: (
        PlanError(_("This proposal is %(state)s; it cannot go to that step now.")
                  % {"state": stored.get_state_display()})))


def check_step(amendment: Amendment, actor: Any, step: str, *, opinion: str = "", decision: str = "") -> None:
    """The checks of the next step of a proposal ("review", "accept", "refuse"; "" changes nothing)."""
    if not step:
        return
    if not runs_plan(actor):
        raise PlanError(_("The department reviews proposals to amend the plan and records the Chairman's "
                          "decision."))
    wanted = Amendment.State.PROPOSED if step == "review" else Amendment.State.REVIEWED
    if amendment.state != wanted:
        raise PlanError(_("This proposal is %(state)s; it cannot go to that step now.")
                        % {"state": amendment.get_state_display()})
    if step == "review" and not (opinion or "").strip():
        raise PlanError(_("Give the department's opinion."))
    if step in ("accept", "refuse") and not (decision or "").strip():
        raise PlanError(_("Give the number of the Chairman's decision."))


def review(amendment: Amendment, actor: Any, opinion: str) -> Amendment:
    if not runs_plan(actor):
        raise PlanError(_("The department reviews proposals to amend the plan."))
    if not (opinion or "").strip():
        raise PlanError(_("Give the department's opinion."))
    return _amendment_step(amendment, actor, (Amendment.State.PROPOSED,), Amendment.State.REVIEWED,
                           review=opinion.strip())


def decide(amendment: Amendment, actor: Any, *, accepted: bool, decision: str, decision_date: dt.date) -> Amendment:
    """The Chairman's decision, recorded by the department with its number and date."""
    if not runs_plan(actor):
        raise PlanError(_("The department records the Chairman's decision."))
    if not (decision or "").strip():
        raise PlanError(_("Give the number of the Chairman's decision."))
    to = Amendment.State.ACCEPTED if accepted else Amendment.State.REFUSED
    return _amendment_step(amendment, actor, (Amendment.State.REVIEWED,), to, decision=decision.strip()[:80],
                           decision_date=decision_date)


REMINDER_SUBJECTS = {
    "before": gettext_lazy("Reminder: your yearly report on the tourism IT plan for %(year)s is due before %(due)s"),
    "late": gettext_lazy("Overdue: your yearly report on the tourism IT plan for %(year)s (due before %(due)s)"),
}
REMINDER_BODY = gettext_lazy("%(unit)s has not yet sent its %(year)s report on: %(tasks)s. Fill it in the back "
                             "office: %(url)s")


def reminders_send(today: dt.date | None = None) -> dict[str, int]:
    """Each lead unit with reports not sent: reminded once PLAN_REMINDER_DAYS before the deadline, and once when
    late (to the unit's address); in January to March, last year's reports still owed too. A message the mail
    server refuses is not recorded: tried again the next day."""
    today = today or timezone.localdate()
    sent = {"before": 0, "late": 0, "failed": 0}
    years = [today.year - 1, today.year] if today.month <= 3 else [today.year]  # last year's, still owed
    for year in years:
        due = deadline(year).date()
        if today >= due:
            kind = "late"
        elif (due - today).days <= settings.PLAN_REMINDER_DAYS:
            kind = "before"
        else:
            continue
        for key, n in _remind(year, kind, due, today).items():
            sent[key] += n
    return sent


def _remind(year: int, kind: str, due: dt.date, today: dt.date) -> dict[str, int]:
    from django.core.mail import send_mail
    from django.urls import reverse

    from xuthanh.plan.models import Reminder

    owing: dict[int, list[Task]] = {}
    units: dict[int, Organisation] = {}
    for row in lateness(year, timezone.make_aware(dt.datetime.combine(today, dt.time()))):
        if row["sent_at"] is None:
            owing.setdefault(row["unit"].pk, []).append(row["task"])
            units[row["unit"].pk] = row["unit"]
    done = set(Reminder.objects.filter(year=year, kind=kind).values_list("unit_id", flat=True))
    sent = {"before": 0, "late": 0, "failed": 0}
    for unit_id, tasks in owing.items():
        unit = units[unit_id]
        if unit_id in done or not unit.email:
            continue
        words = {"unit": unit.name, "year": year, "due": f"{due:%d/%m/%Y}",
                 "tasks": "; ".join(f"{t.code} {t.safe_translation_getter('title', any_language=True)}"
                                    for t in tasks),
                 "url": settings.SITE_URL.rstrip("/") + reverse("admin:plan_report_changelist")}
        try:
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(str(REMINDER_SUBJECTS[kind]) % words, str(REMINDER_BODY) % words, None, [unit.email])
        except OSError:
            sent["failed"] += 1
            continue
        Reminder.objects.create(unit=unit, year=year, kind=kind)
        sent[kind] += 1
    return sent


def tasks_led(user: Any) -> Any:
    """The tasks the person's units lead (a queryset)."""
    return Task.objects.filter(lead__in=units_of(user))


def may_record(user: Any) -> bool:
    """May add money, reports or proposals: the department, or a unit leading a task."""
    return runs_plan(user) or tasks_led(user).exists()


def units_of(user: Any) -> Iterable[int]:
    return [m.organisation_id for m in permissions.memberships(user) if m.role in RUN_ROLES]
