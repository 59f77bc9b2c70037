"""Cells of the spreadsheets the platform writes and reads back (CSV, XLSX).

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so a
place named `=HYPERLINK("http://…")` in an export would act when an officer opens the file (OWASP: CSV
injection). Such a text is written with a leading apostrophe, which spreadsheets show as text; reading a file
removes that apostrophe again, so an export re-imported stores exactly what was exported. A text that
already starts with an apostrophe before such a character gets one more, so the round trip is exact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XLSX (XML 1.0) cannot hold


def plain(value: Any, limit: int | None = None) -> str:
    """A typed text as stored and printed: without the control characters XML cannot hold, trimmed, at most
    `limit` characters."""
    text = CONTROL.sub("", str(value or "")).strip()
    return text[:limit] if limit is not None else text


def _looks_like_formula(text: str) -> bool:
    """Starts with a formula character, after any apostrophes."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def cell_out(value: Any) -> Any:
    """What to write in a cell for `value`: texts a spreadsheet would run get a leading apostrophe."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def cell_in(text: str) -> str:
    """The text a cell written by `cell_out` stood for (an apostrophe before a formula character removed)."""
    if text.startswith("'") and _looks_like_formula(text[1:]):
        return text[1:]
    return text


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file of `rows` that spreadsheets open as UTF-8 (byte-order mark), every cell through `cell_out`,
    None as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if value is None else cell_out(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, Iterable[Sequence[Any]]]) -> bytes:
    """An XLSX workbook with one sheet per name, each of `rows` (the first: headings), every cell through
    `cell_out`."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append([cell_out(CONTROL.sub("", value) if isinstance(value, str) else value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(body: bytes, filename: str) -> HttpResponse:
    """The response that hands a CSV or XLSX file to the browser as `filename` (its type from the suffix)."""
    content_type = XLSX if filename.endswith(".xlsx") else CSV
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
