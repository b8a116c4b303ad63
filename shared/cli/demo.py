"""`queue-hall demo`: the whole hall on one machine, with no hardware and no hall key.

Starts the server on a fresh demo database in the per-user data folder, the kiosk
(printing to an on-screen preview), the lobby display board, two counter clients
already logged in with demo clerks, and simulated clerks at the other counters so
the board fills with life. Closing any of the windows, or Ctrl+C, stops every
process the demo started.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shared.admin.county import demo_config
from shared.admin.simulate import SIM_CLERK_PIN, sim_clerk_id
from shared.client.geometry import tile_demo
from shared.config.paths import data_dir
from shared.domain.clock import SystemClock, iso
from shared.domain.errors import EXIT_OK, CommandError
from shared.protocol import auth
from shared.server.dblock import DatabaseInUse, ServerLock
from shared.server.service import HallService
from shared.server.store import HallStore

log = logging.getLogger(__name__)

DEMO_CLERKS = (("1001", "1234"), ("1002", "2345"))
SCREEN_QUERY_TIMEOUT_S = 30
NAME = "demo"  # the command says its errors as `queue-hall demo: …`


@dataclass
class Child:
    name: str
    argv: list[str]
    window: bool  # closing it ends the demo
    proc: subprocess.Popen[bytes] | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_database(folder: Path, sim_counters: range, catalog: str = "sample") -> Path:
    """A fresh demo database with the demo hall and the simulated counters' clerks."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo.db"
    # A demo already running on this folder keeps its database (DatabaseInUse says so).
    ServerLock.acquire(db, "queue-hall demo", elsewhere="another folder with --folder").release()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    config = demo_config(catalog)
    service = HallService(HallStore(db), config, SystemClock(config.timezone))
    now = iso(service.clock.now())
    with service.store.transaction() as conn:
        pin_hash = auth.hash_pin(
            SIM_CLERK_PIN, iterations=1_000
        )  # demo-only clerks: a cheap hash is fine
        for n in sim_counters:
            conn.execute(
                "INSERT OR IGNORE INTO clerks(id, name, pin_hash, created_at) VALUES (?,?,?,?)",
                (sim_clerk_id(n), f"模拟柜员{n:02d}", pin_hash, now),
            )
    service.store.close()
    return db


def screen_area() -> tuple[int, int, int, int] | None:
    """The primary screen's free area (x, y, width, height), or None without a screen.

    Asked of a short-lived `python -m shared.qt.screens`, so this launcher needs no Qt.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-m", "shared.qt.screens"],
            capture_output=True,
            text=True,
            timeout=SCREEN_QUERY_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = done.stdout.split()
    if done.returncode != 0 or len(parts) != 4 or not all(p.lstrip("-").isdigit() for p in parts):
        return None
    x, y, width, height = (int(part) for part in parts)
    return x, y, width, height


def plan(
    port: int, db: Path, args: argparse.Namespace, area: tuple[int, int, int, int] | None = None
) -> list[Child]:
    """The demo's processes; with a screen `area`, windows are tiled over it."""
    py = sys.executable
    server = ["--server", f"127.0.0.1:{port}"]
    lang = ["--lang", args.lang] if args.lang else []
    tiles = tile_demo(area[2], area[3], top=area[1], left=area[0]) if area else {}

    def app(name: str, module: str, *options: str) -> Child:
        place = ["--geometry", str(tiles[name])] if name in tiles else []
        return Child(name, [py, "-m", module, *server, *options, *place, *lang], window=True)

    children = [
        Child(
            "server",
            [py, "-m", "shared.cli.main", "serve", "--db", str(db), "--port", str(port)]
            + (
                ["--demo-catalog", catalog]
                if (catalog := getattr(args, "catalog", "sample")) != "sample"
                else []
            ),
            window=False,
        ),
        app("kiosk", "queue_kiosk.app", "--printer", "preview", "--name", "demo-kiosk"),
        app("display board", "display_board.app", "--voice", args.voice),
    ]
    for counter, (clerk, pin) in enumerate(DEMO_CLERKS, start=1):
        children.append(
            app(
                f"counter {counter}",
                "counter_client.app",
                "--counter",
                str(counter),
                "--clerk",
                clerk,
                "--pin",
                pin,
            )
        )
    if getattr(args, "hardware", False):
        # simulated keypads and LED screens through `queue-hall hardware` (hall_hardware.panel)
        first = min(args.counters + 1, 23) if args.simulate else 3
        children.append(
            Child(
                "hardware panel",
                [
                    py,
                    "-m",
                    "hall_hardware.panel",
                    *server,
                    "--counters",
                    f"{first},{first + 1}",
                    "--clerks",
                    "1003:3456,1004:4567",
                    *lang,
                ],
                window=True,
            )
        )
    if args.simulate:
        rate = [
            "--speed",
            str(args.speed),
            "--rate",
            str(args.rate),
            "--initial",
            "30",
            "--kiosks",
            "3",
        ]
        # counter 3's simulated clerk is hasty, so the report's highlighting shows in the demo
        counters = ["--counters", f"3-{args.counters}"]
        counters += ["--hasty", "3"] if args.counters >= 3 else []
        children.append(
            Child(
                "simulator",
                [py, "-m", "shared.cli.main", "simulate", *server, *counters, *rate],
                window=False,
            )
        )
    return children


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the hall server stopped at start (exit code {proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the hall server did not listen on port {port} within {timeout:.0f} s")


def stop_all(children: list[Child], grace_s: float = 5.0) -> None:
    """Terminate every started process (the server last), then kill what is still there."""
    running = [c for c in reversed(children) if c.proc is not None and c.proc.poll() is None]
    for child in running:
        if child.name != "server":
            child.proc.terminate()  # type: ignore[union-attr]
    deadline = time.monotonic() + grace_s
    for child in running:
        if child.name == "server":
            continue
        try:
            child.proc.wait(max(0.1, deadline - time.monotonic()))  # type: ignore[union-attr]
        except subprocess.TimeoutExpired:
            child.proc.kill()  # type: ignore[union-attr]
            child.proc.wait()  # type: ignore[union-attr]
    for child in running:
        if child.name == "server":
            child.proc.terminate()  # type: ignore[union-attr]
            try:
                child.proc.wait(grace_s)  # type: ignore[union-attr]
            except subprocess.TimeoutExpired:
                child.proc.kill()  # type: ignore[union-attr]
                child.proc.wait()  # type: ignore[union-attr]


def no_screen() -> str | None:
    """Why the demo's windows could not open here, or None when they can."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        return (
            "the demo opens windows, and this session has no screen (DISPLAY is not set); run it "
            "on the desktop, or set QT_QPA_PLATFORM=offscreen to run every program without windows"
        )
    return None


def run(args: argparse.Namespace) -> int:
    problem = no_screen()
    if problem:
        raise CommandError(problem, command=NAME)
    folder = Path(args.folder) if args.folder else data_dir() / "demo"
    try:
        db = prepare_database(
            folder, range(3, args.counters + 1) if args.simulate else range(0), args.catalog
        )
    except DatabaseInUse as exc:
        raise CommandError(str(exc), command=NAME) from None
    port = args.port or free_port()
    env = {**os.environ, "QUEUE_HALL_HOME": str(folder)}
    env.pop("QUEUE_HALL_KEY", None)  # the demo runs without a hall key
    children = plan(port, db, args, screen_area())
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    reason = "stopped"
    try:
        for child in children:
            child.proc = subprocess.Popen(child.argv, env=env)
            print(f"demo: started {child.name} (pid {child.proc.pid})", flush=True)
            if child.name == "server":
                wait_for_port(port, child.proc)
                print(f"demo: hall server on 127.0.0.1:{port}, database {db}", flush=True)
        print("demo: close any window or press Ctrl+C to stop the demo", flush=True)
        while not stopping:
            for child in children:
                if child.proc is not None and child.proc.poll() is not None:
                    reason = f"{child.name} ended (exit code {child.proc.returncode})"
                    stopping = True
                    break
            time.sleep(0.2)
    except RuntimeError as exc:
        reason = str(exc)
        raise CommandError(reason, command=NAME) from exc
    finally:
        stop_all(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print(f"demo: {reason}; every demo process has stopped", flush=True)
    return EXIT_OK


def register(sub: argparse._SubParsersAction, common: Callable[..., None]) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "demo",
        help="the whole hall on one machine (server, kiosk, board, two counters)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, help="server port (default: a free one)")
    parser.add_argument(
        "--folder", help="where the demo keeps its files (default: the per-user data folder)"
    )
    parser.add_argument("--lang", help="interface language: zh_CN (default) or en")
    parser.add_argument(
        "--catalog",
        default="sample",
        choices=["sample", "county"],
        help="sample: a town hall (242 matters); county: 1,500 matters, 25 departments, "
        "60 counters",
    )
    parser.add_argument("--voice", default="auto", choices=["auto", "qt", "clips", "off"])
    parser.add_argument(
        "--no-simulate",
        dest="simulate",
        action="store_false",
        help="no simulated clerks and residents",
    )
    parser.add_argument(
        "--hardware",
        action="store_true",
        help="also simulated call keypads and LED screens through `queue-hall hardware`",
    )
    parser.add_argument(
        "--counters", type=int, default=12, help="simulated counters run from 3 to this number"
    )
    parser.add_argument(
        "--speed", type=float, default=10.0, help="simulated time runs this much faster"
    )
    parser.add_argument(
        "--rate", type=float, default=110.0, help="simulated residents per hour (hall time)"
    )
    parser.set_defaults(func=run)
