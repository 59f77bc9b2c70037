"""Spreadsheet cells (core.cells): a text a spreadsheet would run as a formula is written with an apostrophe
first, and reading takes it off again, so any text survives the round trip unchanged."""

import pytest

from xuthanh.core.cells import cell_in, cell_out


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''-1"])
def test_a_text_that_would_run_is_written_as_text(text):
    assert cell_out(text) == "'" + text
    assert cell_in(cell_out(text)) == text


@pytest.mark.parametrize("text", ["plain", "Đền Sòng", "'quoted", "", "'", "19.8075", "a=b"])
def test_other_texts_and_values_pass_unchanged(text):
    assert cell_out(text) == text and cell_in(text) == text
    assert cell_out(42) == 42 and cell_out(None) is None
