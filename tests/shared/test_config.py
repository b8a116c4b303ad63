"""Tests of the hall and catalog settings: samples, defaults, the key from the environment, a full
hall file, and the catalog and hall settings in code (bad files: test_config_*_cases.py)."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

import pytest

from shared.config.hall import (
    KEY_ENV_VAR,
    SAMPLE_CATALOG_PATH,
    SAMPLE_HALL_PATH,
    Catalog,
    Category,
    ClerkConfig,
    CounterConfig,
    HallConfig,
    Service,
    default_config,
    load_catalog,
    load_config,
    pinyin_initials,
    sample_catalog,
)
from tests.shared.config_support import SMALL_CATALOG, write

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
