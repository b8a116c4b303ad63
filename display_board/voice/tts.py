"""The speech engine: the announcement text said by QTextToSpeech, after the pack's chime.

sapi/winrt on Windows, darwin on macOS, "mock" in tests. speechd is refused without an
audio output: it sticks in Speaking there and can hang the next process that opens it.
A watchdog ends a reading the engine never finishes, so the announcer's queue never stalls.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QLocale, QObject, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech

from display_board.voice.base import (
    DEFAULT_WATCHDOG_MARGIN_MS,
    VoiceEngine,
    VoiceEngineError,
    audio_output_available,
)
from display_board.voice.pack import VoicePack
from display_board.voice.player import PcmPlayer
from display_board.voice.text import (
    CHIME_CLIP,
    DEFAULT_LANGUAGE,
    check_template,
    merged_text,
    resolve_language,
)

log = logging.getLogger(__name__)

# Speech engines that come with an operating system, in order of preference.
PLATFORM_TTS_ENGINES = {"win32": ("winrt", "sapi"), "darwin": ("darwin",), "linux": ("speechd",)}
# Without a sound card speechd sticks in Speaking and can hang the next process that opens it.
HANGS_WITHOUT_AUDIO = ("speechd",)
# A safety net for speech engines: no announcement takes longer than this per character.
_TTS_WATCHDOG_MS_PER_CHAR = 500
_TTS_WATCHDOG_BASE_MS = 5000


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
    if engine_name in HANGS_WITHOUT_AUDIO and not audio_output_available():
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


def platform_tts_engines() -> list[str]:
    """The operating system's own speech engines present here, best first (never "mock")."""
    platform_key = "linux" if sys.platform.startswith("linux") else sys.platform
    available = set(QTextToSpeech.availableEngines())
    return [name for name in PLATFORM_TTS_ENGINES.get(platform_key, ()) if name in available]


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
