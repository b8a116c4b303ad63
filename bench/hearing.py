"""What was heard: each announcement the board says it played, found in the recording.

The figures must be what was heard, not what the board meant to play. Each announcement
is found by matching the loudness envelope of the audio the board says it played (the
`voice` automation command lists it) against the recording: when the sound started, when
the first word started, that it played to its end (not cut off), and which calls it said.
The pack's chime is found in the recording the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.pulse import (
    RATE,
    SOUND_RMS,
    WINDOW,
    Recorder,
    correlation,
    loudness,
    onsets_after,
    sound_windows,
)


@dataclass
class Heard:
    """One announcement found in the recording."""

    calls: list[str]  # "A017@3" for each call it says
    planned_start: float  # monotonic time the board started it
    sound_start: float  # first window above SOUND_RMS, from the recording
    word_start: float  # first sound of the first spoken word
    call_starts: dict[str, float]  # when each call's ticket number starts to be heard
    end: float
    match: float  # envelope correlation over the whole announcement (1.0 = identical)
    complete: bool  # the recording holds the whole announcement, not cut off
    tail_match: float = 0.0  # envelope correlation of its last second


CHIME_MATCH = 0.9  # envelope correlation above which a recorded sound is the pack's chime


def chime_envelope() -> list[float]:
    """The loudness envelope of the shipped chime, cut where it falls silent."""
    import wave

    from display_board.voice.pack import DEFAULT_PACK_DIR

    with wave.open(str(Path(DEFAULT_PACK_DIR) / "chime.wav"), "rb") as reader:
        assert reader.getframerate() == RATE and reader.getnchannels() == 1
        envelope = loudness(reader.readframes(reader.getnframes()))
    loud = sound_windows(envelope)
    last = max(index for index, on in enumerate(loud) if on)
    return envelope[: last + 1]


def chime_starts(recorder: Recorder, begin: float, end: float) -> list[float]:
    """When the chime started to sound, each time it did between `begin` and `end`."""
    chime = chime_envelope()
    samples = recorder.samples()
    first = recorder.index_of(begin)
    last = min(len(samples), recorder.index_of(end) + len(chime) * WINDOW)
    envelope = loudness(samples[first:last])
    starts: list[float] = []
    index = 0
    while index + len(chime) <= len(envelope):
        if envelope[index] >= SOUND_RMS and (index == 0 or envelope[index - 1] < SOUND_RMS):
            # A sound begins here; the chime if its first second matches the chime's.
            span = min(len(chime), 100)
            best = max(
                correlation(envelope[index + shift : index + shift + span], chime[:span])
                for shift in (-1, 0, 1)
                if index + shift >= 0
            )
            if best >= CHIME_MATCH:
                starts.append(recorder.time_of(first + index * WINDOW))
                index += len(chime)
                continue
        index += 1
    return starts


def first_word_after_chime(recorder: Recorder, chime_start: float) -> float | None:
    """The first sound after the chime (whose length the pack gives) has died away."""
    chime_s = len(chime_envelope()) / 100
    for start, _end in onsets_after(recorder, chime_start + chime_s + 0.02, 10.0):
        return start
    return None


def expected_envelope(entry: dict[str, Any]) -> list[float]:
    """The loudness envelope of what the board said it played for one history entry."""
    from display_board.voice.pack import VoicePack
    from display_board.voice.text import announcement_segments

    pack = _pack_cache.get("pack") or _pack_cache.setdefault("pack", VoicePack.load())
    calls = [(call["number"], call["counter"]) for call in entry["calls"]]
    from display_board.voice.pack import DEFAULT_CALL_GAP_MS

    composed = pack.compose(announcement_segments(calls, DEFAULT_CALL_GAP_MS), chime=entry["chime"])
    return loudness(composed.frames)


_pack_cache: dict[str, Any] = {}
# Envelope correlation over the whole announcement for "every word of it was heard": a
# dropout of a few tens of milliseconds (a busy PC) stays above it, a missing word does not.
MATCH = 0.85
TAIL_MATCH = 0.9  # its last second, for "it played to its end"
TAIL_SOUNDING = 0.8  # or this share of its last second's sound (dropouts inside it)
CLEAN = 0.98  # above this, the announcement played without any dropout


def hear(recorder: Recorder, history: list[dict[str, Any]]) -> list[Heard]:
    """Find each announcement of the board's history in the recording."""
    samples = recorder.samples()
    heard = []
    for entry in history:
        plan = entry.get("plan")
        if plan is None:
            continue
        expected = expected_envelope(entry)
        first = recorder.index_of(entry["started"]) - 20 * WINDOW  # 200 ms before
        first = max(0, first)
        envelope = loudness(samples[first : first + (len(expected) + 100) * WINDOW])
        best, score = -1, -1.0
        best_start: int | None = None
        for shift in range(0, min(80, len(envelope) - len(expected) + 1)):
            value = correlation(envelope[shift : shift + len(expected)], expected)
            if value > score:
                best, score = shift, value
        if best < 0:  # the recording stops before the announcement's end: cut off
            heard.append(Heard(_call_names(entry), entry["started"], 0.0, 0.0, {}, 0.0, 0.0, False))
            continue
        # Refine to the sample: 10 ms windows straddling the clips' edges blur the envelope.
        start = first + best * WINDOW
        for nudge in range(-WINDOW // 2, WINDOW // 2 + 1, WINDOW // 10):
            candidate = start + nudge
            if candidate < 0:
                continue
            nudged = loudness(samples[candidate : candidate + len(expected) * WINDOW])
            if len(nudged) == len(expected):
                value = correlation(nudged, expected)
                if value > score:
                    best_start, score = candidate, value
        if best_start is None:
            best_start = start
        begin = recorder.time_of(best_start)
        # Its last second, looked for on its own (a short dropout earlier shifts it a bit):
        # found, the announcement played to its end; missing, it was cut off.
        tail = max(1, len(expected) - 100)
        tail_from = best_start + (tail - 30) * WINDOW
        around = loudness(samples[tail_from : tail_from + (len(expected) - tail + 60) * WINDOW])
        shifts = range(0, max(0, len(around) - (len(expected) - tail)) + 1)
        tail_score = max(
            (
                correlation(around[shift : shift + len(expected) - tail], expected[tail:])
                for shift in shifts
            ),
            default=0.0,
        )
        # A dropout inside the last second spoils its shape but not its sound: how much of
        # what should sound there does.
        loud = [index for index, value in enumerate(expected[tail:]) if value >= SOUND_RMS]
        tail_sounding = max(
            (
                sum(1 for i in loud if shift + i < len(around) and around[shift + i] >= SOUND_RMS)
                / max(1, len(loud))
                for shift in shifts
            ),
            default=0.0,
        )
        heard.append(
            Heard(
                calls=_call_names(entry),
                planned_start=entry["started"],
                sound_start=begin,
                word_start=begin + plan["word_ms"] / 1000,
                call_starts={
                    name: begin + offset / 1000
                    for name, offset in zip(_call_names(entry), plan["call_ms"], strict=True)
                },
                end=begin + len(expected) / 100,
                match=round(score, 3),
                complete=score >= MATCH
                and (tail_score >= TAIL_MATCH or tail_sounding >= TAIL_SOUNDING),
                tail_match=round(tail_score, 3),
            )
        )
    return heard


def _call_names(entry: dict[str, Any]) -> list[str]:
    return [f"{call['number']}@{call['counter']}" for call in entry["calls"]]
