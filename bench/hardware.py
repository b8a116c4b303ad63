"""Keypads and LED screens through the hardware bridge: key press -> ticket_called, and
ticket_called -> the LED screen's bytes, with 24 keypads and 25 screens on simulated buses.

`python -m bench.hardware [--rounds N]` prints one JSON object. The bridge runs as its own
process (`queue-hall hardware`) against a real server process; keypads and screens are
pty pairs in this process (POSIX only). A pty passes bytes at once: on a real 9,600 baud
line add about 1 ms per byte (an 11-byte key frame 11.5 ms, a window screen frame ~10 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.crashloop import free_port, start_server
from bench.load import summary_ms as summary
from hall_hardware.drivers import Key
from hall_hardware.sim import FakeKeypad, FakeScreen, SimBus
from shared.client.connection import BlockingHallClient

COUNTERS = 24
DIRECT_COUNTER = 25  # a counter client without a keypad, for the baseline
PACE_S = 0.15  # a call somewhere in the hall every 150 ms: ~20 times a busy hall's peak
LINES = 4  # RS-485 lines, six counters each
PIN = "2468"


def write_hall(folder: Path, buses: list[SimBus]) -> Path:
    parts = ['[hall]\nname = "基准测试大厅"\ntimezone = "Asia/Shanghai"\n']
    parts += [
        f'[[clerks]]\nid = "{2000 + n}"\nname = "柜员{n:02d}"\npin = "{PIN}"\n'
        for n in range(1, DIRECT_COUNTER + 1)
    ]
    parts += [f"[[counters]]\nnumber = {n}\n" for n in range(1, DIRECT_COUNTER + 1)]
    # each keypad calls every few seconds here; a hall's call gap would refuse most of them
    parts.append("[calls]\nmin_gap_s = 0\n")
    # the bench's one kiosk issues every round's tickets at once; a hall's issuing rate
    # limit (10 at once, 20 a minute) is for residents, not for the measurement
    parts.append("[kiosk]\nissue_burst = 100000\nissues_per_minute = 100000\n")
    parts.append("[hardware]\nrefresh_s = 30\n")
    for index, bus in enumerate(buses):
        parts.append(f'[[hardware.buses]]\nname = "line{index + 1}"\nport = "{bus.path}"\n')
    for n in range(1, COUNTERS + 1):
        line = (n - 1) % LINES + 1
        parts.append(f'[[hardware.keypads]]\nbus = "line{line}"\naddress = {n}\ncounter = {n}\n')
        parts.append(
            f'[[hardware.screens]]\nbus = "line{line}"\naddress = {100 + n}\n'
            f'driver = "led_text"\ncounter = {n}\n'
        )
    parts.append('[[hardware.screens]]\nbus = "line1"\naddress = 200\ndriver = "led_strip"\n')
    path = folder / "hall.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Observer(threading.Thread):
    """A display connection that notes when each ticket_called arrives."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.client = BlockingHallClient("127.0.0.1", port, "display", "bench-observer", timeout=30)
        self.calls: list[tuple[float, int, str]] = []  # (arrival, counter, number)
        self.lock = threading.Condition()
        self.stopping = False

    def run(self) -> None:
        try:
            while not self.stopping:
                frame = self.client.next_frame()
                if frame.get("event") == "ticket_called":
                    data = frame["data"]
                    with self.lock:
                        self.calls.append(
                            (time.monotonic(), data["counter"], data["ticket"]["number"])
                        )
                        self.lock.notify_all()
        except (OSError, ConnectionError):
            pass

    def wait_call(self, counter: int, after: float, timeout: float = 10.0) -> tuple[float, str]:
        with self.lock:
            found: list[tuple[float, str]] = []

            def seen() -> bool:
                for at, c, number in self.calls:
                    if c == counter and at >= after:
                        found.append((at, number))
                        return True
                return False

            if not self.lock.wait_for(seen, timeout):
                raise RuntimeError(f"counter {counter}: no ticket_called within {timeout} s")
            return found[0]


def run(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hall-bench-hw-") as tmp:
        folder = Path(tmp)
        buses = [SimBus(folder / f"ttyLINE{i + 1}").start() for i in range(LINES)]
        keypads = {n: FakeKeypad(buses[(n - 1) % LINES], n) for n in range(1, COUNTERS + 1)}
        screens = {
            n: FakeScreen(buses[(n - 1) % LINES], 100 + n, "led_text")
            for n in range(1, COUNTERS + 1)
        }
        FakeScreen(buses[0], 200, "led_strip")
        hall = write_hall(folder, buses)
        port = free_port()
        server = start_server(folder / "hall.db", port, hall)
        log = open(folder / "bridge.log", "wb")  # noqa: SIM115 - the child owns it
        bridge = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shared.cli.main",
                "hardware",
                "--config",
                str(hall),
                "--server",
                f"127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "QUEUE_HALL_HOME": str(folder)},
        )
        observer: Observer | None = None
        direct_client: BlockingHallClient | None = None
        try:
            with BlockingHallClient("127.0.0.1", port, "kiosk", "bench-kiosk") as kiosk:
                for i in range((COUNTERS + 3) * rounds + COUNTERS):
                    ticket = kiosk.call("issue", service="pension_enrol", req=f"b{i}")
                    kiosk.call("printed", ticket=ticket["ticket"]["id"])
            for n, keypad in keypads.items():
                keypad.wait_for("请输入工号", timeout=30)
                keypad.type(f"{2000 + n} enter {PIN} enter")
            for keypad in keypads.values():
                keypad.wait_for(lambda line: line.startswith("空闲"), timeout=30)
            observer = Observer(port)
            observer.start()
            # Calls straight from a counter connection (counter 25, no keypad), under the same
            # load: what the bridge adds is the difference.
            direct_client = BlockingHallClient(
                "127.0.0.1", port, "counter", "bench-direct", counter=DIRECT_COUNTER
            )
            direct_client.call("login", clerk=str(2000 + DIRECT_COUNTER), pin=PIN)
            direct: list[float] = []
            key_to_called: list[float] = []
            called_to_led: list[float] = []
            pending: list[tuple[int, float]] = []
            cpu_before = cpu_s(bridge.pid)
            for round_no in range(rounds):
                for n, keypad in keypads.items():
                    t0 = time.monotonic()
                    keypad.press(Key.CALL, wait_ack=False)
                    pending.append((n, t0))
                    time.sleep(PACE_S)
                    if n % 4 == 0:
                        t0 = time.monotonic()
                        direct_client.call("call_next", req=f"direct-{round_no}-{n}")
                        direct.append(observer.wait_call(DIRECT_COUNTER, t0)[0] - t0)
                for n, t0 in pending:
                    at, number = observer.wait_call(n, t0)
                    key_to_called.append(at - t0)
                    screen = screens[n]
                    screen.wait_for(number, timeout=10)
                    shown_at = next(
                        t for f, t in screen.frames_snapshot() if f.text == number and t >= t0
                    )
                    called_to_led.append(max(0.0, shown_at - at))
                pending.clear()
            cpu_used = cpu_s(bridge.pid) - cpu_before
            key = summary(key_to_called)
            led = summary(called_to_led)
            base = summary(direct)
            return {
                "hw_keypads": COUNTERS,
                "hw_screens": COUNTERS + 1,
                "hw_calls": len(key_to_called),
                "hw_key_to_called_p50_ms": key["p50_ms"],
                "hw_key_to_called_p99_ms": key["p99_ms"],
                "hw_direct_call_to_called_p50_ms": base["p50_ms"],
                "hw_key_vs_direct_p50_ratio": round(key["p50_ms"] / max(0.001, base["p50_ms"]), 2),
                "hw_event_to_led_p50_ms": led["p50_ms"],
                "hw_event_to_led_p99_ms": led["p99_ms"],
                "hw_bridge_cpu_ms_per_call": round(
                    cpu_used * 1000 / max(1, len(key_to_called) + len(direct)), 2
                ),
            }
        finally:
            if direct_client is not None:
                direct_client.close()
            if observer is not None:
                observer.stopping = True
                observer.client.close()
            bridge.terminate()
            try:
                bridge.wait(10)
            except subprocess.TimeoutExpired:
                bridge.kill()
            log.close()
            server.terminate()
            server.wait(10)
            for bus in buses:
                bus.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=6, help="calls per keypad")
    args = parser.parse_args()
    print(json.dumps(run(args.rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
