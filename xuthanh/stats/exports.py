"""Spreadsheets of the statistics: the year's reports (one row per report, every indicator and market in its
column; the same layout imports back, all rows or none, every problem named by line and column) and the
department's quarterly or annual summary generated from the roll-ups."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.core.cells import cell_out
from xuthanh.core.middleware import current_ip
from xuthanh.core.models import AuditEntry
from xuthanh.registry.models import Establishment
from xuthanh.stats import checks, periods, selectors, services
from xuthanh.stats.forms import labels, problem_message
from xuthanh.stats.models import OfficialFigure, Report, ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED = ["code", "establishment", "month", "state", "late", "form", "version"]


def _columns(forms: list[ReportForm]) -> list[str]:
    columns: list[str] = []
    for form in forms:
        for indicator in form.definition["indicators"]:
            if indicator.get("by_market"):
                names = [f"{indicator['code']}:{m}" for m in form.definition.get("markets", ())]
            else:
                names = [indicator["code"]]
            columns.extend(n for n in names if n not in columns)
    return columns


def year_xlsx(year: int) -> bytes:
    """Every monthly report of the year, as filed (drafts included, with their state)."""
    forms = list(ReportForm.objects.filter(period=periods.MONTH).order_by("kind", "version"))
    columns = _columns(forms)
    codes = dict(Establishment.objects.values_list("pk", "code"))
    names = dict(Establishment.objects.values_list("pk", "name"))
    form_of = {f.pk: f for f in forms}
    rows = Report.objects.filter(period=periods.MONTH, period_start__year=year).order_by("period_start", "pk")

    def lines() -> Iterable[Sequence[Any]]:
        yield FIXED + columns
        for establishment_id, start, state, late, form_id, values in rows.values_list(
            "establishment_id", "period_start", "state", "late", "form_id", "values"
        ).iterator(chunk_size=5000):
            form = form_of[form_id]
            flat: dict[str, Any] = {}
            for code, value in values.items():
                if isinstance(value, dict):
                    flat.update({f"{code}:{m}": n for m, n in value.items()})
                else:
                    flat[code] = value
            yield [codes[establishment_id], cell_out(names[establishment_id]), f"{start:%Y-%m}", state,
                   "yes" if late else "", form.code, form.version] + [flat.get(c) for c in columns]

    return _workbook(str(year), lines())


# ---- a one-sheet workbook, written directly --------------------------------------------------------------
# openpyxl spent ~12 µs per cell (a cell object, its checks, an lxml element): 14 s for a province's year of
# 36,000 reports. The year export is one sheet of numbers and texts, so its XML is written here as the OOXML
# standard has it and openpyxl writes it in write-only mode (the size first, texts in the shared strings
# table, which readers look up faster than inline texts); openpyxl, Excel and LibreOffice read it.

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot carry
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        f'{_XML_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OOXML}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_OFFICE}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'{_XML_HEAD}<styleSheet xmlns="{_SHEET_NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _workbook(title: str, rows: Iterable[Sequence[Any]]) -> bytes:
    """An XLSX workbook of one sheet named `title`: numbers as numbers, anything else as text, empty cells
    (None or "") left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        sheet_name = escape(_ILLEGAL_XML.sub("", title), {'"': "&quot;"})
        archive.writestr("xl/workbook.xml", (
            f'{_XML_HEAD}<workbook xmlns="{_SHEET_NS}" xmlns:r="{_OFFICE}">'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ))
        rows = list(rows)  # the sheet's size comes first (readers in read-only mode size the sheet from it)
        width = max((len(row) for row in rows), default=1)
        letters = [_column_letters(i) for i in range(width)]
        strings: dict[str, int] = {}
        cells = 0
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            parts = [f'{_XML_HEAD}<worksheet xmlns="{_SHEET_NS}"><dimension ref="A1:{letters[-1]}{max(1, len(rows))}"/>'
                     "<sheetData>"]
            for number, row in enumerate(rows, start=1):
                parts.append(f'<row r="{number}">')
                for column, value in zip(letters, row, strict=False):
                    if value is None or value == "":
                        continue
                    if isinstance(value, bool):
                        parts.append(f'<c r="{column}{number}" t="b"><v>{int(value)}</v></c>')
                    elif isinstance(value, int | float):
                        parts.append(f'<c r="{column}{number}"><v>{value!r}</v></c>')
                    else:
                        index = strings.setdefault(str(value), len(strings))
                        parts.append(f'<c r="{column}{number}" t="s"><v>{index}</v></c>')
                        cells += 1
                parts.append("</row>")
                if len(parts) > 20_000:
                    sheet.write("".join(parts).encode())
                    parts.clear()
            parts.append("</sheetData></worksheet>")
            sheet.write("".join(parts).encode())
        with archive.open("xl/sharedStrings.xml", "w") as table:
            parts = [f'{_XML_HEAD}<sst xmlns="{_SHEET_NS}" count="{cells}" uniqueCount="{len(strings)}">']
            parts.extend(f'<si><t xml:space="preserve">{escape(_ILLEGAL_XML.sub("", text))}</t></si>'
                         for text in strings)
            parts.append("</sst>")
            table.write("".join(parts).encode())
    return out.getvalue()


@dataclass
class ImportProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line}
        if self.column:
            where += ", " + _("column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportOutcome:
    rows: int = 0
    stored: int = 0
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _number(text: Any) -> int | None:
    if text is None or text == "":
        return None
    if isinstance(text, bool):
        raise ValueError
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError
        return int(text)
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").replace(".", "").replace(",", "")
    if not cleaned:
        return None
    return int(cleaned)


def import_xlsx(data: bytes, *, actor: Any, max_errors: int = 200) -> ImportOutcome:
    """Read monthly reports (the year export's layout), check every row like the entry form, and store them
    all as submitted (one audit entry each) or none. Reports already submitted are corrected."""
    from openpyxl import load_workbook

    outcome = ImportOutcome()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        outcome.errors.append(ImportProblem(0, "", _("The file is not a readable XLSX workbook.")))
        return outcome
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    for needed in ("code", "month"):
        if needed not in header:
            outcome.errors.append(ImportProblem(1, needed, _("the file needs this column")))
    if outcome.errors:
        return outcome
    units = {e.code: e for e in Establishment.objects.all()}
    forms = list(ReportForm.objects.filter(period=periods.MONTH))
    known = set(FIXED) | set(_columns(forms))
    for name in header:
        if name and name not in known:
            outcome.errors.append(ImportProblem(1, name, _("unknown column")))
    if outcome.errors:
        return outcome
    today = timezone.localdate()
    staged: list[tuple[int, Establishment, dt.date, ReportForm, dict[str, Any], checks.Outcome]] = []
    seen: dict[tuple[str, dt.date], int] = {}
    index = {name: i for i, name in enumerate(header) if name}
    for line, cells in enumerate(rows, start=2):
        if len(outcome.errors) >= max_errors:
            break
        if not any(c not in (None, "") for c in cells):
            continue
        outcome.rows += 1
        row = {name: (cells[i] if i < len(cells) else None) for name, i in index.items()}
        code = str(row.get("code") or "").strip()
        unit = units.get(code)
        if unit is None:
            outcome.errors.append(ImportProblem(line, "code", _("no establishment “%(code)s” in the register")
                                                % {"code": code}))
            continue
        month_text = row.get("month")
        try:
            month = (month_text.date().replace(day=1) if isinstance(month_text, dt.datetime)
                     else dt.datetime.strptime(str(month_text).strip()[:7], "%Y-%m").date())
        except ValueError:
            outcome.errors.append(ImportProblem(line, "month", _("write the month as YYYY-MM")))
            continue
        if (code, month) in seen:
            words = _("%(code)s %(month)s is also on line %(other)s")
            outcome.errors.append(ImportProblem(
                line, "code", words % {"code": code, "month": f"{month:%Y-%m}", "other": seen[(code, month)]}
            ))
            continue
        seen[(code, month)] = line
        if not periods.closed(periods.MONTH, month, today):
            outcome.errors.append(ImportProblem(line, "month", _("the month is not over yet")))
            continue
        form = next((f for f in forms if f.kind == unit.kind and f.valid_from <= month
                     and (f.valid_to is None or month <= f.valid_to)), None)
        if form is None:
            outcome.errors.append(ImportProblem(line, "code", _("no report form applies to this establishment")))
            continue
        values: dict[str, Any] = {}
        bad = False
        for indicator in form.definition["indicators"]:
            icode = indicator["code"]
            names = ([f"{icode}:{m}" for m in form.definition.get("markets", ())]
                     if indicator.get("by_market") else [icode])
            for name in names:
                try:
                    number = _number(row.get(name))
                except ValueError:
                    outcome.errors.append(ImportProblem(line, name, _("not a whole number")))
                    bad = True
                    continue
                if number is None:
                    continue
                if indicator.get("by_market"):
                    values.setdefault(icode, {})[name.split(":", 1)[1]] = number
                else:
                    values[icode] = number
        if bad:
            continue
        result = checks.check(form.definition, values,
                              context=services.report_context(unit, periods.MONTH, month))
        for problem in result.errors:
            column = problem.field if problem.field in header else ""
            outcome.errors.append(ImportProblem(line, column, problem_message(problem, form.definition)))
        if result.ok:
            staged.append((line, unit, month, form, values, result))
    workbook.close()
    if outcome.errors:
        return outcome
    outcome.stored = _store(staged, actor=actor, today=today)
    return outcome


REPORT_UPDATE_FIELDS = ["values", "derived", "commune", "kind", "accommodation_type", "stars", "corrections", "late",
                        "state", "submitted_at", "submitted_by", "form"]


def _update_all(model: Any, objects: list[Any], names: list[str], batch_size: int = 2000) -> None:
    """Write the named fields of many saved objects: one parametrised UPDATE per object, sent together
    (bulk_update builds a CASE over every row and field and spent 7 ms of Python per report). The table and
    columns are the model's own, quoted; the values go through each field's own conversion."""
    from django.db import connection

    if not objects:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
           f"WHERE {quote(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            cursor.executemany(sql, [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
                for obj in objects[start : start + batch_size]
            ])


def _insert_all(model: Any, objects: Iterable[Any], batch_size: int = 2000) -> None:
    """Insert many new objects whose primary keys are not needed afterwards: one parametrised INSERT per
    object, sent together, each field's value as bulk_create takes it (`pre_save`, e.g. an auto_now_add
    time, then the field's own conversion) without building a statement per batch."""
    from django.db import connection

    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for obj in objects:
            batch.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _store(staged: list[Any], *, actor: Any, today: dt.date) -> int:
    now = timezone.now()
    existing = {
        (r.establishment_id, r.period_start): r
        for r in Report.objects.filter(
            period=periods.MONTH, period_start__in={s[2] for s in staged},
            establishment_id__in={s[1].pk for s in staged},
        ).only("pk", "establishment_id", "period_start", "state", "corrections", "late", "form_id")
    }
    stars = {}
    for unit in Establishment.objects.filter(pk__in={s[1].pk for s in staged}).prefetch_related("credentials"):
        stars[unit.pk] = unit
    new, changed = [], []
    names: dict[int, str] = {}
    user = actor if getattr(actor, "is_authenticated", False) else None
    for _line, unit, month, form, values, result in staged:
        report = existing.get((unit.pk, month))
        is_new = report is None
        report = report or Report(establishment=unit, period=periods.MONTH, period_start=month, form=form)
        names[unit.pk] = unit.name
        was_submitted = report.state == Report.State.SUBMITTED
        report.values, report.derived = values, result.derived
        report.commune_id, report.kind = unit.commune_id, unit.kind
        report.accommodation_type = unit.accommodation_type
        report.stars = stars[unit.pk].current_stars(periods.end_of(periods.MONTH, month))
        if was_submitted:
            report.corrections += 1
        else:
            report.late = today > form.due_date(month)
        report.state, report.submitted_at, report.submitted_by = Report.State.SUBMITTED, now, user
        (new if is_new else changed).append(report)
    with transaction.atomic():
        Report.objects.bulk_create(new, batch_size=1000)
        _update_all(Report, changed, REPORT_UPDATE_FIELDS)
        content_type = ContentType.objects.get_for_model(Report)
        ip = current_ip.get()
        _insert_all(
            AuditEntry,
            (
                AuditEntry(
                    actor=user, actor_repr=(user.get_username() if user else str(actor or "import"))[:150],
                    ip_address=ip, action=AuditEntry.Action.IMPORT, content_type=content_type,
                    object_id=str(r.pk), object_repr=str(names[r.establishment_id])[:300],
                    changes={"values": [None, r.values]}, snapshot={"values": r.values, "state": r.state},
                    note="import" + (" (late filing)" if r.late else ""),
                )
                for r in [*new, *changed]
            ),
        )
        for month in sorted({r.period_start for r in [*new, *changed]}):
            services.refresh_month(month)
    return len(new) + len(changed)


def department_xlsx(year: int, quarter: int | None, months: list[dt.date]) -> bytes:
    """The department's summary for the period: province figures with the same period last year, then by
    commune, by class of accommodation and by market; and the official figures already published. Generated
    from the businesses' reports; the national layout of the agency reports was not verified."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    period_label = f"{year}" + (f" Q{quarter}" if quarter else "")
    summary = workbook.create_sheet(_("Summary")[:31])
    summary.append([_("Thanh Hóa tourism: figures from the businesses' statistical reports"), period_label])
    summary.append([_("Generated on %(day)s from the reports filed; not the official published figures.")
                    % {"day": timezone.localdate().isoformat()}])
    summary.append([_("Indicator"), period_label, _("Same period last year"), _("Change (%)"), _("Contributors")])
    definitions = {f.kind: f.definition for f in ReportForm.objects.filter(period=periods.MONTH, valid_to__isnull=True)}
    for kind, definition in definitions.items():
        names = labels(definition)
        for indicator in [i["code"] for i in definition["indicators"] if not i.get("by_market")] + [
            r["code"] for r in definition.get("rollup_ratios", ())
        ]:
            rollup = selectors.rollup(f"{kind}:{indicator}", "total", months, public=False)
            cell = rollup.cells[0] if rollup.cells else None
            summary.append([f"{Establishment.Kind(kind).label}: {names.get(indicator, indicator)}",
                            cell.value if cell else None, cell.previous if cell else None,
                            cell.change_pct if cell else None, cell.contributors if cell else 0])
    for dimension, title in (("commune", _("By commune")), ("class", _("By class")), ("market", _("By market"))):
        sheet = workbook.create_sheet(str(title)[:31])
        indicator = ("accommodation:guests_by_market" if dimension == "market"
                     else "accommodation:room_occupancy" if dimension == "class" else "accommodation:guests_total")
        sheet.append([str(title), indicator])
        sheet.append([_("Key"), _("Name"), period_label, _("Same period last year"), _("Change (%)"),
                      _("Contributors")])
        for cell in selectors.rollup(indicator, dimension, months, public=False).cells:
            sheet.append([cell.key, cell.label, cell.value, cell.previous, cell.change_pct, cell.contributors])
    official = workbook.create_sheet(_("Official figures")[:31])
    official.append([_("Year"), _("Indicator"), _("Value"), _("Status"), _("Publisher"), _("Source")])
    for figure in OfficialFigure.objects.order_by("year", "indicator"):
        official.append([figure.year, str(selectors.OFFICIAL_INDICATORS.get(figure.indicator, figure.indicator)),
                         figure.value, figure.get_status_display(), figure.publisher, figure.source])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

