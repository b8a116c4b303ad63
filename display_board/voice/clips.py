"""The clip engine: the default Mandarin sentence joined from the voice pack's clips.

The clips are joined into PCM in memory and played through one PcmPlayer opened when the
engine is made, so a call is heard within a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject

from display_board.voice.base import DEFAULT_WATCHDOG_MARGIN_MS, Plan, VoiceEngine
from display_board.voice.pack import (
    DEFAULT_CALL_GAP_MS,
    DEFAULT_CHIME_GAP_MS,
    DEFAULT_CLIP_GAP_MS,
    ComposedAnnouncement,
    RenderedAnnouncement,
    VoicePack,
)
from display_board.voice.player import PcmPlayer
from display_board.voice.text import announcement_segments, call_segment_indexes, merged_text


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
