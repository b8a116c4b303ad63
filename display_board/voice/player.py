"""One long-lived audio output for raw PCM: how the clip engine and the speech engine's chime play.

Opening an audio device per announcement costs a noticeable delay before the first word;
`PcmPlayer` opens its QAudioSink once and keeps it, and it always reports `done`, with or
without a sound card, so the announcer's queue never stalls.
"""

from __future__ import annotations

import logging
import os
import time

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

from display_board.voice.base import DEFAULT_WATCHDOG_MARGIN_MS
from display_board.voice.pack import AudioFormat

try:  # Qt 6.7 renamed the QAudio namespace QtAudio; sinks report QtAudio values
    from PySide6.QtMultimedia import QtAudio as QAudio
except ImportError:  # pragma: no cover - older PySide6
    from PySide6.QtMultimedia import QAudio  # type: ignore[assignment]

log = logging.getLogger(__name__)


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
