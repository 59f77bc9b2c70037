"""Writes of the statistics: loading the forms and the official figures, filing a report (draft, submit,
correct; for itself or on a business's behalf) and rebuilding a month's roll-up. Every door (the back-office
pages, the import, the commands) goes through these functions."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuthanh.core import audit, bulk
from xuthanh.core.models import AuditEntry
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Organisation
from xuthanh.registry.models import Establishment
from xuthanh.stats import checks, periods, selectors
from xuthanh.stats.models import Aggregate, OfficialFigure, Report, ReportForm

DATA = Path(__file__).resolve().parent / "data"


class FormDataError(ValueError):
    """A form file cannot be loaded; the message names the file and the problem."""


def forms_load(directory: Path = DATA / "forms") -> list[ReportForm]:
    """Create or update the form versions described in `directory`. A version that reports were filed under
    is never changed (a change needs a new version); each version is valid until the next one starts."""
    loaded = []
    with transaction.atomic():
        for path in sorted(directory.glob("*.toml")):
            with path.open("rb") as handle:
                data = tomllib.load(handle)
            problems = checks.validate_definition(data)
            for key in ("code", "version", "kind", "period", "valid_from", "due", "title", "legal_basis"):
                if key not in data:
                    problems.append(f"missing {key!r}")
            if problems:
                raise FormDataError(f"{path.name}: " + "; ".join(problems))
            definition = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
            form = ReportForm.objects.filter(code=data["code"], version=data["version"]).first()
            if form is not None and form.definition != definition and form.reports.exists():
                raise FormDataError(
                    f"{path.name}: version {data['version']} has reports; describe the change as a new version"
                )
            form = form or ReportForm(code=data["code"], version=data["version"])
            form.kind, form.period, form.valid_from = data["kind"], data["period"], data["valid_from"]
            form.legal_basis, form.definition = data["legal_basis"], definition
            form.save()
            loaded.append(form)
        _chain_versions()
    return loaded


def _chain_versions() -> None:
    by_code: dict[str, list[ReportForm]] = defaultdict(list)
    for form in ReportForm.objects.order_by("code", "valid_from"):
        by_code[form.code].append(form)
    for versions in by_code.values():
        for older, newer in zip(versions, versions[1:], strict=False):
            end = newer.valid_from - dt.timedelta(days=1)
            if older.valid_to != end:
                older.valid_to = end
                older.save(update_fields=["valid_to"])
        if versions and versions[-1].valid_to is not None:
            versions[-1].valid_to = None
            versions[-1].save(update_fields=["valid_to"])


def official_figures_load(path: Path = DATA / "official_figures.toml") -> int:
    """Replace the official figures with those of the data file (each with its source)."""
    with path.open("rb") as handle:
        records = tomllib.load(handle).get("figure", [])
    with transaction.atomic():
        OfficialFigure.objects.all().delete()
        OfficialFigure.objects.bulk_create(
            OfficialFigure(
                year=r["year"], indicator=r["indicator"], value=r["value"], status=r["status"],
                source=r["source"], publisher=r["publisher"], evidence=r["evidence"], note=r.get("note", "")[:500],
            )
            for r in records
        )
    return len(records)


# ---- filing ---------------------------------------------------------------------------------------------


class FilingRefused(PermissionError):
    """The user may not file for this establishment."""


@dataclass
class Filing:
    report: Report
    outcome: checks.Outcome = field(default_factory=checks.Outcome)
    stored: bool = False


def filing_unit(user: Any, establishment: Establishment) -> Organisation | None:
    """The unit the user files for `establishment` as: its business, else a commune or site board (or the
    department) whose area holds it; None when the user may not file for it."""
    if not permissions.can_file_report(user, establishment):
        return None
    units = [m.organisation for m in permissions.memberships(user)]
    for org in units:
        if org.pk == establishment.operator_id:
            return org
    for org in units:
        if establishment.commune_id in {c.pk for c in org.communes.all()}:
            return org
    return next((org for org in units if org.province_wide), None)


def report_context(establishment: Establishment, period: str, start: dt.date) -> dict[str, float]:
    context: dict[str, float] = {"days": periods.days_in(period, start)}
    if establishment.rooms is not None:
        context["registered_rooms"] = establishment.rooms
    if establishment.beds is not None:
        context["registered_beds"] = establishment.beds
    return context


def report_open(establishment: Establishment, period: str, start: dt.date) -> Report | None:
    """The establishment's report on the period (unsaved and under the form in force when none is filed yet),
    or None when no form applies to it."""
    report = (
        Report.objects.select_related("form", "establishment")
        .filter(establishment=establishment, period=period, period_start=start)
        .first()
    )
    if report is not None:
        return report
    form = selectors.forms_at(period, start).get(establishment.kind)
    if form is None:
        return None
    return Report(establishment=establishment, form=form, period=period, period_start=start)


def last_year_values(report: Report) -> dict[str, Any] | None:
    previous = (
        Report.objects.filter(
            establishment_id=report.establishment_id, period=report.period, state=Report.State.SUBMITTED,
            period_start=report.period_start.replace(year=report.period_start.year - 1),
        )
        .values_list("values", flat=True)
        .first()
    )
    return previous


def report_file(
    *,
    user: Any,
    report: Report,
    values: Mapping[str, Any],
    submit: bool,
    confirmed: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> Filing:
    """Save a report as a draft, or check it and submit it (a second submission is a correction). On an
    error nothing changes; the outcome names each field and rule. A `user` of None is a trusted command."""
    establishment = report.establishment
    unit = filing_unit(user, establishment) if user is not None else None
    if user is not None and unit is None and not permissions.is_platform_admin(user):
        raise FilingRefused(_("You may not file reports for this establishment."))
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not periods.closed(report.period, report.period_start, today):
        filing = Filing(report)
        filing.outcome.errors.append(checks.Problem("", "period_open"))
        return filing
    clean = {k: v for k, v in values.items() if v is not None and v != {}}
    outcome = checks.Outcome()
    if submit:
        outcome = checks.check(
            report.form.definition, clean,
            context=report_context(establishment, report.period, report.period_start),
            last_year=last_year_values(report), confirmed=frozenset(confirmed),
        )
        if outcome.errors or outcome.warnings:
            return Filing(report, outcome)
    before = audit.snapshot(report) if report.pk else {}
    was_submitted = report.pk is not None and report.state == Report.State.SUBMITTED
    if was_submitted and not submit:
        filing = Filing(report)
        filing.outcome.errors.append(checks.Problem("", "already_submitted"))
        return filing
    note = _apply(report, user=user, unit=unit, values=clean, derived=outcome.derived, confirmed=confirmed,
                  submit=submit, now=now)
    with transaction.atomic():
        is_new = report.pk is None
        report.save()
        audit.record(
            actor=user, action=AuditEntry.Action.CREATE if is_new else AuditEntry.Action.UPDATE,
            obj=report, before=before, note=note,
        )
        if submit and report.period == periods.MONTH:
            from xuthanh.stats import tasks

            month = report.period_start
            transaction.on_commit(lambda: tasks.month_refresh_task(month))  # the queue, not this request
    return Filing(report, outcome, stored=True)


def _apply(report: Report, *, user: Any, unit: Organisation | None, values: dict[str, Any],
           derived: dict[str, float], confirmed: Iterable[str], submit: bool, now: dt.datetime) -> str:
    """Put checked values on a report (classification of its establishment, submission, lateness or
    correction, who filed for whom) without saving it; returns the audit note. Shared by every door."""
    establishment = report.establishment
    was_submitted = report.pk is not None and report.state == Report.State.SUBMITTED
    report.values = values
    report.derived = derived
    report.confirmed = sorted(set(confirmed) & set(values))
    report.filed_by = unit
    report.commune_id = establishment.commune_id
    report.kind = establishment.kind
    report.accommodation_type = establishment.accommodation_type
    report.stars = establishment.current_stars(periods.end_of(report.period, report.period_start))
    if not submit:
        return ""
    if was_submitted:
        report.corrections += 1
        note = "correction"
    else:
        report.late = timezone.localdate(now) > report.due_date
        note = "late filing" if report.late else "filing"
    if unit is not None and unit.pk != establishment.operator_id:
        note += f" on behalf of the business by {unit.name}"
    report.state = Report.State.SUBMITTED
    report.submitted_at = now
    report.submitted_by = user if getattr(user, "is_authenticated", False) else None
    return note


REPORT_FIELDS = ["values", "derived", "confirmed", "filed_by", "commune", "kind", "accommodation_type", "stars",
                 "corrections", "late", "state", "submitted_at", "submitted_by"]


@dataclass
class StagedReport:
    """One report of a bulk filing (an import): where it comes from, and its figures."""

    line: int
    establishment: Establishment
    start: dt.date
    values: dict[str, Any]
    confirmed: frozenset[str] = frozenset()


@dataclass
class BulkFiling:
    stored: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # line, field, message


def _value_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """The audit's changes of a report's figures: each figure that changed, before and after."""
    before = before or {}
    return {
        f"values.{code}": [before.get(code), after.get(code)]
        for code in sorted(set(before) | set(after))
        if before.get(code) != after.get(code)
    }


def reports_file_many(*, user: Any, items: list[StagedReport], now: dt.datetime | None = None,
                      check_only: bool = False) -> BulkFiling:
    """Submit many monthly reports at once (an import): the same permission, checks (last year's jumps
    included, confirmed by the field codes of `confirmed`), form version and bookkeeping as report_file, for
    all of them or none. A report already submitted with the same figures is left as it is (an import can
    be run twice); a changed one is a correction. The audit entries keep the figures before and after.
    `check_only`: find the problems, store nothing (an import that has other problems already)."""
    from django.contrib.contenttypes.models import ContentType

    from xuthanh.core.middleware import current_ip
    from xuthanh.stats.forms import problem_message

    now = now or timezone.now()
    today = timezone.localdate(now)
    result = BulkFiling()
    units: dict[int, Organisation | None] = {}
    starts = {item.start for item in items}
    ids = {item.establishment.pk for item in items}
    forms_by_id = {f.pk: f for f in ReportForm.objects.filter(period=periods.MONTH)}  # each definition read once
    existing = {}
    for r in Report.objects.filter(period=periods.MONTH, period_start__in=starts, establishment_id__in=ids):
        r.form = forms_by_id[r.form_id]
        existing[(r.establishment_id, r.period_start)] = r
    last_year = {
        (e, start.replace(year=start.year + 1)): values
        for e, start, values in Report.objects.filter(
            period=periods.MONTH, state=Report.State.SUBMITTED, establishment_id__in=ids,
            period_start__in={s.replace(year=s.year - 1) for s in starts},
        ).values_list("establishment_id", "period_start", "values")
    }
    forms = selectors.forms_in_force(periods.MONTH, sorted(starts))
    ready: list[tuple[Report, str, dict[str, Any] | None]] = []
    for item in items:
        establishment = item.establishment
        if establishment.pk not in units:
            units[establishment.pk] = filing_unit(user, establishment) if user is not None else None
        unit = units[establishment.pk]
        if user is not None and unit is None and not permissions.is_platform_admin(user):
            result.problems.append((item.line, "code", _("you may not file reports for this establishment")))
            continue
        if not periods.closed(periods.MONTH, item.start, today):
            result.problems.append((item.line, "month", _("the month is not over yet")))
            continue
        report = existing.get((establishment.pk, item.start))
        if report is None:
            form = forms.get((establishment.kind, item.start))
            if form is None:
                result.problems.append((item.line, "code", _("no report form applies to this establishment")))
                continue
            report = Report(establishment=establishment, form=form, period=periods.MONTH,
                            period_start=item.start)
        report.establishment = establishment
        outcome = checks.check(
            report.form.definition, item.values, context=report_context(establishment, periods.MONTH, item.start),
            last_year=last_year.get((establishment.pk, item.start)), confirmed=item.confirmed,
        )
        for problem in [*outcome.errors, *outcome.warnings]:
            message = problem_message(problem, report.form.definition)
            if problem.code == "jump":
                message += " " + _("(to keep it, add “%(code)s” to the column “confirmed”)") % {"code": problem.field}
            result.problems.append((item.line, problem.field, message))
        if not outcome.ok or outcome.warnings:
            continue
        if report.pk is not None and report.state == Report.State.SUBMITTED and report.values == item.values:
            result.unchanged += 1
            continue
        before = dict(report.values) if report.pk is not None else None
        note = _apply(report, user=user, unit=unit, values=item.values, derived=outcome.derived,
                      confirmed=item.confirmed, submit=True, now=now)
        ready.append((report, note, before))
    if result.problems or check_only:
        return result
    actor = user if getattr(user, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(Report)
    with transaction.atomic():
        Report.objects.bulk_create([r for r, _n, _b in ready if r.pk is None], batch_size=1000)
        bulk.update_all(Report, [r for r, _n, b in ready if b is not None], REPORT_FIELDS)
        bulk.insert_all(
            AuditEntry,
            (
                AuditEntry(
                    actor=actor, actor_repr=(actor.get_username() if actor else "import")[:150],
                    ip_address=current_ip.get(),
                    action=AuditEntry.Action.IMPORT if before is not None else AuditEntry.Action.CREATE,
                    content_type=content_type, object_id=str(report.pk), object_repr=str(report)[:300],
                    changes=_value_changes(before, report.values), snapshot={"values": report.values},
                    note=f"import: {note}"[:300],
                )
                for report, note, before in ready
            ),
        )
        for month in sorted({r.period_start for r, _n, _b in ready}):
            refresh_month(month)
    result.stored = len(ready)
    return result


# ---- the roll-up ----------------------------------------------------------------------------------------


def _cells(report: Mapping[str, Any], commune_code: int) -> list[tuple[str, str]]:
    cells = [("total", "all"), ("commune", str(commune_code))]
    if report["kind"] == Establishment.Kind.ACCOMMODATION:
        cells.append(("type", report["accommodation_type"]))
        cells.append(("class", f"{report['accommodation_type']}:{report['stars'] or 0}"))
    return cells


def aggregate_reports(reports: Iterable[Mapping[str, Any]], definitions: Mapping[int, Mapping[str, Any]],
                      commune_codes: Mapping[int, int]) -> dict[tuple[str, str, str], list[float]]:
    """Sums and contributor counts of one month's reports per (dimension, key, indicator): the indicators,
    the forms' roll-up sums (`rollup_sums`, e.g. room capacity) and, per market, the by-market ones. An
    indicator is named with the kind of establishment that reports it (`accommodation:guests_total`), so
    guests of hotels and of travel agencies are never added together."""
    plans: dict[int, tuple[list[tuple[str, Any]], list[str]]] = {}  # each form's sums compiled once
    for form_id, definition in definitions.items():
        sums = [(extra["code"], checks.compiled(extra["expr"])) for extra in definition.get("rollup_sums", ())]
        by_market = [i["code"] for i in definition["indicators"] if i.get("by_market")]
        plans[form_id] = (sums, by_market)
    days_of: dict[dt.date, int] = {}
    cells: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for report in reports:
        definition = definitions[report["form_id"]]
        sums, by_market_codes = plans[report["form_id"]]
        values = report["values"]
        start = report["period_start"]
        if start not in days_of:
            days_of[start] = periods.days_in(periods.MONTH, start)
        figures = checks.flat(definition, values)
        if sums:
            names = {**figures, "days": days_of[start]}
            for code, expression in sums:
                value = expression(names)
                if value is not None:
                    figures[code] = value
        kind = report["kind"]
        named = [(f"{kind}:{code}", value) for code, value in figures.items()]
        for dimension, key in _cells(report, commune_codes[report["commune_id"]]):
            for code, value in named:
                cell = cells[(dimension, key, code)]
                cell[0] += value
                cell[1] += bool(value)  # a zero is no contribution: it would not hide the others' figure
        for code in by_market_codes:
            by_market = values.get(code)
            if isinstance(by_market, dict):
                for market, value in by_market.items():
                    cell = cells[("market", market, f"{kind}:{code}")]
                    cell[0] += value
                    cell[1] += bool(value)
    return cells


def refresh_month(month: dt.date) -> int:
    """Rebuild the month's roll-up from its submitted monthly reports; returns the number of cells.

    Two refreshes of one month at once (two filings committing together, on two servers) must not leave the
    older reading last, nor two sets of rows: the month is locked first (PostgreSQL: a transaction-scoped
    advisory lock per month; SQLite: the DELETE takes the database's write lock), and the reports are read
    after it, inside the same transaction, so the last refresh to run sees every filing committed before it."""
    from django.db import connection

    from xuthanh.areas.models import Commune

    month = month.replace(day=1)
    # The month's rows are deleted in plain SQL (QuerySet.delete() loads every row first: models of any app have
    # post_delete receivers, e.g. the page cache's, which ignores this app) and written with core.bulk.
    meta, quote = Aggregate._meta, connection.ops.quote_name
    stamp = meta.get_field("month").get_db_prep_save(month, connection)
    delete = f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('month').column)} = %s"  # noqa: S608
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [MONTH_LOCK, month.year * 12 + month.month])
            cursor.execute(delete, [stamp])
        reports = list(
            Report.objects.filter(period=periods.MONTH, period_start=month, state=Report.State.SUBMITTED)
            .exclude(establishment__is_sample=True)  # demonstrations never count in the figures
            .values("form_id", "values", "kind", "accommodation_type", "stars", "commune_id", "period_start")
        )
        definitions = {
            f.pk: f.definition for f in ReportForm.objects.filter(pk__in={r["form_id"] for r in reports})
        }
        codes = dict(Commune.objects.filter(pk__in={r["commune_id"] for r in reports}).values_list("pk", "code"))
        cells = aggregate_reports(reports, definitions, codes)
        bulk.insert_values(Aggregate, ["month", "dimension", "key", "indicator", "value", "contributors"], (
            (month, d, k, i, float(v), int(n)) for (d, k, i), (v, n) in cells.items()
        ))
    return len(cells)


MONTH_LOCK = 1_806_018  # the advisory lock space of the statistics' monthly roll-ups (any fixed number)


# ---- reminders ------------------------------------------------------------------------------------------


def reminders_send(today: dt.date, kinds: Iterable[str] = (periods.MONTH, periods.YEAR)) -> dict[str, int]:
    """Remind the businesses that have not filed the last month's (and the last year's) report
    REPORT_REMINDER_DAYS before it is due, and tell them once when it is overdue (the department sees the list
    on the late reports page). Each is sent once (Reminder rows); a message the mail server refuses is not
    recorded, so it is tried again the next day."""
    sent = {"before": 0, "late": 0, "failed": 0}
    for period in kinds:
        for kind, ok in _remind(period, periods.last_closed(period, today), today):
            sent[kind if ok else "failed"] += 1
    return sent


REMINDER_SUBJECTS = {
    "before": gettext_lazy("Reminder: the tourism statistics report for %(period)s is due on %(due)s"),
    "late": gettext_lazy("Overdue: the tourism statistics report for %(period)s (due %(due)s)"),
}
REMINDER_BODIES = {
    periods.MONTH: gettext_lazy(
        "%(name)s (%(code)s) has not yet submitted its monthly report for %(period)s under %(basis)s. "
        "File it in the back office: %(url)s"
    ),
    periods.YEAR: gettext_lazy(
        "%(name)s (%(code)s) has not yet submitted its annual report for %(period)s under %(basis)s. "
        "File it in the back office: %(url)s"
    ),
}


def _remind(period: str, start: dt.date, today: dt.date) -> Iterable[tuple[str, bool]]:
    from django.conf import settings
    from django.core.mail import send_mail

    from xuthanh.stats.models import Reminder

    forms, units = selectors.unfiled(period, start)
    done = set(Reminder.objects.filter(period=period, period_start=start).values_list("establishment_id", "kind"))
    label = f"{start:%m/%Y}" if period == periods.MONTH else str(start.year)
    slug = f"{start:%Y-%m}" if period == periods.MONTH else str(start.year)
    for unit in units.select_related("operator"):
        due = forms[unit.kind].due_date(start)
        if today > due:
            kind = "late"
        elif (due - today).days <= settings.REPORT_REMINDER_DAYS:
            kind = "before"
        else:
            continue
        address = unit.email or (unit.operator.email if unit.operator else "")
        if not address or (unit.pk, kind) in done:
            continue
        subject = REMINDER_SUBJECTS[kind]
        body = REMINDER_BODIES[period]
        words = {"name": unit.name, "code": unit.code, "period": label, "due": f"{due:%d/%m/%Y}",
                 "basis": forms[unit.kind].legal_basis,
                 "url": settings.SITE_URL.rstrip("/") + reverse("stats:report", args=[unit.code, period, slug])}
        try:
            with translation.override(settings.LANGUAGE_CODE):  # the province's language, not the caller's
                subject_text, body_text = str(subject) % words, str(body) % words
            send_mail(subject_text, body_text, None, [address])
        except OSError:  # smtplib's errors are OSErrors: refused, unreachable, rate-limited (4xx)
            yield kind, False
            continue
        Reminder.objects.get_or_create(establishment=unit, period=period, period_start=start, kind=kind)
        yield kind, True
