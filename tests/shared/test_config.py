"""Tests of the hall and catalog settings files: samples, defaults, and every kind of bad file."""

from __future__ import annotations

import datetime
import pickle
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.config.hall import (
    KEY_ENV_VAR,
    SAMPLE_CATALOG_PATH,
    SAMPLE_HALL_PATH,
    Catalog,
    Category,
    ClerkConfig,
    ConfigError,
    CounterConfig,
    HallConfig,
    Service,
    default_config,
    load_catalog,
    load_config,
    pinyin_initials,
    sample_catalog,
)

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


# --- The samples and the defaults ---------------------------------------------------------


def test_sample_catalog_has_nine_departments_and_sixty_services_or_more():
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    assert len(catalog.categories) == 9
    assert len(catalog.services) >= 60
    prefixes = [category.prefix for category in catalog.categories]
    assert len(set(prefixes)) == 9
    assert not {"I", "O"} & set(prefixes), "I and O read like 1 and 0 on a ticket"
    for category in catalog.categories:
        assert 1 <= len(catalog.services_of(category.code)) <= 12
        assert category.name and category.name_en
    for service in catalog.services:
        assert service.name_en, service.code
        assert service.pinyin.isalpha() and service.pinyin.islower(), service.code


def test_sample_catalog_names_the_real_matters_of_a_town_hall():
    names = {service.name for service in sample_catalog().services}
    for name in (
        "城乡居民养老保险参保登记",
        "失业保险金申领",
        "医保关系转移接续",
        "门诊慢特病待遇认定",
        "最低生活保障申请",
        "个体工商户登记",
        "不动产抵押登记",
        "居民身份证申领",
        "农村宅基地申请",
    ):
        assert name in names


def test_sample_pinyin_matches_derived_initials_except_rare_characters():
    # The derivation knows only GB2312 level-1 characters; 殡 is level 2, so the sample
    # spells that matter out, and the explicit initials win.
    mismatched = {
        service.name
        for service in sample_catalog().services
        if service.pinyin != pinyin_initials(service.name)
    }
    assert mismatched == {"殡葬惠民补贴申领"}
    assert sample_catalog().service("funeral_subsidy").pinyin == "bzhmbtsl"


def test_sample_hall_file_loads_with_24_counters():
    config = load_config(SAMPLE_HALL_PATH, env={})
    assert config.hall_name == "白沙镇政务服务中心"
    assert len(config.counters) == 24
    assert [c.number for c in config.counters] == list(range(1, 25))
    assert len(config.catalog.categories) == 9
    assert len(config.catalog.services) >= 60
    assert config.timezone == "Asia/Shanghai"
    assert config.open_time == datetime.time(8, 30)
    assert config.close_time == datetime.time(17, 30)
    assert config.open_weekdays == (0, 1, 2, 3, 4)
    assert config.key is None
    assert config.clerks == ()
    assert config.config_path == str(SAMPLE_HALL_PATH.resolve())


def test_sample_hall_dedicates_counters_by_category_and_service():
    config = load_config(SAMPLE_HALL_PATH, env={})
    tax_codes = {s.code for s in config.catalog.services_of("tax")}
    assert set(config.counter(17).services or ()) == tax_codes
    estate = config.counter(19)
    assert estate.serves("re_mortgage") and estate.serves("property_tax")
    assert not estate.serves("vat_filing")
    assert config.counter(1).services is None and config.counter(1).serves("vat_filing")
    assert config.counter(24).services == ("marriage_appointment", "social_org")


def test_default_config_is_the_demo_hall():
    config = default_config()
    assert config == load_config(None, env={})
    assert config.hall_name == "白沙镇政务服务中心"
    assert config.port == 7310 and config.host == "127.0.0.1"
    assert [c.name for c in config.counters] == [f"{n}号窗口" for n in range(1, 25)]
    assert all(counter.services is None for counter in config.counters)
    assert config.catalog == sample_catalog()
    assert config.key is None
    assert len(config.clerks) >= 2
    assert all(clerk.pin.isdigit() and 4 <= len(clerk.pin) <= 8 for clerk in config.clerks)


def test_hall_file_without_clerks_or_counters_gets_no_demo_clerks_and_24_counters(tmp_path):
    config = load_config(write(tmp_path / "hall.toml", '[hall]\nname = "测试大厅"\n'), env={})
    assert config.hall_name == "测试大厅"
    assert config.clerks == ()
    assert len(config.counters) == 24
    assert config.catalog == sample_catalog()


def test_secrets_stay_out_of_repr():
    config = HallConfig(key="hall-secret-key", priority_pin="97531")
    assert "hall-secret-key" not in repr(config)
    assert "97531" not in repr(config)
    assert "8642" not in repr(ClerkConfig("1001", "张敏", "8642"))


# --- The hall key from the environment ----------------------------------------------------


def test_env_key_sets_the_key_without_a_file():
    assert load_config(None, env={KEY_ENV_VAR: "s3cret-hall-key"}).key == "s3cret-hall-key"


def test_env_key_overrides_the_file_key(tmp_path):
    path = write(tmp_path / "hall.toml", '[hall]\nkey = "from-the-file"\n')
    assert load_config(path, env={}).key == "from-the-file"
    assert load_config(path, env={KEY_ENV_VAR: "from-the-env"}).key == "from-the-env"


def test_empty_env_key_counts_as_unset(tmp_path):
    path = write(tmp_path / "hall.toml", '[hall]\nkey = "from-the-file"\n')
    assert load_config(path, env={KEY_ENV_VAR: ""}).key == "from-the-file"
    assert load_config(None, env={KEY_ENV_VAR: ""}).key is None


def test_env_defaults_to_the_process_environment(monkeypatch):
    monkeypatch.setenv(KEY_ENV_VAR, "process-env-key")
    assert load_config(None).key == "process-env-key"
    monkeypatch.delenv(KEY_ENV_VAR)
    assert load_config(None).key is None


# --- Reading a full hall file ---------------------------------------------------------------


def test_every_option_is_read(tmp_path):
    write(tmp_path / "catalog.toml", SMALL_CATALOG)
    hall = """\
catalog = "catalog.toml"

[hall]
name = "某镇便民服务中心"
key = "0123456789abcdef"
timezone = "Asia/Shanghai"
notice = "欢迎"

[server]
host = "0.0.0.0"
port = 7411
db = "data/hall.db"
log_dir = "/var/log/hall"
pending_timeout_s = 90

[hours]
open = "8：00"
close = 17:30:00
weekdays = [6, 7, 1]
day_reset = "03:00"

[announce]
zh = "{number}号请到{counter}号窗口"
en = "{number} to counter {counter}"
times = 3

[kiosk]
printer = "serial:/dev/ttyUSB0:9600"
paper_mm = 58
priority_pin = "0000"
notice = "请保管好号票"

[[counters]]
number = 5
services = ["tax", "pension_enrol", "invoice_collect"]

[[counters]]
number = 7
name = "综合窗口"

[[clerks]]
id = "w.li-01"
name = "李伟"
pin = "00012345"
"""
    config = load_config(write(tmp_path / "hall.toml", hall), env={})
    assert config.catalog.services_of("tax")[0].code == "invoice_collect"
    assert config.hall_name == "某镇便民服务中心"
    assert config.key == "0123456789abcdef"
    assert config.board_notice == "欢迎"
    assert (config.host, config.port, config.pending_timeout_s) == ("0.0.0.0", 7411, 90)
    assert config.db_path == str(tmp_path / "data" / "hall.db")
    assert config.log_dir == "/var/log/hall"
    assert config.open_time == datetime.time(8, 0)
    assert config.close_time == datetime.time(17, 30)
    assert config.open_weekdays == (0, 5, 6)
    assert config.day_reset == datetime.time(3, 0)
    assert config.announcement_zh == "{number}号请到{counter}号窗口"
    assert config.announcement_en == "{number} to counter {counter}"
    assert config.announce_times == 3
    assert (config.printer, config.paper_mm) == ("serial:/dev/ttyUSB0:9600", 58)
    assert config.priority_pin == "0000"
    assert config.ticket_notice == "请保管好号票"
    assert config.counters == (
        CounterConfig(5, "5号窗口", ("invoice_collect", "pension_enrol")),
        CounterConfig(7, "综合窗口", None),
    )
    assert config.clerks == (ClerkConfig("w.li-01", "李伟", "00012345"),)


def test_catalog_path_is_relative_to_the_hall_file_not_the_working_directory(tmp_path, monkeypatch):
    hall_dir = tmp_path / "etc"
    hall_dir.mkdir()
    write(hall_dir / "my_catalog.toml", SMALL_CATALOG)
    path = write(hall_dir / "hall.toml", 'catalog = "my_catalog.toml"\n')
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("etc") / "hall.toml", env={})
    assert [c.code for c in config.catalog.categories] == ["social_insurance", "tax"]
    assert config.config_path == str(path.resolve())


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "hall.toml"
    path.write_bytes('\ufeff[hall]\nname = "白沙"\n'.encode())
    assert load_config(path, env={}).hall_name == "白沙"


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


def catalog_with(categories: str = "", services: str = "") -> str:
    return SMALL_CATALOG + categories + services


CATALOG_CASES = [
    (
        "category-code-twice",
        catalog_with('\n[[categories]]\ncode = "tax" ' + MARK + '\nprefix = "K"\nname = "x"\n'),
        'category code "tax" is used twice (also in [[categories]] #2)',
    ),
    (
        "prefix-twice",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "D" ' + MARK + '\nname = "x"\n'),
        'prefix "D" is used twice',
    ),
    (
        "prefix-lowercase",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "k" ' + MARK + '\nname = "x"\n'),
        'prefix "k" is not valid: use 1 or 2 capital letters',
    ),
    (
        "prefix-three-letters",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "KLM" ' + MARK + '\nname = "x"\n'),
        "1 or 2 capital letters",
    ),
    (
        "prefix-digit",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "K1" ' + MARK + '\nname = "x"\n'),
        "1 or 2 capital letters",
    ),
    (
        "category-code-with-space",
        catalog_with('\n[[categories]]\ncode = "civil affairs" ' + MARK + '\nprefix = "C"\n'),
        'code "civil affairs" is not valid',
    ),
    (
        "category-empty-name",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "K"\nname = "" ' + MARK + "\n"),
        "[[categories]] #3 name must not be empty",
    ),
    (
        "category-without-services",
        catalog_with("\n[[categories]] " + MARK + '\ncode = "more"\nprefix = "K"\nname = "x"\n'),
        'category "more" has no [[services]]',
    ),
    (
        "service-unknown-category",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "taxes" '
            + MARK
            + "\n"
        ),
        '"taxes" is not a category of this catalog (did you mean "tax"?)',
    ),
    (
        "service-code-twice",
        catalog_with(
            services='\n[[services]]\ncode = "invoice_collect" '
            + MARK
            + '\nname = "发票"\ncategory = "tax"\n'
        ),
        'service code "invoice_collect" is used twice (also in [[services]] #2)',
    ),
    (
        "service-code-is-category-code",
        catalog_with(
            services='\n[[services]]\ncode = "tax" ' + MARK + '\nname = "税"\ncategory = "tax"\n'
        ),
        "is already a category code",
    ),
    (
        "service-typo-key",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nnmae = "增值税申报" '
            + MARK
            + '\ncategory = "tax"\n'
        ),
        'unknown key "nmae" in [[services]] #3 (did you mean "name"?)',
    ),
    (
        "service-missing-category",
        catalog_with(services="\n[[services]] " + MARK + '\ncode = "vat"\nname = "增值税申报"\n'),
        'is missing the key "category"',
    ),
    (
        "daily-limit-zero",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "tax"\n'
            "daily_limit = 0 " + MARK + "\n"
        ),
        "daily_limit 0 is out of range",
    ),
    (
        "daily-limit-text",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "tax"\n'
            'daily_limit = "30" ' + MARK + "\n"
        ),
        "daily_limit must be a whole number",
    ),
    (
        "pinyin-with-tones",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "tax"\n'
            'pinyin = "zzsshēn" ' + MARK + "\n"
        ),
        "must be plain letters",
    ),
    (
        "top-level-typo",
        catalog_with(services="\n[[service]] " + MARK + '\ncode = "vat"\n'),
        'unknown table [[service]] (did you mean "services"?)',
    ),
    (
        "categories-as-list-of-strings",
        'categories = ["tax"] ' + MARK + "\n",
        "each starting with [[categories]]",
    ),
    (
        "no-categories",
        '[[services]]\ncode = "vat"\nname = "x"\ncategory = "tax"\n',
        "no [[categories]]",
    ),
    ("no-services", SMALL_CATALOG.split("[[services]]")[0], "no [[services]]"),
    ("catalog-syntax", SMALL_CATALOG + "\n[[services] " + MARK + "\n", "TOML syntax error"),
]


@pytest.mark.parametrize(
    ("text", "problem"),
    [pytest.param(text, problem, id=case) for case, text, problem in CATALOG_CASES],
)
def test_bad_catalog_file_names_file_line_and_problem(tmp_path, text, problem):
    path = write(tmp_path / "catalog.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    error = caught.value
    assert error.file == str(path)
    assert error.line == marked_line(text), error
    assert problem in error.problem


def test_bad_catalog_named_by_the_hall_file_is_reported_in_the_catalog_file(tmp_path):
    catalog = write(
        tmp_path / "catalog.toml", SMALL_CATALOG.replace('prefix = "D"', 'prefix = "d"')
    )
    hall = write(tmp_path / "hall.toml", 'catalog = "catalog.toml"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(hall, env={})
    assert caught.value.file == str(catalog)
    assert caught.value.line == 8
    assert 'prefix "d" is not valid' in caught.value.problem


def test_counter_naming_a_service_missing_from_the_hall_catalog(tmp_path):
    write(tmp_path / "catalog.toml", SMALL_CATALOG)
    text = 'catalog = "catalog.toml"\n[[counters]]\nnumber = 1\nservices = ["re_mortgage"]\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "hall.toml", text), env={})
    assert caught.value.line == 4
    assert '"re_mortgage" is neither a service nor a category' in caught.value.problem


def test_hall_and_catalog_files_swapped_are_recognised():
    with pytest.raises(ConfigError, match="this is a catalog file, not a hall file"):
        load_config(SAMPLE_CATALOG_PATH, env={})
    with pytest.raises(ConfigError, match="this is a hall file, not a catalog file"):
        load_catalog(SAMPLE_HALL_PATH)


def test_line_numbers_count_only_newlines(tmp_path):
    # U+2028 inside a string is one line for TOML, though str.splitlines splits there.
    text = '[hall]\nnotice = "一\u2028二"\n[server]\nprot = 1\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "hall.toml", text), env={})
    assert caught.value.line == 4


def test_error_at_end_of_document_points_at_the_last_line(tmp_path):
    text = '[hall]\nname = """白沙\nnotice = "x"\n\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "hall.toml", text), env={})
    assert caught.value.line == 3
    assert "Unterminated string (at the end of the file)" in caught.value.problem


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert (caught.value.file, caught.value.line) == (str(path), None)
    assert str(caught.value) == f"{path}: file not found"


def test_directory_instead_of_file_is_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_catalog(tmp_path)
    assert caught.value.file == str(tmp_path)
    assert "cannot read the file" in caught.value.problem


def test_text_that_is_not_utf8_is_named_with_its_line(tmp_path):
    path = tmp_path / "hall.toml"
    path.write_bytes('[hall]\nname = "白沙"\nnotice = "'.encode() + "欢迎".encode("gbk") + b'"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert caught.value.line == 3
    assert "not UTF-8" in caught.value.problem


def test_config_error_survives_pickling():
    error = ConfigError("hall.toml", 7, 'unknown key "prot"')
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file, copy.line, copy.problem) == ("hall.toml", 7, 'unknown key "prot"')
    assert str(copy) == 'hall.toml:7: unknown key "prot"'


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


# --- The catalog and the hall settings in code ----------------------------------------------


def test_catalog_lookups():
    catalog = sample_catalog()
    assert catalog.service("re_mortgage").name == "不动产抵押登记"
    assert catalog.category("real_estate").prefix == "E"
    assert catalog.category_of("re_mortgage").code == "real_estate"
    assert catalog.category_with_prefix("H").code == "household"
    assert {s.category for s in catalog.services_of("tax")} == {"tax"}
    for lookup in (catalog.service, catalog.category, catalog.services_of):
        with pytest.raises(KeyError):
            lookup("no_such_code")
    with pytest.raises(KeyError):
        catalog.category_with_prefix("Z")


def test_catalog_built_in_code_is_checked_too():
    tax = Category("tax", "D", "税务")
    with pytest.raises(ValueError, match="duplicate prefix 'D'"):
        Catalog((tax, Category("tax2", "D", "税务二")), ())
    with pytest.raises(ValueError, match="unknown category 'taxes'"):
        Catalog((tax,), (Service("vat", "增值税申报", "taxes"),))
    with pytest.raises(ValueError, match="unknown service 'vat'"):
        HallConfig(
            catalog=Catalog((tax,), (Service("invoice", "发票领用", "tax"),)),
            counters=(CounterConfig(1, "1号窗口", ("vat",)),),
        )


def test_service_without_pinyin_derives_its_initials():
    assert Service("card", "社会保障卡申领", "social_insurance").pinyin == "shbzksl"
    assert Service("card", "社会保障卡申领", "social_insurance", pinyin="sbk").pinyin == "sbk"


def test_catalog_file_without_pinyin_derives_it(tmp_path):
    catalog = load_catalog(write(tmp_path / "catalog.toml", SMALL_CATALOG))
    assert catalog.service("pension_enrol").pinyin == "cxjmylbxcbdj"
    assert catalog.service("invoice_collect").pinyin == "fply"


@pytest.mark.parametrize(
    ("text", "initials"),
    [
        ("不动产抵押登记", "bdcdydj"),
        ("啊座", "az"),  # the first and last characters of GB2312 level 1
        ("12345 ID卡", "12345idk"),
        ("（个体）工商户·登记", "gtgshdj"),
        ("殡", ""),  # level 2: not derivable
        ("", ""),
    ],
)
def test_pinyin_initials(text, initials):
    assert pinyin_initials(text) == initials


def shanghai(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_hall_time_is_in_the_hall_zone():
    config = HallConfig(timezone="Asia/Shanghai")
    utc = datetime.datetime(2026, 11, 25, 17, 0, tzinfo=datetime.UTC)
    assert config.hall_time(utc).hour == 1  # 17:00 UTC is 01:00 the next day in Shanghai
    with pytest.raises(ValueError):
        config.hall_time(datetime.datetime(2026, 11, 26, 9, 0))


def test_issuing_hours_follow_weekdays_and_times():
    config = HallConfig(
        timezone="Asia/Shanghai",
        open_time=datetime.time(8, 30),
        close_time=datetime.time(17, 30),
        open_weekdays=(0, 1, 2, 3, 4),
    )
    thursday = (2026, 11, 26)
    assert not config.within_issuing_hours(shanghai(*thursday, 8, 29))
    assert config.within_issuing_hours(shanghai(*thursday, 8, 30))
    assert config.within_issuing_hours(shanghai(*thursday, 17, 29))
    assert not config.within_issuing_hours(shanghai(*thursday, 17, 30))
    assert not config.within_issuing_hours(shanghai(2026, 11, 28, 10, 0))  # Saturday
    assert HallConfig().within_issuing_hours(shanghai(2026, 11, 28, 3, 0))


def test_unknown_counter_number_raises_key_error():
    with pytest.raises(KeyError):
        default_config().counter(25)
    assert default_config().counter(24).name == "24号窗口"
