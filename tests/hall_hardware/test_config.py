"""The [hardware] section of the hall file: what it maps, and line-numbered errors."""

from __future__ import annotations

import pytest

from hall_hardware.config import load_hardware
from shared.config.hall import ConfigError

BASE = """[hardware]
refresh_s = 3

[[hardware.buses]]
name = "hall"
port = "/dev/ttyUSB0"

[[hardware.buses]]
name = "digits"
port = "/dev/ttyUSB1"
baud = 19200

[[hardware.keypads]]
bus = "hall"
address = 1
counter = 1

[[hardware.screens]]
bus = "hall"
address = 101
driver = "led_text"
counter = 1

[[hardware.screens]]
bus = "hall"
address = 200
driver = "led_strip"
"""


def test_a_hall_file_maps_buses_keypads_and_screens(tmp_path):
    path = tmp_path / "hall.toml"
    path.write_text(BASE, encoding="utf-8")
    hall, hw = load_hardware(path)
    assert [b.name for b in hw.buses] == ["hall", "digits"] and hw.buses[1].baud == 19200
    assert hw.keypads[0].counter == 1 and hw.keypads[0].driver == "ff68"
    assert [(s.driver, s.counter) for s in hw.screens] == [("led_text", 1), ("led_strip", None)]
    assert hw.refresh_s == 3.0


MARK = "  # <- error here"
BAD = [
    ("no section", None, "has no [hardware] section"),
    ("unknown key", "[hardware]\nrefesh_s = 3" + MARK + "\n", 'did you mean "refresh_s"'),
    (
        "unknown bus",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.keypads]]\nbus = "b"'
        + MARK
        + "\naddress = 1\ncounter = 1\n",
        '"b" is not a bus',
    ),
    (
        "address out of range",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.keypads]]\nbus = "a"\n'
        "address = 300" + MARK + "\ncounter = 1\n",
        "out of range (1 to 254)",
    ),
    (
        "address used twice",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.keypads]]\nbus = "a"\n'
        'address = 1\ncounter = 1\n[[hardware.screens]]\nbus = "a"\naddress = 1'
        + MARK
        + '\ndriver = "led_text"\ncounter = 2\n',
        "address 1 on bus a is already used",
    ),
    (
        "counter the hall lacks",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.keypads]]\nbus = "a"\n'
        "address = 1\ncounter = 99" + MARK + "\n",
        "99 is not a counter of this hall",
    ),
    (
        "unknown driver",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.screens]]\nbus = "a"\n'
        'address = 1\ndriver = "led_txt"' + MARK + "\ncounter = 1\n",
        'driver "led_txt" is unknown',
    ),
    (
        "bad baud",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\nbaud = 9601' + MARK + "\n",
        "9601 is not one of",
    ),
    (
        "numeric screen sharing a bus",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.keypads]]\nbus = "a"\n'
        "address = 1\ncounter = 1\n[[hardware.screens]]" + MARK + '\nbus = "a"\naddress = 2\n'
        'driver = "led_numeric"\ncounter = 1\n',
        "need a bus of their own",
    ),
    (
        "strip with a counter",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.screens]]\nbus = "a"\n'
        'address = 1\ndriver = "led_strip"\ncounter = 1' + MARK + "\n",
        "remove counter",
    ),
    (
        "two keypads for one counter",
        '[hardware]\n[[hardware.buses]]\nname = "a"\nport = "x"\n[[hardware.keypads]]\nbus = "a"\n'
        'address = 1\ncounter = 1\n[[hardware.keypads]]\nbus = "a"\naddress = 2\ncounter = 1'
        + MARK
        + "\n",
        "one keypad per counter",
    ),
]


@pytest.mark.parametrize("name,text,problem", BAD, ids=[c[0] for c in BAD])
def test_bad_hardware_section_names_line_and_problem(tmp_path, name, text, problem):
    path = tmp_path / "hall.toml"
    path.write_text(text if text is not None else '[hall]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_hardware(path)
    assert problem in str(caught.value)
    if text is not None:
        expected = next(n for n, line in enumerate(text.split("\n"), 1) if MARK in line)
        assert caught.value.line == expected, str(caught.value)


def test_the_server_accepts_a_hall_file_with_a_hardware_section(tmp_path):
    from shared.config.hall import load_config

    path = tmp_path / "hall.toml"
    path.write_text(BASE, encoding="utf-8")
    assert load_config(path).counters


def test_check_command_reports_the_mapping(tmp_path, capsys):
    from shared.cli.main import main

    path = tmp_path / "hall.toml"
    path.write_text(BASE, encoding="utf-8")
    assert main(["hardware", "--config", str(path), "--check"]) == 0
    assert "2 buses, 1 keypads, 2 screens: ok" in capsys.readouterr().out
    path.write_text(BASE.replace("address = 200", "address = 0"), encoding="utf-8")
    assert main(["hardware", "--config", str(path), "--check"]) == 2
    assert (
        "hall.toml:26: [[hardware.screens]] #2 address 0 is out of range" in capsys.readouterr().err
    )
