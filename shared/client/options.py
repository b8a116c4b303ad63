"""Command-line handling the three windows share: the hall file, its key and the server address."""

from __future__ import annotations

import argparse
import datetime
import os
import time
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


_follow_server = False  # set by use_hall_time: the windows' clocks follow the server's offset


def use_hall_time(timezone: str | None) -> None:
    """Show the hall's time on this PC's clocks, even when the PC's own zone is another one.

    `timezone` (the hall file's) holds until the first connection; from then on the offset of
    the server's `server_time` (hello) wins, so a window started without the hall file still
    shows the hall's time (see follow_server_time)."""
    global _follow_server
    _follow_server = True
    if timezone and hasattr(time, "tzset"):  # POSIX; Windows PCs keep their own zone
        os.environ["TZ"] = timezone
        time.tzset()


def follow_server_time(server_time: object) -> bool:
    """Put this PC's clocks on the UTC offset of the server's `server_time` (ISO 8601 with an
    offset), when use_hall_time was called and the offset differs from the local one.
    Returns whether the zone changed. A zone that already gives that offset is kept (its
    summer-time rules still apply)."""
    if not _follow_server or not hasattr(time, "tzset") or not isinstance(server_time, str):
        return False
    try:
        offset = datetime.datetime.fromisoformat(server_time).utcoffset()
    except ValueError:
        return False
    if offset is None:
        return False
    seconds = int(offset.total_seconds())
    if time.localtime().tm_gmtoff == seconds:
        return False
    sign = "-" if seconds >= 0 else "+"  # POSIX TZ counts hours west of Greenwich
    hours, rest = divmod(abs(seconds), 3600)
    name = f"{'+' if seconds >= 0 else '-'}{hours:02d}{rest // 60:02d}"
    os.environ["TZ"] = f"<{name}>{sign}{hours}:{rest // 60:02d}"
    time.tzset()
    return True
