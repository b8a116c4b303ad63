"""`queue-hall hardware --config hall.toml`: run the bridge for the hall's keypads and screens."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from shared.client.connection import server_address

log = logging.getLogger(__name__)


def cmd_hardware(args: argparse.Namespace) -> int:
    from hall_hardware.bridge import Bridge
    from hall_hardware.config import load_hardware
    from shared.config.logs import setup_logging

    hall, hardware = load_hardware(args.config)
    if args.check:
        print(
            f"{args.config}: {len(hardware.buses)} buses, {len(hardware.keypads)} keypads, "
            f"{len(hardware.screens)} screens: ok"
        )
        return 0
    setup_logging(Path(hall.log_dir) if hall.log_dir else None, "queue-hall-hardware", args.verbose)
    try:
        host, port = server_address(args.server, hall.host, hall.port)
    except ValueError as exc:
        print(f"queue-hall hardware: {exc}", file=sys.stderr)
        return 2

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass
        bridge = Bridge(hall, hardware, host, port, hall.key)
        print(
            f"queue-hall hardware: {len(hardware.keypads)} keypads, {len(hardware.screens)} "
            f"screens on {len(hardware.buses)} buses; hall server {host}:{port}",
            file=sys.stderr,
            flush=True,
        )
        await bridge.run(stop)

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0


def register(sub: argparse._SubParsersAction, common: Callable[..., None]) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "hardware",
        help="bridge serial call keypads and LED screens to the hall (see docs/hardware.md)",
    )
    parser.add_argument(
        "--config", type=Path, required=True, help="hall file with a [hardware] section"
    )
    parser.add_argument("--server", help="HOST:PORT of the hall server (default: the hall file's)")
    parser.add_argument(
        "--check", action="store_true", help="check the [hardware] section and exit"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.set_defaults(func=cmd_hardware)
