"""Command-line handling the three windows share: the hall file, its key, the server address,
the interface language and the hall's time on the clocks.

The options are declared here once (`add_hall_options`), so the kiosk, the counter and the
board word them alike, and read here once (`read_hall`), so the same bad `--config` or
`--server` is named the same way by all three.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
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
