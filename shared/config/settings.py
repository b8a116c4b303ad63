"""What a hall is made of: its catalog (departments and matters), counters, clerks, boards,
and the settings the server and the apps share, with the one-machine demo as the defaults.

These are plain frozen values: the hall and catalog files are read into them by
`shared.config.hall_file` and `shared.config.catalog_file`, and tests and the demo build
them in code, where the same consistency checks (duplicate codes, unknown services) apply.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from shared.config.rules import pinyin_initials

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
    """A counter (window) of the hall; `services` None means it serves every service.

    `assigned` is what the hall file gave: department and matter codes, of which `services`
    are the matters (None: the same as `services`). The database keeps both, so a counter
    given a department also serves the matters a catalog import adds to it later.
    """

    number: int
    name: str
    services: tuple[str, ...] | None = None
    assigned: tuple[str, ...] | None = field(default=None, compare=False)

    def serves(self, service_code: str) -> bool:
        return self.services is None or service_code in self.services


@dataclass(frozen=True)
class BoardConfig:
    """A display board hung for some counters (`display-board --board NAME`)."""

    name: str
    counters: frozenset[int]


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

    def has_category(self, code: str) -> bool:
        return code in self._categories_by_code

    def has_service(self, code: str) -> bool:
        return code in self._services_by_code

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
    # The catalog file reader builds these types, so it is imported when first needed.
    from shared.config.catalog_file import load_catalog

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
                if not self.catalog.has_service(code):
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
