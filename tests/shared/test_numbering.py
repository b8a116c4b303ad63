"""Ticket numbers: three digits minimum, A999 then A1000, parsing with clear errors."""

import pytest

from shared.domain.numbering import format_number, parse_number


@pytest.mark.parametrize(
    ("prefix", "seq", "number"),
    [
        ("A", 1, "A001"),
        ("A", 17, "A017"),
        ("B", 999, "B999"),
        ("A", 1000, "A1000"),
        ("AB", 5, "AB005"),
    ],
)
def test_format_and_parse_round_trip(prefix, seq, number):
    assert format_number(prefix, seq) == number
    assert parse_number(number) == (prefix, seq)


def test_parse_accepts_lowercase_and_spaces():
    assert parse_number(" a007 ") == ("A", 7)


@pytest.mark.parametrize("bad", ["", "A", "A1", "A01", "007", "ABC001", "A-001", "Ａ001"])
def test_parse_rejects_non_numbers_with_clear_error(bad):
    with pytest.raises(ValueError, match="not a ticket number"):
        parse_number(bad)


def test_sequence_starts_at_one():
    with pytest.raises(ValueError):
        format_number("A", 0)
