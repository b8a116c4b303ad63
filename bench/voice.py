"""What a resident hears: the real board announcing calls into a PulseAudio null sink.

A private PulseAudio server (its own socket and runtime folder, a null sink "hall") takes
the place of the hall's speakers; `parec` records the sink's monitor, and every recorded
sample gets the CLOCK_MONOTONIC time it was played (the reader thread stamps each chunk as
it arrives; the earliest stamp bounds the stream's offset). A real `queue-hall serve`, the
real `display-board --voice clips` (offscreen Qt) and blocking counter clients make the
calls; each call's time is when `call_next` was answered.

From the recording: each announcement is found by matching the loudness envelope of the
audio the board says it played (the `voice` automation command lists it) against the
recording, so the figures are what was heard: when the sound started, when the first
word started, that it played to its end (not cut off), and which calls it said.

The parts: bench/pulse.py (the sound server and its recorder), bench/voice_hall.py (the
hall, its board and counters), bench/hearing.py (finding the announcements in the
recording); this module runs the measurements and prints the figures.

Used by `make bench` (python -m bench.voice prints one JSON line) and by the tests in
tests/display_board/test_voice_pulse.py.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bench.hearing import CLEAN, Heard, chime_starts, first_word_after_chime, hear
from bench.load import percentile
from bench.pulse import Recorder, missing_programs
from bench.voice_hall import Hall, sound_hall, wait_until_quiet


@dataclass
class PeakResult:
    calls: list[tuple[str, float]]  # "A017@3", answered at
    heard: list[Heard]
    waits: dict[str, float]  # call -> seconds from call to its ticket number being heard
    announcement_waits: dict[str, float]  # call -> seconds from call to its announcement's sound
    unheard: list[str]  # calls never heard complete
    cut_off: list[Heard]
    backlog: list[int]  # calls waiting to be said, sampled after each call
    dropped_repeats: int
    drain_s: float  # from the last call to the end of the last announcement

    @property
    def dropouts(self) -> int:
        """Announcements heard in full but with a short gap somewhere (match below CLEAN)."""
        return sum(1 for item in self.heard if item.complete and item.match < CLEAN)


def run_peak(
    hall: Hall,
    recorder: Recorder,
    seconds: float,
    interval_s: float,
    recall_every: int = 0,
    drain_limit_s: float = 120,
) -> PeakResult:
    """Calls every `interval_s` seconds, counters in turn, for `seconds`; what was heard.

    With `recall_every` N, every Nth call is a recall (重呼) of the ticket the previous
    counter holds instead of a new call.
    """
    calls: list[tuple[str, float]] = []
    backlog: list[int] = []
    start = time.monotonic() + 0.5
    index = 0
    while index * interval_s < seconds:
        time.sleep(max(0.0, start + index * interval_s - time.monotonic()))
        if recall_every and index % recall_every == recall_every - 1 and calls:
            name = calls[-1][0]
            counter = int(name.split("@")[1])
            hall.clients[counter].call("recall", req=uuid.uuid4().hex)
            answered = time.monotonic()
            hall.clients[counter].events.clear()
            calls.append((name, answered))
        else:
            counter = index % hall.counters + 1
            number, answered = hall.call(counter)
            calls.append((f"{number}@{counter}", answered))
        backlog.append(len(hall.ask("voice")["waiting"]))
        index += 1
    wait_until_quiet(hall, recorder, calls[-1][1], drain_limit_s)
    voice = hall.ask("voice")
    heard = hear(recorder, voice["history"])
    waits: dict[str, float] = {}
    announcement_waits: dict[str, float] = {}
    unheard = []
    for position, (name, answered) in enumerate(calls):
        key = f"{name}#{position}"
        for item in heard:
            begin = item.call_starts.get(name)
            if item.complete and begin is not None and item.planned_start >= answered - 0.05:
                waits[key] = round(begin - answered, 3)
                announcement_waits[key] = round(item.sound_start - answered, 3)
                break
        else:
            unheard.append(key)
    last_end = max((item.end for item in heard if item.complete), default=calls[-1][1])
    return PeakResult(
        calls=calls,
        heard=heard,
        waits=waits,
        announcement_waits=announcement_waits,
        unheard=unheard,
        cut_off=[item for item in heard if not item.complete],
        backlog=backlog,
        dropped_repeats=voice.get("dropped_repeats", 0),
        drain_s=round(last_end - calls[-1][1], 2),
    )


def measure_peak(seconds: float, interval_s: float, counters: int = 6) -> dict[str, Any]:
    """The peak: a call every `interval_s` (5 s = 12 a minute) from `counters` counters."""
    tickets = int(seconds / interval_s) + 5
    with sound_hall(counters=counters, tickets=tickets) as (hall, recorder):
        result = run_peak(hall, recorder, seconds, interval_s)
    waits = sorted(result.waits.values())
    return {
        "voice_peak_calls": len(result.calls),
        "voice_peak_calls_per_min": round(60 / interval_s, 1),
        "voice_peak_worst_wait_s": round(max(waits), 2) if waits else None,
        "voice_peak_p50_wait_s": round(percentile(waits, 50), 2) if waits else None,
        "voice_peak_worst_announcement_wait_s": round(max(result.announcement_waits.values()), 2)
        if waits
        else None,
        "voice_peak_max_backlog": max(result.backlog),
        "voice_peak_unheard": len(result.unheard),
        "voice_peak_cut_off": len(result.cut_off),
        "voice_peak_with_dropout": result.dropouts,
        "voice_peak_announcements": len(result.heard),
        "voice_peak_dropped_repeats": result.dropped_repeats,
        "voice_peak_drain_s": result.drain_s,
    }


def idle_calls(
    hall: Hall, recorder: Recorder, calls: int, counter: int = 1
) -> list[dict[str, float]]:
    """Calls made with the speaker idle; from the recording: call -> chime and -> first word."""
    out = []
    for _ in range(calls):
        wait_until_quiet(hall, recorder, time.monotonic(), 60, expect_sound=False)
        _number, answered = hall.call(counter)
        wait_until_quiet(hall, recorder, answered, 60)
        starts = chime_starts(recorder, answered, answered + 10)
        if not starts:
            raise RuntimeError("no chime heard after a call: " + hall.board_log()[-1500:])
        word = first_word_after_chime(recorder, starts[0])
        history = (hall.voice_state() or {"history": []})["history"]
        began = [entry["started"] for entry in history if entry["started"] >= answered - 0.05]
        out.append(
            {
                # The segments: call answered -> the board starts the announcement -> sound.
                "board_start_s": round(began[0] - answered, 3) if began else float("nan"),
                "first_sound_s": round(starts[0] - answered, 3),
                "first_word_s": round(word - answered, 3) if word is not None else float("inf"),
            }
        )
    return out


def measure_idle(calls: int, voice: str = "clips") -> dict[str, Any]:
    """Idle calls (said once each, so the next call finds the speaker idle sooner)."""
    with sound_hall(counters=1, tickets=calls + 2, announce_times=1, voice=voice) as (
        hall,
        recorder,
    ):
        measured = idle_calls(hall, recorder, calls)
    out: dict[str, Any] = {"voice_idle_calls": calls}
    for name in ("board_start", "first_sound", "first_word"):
        values = [m[f"{name}_s"] for m in measured]
        out[f"voice_idle_{name}_p50_s"] = round(percentile(values, 50), 3)
        out[f"voice_idle_{name}_p99_s"] = round(percentile(values, 99), 3)
    return out


def simulate_peak(
    minutes: float, interval_s: float, counters: int, latency_s: float = 0.05
) -> dict[str, float]:
    """The announcer's rule on a long peak, timed with the real clip lengths (no sound).

    Calls every `interval_s` to counters chosen at random (two-digit counter numbers take
    longer to say); each announcement lasts what the pack composes, starts `latency_s`
    after the speaker is free, with the announcer's pauses.
    """
    import random

    from display_board.voice.announcer import DEFAULT_BUSY_GAP_MS, DEFAULT_GAP_MS
    from display_board.voice.pack import DEFAULT_CALL_GAP_MS, VoicePack
    from display_board.voice.queue import AnnouncementQueue
    from display_board.voice.text import announcement_segments, call_segment_indexes

    pack = VoicePack.load()
    queue = AnnouncementQueue()
    chooser = random.Random(15)
    arrivals = [index * interval_s for index in range(int(minutes * 60 / interval_s))]
    made: dict[int, float] = {}
    waits: dict[int, float] = {}
    free_at, index, last_end = 0.0, 0, 0.0
    while index < len(arrivals) or len(queue):
        next_call = arrivals[index] if index < len(arrivals) else float("inf")
        if len(queue) and free_at <= next_call:
            announcement = queue.pop()
            assert announcement is not None
            calls = [(call.number, call.counter) for call in announcement.calls]
            composed = pack.compose(
                announcement_segments(calls, DEFAULT_CALL_GAP_MS), chime=announcement.chime
            )
            begin = free_at + latency_s
            for call, segment in zip(announcement.calls, call_segment_indexes(calls), strict=True):
                waits.setdefault(
                    call.call_id, begin + composed.starts_ms[segment] / 1000 - made[call.call_id]
                )
            last_end = begin + composed.duration_ms / 1000
            gap = DEFAULT_BUSY_GAP_MS if queue.has_unheard() else DEFAULT_GAP_MS
            free_at = last_end + gap / 1000
        else:
            call = queue.push_call(f"A{index + 1:03d}", chooser.randint(1, counters))
            made.setdefault(call.call_id, next_call)
            free_at = max(free_at, next_call)
            index += 1
    return {
        "worst_wait_s": round(max(waits.values()), 2),
        "drain_s": round(last_end - arrivals[-1], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-calls", type=int, default=20)
    parser.add_argument("--peak-s", type=float, default=120.0)
    parser.add_argument("--peak-interval-s", type=float, default=5.0)
    args = parser.parse_args(argv)
    missing = missing_programs()
    if missing:
        print(json.dumps({"voice_error": f"not measured: {', '.join(missing)} not installed"}))
        return 0
    figures: dict[str, Any] = {}
    figures.update(measure_idle(args.idle_calls))
    figures.update(measure_peak(args.peak_s, args.peak_interval_s))
    simulated = simulate_peak(10, args.peak_interval_s, 24)
    figures["voice_peak_10min_simulated_worst_wait_s"] = simulated["worst_wait_s"]
    figures["voice_peak_10min_simulated_drain_s"] = simulated["drain_s"]
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
