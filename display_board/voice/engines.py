"""The voice announcer: speaks queued calls through the clip pack, QTextToSpeech, or not at all.

`Announcer` owns the AnnouncementQueue and one engine and speaks one announcement at a
time, so announcements never cut each other off; see queue.py for what gives way when
the hall is busy. Engines:
- `ClipEngine` joins the voice pack's clips into PCM in memory and writes it to one
  QAudioSink opened when the engine is made and kept open, so a call is heard within a
  few tens of milliseconds (a QMediaPlayer per announcement loads and opens the device
  each time). With no audio device it counts the audio's length instead, and a watchdog
  ends a playback that never drains, so the queue never stalls;
- `TtsEngine` speaks through QTextToSpeech (sapi/winrt on Windows, darwin on macOS,
  "mock" in tests); speechd is refused without an audio output (it hangs there);
- `SilentEngine` speaks nothing (`--voice off`): the board only shows the calls.
`make_engine()` chooses one for `--voice auto|qt|clips|off`.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QIODevice, QLocale, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

from shared.domain.errors import QueueHallError

try:  # Qt 6.7 renamed the QAudio namespace QtAudio; sinks report QtAudio values
    from PySide6.QtMultimedia import QtAudio as QAudio
except ImportError:  # pragma: no cover - older PySide6
    from PySide6.QtMultimedia import QAudio  # type: ignore[assignment]
from PySide6.QtTextToSpeech import QTextToSpeech

from display_board.voice.pack import (
    DEFAULT_CALL_GAP_MS,
    DEFAULT_CHIME_GAP_MS,
    DEFAULT_CLIP_GAP_MS,
    AudioFormat,
    ComposedAnnouncement,
    RenderedAnnouncement,
    VoicePack,
    VoicePackError,
)
from display_board.voice.queue import (
    DEFAULT_MAX_MERGE,
    DEFAULT_REPEATS,
    Announcement,
    AnnouncementQueue,
    CallRef,
    check_repeats,
)
from display_board.voice.text import (
    CHIME_CLIP,
    DEFAULT_LANGUAGE,
    announcement_segments,
    call_segment_indexes,
    check_template,
    merged_text,
    resolve_language,
)

log = logging.getLogger(__name__)

VOICE_MODES = ("auto", "qt", "clips", "off")
# Silence between a call and its repeat, when the hall is quiet.
DEFAULT_GAP_MS = 600
# Silence before the next announcement when calls wait to be said.
DEFAULT_BUSY_GAP_MS = 250
# How long past its expected end a playback may run before it is given up.
DEFAULT_WATCHDOG_MARGIN_MS = 3000
# Speech engines that come with an operating system, in order of preference.
_PLATFORM_TTS_ENGINES = {"win32": ("winrt", "sapi"), "darwin": ("darwin",), "linux": ("speechd",)}
# Without a sound card speechd sticks in Speaking and can hang the next process that opens it.
_HANGS_WITHOUT_AUDIO = ("speechd",)
# A safety net for speech engines: no announcement takes longer than this per character.
_TTS_WATCHDOG_MS_PER_CHAR = 500
_TTS_WATCHDOG_BASE_MS = 5000


class VoiceEngineError(QueueHallError, RuntimeError):
    """A voice engine cannot be used here (unknown engine, no voice, would hang)."""


def audio_output_available() -> bool:
    """True when the system has at least one audio output device."""
    return bool(QMediaDevices.audioOutputs())


class VoiceEngine(QObject):
    """What the Announcer drives: speaks one reading at a time and emits `done` after each.

    `done` is emitted exactly once for every `speak()` (also on failure or watchdog
    timeout), possibly before `speak()` returns; `stop()` ends a reading without `done`.
    """

    done = Signal()
    audible = True
    # What the last `speak()` plays, when the engine knows it (the clip engine does).
    plan: Plan | None = None

    def text_for(self, calls: Sequence[tuple[str, int]]) -> str:
        """The words this engine says for calls said together (for the board or a log)."""
        raise NotImplementedError

    def speak(self, calls: Sequence[tuple[str, int]], chime: bool) -> None:
        """Say `calls` (ticket number, counter) in one announcement, after the chime if `chime`."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class PcmPlayer(QObject):
    """Plays raw PCM through one long-lived QAudioSink; always reports `done`, sound card or not.

    The sink is opened ahead (at construction) and kept open between announcements, so
    playing starts with the next write. Audio is pushed from a short timer; the sink's
    buffer (`BUFFER_MS`) rides out a busy GUI thread without a gap in the words.
    """

    done = Signal()
    BUFFER_MS = 1000
    # PulseAudio (and PipeWire's pulse server) otherwise holds only ~40 ms of a Qt sink's
    # audio: a board process kept off the CPU that long by a busy PC leaves a gap in the
    # words. libpulse reads this variable when the stream opens.
    PULSE_LATENCY_MS = 200
    FEED_INTERVAL_MS = 20

    def __init__(
        self,
        audio_format: AudioFormat,
        parent: QObject | None = None,
        *,
        watchdog_margin_ms: int = DEFAULT_WATCHDOG_MARGIN_MS,
        volume: float = 1.0,
    ) -> None:
        super().__init__(parent)
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"volume must be between 0.0 and 1.0, not {volume!r}")
        self._format = audio_format
        self._bytes_per_second = (
            audio_format.frame_rate * audio_format.channels * audio_format.sample_width
        )
        self._watchdog_margin_ms = max(0, watchdog_margin_ms)
        self._volume = volume
        self._sink: QAudioSink | None = None
        self._device: QIODevice | None = None
        self._pending = bytearray()
        self._written = 0  # bytes written to the sink since it was opened
        self._end = 0  # stream position (bytes) where the current playback ends
        self._ends_at = 0.0  # time.monotonic() before which it cannot have ended
        self._playing = False
        self._warned_no_device = False
        self._feeder = QTimer(self)
        self._feeder.setInterval(self.FEED_INTERVAL_MS)
        self._feeder.timeout.connect(self._feed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._timer_is_watchdog = False
        self.open()

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def is_open(self) -> bool:
        return self._device is not None

    def open(self) -> bool:
        """Open the audio device now (done at construction); False when there is none."""
        if self._device is not None:
            return True
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            if not self._warned_no_device:
                log.warning("no audio output device: announcements advance silently")
                self._warned_no_device = True
            return False
        qt_format = QAudioFormat()
        qt_format.setSampleRate(self._format.frame_rate)
        qt_format.setChannelCount(self._format.channels)
        sample_formats = {1: QAudioFormat.SampleFormat.UInt8, 2: QAudioFormat.SampleFormat.Int16}
        sample_format = sample_formats.get(self._format.sample_width)
        if sample_format is None:
            if not self._warned_no_device:
                log.warning(
                    "the voice pack is %s; only 8- or 16-bit PCM can be played: "
                    "announcements advance silently",
                    self._format.describe(),
                )
                self._warned_no_device = True
            return False
        qt_format.setSampleFormat(sample_format)
        os.environ.setdefault("PULSE_LATENCY_MSEC", str(self.PULSE_LATENCY_MS))
        sink = QAudioSink(device, qt_format, self)
        sink.setBufferSize(self._bytes_per_second * self.BUFFER_MS // 1000)
        sink.setVolume(self._volume)
        io_device = sink.start()
        if io_device is None or sink.error() != QAudio.Error.NoError:
            log.warning(
                "audio output %r could not be opened: %s", device.description(), sink.error()
            )
            sink.deleteLater()
            return False
        self._sink, self._device, self._written = sink, io_device, 0
        log.info(
            "audio output %r open for announcements (%d ms buffer)",
            device.description(),
            1000 * sink.bufferSize() // self._bytes_per_second,
        )
        return True

    def play(self, frames: bytes, duration_ms: int) -> None:
        """Play PCM `frames` (`duration_ms` long), replacing anything playing."""
        self.stop()
        self._playing = True
        if self.open():
            self._pending = bytearray(frames)
            self._end = self._written + len(frames)
            self._ends_at = time.monotonic() + duration_ms / 1000
            self._feed()
            self._feeder.start()
            self._timer_is_watchdog = True
            self._timer.start(duration_ms + self.BUFFER_MS + self._watchdog_margin_ms)
        else:
            self._timer_is_watchdog = False
            self._timer.start(max(0, duration_ms))

    def stop(self) -> None:
        """End the current playback without `done` (what the sink holds still plays out)."""
        self._playing = False
        self._pending.clear()
        self._feeder.stop()
        self._timer.stop()

    def _played(self) -> int:
        assert self._sink is not None
        buffered = self._sink.bufferSize() - self._sink.bytesFree()
        return self._written - max(0, buffered)

    def _feed(self) -> None:
        sink, device = self._sink, self._device
        if sink is None or device is None:
            return
        if sink.error() not in (QAudio.Error.NoError, QAudio.Error.UnderrunError):
            log.warning(
                "audio output failed (%s); it is opened again for the next call", sink.error()
            )
            self._close()
            self._finish()
            return
        if self._pending:
            room = sink.bytesFree()
            room -= room % max(1, self._format.channels * self._format.sample_width)
            if room > 0:
                written = device.write(bytes(self._pending[:room]))
                if written > 0:
                    del self._pending[:written]
                    self._written += written
        elif self._played() >= self._end and time.monotonic() >= self._ends_at:
            # Handed over to the sound system is not heard yet: its own buffer may still
            # hold the end, so the playback also lasts at least its own length.
            self._finish()

    def _close(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
        self._sink, self._device = None, None

    def _on_timer(self) -> None:
        if self._timer_is_watchdog:
            log.warning("announcement audio did not end in time; skipping to the next one")
        self._finish()

    def _finish(self) -> None:
        if not self._playing:
            return
        self.stop()
        self.done.emit()


@dataclass(frozen=True)
class Plan:
    """What an engine is about to say: its length, and where the first word and each call start."""

    duration_ms: int
    word_ms: int
    call_ms: tuple[int, ...]


class ClipEngine(VoiceEngine):
    """Speaks the default Mandarin sentence by joining the voice pack's clips."""

    def __init__(
        self,
        pack: VoicePack | None = None,
        *,
        clip_gap_ms: int = DEFAULT_CLIP_GAP_MS,
        chime_gap_ms: int = DEFAULT_CHIME_GAP_MS,
        call_gap_ms: int = DEFAULT_CALL_GAP_MS,
        watchdog_margin_ms: int = DEFAULT_WATCHDOG_MARGIN_MS,
        volume: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pack = VoicePack.load() if pack is None else pack
        self.clip_gap_ms = clip_gap_ms
        self.chime_gap_ms = chime_gap_ms
        self.call_gap_ms = call_gap_ms
        self._player = PcmPlayer(
            self.pack.audio_format, self, watchdog_margin_ms=watchdog_margin_ms, volume=volume
        )
        self._player.done.connect(self.done)

    def text_for(self, calls: Sequence[tuple[str, int]]) -> str:
        # The clips say the default Mandarin sentence, whatever the board's language.
        return merged_text(list(calls), None, "zh_CN")

    def compose(self, calls: Sequence[tuple[str, int]], chime: bool) -> ComposedAnnouncement:
        """The audio `speak()` plays for these calls."""
        return self.pack.compose(
            announcement_segments(calls, self.call_gap_ms),
            chime=chime,
            clip_gap_ms=self.clip_gap_ms,
            chime_gap_ms=self.chime_gap_ms,
        )

    def render(self, number: str, counter: int, chime: bool) -> RenderedAnnouncement:
        """One call's announcement as a WAV file (to save or play elsewhere)."""
        composed = self.compose([(number, counter)], chime)
        return RenderedAnnouncement(self.pack.wav(composed.frames), composed.duration_ms)

    def speak(self, calls: Sequence[tuple[str, int]], chime: bool) -> None:
        composed = self.compose(calls, chime)
        self.plan = Plan(
            composed.duration_ms,
            composed.word_ms,
            tuple(composed.starts_ms[i] for i in call_segment_indexes(calls)),
        )
        self._player.play(composed.frames, composed.duration_ms)

    def stop(self) -> None:
        self._player.stop()


def _wanted_locale(lang: str) -> QLocale:
    if resolve_language(lang) == "zh_CN":
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def best_locale(locales: list[QLocale], lang: str) -> QLocale | None:
    """The locale to speak `lang` in: the exact one, else one of the same spoken language.

    For Chinese, Hong Kong and Macao locales are left out: their voices speak Cantonese.
    """
    wanted = _wanted_locale(lang)
    cantonese_territories = (QLocale.Country.HongKong, QLocale.Country.Macao)
    same_language = [
        locale
        for locale in locales
        if locale.language() == wanted.language()
        and not (
            wanted.language() == QLocale.Language.Chinese
            and locale.territory() in cantonese_territories
        )
    ]
    for locale in same_language:
        if locale.territory() == wanted.territory():
            return locale
    return same_language[0] if same_language else None


def _refuse_hanging_engine(engine_name: str) -> None:
    if engine_name in _HANGS_WITHOUT_AUDIO and not audio_output_available():
        raise VoiceEngineError(
            f"the {engine_name!r} speech engine hangs when there is no audio output device; "
            "use --voice clips (or off)"
        )


class TtsEngine(VoiceEngine):
    """Speaks the announcement text through QTextToSpeech, after the pack's chime."""

    def __init__(
        self,
        engine_name: str,
        lang: str = DEFAULT_LANGUAGE,
        template: str | None = None,
        *,
        chime_pack: VoicePack | None = None,
        voice_name: str | None = None,
        watchdog_margin_ms: int = DEFAULT_WATCHDOG_MARGIN_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        available = QTextToSpeech.availableEngines()
        if engine_name not in available:
            raise VoiceEngineError(
                f"unknown speech engine {engine_name!r}: this system has {', '.join(available)}"
            )
        _refuse_hanging_engine(engine_name)
        self.lang = resolve_language(lang)
        self.template = None if template is None else check_template(template)
        self.speech = QTextToSpeech(engine_name, self)
        if self.speech.state() == QTextToSpeech.State.Error:
            raise VoiceEngineError(
                f"speech engine {engine_name!r} failed to start: {self.speech.errorString()}"
            )
        self._choose_voice(voice_name)
        self._chime_pack = chime_pack
        self._chime_player: PcmPlayer | None = None
        if chime_pack is not None and audio_output_available():
            self._chime_player = PcmPlayer(
                chime_pack.audio_format, self, watchdog_margin_ms=watchdog_margin_ms
            )
            self._chime_player.done.connect(self._say_pending_text)
        self._watchdog_margin_ms = watchdog_margin_ms
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self._pending_text: str | None = None
        self._speaking = False
        self._heard_speech = False
        self.speech.stateChanged.connect(self._on_state)

    def _choose_voice(self, voice_name: str | None) -> None:
        locale = best_locale(list(self.speech.availableLocales()), self.lang)
        if locale is None:
            log.warning(
                "speech engine %r has no %s voice; speaking with its default %s voice",
                self.speech.engine(),
                self.lang,
                self.speech.locale().name(),
            )
        else:
            self.speech.setLocale(locale)
        voices = list(self.speech.availableVoices())
        if voice_name is not None:
            matching = [voice for voice in voices if voice.name() == voice_name]
            if not matching:
                names = ", ".join(voice.name() for voice in voices) or "none"
                raise VoiceEngineError(
                    f"speech engine {self.speech.engine()!r} has no voice {voice_name!r} "
                    f"for {self.speech.locale().name()} (it has: {names})"
                )
            self.speech.setVoice(matching[0])
        elif voices and self.speech.voice().locale() != self.speech.locale():
            self.speech.setVoice(voices[0])

    def text_for(self, calls: Sequence[tuple[str, int]]) -> str:
        return merged_text(list(calls), self.template, self.lang)

    def speak(self, calls: Sequence[tuple[str, int]], chime: bool) -> None:
        self._pending_text = self.text_for(calls)
        # The chime is sound only: with no audio device it would add silence, nothing else.
        if chime and self._chime_pack is not None and self._chime_player is not None:
            chime_frames = self._chime_pack.clip_frames(CHIME_CLIP)
            duration_ms = 1000 * len(chime_frames) // self._chime_pack.bytes_per_second
            self._chime_player.play(chime_frames, duration_ms)
        else:
            self._say_pending_text()

    def stop(self) -> None:
        self._pending_text = None
        if self._chime_player is not None:
            self._chime_player.stop()
        self._watchdog.stop()
        if self._speaking:
            self._speaking = False
            self.speech.stop()

    def _say_pending_text(self) -> None:
        text, self._pending_text = self._pending_text, None
        if text is None:
            return
        self._speaking = True
        self._heard_speech = False
        self._watchdog.start(
            _TTS_WATCHDOG_BASE_MS + _TTS_WATCHDOG_MS_PER_CHAR * len(text) + self._watchdog_margin_ms
        )
        if self.speech.state() == QTextToSpeech.State.Error:
            log.warning(
                "speech engine error, announcement not spoken: %s", self.speech.errorString()
            )
            self._finish()
            return
        self.speech.say(text)

    def _on_state(self, state: QTextToSpeech.State) -> None:
        if not self._speaking:
            return
        if state in (QTextToSpeech.State.Speaking, QTextToSpeech.State.Synthesizing):
            self._heard_speech = True
        elif state == QTextToSpeech.State.Ready and self._heard_speech:
            self._finish()
        elif state == QTextToSpeech.State.Error:
            log.warning("speech engine error while speaking: %s", self.speech.errorString())
            self._finish()

    def _on_watchdog(self) -> None:
        if self._speaking:
            log.warning("speech engine did not finish in time; skipping to the next announcement")
            self.speech.stop()
            self._finish()

    def _finish(self) -> None:
        if not self._speaking:
            return
        self._speaking = False
        self._watchdog.stop()
        self.done.emit()


class SilentEngine(VoiceEngine):
    """Speaks nothing (`--voice off`): each reading is done as soon as it starts."""

    audible = False

    def __init__(
        self,
        lang: str = DEFAULT_LANGUAGE,
        template: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.lang = resolve_language(lang)
        self.template = None if template is None else check_template(template)

    def text_for(self, calls: Sequence[tuple[str, int]]) -> str:
        return merged_text(list(calls), self.template, self.lang)

    def speak(self, calls: Sequence[tuple[str, int]], chime: bool) -> None:
        self.done.emit()

    def stop(self) -> None:
        pass


def platform_tts_engines() -> list[str]:
    """The operating system's own speech engines present here, best first (never "mock")."""
    platform_key = "linux" if sys.platform.startswith("linux") else sys.platform
    available = set(QTextToSpeech.availableEngines())
    return [name for name in _PLATFORM_TTS_ENGINES.get(platform_key, ()) if name in available]


def has_voice_for(engine_name: str, lang: str) -> bool:
    """True when speech engine `engine_name` starts and has a voice for `lang`."""
    if engine_name not in QTextToSpeech.availableEngines():
        return False
    probe = QTextToSpeech(engine_name)
    try:
        if probe.state() == QTextToSpeech.State.Error:
            return False
        return best_locale(list(probe.availableLocales()), lang) is not None
    finally:
        probe.deleteLater()


def _chime_pack_or_none(pack_dir: str | Path | None) -> VoicePack | None:
    try:
        return VoicePack.load(pack_dir)
    except VoicePackError as error:
        log.warning("no chime before announcements: %s", error)
        return None


def make_engine(
    mode: str = "auto",
    lang: str = DEFAULT_LANGUAGE,
    pack_dir: str | Path | None = None,
    tts_engine: str | None = None,
    *,
    template: str | None = None,
    parent: QObject | None = None,
) -> VoiceEngine:
    """The voice engine for `--voice MODE`.

    - "off": SilentEngine.
    - "clips": ClipEngine over the pack in `pack_dir` (default: the shipped pack).
    - "qt": TtsEngine over `tts_engine` (default: the platform's engine).
    - "auto": TtsEngine when `tts_engine` (or, except on Linux, the platform's engine) has
      a voice for `lang`; otherwise ClipEngine. speechd is never chosen on Linux: it hangs
      without a sound card, so on Linux "auto" means the clip pack.
    Raises ValueError for a bad mode, language or template, VoicePackError for a broken
    pack, VoiceEngineError when the requested speech engine cannot be used.
    """
    if mode not in VOICE_MODES:
        raise ValueError(f"unknown voice mode {mode!r}: choose one of {', '.join(VOICE_MODES)}")
    language = resolve_language(lang)
    if template is not None:
        check_template(template)
    if mode == "off":
        return SilentEngine(language, template, parent=parent)
    if mode == "clips":
        return ClipEngine(VoicePack.load(pack_dir), parent=parent)
    if mode == "qt":
        candidates = [tts_engine] if tts_engine else platform_tts_engines()
        if not candidates:
            raise VoiceEngineError(
                "this system has no speech engine for --voice qt; use --voice clips"
            )
        return TtsEngine(
            candidates[0],
            language,
            template,
            chime_pack=_chime_pack_or_none(pack_dir),
            parent=parent,
        )
    on_linux = sys.platform.startswith("linux")
    candidates = [tts_engine] if tts_engine else ([] if on_linux else platform_tts_engines())
    for name in candidates:
        if on_linux and name in _HANGS_WITHOUT_AUDIO:
            continue
        if has_voice_for(name, language):
            return TtsEngine(
                name, language, template, chime_pack=_chime_pack_or_none(pack_dir), parent=parent
            )
    return ClipEngine(VoicePack.load(pack_dir), parent=parent)


class Announcer(QObject):
    """Speaks calls one announcement at a time, in order; see queue.py for the busy-hall rule.

    Signals: `spoken(text)` when an announcement starts, `finished(text)` when it ends,
    `idle()` when the last waiting one has finished, `changed()` whenever what is being
    said or what waits to be said changes (the board marks both).
    """

    spoken = Signal(str)
    finished = Signal(str)
    idle = Signal()
    changed = Signal()

    HISTORY = 500  # announcements kept for `history()` (the board's automation)

    def __init__(
        self,
        engine: VoiceEngine,
        *,
        repeats: int = DEFAULT_REPEATS,
        recall_repeats: int = DEFAULT_REPEATS,
        max_merge: int = DEFAULT_MAX_MERGE,
        gap_ms: int = DEFAULT_GAP_MS,
        busy_gap_ms: int = DEFAULT_BUSY_GAP_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repeats = check_repeats(repeats)
        self.recall_repeats = check_repeats(recall_repeats)
        for name, value in (("gap_ms", gap_ms), ("busy_gap_ms", busy_gap_ms)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be 0 or more milliseconds, not {value!r}")
        self.gap_ms = gap_ms
        self.busy_gap_ms = busy_gap_ms
        self._queue = AnnouncementQueue(max_merge)
        self._engine = engine
        engine.setParent(self)
        engine.done.connect(self._on_engine_done)
        self._current: Announcement | None = None
        self._current_text = ""
        self._history: deque[dict[str, Any]] = deque(maxlen=self.HISTORY)
        self._gap_timer = QTimer(self)
        self._gap_timer.setSingleShot(True)
        self._gap_timer.timeout.connect(self._start_next)

    @property
    def engine(self) -> VoiceEngine:
        return self._engine

    @property
    def current(self) -> Announcement | None:
        """The announcement being spoken now, if any."""
        return self._current

    @property
    def pending(self) -> int:
        """How many calls still have a reading to come (not counting the current one)."""
        return len(self._queue)

    @property
    def dropped_repeats(self) -> int:
        """How many repeats were dropped so that new calls were heard first."""
        return self._queue.dropped_repeats

    def speaking(self) -> tuple[CallRef, ...]:
        """The calls being said now."""
        return self._current.calls if self._current is not None else ()

    def waiting(self) -> list[CallRef]:
        """The calls not said yet, oldest first (a backlog the board shows)."""
        return self._queue.unheard()

    def history(self) -> list[dict[str, Any]]:
        """The latest announcements: calls, chime, start time (time.monotonic()) and plan."""
        return list(self._history)

    def is_busy(self) -> bool:
        return self._current is not None or bool(self._queue) or self._gap_timer.isActive()

    def announce(self, number: str, counter: int, recall: bool = False) -> None:
        """Queue a call of ticket `number` to `counter`; raises ValueError for bad input."""
        # Repeating what nobody hears would only replay the board's highlight.
        if not self._engine.audible:
            repeats = 1
        else:
            repeats = self.recall_repeats if recall else self.repeats
        self._queue.push_call(number, counter, recall=recall, repeats=repeats)
        if self._current is None and not self._gap_timer.isActive():
            self._start_next()
        else:
            if self._gap_timer.isActive():
                # A call waits: the pause before it is the short one.
                remaining = self._gap_timer.remainingTime()
                if remaining > self.busy_gap_ms:
                    self._gap_timer.start(self.busy_gap_ms)
            self.changed.emit()

    def clear(self) -> None:
        """Drop every waiting call and stop the current announcement (no `finished` for it)."""
        was_busy = self.is_busy()
        self._queue.clear()
        self._gap_timer.stop()
        self._current = None
        self._engine.stop()
        self.changed.emit()
        if was_busy:
            self.idle.emit()

    def _start_next(self) -> None:
        announcement = self._queue.pop()
        if announcement is None:
            self.changed.emit()
            self.idle.emit()
            return
        self._current = announcement
        calls = [(call.number, call.counter) for call in announcement.calls]
        self._current_text = self._engine.text_for(calls)
        self._engine.plan = None
        started = time.monotonic()
        self.spoken.emit(self._current_text)
        self.changed.emit()
        log.info(
            "saying %s%s (%d more waiting)",
            ", ".join(f"{n} to {c}" for n, c in calls),
            " again" if announcement.is_repeat else "",
            len(self._queue.unheard()),
        )
        try:
            self._engine.speak(calls, chime=announcement.chime)
        except Exception:
            # A failing engine must not silence the rest of the day's calls.
            log.exception("voice engine failed on %s", calls)
            self._record(announcement, started, failed=True)
            self._on_engine_done()
            return
        self._record(announcement, started, failed=False)

    def _record(self, announcement: Announcement, started: float, failed: bool) -> None:
        plan = self._engine.plan
        self._history.append(
            {
                "calls": [
                    {"number": c.number, "counter": c.counter, "recall": c.recall}
                    for c in announcement.calls
                ],
                "chime": announcement.chime,
                "repeat": announcement.repeat_index,
                "started": started,
                "failed": failed,
                "plan": None
                if plan is None
                else {
                    "duration_ms": plan.duration_ms,
                    "word_ms": plan.word_ms,
                    "call_ms": list(plan.call_ms),
                },
            }
        )

    def _on_engine_done(self) -> None:
        if self._current is None:
            return
        text = self._current_text
        self._current = None
        self.finished.emit(text)
        self.changed.emit()
        if self._queue:
            if not self._engine.audible:
                gap = 0
            elif self._queue.has_unheard():
                gap = self.busy_gap_ms
            else:
                gap = self.gap_ms
            self._gap_timer.start(gap)
        else:
            self.idle.emit()
