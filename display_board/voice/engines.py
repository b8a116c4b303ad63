"""The voice announcer: speaks queued calls through the clip pack, QTextToSpeech, or not at all.

`Announcer` owns the AnnouncementQueue and one engine and speaks one reading at a time,
so announcements never cut each other off. Engines:
- `ClipEngine` joins the voice pack's clips into one WAV in memory and plays it with
  QMediaPlayer; with no audio device it counts the WAV's length instead, and a
  watchdog ends a playback that never reports its end, so the queue never stalls;
- `TtsEngine` speaks through QTextToSpeech (sapi/winrt on Windows, darwin on macOS,
  "mock" in tests); speechd is refused without an audio output (it hangs there);
- `SilentEngine` speaks nothing (`--voice off`): the board only shows the calls.
`make_engine()` chooses one for `--voice auto|qt|clips|off`.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtTextToSpeech import QTextToSpeech

from display_board.voice.pack import (
    DEFAULT_CHIME_GAP_MS,
    DEFAULT_CLIP_GAP_MS,
    RenderedAnnouncement,
    VoicePack,
    VoicePackError,
)
from display_board.voice.queue import (
    DEFAULT_MAX_PENDING,
    DEFAULT_REPEATS,
    Announcement,
    AnnouncementQueue,
    check_repeats,
)
from display_board.voice.text import (
    DEFAULT_LANGUAGE,
    announcement_text,
    check_template,
    clip_names,
    resolve_language,
)

log = logging.getLogger(__name__)

VOICE_MODES = ("auto", "qt", "clips", "off")
# Silence between two readings, so that the hall hears where one call ends.
DEFAULT_GAP_MS = 600
# How long past its expected end a playback may run before it is given up.
DEFAULT_WATCHDOG_MARGIN_MS = 3000
# What "no audio device" does: count the WAV's length ("timer"), or let QMediaPlayer
# play into nothing in real time ("player"; it still reports EndOfMedia).
SILENT_PROGRESS_MODES = ("timer", "player")
# Speech engines that come with an operating system, in order of preference.
_PLATFORM_TTS_ENGINES = {"win32": ("winrt", "sapi"), "darwin": ("darwin",), "linux": ("speechd",)}
# Without a sound card speechd sticks in Speaking and can hang the next process that opens it.
_HANGS_WITHOUT_AUDIO = ("speechd",)
# A safety net for speech engines: no announcement takes longer than this per character.
_TTS_WATCHDOG_MS_PER_CHAR = 500
_TTS_WATCHDOG_BASE_MS = 5000


class VoiceEngineError(RuntimeError):
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

    def text_for(self, number: str, counter: int) -> str:
        """The words this engine says for a call (for the board to show or log)."""
        raise NotImplementedError

    def speak(self, number: str, counter: int, chime: bool) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class WavPlayer(QObject):
    """Plays one in-memory WAV file at a time and always reports `done`, sound card or not."""

    done = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        watchdog_margin_ms: int = DEFAULT_WATCHDOG_MARGIN_MS,
        silent_progress: str = "timer",
        volume: float = 1.0,
    ) -> None:
        super().__init__(parent)
        if silent_progress not in SILENT_PROGRESS_MODES:
            raise ValueError(
                f"unknown silent_progress {silent_progress!r}: choose "
                f"{' or '.join(SILENT_PROGRESS_MODES)}"
            )
        if not 0.0 <= volume <= 1.0:
            raise ValueError(f"volume must be between 0.0 and 1.0, not {volume!r}")
        self._watchdog_margin_ms = max(0, watchdog_margin_ms)
        self._silent_progress = silent_progress
        self._volume = volume
        # One player for every playback; deleting players while their backend winds down
        # (deleteLater on a child of a Python-owned object) crashes PySide6 6.12.
        self._media_player: QMediaPlayer | None = None
        self._audio_output: QAudioOutput | None = None
        self._buffers: tuple[QBuffer, ...] = ()
        self._playing = False
        self._warned_no_device = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        self._timer_is_watchdog = False

    @property
    def playing(self) -> bool:
        return self._playing

    def play(self, wav: bytes, duration_ms: int) -> None:
        """Play `wav` (a complete WAV file, `duration_ms` long), replacing anything playing."""
        self.stop()
        self._playing = True
        has_device = audio_output_available()
        if not has_device and not self._warned_no_device:
            log.warning("no audio output device: announcements advance silently")
            self._warned_no_device = True
        if has_device or self._silent_progress == "player":
            self._start_player(wav)
            self._timer_is_watchdog = True
            self._timer.start(duration_ms + self._watchdog_margin_ms)
        else:
            self._timer_is_watchdog = False
            self._timer.start(max(0, duration_ms))

    def stop(self) -> None:
        """End the current playback without `done`."""
        self._playing = False
        self._timer.stop()
        if self._media_player is not None:
            self._media_player.stop()

    def _start_player(self, wav: bytes) -> None:
        if self._media_player is None:
            # Created on first use: a board with no audio device never loads the media backend.
            self._media_player = QMediaPlayer(self)
            self._audio_output = QAudioOutput(self._media_player)
            self._audio_output.setVolume(self._volume)
            self._media_player.setAudioOutput(self._audio_output)
            self._media_player.mediaStatusChanged.connect(self._on_media_status)
            self._media_player.errorOccurred.connect(self._on_player_error)
        buffer = QBuffer()
        buffer.setData(QByteArray(wav))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        # The player may still touch the previous buffer while it switches to this one.
        self._buffers = (self._buffers[-1], buffer) if self._buffers else (buffer,)
        self._media_player.setSourceDevice(buffer, QUrl("announcement.wav"))
        self._media_player.play()

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if not self._playing:
            return
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._finish()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            log.warning("announcement audio could not be played (invalid media)")
            self._finish()

    def _on_player_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if self._playing and error != QMediaPlayer.Error.NoError:
            log.warning("announcement audio failed: %s", message or error)
            self._finish()

    def _on_timer(self) -> None:
        if self._timer_is_watchdog:
            log.warning("announcement audio did not end in time; skipping to the next one")
        self._finish()

    def _finish(self) -> None:
        if not self._playing:
            return
        self.stop()
        self.done.emit()


class ClipEngine(VoiceEngine):
    """Speaks the default Mandarin sentence by joining the voice pack's clips."""

    def __init__(
        self,
        pack: VoicePack | None = None,
        *,
        clip_gap_ms: int = DEFAULT_CLIP_GAP_MS,
        chime_gap_ms: int = DEFAULT_CHIME_GAP_MS,
        watchdog_margin_ms: int = DEFAULT_WATCHDOG_MARGIN_MS,
        silent_progress: str = "timer",
        volume: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pack = VoicePack.load() if pack is None else pack
        self.clip_gap_ms = clip_gap_ms
        self.chime_gap_ms = chime_gap_ms
        self._player = WavPlayer(
            self,
            watchdog_margin_ms=watchdog_margin_ms,
            silent_progress=silent_progress,
            volume=volume,
        )
        self._player.done.connect(self.done)

    def text_for(self, number: str, counter: int) -> str:
        # The clips say the default Mandarin sentence, whatever the board's language.
        return announcement_text(number, counter, None, "zh_CN")

    def render(self, number: str, counter: int, chime: bool) -> RenderedAnnouncement:
        """The WAV file that `speak()` plays for this call."""
        return self.pack.render(
            clip_names(number, counter),
            chime=chime,
            clip_gap_ms=self.clip_gap_ms,
            chime_gap_ms=self.chime_gap_ms,
        )

    def speak(self, number: str, counter: int, chime: bool) -> None:
        rendered = self.render(number, counter, chime)
        self._player.play(rendered.wav, rendered.duration_ms)

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
        self._chime_player = WavPlayer(self, watchdog_margin_ms=watchdog_margin_ms)
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

    def text_for(self, number: str, counter: int) -> str:
        return announcement_text(number, counter, self.template, self.lang)

    def speak(self, number: str, counter: int, chime: bool) -> None:
        self._pending_text = self.text_for(number, counter)
        # The chime is sound only: with no audio device it would add silence, nothing else.
        if chime and self._chime_pack is not None and audio_output_available():
            rendered = self._chime_pack.render([], chime=True, chime_gap_ms=0)
            self._chime_player.play(rendered.wav, rendered.duration_ms)
        else:
            self._say_pending_text()

    def stop(self) -> None:
        self._pending_text = None
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

    def text_for(self, number: str, counter: int) -> str:
        return announcement_text(number, counter, self.template, self.lang)

    def speak(self, number: str, counter: int, chime: bool) -> None:
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
    """Speaks calls one reading at a time, in order; see queue.py for what gives way when busy.

    Signals: `spoken(text)` when a reading starts, `finished(text)` when it ends,
    `idle()` when the last waiting reading has finished.
    """

    spoken = Signal(str)
    finished = Signal(str)
    idle = Signal()

    def __init__(
        self,
        engine: VoiceEngine,
        *,
        repeats: int = DEFAULT_REPEATS,
        recall_repeats: int = DEFAULT_REPEATS,
        max_pending: int = DEFAULT_MAX_PENDING,
        gap_ms: int = DEFAULT_GAP_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.repeats = check_repeats(repeats)
        self.recall_repeats = check_repeats(recall_repeats)
        if isinstance(gap_ms, bool) or not isinstance(gap_ms, int) or gap_ms < 0:
            raise ValueError(f"gap_ms must be 0 or more milliseconds, not {gap_ms!r}")
        self.gap_ms = gap_ms
        self._queue = AnnouncementQueue(max_pending)
        self._engine = engine
        engine.setParent(self)
        engine.done.connect(self._on_engine_done)
        self._current: Announcement | None = None
        self._current_text = ""
        self._gap_timer = QTimer(self)
        self._gap_timer.setSingleShot(True)
        self._gap_timer.timeout.connect(self._start_next)

    @property
    def engine(self) -> VoiceEngine:
        return self._engine

    @property
    def current(self) -> Announcement | None:
        """The reading being spoken now, if any."""
        return self._current

    @property
    def pending(self) -> int:
        """How many readings wait behind the current one."""
        return len(self._queue)

    @property
    def dropped_repeats(self) -> int:
        """How many repeats were dropped because too many readings were waiting."""
        return self._queue.dropped_repeats

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

    def clear(self) -> None:
        """Drop every waiting reading and stop the current one (no `finished` for it)."""
        was_busy = self.is_busy()
        self._queue.clear()
        self._gap_timer.stop()
        self._current = None
        self._engine.stop()
        if was_busy:
            self.idle.emit()

    def _start_next(self) -> None:
        reading = self._queue.pop()
        if reading is None:
            self.idle.emit()
            return
        self._current = reading
        self._current_text = self._engine.text_for(reading.number, reading.counter)
        self.spoken.emit(self._current_text)
        try:
            self._engine.speak(reading.number, reading.counter, chime=not reading.is_repeat)
        except Exception:
            # A failing engine must not silence the rest of the day's calls.
            log.exception(
                "voice engine failed on %s to counter %s", reading.number, reading.counter
            )
            self._on_engine_done()

    def _on_engine_done(self) -> None:
        if self._current is None:
            return
        text = self._current_text
        self._current = None
        self.finished.emit(text)
        if self._queue:
            self._gap_timer.start(self.gap_ms if self._engine.audible else 0)
        else:
            self.idle.emit()
