"""What every voice engine is: the interface the Announcer drives, and the silent engine.

The Announcer speaks one announcement at a time and waits for the engine's `done`; the
engines (clips.py, tts.py) differ only in how they make the sound. `SilentEngine` is the
engine of `--voice off`: the board shows calls and says nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QMediaDevices

from display_board.voice.text import DEFAULT_LANGUAGE, check_template, merged_text, resolve_language
from shared.domain.errors import QueueHallError

# How long past its expected end a playback may run before it is given up.
DEFAULT_WATCHDOG_MARGIN_MS = 3000


class VoiceEngineError(QueueHallError, RuntimeError):
    """A voice engine cannot be used here (unknown engine, no voice, would hang)."""


def audio_output_available() -> bool:
    """True when the system has at least one audio output device."""
    return bool(QMediaDevices.audioOutputs())


@dataclass(frozen=True)
class Plan:
    """What an engine is about to say: its length, and where the first word and each call start."""

    duration_ms: int
    word_ms: int
    call_ms: tuple[int, ...]


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
