"""The [hardware] section of the hall file: serial buses, keypads and screens.

    [hardware]
    refresh_s = 5                 # every screen and keypad display is redrawn this often
    strip_calls = 5               # how many of the latest calls the strip scrolls

    [[hardware.buses]]
    name = "hall"
    port = "/dev/ttyUSB0"         # COM3 on Windows
    baud = 9600

    [[hardware.keypads]]
    bus = "hall"
    address = 1
    counter = 1
    driver = "ff68"               # the default

    [[hardware.screens]]
    bus = "hall"
    address = 101
    driver = "led_text"           # led_text, led_numeric or led_strip
    counter = 1                   # window screens only; the strip shows the whole hall

Every problem raises `ConfigError` with the file and line, like the rest of the hall file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from hall_hardware.drivers import KEYPAD_DRIVERS, SCREEN_DRIVERS
from hall_hardware.drivers.led_strip import LedStrip
from shared.config.hall import ConfigError, ConfigTable, HallConfig, hall_section, load_config

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
ADDRESS_MIN, ADDRESS_MAX = 1, 254
_BUS_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,31}")
MAX_DEVICES = 256  # per kind, for the whole hall


@dataclass(frozen=True)
class BusConfig:
    name: str
    port: str
    baud: int = 9600


@dataclass(frozen=True)
class KeypadConfig:
    bus: str
    address: int
    counter: int
    driver: str = "ff68"

    @property
    def label(self) -> str:
        return f"keypad {self.address} on bus {self.bus} (counter {self.counter})"


@dataclass(frozen=True)
class ScreenConfig:
    bus: str
    address: int
    driver: str
    counter: int | None = None  # None: the strip, showing the latest calls of the hall

    @property
    def label(self) -> str:
        what = f"counter {self.counter}" if self.counter is not None else "latest calls"
        return f"{self.driver} screen {self.address} on bus {self.bus} ({what})"


@dataclass(frozen=True)
class HardwareConfig:
    buses: tuple[BusConfig, ...] = ()
    keypads: tuple[KeypadConfig, ...] = ()
    screens: tuple[ScreenConfig, ...] = ()
    refresh_s: float = 5.0
    strip_calls: int = 5


def load_hardware(path: str | os.PathLike[str]) -> tuple[HallConfig, HardwareConfig]:
    """Read the hall file and its [hardware] section; ConfigError names file and line."""
    hall = load_config(path)
    section = hall_section(path, "hardware")
    if section is None:
        raise ConfigError(
            str(path), None, "the hall file has no [hardware] section; see docs/hardware.md"
        )
    return hall, parse_hardware(section, hall)


def _array(section: ConfigTable, key: str, allowed: tuple[str, ...]) -> list[ConfigTable]:
    value = section.data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise section.error(
            key, f'"{key}" must be tables, each starting with [[hardware.{key}]] on its own line'
        )
    if len(value) > MAX_DEVICES:
        raise section.error(key, f"at most {MAX_DEVICES} [[hardware.{key}]] tables")
    tables = [
        ConfigTable(
            section.doc, (*section.path, key, index), f"[[hardware.{key}]] #{index + 1}", item
        )
        for index, item in enumerate(value)
    ]
    for table in tables:
        table.check_keys(allowed)
    return tables


def _driver(table: ConfigTable, known: Mapping[str, object], default: str | None) -> str:
    name = table.text("driver", default, required=default is None)
    assert name is not None
    if name not in known:
        raise table.error(
            "driver", f'{table.name("driver")} "{name}" is unknown; drivers: ' + ", ".join(known)
        )
    return name


def parse_hardware(section: ConfigTable, hall: HallConfig) -> HardwareConfig:
    section.check_keys(("refresh_s", "strip_calls", "buses", "keypads", "screens"))
    refresh = section.integer("refresh_s", 5, 1, 300)
    strip_calls = section.integer("strip_calls", 5, 1, 10)
    assert refresh is not None and strip_calls is not None
    counters = {c.number for c in hall.counters}

    buses: dict[str, BusConfig] = {}
    bus_tables = _array(section, "buses", ("name", "port", "baud"))
    if not bus_tables:
        raise section.error(None, "[hardware] lists no [[hardware.buses]]; name at least one")
    for table in bus_tables:
        name = table.matching(
            "name", _BUS_NAME_RE, "use 1 to 32 letters, digits, _ or -", required=True
        )
        assert name is not None
        if name in buses:
            raise table.error("name", f'bus name "{name}" is used twice')
        port = table.required_text("port")
        baud = table.integer("baud", 9600, 1, 10_000_000)
        if baud not in BAUD_RATES:
            raise table.error(
                "baud",
                f"{table.name('baud')} {baud} is not one of " + ", ".join(map(str, BAUD_RATES)),
            )
        if any(b.port == port for b in buses.values()):
            raise table.error("port", f'port "{port}" is named by two buses')
        assert baud is not None
        buses[name] = BusConfig(name, port, baud)

    used: dict[tuple[str, int], str] = {}

    def place(table: ConfigTable) -> tuple[str, int]:
        bus = table.required_text("bus")
        if bus not in buses:
            raise table.error(
                "bus", f'{table.name("bus")} "{bus}" is not a bus; buses: ' + ", ".join(buses)
            )
        address = table.integer("address", None, ADDRESS_MIN, ADDRESS_MAX, required=True)
        assert address is not None
        if (bus, address) in used:
            raise table.error(
                "address",
                f"address {address} on bus {bus} is already used by {used[(bus, address)]}",
            )
        used[(bus, address)] = table.label
        return bus, address

    def counter_of(table: ConfigTable, required: bool) -> int | None:
        number = table.integer("counter", None, 1, 999, required=required)
        if number is not None and number not in counters:
            raise table.error(
                "counter", f"{table.name('counter')} {number} is not a counter of this hall"
            )
        return number

    keypads: list[KeypadConfig] = []
    keypad_counters: dict[int, str] = {}
    for table in _array(section, "keypads", ("bus", "address", "counter", "driver")):
        bus, address = place(table)
        counter = counter_of(table, required=True)
        assert counter is not None
        if counter in keypad_counters:
            raise table.error(
                "counter",
                f"counter {counter} already has a keypad ({keypad_counters[counter]}); "
                "one keypad per counter",
            )
        keypad_counters[counter] = table.label
        keypads.append(KeypadConfig(bus, address, counter, _driver(table, KEYPAD_DRIVERS, "ff68")))

    screens: list[ScreenConfig] = []
    for table in _array(section, "screens", ("bus", "address", "counter", "driver")):
        bus, address = place(table)
        driver = _driver(table, SCREEN_DRIVERS, None)
        is_strip = driver == LedStrip.name
        counter = counter_of(table, required=not is_strip)
        if is_strip and counter is not None:
            raise table.error(
                "counter", "a led_strip screen shows the whole hall's latest calls; remove counter"
            )
        screens.append(ScreenConfig(bus, address, driver, counter))

    for bus in buses:
        drivers = {s.driver for s in screens if s.bus == bus} | {
            k.driver for k in keypads if k.bus == bus
        }
        for name in drivers:
            cls = SCREEN_DRIVERS.get(name)
            if cls is not None and not cls.shares_bus and len(drivers) > 1:
                line = next(s for s in screens if s.bus == bus and s.driver == name)
                index = screens.index(line)
                raise ConfigError(
                    section.doc.file,
                    section.doc.source.line_of((*section.path, "screens", index)),
                    f"{name} screens have no start byte and need a bus of their own; bus {bus}"
                    " also carries " + ", ".join(sorted(drivers - {name})),
                )
    return HardwareConfig(
        tuple(buses.values()), tuple(keypads), tuple(screens), float(refresh), strip_calls
    )
