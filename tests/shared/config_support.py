"""What the settings file tests share: a small catalog, writing a file, and the mark on the line
a bad-file case expects its error on."""

from __future__ import annotations

from pathlib import Path

# The line a bad-file case expects its error on carries this comment.
MARK = "# <- error"

SMALL_CATALOG = """\
[[categories]]
code = "social_insurance"
prefix = "A"
name = "社会保险"

[[categories]]
code = "tax"
prefix = "D"
name = "税务"

[[services]]
code = "pension_enrol"
name = "城乡居民养老保险参保登记"
category = "social_insurance"

[[services]]
code = "invoice_collect"
name = "发票领用"
category = "tax"
"""


def marked_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if MARK in line:
            return number
    return None


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
