"""Spreadsheet cells (core.cells): a text a spreadsheet would run as a formula is written with an apostrophe
first, and reading takes it off again, so any text survives the round trip unchanged."""

import csv
import io

import pytest

from xuthanh.core.cells import XLSX, cell_in, cell_out, csv_bytes, download


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''-1"])
def test_a_text_that_would_run_is_written_as_text(text):
    assert cell_out(text) == "'" + text
    assert cell_in(cell_out(text)) == text


@pytest.mark.parametrize("text", ["plain", "Đền Sòng", "'quoted", "", "'", "19.8075", "a=b"])
def test_other_texts_and_values_pass_unchanged(text):
    assert cell_out(text) == text and cell_in(text) == text
    assert cell_out(42) == 42 and cell_out(None) is None


def test_a_csv_file_opens_as_utf8_with_every_cell_safe_and_none_empty():
    body = csv_bytes([["name", "note"], ["Đền Sòng", "=HYPERLINK(\"http://x\")"], [None, 3]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["Đền Sòng", "'=HYPERLINK(\"http://x\")"], ["", "3"]]


@pytest.mark.parametrize(("name", "content_type"), [("a.csv", "text/csv; charset=utf-8"), ("b.xlsx", XLSX)])
def test_a_download_names_its_file_and_type(name, content_type):
    response = download(b"x", name)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
