"""The figures of the hall's other parts: the printed ticket, the board, its voice, the hardware
bridge and a county-sized hall.

Each part that needs Qt or a sound server runs in a process of its own (offscreen), so a
part that cannot be measured on this machine is named in the figures instead of stopping
the bench.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import datetime
from typing import Any

from bench.history import TZ
from shared.config.hall import default_config
from shared.protocol.ticket_token import make_token


def qr_version(ticket: bytes) -> int:
    """The QR version (17 + 4 x version modules a side) of the ticket's printed QR code."""
    import qrcode

    from queue_kiosk.printing import decode
    from queue_kiosk.printing.ops import QrCode

    [code] = [op for op in decode(ticket) if isinstance(op, QrCode)]
    symbol = qrcode.QRCode(
        error_correction=getattr(qrcode.constants, f"ERROR_CORRECT_{code.error_correction}")
    )
    symbol.add_data(code.payload)
    symbol.make(fit=True)
    return int(symbol.version)


def ticket_bytes() -> dict[str, Any]:
    try:
        from queue_kiosk.printing import TicketSlip, render_ticket
    except ImportError as exc:
        return {"error": f"ticket printing not available: {exc}"}
    slip = TicketSlip(
        hall=default_config().hall_name,
        number="A017",
        service_name="城乡居民养老保险参保登记",
        category_name="社会保险",
        ahead=5,
        est_wait_s=720,
        issued_at=datetime.now(TZ),
        ticket_id=1017,
        notice=default_config().ticket_notice,
    )
    out: dict[str, Any] = {}
    # The ticket page's address as a hall sets it up (see README), with a token of today's size.
    url = f"http://192.168.10.2:8080/t/{make_token('0' * 64, 123_456, '2026-11-26')}"
    for paper in (80, 58):
        with_url = render_ticket(dataclasses.replace(slip, qr_url=url), paper)
        out[f"ticket_url_{paper}mm_bytes"] = len(with_url)
        out[f"ticket_url_{paper}mm_qr_version"] = qr_version(with_url)
        plain = render_ticket(slip, paper)
        out[f"ticket_{paper}mm_qr_version"] = qr_version(plain)
        size = len(plain)
        out[f"ticket_{paper}mm_bytes"] = size
        out[f"ticket_{paper}mm_s_at_9600"] = round(size * 10 / 9600, 3)
        out[f"ticket_{paper}mm_s_at_115200"] = round(size * 10 / 115200, 4)
    return out


def figures_of_module(
    module: str, args: list[str], error_key: str, what: str, timeout: float, offscreen: bool
) -> dict[str, Any]:
    """`python -m module args` in its own process: its last line's JSON object, or the reason
    it gave none under `error_key` (the last line of its stderr, or that it timed out)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"} if offscreen else None
    try:
        out = subprocess.run(
            [sys.executable, "-m", module, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {error_key: f"{what} timed out"}
    if out.returncode != 0:
        return {error_key: (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def board_memory(calls: int) -> dict[str, Any]:
    """bench.board in its own process (offscreen Qt): the board's memory over many calls."""
    args = ["--calls", str(calls)]
    return figures_of_module("bench.board", args, "error", "board run", 600, offscreen=True)


def voice(quick: bool) -> dict[str, Any]:
    """The board's voice through a private PulseAudio (bench/voice.py), in its own process."""
    idle, peak_s = ("5", "40") if quick else ("20", "120")
    args = ["--idle-calls", idle, "--peak-s", peak_s]
    return figures_of_module(
        "bench.voice", args, "voice_error", "voice measurement", 900, offscreen=False
    )


def hardware_latency(rounds: int) -> dict[str, Any]:
    """24 keypads and 25 LED screens through `queue-hall hardware` on simulated buses."""
    if sys.platform == "win32":
        return {"hw_skipped": "simulated serial buses need pty pairs (POSIX)"}
    print("keypads and LED screens through the hardware bridge ...", flush=True)
    from bench.hardware import run

    return run(rounds)


def county_figures() -> dict[str, Any]:
    """bench.county in its own process (offscreen Qt): a 1,500-matter, 60-counter hall."""
    return figures_of_module("bench.county", [], "county_error", "county run", 600, offscreen=True)
