"""Screenshots of the web pages for docs/screenshots/, taken with headless chromium.

    .venv/bin/python -m tools.web_screenshots [--out docs/screenshots]

Starts a hall server and `queue-hall web` on loopback, takes tickets, calls some, and saves:
web_ticket_waiting_360x780.png, web_ticket_called_360x780.png, web_ticket_no_show_360x780.png,
web_hall_1280x720.png and web_hall_360x780.png.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.crashloop import free_port, start_server
from bench.web import WebProcess
from shared.client.connection import BlockingHallClient

HALL = """[hall]
name = "白沙镇政务服务中心"
timezone = "Asia/Shanghai"

[calls]
min_gap_s = 0

[kiosk]
issue_burst = 1000

[[clerks]]
id = "1001"
name = "张敏"
pin = "1234"

[[clerks]]
id = "1002"
name = "李强"
pin = "2345"
"""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def browser(width: int, height: int):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={max(width, 500)},{height}")
    # A phone's viewport: a headless window is never narrower than 500 px.
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}}
    )
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def wait_text(driver, text: str, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while text not in driver.find_element("tag name", "body").text:
        if time.monotonic() > end:
            raise RuntimeError(f"{text!r} did not appear")
        time.sleep(0.05)
    time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = folder / "hall.toml"
        config.write_text(HALL, "utf-8")
        port = free_port()
        server = start_server(folder / "hall.db", port, config)
        web = None
        try:
            web = WebProcess(port, folder)
            web.wait_online()
            kiosk = BlockingHallClient("127.0.0.1", port, "kiosk", "kiosk-1")
            tokens = []
            plan = ["pension_enrol"] * 6 + ["med_enrol"] * 3 + ["dibao_apply"] * 2
            for n, service in enumerate(plan):
                result = kiosk.call("issue", service=service, req=f"s{n}")
                kiosk.call("printed", ticket=result["ticket"]["id"])
                tokens.append(result["token"])
            counter = BlockingHallClient("127.0.0.1", port, "counter", "c3", counter=3)
            counter.call("login", clerk="1001", pin="1234")
            other = BlockingHallClient("127.0.0.1", port, "counter", "c5", counter=5)
            other.call("login", clerk="1002", pin="2345")
            counter.call("call_next", req="a")
            counter.call("start")
            other.call("call_next", req="b")
            other.call("no_show")  # ticket 2 missed its call

            phone = browser(360, 780)
            try:
                phone.get(f"{web.base}/t/{tokens[5]}")
                wait_text(phone, "前面还有")
                phone.save_screenshot(str(out / "web_ticket_waiting_360x780.png"))
                phone.get(f"{web.base}/t/{tokens[1]}")
                wait_text(phone, "过号")
                phone.save_screenshot(str(out / "web_ticket_no_show_360x780.png"))
                phone.get(f"{web.base}/t/{tokens[2]}")
                wait_text(phone, "前面")
                counter.call(
                    "call", ticket=phone.find_element("css selector", ".number").text, req="c"
                )
                wait_text(phone, "请到")
                phone.save_screenshot(str(out / "web_ticket_called_360x780.png"))
                phone.get(f"{web.base}/")
                wait_text(phone, "最新叫号")
                phone.save_screenshot(str(out / "web_hall_360x780.png"))
            finally:
                phone.quit()
            tv = browser(1280, 720)
            try:
                tv.get(f"{web.base}/")
                wait_text(tv, "最新叫号")
                tv.save_screenshot(str(out / "web_hall_1280x720.png"))
            finally:
                tv.quit()
            for client in (kiosk, counter, other):
                client.close()
        finally:
            if web:
                web.stop()
            server.terminate()
            server.wait(10)
    print(f"screenshots in {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
