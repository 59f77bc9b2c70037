"""Bulk import and export of catalogue content as CSV or XLSX, all-or-nothing.

A model's columns are declared once in `fieldmaps` (column name → how to read, store and write it). An import
reads every row, validates all of them (cell syntax, references, model rules, permissions of the user who
imports) and only if no row has an error stores them all in one transaction; otherwise nothing is written and
every bad row is reported with its line, its column and the reason. The Thanh Hóa data loader goes through
the same path, so there is one way content enters the catalogue in bulk.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from xuthanh.core import audit
from xuthanh.core.cells import cell_in, cell_out, csv_bytes
from xuthanh.core.models import AuditEntry, Status
from xuthanh.orgs import permissions

Progress = Callable[[int, int], None]


class CellError(ValueError):
    """A cell's text cannot be read; the message says what was expected."""


@dataclass
class Staged:
    """What one row will write: model fields, translations, many-to-many and child rows."""

    fields: dict[str, Any] = field(default_factory=dict)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    m2m: dict[str, list[models.Model]] = field(default_factory=dict)
    children: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    name: str
    read: Callable[[str, Staged], None]
    write: Callable[[models.Model], str]
    required_for_new: bool = False
    keep_if_empty: bool = False  # an empty cell on an existing record keeps its value (a default is for new ones)


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line}
        if self.column:
            where += ", " + _("column “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class FieldMap:
    model: type[models.Model]
    key: str  # the column that identifies a record (slug)
    columns: Sequence[Column]
    save_children: Callable[[models.Model, Staged], None] = lambda obj, staged: None
    prefetch: Sequence[str] = ()

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


# ---- reading files ------------------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs from a CSV (UTF-8, comma or semicolon) or XLSX file."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(data)
    raise CellError(_("Unsupported file type; upload a .csv or .xlsx file."))


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CellError(_("The CSV file is not UTF-8 text (byte %(pos)s).") % {"pos": exc.start}) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise CellError(_("The file is empty."))
    header = [h.strip() for h in rows[0]]
    body = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise CellError(_("Line %(line)s has more cells than the header.") % {"line": number})
        body.append((number, {h: (cell_in(cells[i]) if i < len(cells) else "") for i, h in enumerate(header)}))
    return header, body


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise CellError(_("The file is not a readable XLSX workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration as exc:
        raise CellError(_("The file is empty.")) from exc
    body = []
    for number, cells in enumerate(rows, start=2):
        values = ["" if c is None else cell_in(_cell_text(c)) for c in cells]
        if not any(v.strip() for v in values):
            continue
        body.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
    workbook.close()
    return header, body


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


# ---- import ---------------------------------------------------------------------------------------------


def import_rows(
    fieldmap: FieldMap,
    header: Sequence[str],
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    actor: Any,
    progress: Progress | None = None,
    note: str = "",
) -> ImportResult:
    """Validate every row, then store all of them or none. `actor` None means a trusted command."""
    result = ImportResult()
    rows = list(rows)
    result.rows = len(rows)
    unknown = [h for h in header if h and fieldmap.column(h) is None]
    for name in unknown:
        result.errors.append(RowError(1, name, _("unknown column")))
    if fieldmap.key not in header:
        result.errors.append(RowError(1, fieldmap.key, _("the file needs this column")))
    if result.errors:
        return result

    model = fieldmap.model
    keys = [row.get(fieldmap.key, "").strip() for _line, row in rows]
    existing = {
        getattr(o, fieldmap.key): o
        for o in model.objects.filter(**{f"{fieldmap.key}__in": keys}).prefetch_related(*fieldmap.prefetch)
    }
    seen: dict[str, int] = {}
    prepared: list[tuple[int, models.Model, Staged, bool, audit.Snapshot]] = []
    total = len(rows)
    for index, (line, row) in enumerate(rows, start=1):
        key = row.get(fieldmap.key, "").strip()
        if not key:
            result.errors.append(RowError(line, fieldmap.key, _("empty")))
            continue
        if key in seen:
            result.errors.append(
                RowError(
                    line,
                    fieldmap.key,
                    _("“%(key)s” is also on line %(other)s") % {"key": key, "other": seen[key]},
                )
            )
            continue
        seen[key] = line
        obj = existing.get(key)
        is_new = obj is None
        before = audit.snapshot(obj) if obj is not None else {}
        if actor is not None and obj is not None and not permissions.can_edit(actor, obj):
            result.errors.append(
                RowError(line, fieldmap.key, _("you may not change “%(key)s”") % {"key": key})
            )
            continue
        staged = Staged()
        row_errors = []
        for column_name, text in row.items():
            column = fieldmap.column(column_name)
            if column is None:
                continue
            if is_new and column.required_for_new and not text.strip():
                row_errors.append(RowError(line, column_name, _("required for a new record")))
                continue
            if not is_new and column.keep_if_empty and not text.strip():
                continue
            try:
                column.read(text.strip(), staged)
            except CellError as exc:
                row_errors.append(RowError(line, column_name, str(exc)))
        for column in fieldmap.columns:
            if is_new and column.required_for_new and column.name not in row:
                row_errors.append(RowError(line, column.name, _("required for a new record")))
        if row_errors:
            result.errors.extend(row_errors)
            continue
        obj = obj or model()
        old_status = getattr(obj, "status", None) or Status.DRAFT  # a new record starts as a draft
        row_errors = _apply_and_validate(obj, staged, line, key, fieldmap)
        if not row_errors and actor is not None and not permissions.can_edit(actor, obj):
            row_errors.append(
                RowError(line, fieldmap.key, _("this record would be outside the area you may edit"))
            )
        new_status = getattr(obj, "status", None)
        refusal = new_status and permissions.status_change_refusal(actor, obj, old_status, new_status)
        if not row_errors and refusal:  # the same rule as the workflow actions and the change form
            row_errors.append(RowError(line, "status", refusal))
        result.errors.extend(row_errors)
        if not row_errors:
            prepared.append((line, obj, staged, is_new, before))
        if progress and (index % 50 == 0 or index == total):
            progress(index, total * 2)
    if result.errors:
        return result

    line = 0
    try:
        with transaction.atomic():
            for index, (line, obj, staged, is_new, before) in enumerate(prepared, start=1):  # noqa: B007
                obj.save()
                for lang in staged.children.get("drop_translations", ()):
                    obj.translations.filter(language_code=lang).delete()
                for name, values in staged.m2m.items():
                    getattr(obj, name).set(values)
                fieldmap.save_children(obj, staged)
                if hasattr(obj, "refresh_search_text"):
                    obj.refresh_search_text()
                audit.record(
                    actor=actor or "import",
                    action=AuditEntry.Action.CREATE if is_new else AuditEntry.Action.IMPORT,
                    obj=obj,
                    before=before,
                    note=note,
                )
                result.created += is_new
                result.updated += not is_new
                if progress and (index % 50 == 0 or index == len(prepared)):
                    progress(total + index, total * 2)
    except (DatabaseError, ValidationError, ValueError) as exc:
        result.created = result.updated = 0
        result.errors.append(
            RowError(line, "", _("could not be stored, nothing was imported: %(error)s") % {"error": exc})
        )
    return result


def _apply_and_validate(
    obj: models.Model, staged: Staged, line: int, key: str, fieldmap: FieldMap
) -> list[RowError]:
    errors: list[RowError] = []
    for name, value in staged.fields.items():
        setattr(obj, name, value)
    for lang, values in staged.translations.items():
        if lang != "vi" and not any(v for k, v in values.items() if k != "translation_status"):
            staged.children.setdefault("drop_translations", []).append(lang)
            continue
        translation = obj._get_translated_model(lang, auto_create=True)
        for name, value in values.items():
            setattr(translation, name, value)
        try:
            translation.full_clean(exclude=["master", "language_code"], validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.append(RowError(line, f"{name}_{lang}", " ".join(messages)))
    if hasattr(obj, "_parler_meta") and obj.pk is None and "vi" not in staged.translations:
        errors.append(RowError(line, "name_vi", _("a new record needs its Vietnamese name")))
    try:
        obj.full_clean(exclude=["search_text"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = _column_for_field(fieldmap, name)
            errors.append(RowError(line, column, " ".join(messages)))
    return errors


def _column_for_field(fieldmap: FieldMap, name: str) -> str:
    aliases = {"commune": "commune_code", "lat": "lat", "__all__": ""}
    if name in aliases:
        return aliases[name]
    return name if fieldmap.column(name) else name


# ---- export -----------------------------------------------------------------------------------------------


def export_rows(fieldmap: FieldMap, objects: Iterable[models.Model]) -> Iterator[list[str]]:
    """The header and one row per object, as the import reads them back."""
    yield [c.name for c in fieldmap.columns]
    for obj in objects:
        yield [c.write(obj) for c in fieldmap.columns]


def export_csv(fieldmap: FieldMap, objects: Iterable[models.Model]) -> bytes:
    """The objects as CSV, every cell safe to open in a spreadsheet (`core.cells`)."""
    return csv_bytes(export_rows(fieldmap, objects))


def export_xlsx(fieldmap: FieldMap, objects: Iterable[models.Model]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(fieldmap.model._meta.verbose_name_plural)[:31])
    for row in export_rows(fieldmap, objects):
        sheet.append([cell_out(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
