"""Reading a hall file: the hall's name, server, hours, announcements, kiosk, boards,
counters and clerks, and the catalog file it names.

Each top-level table has its own reader below, called in the order the file documents
them, so the first problem found is the one nearest the top; every problem raises
`ConfigError` naming the file and the line. Relative paths (the catalog, the database, the
log folder) are relative to the hall file itself.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import string
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared.config.catalog_file import load_catalog
from shared.config.rules import (
    CLERK_ID_RE,
    CLERK_ID_RULE,
    PIN_RE,
    parse_counter_range,
    public_url_problem,
    suggest,
)
from shared.config.settings import (
    ANNOUNCEMENT_FIELDS,
    DEFAULT_PORT,
    KEY_ENV_VAR,
    PAPER_WIDTHS_MM,
    PRINTER_KINDS,
    SAMPLE_HALL_NAME,
    BoardConfig,
    Catalog,
    ClerkConfig,
    CounterConfig,
    HallConfig,
    sample_catalog,
)
from shared.config.toml_reading import (
    ConfigTable,
    TomlDocument,
    first_duplicate,
    kind_of,
    read_document,
)
from shared.domain import limits
from shared.domain.errors import ConfigError

TOP_LEVEL_KEYS = (
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
KIOSK_KEYS = (
    "printer",
    "paper_mm",
    "priority_pin",
    "notice",
    "names",
    "issue_burst",
    "issues_per_minute",
)

Settings = dict[str, Any]  # HallConfig's fields, as the tables are read


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
        config = parse_hall(read_document(path), Path(path))
    if env_key is not None:
        config = dataclasses.replace(config, key=env_key)
    return config


def hall_section(path: str | os.PathLike[str], key: str) -> ConfigTable | None:
    """The top-level table `key` of a hall file, or None when the file has none.

    Programs that own a section of the hall file (the hardware bridge) read it this way,
    with the same line-accurate errors.
    """
    doc = read_document(path)
    if key not in doc.data:
        return None
    value = doc.data[key]
    if not isinstance(value, dict):
        raise doc.error((key,), f'"{key}" must be a table: write [{key}] on its own line')
    return ConfigTable(doc, (key,), f"[{key}]", value)


def parse_hall(doc: TomlDocument, path: Path) -> HallConfig:
    """The settings a read hall file at `path` describes."""
    base_dir = path.resolve().parent
    root = ConfigTable(doc, (), "", doc.data)
    if "categories" in doc.data or "services" in doc.data:
        raise ConfigError(
            doc.file,
            None,
            "this is a catalog file, not a hall file; name it in the hall "
            'file with catalog = "..." instead',
        )
    root.check_keys(TOP_LEVEL_KEYS)
    settings: Settings = {"config_path": str(path.resolve())}
    catalog = _catalog(root, base_dir)
    settings["catalog"] = catalog
    _hall(root, settings)
    _server(root, settings, base_dir)
    _hours(root, settings)
    _announce(root, settings)
    _kiosk(root, settings)
    _boards(root, settings)
    calls = _subtable(root, "calls", ("min_gap_s",))
    settings["call_gap_s"] = calls.integer(
        "min_gap_s", HallConfig.call_gap_s, 0, limits.MAX_CALL_GAP_S
    )
    report = _subtable(root, "report", ("short_service_s",))
    settings["short_service_s"] = report.integer(
        "short_service_s", HallConfig.short_service_s, 1, 3600
    )
    _web(root, settings)
    counters = _counters(root, catalog)
    if counters is not None:
        settings["counters"] = counters
    settings["clerks"] = _clerks(root)
    return HallConfig(**settings)


def _top_level_hint(key: str) -> str:
    if key in TOP_LEVEL_KEYS:
        return f"; top-level keys such as {key} must come before the first [table]"
    return ""


def _subtable(root: ConfigTable, key: str, allowed: tuple[str, ...]) -> ConfigTable:
    return root.subtable(key, allowed, hint=_top_level_hint)


def _catalog(root: ConfigTable, base_dir: Path) -> Catalog:
    catalog_name = root.text("catalog")
    if catalog_name is None:
        return sample_catalog()
    catalog_path = _resolve(base_dir, catalog_name)
    if not catalog_path.is_file():
        raise root.error("catalog", f"catalog file not found: {catalog_path}")
    return load_catalog(catalog_path)


def _hall(root: ConfigTable, settings: Settings) -> None:
    hall = _subtable(root, "hall", ("name", "key", "timezone", "notice"))
    settings["hall_name"] = hall.shown_text("name", limits.MAX_HALL_NAME, SAMPLE_HALL_NAME)
    settings["key"] = hall.text("key")
    timezone = hall.text("timezone")
    if timezone is not None:
        _check_timezone(hall, timezone)
    settings["timezone"] = timezone
    settings["board_notice"] = hall.text("notice", HallConfig.board_notice, empty_ok=True)


def _server(root: ConfigTable, settings: Settings, base_dir: Path) -> None:
    server = _subtable(root, "server", ("host", "port", "db", "log_dir", "pending_timeout_s"))
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


def _hours(root: ConfigTable, settings: Settings) -> None:
    hours = _subtable(root, "hours", ("open", "close", "weekdays", "day_reset"))
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


def _announce(root: ConfigTable, settings: Settings) -> None:
    announce = _subtable(root, "announce", ("zh", "en", "times", "merge"))
    for key, target in (("zh", "announcement_zh"), ("en", "announcement_en")):
        template = announce.text(key, getattr(HallConfig, target))
        assert template is not None
        _check_template(announce, key, template)
        settings[target] = template
    settings["announce_times"] = announce.integer("times", 2, 1, 5)
    settings["announce_merge"] = announce.integer("merge", 3, 1, 8)


def _kiosk(root: ConfigTable, settings: Settings) -> None:
    kiosk = _subtable(root, "kiosk", KIOSK_KEYS)
    printer = kiosk.text("printer", "preview")
    assert printer is not None
    kind = printer.split(":", 1)[0].strip().lower()
    if kind not in PRINTER_KINDS:
        raise kiosk.error(
            "printer",
            f'[kiosk] printer "{printer}" is not a printer spec'
            + (suggest(kind, PRINTER_KINDS) or "")
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


def _boards(root: ConfigTable, settings: Settings) -> None:
    board = _subtable(root, "board", ("waiting", "busiest"))
    waiting = board.text("waiting", "all")
    if waiting not in ("all", "busiest"):
        raise board.error("waiting", f'[board] waiting "{waiting}" must be "all" or "busiest"')
    settings["board_waiting"] = waiting
    settings["board_busiest"] = board.integer("busiest", 8, 1, limits.MAX_CATEGORIES)
    tables = root.table_array("boards", ("name", "counters")) or []
    boards = []
    for table in tables:
        text = table.required_text("counters")
        try:
            numbers = parse_counter_range(text)
        except ValueError as exc:
            raise table.error("counters", f"{table.name('counters')}: {exc}") from None
        boards.append(BoardConfig(table.required_text("name"), numbers))
    duplicate = first_duplicate(tables, "name", [b.name for b in boards], "board name")
    if duplicate:
        raise duplicate
    settings["boards"] = tuple(boards)


def _web(root: ConfigTable, settings: Settings) -> None:
    web = _subtable(root, "web", ("public_url", "host", "port"))
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


KIOSK_NAME_MAX = 32


def _kiosk_names(kiosk: ConfigTable) -> tuple[tuple[str, str], ...]:
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


def _check_timezone(table: ConfigTable, name: str) -> None:
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
            suggest(name, known) or ' (use a name like "Asia/Shanghai")'
        )
    raise table.error("timezone", problem)


def _weekdays(hours: ConfigTable) -> tuple[int, ...]:
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
                f"[hours] weekdays: {kind_of(day)} is not a day; use 1 (Monday) to 7 (Sunday)",
            )
    return tuple(sorted({day - 1 for day in value}))


def _check_template(table: ConfigTable, key: str, template: str) -> None:
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


def _pin(table: ConfigTable, key: str, *, required: bool) -> str | None:
    if key not in table.data:
        if required:
            raise table.error(None, f'{table.label} is missing the key "{key}"')
        return None
    value = table.data[key]
    if isinstance(value, int) and not isinstance(value, bool):
        raise table.error(key, f'{table.name(key)} must be written in quotes, e.g. "{value:04d}"')
    pin = table.text(key)
    assert pin is not None
    if not PIN_RE.fullmatch(pin):
        raise table.error(key, f"{table.name(key)} must be 4 to 8 digits")
    return pin


def _counters(root: ConfigTable, catalog: Catalog) -> tuple[CounterConfig, ...] | None:
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
        assigned: tuple[str, ...] | None = None
        if codes is not None:
            if not codes:
                raise table.error(
                    "services",
                    f"{table.name('services')} is empty; leave it out to serve every service",
                )
            expanded: list[str] = []
            for code in codes:
                if catalog.has_category(code):
                    members = [s.code for s in catalog.services_of(code)]
                elif catalog.has_service(code):
                    members = [code]
                else:
                    raise table.error(
                        "services",
                        f'{table.name("services")}: "{code}" is neither a service nor a '
                        "category of the catalog"
                        + suggest(code, [*service_codes, *(c.code for c in catalog.categories)]),
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
            assigned = tuple(dict.fromkeys(codes))
        counters.append(CounterConfig(number, name, services, assigned))
    if len(tables) > limits.MAX_COUNTERS:
        raise tables[limits.MAX_COUNTERS].error(
            None,
            f"the hall file lists {len(tables)} counters; a hall can have at most "
            f"{limits.MAX_COUNTERS}",
        )
    duplicate = first_duplicate(tables, "number", [c.number for c in counters], "counter number")
    if duplicate:
        raise duplicate
    return tuple(counters)


def _clerks(root: ConfigTable) -> tuple[ClerkConfig, ...]:
    tables = root.table_array("clerks", ("id", "name", "pin"))
    if tables is None:
        return ()
    clerks = []
    for table in tables:
        clerk_id = table.matching("id", CLERK_ID_RE, CLERK_ID_RULE, required=True)
        assert clerk_id is not None
        name = table.required_shown_text("name", limits.MAX_CLERK_NAME)
        pin = _pin(table, "pin", required=True)
        assert pin is not None
        clerks.append(ClerkConfig(clerk_id, name, pin))
    duplicate = first_duplicate(tables, "id", [c.id for c in clerks], "clerk id")
    if duplicate:
        raise duplicate
    return tuple(clerks)
