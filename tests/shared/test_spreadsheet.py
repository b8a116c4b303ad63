"""CSV cells a spreadsheet shows as text: one table of cases and a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.admin.spreadsheet import from_cell, to_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+A1", "'+A1"),
        ("+1", "+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("-12", "-12"),
        ("+3.5", "+3.5"),
        ("'text", "'text"),
        ("社会保险", "社会保险"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_that_could_start_a_formula_get_a_quote(value, cell):
    assert to_cell(value) == cell


@given(st.text())
def test_reading_a_written_cell_gives_the_value_back(text):
    assert from_cell(to_cell(text)) == text
