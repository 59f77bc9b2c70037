"""Cells of the spreadsheets the platform writes and reads back (CSV, XLSX).

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so a
place named `=HYPERLINK("http://…")` in an export would act when an officer opens the file (OWASP: CSV
injection). Such a text is written with a leading apostrophe, which spreadsheets show as text; reading a file
removes that apostrophe again, so an export re-imported stores exactly what was exported. A text that
already starts with an apostrophe before such a character gets one more, so the round trip is exact.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
