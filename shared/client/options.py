"""Command-line handling the three windows share: the hall file, its key and the server address."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from shared.client.connection import server_address
from shared.config.hall import ConfigError, HallConfig, load_config


def hall_and_server(
    parser: argparse.ArgumentParser, args: argparse.Namespace, env: Mapping[str, str] | None = None
) -> tuple[HallConfig, str, int]:
    """--config (with QUEUE_HALL_KEY from `env`) and --server; a bad one exits naming it."""
    try:
        config = load_config(args.config, env=dict(os.environ if env is None else env))
    except (ConfigError, OSError) as exc:
        parser.error(f"--config: {exc}")
    try:
        host, port = server_address(args.server, config.host, config.port)
    except ValueError as exc:
        parser.error(f"--server: {exc}")
    return config, host, port
