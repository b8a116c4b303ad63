"""The recording analysis of bench/hearing.py tells a whole announcement from a cut-off one.

No sound server: the "recording" is the announcement's own audio placed in silence, as
the null sink's monitor would hold it.
"""

from __future__ import annotations

import array

from bench.hearing import hear
from bench.pulse import RATE, Recorder
from display_board.voice.pack import DEFAULT_CALL_GAP_MS, VoicePack
from display_board.voice.text import announcement_segments, call_segment_indexes

CALLS = [("A017", 3), ("B002", 5)]


class FakeRecording(Recorder):
    """A finished recording: `samples` with sample 0 played at monotonic time 100.0."""

    def __init__(self, samples: array.array[int]) -> None:
        self._offset = 100.0
        self._samples = samples

    def samples(self) -> array.array[int]:
        return self._samples


def recording(keep_ms: int | None = None, at_s: float = 2.0037) -> tuple[FakeRecording, dict]:
    pack = VoicePack.load()
    composed = pack.compose(announcement_segments(CALLS, DEFAULT_CALL_GAP_MS), chime=True)
    frames = composed.frames
    if keep_ms is not None:
        frames = frames[: keep_ms * RATE // 1000 * 2]
    sound = array.array("h")
    sound.frombytes(frames)
    silence = array.array("h", bytes(2 * int(at_s * RATE)))
    samples = silence + sound + array.array("h", bytes(2 * 3 * RATE))
    indexes = call_segment_indexes(CALLS)
    entry = {
        "calls": [{"number": n, "counter": c, "recall": False} for n, c in CALLS],
        "chime": True,
        "started": 100.0 + at_s - 0.03,  # the board starts it a little before it sounds
        "plan": {
            "duration_ms": composed.duration_ms,
            "word_ms": composed.word_ms,
            "call_ms": [composed.starts_ms[i] for i in indexes],
        },
    }
    return FakeRecording(samples), entry


def test_a_whole_announcement_is_found_to_the_millisecond():
    recorder, entry = recording()
    (heard,) = hear(recorder, [entry])
    assert heard.complete and heard.match > 0.99
    assert abs(heard.sound_start - 102.0037) < 0.002
    assert heard.calls == ["A017@3", "B002@5"]
    assert heard.call_starts["B002@5"] - heard.call_starts["A017@3"] > 3.0


def test_an_announcement_cut_off_mid_sentence_is_reported():
    recorder, entry = recording(keep_ms=entry_length_ms() - 1500)
    (heard,) = hear(recorder, [entry])
    assert not heard.complete


def entry_length_ms() -> int:
    return recording()[1]["plan"]["duration_ms"]


def test_a_short_dropout_is_not_a_cut_off_but_is_told_apart():
    recorder, entry = recording()
    samples = recorder.samples()
    start = int(2.0037 * RATE) + int(1.5 * RATE)  # 80 ms of silence 1.5 s in
    recorder = FakeRecording(
        samples[:start] + array.array("h", bytes(2 * RATE * 80 // 1000)) + samples[start:]
    )
    (heard,) = hear(recorder, [entry])
    assert heard.complete and heard.match < 0.98
