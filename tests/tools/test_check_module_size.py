"""`make lint`'s module size rule: a module over 500 lines fails the check, named with its size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "check_module_size.py"


def module(path: Path, lines: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"x{n} = {n}\n" for n in range(lines)), encoding="utf-8")
    return path


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )


def test_a_module_of_501_lines_fails_the_check_and_is_named(tmp_path):
    big = module(tmp_path / "pkg" / "sub" / "big.py", 501)
    module(tmp_path / "pkg" / "at_the_limit.py", 500)
    module(tmp_path / "pkg" / "notes.txt", 900)  # not a Python module
    result = check(str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{big}: 501 lines (limit 500)"]


def test_modules_within_the_limit_pass_silently(tmp_path):
    module(tmp_path / "pkg" / "at_the_limit.py", 500)
    module(tmp_path / "pkg" / "__pycache__" / "cached.py", 900)  # caches are not modules
    result = check(str(tmp_path))
    assert (result.returncode, result.stdout) == (0, "")


def test_offenders_come_largest_first_and_the_limit_can_be_set(tmp_path):
    small = module(tmp_path / "a.py", 30)
    large = module(tmp_path / "b.py", 40)
    result = check("--max-lines", "20", str(small), str(large))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{large}: 40 lines (limit 20)",
        f"{small}: 30 lines (limit 20)",
    ]
