"""One server per hall database: an operating-system lock on a file beside the database.

`queue-hall serve` holds an exclusive lock on `<database>.lock` while it runs and writes
its process id and address into the file. A second server on the same database cannot
take the lock and says which server holds it. The operating system drops the lock when
the process ends in any way (also `kill -9` or a crash), so a stale file never blocks a
restart. POSIX uses flock(2), Windows msvcrt.locking.

    lock = ServerLock.acquire(Path("hall.db"), "127.0.0.1:7310")   # or DatabaseInUse
    ...
    lock.release()
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from shared.domain.errors import DatabaseInUse

# The first byte is the one locked (Windows forbids others to read a locked byte); the
# holder's description follows it.
_LOCKED_BYTES = 1


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, _LOCKED_BYTES)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            file.seek(_LOCKED_BYTES)
            text = file.read(200).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another process"


class ServerLock:
    """The held lock; `describe()` updates what others are told, `release()` lets it go."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    @classmethod
    def acquire(
        cls, db: Path, address: str, elsewhere: str = "another database with --db"
    ) -> ServerLock:
        """Lock `db` for one server; `elsewhere` is how the refused command picks another."""
        path = lock_path(db)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseInUse(
                f"{db} is already being served by {_holder(path)}; stop that server first, "
                f"or give this one {elsewhere} (lock file {path})"
            )
        lock = cls(path, fd)
        lock.describe(address)
        return lock

    def describe(self, address: str) -> None:
        """Write `pid N on HOST:PORT` after the locked byte, for a second server to name."""
        text = f"\npid {os.getpid()} on {address}\n".encode()
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, text)
        os.ftruncate(self._fd, len(text))

    def release(self) -> None:
        if self._fd < 0:
            return
        if sys.platform == "win32":
            import msvcrt

            os.lseek(self._fd, 0, os.SEEK_SET)
            msvcrt.locking(self._fd, msvcrt.LK_UNLCK, _LOCKED_BYTES)
        os.close(self._fd)  # closing drops a flock(2) lock
        self._fd = -1
