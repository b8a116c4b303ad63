"""The `queue-hall` command: run the hall server and manage the hall database."""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import ipaddress
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.admin.hall_db import open_service
from shared.cli import clerk_commands
from shared.cli.errors import HANDLED, exit_code
from shared.cli.options import common_options, load_hall
from shared.config.hall import HallConfig
from shared.config.logs import setup_logging
from shared.config.paths import default_db
from shared.domain.errors import EXIT_OK, EXIT_USAGE, CommandError, HallError
from shared.server.dblock import ServerLock
from shared.server.store import HallStore, StoreError, unusable

log = logging.getLogger("queue_hall")


# -- serve ------------------------------------------------------------------------------------

MIN_KEY_LENGTH = 16


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a name or a wildcard: assume the network can reach it


def key_problem(host: str, key: str | None, insecure_no_key: bool) -> str | None:
    """Why `serve` must not start with this address and hall key, or None."""
    if key is not None and len(key) < MIN_KEY_LENGTH:
        return (
            f"the hall key is {len(key)} characters long; use at least {MIN_KEY_LENGTH} "
            '(make one with: python -c "import secrets; print(secrets.token_hex(16))")'
        )
    if not key and not is_loopback(host) and not insecure_no_key:
        return (
            f"refusing to listen on {host} without a hall key: any machine on the network could "
            "act as a kiosk or counter. Set QUEUE_HALL_KEY (or [hall] key in the hall file), "
            "or for a lab network with no residents pass --insecure-no-key"
        )
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    config = load_hall(args)
    problem = key_problem(config.host, config.key, args.insecure_no_key)
    if problem:
        raise CommandError(problem, EXIT_USAGE, command="serve")
    db = default_db(config)
    if db.is_dir():
        raise unusable(str(db), "this is a folder, not a database file")
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = ServerLock.acquire(db, f"{config.host}:{config.port}")
    except OSError as exc:
        raise StoreError(f"{db}: cannot lock the database ({exc.strerror or exc})") from exc
    try:
        return _serve_locked(args, config, db, lock)
    finally:
        lock.release()


def _serve_locked(args: argparse.Namespace, config: HallConfig, db: Path, lock: ServerLock) -> int:
    from shared.server.asyncio_server import HallServer

    setup_logging(
        Path(config.log_dir) if config.log_dir else db.parent / "logs", verbose=args.verbose
    )
    # The damage check comes before anything reads the hall's tables.
    store = HallStore(db)
    try:
        store.quick_check()
    finally:
        store.close()
    service = open_service(config, db)
    log.info("hall database %s (quick check ok)", db)
    if service.settings_mismatch:
        print(f"queue-hall: warning: {service.settings_mismatch}", file=sys.stderr, flush=True)
    # What start-up built lives all day: keep it out of the collector's full scans, which
    # would otherwise pause every reply for milliseconds on a long queue.
    gc.collect()
    gc.freeze()
    if not config.key and not is_loopback(config.host):
        log.warning(
            "listening on %s without a hall key (--insecure-no-key): any machine on the network "
            "can act as a kiosk or counter",
            config.host,
        )

    async def run() -> None:
        server = HallServer(service, config.key)
        await server.start(config.host, config.port)
        if server.address:
            lock.describe(f"{config.host}:{server.address[1]}")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
                pass
        print(
            f"queue-hall: serving {service.hall} on {config.host}:{server.address[1] if server.address else config.port}",
            file=sys.stderr,
            flush=True,
        )
        try:
            await stop.wait()
        finally:
            log.info("stopping")
            await server.close()
            service.store.close()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        raise CommandError(
            f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}"
        ) from exc
    return EXIT_OK


# -- status -----------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    """The running server's connections, load and reply times."""
    from shared.client.connection import BlockingHallClient, server_address

    config = load_hall(args)
    try:
        host, port = server_address(args.server, config.host, config.port)
        with BlockingHallClient(
            host, port, "admin", "queue-hall-status", key=config.key, timeout=5
        ) as client:
            stats = client.call("server_stats")
    except ValueError as exc:
        raise CommandError(f"--server: {exc}", EXIT_USAGE, command="status") from None
    except (OSError, ConnectionError) as exc:
        raise CommandError(
            f"no hall server answers at {args.server or f'{host}:{port}'}: {exc}", command="status"
        ) from None
    except HallError as exc:
        raise CommandError(f"the server refused: {exc.message}", command="status") from None
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return EXIT_OK
    connections = (
        ", ".join(f"{n} {role}" for role, n in sorted(stats["connections"].items())) or "none"
    )
    print(f"hall          {stats['hall']}")
    print(f"up            {stats['uptime_s'] // 3600} h {stats['uptime_s'] % 3600 // 60} min")
    print(f"connections   {connections}")
    print(f"requests      {stats['requests']} (event seq {stats['seq']})")
    print(f"waiting now   {stats['waiting']}")
    print(f"database      {stats['db_path']} ({stats['db_bytes'] / 1e6:.1f} MB)")
    limited = stats.get("limited") or {}
    if limited:  # connections refused or closed by the server's limits since it started
        print("limits hit    " + ", ".join(f"{n} {why}" for why, n in limited.items()))
    print(f"{'op':14}{'n':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for op, t in stats["latency"].items():
        print(f"{op:14}{t['n']:>8}{t['p50_ms']:>10}{t['p99_ms']:>10}{t['max_ms']:>10}")
    phases = stats.get("phases", {})
    if phases.get("batch_size", {}).get("n"):
        print("inside a batch (ms):")
        for name in ("queued", "service", "service_cpu", "deliver", "loop_lag"):
            t = phases.get(name, {})
            if t.get("n"):
                print(f"  {name:12}{t['n']:>8}{t['p50_ms']:>10}{t['p99_ms']:>10}{t['max_ms']:>10}")
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------


# Modules that add subcommands: each has `register(subparsers, common)`, where `common(parser,
# server=False)` adds the usual --config/--db (and --host/--port) options. hall_web and
# hall_hardware sit above shared: they are found by name at run time, so shared never imports
# them statically (docs/architecture.md).
COMMAND_MODULES: tuple[str, ...] = (
    "shared.cli.simulate_command",
    "shared.cli.demo",
    "shared.cli.report_command",
    "shared.cli.admin_commands",
    "hall_web.command",
    "hall_hardware.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="queue-hall", description="Queue and ticket-calling system: the hall server."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the hall server")
    common_options(serve, server=True)
    serve.add_argument("-v", "--verbose", action="store_true")
    serve.add_argument(
        "--insecure-no-key",
        action="store_true",
        help="serve a non-loopback address without a hall key (a lab network only)",
    )
    # `queue-hall demo --catalog county` serves its county hall with the same settings it made.
    serve.add_argument("--demo-catalog", choices=["sample", "county"], help=argparse.SUPPRESS)
    serve.set_defaults(func=cmd_serve)

    clerk_commands.register(sub, common_options)
    status = sub.add_parser(
        "status", help="connections, load and reply times of the running server"
    )
    status.add_argument("--server", help="HOST:PORT (default: the hall file's server)")
    status.add_argument("--config", type=Path, help="hall configuration file (TOML)")
    status.add_argument("--json", action="store_true", help="print the figures as JSON")
    status.set_defaults(func=cmd_status)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common_options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except HANDLED as exc:
        return exit_code(exc)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
