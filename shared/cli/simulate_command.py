"""`queue-hall simulate`: its options (and how `--counters`/`--hasty` are read), output and
exit codes over shared.admin.simulate."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable

from shared.admin import simulate
from shared.admin.simulate import Behaviour, Simulation, Tally
from shared.client.connection import parse_server
from shared.domain.errors import EXIT_OK, EXIT_USAGE, CommandError, HallError

NAME = "simulate"  # the command says its errors as `queue-hall simulate: …`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        default="127.0.0.1:7310",
        help="the hall server as HOST:PORT (default 127.0.0.1:7310, the hall's own port: run a"
        " server on a copy of the database and give its address)",
    )
    parser.add_argument(
        "--counters", default="24", help="simulated counters: 24 (1-24), 3-24 or 3,5,7"
    )
    parser.add_argument("--kiosks", type=int, default=2)
    parser.add_argument(
        "--rate", type=float, default=240.0, help="residents arriving per hour (hall time)"
    )
    parser.add_argument(
        "--service-minutes", type=float, default=5.0, help="mean service time (hall time)"
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="how much faster than real time (e.g. 10)"
    )
    parser.add_argument(
        "--duration", type=float, help="stop after this many seconds (default: until Ctrl+C)"
    )
    parser.add_argument("--seed", type=int, help="random seed, for repeatable runs")
    parser.add_argument(
        "--initial", type=int, default=0, help="residents already queuing at opening"
    )
    parser.add_argument(
        "--hasty",
        default="",
        metavar="COUNTERS",
        help="counters whose clerk is hasty (double presses, no start, instant finishes),"
        " e.g. 3 or 3,5; they must be among --counters",
    )
    parser.add_argument(
        "--priority-pin",
        default=os.environ.get("QUEUE_HALL_PRIORITY_PIN"),
        help="the hall's staff PIN for priority tickets (default: none, no priority tickets)",
    )


def parse_counters(text: str) -> list[int]:
    """'3-24' or '3,5,7' or '24' (= 1-24) -> counter numbers."""
    numbers: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part:
                first, last = (int(x) for x in part.split("-", 1))
                numbers += range(first, last + 1)
            elif len(text.split(",")) == 1:
                numbers += range(1, int(part) + 1)
            else:
                numbers.append(int(part))
    except ValueError:
        raise ValueError(
            f"--counters {text!r}: use a count (24), a range (3-24) or a list (3,5,7)"
        ) from None
    if not numbers or min(numbers) < 1:
        raise ValueError(f"--counters {text!r}: counter numbers start at 1")
    return sorted(set(numbers))


def parse_hasty(text: str, counters: list[int]) -> frozenset[int]:
    """'--hasty 3,5' -> {3, 5}: simulated counters whose clerk is hasty."""
    if not text.strip():
        return frozenset()
    try:
        numbers = {int(part) for part in text.split(",")}
    except ValueError:
        raise ValueError(f"--hasty {text!r}: list counter numbers, e.g. 3 or 3,5") from None
    outside = sorted(numbers - set(counters))
    if outside:
        raise ValueError(
            f"--hasty {text!r}: counter {outside[0]} is not one of the simulated --counters"
        )
    return frozenset(numbers)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def run_from_args(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    try:
        host, port = parse_server(args.server)
        counters = parse_counters(args.counters)
        hasty = parse_hasty(args.hasty, counters)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE, NAME) from None
    if args.speed <= 0 or args.rate <= 0 or args.kiosks < 1 or args.service_minutes <= 0:
        raise CommandError(
            "--speed, --rate, --service-minutes and --kiosks must be positive", EXIT_USAGE, NAME
        )
    behaviour = Behaviour(arrivals_per_hour=args.rate, service_mean_s=args.service_minutes * 60)
    sim = Simulation(
        host,
        port,
        counters,
        args.kiosks,
        behaviour,
        args.speed,
        os.environ.get("QUEUE_HALL_KEY"),
        args.seed,
        max(0, args.initial),
        hasty,
        priority_pin=args.priority_pin,
    )

    print(
        f"simulating {plural(len(counters), 'counter')} and {plural(args.kiosks, 'kiosk')}"
        f" against the hall at"
        f" {host}:{port}: their tickets and sim clerks stay in its database and count in its"
        " monthly report (run it against a server on a copy, never the hall in service)",
        file=sys.stderr,
        flush=True,
    )

    async def main() -> Tally:
        task = asyncio.create_task(sim.run(args.duration))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, task.cancel)
            except (NotImplementedError, RuntimeError):
                pass
        try:
            return await task
        except asyncio.CancelledError:
            return sim.tally

    try:
        tally = asyncio.run(main())
    except (ConnectionError, OSError) as exc:
        reason = str(exc) or type(exc).__name__  # never an empty reason after the colon
        raise CommandError(
            f"cannot reach the hall server at {host}:{port}: {reason}", command=NAME
        ) from exc
    except HallError as exc:
        raise CommandError(exc.message, command=NAME) from exc
    print(f"simulation ended: {tally.line()}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, common: Callable[..., None]) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "simulate",
        help="simulated residents and clerks against a running server",
        description=simulate.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(func=run_from_args)
