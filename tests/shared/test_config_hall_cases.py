"""Every kind of bad hall file, one table of cases, each named by file, line and problem; any
edit of the sample hall file loads or is refused the same way."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.config.hall import SAMPLE_CATALOG_PATH, SAMPLE_HALL_PATH, ConfigError, load_config
from tests.shared.config_support import MARK, marked_line, write

# --- Bad files: one table of cases ----------------------------------------------------------

HALL_CASES = [
    ("toml-syntax", "[server]\nport = " + MARK + "\n", "TOML syntax error: Invalid value"),
    (
        "unquoted-time",
        "[hours]\nopen = 08:30 " + MARK + "\n",
        'write times in quotes, e.g. "08:30"',
    ),
    ("key-twice", "[server]\nport = 1\nport = 2 " + MARK + "\n", "written twice"),
    ("table-twice", "[hall]\n[server]\n[hall] " + MARK + "\n", "Cannot declare [hall] twice"),
    (
        "typo-prot",
        '[server]\nhost = "127.0.0.1"\nprot = 7310 ' + MARK + "\n",
        'unknown key "prot" in [server] (did you mean "port"?)',
    ),
    (
        "typo-table",
        "[sevrer] " + MARK + "\nport = 7310\n",
        'unknown table [sevrer] (did you mean "server"?)',
    ),
    (
        "unknown-key-lists-allowed",
        "[kiosk]\nzzz = 1 " + MARK + "\n",
        'unknown key "zzz" in [kiosk]; allowed keys: printer, paper_mm',
    ),
    (
        "top-level-key-after-table",
        '[hall]\nname = "白沙"\ncatalog = "c.toml" ' + MARK + "\n",
        "top-level keys such as catalog must come before the first [table]",
    ),
    ("section-not-table", 'hall = "白沙" ' + MARK + "\n", '"hall" must be a table'),
    (
        "port-is-text",
        '[server]\nport = "7310" ' + MARK + "\n",
        '[server] port must be a whole number, not the text "7310"',
    ),
    ("port-is-bool", "[server]\nport = true " + MARK + "\n", "must be a whole number"),
    (
        "port-out-of-range",
        "[server]\nport = 70000 " + MARK + "\n",
        "[server] port 70000 is out of range (1 to 65535)",
    ),
    ("port-zero", "[server]\nport = 0 " + MARK + "\n", "out of range"),
    ("host-with-space", '[server]\nhost = "10.0.0 .1" ' + MARK + "\n", "must not contain spaces"),
    (
        "timeout-too-short",
        "[server]\npending_timeout_s = 1 " + MARK + "\n",
        "pending_timeout_s 1 is out of range",
    ),
    (
        "hour-25",
        '[hours]\nopen = "08:00"\nclose = "25:00" ' + MARK + "\n",
        '[hours] close "25:00" is not a time of day',
    ),
    ("minute-60", '[hours]\nday_reset = "03:60" ' + MARK + "\n", "is not a time of day"),
    ("time-with-dot", '[hours]\nopen = "8.30" ' + MARK + "\n", 'is not a time like "08:30"'),
    ("time-is-number", "[hours]\nopen = 830 " + MARK + "\n", "must be a time in quotes"),
    (
        "close-before-open",
        '[hours]\nopen = "17:30"\nclose = "08:30" ' + MARK + "\n",
        "close 08:30 must be later than open 17:30",
    ),
    (
        "weekday-zero",
        "[hours]\nweekdays = [0, 1, 2] " + MARK + "\n",
        "the number 0 is not a day; use 1 (Monday) to 7 (Sunday)",
    ),
    ("weekdays-empty", "[hours]\nweekdays = [] " + MARK + "\n", "must be a list of days"),
    ("weekdays-not-list", "[hours]\nweekdays = 5 " + MARK + "\n", "must be a list of days"),
    (
        "timezone-typo",
        '[hall]\ntimezone = "Asia/Shangai" ' + MARK + "\n",
        '"Asia/Shangai" is not a known time zone (did you mean "Asia/Shanghai"?)',
    ),
    ("empty-hall-name", '[hall]\nname = "   " ' + MARK + "\n", "[hall] name must not be empty"),
    ("name-is-number", "[hall]\nname = 5 " + MARK + "\n", "must be text in quotes, not the number"),
    (
        "announce-placeholder",
        '[announce]\nzh = "请{num}号到{counter}号窗口" ' + MARK + "\n",
        "unknown placeholder {num}; use {number} and {counter}",
    ),
    ("announce-brace", '[announce]\nen = "No. {number" ' + MARK + "\n", "not a valid template"),
    ("announce-times", "[announce]\ntimes = 0 " + MARK + "\n", "times 0 is out of range (1 to 5)"),
    (
        "printer-kind",
        '[kiosk]\nprinter = "usbb:0x0416:0x5011" ' + MARK + "\n",
        'is not a printer spec (did you mean "usb"?)',
    ),
    ("paper-width", "[kiosk]\npaper_mm = 76 " + MARK + "\n", "paper_mm must be 58 or 80, not 76"),
    (
        "pin-not-quoted",
        "[kiosk]\npriority_pin = 2580 " + MARK + "\n",
        'priority_pin must be written in quotes, e.g. "2580"',
    ),
    ("pin-letters", '[kiosk]\npriority_pin = "12a4" ' + MARK + "\n", "must be 4 to 8 digits"),
    ("pin-too-long", '[kiosk]\npriority_pin = "123456789" ' + MARK + "\n", "4 to 8 digits"),
    (
        "counters-single-table",
        "[counters] " + MARK + "\nnumber = 1\n",
        "each starting with [[counters]]",
    ),
    (
        "counter-number-twice",
        "[[counters]]\nnumber = 3\n\n[[counters]]\nnumber = 3 " + MARK + "\n",
        "counter number 3 is used twice (also in [[counters]] #1)",
    ),
    (
        "counter-without-number",
        "[[counters]] " + MARK + '\nname = "A"\n',
        'missing the key "number"',
    ),
    (
        "counter-empty-name",
        '[[counters]]\nnumber = 1\nname = "" ' + MARK + "\n",
        "must not be empty",
    ),
    (
        "counter-unknown-service",
        '[[counters]]\nnumber = 1\nservices = [\n    "vat_filing",\n    "vat_filling", '
        + MARK
        + "\n]\n",
        '"vat_filling" is neither a service nor a category of the catalog '
        '(did you mean "vat_filing"?)',
    ),
    (
        "counter-services-not-list",
        '[[counters]]\nnumber = 1\nservices = "tax" ' + MARK + "\n",
        "services must be a list",
    ),
    (
        "counter-services-empty",
        "[[counters]]\nnumber = 1\nservices = [] " + MARK + "\n",
        "is empty; leave it out to serve every service",
    ),
    (
        "counter-services-number",
        "[[counters]]\nnumber = 1\nservices = [7] " + MARK + "\n",
        "must list text in quotes, not the number 7",
    ),
    (
        "counter-typo-key",
        "[[counters]]\nnumber = 1\nservice = [] " + MARK + "\n",
        'unknown key "service" in [[counters]] #1 (did you mean "services"?)',
    ),
    (
        "clerk-short-pin",
        '[[clerks]]\nid = "1001"\nname = "张敏"\npin = "123" ' + MARK + "\n",
        "[[clerks]] #1 pin must be 4 to 8 digits",
    ),
    (
        "clerk-pin-number",
        '[[clerks]]\nid = "1001"\nname = "张敏"\npin = 1234 ' + MARK + "\n",
        "must be written in quotes",
    ),
    (
        "clerk-missing-name",
        "[[clerks]] " + MARK + '\nid = "1001"\npin = "1234"\n',
        '[[clerks]] #1 is missing the key "name"',
    ),
    (
        "clerk-id-twice",
        '[[clerks]]\nid = "1001"\nname = "张敏"\npin = "1234"\n\n'
        '[[clerks]]\nid = "1001" ' + MARK + '\nname = "李强"\npin = "2345"\n',
        'clerk id "1001" is used twice (also in [[clerks]] #1)',
    ),
    (
        "clerk-id-space",
        '[[clerks]]\nid = "zhang min" ' + MARK + '\nname = "张敏"\npin = "1234"\n',
        'id "zhang min" is not valid',
    ),
    (
        "catalog-missing",
        'catalog = "nowhere.toml" ' + MARK + "\n",
        "catalog file not found:",
    ),
]


@pytest.mark.parametrize(
    ("text", "problem"),
    [pytest.param(text, problem, id=case) for case, text, problem in HALL_CASES],
)
def test_bad_hall_file_names_file_line_and_problem(tmp_path, text, problem):
    path = write(tmp_path / "hall.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    error = caught.value
    assert error.file == str(path)
    assert error.line == marked_line(text), error
    assert problem in error.problem
    assert str(error) == f"{path}:{error.line}: {error.problem}"


HALL_TEXT = SAMPLE_HALL_PATH.read_text(encoding="utf-8")
FRAGMENTS = [
    "",
    "[hall]",
    "[[counters]]",
    "[[clerks]]",
    "port = 99999",
    'port = "x"',
    "number = -1",
    'services = ["nope"]',
    'services = ["tax", 3]',
    'open = "99:99"',
    "weekdays = [8]",
    'pin = "1"',
    "key = 5",
    "times = []",
    'zh = "{0}{number}"',
    'timezone = ""',
    "name = {}",
    'printer = ""',
    "x = [[1], [2]]",
    '"" = 1',
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    line_index=st.integers(min_value=0, max_value=len(HALL_TEXT.splitlines()) - 1),
    replacement=st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)),
)
def test_any_edit_of_the_sample_hall_loads_or_raises_config_error(
    tmp_path_factory, line_index, replacement
):
    lines = HALL_TEXT.replace(
        'catalog = "sample_catalog.toml"', f'catalog = "{SAMPLE_CATALOG_PATH.as_posix()}"'
    ).splitlines()
    lines[line_index] = replacement
    path = tmp_path_factory.mktemp("fuzz") / "hall.toml"
    write(path, "\n".join(lines) + "\n")
    try:
        load_config(path, env={})
    except ConfigError as error:
        assert error.file == str(path)
        assert error.problem
        assert error.line is None or 1 <= error.line <= len(lines) + 1
