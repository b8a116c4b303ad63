"""The hall's time on this PC's clocks, for the windows that show it (kiosk, board, counter).

A hall PC may run in another time zone than the hall, or be started without the hall file:
the windows then follow the UTC offset the server gives in its hello, so the times they
show are the hall's. This changes the process's local zone (TZ, time.tzset), so it belongs
to the apps' start-up and their connection, not to a model.
"""

from __future__ import annotations

import datetime
import os
import time

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
