"""The voice pack: loads the WAV clips and joins them into one announcement WAV in memory.

Pure code (no Qt; the standard `wave` module). Every clip of text.CLIPS and the chime must
exist and share one PCM format (channels, sample width, sample rate), so joining clips is
copying frames; a hall's own recordings in another format get an error naming the file.
"""

from __future__ import annotations

import array
import io
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

from display_board.voice.text import CHIME_CLIP, CLIPS, clip_file_name
from display_board.voice_pack import PACK_DIR
from shared.domain.errors import QueueHallError

DEFAULT_PACK_DIR = PACK_DIR  # the shipped pack, display_board/voice_pack/
# A clip is a word or a chime; anything longer is a wrong file, not a clip.
MAX_CLIP_SECONDS = 10.0
DEFAULT_CLIP_GAP_MS = 40
DEFAULT_CHIME_GAP_MS = 100
# The first word starts at most this long after the chime starts: a longer chime (a hall's
# own recording) is faded out under the first words instead of delaying them.
DEFAULT_CHIME_LEAD_MS = 700
CHIME_FADE_MS = 150
# The pause between two calls said in one announcement (the comma).
DEFAULT_CALL_GAP_MS = 180


class VoicePackError(QueueHallError, ValueError):
    """The voice pack folder is missing, or a clip is missing, unreadable or in another format."""


@dataclass(frozen=True)
class AudioFormat:
    channels: int
    sample_width: int  # bytes per sample
    frame_rate: int

    def describe(self) -> str:
        return f"{self.channels} channel(s), {8 * self.sample_width}-bit, {self.frame_rate} Hz"


@dataclass(frozen=True)
class RenderedAnnouncement:
    """One announcement as a complete WAV file in memory."""

    wav: bytes
    duration_ms: int


@dataclass(frozen=True)
class ComposedAnnouncement:
    """One announcement as raw PCM frames in the pack's format, with where its parts start.

    `starts_ms[i]` is where segment i of `compose()` starts; `word_ms` is where the first
    clip after the chime starts.
    """

    frames: bytes
    duration_ms: int
    word_ms: int
    starts_ms: tuple[int, ...]


def required_clip_names() -> list[str]:
    """Every clip a voice pack must hold: the chime, then the speech clips."""
    return [CHIME_CLIP, *(clip.name for clip in CLIPS)]


def _read_clip(path: Path) -> tuple[AudioFormat, bytes]:
    try:
        with wave.open(str(path), "rb") as reader:
            audio_format = AudioFormat(
                reader.getnchannels(), reader.getsampwidth(), reader.getframerate()
            )
            frames = reader.readframes(reader.getnframes())
    except FileNotFoundError:
        raise VoicePackError(f"voice pack clip {path} is missing") from None
    except (wave.Error, EOFError, OSError) as error:
        raise VoicePackError(
            f"voice pack clip {path} is not a readable PCM WAV file: {error}"
        ) from None
    frame_size = audio_format.channels * audio_format.sample_width
    if not frames:
        raise VoicePackError(f"voice pack clip {path} holds no sound")
    seconds = len(frames) / frame_size / audio_format.frame_rate
    if seconds > MAX_CLIP_SECONDS:
        raise VoicePackError(
            f"voice pack clip {path} is {seconds:.1f} s long; a clip is one word "
            f"(at most {MAX_CLIP_SECONDS:.0f} s)"
        )
    return audio_format, frames


class VoicePack:
    """The loaded clips of one voice pack folder, all in one audio format."""

    def __init__(self, directory: Path, audio_format: AudioFormat, clips: dict[str, bytes]):
        self.directory = directory
        self.audio_format = audio_format
        self._clips = clips

    @classmethod
    def load(cls, directory: str | Path | None = None) -> VoicePack:
        """Read and check every clip of the pack in `directory` (default: the shipped pack)."""
        folder = Path(DEFAULT_PACK_DIR if directory is None else directory)
        if not folder.is_dir():
            raise VoicePackError(f"voice pack folder {folder} does not exist")
        missing = [
            clip_file_name(name)
            for name in required_clip_names()
            if not (folder / clip_file_name(name)).is_file()
        ]
        if missing:
            raise VoicePackError(
                f"voice pack folder {folder} lacks {len(missing)} clip(s): {', '.join(missing)}"
            )
        clips: dict[str, bytes] = {}
        pack_format: AudioFormat | None = None
        first_file = ""
        for name in required_clip_names():
            path = folder / clip_file_name(name)
            audio_format, frames = _read_clip(path)
            if pack_format is None:
                pack_format, first_file = audio_format, path.name
            elif audio_format != pack_format:
                raise VoicePackError(
                    f"voice pack clip {path} is {audio_format.describe()}, but {first_file} is "
                    f"{pack_format.describe()}: every clip must have the same format "
                    "(convert with: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav)"
                )
            clips[name] = frames
        assert pack_format is not None  # required_clip_names() is never empty
        return cls(folder, pack_format, clips)

    def clip_frames(self, name: str) -> bytes:
        try:
            return self._clips[name]
        except KeyError:
            raise VoicePackError(f"voice pack {self.directory} has no clip {name!r}") from None

    def render(
        self,
        names: list[str],
        *,
        chime: bool,
        clip_gap_ms: int = DEFAULT_CLIP_GAP_MS,
        chime_gap_ms: int = DEFAULT_CHIME_GAP_MS,
    ) -> RenderedAnnouncement:
        """Join the clips `names` (after the chime when `chime`) into one WAV file."""
        parts: list[bytes] = []
        if chime:
            parts += [self.clip_frames(CHIME_CLIP), self._silence(chime_gap_ms)]
        gap = self._silence(clip_gap_ms)
        for index, name in enumerate(names):
            if index:
                parts.append(gap)
            parts.append(self.clip_frames(name))
        frames = b"".join(parts)
        output = io.BytesIO()
        with wave.open(output, "wb") as writer:
            writer.setnchannels(self.audio_format.channels)
            writer.setsampwidth(self.audio_format.sample_width)
            writer.setframerate(self.audio_format.frame_rate)
            writer.writeframes(frames)
        frame_count = len(frames) // (self.audio_format.channels * self.audio_format.sample_width)
        duration_ms = round(1000 * frame_count / self.audio_format.frame_rate)
        return RenderedAnnouncement(output.getvalue(), duration_ms)

    def wav(self, frames: bytes) -> bytes:
        """`frames` in this pack's format as a complete WAV file."""
        output = io.BytesIO()
        with wave.open(output, "wb") as writer:
            writer.setnchannels(self.audio_format.channels)
            writer.setsampwidth(self.audio_format.sample_width)
            writer.setframerate(self.audio_format.frame_rate)
            writer.writeframes(frames)
        return output.getvalue()

    @property
    def bytes_per_second(self) -> int:
        audio_format = self.audio_format
        return audio_format.frame_rate * audio_format.channels * audio_format.sample_width

    def compose(
        self,
        segments: list[str | int],
        *,
        chime: bool,
        clip_gap_ms: int = DEFAULT_CLIP_GAP_MS,
        chime_gap_ms: int = DEFAULT_CHIME_GAP_MS,
        chime_lead_ms: int = DEFAULT_CHIME_LEAD_MS,
    ) -> ComposedAnnouncement:
        """Join clip names and pauses (int, milliseconds) into PCM frames.

        Consecutive clips are `clip_gap_ms` apart; a pause replaces the clip gap. With
        `chime`, the chime comes first and the first clip starts `chime_gap_ms` after
        it, but never later than `chime_lead_ms` after the chime starts: the rest of a
        longer chime fades out under the words.
        """
        frame_size = self.audio_format.channels * self.audio_format.sample_width
        body = bytearray()
        starts: list[int] = []
        previous_was_clip = False
        for segment in segments:
            if isinstance(segment, int):
                body += self._silence(segment)
                starts.append(len(body))
                previous_was_clip = False
                continue
            if previous_was_clip:
                body += self._silence(clip_gap_ms)
            starts.append(len(body))
            body += self.clip_frames(segment)
            previous_was_clip = True
        lead = 0
        frames = bytes(body)
        if chime:
            chime_frames = self.clip_frames(CHIME_CLIP)
            natural = len(chime_frames) + len(self._silence(chime_gap_ms))
            lead = min(natural, len(self._silence(chime_lead_ms)))
            lead -= lead % frame_size
            frames = self._mix_under(chime_frames, lead, frames)
        to_ms = 1000 / self.bytes_per_second
        return ComposedAnnouncement(
            frames=frames,
            duration_ms=round(len(frames) * to_ms),
            word_ms=round(lead * to_ms),
            starts_ms=tuple(round((lead + start) * to_ms) for start in starts),
        )

    def _mix_under(self, chime: bytes, lead: int, speech: bytes) -> bytes:
        """`chime`, then `speech` from byte `lead` on; chime past `lead` fades out beneath."""
        if len(chime) <= lead:
            return chime + self._silent_bytes(lead - len(chime)) + speech
        if self.audio_format.sample_width != 2 or sys.byteorder != "little":
            return chime[:lead] + speech  # cut short: other formats are not mixed
        tail = array.array("h", chime[lead:])
        words = array.array("h", speech)
        channels = self.audio_format.channels
        fade = max(1, self.audio_format.frame_rate * CHIME_FADE_MS // 1000) * channels
        for index in range(min(len(tail), len(words), fade)):
            mixed = words[index] + round(tail[index] * (1.0 - index / fade))
            words[index] = max(-32768, min(32767, mixed))
        return chime[:lead] + words.tobytes()

    def _silent_bytes(self, count: int) -> bytes:
        # 8-bit WAV samples are unsigned: silence is the midpoint 0x80, not zero.
        return (b"\x80" if self.audio_format.sample_width == 1 else b"\x00") * count

    def _silence(self, milliseconds: int) -> bytes:
        audio_format = self.audio_format
        frame_count = audio_format.frame_rate * max(0, milliseconds) // 1000
        # 8-bit WAV samples are unsigned: silence is the midpoint 0x80, not zero.
        silent_sample = (
            b"\x80" if audio_format.sample_width == 1 else bytes(audio_format.sample_width)
        )
        return silent_sample * (audio_format.channels * frame_count)
