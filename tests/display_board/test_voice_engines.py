"""Tests of the announcer and its engines under Qt: clips, the "mock" speech engine, silence."""

from __future__ import annotations

import logging
import math
import os
import re
import struct
import sys
import wave
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLocale  # noqa: E402

from display_board.voice.announcer import Announcer  # noqa: E402
from display_board.voice.base import SilentEngine, VoiceEngineError, audio_output_available  # noqa: E402
from display_board.voice.clips import ClipEngine  # noqa: E402
from display_board.voice.engines import make_engine  # noqa: E402
from display_board.voice.pack import VoicePack, VoicePackError, required_clip_names  # noqa: E402
from display_board.voice.text import clip_file_name  # noqa: E402
from display_board.voice.tts import TtsEngine, best_locale  # noqa: E402

SAMPLE_RATE = 16000


def tone(milliseconds: int, frequency: float = 440.0) -> bytes:
    count = SAMPLE_RATE * milliseconds // 1000
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * i / SAMPLE_RATE)))
        for i in range(count)
    )


def write_pack(folder: Path, clip_ms: int) -> Path:
    """A complete voice pack of short tones (a hall's pack of very quick clips)."""
    folder.mkdir()
    sound = tone(clip_ms)
    for name in required_clip_names():
        with wave.open(str(folder / clip_file_name(name)), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(SAMPLE_RATE)
            writer.writeframes(sound)
    return folder


@pytest.fixture
def quick_pack(tmp_path) -> VoicePack:
    return VoicePack.load(write_pack(tmp_path / "quick_pack", clip_ms=30))


def quick_engine(pack: VoicePack, **options) -> ClipEngine:
    """A clip engine without pauses: each reading of a quick pack lasts about 0.3 s."""
    return ClipEngine(pack, clip_gap_ms=0, chime_gap_ms=0, **options)


class Recorder:
    """Everything an announcer reports, in order."""

    def __init__(self, announcer: Announcer) -> None:
        self.events: list[tuple[str, str]] = []
        announcer.spoken.connect(lambda text: self.events.append(("spoken", text)))
        announcer.finished.connect(lambda text: self.events.append(("finished", text)))
        announcer.idle.connect(lambda: self.events.append(("idle", "")))

    def texts(self, kind: str) -> list[str]:
        return [text for event, text in self.events if event == kind]

    def assert_never_overlapped(self) -> None:
        """Each reading finished before the next one started."""
        readings = [event for event in self.events if event[0] != "idle"]
        assert [event for event, _ in readings] == ["spoken", "finished"] * (len(readings) // 2)
        for (_, started), (_, ended) in zip(readings[::2], readings[1::2], strict=True):
            assert started == ended


CALLS = [("A001", 1), ("A002", 2), ("B120", 10), ("A1000", 24), ("AB005", 99)]


def test_mock_speech_engine_speaks_a_burst_of_calls_in_order_and_in_full(qtbot):
    engine = TtsEngine("mock", "en", template="{number}, counter {counter}")
    announcer = Announcer(engine, repeats=1, gap_ms=0)
    recorder = Recorder(announcer)
    words_heard: list[list[str]] = []
    engine.speech.aboutToSynthesize.connect(lambda _id: words_heard.append([]))
    engine.speech.sayingWord.connect(
        lambda word, _id, _start, _length: words_heard[-1].append(word)
    )

    with qtbot.waitSignal(announcer.idle, timeout=20000):
        for number, counter in CALLS:
            announcer.announce(number, counter)

    # The first call is said at once; the four that waited behind it are merged, three
    # then one (at most three per announcement).
    expected = [
        "A 0 0 1, counter 1",
        "A 0 0 2, counter 2. B 1 2 0, counter 10. A 1 0 0 0, counter 24",
        "A B 0 0 5, counter 99",
    ]
    assert recorder.texts("spoken") == expected
    assert recorder.texts("finished") == expected
    recorder.assert_never_overlapped()
    # The mock engine reports every word it says: each text was said to its last word.
    assert words_heard == [re.findall(r"\w+", text) for text in expected]


def test_a_quiet_call_is_read_twice_a_new_call_drops_the_repeat_a_recall_keeps_it(qtbot):
    announcer = Announcer(TtsEngine("mock", "zh_CN"), gap_ms=0)
    recorder = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        announcer.announce("C100", 1)
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        announcer.announce("A017", 3)
        announcer.announce("B002", 24, recall=True)
    alone = "请C 一 零 零号到一号窗口办理"
    first = "请A 零 一 七号到三号窗口办理"
    second = "请B 零 零 二号到二十四号窗口办理"
    assert recorder.texts("finished") == [alone, alone, first, second, second]
    assert announcer.dropped_repeats == 1
    recorder.assert_never_overlapped()
    assert recorder.events[-1] == ("idle", "")


def test_clip_engine_advances_through_three_announcements_without_a_sound_card(qtbot, quick_pack):
    announcer = Announcer(quick_engine(quick_pack), gap_ms=20)
    recorder = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        announcer.announce("A001", 1)
        announcer.announce("A002", 2)
        announcer.announce("A003", 20)
    # A001 is said at once; the two calls that waited share one announcement, said twice
    # since nothing else waits after them.
    merged = "请A 零 零 二号到二号窗口，A 零 零 三号到二十号窗口办理"
    expected = ["请A 零 零 一号到一号窗口办理", merged, merged]
    assert recorder.texts("finished") == expected
    recorder.assert_never_overlapped()
    assert not announcer.is_busy()


def test_clip_engine_says_the_chinese_sentence_whatever_the_board_language():
    engine = make_engine("clips", "en")
    assert isinstance(engine, ClipEngine)
    assert engine.text_for([("A017", 3)]) == "请A 零 一 七号到三号窗口办理"


def test_a_merged_announcement_says_each_call_where_the_plan_says(quick_pack):
    engine = ClipEngine(quick_pack, clip_gap_ms=0, chime_gap_ms=0, call_gap_ms=100)
    composed = engine.compose([("A017", 3), ("B2", 5)], chime=True)
    # chime 30 ms | 请 | A 0 1 7 号 到 三 号窗口 (8 clips) | 100 ms | B 2 号 到 五 号窗口 | 办理
    assert composed.word_ms == 30
    assert composed.starts_ms[1] == 60 and composed.starts_ms[10] == 60 + 8 * 30 + 100
    assert composed.duration_ms == 30 + 30 + 8 * 30 + 100 + 6 * 30 + 30


def test_a_long_chime_fades_under_the_first_word_instead_of_delaying_it(tmp_path):
    folder = write_pack(tmp_path / "long_chime", clip_ms=200)
    with wave.open(str(folder / "chime.wav"), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(tone(2000))
    pack = VoicePack.load(folder)
    composed = pack.compose(["qing"], chime=True, chime_gap_ms=300, chime_lead_ms=700)
    assert composed.word_ms == 700 and composed.duration_ms == 900


def test_the_chime_opens_only_the_first_reading(quick_pack):
    engine = ClipEngine(quick_pack, clip_gap_ms=0, chime_gap_ms=0)
    with_chime = engine.render("A017", 3, chime=True)
    without = engine.render("A017", 3, chime=False)
    assert with_chime.duration_ms - without.duration_ms == 30


def test_a_broken_clip_skips_one_reading_and_the_queue_goes_on(qtbot, quick_pack, caplog):
    clips = {name: quick_pack.clip_frames(name) for name in required_clip_names() if name != "Q"}
    broken = VoicePack(quick_pack.directory, quick_pack.audio_format, clips)
    announcer = Announcer(quick_engine(broken), repeats=1, gap_ms=0)
    recorder = Recorder(announcer)
    with caplog.at_level(logging.ERROR):
        announcer.announce("Q001", 1)
        announcer.announce("A001", 2)
        qtbot.waitUntil(lambda: len(recorder.texts("finished")) == 2, timeout=10000)
    assert recorder.texts("finished") == [
        "请Q 零 零 一号到一号窗口办理",
        "请A 零 零 一号到二号窗口办理",
    ]
    assert "Q001" in caplog.text


def test_repeats_give_way_when_calls_pile_up(qtbot, quick_pack):
    announcer = Announcer(quick_engine(quick_pack), max_merge=2, gap_ms=0, busy_gap_ms=0)
    recorder = Recorder(announcer)
    numbers = ["A001", "A002", "A003", "A004"]
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        for counter, number in enumerate(numbers, start=1):
            announcer.announce(number, counter)
    one, two, three, four = (f"A 零 零 {digit}号到{digit}号窗口" for digit in "一二三四")
    assert recorder.texts("spoken") == [
        f"请{one}办理",  # said at once; its repeat gives way to the calls behind it
        f"请{two}，{three}办理",  # said once: another call still waits
        f"请{four}办理",
        f"请{four}办理",  # nothing waits any more: the last call gets its repeat
    ]
    assert announcer.dropped_repeats == 3


def test_bad_input_is_refused_and_the_announcer_goes_on(qtbot):
    announcer = Announcer(SilentEngine())
    recorder = Recorder(announcer)
    with pytest.raises(ValueError, match="bad ticket number"):
        announcer.announce("17-A", 3)
    with pytest.raises(ValueError, match="counter"):
        announcer.announce("A017", 0)
    announcer.announce("A017", 3)
    qtbot.waitUntil(lambda: recorder.texts("finished") == ["请A 零 一 七号到三号窗口办理"])


def test_silent_engine_reports_each_call_once_at_once(qtbot):
    announcer = Announcer(SilentEngine("en"), gap_ms=5000)
    recorder = Recorder(announcer)
    announcer.announce("A001", 1)
    # Nothing is heard, so the call is done as soon as it starts.
    assert recorder.events == [
        ("spoken", "Number A 0 0 1, please go to counter 1"),
        ("finished", "Number A 0 0 1, please go to counter 1"),
        ("idle", ""),
    ]
    announcer.announce("A002", 2)
    announcer.announce("A003", 3, recall=True)
    qtbot.waitUntil(lambda: len(recorder.texts("finished")) == 3)
    assert recorder.texts("finished")[1:] == [
        "Number A 0 0 2, please go to counter 2",
        "Number A 0 0 3, please go to counter 3",
    ]
    recorder.assert_never_overlapped()


def test_clear_stops_the_current_reading_and_drops_the_rest(qtbot):
    announcer = Announcer(ClipEngine(), gap_ms=0)
    recorder = Recorder(announcer)
    announcer.announce("A001", 1)
    announcer.announce("A002", 2)
    assert announcer.current is not None and announcer.pending == 1
    assert [call.number for call in announcer.speaking()] == ["A001"]
    assert [call.number for call in announcer.waiting()] == ["A002"]
    with qtbot.waitSignal(announcer.idle, timeout=1000):
        announcer.clear()
    assert announcer.pending == 0 and announcer.current is None
    qtbot.assertNotEmitted(announcer.finished, wait=200)
    assert recorder.texts("spoken") == ["请A 零 零 一号到一号窗口办理"]


def test_make_engine_off_and_clips():
    assert isinstance(make_engine("off"), SilentEngine)
    assert isinstance(make_engine("clips", "zh_CN"), ClipEngine)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux rule")
def test_auto_means_the_clip_pack_on_linux():
    assert isinstance(make_engine("auto", "zh_CN"), ClipEngine)


def test_auto_uses_a_speech_engine_only_with_a_voice_for_the_language():
    # The mock engine has English voices but no Mandarin one.
    assert isinstance(make_engine("auto", "zh_CN", tts_engine="mock"), ClipEngine)
    assert isinstance(make_engine("auto", "en", tts_engine="mock"), TtsEngine)


def test_qt_mode_uses_the_named_speech_engine_with_the_language_voice():
    engine = make_engine("qt", "en", tts_engine="mock", template="{number} to {counter}")
    assert isinstance(engine, TtsEngine)
    assert engine.speech.engine() == "mock"
    assert engine.speech.locale().name() == "en_US"
    assert engine.text_for([("A017", 3)]) == "A 0 1 7 to 3"
    assert engine.text_for([("A017", 3), ("B2", 5)]) == "A 0 1 7 to 3. B 2 to 5"


def test_a_speech_engine_without_a_mandarin_voice_is_reported(caplog):
    with caplog.at_level(logging.WARNING):
        engine = TtsEngine("mock", "zh_CN")
    assert "no zh_CN voice" in caplog.text
    assert engine.text_for([("A017", 3)]) == "请A 零 一 七号到三号窗口办理"


@pytest.mark.skipif(audio_output_available(), reason="only refused without an audio device")
def test_speechd_is_refused_without_an_audio_device():
    with pytest.raises(VoiceEngineError):
        make_engine("qt", "zh_CN", tts_engine="speechd")


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"mode": "loud"}, ValueError, "unknown voice mode 'loud'"),
        ({"mode": "off", "lang": "fr"}, ValueError, "unsupported voice language 'fr'"),
        ({"mode": "off", "template": "{ticket}"}, ValueError, "unknown placeholder"),
        ({"mode": "clips", "pack_dir": "/nonexistent/pack"}, VoicePackError, "does not exist"),
        ({"mode": "qt", "tts_engine": "nosuch"}, VoiceEngineError, "unknown speech engine"),
    ],
)
def test_make_engine_names_what_is_wrong(arguments, error, message):
    with pytest.raises(error, match=message):
        make_engine(**arguments)


def test_an_unknown_voice_name_is_refused():
    with pytest.raises(VoiceEngineError, match="no voice 'Nobody'"):
        TtsEngine("mock", "en", voice_name="Nobody")


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        (["en_US", "zh_HK", "zh_TW", "zh_CN"], "zh_CN", "zh_CN"),
        (["en_US", "zh_HK", "zh_TW"], "zh_CN", "zh_TW"),
        (["zh_HK", "en_GB"], "zh_CN", None),
        (["en_GB", "en_US"], "en", "en_US"),
        (["fi_FI", "en_GB"], "en", "en_GB"),
        ([], "en", None),
    ],
)
def test_best_locale_prefers_the_language_and_never_cantonese(names, lang, expected):
    chosen = best_locale([QLocale(name) for name in names], lang)
    assert (chosen.name() if chosen else None) == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"repeats": 0}, "between 1 and 9"),
        ({"recall_repeats": 12}, "between 1 and 9"),
        ({"max_merge": 0}, "calls per announcement"),
        ({"gap_ms": -1}, "gap_ms"),
        ({"busy_gap_ms": True}, "busy_gap_ms"),
    ],
)
def test_bad_announcer_settings_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        Announcer(SilentEngine(), **arguments)
