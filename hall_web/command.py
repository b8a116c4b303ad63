"""`queue-hall web`: its command-line options and limits (the server itself is hall_web.app).

Limits, per client address: LIMIT_RATE requests a second (bursts of LIMIT_BURST), at most
LIMIT_MISSES unknown or malformed tickets a minute, at most LIMIT_STREAMS_PER_ADDRESS open
live pages; and LIMIT_STREAMS open live pages in all. Beyond them a clear "too busy" page
(HTTP 429 or 503) answers and nothing else slows down.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

LIMIT_RATE = 5.0  # requests a second per address, sustained ...
LIMIT_BURST = 40  # ... with bursts of this many (a page and its script, style and stream)
LIMIT_MISSES = 20  # unknown or malformed tickets per address per minute
LIMIT_STREAMS = 2000  # open live pages (SSE streams) in all
LIMIT_STREAMS_PER_ADDRESS = 16  # ... and per address


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="hall configuration file (TOML)")
    parser.add_argument(
        "--server", help="the hall server, HOST:PORT (default: the hall file's server)"
    )
    parser.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: [web] port, 8080)")
    parser.add_argument(
        "--rate", type=float, default=LIMIT_RATE, help=f"requests/s per address ({LIMIT_RATE:g})"
    )
    parser.add_argument(
        "--burst", type=int, default=LIMIT_BURST, help=f"request burst per address ({LIMIT_BURST})"
    )
    parser.add_argument(
        "--max-streams",
        type=int,
        default=LIMIT_STREAMS,
        help=f"open live pages in all ({LIMIT_STREAMS})",
    )
    parser.add_argument(
        "--max-streams-per-address",
        type=int,
        default=LIMIT_STREAMS_PER_ADDRESS,
        help=f"open live pages per address ({LIMIT_STREAMS_PER_ADDRESS})",
    )
    parser.add_argument("-v", "--verbose", action="store_true")


def run_from_args(args: argparse.Namespace) -> int:
    from hall_web.app import run

    return run(args)


def register(sub: argparse._SubParsersAction, common: Callable[..., None]) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "web",
        help="the residents' ticket pages and the hall page (HTTP, for the guest Wi-Fi)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(func=run_from_args)
