"""Reading a TOML file so that every error names the file and the line it is about.

tomllib gives the data but forgets where each value was written; `SourceLines` scans the
text once to find the line of every table and key, `read_document` turns a decoding or
syntax error into a `ConfigError` with the line (and a hint for the common mistakes: a
time without quotes, a key written twice), and `ConfigTable` reads one table with typed
getters whose errors name the key, the table and the line. The hall file, the catalog file
and the hardware section of a hall file are all read through these.
"""

from __future__ import annotations

import datetime
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from shared.config.rules import TIME_RE, suggest
from shared.domain import limits
from shared.domain.errors import ConfigError

# --- Finding lines in a TOML text ----------------------------------------------------------

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')"""
_KEY_LINE_RE = re.compile(rf"\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=(.*)")
_ARRAY_HEADER_RE = re.compile(r"\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER_RE = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]")
_STRING_RE = re.compile(r""""(?:\\.|[^"\\])*"|'[^']*'""")
_KEY_PART_RE = re.compile(r""""[^"]*"|'[^']*'|[^.\s]+""")

KeyPath = tuple[str | int, ...]


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _KEY_PART_RE.findall(dotted))


class SourceLines:
    """Where each table and key of a TOML text is written, to point errors at a line.

    A light line scanner, not a parser (tomllib has already accepted the text): it knows
    table headers, arrays of tables, `key = value` lines, multi-line strings and arrays.
    Paths are tuples like ("server", "port") or ("services", 3, "category"), where 3 is
    the 0-based index of the `[[services]]` table.
    """

    def __init__(self, text: str) -> None:
        # tomllib counts only "\n" as a line break (str.splitlines would also split at
        # U+2028 and friends, which may stand inside strings), so count lines the same way.
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self._start: dict[KeyPath, int] = {}
        self._end: dict[KeyPath, int] = {}
        array_counts: dict[KeyPath, int] = {}
        current: KeyPath = ()
        open_string: str | None = None
        bracket_depth = 0
        value_path: KeyPath | None = None
        for number, line in enumerate(self.lines, start=1):
            if open_string is not None:
                if line.count(open_string) % 2 == 1:
                    open_string = None
                if value_path is not None:
                    self._end[value_path] = number
                continue
            if bracket_depth > 0:
                bracket_depth += _bracket_balance(line)
                if value_path is not None:
                    self._end[value_path] = number
                continue
            array_header = _ARRAY_HEADER_RE.match(line)
            table_header = None if array_header else _TABLE_HEADER_RE.match(line)
            if array_header:
                name = _key_parts(array_header.group(1))
                index = array_counts.get(name, 0)
                array_counts[name] = index + 1
                self._record(name, number)
                current = (*name, index)
                self._record(current, number)
                continue
            if table_header:
                current = _key_parts(table_header.group(1))
                self._record(current, number)
                continue
            key_line = _KEY_LINE_RE.match(line)
            if key_line:
                value_path = (*current, *_key_parts(key_line.group(1)))
                self._record(value_path, number)
                self._end[value_path] = number
                rest = key_line.group(2)
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        open_string = quote
                        break
                else:
                    bracket_depth = max(0, _bracket_balance(rest))

    def _record(self, path: KeyPath, number: int) -> None:
        self._start.setdefault(path, number)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of `path`, else of the nearest enclosing table that is written down."""
        while path:
            if path in self._start:
                return self._start[path]
            path = path[:-1]
        return None

    def line_containing(self, path: KeyPath, needle: str) -> int | None:
        """The first line of `path`'s value that contains `needle` (for long arrays)."""
        start = self.line_of(path)
        if start is None or path not in self._start:
            return start
        for number in range(start, self._end.get(path, start) + 1):
            if needle in self.lines[number - 1]:
                return number
        return start


def _bracket_balance(line: str) -> int:
    """Opening minus closing brackets outside strings and comments."""
    code = _STRING_RE.sub("", line).split("#", 1)[0]
    return code.count("[") + code.count("{") - code.count("]") - code.count("}")


# --- Reading TOML files -------------------------------------------------------------------


class TomlDocument:
    """One parsed TOML file: its data, and errors that point into its text."""

    def __init__(self, file: str, text: str, data: dict[str, Any]) -> None:
        self.file = file
        self.data = data
        self.source = SourceLines(text)

    def error(self, path: KeyPath, problem: str, *, needle: str | None = None) -> ConfigError:
        if needle is None:
            line = self.source.line_of(path)
        else:
            line = self.source.line_containing(path, needle)
        return ConfigError(self.file, line, problem)


_TOML_LOCATION_RE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_TUPLE_KEY_RE = re.compile(r"\((?:'[^']*',?\s*)+\)")
_UNQUOTEDTIME_RE = re.compile(r"=\s*\d{1,2}:\d{2}\s*(#.*)?$")


def read_document(path: str | os.PathLike[str]) -> TomlDocument:
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(file, None, "file not found") from None
    except OSError as exc:
        raise ConfigError(file, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # tolerate the byte-order mark Windows editors add
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(file, line, "the file is not UTF-8 text; save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(file, text, str(exc)) from None
    return TomlDocument(file, text, data)


def _syntax_error(file: str, text: str, message: str) -> ConfigError:
    location = _TOML_LOCATION_RE.search(message)
    reason = message[: location.start()] if location else message
    lines = [line.rstrip("\r") for line in text.split("\n")]
    line: int | None = None
    if location and location.group(1):
        line = int(location.group(1))
        reason = f"{reason} (column {location.group(2)})"
    elif location:
        line = text.rstrip("\n").count("\n") + 1
        reason = f"{reason} (at the end of the file)"
    # tomllib names tables as Python tuples, "('hall',)": show them as the file writes them
    reason = _TUPLE_KEY_RE.sub(
        lambda match: "[" + ".".join(re.findall(r"'([^']*)'", match.group(0))) + "]", reason
    )
    problem = f"TOML syntax error: {reason}"
    bad_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    if _UNQUOTEDTIME_RE.search(bad_line):
        problem += '; write times in quotes, e.g. "08:30"'
    elif "overwrite" in reason or "twice" in reason or "already" in reason:
        problem += "; is a key or table written twice?"
    return ConfigError(file, line, problem)


# --- Checking values ----------------------------------------------------------------------


def kind_of(value: Any) -> str:
    """How an error message names a value of the wrong type: "the number 3", "a list"."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return f"the date/time {value.isoformat()}"
    return type(value).__name__


class ConfigTable:
    """One TOML table being read: typed getters whose errors name the key and its line."""

    def __init__(self, doc: TomlDocument, path: KeyPath, label: str, data: dict[str, Any]) -> None:
        self.doc = doc
        self.path = path
        self.label = label  # how the table is named in messages, e.g. "[server]"
        self.data = data

    def error(self, key: str | None, problem: str, *, needle: str | None = None) -> ConfigError:
        path = self.path if key is None else (*self.path, key)
        return self.doc.error(path, problem, needle=needle)

    def name(self, key: str) -> str:
        return f"{self.label} {key}" if self.label else key

    def check_keys(self, allowed: Iterable[str], hint: Callable[[str], str] | None = None) -> None:
        allowed = tuple(allowed)
        for key in self.data:
            if key in allowed:
                continue
            value = self.data[key]
            if isinstance(value, dict):
                problem = f"unknown table [{key}]"
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                problem = f"unknown table [[{key}]]"
            else:
                problem = f'unknown key "{key}"' + (f" in {self.label}" if self.label else "")
            close = suggest(key, allowed)
            if close:
                problem += close
            elif hint is not None and hint(key):
                problem += hint(key)
            else:
                problem += "; allowed keys: " + ", ".join(allowed)
            raise self.error(key, problem)

    def _wrong_type(self, key: str, wanted: str, value: Any) -> ConfigError:
        return self.error(key, f"{self.name(key)} must be {wanted}, not {kind_of(value)}")

    def text(
        self,
        key: str,
        default: str | None = None,
        *,
        required: bool = False,
        empty_ok: bool = False,
    ) -> str | None:
        if key not in self.data:
            if required:
                raise self.error(None, f'{self.label} is missing the key "{key}"')
            return default
        value = self.data[key]
        if not isinstance(value, str):
            raise self._wrong_type(key, "text in quotes", value)
        if not empty_ok and not value.strip():
            raise self.error(key, f"{self.name(key)} must not be empty")
        return value

    def shown_text(
        self, key: str, limit: int, default: str | None = None, *, empty_ok: bool = False
    ) -> str | None:
        """Text that kiosks and boards show: at most `limit` characters, no control characters."""
        value = self.text(key, default, empty_ok=empty_ok)
        if value is not None and key in self.data:
            problem = limits.text_problem(self.name(key), value, limit)
            if problem:
                raise self.error(key, problem)
        return value

    def required_shown_text(self, key: str, limit: int) -> str:
        self.text(key, required=True)
        value = self.shown_text(key, limit)
        assert value is not None
        return value

    def required_text(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def matching(
        self, key: str, pattern: re.Pattern[str], rule: str, *, required: bool
    ) -> str | None:
        value = self.text(key, required=required)
        if value is not None and not pattern.fullmatch(value):
            raise self.error(key, f'{self.name(key)} "{value}" is not valid: {rule}')
        return value

    def integer(
        self, key: str, default: int | None, low: int, high: int, *, required: bool = False
    ) -> int | None:
        if key not in self.data:
            if required:
                raise self.error(None, f'{self.label} is missing the key "{key}"')
            return default
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong_type(key, "a whole number", value)
        if not low <= value <= high:
            raise self.error(key, f"{self.name(key)} {value} is out of range ({low} to {high})")
        return value

    def time(self, key: str, default: datetime.time | None) -> datetime.time | None:
        if key not in self.data:
            return default
        value = self.data[key]
        if isinstance(value, datetime.time):
            return value.replace(second=0, microsecond=0)
        if not isinstance(value, str):
            raise self._wrong_type(key, 'a time in quotes like "08:30"', value)
        # a Chinese input method may type the full-width colon
        match = TIME_RE.fullmatch(value.strip().replace("：", ":"))
        if not match:
            raise self.error(key, f'{self.name(key)} "{value}" is not a time like "08:30"')
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise self.error(
                key,
                f'{self.name(key)} "{value}" is not a time of day '
                "(hours 00 to 23, minutes 00 to 59)",
            )
        return datetime.time(hour, minute)

    def string_list(self, key: str) -> list[str] | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, list):
            raise self._wrong_type(key, 'a list like ["a", "b"]', value)
        for item in value:
            if not isinstance(item, str):
                raise self.error(
                    key,
                    f"{self.name(key)} must list text in quotes, not {kind_of(item)}",
                    needle=str(item),
                )
        return value

    def subtable(
        self, key: str, allowed: Iterable[str], hint: Callable[[str], str] | None = None
    ) -> ConfigTable:
        """The table `key` (empty when not written); `hint` adds to an unknown key's error."""
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f'"{key}" must be a table: write [{key}] on its own line')
        table = ConfigTable(self.doc, (*self.path, key), f"[{key}]", value)
        table.check_keys(allowed, hint=hint)
        return table

    def table_array(self, key: str, allowed: Iterable[str]) -> list[ConfigTable] | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(
                key, f'"{key}" must be tables, each starting with [[{key}]] on its own line'
            )
        if not value:
            raise self.error(key, f'"{key}" is empty; list at least one [[{key}]]')
        allowed = tuple(allowed)
        tables = [
            ConfigTable(self.doc, (*self.path, key, index), f"[[{key}]] #{index + 1}", item)
            for index, item in enumerate(value)
        ]
        for table in tables:
            table.check_keys(allowed)
        return tables


def first_duplicate(
    tables: list[ConfigTable], key: str, values: list[Any], what: str
) -> ConfigError | None:
    seen: dict[Any, int] = {}
    for index, value in enumerate(values):
        if value in seen:
            first = tables[seen[value]].label
            shown = f'"{value}"' if isinstance(value, str) else str(value)
            return tables[index].error(key, f"{what} {shown} is used twice (also in {first})")
        seen[value] = index
    return None
