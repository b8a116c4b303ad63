"""The hall report: every figure of a known month, built through the real server, checked by hand."""

from __future__ import annotations

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.admin.report import build_report
from shared.admin.report_files import write_csv
from shared.admin.report_period import parse_period
from shared.client.connection import new_req

TZ = ZoneInfo("Asia/Shanghai")


def at(clock, day: int, hh: int, mm: int, month: int = 11) -> None:
    clock.set(datetime(2026, month, day, hh, mm, 0, tzinfo=TZ))


@pytest.fixture
def known_month(clocked_server, hall_clock) -> dict:
    """Two days of November and one of December, every step at a known time.

    Counters 1, 2, 3 serve every service; clerks 1001 张敏, 1002 李强, 1003 王芳.
    The ticket names (T1 ...) are the ones the expected figures below talk about.
    """
    s, clock = clocked_server, hall_clock
    kiosk = s.client("kiosk", "report-kiosk")
    c1 = s.counter(1, "1001", "1234")
    c2 = s.counter(2, "1002", "2345")
    c3 = s.counter(3, "1003", "3456")
    ids: dict[str, int] = {}

    def issue(name: str, service: str, printed: bool = True) -> None:
        ticket = kiosk.call("issue", service=service, req=new_req())["ticket"]
        ids[name] = ticket["id"]
        if printed:
            kiosk.call("printed", ticket=ticket["id"])
        else:
            kiosk.call("print_failed", ticket=ticket["id"], reason="paper out")

    def call_next(counter) -> int:
        return counter.call("call_next", req=new_req())["ticket"]["id"]

    # -- 2026-11-26 -------------------------------------------------------------------------
    at(clock, 26, 9, 0)
    issue("T1", "pension_enrol")
    at(clock, 26, 9, 2)
    issue("T2", "med_enrol")
    at(clock, 26, 9, 5)
    issue("T3", "pension_enrol")
    at(clock, 26, 9, 10)
    assert call_next(c1) == ids["T1"]  # T1 waited 600 s, called by 1001
    at(clock, 26, 9, 11)
    c1.call("start")
    at(clock, 26, 9, 12)
    assert call_next(c2) == ids["T2"]  # T2 waited 600 s, first called by 1002
    at(clock, 26, 9, 13)
    c2.call("transfer", service="pension_enrol", req=new_req())  # 1002: one transfer
    at(clock, 26, 9, 14)
    assert call_next(c3) == ids["T2"]  # keeps its place: before T3
    at(clock, 26, 9, 15)
    c3.call("no_show")  # 1003: one no-show mark
    at(clock, 26, 9, 16)
    assert call_next(c3) == ids["T3"]  # T3 waited 660 s, called by 1003
    at(clock, 26, 9, 20)
    c1.call("finish")  # T1: service 09:11 -> 09:20 = 540 s
    at(clock, 26, 9, 21)
    c3.call("finish")  # T3: never started, service 09:16 -> 09:21 = 300 s
    c1.call("rate", ticket=ids["T1"], level="very_satisfied")
    c3.call("rate", ticket=ids["T3"], level="basic")
    at(clock, 26, 10, 0)
    issue("T4", "med_enrol")
    at(clock, 26, 10, 30)
    issue("T5", "pension_claim")
    at(clock, 26, 10, 45)
    issue("T6", "pension_enrol")
    at(clock, 26, 10, 50)
    issue("T7", "pension_enrol", printed=False)  # cancelled: not in the report
    at(clock, 26, 11, 0)
    assert call_next(c1) == ids["T4"]  # T4 waited 3600 s, called by 1001
    at(clock, 26, 11, 1)
    c1.call("finish")  # T4: 60 s
    c1.call("rate", ticket=ids["T4"], level="unsatisfied")
    at(clock, 26, 11, 5)
    assert call_next(c2) == ids["T5"]  # T5 waited 2100 s, called by 1002
    at(clock, 26, 11, 6)
    c2.call("start")
    at(clock, 26, 11, 16)
    c2.call("finish")  # T5: 600 s
    c2.call("rate", ticket=ids["T5"], level="satisfied")
    at(clock, 26, 11, 20)
    c1.call("reactivate", ticket=ids["T2"])  # T2 back at the end of the queue
    at(clock, 26, 11, 21)
    assert call_next(c1) == ids["T6"]  # T6 waited 2160 s, called by 1001
    at(clock, 26, 11, 32)
    assert call_next(c1) == ids["T2"]  # finishes T6 (660 s); T2's wait stays 600 s (1002)
    at(clock, 26, 11, 40)
    c1.call("finish")  # T2: 480 s, finished by 1001
    c1.call("rate", ticket=ids["T2"], level="satisfied")

    # -- 2026-11-27: a new business day; counters were closed by the day reset --------------
    at(clock, 27, 9, 0)
    issue("T8", "pension_enrol")
    c1.call("login", clerk="1001", pin="1234")
    at(clock, 27, 9, 3)
    assert call_next(c1) == ids["T8"]  # T8 waited 180 s, called by 1001
    at(clock, 27, 9, 8)
    c1.call("finish")  # T8: 300 s
    at(clock, 27, 9, 10)
    issue("T10", "med_enrol")
    at(clock, 27, 9, 20)
    c2.call("login", clerk="1002", pin="2345")
    assert call_next(c2) == ids["T10"]  # T10 waited 600 s, called by 1002
    at(clock, 27, 9, 25)
    c2.call("no_show")  # stays a no-show: 1002 one no-show mark

    # -- 2026-12-01: outside November ------------------------------------------------------
    at(clock, 1, 9, 0, month=12)
    issue("T9", "pension_enrol")
    c1.call("login", clerk="1001", pin="1234")
    at(clock, 1, 9, 1, month=12)
    assert call_next(c1) == ids["T9"]
    for client in (kiosk, c1, c2, c3):
        client.close()
    return {"db": s.db, "ids": ids}


def test_clerk_figures_of_the_month_are_exact(known_month):
    report = build_report(known_month["db"], parse_period("2026-11"))
    clerks = {c.clerk_id: c for c in report.clerks}
    assert list(clerks) == ["1001", "1002", "1003"]
    zhang, li, wang = clerks["1001"], clerks["1002"], clerks["1003"]
    assert (zhang.name, li.name, wang.name) == ("张敏", "李强", "王芳")
    # 1001 finished T1 540, T4 60, T6 660 (by call_next), T2 480, T8 300.
    assert (zhang.served, zhang.no_shows, zhang.transfers) == (5, 0, 0)
    assert sorted(zhang.service_s) == [60, 300, 480, 540, 660]
    assert zhang.mean_service_s == 2040 / 5
    assert zhang.p90_service_s == 660  # nearest rank: ceil(0.9*5) = 5th
    # 1001 called T1 (600), T4 (3600), T6 (2160), T8 (180) first; T2's first call was 1002's.
    assert zhang.called == 4
    assert zhang.mean_wait_s == (600 + 3600 + 2160 + 180) / 4
    assert zhang.ratings == {"very_satisfied": 1, "satisfied": 1, "basic": 0, "unsatisfied": 1}
    assert zhang.rated == 3
    assert zhang.score == pytest.approx(100 * (1.0 + 0.8 + 0.0) / 3)

    assert (li.served, li.no_shows, li.transfers) == (1, 1, 1)
    assert (li.mean_service_s, li.p90_service_s) == (600, 600)
    assert li.called == 3 and li.mean_wait_s == (600 + 2100 + 600) / 3
    assert li.ratings["satisfied"] == 1 and li.rated == 1 and li.score == pytest.approx(80.0)

    assert (wang.served, wang.no_shows, wang.transfers) == (1, 1, 0)
    assert (wang.mean_service_s, wang.p90_service_s) == (300, 300)
    assert wang.called == 1 and wang.mean_wait_s == 660
    assert wang.ratings["basic"] == 1 and wang.score == pytest.approx(60.0)

    assert report.ratings == {"very_satisfied": 1, "satisfied": 2, "basic": 1, "unsatisfied": 1}
    assert report.score == pytest.approx(100 * (1.0 + 1.6 + 0.6) / 5)


def test_department_service_and_hour_figures_are_exact(known_month):
    report = build_report(known_month["db"], parse_period("2026-11"))
    categories = {g.code: g for g in report.categories}
    assert list(categories) == ["social_insurance", "medical_insurance"]  # catalog order
    social, medical = categories["social_insurance"], categories["medical_insurance"]
    assert social.name == "社会保险"
    # T1, T2 (transferred in), T3, T5, T6, T8; T7 was cancelled.
    assert (social.issued, social.served, social.no_shows) == (6, 6, 0)
    assert sorted(social.waits_s) == [180, 600, 600, 660, 2100, 2160]
    assert social.mean_wait_s == 6300 / 6
    assert social.p90_wait_s == 2160  # ceil(0.9*6) = 6th
    assert (medical.issued, medical.served, medical.no_shows) == (2, 1, 1)
    assert (medical.mean_wait_s, medical.p90_wait_s) == (2100, 3600)

    total = report.hall_total
    assert (total.issued, total.served, total.no_shows, total.called) == (8, 7, 1, 8)
    assert total.mean_wait_s == 10500 / 8
    assert total.p90_wait_s == 3600

    services = {g.code: g for g in report.services}
    assert list(services) == ["pension_enrol", "pension_claim", "med_enrol"]
    enrol = services["pension_enrol"]
    assert (enrol.issued, enrol.served, enrol.no_shows) == (5, 5, 0)
    assert (enrol.mean_wait_s, enrol.p90_wait_s) == (840, 2160)
    assert (services["pension_claim"].issued, services["pension_claim"].mean_wait_s) == (1, 2100)
    med = services["med_enrol"]
    assert (med.issued, med.served, med.no_shows, med.mean_wait_s, med.p90_wait_s) == (
        2, 1, 1, 2100, 3600,
    )  # fmt: skip

    hours = {h.hour: h for h in report.hours if h.arrivals}
    assert list(hours) == [9, 10]
    assert hours[9].arrivals == 5 and hours[9].mean_wait_s == (600 + 600 + 660 + 180 + 600) / 5
    assert hours[10].arrivals == 3 and hours[10].mean_wait_s == (3600 + 2100 + 2160) / 3
    assert len(report.hours) == 24

    counts = {(b.low_min, b.high_min): b.count for b in report.wait_buckets}
    assert counts == {
        (0, 5): 1, (5, 10): 0, (10, 15): 4, (15, 20): 0, (20, 30): 0, (30, 45): 2,
        (45, 60): 0, (60, None): 1,
    }  # fmt: skip


def test_one_day_and_the_next_month_are_reported_alone(known_month):
    day = build_report(known_month["db"], parse_period("2026-11", "2026-11-27"))
    assert day.hall_total.issued == 2
    clerks = {c.clerk_id: c for c in day.clerks}
    assert list(clerks) == ["1001", "1002"]
    assert (clerks["1001"].served, clerks["1001"].service_s, clerks["1001"].waits_s) == (
        1, [300.0], [180.0],
    )  # fmt: skip
    assert (clerks["1002"].no_shows, clerks["1002"].waits_s, clerks["1002"].rated) == (1, [600], 0)
    assert clerks["1002"].score is None

    december = build_report(known_month["db"], parse_period("2026-12"))
    assert december.hall_total.issued == 1
    assert [(c.clerk_id, c.served, c.waits_s) for c in december.clerks] == [("1001", 0, [60])]


def test_an_empty_month_gives_an_empty_report(known_month, tmp_path):
    report = build_report(known_month["db"], parse_period("2026-10"))
    assert report.empty
    assert report.clerks == [] and report.categories == [] and report.services == []
    assert report.hall_total.issued == 0 and report.hall_total.mean_wait_s is None
    assert report.score is None
    files = write_csv(report, tmp_path / "out")
    with files[0].open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1:] == []  # a header and no rows


def test_csv_rows_carry_the_same_figures(known_month, tmp_path):
    report = build_report(known_month["db"], parse_period("2026-11"))
    files = {p.name: p for p in write_csv(report, tmp_path / "out")}
    assert set(files) == {
        "2026-11-clerks.csv", "2026-11-categories.csv", "2026-11-services.csv",
        "2026-11-hours.csv", "2026-11-waits.csv",
    }  # fmt: skip
    for path in files.values():
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with files["2026-11-clerks.csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    zhang = rows[0]
    assert zhang["工号"] == "1001" and zhang["姓名"] == "张敏"
    assert (zhang["办结件数"], zhang["过号次数"], zhang["转移次数"]) == ("5", "0", "0")
    assert (zhang["平均办理时长(秒)"], zhang["P90办理时长(秒)"]) == ("408", "660")
    assert (zhang["首次叫号人数"], zhang["平均等候时长(秒)"]) == ("4", "1635")
    assert (zhang["非常满意"], zhang["满意"], zhang["基本满意"], zhang["不满意"]) == (
        "1", "1", "0", "1",
    )  # fmt: skip
    assert (zhang["评价数"], zhang["满意度得分"]) == ("3", "60")
    assert rows[1]["平均等候时长(秒)"] == "1100" and rows[1]["满意度得分"] == "80"
    with files["2026-11-categories.csv"].open(encoding="utf-8-sig", newline="") as handle:
        categories = list(csv.reader(handle))
    assert categories[-1] == ["", "合计", "8", "7", "1", "8", "1312.5", "3600"]
    with files["2026-11-hours.csv"].open(encoding="utf-8-sig", newline="") as handle:
        hours = list(csv.reader(handle))
    assert len(hours) == 25
    assert hours[10] == ["09:00–10:00", "5", "5", "528"]
    assert hours[11] == ["10:00–11:00", "3", "3", "2620"]


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
