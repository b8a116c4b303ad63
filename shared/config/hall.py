"""Hall settings: the hall and catalog TOML files, their validation, and the defaults.

A hall is described by two TOML files. The hall file (see `shared/config/data/sample_hall.toml`,
which documents every option) holds the name, the server address, the issuing hours, the
announcement texts, the kiosk settings, the counters and the clerks; its top-level key
`catalog` names the catalog file (see `shared/config/data/sample_catalog.toml`) holding the
departments (categories) and matters (services). Relative paths in the hall file are
relative to the hall file itself. The environment variable QUEUE_HALL_KEY sets the hall
key, so the secret need not be written into a file.

Every problem in a file raises `ConfigError`, which names the file, the line (as near as
can be found) and the problem; unknown keys get a "did you mean" suggestion.

In the hall file, `[hours] weekdays` counts 1 = Monday ... 7 = Sunday (ISO 8601, and the
way 周一 ... 周日 are numbered); `HallConfig.open_weekdays` holds Python's 0 = Monday.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re
import string
import tomllib
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from shared.domain import limits
from shared.domain.errors import ConfigError

KEY_ENV_VAR = "QUEUE_HALL_KEY"
DEFAULT_PORT = 7310
DATA_DIR = Path(__file__).resolve().with_name("data")
SAMPLE_CATALOG_PATH = DATA_DIR / "sample_catalog.toml"
SAMPLE_HALL_PATH = DATA_DIR / "sample_hall.toml"

SAMPLE_HALL_NAME = "白沙镇政务服务中心"
DEFAULT_COUNTER_COUNT = 24
ANNOUNCEMENT_FIELDS = ("number", "counter")
PAPER_WIDTHS_MM = (58, 80)
PRINTER_KINDS = ("usb", "serial", "network", "file", "cups", "win32", "preview", "none")

_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,31}")
_PREFIX_RE = re.compile(r"[A-Z]{1,2}")
_PIN_RE = re.compile(r"[0-9]{4,8}")
_CLERK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
_PINYIN_RE = re.compile(r"[a-z0-9]*")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")


# --- Pinyin initials --------------------------------------------------------------------

# GB2312 orders its 3,755 level-1 (common) characters by pinyin, so the first byte pair of a
# character tells its initial letter: each entry is the first code point of a letter's run.
# Level-2 characters are ordered by radical and cannot be placed this way.
_GB2312_INITIALS = (
    (0xB0A1, "a"),
    (0xB0C5, "b"),
    (0xB2C1, "c"),
    (0xB4EE, "d"),
    (0xB6EA, "e"),
    (0xB7A2, "f"),
    (0xB8C1, "g"),
    (0xB9FE, "h"),
    (0xBBF7, "j"),
    (0xBFA6, "k"),
    (0xC0AC, "l"),
    (0xC2E8, "m"),
    (0xC4C3, "n"),
    (0xC5B6, "o"),
    (0xC5BE, "p"),
    (0xC6DA, "q"),
    (0xC8BB, "r"),
    (0xC8F6, "s"),
    (0xCBFA, "t"),
    (0xCDDA, "w"),
    (0xCEF4, "x"),
    (0xD1B9, "y"),
    (0xD4D1, "z"),
)
_GB2312_LEVEL1_END = 0xD7F9


def pinyin_initials(text: str) -> str:
    """The pinyin initials of `text` for kiosk search, e.g. "社会保障卡申领" -> "shbzksl".

    Covers the 3,755 common characters (GB2312 level 1); rarer characters are skipped and a
    polyphonic character gets its most common reading, so a catalog should spell out the
    initials (the `pinyin` key) where that matters. ASCII letters and digits are kept.
    """
    letters = []
    for char in text:
        if char.isascii():
            if char.isalnum():
                letters.append(char.lower())
            continue
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(encoded) != 2:
            continue
        code = encoded[0] << 8 | encoded[1]
        if not _GB2312_INITIALS[0][0] <= code <= _GB2312_LEVEL1_END:
            continue
        initial = ""
        for start, letter in _GB2312_INITIALS:
            if code < start:
                break
            initial = letter
        letters.append(initial)
    return "".join(letters)


# --- The settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A department of the hall; its tickets are numbered with its prefix (A001, A002 ...)."""

    code: str
    prefix: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Service:
    """A matter a resident can take a ticket for; `pinyin` is derived from the name if empty."""

    code: str
    name: str
    category: str
    name_en: str = ""
    daily_limit: int | None = None
    pinyin: str = ""

    def __post_init__(self) -> None:
        if not self.pinyin:
            object.__setattr__(self, "pinyin", pinyin_initials(self.name))


@dataclass(frozen=True)
class CounterConfig:
    """A counter (window) of the hall; `services` None means it serves every service."""

    number: int
    name: str
    services: tuple[str, ...] | None = None

    def serves(self, service_code: str) -> bool:
        return self.services is None or service_code in self.services


@dataclass(frozen=True)
class BoardConfig:
    """A display board hung for some counters (`display-board --board NAME`)."""

    name: str
    counters: frozenset[int]


def parse_counter_range(text: str) -> frozenset[int]:
    """Counter numbers from "25-60", "1-12,30" or "3 5 7"; ValueError names what is wrong."""
    numbers: set[int] = set()
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise ValueError(f'"{part}" is not a counter number or a range like 25-60') from None
        if not 1 <= first <= last <= 999:
            raise ValueError(f'"{part}": counters are numbered 1 to 999, low to high')
        numbers.update(range(first, last + 1))
    if not numbers:
        raise ValueError("no counter numbers given")
    return frozenset(numbers)


@dataclass(frozen=True)
class ClerkConfig:
    """A clerk given in the hall file; the server stores only a salted hash of the PIN."""

    id: str
    name: str
    pin: str = field(repr=False)


@dataclass(frozen=True)
class Catalog:
    """The hall's departments and matters. Lookups raise KeyError for an unknown code."""

    categories: tuple[Category, ...]
    services: tuple[Service, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "services", tuple(self.services))
        problems = _catalog_problems(self.categories, self.services)
        if problems:
            raise ValueError("; ".join(problems))

    @cached_property
    def _categories_by_code(self) -> dict[str, Category]:
        return {category.code: category for category in self.categories}

    @cached_property
    def _categories_by_prefix(self) -> dict[str, Category]:
        return {category.prefix: category for category in self.categories}

    @cached_property
    def _services_by_code(self) -> dict[str, Service]:
        return {service.code: service for service in self.services}

    @cached_property
    def _services_by_category(self) -> dict[str, tuple[Service, ...]]:
        grouped: dict[str, list[Service]] = {category.code: [] for category in self.categories}
        for service in self.services:
            grouped[service.category].append(service)
        return {code: tuple(services) for code, services in grouped.items()}

    def category(self, code: str) -> Category:
        try:
            return self._categories_by_code[code]
        except KeyError:
            raise KeyError(f"unknown category {code!r}") from None

    def service(self, code: str) -> Service:
        try:
            return self._services_by_code[code]
        except KeyError:
            raise KeyError(f"unknown service {code!r}") from None

    def services_of(self, category_code: str) -> tuple[Service, ...]:
        try:
            return self._services_by_category[category_code]
        except KeyError:
            raise KeyError(f"unknown category {category_code!r}") from None

    def category_of(self, service_code: str) -> Category:
        return self.category(self.service(service_code).category)

    def category_with_prefix(self, prefix: str) -> Category:
        try:
            return self._categories_by_prefix[prefix]
        except KeyError:
            raise KeyError(f"no category has the prefix {prefix!r}") from None


def _catalog_problems(categories: tuple[Category, ...], services: tuple[Service, ...]) -> list[str]:
    """The inconsistencies of a catalog built in code (files get line-accurate errors)."""
    problems = []
    codes = [category.code for category in categories]
    prefixes = [category.prefix for category in categories]
    service_codes = [service.code for service in services]
    for what, values in (
        ("category code", codes),
        ("prefix", prefixes),
        ("service code", service_codes),
    ):
        for value in sorted({value for value in values if values.count(value) > 1}):
            problems.append(f"duplicate {what} {value!r}")
    known = set(codes)
    for service in services:
        if service.category not in known:
            problems.append(f"service {service.code!r} names unknown category {service.category!r}")
    return problems


@lru_cache(maxsize=1)
def sample_catalog() -> Catalog:
    """The sample catalog (9 departments of a town service hall), from the shipped file."""
    return load_catalog(SAMPLE_CATALOG_PATH)


def _default_counters() -> tuple[CounterConfig, ...]:
    return tuple(
        CounterConfig(number, f"{number}号窗口") for number in range(1, DEFAULT_COUNTER_COUNT + 1)
    )


def _demo_clerks() -> tuple[ClerkConfig, ...]:
    return (
        ClerkConfig("1001", "张敏", "1234"),
        ClerkConfig("1002", "李强", "2345"),
        ClerkConfig("1003", "王芳", "3456"),
        ClerkConfig("1004", "陈静", "4567"),
    )


@dataclass(frozen=True)
class HallConfig:
    """Everything the hall server and the apps need to know about one hall.

    The defaults are the one-machine demo: the sample hall and catalog, 24 counters serving
    everything, four demo clerks, no key. A hall file that lists no [[clerks]] gets none
    (clerks are then added with `queue-hall clerk add`), so demo PINs never reach a hall.
    """

    hall_name: str = SAMPLE_HALL_NAME
    key: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    timezone: str | None = None
    open_time: datetime.time | None = None
    close_time: datetime.time | None = None
    open_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    day_reset: datetime.time = datetime.time(0, 0)
    pending_timeout_s: int = 60
    announcement_zh: str = "请{number}号到{counter}号窗口办理"
    announcement_en: str = "Number {number}, please go to counter {counter}"
    announce_times: int = 2
    announce_merge: int = 3
    ticket_notice: str = "过号请重新取号"
    board_notice: str = "一窗受理 · 一号通办　请留意叫号，过号请重新取号"
    priority_pin: str | None = field(default=None, repr=False)
    # Issuing limit per kiosk (a token bucket): a burst of `issue_burst` tickets, then
    # `issues_per_minute`; one device cannot take a day's quota in a second.
    issue_burst: int = 10
    issues_per_minute: int = 20
    # Friendly kiosk names shown to staff ("东门取号机"), by the kiosk's client id.
    kiosk_names: tuple[tuple[str, str], ...] = ()
    paper_mm: int = 80
    printer: str = "preview"
    call_gap_s: int = 5  # [calls] min_gap_s: seconds a counter must wait between two calls
    short_service_s: int = 60  # [report] short_service_s: a service shorter than this is "short"
    catalog: Catalog = field(default_factory=sample_catalog)
    counters: tuple[CounterConfig, ...] = field(default_factory=_default_counters)
    clerks: tuple[ClerkConfig, ...] = field(default_factory=_demo_clerks)
    boards: tuple[BoardConfig, ...] = ()  # boards that show only some counters
    board_waiting: str = "all"  # the board's waiting counts: "all" departments or the "busiest"
    board_busiest: int = 8  # how many departments "busiest" shows (the rest summed in one)
    db_path: str | None = None
    log_dir: str | None = None
    web_public_url: str | None = None  # [web] public_url: tickets print <it>/t/<token> as QR
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    config_path: str | None = None  # the hall file these settings came from, if any

    def __post_init__(self) -> None:
        problems = []
        numbers = [counter.number for counter in self.counters]
        for number in sorted({n for n in numbers if numbers.count(n) > 1}):
            problems.append(f"duplicate counter number {number}")
        for counter in self.counters:
            for code in counter.services or ():
                if code not in self.catalog._services_by_code:
                    problems.append(f"counter {counter.number} names unknown service {code!r}")
        ids = [clerk.id for clerk in self.clerks]
        for clerk_id in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"duplicate clerk id {clerk_id!r}")
        if problems:
            raise ValueError("; ".join(problems))

    def hall_time(self, moment: datetime.datetime | None = None) -> datetime.datetime:
        """`moment` (an aware datetime; now when None) as the hall's wall-clock time."""
        if moment is None:
            moment = datetime.datetime.now(datetime.UTC)
        if moment.tzinfo is None:
            raise ValueError("hall_time needs an aware datetime")
        if self.timezone:
            return moment.astimezone(zoneinfo.ZoneInfo(self.timezone))
        return moment.astimezone()  # the local offset in force at that moment

    def within_issuing_hours(self, moment: datetime.datetime | None = None) -> bool:
        """Whether the kiosk may issue tickets at `moment` (open weekday, open..close)."""
        local = self.hall_time(moment)
        if local.weekday() not in self.open_weekdays:
            return False
        clock = local.time().replace(tzinfo=None)
        if self.open_time is not None and clock < self.open_time:
            return False
        return self.close_time is None or clock < self.close_time

    def counter(self, number: int) -> CounterConfig:
        for counter in self.counters:
            if counter.number == number:
                return counter
        raise KeyError(f"unknown counter {number}")


def default_config() -> HallConfig:
    """The one-machine demo settings: no file, no key."""
    return HallConfig()


# --- Finding lines in a TOML text ----------------------------------------------------------

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')"""
_KEY_LINE_RE = re.compile(rf"\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=(.*)")
_ARRAY_HEADER_RE = re.compile(r"\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER_RE = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]")
_STRING_RE = re.compile(r""""(?:\\.|[^"\\])*"|'[^']*'""")
_KEY_PART_RE = re.compile(r""""[^"]*"|'[^']*'|[^.\s]+""")

_KeyPath = tuple[str | int, ...]


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _KEY_PART_RE.findall(dotted))


class _SourceLines:
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
        self._start: dict[_KeyPath, int] = {}
        self._end: dict[_KeyPath, int] = {}
        array_counts: dict[_KeyPath, int] = {}
        current: _KeyPath = ()
        open_string: str | None = None
        bracket_depth = 0
        value_path: _KeyPath | None = None
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

    def _record(self, path: _KeyPath, number: int) -> None:
        self._start.setdefault(path, number)

    def line_of(self, path: _KeyPath) -> int | None:
        """The line of `path`, else of the nearest enclosing table that is written down."""
        while path:
            if path in self._start:
                return self._start[path]
            path = path[:-1]
        return None

    def line_containing(self, path: _KeyPath, needle: str) -> int | None:
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


class _Document:
    """One parsed TOML file: its data, and errors that point into its text."""

    def __init__(self, file: str, text: str, data: dict[str, Any]) -> None:
        self.file = file
        self.data = data
        self.source = _SourceLines(text)

    def error(self, path: _KeyPath, problem: str, *, needle: str | None = None) -> ConfigError:
        if needle is None:
            line = self.source.line_of(path)
        else:
            line = self.source.line_containing(path, needle)
        return ConfigError(self.file, line, problem)


_TOML_LOCATION_RE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_TUPLE_KEY_RE = re.compile(r"\((?:'[^']*',?\s*)+\)")
_UNQUOTED_TIME_RE = re.compile(r"=\s*\d{1,2}:\d{2}\s*(#.*)?$")


def _read_document(path: str | os.PathLike[str]) -> _Document:
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
    return _Document(file, text, data)


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
    if _UNQUOTED_TIME_RE.search(bad_line):
        problem += '; write times in quotes, e.g. "08:30"'
    elif "overwrite" in reason or "twice" in reason or "already" in reason:
        problem += "; is a key or table written twice?"
    return ConfigError(file, line, problem)


# --- Checking values ----------------------------------------------------------------------


def _kind(value: Any) -> str:
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


class _Table:
    """One TOML table being read: typed getters whose errors name the key and its line."""

    def __init__(self, doc: _Document, path: _KeyPath, label: str, data: dict[str, Any]) -> None:
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
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                problem += f' (did you mean "{close[0]}"?)'
            elif hint is not None and hint(key):
                problem += hint(key)
            else:
                problem += "; allowed keys: " + ", ".join(allowed)
            raise self.error(key, problem)

    def _wrong_type(self, key: str, wanted: str, value: Any) -> ConfigError:
        return self.error(key, f"{self.name(key)} must be {wanted}, not {_kind(value)}")

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
        match = _TIME_RE.fullmatch(value.strip().replace("：", ":"))
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
                    f"{self.name(key)} must list text in quotes, not {_kind(item)}",
                    needle=str(item),
                )
        return value

    def subtable(self, key: str, allowed: Iterable[str]) -> _Table:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f'"{key}" must be a table: write [{key}] on its own line')
        table = _Table(self.doc, (*self.path, key), f"[{key}]", value)
        table.check_keys(allowed, hint=_top_level_hint)
        return table

    def table_array(self, key: str, allowed: Iterable[str]) -> list[_Table] | None:
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
            _Table(self.doc, (*self.path, key, index), f"[[{key}]] #{index + 1}", item)
            for index, item in enumerate(value)
        ]
        for table in tables:
            table.check_keys(allowed)
        return tables


_TOP_LEVEL_KEYS = (
    "catalog",
    "hall",
    "server",
    "hours",
    "announce",
    "kiosk",
    "board",
    "calls",
    "report",
    "web",
    "counters",
    "clerks",
    "boards",
    "hardware",  # read by `queue-hall hardware` (hall_hardware.config)
)

# A table of a hall file with typed getters whose errors name the file and line; programs
# that own a section of the hall file (the hardware bridge) read it through `hall_section`.
ConfigTable = _Table


def _top_level_hint(key: str) -> str:
    if key in _TOP_LEVEL_KEYS:
        return f"; top-level keys such as {key} must come before the first [table]"
    return ""


def _suggest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _first_duplicate(
    tables: list[_Table], key: str, values: list[Any], what: str
) -> ConfigError | None:
    seen: dict[Any, int] = {}
    for index, value in enumerate(values):
        if value in seen:
            first = tables[seen[value]].label
            shown = f'"{value}"' if isinstance(value, str) else str(value)
            return tables[index].error(key, f"{what} {shown} is used twice (also in {first})")
        seen[value] = index
    return None


# --- The catalog file ---------------------------------------------------------------------

_CODE_RULE = "use 1 to 32 letters, digits, _ or -, starting with a letter or digit"


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Read and check a catalog file ([[categories]] and [[services]])."""
    return _parse_catalog(_read_document(path))


def _parse_catalog(doc: _Document) -> Catalog:
    root = _Table(doc, (), "", doc.data)
    if "categories" not in doc.data and {"hall", "server", "counters"} & doc.data.keys():
        raise ConfigError(
            doc.file,
            None,
            "this is a hall file, not a catalog file ([[categories]] and "
            '[[services]]); a hall file names its catalog with catalog = "..."',
        )
    root.check_keys(("categories", "services"))
    category_tables = root.table_array("categories", ("code", "prefix", "name", "name_en"))
    if category_tables is None:
        raise ConfigError(doc.file, None, "the catalog lists no [[categories]]")
    service_tables = root.table_array(
        "services", ("code", "name", "category", "name_en", "daily_limit", "pinyin")
    )
    if service_tables is None:
        raise ConfigError(doc.file, None, "the catalog lists no [[services]]")

    categories = []
    for table in category_tables:
        code = table.matching("code", _CODE_RE, _CODE_RULE, required=True)
        prefix = table.matching(
            "prefix", _PREFIX_RE, 'use 1 or 2 capital letters A to Z, e.g. "A"', required=True
        )
        assert code is not None and prefix is not None
        categories.append(
            Category(
                code=code,
                prefix=prefix,
                name=table.required_shown_text("name", limits.MAX_CATEGORY_NAME),
                name_en=table.shown_text("name_en", limits.MAX_CATEGORY_NAME_EN, "", empty_ok=True)
                or "",
            )
        )
    if len(category_tables) > limits.MAX_CATEGORIES:
        raise category_tables[limits.MAX_CATEGORIES].error(
            None,
            f"the catalog lists {len(category_tables)} departments; a hall can have at most "
            f"{limits.MAX_CATEGORIES} (a kiosk start screen and a board show them all)",
        )
    if len(service_tables) > limits.MAX_SERVICES:
        raise service_tables[limits.MAX_SERVICES].error(
            None,
            f"the catalog lists {len(service_tables)} matters; a hall can have at most "
            f"{limits.MAX_SERVICES}",
        )
    for key, values, what in (
        ("code", [c.code for c in categories], "category code"),
        ("prefix", [c.prefix for c in categories], "prefix"),
    ):
        duplicate = _first_duplicate(category_tables, key, values, what)
        if duplicate:
            raise duplicate

    category_codes = [category.code for category in categories]
    services = []
    for table in service_tables:
        code = table.matching("code", _CODE_RE, _CODE_RULE, required=True)
        assert code is not None
        category = table.required_text("category")
        if category not in category_codes:
            raise table.error(
                "category",
                f'{table.name("category")} "{category}" is not a category of this catalog'
                + (_suggest(category, category_codes) or "; known: " + ", ".join(category_codes)),
            )
        if code in category_codes:
            raise table.error(
                "code", f'service code "{code}" is already a category code; give it another'
            )
        pinyin = (table.text("pinyin", "", empty_ok=True) or "").lower()
        if not _PINYIN_RE.fullmatch(pinyin) or len(pinyin) > limits.MAX_PINYIN:
            raise table.error(
                "pinyin",
                f'{table.name("pinyin")} "{pinyin}" must be plain letters (initials like "sbdj"), '
                f"at most {limits.MAX_PINYIN}",
            )
        services.append(
            Service(
                code=code,
                name=table.required_shown_text("name", limits.MAX_SERVICE_NAME),
                category=category,
                name_en=table.shown_text("name_en", limits.MAX_SERVICE_NAME_EN, "", empty_ok=True)
                or "",
                daily_limit=table.integer("daily_limit", None, 1, 100_000),
                pinyin=pinyin,
            )
        )
    duplicate = _first_duplicate(service_tables, "code", [s.code for s in services], "service code")
    if duplicate:
        raise duplicate
    used = {service.category for service in services}
    for table, declared in zip(category_tables, categories, strict=True):
        if declared.code not in used:
            raise table.error(
                None, f'category "{declared.code}" has no [[services]]; add some or remove it'
            )
    return Catalog(tuple(categories), tuple(services))


# --- The hall file ------------------------------------------------------------------------


def load_config(
    path: str | os.PathLike[str] | None, *, env: Mapping[str, str] | None = None
) -> HallConfig:
    """Read and check a hall file; None gives the demo defaults. QUEUE_HALL_KEY sets the key."""
    if env is None:
        env = os.environ
    env_key = env.get(KEY_ENV_VAR) or None  # an empty variable counts as unset
    if path is None:
        config = HallConfig()
    else:
        config = _parse_hall(_read_document(path), Path(path))
    if env_key is not None:
        config = dataclasses.replace(config, key=env_key)
    return config


def hall_section(path: str | os.PathLike[str], key: str) -> ConfigTable | None:
    """The top-level table `key` of a hall file, or None when the file has none."""
    doc = _read_document(path)
    if key not in doc.data:
        return None
    value = doc.data[key]
    if not isinstance(value, dict):
        raise doc.error((key,), f'"{key}" must be a table: write [{key}] on its own line')
    return _Table(doc, (key,), f"[{key}]", value)


def _parse_hall(doc: _Document, path: Path) -> HallConfig:
    base_dir = path.resolve().parent
    root = _Table(doc, (), "", doc.data)
    if "categories" in doc.data or "services" in doc.data:
        raise ConfigError(
            doc.file,
            None,
            "this is a catalog file, not a hall file; name it in the hall "
            'file with catalog = "..." instead',
        )
    root.check_keys(_TOP_LEVEL_KEYS)
    settings: dict[str, Any] = {"config_path": str(path.resolve())}

    catalog_name = root.text("catalog")
    if catalog_name is None:
        catalog = sample_catalog()
    else:
        catalog_path = _resolve(base_dir, catalog_name)
        if not catalog_path.is_file():
            raise root.error("catalog", f"catalog file not found: {catalog_path}")
        catalog = load_catalog(catalog_path)
    settings["catalog"] = catalog

    hall = root.subtable("hall", ("name", "key", "timezone", "notice"))
    settings["hall_name"] = hall.shown_text("name", limits.MAX_HALL_NAME, SAMPLE_HALL_NAME)
    settings["key"] = hall.text("key")
    timezone = hall.text("timezone")
    if timezone is not None:
        _check_timezone(hall, timezone)
    settings["timezone"] = timezone
    settings["board_notice"] = hall.text("notice", HallConfig.board_notice, empty_ok=True)

    server = root.subtable("server", ("host", "port", "db", "log_dir", "pending_timeout_s"))
    host = server.text("host", "127.0.0.1")
    assert host is not None
    if any(char.isspace() for char in host):
        raise server.error("host", f'[server] host "{host}" must not contain spaces')
    settings["host"] = host
    settings["port"] = server.integer("port", DEFAULT_PORT, 1, 65535)
    settings["pending_timeout_s"] = server.integer("pending_timeout_s", 60, 5, 3600)
    for key, target in (("db", "db_path"), ("log_dir", "log_dir")):
        value = server.text(key)
        settings[target] = None if value is None else str(_resolve(base_dir, value))

    hours = root.subtable("hours", ("open", "close", "weekdays", "day_reset"))
    open_time = hours.time("open", None)
    close_time = hours.time("close", None)
    if open_time is not None and close_time is not None and close_time <= open_time:
        raise hours.error(
            "close",
            f"[hours] close {close_time:%H:%M} must be later than open {open_time:%H:%M}",
        )
    settings["open_time"] = open_time
    settings["close_time"] = close_time
    settings["open_weekdays"] = _weekdays(hours)
    settings["day_reset"] = hours.time("day_reset", datetime.time(0, 0))

    announce = root.subtable("announce", ("zh", "en", "times", "merge"))
    for key, target in (("zh", "announcement_zh"), ("en", "announcement_en")):
        template = announce.text(key, getattr(HallConfig, target))
        assert template is not None
        _check_template(announce, key, template)
        settings[target] = template
    settings["announce_times"] = announce.integer("times", 2, 1, 5)
    settings["announce_merge"] = announce.integer("merge", 3, 1, 8)

    kiosk = root.subtable(
        "kiosk",
        (
            "printer",
            "paper_mm",
            "priority_pin",
            "notice",
            "names",
            "issue_burst",
            "issues_per_minute",
        ),
    )
    printer = kiosk.text("printer", "preview")
    assert printer is not None
    kind = printer.split(":", 1)[0].strip().lower()
    if kind not in PRINTER_KINDS:
        raise kiosk.error(
            "printer",
            f'[kiosk] printer "{printer}" is not a printer spec'
            + (_suggest(kind, PRINTER_KINDS) or "")
            + "; use usb:VID:PID, serial:DEVICE[:BAUD], network:HOST[:PORT], file:PATH, "
            "cups:NAME, win32:NAME, preview or none",
        )
    settings["printer"] = printer
    paper_mm = kiosk.integer("paper_mm", 80, 0, 1000)
    if paper_mm not in PAPER_WIDTHS_MM:
        raise kiosk.error("paper_mm", f"[kiosk] paper_mm must be 58 or 80, not {paper_mm}")
    settings["paper_mm"] = paper_mm
    settings["priority_pin"] = _pin(kiosk, "priority_pin", required=False)
    settings["ticket_notice"] = kiosk.text("notice", HallConfig.ticket_notice, empty_ok=True)
    settings["issue_burst"] = kiosk.integer("issue_burst", HallConfig.issue_burst, 1, 100_000)
    settings["issues_per_minute"] = kiosk.integer(
        "issues_per_minute", HallConfig.issues_per_minute, 1, 100_000
    )
    settings["kiosk_names"] = _kiosk_names(kiosk)

    board = root.subtable("board", ("waiting", "busiest"))
    waiting = board.text("waiting", "all")
    if waiting not in ("all", "busiest"):
        raise board.error("waiting", f'[board] waiting "{waiting}" must be "all" or "busiest"')
    settings["board_waiting"] = waiting
    settings["board_busiest"] = board.integer("busiest", 8, 1, limits.MAX_CATEGORIES)
    boards = []
    for table in root.table_array("boards", ("name", "counters")) or []:
        text = table.required_text("counters")
        try:
            numbers = parse_counter_range(text)
        except ValueError as exc:
            raise table.error("counters", f"{table.name('counters')}: {exc}") from None
        boards.append(BoardConfig(table.required_text("name"), numbers))
    duplicate = _first_duplicate(
        root.table_array("boards", ("name", "counters")) or [],
        "name",
        [b.name for b in boards],
        "board name",
    )
    if duplicate:
        raise duplicate
    settings["boards"] = tuple(boards)
    calls = root.subtable("calls", ("min_gap_s",))
    settings["call_gap_s"] = calls.integer(
        "min_gap_s", HallConfig.call_gap_s, 0, limits.MAX_CALL_GAP_S
    )
    report = root.subtable("report", ("short_service_s",))
    settings["short_service_s"] = report.integer(
        "short_service_s", HallConfig.short_service_s, 1, 3600
    )

    web = root.subtable("web", ("public_url", "host", "port"))
    public_url = web.text("public_url")
    if public_url is not None:
        problem = public_url_problem(public_url)
        if problem:
            raise web.error("public_url", f'[web] public_url "{public_url}" {problem}')
        settings["web_public_url"] = public_url.rstrip("/")
    web_host = web.text("host", "127.0.0.1")
    assert web_host is not None
    if any(char.isspace() for char in web_host):
        raise web.error("host", f'[web] host "{web_host}" must not contain spaces')
    settings["web_host"] = web_host
    settings["web_port"] = web.integer("port", 8080, 1, 65535)

    counters = _counters(root, catalog)
    if counters is not None:
        settings["counters"] = counters
    settings["clerks"] = _clerks(root)
    return HallConfig(**settings)


MAX_PUBLIC_URL = 80  # the ticket's QR code stays small (version 4 at most, see README)
_PUBLIC_URL_RE = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?")


def public_url_problem(url: str) -> str | None:
    """Why `url` cannot be the web pages' public address, or None when it can."""
    if len(url) > MAX_PUBLIC_URL:
        return f"is longer than {MAX_PUBLIC_URL} characters (the QR code would grow)"
    if not _PUBLIC_URL_RE.fullmatch(url):
        return (
            "must be http:// or https://, a host name or address, an optional :port and an "
            'optional path, e.g. "http://192.168.10.2:8080" (no spaces, query or #)'
        )
    return None


KIOSK_NAME_MAX = 32


def _kiosk_names(kiosk: _Table) -> tuple[tuple[str, str], ...]:
    """[kiosk] names = {"kiosk-1" = "东门取号机"}: what staff screens call each kiosk."""
    value = kiosk.data.get("names", {})
    if not isinstance(value, dict):
        raise kiosk.error("names", '[kiosk] names must be a table like {"kiosk-1" = "东门取号机"}')
    names = []
    for client, name in value.items():
        if not isinstance(name, str) or not name.strip():
            raise kiosk.error("names", f"[kiosk] names: the name of {client!r} must be text")
        if len(name) > KIOSK_NAME_MAX:
            raise kiosk.error(
                "names",
                f"[kiosk] names: the name of {client!r} is longer than {KIOSK_NAME_MAX} characters",
            )
        names.append((str(client), name.strip()))
    return tuple(names)


def _resolve(base_dir: Path, name: str) -> Path:
    candidate = Path(name).expanduser()
    return candidate if candidate.is_absolute() else base_dir / candidate


def _check_timezone(table: _Table, name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
        return
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    known = zoneinfo.available_timezones()
    if not known:
        problem = (
            f'[hall] timezone "{name}": this machine has no time zone database '
            "(install the tzdata package), or leave timezone out to use the machine's zone"
        )
    else:
        problem = f'[hall] timezone "{name}" is not a known time zone' + (
            _suggest(name, known) or ' (use a name like "Asia/Shanghai")'
        )
    raise table.error("timezone", problem)


def _weekdays(hours: _Table) -> tuple[int, ...]:
    if "weekdays" not in hours.data:
        return (0, 1, 2, 3, 4, 5, 6)
    value = hours.data["weekdays"]
    if not isinstance(value, list) or not value:
        raise hours.error(
            "weekdays", "[hours] weekdays must be a list of days like [1, 2, 3, 4, 5] (1 = Monday)"
        )
    for day in value:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise hours.error(
                "weekdays",
                f"[hours] weekdays: {_kind(day)} is not a day; use 1 (Monday) to 7 (Sunday)",
            )
    return tuple(sorted({day - 1 for day in value}))


def _check_template(table: _Table, key: str, template: str) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise table.error(key, f"[announce] {key} is not a valid template: {exc}") from None
    for name in fields:
        if name not in ANNOUNCEMENT_FIELDS:
            raise table.error(
                key,
                f"[announce] {key}: unknown placeholder {{{name}}}; use {{number}} and {{counter}}",
            )


def _pin(table: _Table, key: str, *, required: bool) -> str | None:
    if key not in table.data:
        if required:
            raise table.error(None, f'{table.label} is missing the key "{key}"')
        return None
    value = table.data[key]
    if isinstance(value, int) and not isinstance(value, bool):
        raise table.error(key, f'{table.name(key)} must be written in quotes, e.g. "{value:04d}"')
    pin = table.text(key)
    assert pin is not None
    if not _PIN_RE.fullmatch(pin):
        raise table.error(key, f"{table.name(key)} must be 4 to 8 digits")
    return pin


def _counters(root: _Table, catalog: Catalog) -> tuple[CounterConfig, ...] | None:
    tables = root.table_array("counters", ("number", "name", "services"))
    if tables is None:
        return None
    counters = []
    service_codes = [service.code for service in catalog.services]
    for table in tables:
        number = table.integer("number", None, 1, 999, required=True)
        assert number is not None
        name = table.shown_text("name", limits.MAX_COUNTER_NAME, f"{number}号窗口")
        assert name is not None
        codes = table.string_list("services")
        services: tuple[str, ...] | None = None
        if codes is not None:
            if not codes:
                raise table.error(
                    "services",
                    f"{table.name('services')} is empty; leave it out to serve every service",
                )
            expanded: list[str] = []
            for code in codes:
                if code in catalog._categories_by_code:
                    members = [s.code for s in catalog.services_of(code)]
                elif code in catalog._services_by_code:
                    members = [code]
                else:
                    raise table.error(
                        "services",
                        f'{table.name("services")}: "{code}" is neither a service nor a '
                        "category of the catalog"
                        + _suggest(code, [*service_codes, *catalog._categories_by_code]),
                        needle=f'"{code}"',
                    )
                expanded.extend(member for member in members if member not in expanded)
            if len(expanded) > limits.MAX_COUNTER_SERVICES:
                raise table.error(
                    "services",
                    f"{table.name('services')} names {len(expanded)} matters (departments "
                    f"counted by their matters); a counter can name at most "
                    f"{limits.MAX_COUNTER_SERVICES}: leave services out to serve every matter",
                )
            services = tuple(expanded)
        counters.append(CounterConfig(number, name, services))
    if len(tables) > limits.MAX_COUNTERS:
        raise tables[limits.MAX_COUNTERS].error(
            None,
            f"the hall file lists {len(tables)} counters; a hall can have at most "
            f"{limits.MAX_COUNTERS}",
        )
    duplicate = _first_duplicate(tables, "number", [c.number for c in counters], "counter number")
    if duplicate:
        raise duplicate
    return tuple(counters)


def _clerks(root: _Table) -> tuple[ClerkConfig, ...]:
    tables = root.table_array("clerks", ("id", "name", "pin"))
    if tables is None:
        return ()
    clerks = []
    for table in tables:
        clerk_id = table.matching(
            "id", _CLERK_ID_RE, "use letters, digits, _ . or - (at most 32)", required=True
        )
        assert clerk_id is not None
        name = table.required_shown_text("name", limits.MAX_CLERK_NAME)
        pin = _pin(table, "pin", required=True)
        assert pin is not None
        clerks.append(ClerkConfig(clerk_id, name, pin))
    duplicate = _first_duplicate(tables, "id", [c.id for c in clerks], "clerk id")
    if duplicate:
        raise duplicate
    return tuple(clerks)
