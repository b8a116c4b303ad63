"""The drivers' byte layouts: the documented examples, bad input from one table, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall_hardware.drivers import (
    KEYPAD_DRIVERS,
    BusProblem,
    DisplayFrame,
    Key,
    KeyPress,
    ScreenFrame,
    keypad_driver,
    screen_driver,
)
from hall_hardware.drivers.ff68_keypad import frame

FF68 = keypad_driver("ff68")


def test_documented_examples_are_the_bytes_sent():
    # docs/hardware.md shows these exact bytes
    assert FF68.encode_key(3, Key.CALL, 7).hex(" ") == "ff 68 04 04 68 03 01 41 07 4c 16"
    assert FF68.encode_ack(3, 7).hex(" ") == "ff 68 03 03 68 03 81 07 8b 16"
    assert FF68.encode_display(3, "A017 等候2人").hex(" ") == (
        "ff 68 0e 0e 68 03 82 41 30 31 37 20 b5 c8 ba f2 32 c8 cb 6c 16"
    )
    assert screen_driver("led_numeric").encode(31, "A017").hex(" ") == "1f 00 11 30"
    assert screen_driver("led_numeric").encode(31, "暂停服务").hex(" ") == "1f ff ff 1d"
    assert screen_driver("led_text").encode(31, "A017").hex(" ") == "55 aa 1f 10 04 41 30 31 37 0c"
    assert screen_driver("led_strip").encode(40, "A017 3号").hex(" ") == (
        "02 28 53 00 08 41 30 31 37 20 33 ba c5 68 03"
    )


def _bad_sum(frame: bytes) -> bytes:
    out = bytearray(frame)
    out[-2] ^= 0x5A
    return bytes(out)


GOOD = FF68.encode_key(1, Key.FINISH, 5)
BAD_KEYPAD_INPUT = [
    ("garbage", b"\x00\x01hello", "stray bytes"),
    ("bad checksum", _bad_sum(GOOD), "bad checksum"),
    ("lengths differ", b"\xff\x68\x04\x05\x68\x01\x01\x45\x05\x4c\x16", "bad header"),
    ("no second 68", b"\xff\x68\x04\x04\x69\x01\x01\x45\x05\x4c\x16", "bad header"),
    ("wrong end byte", GOOD[:-1] + b"\x17", "does not end with 16"),
    ("unknown key code", frame(1, 0x01, b"\x99\x05"), "unknown key code"),
    ("unknown command", frame(1, 0x07, b"\x08"), "unknown command"),
    ("key frame too short", frame(1, 0x01, b"\x41"), "unknown command"),
]


@pytest.mark.parametrize("name,data,reason", BAD_KEYPAD_INPUT, ids=[c[0] for c in BAD_KEYPAD_INPUT])
def test_bad_keypad_input_is_named_and_the_next_frame_still_reads(name, data, reason):
    decoder = FF68.decoder()
    items = decoder.feed(data + GOOD, now=1.0)
    problems = [i for i in items if isinstance(i, BusProblem)]
    assert any(reason in p.reason for p in problems), problems
    assert items[-1] == KeyPress(1, Key.FINISH, 5)


def test_a_frame_split_anywhere_is_joined_and_a_stale_half_is_dropped():
    for cut in range(1, len(GOOD)):
        decoder = FF68.decoder()
        assert decoder.feed(GOOD[:cut], now=1.0) == []
        assert decoder.feed(GOOD[cut:], now=1.01) == [KeyPress(1, Key.FINISH, 5)]
    decoder = FF68.decoder()
    decoder.feed(GOOD[:6], now=1.0)
    items = decoder.feed(GOOD, now=2.0)
    assert isinstance(items[0], BusProblem) and "partial frame" in items[0].reason
    assert items[1:] == [KeyPress(1, Key.FINISH, 5)]


@given(st.binary(max_size=300))
def test_keypad_decoder_never_crashes_on_noise(noise):
    decoder = FF68.decoder()
    items = decoder.feed(noise, now=1.0) + decoder.feed(GOOD, now=5.0)
    assert items[-1] == KeyPress(1, Key.FINISH, 5)


@given(st.integers(1, 254), st.sampled_from(list(Key)), st.integers(0, 255))
def test_key_press_round_trip(address, key, press):
    assert FF68.decoder().feed(FF68.encode_key(address, key, press), now=1.0) == [
        KeyPress(address, key, press)
    ]


@given(
    st.integers(1, 254), st.text(alphabet="A0123456789 等候人暂停服务已呼叫办理中空闲", max_size=16)
)
def test_display_round_trip(address, text):
    items = FF68.device_decoder().feed(FF68.encode_display(address, text), now=1.0)
    assert items == [DisplayFrame(address, text)]


@pytest.mark.parametrize("driver", ["led_text", "led_strip", "led_numeric"])
@given(
    address=st.integers(1, 254),
    text=st.text(alphabet="AB0123456789 请号到窗口办理暂停服务", max_size=40),
)
def test_screen_round_trip(driver, address, text):
    screen = screen_driver(driver)
    items = screen.decoder().feed(screen.encode(address, text), now=1.0)
    assert [(i.address, i.text) for i in items if isinstance(i, ScreenFrame)] == [
        (address, screen.shown(text))
    ]


@pytest.mark.parametrize("driver", ["led_text", "led_strip", "led_numeric"])
@given(noise=st.binary(max_size=200))
def test_screen_decoders_never_crash(driver, noise):
    screen_driver(driver).decoder().feed(noise, now=1.0)


def test_text_longer_than_the_screen_is_cut_at_a_whole_character():
    text = "暂停服务" * 20
    shown = screen_driver("led_text").shown(text)
    assert len(shown.encode("gb2312")) <= 64 and text.startswith(shown)
    assert screen_driver("led_text").shown("A017 ✓") == "A017 ?"


def test_numeric_screen_shows_last_three_digits_or_blank():
    numeric = screen_driver("led_numeric")
    assert [numeric.shown(t) for t in ("A017", "A1017", "暂停服务", "")] == ["017", "017", "", ""]


def test_every_keypad_driver_names_itself():
    assert all(name == cls.name for name, cls in KEYPAD_DRIVERS.items())


def test_problem_log_reports_each_kind_once_a_minute_with_the_count_held_back():
    import logging

    from hall_hardware.bus import ProblemLog

    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("test-problem-log")
    logger.addHandler(Keep())
    problems = ProblemLog(every_s=0.2, logger=logger)
    assert problems.warn("bus a address 3", "bad checksum 3a (expected 4c)")
    assert not problems.warn("bus a address 3", "bad checksum 9f (expected a0)")  # same kind
    assert problems.warn("bus a address 4", "bad checksum 3a (expected 4c)")  # another device
    assert problems.warn("bus a address 3", "12 stray bytes")  # another kind
    import time

    time.sleep(0.25)
    assert problems.warn("bus a address 3", "bad checksum 11 (expected 12)")
    assert records[-1].endswith("(1 more like it since the last report)")
    assert records[0] == "bus a address 3: bad checksum 3a (expected 4c)"
