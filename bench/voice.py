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

Used by `make bench` (python -m bench.voice prints one JSON line) and by the tests in
tests/display_board/test_voice_pulse.py.
"""

from __future__ import annotations

import argparse
import array
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.crashloop import free_port, start_server

RATE = 16000  # the recording's sample rate (mono, 16-bit)
WINDOW = RATE // 100  # 10 ms loudness windows
# A 10 ms window louder than this (RMS of 16-bit samples) is sound; the null sink's
# silence is exactly zero, the quietest clip window of the shipped pack is far above.
SOUND_RMS = 200
PROGRAMS = ("pulseaudio", "parec", "pactl")


def missing_programs() -> list[str]:
    """The sound-server programs this machine lacks (apt: pulseaudio pulseaudio-utils)."""
    return [name for name in PROGRAMS if shutil.which(name) is None]


class PulseServer:
    """A private PulseAudio daemon with one null sink, `hall`, reachable at `self.address`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.address = f"unix:{folder / 'native'}"
        self._proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PULSE_SERVER": self.address,
            "PULSE_SINK": "hall",
            "HOME": str(self.folder),
            "XDG_RUNTIME_DIR": str(self.folder),
        }

    def start(self) -> PulseServer:
        log = open(self.folder / "pulseaudio.log", "wb")  # noqa: SIM115 - the child owns it
        self._proc = subprocess.Popen(
            [
                "pulseaudio",
                "-n",  # no default.pa: only the modules below
                "--daemonize=no",
                "--use-pid-file=no",
                "--exit-idle-time=-1",
                "--system=false",
                "--disallow-exit",
                "--log-target=stderr",
                "-L",
                "module-null-sink sink_name=hall rate=48000 channels=2",
                "-L",
                f"module-native-protocol-unix socket={self.folder / 'native'} auth-anonymous=1",
            ],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            probe = subprocess.run(
                ["pactl", "info"], env=self.env(), capture_output=True, text=True, check=False
            )
            if probe.returncode == 0:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            "PulseAudio did not start: "
            + (self.folder / "pulseaudio.log").read_text(errors="replace")[-1500:]
        )

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(10)


class Recorder:
    """`parec` on the null sink's monitor; samples with their CLOCK_MONOTONIC times."""

    def __init__(self, server: PulseServer) -> None:
        self.server = server
        self._data = bytearray()
        self._offset = float("inf")  # monotonic time of sample 0 (earliest bound)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Recorder:
        self._proc = subprocess.Popen(
            [
                "parec",
                "--device=hall.monitor",
                "--raw",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--latency-msec=10",
                "--process-time-msec=5",
            ],
            env=self.server.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._thread = threading.Thread(target=self._read, name="parec", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while self.samples_recorded() < RATE // 5:  # 200 ms of stream: it runs
            if time.monotonic() > deadline:
                raise RuntimeError("parec recorded nothing within 10 s")
            time.sleep(0.02)
        return self

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        stream = self._proc.stdout
        while True:
            chunk = os.read(stream.fileno(), 4096)
            now = time.monotonic()
            if not chunk:
                return
            with self._lock:
                self._data += chunk
                samples = len(self._data) // 2
                # The chunk's last sample was played no later than now.
                self._offset = min(self._offset, now - samples / RATE)

    def samples_recorded(self) -> int:
        with self._lock:
            return len(self._data) // 2

    def now_index(self) -> int:
        return self.samples_recorded()

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(10)
        if self._thread is not None:
            self._thread.join(5)

    def samples(self) -> array.array[int]:
        with self._lock:
            data = bytes(self._data[: len(self._data) // 2 * 2])
        samples = array.array("h")
        samples.frombytes(data)
        if sys.byteorder != "little":
            samples.byteswap()
        return samples

    def time_of(self, index: int) -> float:
        return self._offset + index / RATE

    def index_of(self, moment: float) -> int:
        return max(0, round((moment - self._offset) * RATE))


def loudness(samples: array.array[int] | bytes, rate: int = RATE) -> list[float]:
    """RMS of each 10 ms window (16-bit mono samples at `rate`)."""
    if isinstance(samples, bytes | bytearray):
        values = array.array("h")
        values.frombytes(bytes(samples))
        samples = values
    window = rate // 100
    out = []
    for start in range(0, len(samples) - window + 1, window):
        chunk = samples[start : start + window]
        out.append((sum(v * v for v in chunk) / window) ** 0.5)
    return out


def sound_windows(envelope: list[float]) -> list[bool]:
    return [value >= SOUND_RMS for value in envelope]


def _correlation(a: list[float], b: list[float]) -> float:
    n = len(a)
    mean_a, mean_b = sum(a) / n, sum(b) / n
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    var_a = sum((x - mean_a) ** 2 for x in a)
    var_b = sum((y - mean_b) ** 2 for y in b)
    if var_a <= 0 or var_b <= 0:
        return 0.0
    return float(cov / (var_a * var_b) ** 0.5)


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


@dataclass
class Hall:
    """A real server, a real board on the sound server, and counters that call."""

    folder: Path
    pulse: PulseServer
    counters: int = 6
    announce_times: int = 2
    voice: str = "clips"
    extra_env: dict[str, str] = field(default_factory=dict)
    board: subprocess.Popen[str] | None = None
    server: subprocess.Popen[bytes] | None = None
    clients: dict[int, Any] = field(default_factory=dict)
    port: int = 0

    def config(self) -> Path:
        path = self.folder / "hall.toml"
        clerks = "".join(
            f'\n[[clerks]]\nid = "v{n:02d}"\nname = "柜员{n:02d}"\npin = "2468"\n'
            for n in range(1, self.counters + 1)
        )
        path.write_text(
            '[hall]\nname = "语音测试大厅"\n\n[announce]\n'
            f"times = {self.announce_times}\n"
            # The calls are paced by the measurement itself; its one kiosk issues the
            # day's tickets at once, before the board starts.
            "\n[calls]\nmin_gap_s = 0\n"
            "\n[kiosk]\nissue_burst = 1000\nissues_per_minute = 1000\n" + clerks,
            encoding="utf-8",
        )
        return path

    def start(self, tickets: int) -> Hall:
        from shared.client.connection import BlockingHallClient

        config = self.config()
        self.port = free_port()
        self.server = start_server(self.folder / "hall.db", self.port, config)
        kiosk = BlockingHallClient("127.0.0.1", self.port, "kiosk", "voice-kiosk")
        services = [
            s["code"] for s in kiosk.call("catalog")["services"] if s.get("daily_limit") is None
        ]
        for i in range(tickets):
            ticket = kiosk.call("issue", service=services[i % len(services)], req=f"v{i}")["ticket"]
            kiosk.call("printed", ticket=ticket["id"])
            kiosk.events.clear()
        kiosk.close()
        for n in range(1, self.counters + 1):
            client = BlockingHallClient("127.0.0.1", self.port, "counter", f"voice-{n}", counter=n)
            client.call("login", clerk=f"v{n:02d}", pin="2468")
            self.clients[n] = client
        env = {
            **self.pulse.env(),
            "QT_QPA_PLATFORM": "offscreen",
            "QUEUE_HALL_AUTOMATION": "1",
            **self.extra_env,
        }
        env.pop("QUEUE_HALL_KEY", None)
        self.board = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "display_board.app",
                "--server",
                f"127.0.0.1:{self.port}",
                "--config",
                str(config),
                "--voice",
                self.voice,
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(self.folder / "board.log", "w"),  # noqa: SIM115 - the child owns it
            text=True,
        )
        deadline = time.monotonic() + 30
        while not (self.ask("state") or {}).get("online"):
            if time.monotonic() > deadline or self.board.poll() is not None:
                raise RuntimeError("board did not come online: " + self.board_log()[-2000:])
            time.sleep(0.2)
        return self

    def board_log(self) -> str:
        return (self.folder / "board.log").read_text(errors="replace")

    def ask(self, command: str) -> Any:
        assert self.board is not None and self.board.stdin and self.board.stdout
        self.board.stdin.write(command + "\n")
        self.board.stdin.flush()
        answer = json.loads(self.board.stdout.readline())
        if not answer.get("ok"):
            raise RuntimeError(f"board refused {command!r}: {answer.get('error')}")
        return answer["result"]

    def voice_state(self) -> dict[str, Any] | None:
        """The board's `voice` automation answer; None from a board that has no such command."""
        try:
            return dict(self.ask("voice"))
        except RuntimeError:
            return None

    def call(self, counter: int) -> tuple[str, float]:
        """`call_next` at `counter` (finishing its previous ticket); (number, answered at)."""
        client = self.clients[counter]
        if client.__dict__.get("_holding"):
            client.call("start")
            client.call("finish")
        ticket = client.call("call_next", req=uuid.uuid4().hex)["ticket"]
        answered = time.monotonic()
        client._holding = True
        client.events.clear()
        return ticket["number"], answered

    def stop(self) -> None:
        for client in self.clients.values():
            try:
                client.close()
            except OSError:
                pass
        if self.board is not None and self.board.poll() is None:
            self.board.terminate()
            try:
                self.board.wait(10)
            except subprocess.TimeoutExpired:
                self.board.kill()
                self.board.wait(10)
        if self.server is not None:
            self.server.terminate()
            self.server.wait(30)


@contextmanager
def sound_hall(
    counters: int = 6, tickets: int = 40, announce_times: int = 2, voice: str = "clips"
) -> Iterator[tuple[Hall, Recorder]]:
    """A private sound server, its recorder, and a hall whose board speaks into it."""
    with tempfile.TemporaryDirectory(prefix="hall-voice-") as tmp:
        folder = Path(tmp)
        pulse = PulseServer(folder / "pulse").start()
        recorder: Recorder | None = None
        hall = Hall(folder, pulse, counters=counters, announce_times=announce_times, voice=voice)
        try:
            recorder = Recorder(pulse).start()
            hall.start(tickets)
            yield hall, recorder
        finally:
            hall.stop()
            if recorder is not None:
                recorder.stop()
            pulse.stop()


def onsets_after(
    recorder: Recorder, moment: float, seconds: float, min_gap_ms: int = 0
) -> list[tuple[float, float]]:
    """Sound segments (start, end monotonic times) recorded from `moment` on."""
    samples = recorder.samples()
    first = recorder.index_of(moment)
    last = min(len(samples), first + int(seconds * RATE))
    envelope = loudness(samples[first:last])
    loud = sound_windows(envelope)
    segments: list[tuple[float, float]] = []
    start = None
    quiet = 0
    for index, on in enumerate(loud):
        if on:
            if start is None:
                start = index
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet * 10 > min_gap_ms:
                segments.append((start, index - quiet + 1))
                start, quiet = None, 0
    if start is not None:
        segments.append((start, len(loud) - quiet))
    to_time = recorder.time_of
    return [(to_time(first + a * WINDOW), to_time(first + b * WINDOW)) for a, b in segments]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


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
                _correlation(envelope[index + shift : index + shift + span], chime[:span])
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
            value = _correlation(envelope[shift : shift + len(expected)], expected)
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
                value = _correlation(nudged, expected)
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
                _correlation(around[shift : shift + len(expected) - tail], expected[tail:])
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


def wait_until_quiet(
    hall: Hall, recorder: Recorder, since: float, limit_s: float, expect_sound: bool = True
) -> None:
    """Until the board says nothing more is waiting and the speaker is silent a second
    (with `expect_sound`, after something was heard since `since`)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        time.sleep(0.5)
        voice = hall.voice_state()
        if voice is not None and (voice["speaking"] or voice["waiting"]):
            continue
        segments = onsets_after(recorder, since, 3600)
        if not segments:
            if expect_sound and voice is None:
                continue  # a board that cannot tell: wait for its sound
            return
        if time.monotonic() - segments[-1][1] > 1.0:
            return
    raise RuntimeError(f"the board was still speaking {limit_s:.0f} s after the last call")


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


def save_recording(recorder: Recorder, hall: Hall, folder: Path) -> Path:
    """The recording (WAV), the board's history and its log, to look at after a failure."""
    import wave

    folder.mkdir(parents=True, exist_ok=True)
    with wave.open(str(folder / "recording.wav"), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(recorder.samples().tobytes())
    state = hall.voice_state() or {}
    (folder / "history.json").write_text(
        json.dumps({"sample_0_at": recorder.time_of(0), **state}, indent=1), encoding="utf-8"
    )
    (folder / "board.log").write_text(hall.board_log(), encoding="utf-8")
    return folder


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
        "voice_peak_p50_wait_s": round(percentile(waits, 0.5), 2) if waits else None,
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
        out[f"voice_idle_{name}_p50_s"] = round(percentile(values, 0.5), 3)
        out[f"voice_idle_{name}_p99_s"] = round(percentile(values, 0.99), 3)
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
