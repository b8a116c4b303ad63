"""Command-line handling the three windows share: the hall file, its key, the server address,
and the interface language (the hall's time on the clocks is shared.client.hall_time).

The options are declared here once (`add_hall_options`), so the kiosk, the counter and the
board word them alike, and read here once (`read_hall`), so the same bad `--config` or
`--server` is named the same way by all three.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

from shared.client.connection import server_address
from shared.config.hall import ConfigError, HallConfig, load_config
from shared.domain.errors import EXIT_USAGE, CommandError


def add_hall_options(parser: argparse.ArgumentParser, *, languages: Sequence[str]) -> None:
    """Declare --server, --config and --lang; `languages` are the ones the windows offer,
    the first being the default."""
    parser.add_argument(
        "--server",
        metavar="HOST:PORT",
        help="the hall server (default: host and port of the hall file, else 127.0.0.1:7310)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="the hall file (TOML: the hall's name, key, server and settings; "
        "default: the demo hall)",
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=f"interface language: {', '.join(languages)} "
        f"(default: QUEUE_HALL_LANG, else {languages[0]})",
    )


def read_hall(
    args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> tuple[HallConfig, str, int]:
    """The hall file of --config (its key from QUEUE_HALL_KEY in `env`) and the server of
    --server (else the hall file's). A bad one raises CommandError (EXIT_USAGE) naming the
    option, for the app to report as it reports its other bad options."""
    try:
        config = load_config(args.config, env=dict(os.environ if env is None else env))
    except (ConfigError, OSError) as exc:
        raise CommandError(f"--config: {exc}", EXIT_USAGE) from exc
    try:
        host, port = server_address(args.server, config.host, config.port)
    except ValueError as exc:
        raise CommandError(f"--server: {exc}", EXIT_USAGE) from exc
    return config, host, port


def hall_and_server(
    parser: argparse.ArgumentParser, args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> tuple[HallConfig, str, int]:
    """`read_hall` for an app whose bad options exit through argparse (`prog: error: …`)."""
    try:
        return read_hall(args, env)
    except CommandError as exc:
        parser.error(exc.message)
