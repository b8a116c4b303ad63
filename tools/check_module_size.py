"""Fails when a Python module of the project is over 500 lines (run by `make lint`).

A module that long holds more than one concern and is hard to read whole; the rule keeps
each file about one thing, split by concern. It covers every package of the project and
the tests:

    python tools/check_module_size.py                  # the project's packages and tests/
    python tools/check_module_size.py PATH ...         # files or folders of your choice
    python tools/check_module_size.py --max-lines 400  # another limit

Each offender is printed as `path: N lines (limit 500)`, largest first, and the exit
status is 1; with none it prints nothing and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

MAX_LINES = 500
ROOT = Path(__file__).resolve().parent.parent
CHECKED = (
    "shared",
    "queue_kiosk",
    "counter_client",
    "display_board",
    "hall_web",
    "hall_hardware",
    "bench",
    "tools",
    "tests",
)
SKIPPED_DIRS = {"__pycache__", ".venv", "build", "dist"}


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .py file named or under the folders named, skipping caches and hidden folders."""
    for path in paths:
        if path.is_file():
            if path.suffix == ".py":
                yield path
            continue
        for file in sorted(path.rglob("*.py")):
            parts = file.relative_to(path).parts[:-1]
            if not any(part in SKIPPED_DIRS or part.startswith(".") for part in parts):
                yield file


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return len(handle.read().splitlines())


def oversized(paths: Iterable[Path], max_lines: int = MAX_LINES) -> list[tuple[Path, int]]:
    """(file, lines) of each file over `max_lines`, largest first."""
    found = [
        (file, lines) for file in python_files(paths) if (lines := line_count(file)) > max_lines
    ]
    return sorted(found, key=lambda item: (-item[1], str(item[0])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the project)"
    )
    parser.add_argument("--max-lines", type=int, default=MAX_LINES)
    args = parser.parse_args(argv)
    paths = args.paths or [ROOT / name for name in CHECKED if (ROOT / name).exists()]
    offenders = oversized(paths, args.max_lines)
    for file, lines in offenders:
        shown = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file
        print(f"{shown}: {lines} lines (limit {args.max_lines})")
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
