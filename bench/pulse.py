"""The hall's speakers on a bench: a private PulseAudio with one null sink, and a recorder of it.

Measuring what a resident hears needs sound that really went through a sound server, with
the time each sample was played. A private PulseAudio server (its own socket and runtime
folder, a null sink "hall") takes the place of the hall's speakers; `parec` records the
sink's monitor, and every recorded sample gets the CLOCK_MONOTONIC time it was played (the
reader thread stamps each chunk as it arrives; the earliest stamp bounds the stream's
offset). Recordings are compared as loudness envelopes: the RMS of each 10 ms window.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

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


def correlation(a: list[float], b: list[float]) -> float:
    n = len(a)
    mean_a, mean_b = sum(a) / n, sum(b) / n
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    var_a = sum((x - mean_a) ** 2 for x in a)
    var_b = sum((y - mean_b) ** 2 for y in b)
    if var_a <= 0 or var_b <= 0:
        return 0.0
    return float(cov / (var_a * var_b) ** 0.5)


def onsets_after(
    recorder: Recorder, moment: float, seconds: float, min_gap_ms: int = 0
) -> list[tuple[float, float]]:
    """Sound segments (start, end monotonic times) recorded from `moment` on."""
    samples = recorder.samples()
    first = recorder.index_of(moment)
    last = min(len(samples), first + int(seconds * RATE))
    envelope = loudness(samples[first:last])
    loud = sound_windows(envelope)
    segments: list[tuple[int, int]] = []  # in 10 ms windows
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
