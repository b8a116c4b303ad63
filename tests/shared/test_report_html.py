"""The HTML report as a supervisor reads it: in a real browser (headless Chromium driven over
WebDriver on 127.0.0.1) at a phone's 390 px and a desktop's 1280 px; plain Chinese, no code
columns, times in 分/秒, the hall's time zone, a ranking and a day-by-day trend."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shared.admin.report import build_report
from shared.admin.report_files import write_report
from shared.admin.report_html import render_html
from shared.admin.report_period import parse_period
from shared.client.connection import new_req

TZ = ZoneInfo("Asia/Shanghai")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def two_days(clocked_server, hall_clock) -> Path:
    """2026-11-25 and 26: tickets served at counters 1 and 2, waits of minutes and seconds."""
    s = clocked_server
    with s.client("kiosk", "k") as kiosk:
        for day in (25, 26):
            for minute, service in ((0, "pension_enrol"), (3, "med_enrol"), (5, "ss_card_apply")):
                hall_clock.set(datetime(2026, 11, day, 9, minute, tzinfo=TZ))
                ticket = kiosk.call("issue", service=service, req=new_req())["ticket"]
                kiosk.call("printed", ticket=ticket["id"])
            # A new business day logs clerks out: they log in each morning.
            with s.counter(1, "1001", "1234") as one, s.counter(2, "1002", "2345") as two:
                for counter, minute, second in ((one, 10, 30), (two, 11, 5), (one, 20, 0)):
                    hall_clock.set(datetime(2026, 11, day, 9, minute, second, tzinfo=TZ))
                    if counter.call("call_next", req=new_req())["ticket"] is None:
                        continue
                    hall_clock.set(datetime(2026, 11, day, 9, minute + 4, tzinfo=TZ))
                    counter.call("finish")
    s.stop()
    return s.db


def visible_text(html: str) -> str:
    body = re.sub(r"<(style|svg)[^>]*>.*?</\1>", "", html, flags=re.S)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_chinese_report_has_a_viewport_plain_words_and_no_code_columns(two_days):
    report = build_report(
        two_days, parse_period("2026-11"), now=datetime(2026, 11, 30, 1, 5, tzinfo=ZoneInfo("UTC"))
    )
    # The hall's time zone, even when the report is made on a machine set to UTC.
    report = type(report)(**{**report.__dict__, "generated_at": report.generated_at.astimezone(TZ)})
    html = render_html(report, "zh_CN")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    text = visible_text(html)
    for code in ("部门代码", "事项代码", "pension_enrol", "social_insurance", "P90", "(秒)"):
        assert code not in text, code
    assert "生成时间：2026-11-30 09:05 (UTC+08:00)" in text
    assert "九成群众等候不超过" in text
    assert re.search(r"\d+分\d+秒", text)  # times as minutes and seconds
    assert "人员排名" in text and "每日趋势" in text
    ranking = re.search(r'<table id="ranking">.*?</table>', html, flags=re.S)
    assert ranking is not None
    names = re.findall(r"<td>([^<]+)</td>", ranking.group(0))
    assert names[0] == "张敏"  # four served, ranked above 李强's two
    assert re.search(r"<title>2026-11-25 \d+</title>", html)  # one bar per day in the trend


class WebDriver:
    """Headless Chromium through chromedriver's W3C WebDriver API on 127.0.0.1."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen(
            [str(CHROMEDRIVER), f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.05)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            return json.loads(reply.read())["value"]

    def measure(self, url: str, width: int, script: str) -> Any:
        options = {
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu"],
            "mobileEmulation": {"deviceMetrics": {"width": width, "height": 900, "pixelRatio": 1}},
        }
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}}
        session = self._call("POST", "/session", caps)["sessionId"]
        try:
            self._call("POST", f"/session/{session}/url", {"url": url})
            return self._call(
                "POST", f"/session/{session}/execute/sync", {"script": script, "args": []}
            )
        finally:
            self._call("DELETE", f"/session/{session}")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs chromium and chromedriver (apt: chromium chromium-driver)")
    driver = WebDriver()
    yield driver
    driver.close()


MEASURE = """
const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const texts = [...document.querySelectorAll('body *')].filter(el =>
    visible(el) && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
const svgs = [...document.querySelectorAll('svg')].filter(visible);
const cells = [...document.querySelectorAll('td, th')].filter(visible);
return {
  page: document.documentElement.scrollWidth,
  smallest: Math.min(...texts.map(el => parseFloat(getComputedStyle(el).fontSize))),
  svgs: svgs.length,
  svgScale: Math.min(...svgs.map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width)),
  bars: [...document.querySelectorAll('.bars')].filter(visible).length,
  tallestCell: Math.max(...cells.map(c => c.getBoundingClientRect().height)),
};
"""


def test_the_report_reads_on_a_phone_and_on_a_desktop(two_days, tmp_path, browser):
    report = build_report(two_days, parse_period("2026-11"))
    page = write_report(report, tmp_path, "zh_CN")[-1]
    phone = browser.measure(page.as_uri(), 390, MEASURE)
    assert phone["page"] <= 390  # nothing pushes the page sideways; wide tables scroll inside
    assert phone["smallest"] >= 12  # no 4 px chart text
    assert phone["svgs"] == 0 and phone["bars"] >= 4  # charts reflow as bar lists
    assert phone["tallestCell"] < 40  # no name wrapped one character per line
    desktop = browser.measure(page.as_uri(), 1280, MEASURE)
    assert desktop["page"] <= 1280
    assert desktop["svgs"] >= 4 and desktop["bars"] == 0
    assert desktop["svgScale"] >= 0.9  # the charts are drawn near their own size


def test_the_report_command_stamps_the_hall_time_zone(two_days, tmp_path):
    from shared.cli.main import main

    out = tmp_path / "out"
    assert main(["report", "--db", str(two_days), "--month", "2026-11", "--out", str(out)]) == 0
    html = (out / "2026-11-report.html").read_text(encoding="utf-8")
    # The machine may run on UTC; the hall's clock (its tickets' times) is UTC+08:00.
    assert re.search(r"生成时间：\d{4}-\d\d-\d\d \d\d:\d\d \(UTC\+08:00\)", html)
