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

from display_board.voice.engines import (  # noqa: E402
    Announcer,
    ClipEngine,
    SilentEngine,
    TtsEngine,
    VoiceEngineError,
    WavPlayer,
    audio_output_available,
    best_locale,
    make_engine,
)
from display_board.voice.pack import VoicePack, VoicePackError, required_clip_names  # noqa: E402
from display_board.voice.text import clip_file_name  # noqa: E402

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

    expected = [
        "A 0 0 1, counter 1",
        "A 0 0 2, counter 2",
        "B 1 2 0, counter 10",
        "A 1 0 0 0, counter 24",
        "A B 0 0 5, counter 99",
    ]
    assert recorder.texts("spoken") == expected
    assert recorder.texts("finished") == expected
    recorder.assert_never_overlapped()
    # The mock engine reports every word it says: each text was said to its last word.
    assert words_heard == [re.findall(r"\w+", text) for text in expected]


def test_mock_speech_engine_reads_each_chinese_call_twice(qtbot):
    announcer = Announcer(TtsEngine("mock", "zh_CN"), gap_ms=0)
    recorder = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        announcer.announce("A017", 3)
        announcer.announce("B002", 24, recall=True)
    first = "请A 零 一 七号到三号窗口办理"
    second = "请B 零 零 二号到二十四号窗口办理"
    assert recorder.texts("finished") == [first, first, second, second]
    recorder.assert_never_overlapped()
    assert recorder.events[-1] == ("idle", "")


def test_clip_engine_advances_through_three_announcements_without_a_sound_card(qtbot, quick_pack):
    announcer = Announcer(quick_engine(quick_pack), gap_ms=20)
    recorder = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        announcer.announce("A001", 1)
        announcer.announce("A002", 2)
        announcer.announce("A003", 20)
    expected = ["请A 零 零 一号到一号窗口办理"] * 2 + ["请A 零 零 二号到二号窗口办理"] * 2
    expected += ["请A 零 零 三号到二十号窗口办理"] * 2
    assert recorder.texts("finished") == expected
    recorder.assert_never_overlapped()
    assert not announcer.is_busy()


def test_clip_engine_also_advances_when_the_media_player_plays_into_nothing(qtbot, quick_pack):
    engine = quick_engine(quick_pack, silent_progress="player")
    announcer = Announcer(engine, repeats=1, gap_ms=0)
    recorder = Recorder(announcer)
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        for number, counter in CALLS[:3]:
            announcer.announce(number, counter)
    assert len(recorder.texts("finished")) == 3
    recorder.assert_never_overlapped()


def test_clip_engine_says_the_chinese_sentence_whatever_the_board_language():
    engine = make_engine("clips", "en")
    assert isinstance(engine, ClipEngine)
    assert engine.text_for("A017", 3) == "请A 零 一 七号到三号窗口办理"


def test_the_chime_opens_only_the_first_reading(quick_pack):
    engine = ClipEngine(quick_pack, clip_gap_ms=0, chime_gap_ms=0)
    with_chime = engine.render("A017", 3, chime=True)
    without = engine.render("A017", 3, chime=False)
    assert with_chime.duration_ms - without.duration_ms == 30


def test_the_watchdog_ends_a_playback_that_never_reports_its_end(qtbot):
    player = WavPlayer(watchdog_margin_ms=100, silent_progress="player")
    long_wav = VoicePack.load().render(["hao_chuangkou"] * 8, chime=False).wav
    # Claim 50 ms for about ten seconds of sound: only the watchdog can end it in time.
    with qtbot.waitSignal(player.done, timeout=5000):
        player.play(long_wav, duration_ms=50)
    assert not player.playing
    qtbot.assertNotEmitted(player.done, wait=300)


def test_audio_that_cannot_be_played_still_reports_done(qtbot):
    player = WavPlayer(watchdog_margin_ms=2000, silent_progress="player")
    with qtbot.waitSignal(player.done, timeout=10000):
        player.play(b"RIFF this is not a wave file", duration_ms=100)
    assert not player.playing


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
    announcer = Announcer(quick_engine(quick_pack), max_pending=2, gap_ms=0)
    recorder = Recorder(announcer)
    numbers = ["A001", "A002", "A003", "A004"]
    with qtbot.waitSignal(announcer.idle, timeout=20000):
        for counter, number in enumerate(numbers, start=1):
            announcer.announce(number, counter)
    heard = [text[1 : text.index("号到")] for text in recorder.texts("spoken")]
    firsts = ["A 零 零 一", "A 零 零 二", "A 零 零 三", "A 零 零 四"]
    assert [text for index, text in enumerate(heard) if text not in heard[:index]] == firsts
    assert announcer.dropped_repeats > 0
    assert len(heard) == 8 - announcer.dropped_repeats


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
    assert announcer.current is not None and announcer.pending == 3
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
    assert engine.text_for("A017", 3) == "A 0 1 7 to 3"


def test_a_speech_engine_without_a_mandarin_voice_is_reported(caplog):
    with caplog.at_level(logging.WARNING):
        engine = TtsEngine("mock", "zh_CN")
    assert "no zh_CN voice" in caplog.text
    assert engine.text_for("A017", 3) == "请A 零 一 七号到三号窗口办理"


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
        ({"max_pending": 0}, "max_pending"),
        ({"gap_ms": -1}, "gap_ms"),
    ],
)
def test_bad_announcer_settings_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        Announcer(SilentEngine(), **arguments)
