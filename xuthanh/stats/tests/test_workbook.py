"""The one-sheet workbook the year export writes directly (exports._workbook): what openpyxl reads back."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from xuthanh.stats import exports


def test_numbers_texts_and_empty_cells_read_back_as_written() -> None:
    rows = [
        ["code", "establishment", "late", "guests_total", "share"],
        ["LT-001", "Khách sạn <Biển> & \"Sao\"", "", 1200, 0.25],
        ["LT-002", "'=HYPERLINK(\"http://x\")", "yes", None, 10**12],
        ["LT-003", "  spaces kept \n", None, 0, None],
        ["LT-004", "bell\x07 removed"],
    ]
    data = exports._workbook("2025", rows)
    for read_only in (True, False):
        book = load_workbook(io.BytesIO(data), read_only=read_only)
        assert book.sheetnames == ["2025"]
        got = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        assert got[0] == rows[0]
        assert got[1] == ["LT-001", "Khách sạn <Biển> & \"Sao\"", None, 1200, 0.25]
        assert got[2] == ["LT-002", "'=HYPERLINK(\"http://x\")", "yes", None, 10**12]
        assert got[3] == ["LT-003", "  spaces kept \n", None, 0, None]
        assert got[4] == ["LT-004", "bell removed", None, None, None]
        assert isinstance(got[1][3], int)


def test_column_letters_go_past_z() -> None:
    assert [exports._column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"
    ]
