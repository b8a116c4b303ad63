"""Tests of what announcements say: ticket and counter readings, templates, and clip names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from display_board.voice.pack import DEFAULT_PACK_DIR
from display_board.voice.text import (
    CLIPS,
    announcement_text,
    check_template,
    clip_file_name,
    clip_names,
    counter_tokens,
    normalize_ticket,
    resolve_language,
    spoken_counter,
    spoken_ticket,
)

TICKETS = [
    # number, Chinese reading, English reading
    ("A001", "A 零 零 一", "A 0 0 1"),
    ("A017", "A 零 一 七", "A 0 1 7"),
    ("B120", "B 一 二 零", "B 1 2 0"),
    ("A1000", "A 一 零 零 零", "A 1 0 0 0"),
    ("AB005", "A B 零 零 五", "A B 0 0 5"),
    ("Z999", "Z 九 九 九", "Z 9 9 9"),
]

COUNTERS = [
    (1, "一"),
    (2, "二"),
    (3, "三"),
    (10, "十"),
    (11, "十一"),
    (20, "二十"),
    (24, "二十四"),
    (99, "九十九"),
    (100, "一百"),
    (101, "一百零一"),
    (110, "一百一十"),
    (120, "一百二十"),
    (1000, "一千"),
    (1001, "一千零一"),
    (1010, "一千零一十"),
    (2024, "二千零二十四"),
    (12345, "一二三四五"),
]


@pytest.mark.parametrize(("number", "chinese", "english"), TICKETS)
def test_ticket_digits_are_read_one_by_one(number, chinese, english):
    assert spoken_ticket(number, "zh_CN") == chinese
    assert spoken_ticket(number, "en") == english


@pytest.mark.parametrize(("counter", "chinese"), COUNTERS)
def test_counter_is_read_as_a_number(counter, chinese):
    assert spoken_counter(counter, "zh_CN") == chinese


@pytest.mark.parametrize("counter", [1, 2, 10, 11, 20, 24, 99, 100])
def test_english_counter_is_the_arabic_number(counter):
    assert spoken_counter(counter, "en") == str(counter)


def test_counter_two_is_er_not_liang():
    assert spoken_counter(2) == "二"
    assert "两" not in announcement_text("A002", 2)


@pytest.mark.parametrize(("number", "chinese", "english"), TICKETS)
@pytest.mark.parametrize(("counter", "counter_chinese"), COUNTERS[:8])
def test_default_announcements_in_both_languages(
    number, chinese, english, counter, counter_chinese
):
    assert announcement_text(number, counter) == f"请{chinese}号到{counter_chinese}号窗口办理"
    assert (
        announcement_text(number, counter, lang="en")
        == f"Number {english}, please go to counter {counter}"
    )


def test_the_example_call_reads_as_the_hall_expects():
    assert announcement_text("A017", 3) == "请A 零 一 七号到三号窗口办理"
    assert announcement_text("A017", 3, lang="en") == "Number A 0 1 7, please go to counter 3"
    assert announcement_text("A017", 24) == "请A 零 一 七号到二十四号窗口办理"


def test_custom_template_places_number_and_counter():
    template = "{number}号请到{counter}号窗口，{number}号"
    assert announcement_text("B120", 10, template) == "B 一 二 零号请到十号窗口，B 一 二 零号"
    assert announcement_text("B120", 10, "{{{number}}} to {counter}", "en") == "{B 1 2 0} to 10"


def test_lower_case_and_spaces_in_a_ticket_are_accepted():
    assert normalize_ticket(" a017 ") == "A017"
    assert spoken_ticket("ab005") == "A B 零 零 五"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh_CN", "zh_CN"), ("zh-CN", "zh_CN"), ("zh", "zh_CN"), ("en", "en"), ("en_US", "en")],
)
def test_language_names_are_resolved(language, expected):
    assert resolve_language(language) == expected


BAD_TICKETS = [
    ("", "bad ticket number"),
    ("017A", "bad ticket number"),
    ("ABC001", "bad ticket number"),
    ("A-01", "bad ticket number"),
    ("A", "bad ticket number"),
    ("A1234567", "bad ticket number"),
    ("Ａ017", "bad ticket number"),
    (None, "must be a string"),
    (17, "must be a string"),
]


@pytest.mark.parametrize(("number", "message"), BAD_TICKETS)
def test_bad_ticket_numbers_are_named_in_the_error(number, message):
    with pytest.raises(ValueError, match=message) as error:
        announcement_text(number, 3)
    assert repr(number) in str(error.value)


@pytest.mark.parametrize(
    ("counter", "message"),
    [
        (0, "1 or more"),
        (-3, "1 or more"),
        (True, "positive integer"),
        (3.0, "positive integer"),
        ("3", "positive integer"),
        (None, "positive integer"),
    ],
)
def test_bad_counter_numbers_are_refused(counter, message):
    with pytest.raises(ValueError, match=message):
        announcement_text("A017", counter)
    with pytest.raises(ValueError, match=message):
        clip_names("A017", counter)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("请{ticket}号到{counter}号窗口", r"unknown placeholder \{ticket\}"),
        ("请{number}号办理", r"must say the counter with \{counter\}"),
        ("请到{counter}号窗口", r"must say the number with \{number\}"),
        ("{number:>5} to {counter}", "takes no format"),
        ("{number!r} to {counter}", "takes no format"),
        ("{number to {counter}", "bad announcement template"),
        ("", "non-empty text"),
        ("   ", "non-empty text"),
        (None, "non-empty text"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(template, message):
    with pytest.raises(ValueError, match=message):
        check_template(template)
    if template is not None:
        with pytest.raises(ValueError, match=message):
            announcement_text("A017", 3, template)


@pytest.mark.parametrize("language", ["fr", "", "zh_TW", None])
def test_unsupported_languages_are_refused(language):
    with pytest.raises(ValueError, match="language"):
        announcement_text("A017", 3, lang=language)


@pytest.mark.parametrize(
    ("number", "counter", "expected"),
    [
        ("A017", 3, ["qing", "A", "0", "1", "7", "hao", "dao", "3", "hao_chuangkou", "banli"]),
        (
            "AB005",
            24,
            ["qing", "A", "B", "0", "0", "5", "hao", "dao", "2", "shi", "4", "hao_chuangkou"]
            + ["banli"],
        ),
        (
            "A1000",
            100,
            ["qing", "A", "1", "0", "0", "0", "hao", "dao", "1", "bai", "hao_chuangkou", "banli"],
        ),
        ("B120", 10, ["qing", "B", "1", "2", "0", "hao", "dao", "shi", "hao_chuangkou", "banli"]),
        ("C001", 2, ["qing", "C", "0", "0", "1", "hao", "dao", "2", "hao_chuangkou", "banli"]),
    ],
)
def test_clip_names_spell_the_mandarin_sentence(number, counter, expected):
    assert clip_names(number, counter) == expected


def test_counter_tokens_cover_zeros_inside_a_number():
    assert counter_tokens(105) == ["1", "bai", "0", "5"]
    assert counter_tokens(1010) == ["1", "qian", "0", "1", "shi"]
    assert counter_tokens(11) == ["shi", "1"]


def test_every_clip_name_of_the_set_is_unique_even_ignoring_case():
    # Windows and macOS file systems do not tell "A.wav" from "a.wav".
    names = [clip.name.lower() for clip in CLIPS]
    assert len(names) == len(set(names))


tickets = st.from_regex(r"[A-Z]{1,2}[0-9]{3,5}", fullmatch=True)
counters = st.integers(min_value=1, max_value=20000)


@given(tickets, counters)
def test_every_clip_of_any_call_exists_in_the_shipped_pack(number, counter):
    for name in clip_names(number, counter):
        assert (DEFAULT_PACK_DIR / clip_file_name(name)).is_file(), name


@given(tickets, counters)
def test_the_clips_say_exactly_the_default_chinese_text(number, counter):
    says = {clip.name: clip.says for clip in CLIPS}
    joined = "".join(says[name] for name in clip_names(number, counter))
    assert joined == announcement_text(number, counter).replace(" ", "")


def test_calls_said_together_share_one_please_and_one_banli():
    from display_board.voice.text import announcement_segments, call_segment_indexes, merged_text

    calls = [("A017", 3), ("B002", 5)]
    assert merged_text(calls) == "请A 零 一 七号到三号窗口，B 零 零 二号到五号窗口办理"
    segments = announcement_segments(calls, 180)
    assert segments == [
        "qing",
        *["A", "0", "1", "7", "hao", "dao", "3", "hao_chuangkou"],
        180,
        *["B", "0", "0", "2", "hao", "dao", "5", "hao_chuangkou"],
        "banli",
    ]
    assert [segments[i] for i in call_segment_indexes(calls)] == ["A", "B"]
    # One call alone is the ordinary sentence.
    assert announcement_segments(calls[:1], 180) == clip_names("A017", 3)


def test_other_templates_are_said_once_per_call_when_calls_are_merged():
    from display_board.voice.text import merged_text

    assert (
        merged_text([("A1", 2), ("B3", 4)], "{number} to {counter}", "en") == "A 1 to 2. B 3 to 4"
    )
    assert merged_text([("A1", 2), ("B3", 4)], "{number}号请到{counter}号", "zh_CN") == (
        "A 一号请到二号；B 三号请到四号"
    )
    with pytest.raises(ValueError, match="at least one call"):
        merged_text([])
