"""The hall report's files and command: CSV with BOM, HTML with SVG charts, clear errors, indexes."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.admin.report import bench_report, build_report
from shared.admin.report_files import write_report
from shared.admin.report_period import parse_period
from shared.admin.report_read import QUERIES, open_database
from shared.cli.main import main
from shared.client.connection import new_req
from shared.domain.errors import ReportError
from shared.domain.figures import p90, satisfaction_score
from shared.server.store import HallStore

TZ = ZoneInfo("Asia/Shanghai")
VOID = {"meta", "br", "img", "input", "hr", "link"}


@pytest.fixture
def small_day(clocked_server, hall_clock) -> Path:
    """2026-11-26: two tickets served at counter 1, one rated; the server stopped afterwards."""
    s = clocked_server
    with s.client("kiosk", "k") as kiosk, s.counter(1, "1001", "1234") as counter:
        for minute, service in ((0, "pension_enrol"), (10, "med_enrol")):
            hall_clock.set(datetime(2026, 11, 26, 9, minute, tzinfo=TZ))
            ticket = kiosk.call("issue", service=service, req=new_req())["ticket"]
            kiosk.call("printed", ticket=ticket["id"])
        hall_clock.set(datetime(2026, 11, 26, 9, 20, tzinfo=TZ))
        first = counter.call("call_next", req=new_req())["ticket"]
        hall_clock.set(datetime(2026, 11, 26, 9, 25, tzinfo=TZ))
        counter.call("call_next", req=new_req())
        hall_clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=TZ))
        counter.call("finish")
        counter.call("rate", ticket=first["id"], level="very_satisfied")
    s.stop()
    return s.db


class TagChecker(HTMLParser):
    """Records the tags and fails on one closed out of order (well-formed enough to render)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(path: Path) -> TagChecker:
    checker = TagChecker()
    checker.feed(path.read_text(encoding="utf-8"))
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


@pytest.mark.parametrize(
    ("month", "day", "message"),
    [
        ("2026-13", None, "is not a month"),
        ("2026-1", None, "is not a month"),
        ("11-2026", None, "is not a month"),
        ("", None, "is not a month"),
        ("2026-11", "2026-11-31", "is not a date"),
        ("2026-11", "2026/11/26", "is not a date"),
        ("2026-11", "2026-12-01", "the period would be empty"),
        (None, None, "give --month"),
    ],
)
def test_bad_periods_are_named(month, day, message):
    with pytest.raises(ReportError, match=message):
        parse_period(month, day)


def test_periods_cover_whole_months_and_single_days():
    assert (parse_period("2026-02").first.isoformat(), parse_period("2026-02").last.day) == (
        "2026-02-01",
        28,
    )
    assert parse_period("2028-02").last.day == 29
    december = parse_period("2026-12")
    assert (december.last.isoformat(), december.days) == ("2026-12-31", 31)
    day = parse_period("2026-11", "2026-11-26")
    assert (day.first, day.last, day.label) == (day.first, day.first, "2026-11-26")
    assert parse_period(None, "2026-11-26").days == 1


def test_p90_and_score_follow_their_definitions():
    assert p90([]) is None
    assert p90([5]) == 5
    assert p90(list(range(1, 11))) == 9  # ceil(9.0) = 9th
    assert p90(list(range(1, 12))) == 10  # ceil(9.9) = 10th of 11
    assert p90([30, 10, 20]) == 30  # ceil(2.7) = 3rd, in sorted order
    assert satisfaction_score({}) is None
    assert satisfaction_score({"basic": 2, "unsatisfied": 2}) == pytest.approx(30.0)


def test_every_query_reads_through_an_index(tmp_path):
    store = HallStore(tmp_path / "hall.db")
    for name, sql in QUERIES.items():
        steps = [
            row[3]
            for row in store.conn.execute(
                "EXPLAIN QUERY PLAN " + sql,
                {"first": "2026-11-01", "last": "2026-11-30", "clerk": None},
            )
        ]
        reads = [s for s in steps if s.startswith(("SCAN", "SEARCH")) and "TEMP" not in s]
        assert reads, (name, steps)
        for step in reads:
            assert "USING INDEX" in step or "USING COVERING INDEX" in step, (name, step)
            assert "(day>? AND day<?)" in step, (name, step)  # the day range, not the whole table
    store.close()


def test_report_command_writes_csv_and_html(small_day, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["report", "--db", str(small_day), "--month", "2026-11", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    names = sorted(Path(p).name for p in printed)
    assert names == sorted(
        f"2026-11-{n}" for n in ("categories.csv", "clerks.csv", "hours.csv", "report.html",
                                 "services.csv", "waits.csv")
    )  # fmt: skip
    with (out / "2026-11-clerks.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert (out / "2026-11-clerks.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert [(r["工号"], r["办结件数"], r["平均等候时长(秒)"], r["满意度得分"]) for r in rows] == [
        ("1001", "2", "1050", "100"),  # waits 1200 s and 900 s
        ("", "2", "1050", "100"),  # the hall's total row
    ]
    assert rows[-1]["姓名"] == "合计"
    html = check_html(out / "2026-11-report.html")
    assert html.seen.count("svg") == 3
    assert html.seen.count("rect") >= 3
    text = "".join(html.text)
    for heading in ("人员考核", "部门", "事项", "分时段", "等候时长分布", "指标说明", "张敏"):
        assert heading in text
    assert "满意度得分 = 100 × (1.0×非常满意 + 0.8×满意 + 0.6×基本满意 + 0×不满意)" in text
    assert "<script" not in (out / "2026-11-report.html").read_text(encoding="utf-8")


def test_english_report(small_day, tmp_path):
    report = build_report(small_day, parse_period("2026-11"), lang="en")
    files = write_report(report, tmp_path, lang="en")
    html = check_html(files[-1])
    text = "".join(html.text)
    assert "Clerks" in text and "Satisfaction score" in text
    assert "Residents' pension insurance enrolment" in text  # the catalog's English names
    with files[0].open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle))[:3] == ["Clerk ID", "Name", "Served"]


def test_an_empty_month_gives_a_valid_empty_report(small_day, tmp_path, capsys):
    out = tmp_path / "empty"
    assert main(["report", "--db", str(small_day), "--month", "2025-01", "--out", str(out)]) == 0
    assert "no tickets in 2025-01" in capsys.readouterr().err
    html = check_html(out / "2025-01-report.html")
    assert html.seen.count("svg") == 3
    assert "本期间没有取号记录。" in "".join(html.text)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--month", "2026-13"], 2, "--month '2026-13' is not a month"),
        (["--month", "2026-11", "--day", "2026-10-31"], 2, "the period would be empty"),
        ([], 2, "give --month"),
        (["--month", "2026-11", "--lang", "fr"], 2, "--lang 'fr'"),
    ],
)
def test_report_command_refuses_bad_arguments(small_day, tmp_path, capsys, args, code, message):
    assert main(["report", "--db", str(small_day), "--out", str(tmp_path), *args]) == code
    assert message in capsys.readouterr().err
    assert list(tmp_path.glob("*.html")) == []


def test_report_command_names_a_missing_or_foreign_database(tmp_path, capsys):
    missing = tmp_path / "nowhere" / "hall.db"
    assert main(["report", "--db", str(missing), "--month", "2026-11"]) == 1
    assert f"no hall database at {missing}" in capsys.readouterr().err
    assert not missing.exists()  # the report never creates a database
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    assert main(["report", "--db", str(foreign), "--month", "2026-11"]) == 1
    assert "not a hall database" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ReportError, match="not a usable hall database"):
        open_database(junk)


def test_bench_report_times_the_latest_month(small_day, tmp_path):
    assert bench_report(small_day) > 0
    empty = tmp_path / "empty.db"
    HallStore(empty).close()
    with pytest.raises(ReportError, match="no tickets"):
        bench_report(empty)


def test_a_county_report_groups_1500_services_by_department_and_the_csv_keeps_every_row(
    tmp_path, start_server, hall_clock
):
    from dataclasses import replace

    from shared.admin.county import county_catalog
    from shared.config.hall import default_config

    catalog = county_catalog()
    config = replace(
        default_config(),
        key=None,
        timezone="Asia/Shanghai",
        catalog=catalog,
        issue_burst=len(catalog.services),  # one admin tool issues one ticket per matter
    )
    server = start_server(tmp_path / "hall.db", config, hall_clock)
    with server.client("admin", "report-admin") as admin:
        posted = [
            admin.post("issue", service=service.code, req=new_req()) for service in catalog.services
        ]
        assert all(admin.reply(rid)["ok"] for rid in posted)
    server.stop()
    report = build_report(server.db, parse_period("2026-11"))
    files = write_report(report, tmp_path / "out")
    services_csv = next(path for path in files if "service" in path.name)
    with services_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert sorted(row[1] for row in rows) == sorted(s.code for s in catalog.services)
    html = check_html(files[-1])
    assert html.seen.count("details") == 25  # one folding section per department
    text = "".join(html.text)
    assert "人力资源和社会保障局：84 个事项，取号 84，办结 0" in text
    assert all(service.name in text for service in catalog.services[::50])


def test_csv_cells_that_could_run_as_formulas_are_written_as_text(small_day, tmp_path, capsys):
    import sqlite3

    conn = sqlite3.connect(small_day)
    conn.execute("UPDATE clerks SET name = '=HYPERLINK(\"http://x\",\"张敏\")' WHERE id = '1001'")
    conn.execute("UPDATE services SET name = '@SUM(1+1)' WHERE code = 'pension_enrol'")
    conn.commit()
    conn.close()
    out = tmp_path / "reports"
    assert main(["report", "--db", str(small_day), "--month", "2026-11", "--out", str(out)]) == 0
    cells = []
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    assert '\'=HYPERLINK("http://x","张敏")' in cells
    assert "'@SUM(1+1)" in cells
    risky = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or c.startswith("-")]
    assert all(c.lstrip("-").replace(".", "").isdigit() for c in risky), risky
