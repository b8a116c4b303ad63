"""CSV cells that a spreadsheet shows as text, never runs as a formula.

Excel and LibreOffice read a cell that starts with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) as a formula, so a matter named `=HYPERLINK(...)` in a report
would run when the file is opened. Every CSV the hall writes passes its cells through
`to_cell`, which puts a `'` in front of such text; `from_cell` takes it off again when a
catalog CSV is read back, so export then import gives the same names.

    to_cell("=1+1")   -> "'=1+1"      from_cell("'=1+1") -> "=1+1"
    to_cell("-12")    -> "-12"        (a plain number stays a number)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def to_cell(value: object) -> str:
    """The text of one CSV cell, with `'` in front when it could start a formula."""
    text = "" if value is None else str(value)
    if _FORMULA_START.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def from_cell(text: str) -> str:
    """The value `to_cell` was given: one `'` less in front of formula-like text."""
    return text[1:] if _ESCAPED.match(text) else text


def to_row(values: Iterable[object]) -> list[str]:
    return [to_cell(value) for value in values]
