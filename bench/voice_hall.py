"""A hall whose board speaks into the bench's sound server, and counters that make its calls.

The voice is measured end to end, so every part is the real one: a real `queue-hall serve`,
the real `display-board --voice clips` (offscreen Qt, asked through its automation commands
what it is saying) and blocking counter clients; each call's time is when `call_next` was
answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.crashloop import free_port, start_server
from bench.pulse import RATE, PulseServer, Recorder, onsets_after


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
    holding: set[int] = field(default_factory=set)  # counters serving a ticket they called
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
        if counter in self.holding:
            client.call("start")
            client.call("finish")
        ticket = client.call("call_next", req=uuid.uuid4().hex)["ticket"]
        answered = time.monotonic()
        self.holding.add(counter)
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
