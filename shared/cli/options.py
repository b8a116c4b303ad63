"""The options every `queue-hall` command shares, and the hall settings they select.

`--config` names the hall file, `--db` the database (else the per-user data folder), and
the server's own commands also take `--host` and `--port`; `load_hall` applies them over
the hall file, so every command reads the same hall the same way.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from shared.admin.county import demo_config
from shared.config.hall import HallConfig, load_config


def load_hall(args: argparse.Namespace) -> HallConfig:
    """The hall settings the command line names (the hall file, with --db/--host/--port)."""
    if getattr(args, "demo_catalog", None):  # the demo's own server (`queue-hall demo`)
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


def common_options(parser: argparse.ArgumentParser, server: bool = False) -> None:
    """Add --config and --db (and, for the server, --host and --port) to `parser`."""
    parser.add_argument("--config", type=Path, help="hall configuration file (TOML)")
    parser.add_argument(
        "--db", type=Path, help="hall database file (default: the per-user data folder)"
    )
    if server:
        parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, help="TCP port (default 7310)")
