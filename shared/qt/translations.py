"""Maintains the translation files: `python -m shared.qt.translations --update`.

Runs pyside6-lupdate over each GUI package's Python files to refresh
`<package>/i18n/<package>_zh_CN.ts`, then pyside6-lrelease to compile the `.qm`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from shared.qt.i18n import _ROOT, PACKAGES


def _tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(
        f"pyside6-{name}"
    )
    if not found:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 in this environment")
    return found


def sources(package: str) -> list[Path]:
    return sorted(p for p in (_ROOT / package).rglob("*.py") if "i18n" not in p.parts)


def update(package: str, compile_only: bool = False) -> Path:
    ts = _ROOT / package / "i18n" / f"{package}_zh_CN.ts"
    ts.parent.mkdir(exist_ok=True)
    if not compile_only:
        files = [str(p) for p in sources(package)]
        subprocess.run([_tool("lupdate"), "-no-obsolete", *files, "-ts", str(ts)], check=True)
    if ts.exists():
        subprocess.run([_tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return ts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--update", action="store_true", help="refresh .ts from sources, then compile"
    )
    parser.add_argument("--compile", action="store_true", help="only compile .ts to .qm")
    parser.add_argument("packages", nargs="*", default=list(PACKAGES))
    args = parser.parse_args(argv)
    for package in args.packages:
        print(update(package, compile_only=args.compile and not args.update))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
