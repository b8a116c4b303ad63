"""The `queue-hall` command: run the hall server and manage the hall database."""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import importlib
import ipaddress
import json
import logging
import logging.handlers
import signal
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from shared.config.hall import ConfigError, HallConfig, load_config
from shared.config.logs import RepeatFilter, setup_logging  # noqa: F401
from shared.config.paths import data_dir, default_db, existing_db, missing_db_message  # noqa: F401
from shared.domain import limits
from shared.domain.clock import SystemClock, iso
from shared.protocol import auth
from shared.server.dblock import DatabaseInUse, ServerLock
from shared.server.store import HallStore, StoreError, unusable

if TYPE_CHECKING:
    from shared.server.service import HallService

log = logging.getLogger("queue_hall")


def _load(args: argparse.Namespace) -> HallConfig:
    if getattr(args, "demo_catalog", None):  # the demo's own server (`queue-hall demo`)
        from shared.cli.demo import demo_config

        config = demo_config(args.demo_catalog)
    else:
        config = load_config(getattr(args, "config", None))
    changes: dict[str, object] = {}
    if getattr(args, "db", None):
        changes["db_path"] = str(args.db)
    if getattr(args, "host", None):
        changes["host"] = args.host
    if getattr(args, "port", None) is not None:
        changes["port"] = args.port
    return replace(config, **changes) if changes else config  # type: ignore[arg-type]


def open_service(config: HallConfig, db: Path | None = None) -> HallService:
    """The hall service on the hall database (created with the catalog on first use)."""
    from shared.server.service import HallService

    path = db or default_db(config)
    store = HallStore(path)
    try:
        return HallService(store, config, SystemClock(config.timezone))
    except sqlite3.DatabaseError as exc:  # damage in the tables read at start-up
        store.close()
        raise unusable(str(path), f"the database is damaged ({exc})") from exc


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
    config = _load(args)
    problem = key_problem(config.host, config.key, args.insecure_no_key)
    if problem:
        print(f"queue-hall serve: {problem}", file=sys.stderr)
        return 2
    db = default_db(config)
    if db.is_dir():
        raise unusable(str(db), "this is a folder, not a database file")
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = ServerLock.acquire(db, f"{config.host}:{config.port}")
    except DatabaseInUse as exc:
        print(f"queue-hall: {exc}", file=sys.stderr)
        return 1
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
        print(
            f"queue-hall: cannot listen on {config.host}:{config.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    return 0


# -- clerks -----------------------------------------------------------------------------------


def cmd_clerk(args: argparse.Namespace) -> int:
    config = _load(args)
    db = existing_db(config)  # before asking for a PIN
    clerk_id = args.id.strip()
    if args.action in ("add", "reset-pin") and args.pin is None:
        try:
            args.pin = _ask_pin(clerk_id)
        except (EOFError, KeyboardInterrupt):
            print("\nqueue-hall: no PIN given: type it when asked, or give --pin", file=sys.stderr)
            return 2
        if args.pin is None:
            print("queue-hall: the two PINs differ; nothing was changed", file=sys.stderr)
            return 2
    if args.action in ("add", "reset-pin") and not auth.valid_pin_text(args.pin):
        print("queue-hall: a PIN is 4 to 8 digits", file=sys.stderr)
        return 2
    store = HallStore(db)
    now = iso(SystemClock(config.timezone).now())
    exists = store.scalar("SELECT 1 FROM clerks WHERE id = ?", (clerk_id,)) is not None
    with store.transaction() as conn:
        if args.action == "add":
            if exists:
                print(
                    f"queue-hall: clerk {clerk_id} already exists (use reset-pin)", file=sys.stderr
                )
                return 1
            if not args.name or not args.name.strip():
                print("queue-hall: a clerk needs a --name", file=sys.stderr)
                return 2
            problem = limits.text_problem("--name", args.name.strip(), limits.MAX_CLERK_NAME)
            if problem:
                print(f"queue-hall: {problem}", file=sys.stderr)
                return 2
            conn.execute(
                "INSERT INTO clerks(id, name, pin_hash, created_at) VALUES (?,?,?,?)",
                (clerk_id, args.name.strip(), auth.hash_pin(args.pin), now),
            )
            print(f"clerk {clerk_id} ({args.name.strip()}) added")
        elif not exists:
            print(f"queue-hall: no clerk {clerk_id}", file=sys.stderr)
            return 1
        elif args.action == "reset-pin":
            conn.execute(
                "UPDATE clerks SET pin_hash = ?, disabled = 0 WHERE id = ?",
                (auth.hash_pin(args.pin), clerk_id),
            )
            conn.execute("DELETE FROM login_failures WHERE clerk_id = ?", (clerk_id,))
            conn.execute("UPDATE clerks SET locked_until = NULL WHERE id = ?", (clerk_id,))
            print(f"PIN of clerk {clerk_id} reset")
        elif args.action == "disable":
            conn.execute("UPDATE clerks SET disabled = 1 WHERE id = ?", (clerk_id,))
            print(f"clerk {clerk_id} disabled")
        elif args.action == "enable":
            conn.execute("UPDATE clerks SET disabled = 0 WHERE id = ?", (clerk_id,))
            print(f"clerk {clerk_id} enabled")
    store.close()
    return 0


def _ask_pin(clerk_id: str) -> str | None:
    """The new PIN typed twice without echo (so it stays out of the shell history)."""
    first = getpass.getpass(f"PIN for clerk {clerk_id} (4 to 8 digits): ")
    second = getpass.getpass("the same PIN again: ")
    return first if first == second else None


def cmd_clerk_list(args: argparse.Namespace) -> int:
    config = _load(args)
    store = HallStore(existing_db(config))
    for row in store.all("SELECT id, name, disabled FROM clerks ORDER BY id"):
        print(f"{row['id']}\t{row['name']}\t{'disabled' if row['disabled'] else 'active'}")
    store.close()
    return 0


# -- status -----------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    """The running server's connections, load and reply times."""
    from shared.client.connection import BlockingHallClient, server_address
    from shared.domain.errors import HallError

    config = _load(args)
    try:
        host, port = server_address(args.server, config.host, config.port)
        with BlockingHallClient(
            host, port, "admin", "queue-hall-status", key=config.key, timeout=5
        ) as client:
            stats = client.call("server_stats")
    except ValueError as exc:
        print(f"queue-hall status: --server: {exc}", file=sys.stderr)
        return 2
    except (OSError, ConnectionError) as exc:
        print(
            f"queue-hall status: no hall server answers at {args.server or f'{host}:{port}'}: {exc}",
            file=sys.stderr,
        )
        return 1
    except HallError as exc:
        print(f"queue-hall status: the server refused: {exc.message}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
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
    return 0


# -- the parser -------------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, server: bool = False) -> None:
    parser.add_argument("--config", type=Path, help="hall configuration file (TOML)")
    parser.add_argument(
        "--db", type=Path, help="hall database file (default: the per-user data folder)"
    )
    if server:
        parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, help="TCP port (default 7310)")


# Modules that add subcommands: each has `register(subparsers, common)`, where `common(parser,
# server=False)` adds the usual --config/--db (and --host/--port) options.
COMMAND_MODULES: tuple[str, ...] = (
    "shared.admin.simulate",
    "shared.cli.demo",
    "shared.cli.report_command",
    "shared.admin.commands",
    "hall_web.command",
    "hall_hardware.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="queue-hall", description="Queue and ticket-calling system: the hall server."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the hall server")
    _common(serve, server=True)
    serve.add_argument("-v", "--verbose", action="store_true")
    serve.add_argument(
        "--insecure-no-key",
        action="store_true",
        help="serve a non-loopback address without a hall key (a lab network only)",
    )
    # `queue-hall demo --catalog county` serves its county hall with the same settings it made.
    serve.add_argument("--demo-catalog", choices=["sample", "county"], help=argparse.SUPPRESS)
    serve.set_defaults(func=cmd_serve)

    clerk = sub.add_parser("clerk", help="manage clerks: add, reset-pin, disable, enable, list")
    clerk_sub = clerk.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = clerk_sub.add_parser("add", help="add a clerk")
    add.add_argument("id")
    add.add_argument("--name", required=True)
    pin_help = "the PIN (4 to 8 digits); without it the command asks for it twice, hidden"
    add.add_argument("--pin", help=pin_help)
    reset = clerk_sub.add_parser("reset-pin", help="set a new PIN (and lift a lockout)")
    reset.add_argument("id")
    reset.add_argument("--pin", help=pin_help)
    for name in ("disable", "enable"):
        p = clerk_sub.add_parser(name, help=f"{name} a clerk")
        p.add_argument("id")
    listing = clerk_sub.add_parser("list", help="list clerks")
    for p in (add, reset, listing, *[clerk_sub.choices[n] for n in ("disable", "enable")]):
        _common(p)
        p.set_defaults(func=cmd_clerk_list if p is listing else cmd_clerk)
    status = sub.add_parser(
        "status", help="connections, load and reply times of the running server"
    )
    status.add_argument("--server", help="HOST:PORT (default: the hall file's server)")
    status.add_argument("--config", type=Path, help="hall configuration file (TOML)")
    status.add_argument("--json", action="store_true", help="print the figures as JSON")
    status.set_defaults(func=cmd_status)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, _common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"queue-hall: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"queue-hall: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
