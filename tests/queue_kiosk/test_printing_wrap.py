"""Printer column counting and line wrapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_kiosk.printing.wrap import display_width, wrap_text


def test_width_counts_every_non_ascii_character_as_two_columns() -> None:
    assert display_width("A017") == 4
    assert display_width("前面还有 5 人") == 13
    assert display_width("“·”é") == 8


def test_chinese_wraps_at_the_column_limit() -> None:
    assert wrap_text("城乡居民基本养老保险", 8) == ["城乡居民", "基本养老", "保险"]


def test_closing_punctuation_never_starts_a_line() -> None:
    lines = wrap_text("一二三四五六七，八", 14)
    assert lines == ["一二三四五六", "七，八"]


def test_latin_words_stay_whole_and_spaces_at_breaks_vanish() -> None:
    assert wrap_text("Social insurance registration", 17) == [
        "Social insurance",
        "registration",
    ]


def test_overlong_word_is_split() -> None:
    assert wrap_text("ABCDEFGHIJ", 4) == ["ABCD", "EFGH", "IJ"]


def test_newline_starts_a_new_line() -> None:
    assert wrap_text("第一\n\n第二", 10) == ["第一", "", "第二"]


def test_too_narrow_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 2 columns"):
        wrap_text("x", 1)


@given(
    st.text(alphabet="abc XYZ01，。城乡居民养老保险𠮷", max_size=80),
    st.integers(min_value=2, max_value=48),
)
def test_wrapped_lines_fit_and_keep_every_character(text: str, columns: int) -> None:
    lines = wrap_text(text, columns)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
