"""The hall report on a day with a hasty clerk: exact figures, the counter's today line, the
clerk CSV's columns and the HTML report's highlight."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from shared.admin.report import build_report
from shared.admin.report_files import write_csv
from shared.admin.report_period import parse_period
from shared.client.connection import new_req
from tests.shared.report_support import TZ

# -- a day with a hasty clerk -------------------------------------------------------------------


@pytest.fixture
def hasty_day(clocked_server, hall_clock) -> dict:
    """2026-11-26: 张敏 (1001, counter 1) works with care, 李强 (1002, counter 2) presses call
    twice and finishes at once, 王芳 (1003, counter 3) works as usual. The hall's call gap is
    the default 5 s, its short-service threshold the default 60 s."""
    s, clock = clocked_server, hall_clock
    kiosk = s.client("kiosk", "hasty-kiosk")
    clock.set(datetime(2026, 11, 26, 8, 50, 0, tzinfo=TZ))
    for _ in range(13):
        clock.advance(1)
        ticket = kiosk.call("issue", service="pension_enrol", req=new_req())["ticket"]
        kiosk.call("printed", ticket=ticket["id"])

    def t(hh: int, mm: int, ss: int = 0) -> None:
        clock.set(datetime(2026, 11, 26, hh, mm, ss, tzinfo=TZ))

    def call_next(counter) -> int:
        return counter.call("call_next", req=new_req())["ticket"]["id"]

    t(9, 0)
    c1, c2, c3 = (
        s.counter(1, "1001", "1234"),
        s.counter(2, "1002", "2345"),
        s.counter(3, "1003", "3456"),
    )
    ids: dict[str, int] = {}
    t(9, 0, 5)
    ids["Y1"] = call_next(c1)
    t(9, 0, 10)
    call_next(c2)  # X1
    refused = c2.send("call_next", req=new_req())  # the double press: refused, not a call
    assert refused["error"]["reason"] == "call_too_soon"
    t(9, 0, 30)
    call_next(c2)  # X2; finishes X1 without start: 20 s
    t(9, 0, 50)
    c2.call("finish")  # X2: 20 s, no start
    t(9, 1, 0)
    call_next(c2)  # X3
    c1.call("start")
    t(9, 1, 1)
    c2.call("recall")
    t(9, 1, 10)
    c2.call("no_show")  # X3
    t(9, 1, 20)
    ids["X4"] = call_next(c2)
    t(9, 1, 30)
    c2.call("start")
    t(9, 2, 0)
    call_next(c3)  # Z1
    t(9, 2, 30)
    c3.call("start")
    t(9, 3, 30)
    c2.call("finish")  # X4: 120 s
    for second in (35, 45, 55):  # X5, X6, X7: called and marked no-show at once
        t(9, 3, second)
        call_next(c2)
        t(9, 3, second + 3)
        c2.call("no_show")
    t(9, 4, 0)
    c2.call("pause", reason="午休")
    t(9, 6, 0)
    c1.call("finish")  # Y1: 09:01 -> 09:06 = 300 s
    t(9, 6, 30)
    ids["Y2"] = call_next(c1)
    t(9, 7, 0)
    c1.call("start")
    t(9, 7, 30)
    c3.call("finish")  # Z1: 300 s
    t(9, 8, 0)
    ids["Z2"] = call_next(c3)
    t(9, 9, 0)
    c3.call("start")
    t(9, 11, 0)
    c1.call("finish")  # Y2: 240 s
    t(9, 12, 0)
    call_next(c1)  # Y3
    t(9, 13, 0)
    c1.call("start")
    t(9, 13, 40)
    c1.call("finish")  # Y3: 40 s, short although started
    t(9, 13, 50)
    call_next(c1)  # Y4
    t(9, 14, 0)
    c1.call("start")
    c2.call("resume")  # 李强 paused 09:04 -> 09:14 (午休)
    t(9, 15, 40)
    c1.call("finish")  # Y4: 100 s
    t(9, 16, 0)
    c1.call("pause", reason="会议")
    t(9, 19, 0)
    c3.call("finish")  # Z2: 600 s
    stats = c2.call("clerk_stats")  # what 李强's "today" line shows at 09:19
    # Residents rate while their clerks are still logged in (rate needs the counter's clerk).
    for counter, name, level in ((c1, "Y1", "very_satisfied"), (c1, "Y2", "very_satisfied"),
                                 (c2, "X4", "satisfied"), (c3, "Z2", "basic")):  # fmt: skip
        counter.call("rate", ticket=ids[name], level=level)
    t(9, 20, 0)
    c2.call("logout")  # 李强 logged in 09:00 -> 09:20
    t(9, 26, 0)
    c1.call("resume")  # 张敏 paused 09:16 -> 09:26 (会议)
    c1.call("pause")  # ... and 09:26 -> 09:31 without a reason
    t(9, 30, 0)
    c3.call("logout")  # 王芳 logged in 09:00 -> 09:30
    t(9, 31, 0)
    c1.call("resume")
    t(9, 40, 0)
    c1.call("logout")  # 张敏 logged in 09:00 -> 09:40
    for client in (kiosk, c1, c2, c3):
        client.close()
    return {"db": s.db, "stats": stats}


def test_a_hasty_clerks_figures_are_exact(hasty_day):
    report = build_report(hasty_day["db"], parse_period("2026-11", "2026-11-26"))
    clerks = {c.clerk_id: c for c in report.clerks}
    zhang, li, wang = clerks["1001"], clerks["1002"], clerks["1003"]

    # 李强: served X1 (20 s, by his second call_next), X2 (20 s), X4 (120 s); the double
    # press at 09:00:10 was refused and is not a call.
    assert (li.served, li.without_start, li.short) == (3, 2, 2)
    assert li.short_share == pytest.approx(2 / 3)
    assert (li.calls, li.recalls, li.no_shows, li.transfers) == (7, 1, 4, 0)
    assert li.calls_per_served == pytest.approx(7 / 3)
    assert sorted(li.service_s) == [20, 20, 120]
    assert li.mean_service_s == pytest.approx(160 / 3) and li.p90_service_s == 120
    assert li.logged_in_s == 1200 and li.paused_s == {"午休": 600}
    assert (li.rated, li.score) == (1, pytest.approx(80.0))

    # 张敏: Y1 300, Y2 240, Y3 40 (short, though started), Y4 100; two pauses.
    assert (zhang.served, zhang.without_start, zhang.short) == (4, 0, 1)
    assert zhang.short_share == 0.25
    assert (zhang.calls, zhang.recalls, zhang.no_shows) == (4, 0, 0)
    assert zhang.calls_per_served == 1.0
    assert zhang.mean_service_s == 170 and zhang.p90_service_s == 300  # ceil(0.9*4) = 4th
    assert zhang.logged_in_s == 2400 and zhang.paused_s == {"会议": 600, "": 300}
    assert zhang.paused_total_s == 900
    assert (zhang.rated, zhang.score) == (2, 100.0)

    # 王芳: Z1 300, Z2 600.
    assert (wang.served, wang.without_start, wang.short, wang.short_share) == (2, 0, 0, 0.0)
    assert (wang.calls, wang.calls_per_served, wang.recalls, wang.no_shows) == (2, 1.0, 0, 0)
    assert (wang.mean_service_s, wang.p90_service_s) == (450, 600)
    assert wang.logged_in_s == 1800 and wang.paused_s == {}
    assert (wang.rated, wang.score) == (1, pytest.approx(60.0))

    # The hall: every clerk together.
    hall = report.clerk_total
    assert (hall.served, hall.without_start, hall.short) == (9, 2, 3)
    assert hall.short_share == pytest.approx(1 / 3)
    assert (hall.calls, hall.recalls, hall.no_shows) == (13, 1, 4)
    assert hall.calls_per_served == pytest.approx(13 / 9)
    assert hall.logged_in_s == 5400
    assert hall.paused_s == {"午休": 600, "会议": 600, "": 300}
    assert hall.mean_service_s == pytest.approx(1740 / 9) and hall.p90_service_s == 600
    assert (hall.rated, hall.score) == (4, pytest.approx(100 * (2 + 0.8 + 0.6) / 4))

    # Medians over the three clerks: short share 0.25 and calls per served 1.0; 李强 is above
    # twice both (0.667 > 0.5, 2.33 > 2.0), 张敏 and 王芳 are not.
    assert report.medians["short_share"] == 0.25
    assert report.medians["calls_per_served"] == 1.0
    assert report.standouts == {"1002": ("short_share", "calls_per_served")}


def test_the_counters_today_line_has_the_reports_figures(hasty_day):
    stats = hasty_day["stats"]  # 李强 at 09:19, still logged in, after his pause
    assert stats["clerk"] == "1002" and stats["day"] == "2026-11-26"
    assert (stats["served"], stats["without_start"], stats["short"]) == (3, 2, 2)
    assert stats["short_service_s"] == 60
    assert (stats["calls"], stats["recalls"], stats["no_shows"], stats["transfers"]) == (7, 1, 4, 0)
    assert (stats["mean_service_s"], stats["p90_service_s"]) == (53, 120)
    assert stats["logged_in_s"] == 19 * 60 and stats["paused_s"] == {"午休": 600}
    assert (stats["rated"], stats["score"]) == (0, None)  # rated after 09:19


def test_the_clerk_csv_carries_the_new_columns_and_the_hall_row(hasty_day, tmp_path):
    report = build_report(hasty_day["db"], parse_period("2026-11", "2026-11-26"))
    files = {p.name: p for p in write_csv(report, tmp_path / "out")}
    with files["2026-11-26-clerks.csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["工号"]: row for row in csv.DictReader(handle)}
    li, hall = rows["1002"], rows[""]
    assert hall["姓名"] == "合计"
    expected = {
        "办结件数": ("3", "9"),
        "其中未按开始办结": ("2", "2"),
        "短时办结件数": ("2", "3"),
        "短时办结占比(%)": ("66.7", "33.3"),
        "叫号次数": ("7", "13"),
        "每办结叫号次数": ("2.33", "1.44"),
        "重呼次数": ("1", "1"),
        "过号次数": ("4", "4"),
        "在岗时长(分钟)": ("20", "90"),
        "暂停时长(分钟)": ("10", "25"),
        "暂停(分钟)：会议": ("0", "10"),
        "暂停(分钟)：午休": ("10", "10"),
        "暂停(分钟)：未填原因": ("0", "5"),
        "平均办理时长(秒)": ("53.3", "193.3"),
        "P90办理时长(秒)": ("120", "600"),
        "评价数": ("1", "4"),
        "满意度得分": ("80", "85"),
    }
    assert {k: (li[k], hall[k]) for k in expected} == expected
    header = list(rows["1001"])
    # paused-by-reason columns follow the total paused time, the most paused reason first
    start = header.index("暂停时长(分钟)")
    assert header[start + 1 : start + 4] == [
        "暂停(分钟)：会议",
        "暂停(分钟)：午休",
        "暂停(分钟)：未填原因",
    ]


def test_the_html_report_highlights_the_hasty_clerk_with_the_definition(hasty_day):
    from html.parser import HTMLParser

    from shared.admin.report_html import render_html

    report = build_report(hasty_day["db"], parse_period("2026-11", "2026-11-26"))

    class Rows(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.in_clerks, self.rows, self.cell = False, [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table":
                self.in_clerks = attrs.get("class") == "clerks"
            elif tag == "tr" and self.in_clerks:
                self.rows.append({"class": attrs.get("class"), "flags": []})
            elif tag == "td" and self.in_clerks:
                self.cell = "flag" in (attrs.get("class") or "").split()

        def handle_data(self, data):
            if self.cell is not None:
                if self.cell:
                    self.rows[-1]["flags"].append(data)
                self.rows[-1].setdefault("first", data)
                self.cell = None

        def handle_endtag(self, tag):
            if tag == "table":
                self.in_clerks = False

    page = render_html(report)
    parser = Rows()
    parser.feed(page)
    body = parser.rows[1:]  # after the header row
    assert [(r.get("first"), r["class"], r["flags"]) for r in body] == [
        ("1001", None, []),
        ("1002", "standout", ["66.7", "2.33"]),
        ("1003", None, []),
        ("合计", None, []),  # the hall's row: an empty id, then its name
    ]
    assert "中位数：短时办结占比 25%，每办结叫号次数 1" in page
    assert "办理时长短于 60 秒" in page and "不是评价结论" in page
    assert "above 2 times the median" in render_html(report, "en")
