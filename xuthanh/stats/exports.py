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

from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.catalog.importing import RowError
from xuthanh.core.cells import cell_out
from xuthanh.registry.models import Establishment
from xuthanh.stats import periods, selectors, services
from xuthanh.stats.forms import MAX_VALUE, labels
from xuthanh.stats.models import OfficialFigure, Report, ReportForm

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


ImportProblem = RowError  # the catalogue's import's problem: a line, a column, a message, said the same way


@dataclass
class ImportOutcome:
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    drafts: int = 0
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_GROUPED = re.compile(r"\d{1,3}([.,\u00a0 ]\d{3})+|\d+")


def _number(text: Any) -> int | None:
    """A cell's whole number: a number, or digits grouped by thousands with dots, commas or spaces
    ("1.234.567"); a decimal ("1,5") is refused, never read as 15."""
    if text is None or text == "":
        return None
    if isinstance(text, bool):
        raise ValueError
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError
        text = int(text)
    if not isinstance(text, int):
        cleaned = str(text).strip()
        if not cleaned:
            return None
        if not _GROUPED.fullmatch(cleaned):
            raise ValueError
        text = int(re.sub(r"\D", "", cleaned))
    if not 0 <= text <= MAX_VALUE:
        raise ValueError
    return text


def import_xlsx(data: bytes, *, actor: Any, max_errors: int = 200) -> ImportOutcome:
    """Read monthly reports (the year export's layout, plus an optional column `confirmed`: the codes of
    unusual figures the filer confirms) and file them through services.reports_file_many: every row checked
    like the entry form, all stored or none, an unchanged report left alone. Rows whose `state` is "draft"
    are not imported (only submitted figures are); they are counted."""
    from openpyxl import load_workbook

    outcome = ImportOutcome()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        outcome.errors.append(ImportProblem(0, "", _("The file is not a readable XLSX workbook.")))
        return outcome
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # one pass over the rows, whatever size the file says (or does not say) it has
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    for needed in ("code", "month"):
        if needed not in header:
            outcome.errors.append(ImportProblem(1, needed, _("the file needs this column")))
    if outcome.errors:
        return outcome
    # the credentials with them: filing reads each one's star rating in the month (a query per report without)
    units = {e.code: e for e in Establishment.objects.prefetch_related("credentials")}
    forms = list(ReportForm.objects.filter(period=periods.MONTH))
    known = {*FIXED, "confirmed", *_columns(forms)}
    for name in header:
        if name and name not in known:
            outcome.errors.append(ImportProblem(1, name, _("unknown column")))
    if outcome.errors:
        return outcome
    items: list[services.StagedReport] = []
    seen: dict[tuple[str, dt.date], int] = {}
    index = {name: i for i, name in enumerate(header) if name}
    columns_of = {kind: set(_columns([f for f in forms if f.kind == kind])) for kind in {f.kind for f in forms}}
    for line, cells in enumerate(rows, start=2):
        if len(outcome.errors) >= max_errors:
            break
        if not any(c not in (None, "") for c in cells):
            continue
        outcome.rows += 1
        row = {name: (cells[i] if i < len(cells) else None) for name, i in index.items()}
        if str(row.get("state") or "").strip() == "draft":
            outcome.drafts += 1
            continue
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
        allowed = columns_of.get(unit.kind)
        if allowed is None:
            outcome.errors.append(ImportProblem(line, "code", _("no report form applies to this establishment")))
            continue
        values: dict[str, Any] = {}
        bad = False
        for name in index:
            icode, _sep, market = name.partition(":")
            if name in FIXED or name == "confirmed" or row.get(name) in (None, ""):
                continue
            if name not in allowed:
                outcome.errors.append(ImportProblem(line, name, _("not a figure of this establishment's report")))
                bad = True
                continue
            try:
                number = _number(row[name])
            except ValueError:
                outcome.errors.append(ImportProblem(line, name, _("not a whole number from 0 to 10^15")))
                bad = True
                continue
            if market:
                values.setdefault(icode, {})[market] = number
            else:
                values[icode] = number
        if bad:
            continue
        confirmed = frozenset(c.strip() for c in str(row.get("confirmed") or "").split(",") if c.strip())
        items.append(services.StagedReport(line, unit, month, values, confirmed))
    workbook.close()
    had_errors = bool(outcome.errors)
    filing = services.reports_file_many(user=actor, items=items, check_only=had_errors)
    for line, name, message in filing.problems[: max(0, max_errors - len(outcome.errors))]:
        outcome.errors.append(ImportProblem(line, name if name in index else "", message))
    outcome.errors.sort(key=lambda e: e.line)
    if not outcome.errors:
        outcome.stored, outcome.unchanged = filing.stored, filing.unchanged
    return outcome


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
    for dimension, title in (("commune", _("By commune")), ("type", _("By type")), ("class", _("By class")),
                             ("market", _("By market"))):
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

