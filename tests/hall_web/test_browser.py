"""The resident's phone: Debian's chromium (headless, through chromium-driver) on the pages of a
real `queue-hall web` subprocess, joined to a real hall server; the ticket's URL comes out of
the ESC/POS bytes the kiosk printed."""

from __future__ import annotations

import time

import pytest

from queue_kiosk.printing import decode
from queue_kiosk.printing.fake import FakeNetworkPrinter
from queue_kiosk.printing.ops import QrCode
from tests.queue_kiosk.kiosk_support import (
    Clock,
    first_open_matter,
    make_model,
    open_matter_screen,
)

pytestmark = [pytest.mark.timeout(120), pytest.mark.call_gap(0)]  # a counter calls thrice


def wait_for(driver, check, timeout: float = 10.0, what: str = "") -> float:
    """Poll `check(driver)` until true; the seconds it took. Fails naming `what` and the page."""
    start = time.monotonic()
    while True:
        try:
            if check(driver):
                return time.monotonic() - start
        except Exception:  # the page is being replaced: look again
            pass
        if time.monotonic() - start > timeout:
            body = driver.find_element("tag name", "body").text
            pytest.fail(f"waited {timeout} s for {what}; the page shows:\n{body}")
        time.sleep(0.02)


def text_on_page(text: str):
    return lambda d: text in d.find_element("tag name", "body").text


def printed_ticket_url(server) -> tuple[str, str]:
    """Two residents take tickets, then a third at the kiosk: the URL in its printed QR code."""
    with FakeNetworkPrinter() as printer:
        model, _ = make_model(server, printer.spec, Clock())
        matter = first_open_matter(model)
        with server.client("kiosk", "kiosk-2") as kiosk:
            for n in range(2):
                issued = kiosk.call("issue", service=matter.code, req=f"before-{n}")
                kiosk.call("printed", ticket=issued["ticket"]["id"])
        open_matter_screen(model, matter)
        model.select_matter(matter.code)
        codes = [op for op in decode(printer.received) if isinstance(op, QrCode)]
    assert len(codes) == 1, "the kiosk printed one ticket with one QR code"
    return codes[0].text, model.confirmation.number


def test_ticket_page_shows_people_ahead_and_the_counter_within_1s(
    browser, web, clocked_server
) -> None:
    url, number = printed_ticket_url(clocked_server)
    assert url.startswith(web.base + "/t/")
    browser.get(url)
    wait_for(browser, text_on_page("前面还有 2 人"), what="前面还有 2 人")
    assert number in browser.find_element("css selector", ".number").text
    assert browser.title.startswith(number)
    # fits a 360 px phone, and its script ran under the page's strict CSP
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    assert browser.find_element("id", "alerts").is_displayed()

    with clocked_server.counter(1) as counter:
        counter.call("call_next", req="c1")
        wait_for(browser, text_on_page("前面还有 1 人"), what="前面还有 1 人")
        counter.call("call_next", req="c2")
        wait_for(browser, text_on_page("前面没有人等候"), what="前面没有人等候")

        sent = time.monotonic()
        called = counter.call("call_next", req="c3")["ticket"]
        assert called["number"] == number
        wait_for(
            browser,
            lambda d: d.find_element("css selector", ".counter").text == "1号窗口",
            what="the counter on the page",
        )
        took = time.monotonic() - sent
        assert took < 1.0, f"the page showed the counter {took:.2f} s after call_next (limit 1 s)"
        assert "请到" in browser.find_element("tag name", "body").text

        counter.call("no_show")
        wait_for(browser, text_on_page("“过号”是什么意思？"), what="the no-show explanation")
        assert "请重新取号" in browser.find_element("css selector", ".explain").text

    web.stop()  # the Wi-Fi drops, as the phone sees it
    wait_for(
        browser,
        lambda d: d.find_element("id", "offline").is_displayed(),
        what="the connection-lost banner",
    )
    assert browser.find_element("id", "offline").text == "连接已断开，正在重试……"


def test_english_page_by_choice(browser, web, clocked_server) -> None:
    url, _ = printed_ticket_url(clocked_server)
    browser.get(url + "?lang=en")
    wait_for(browser, text_on_page("2 people ahead of you"), what="the English page")
    browser.find_element("link text", "中文").click()
    wait_for(browser, text_on_page("前面还有 2 人"), what="the Chinese page again")


def test_wrong_and_old_tokens_get_a_clear_page(browser, web, clocked_server, hall_clock) -> None:
    url, number = printed_ticket_url(clocked_server)
    token = url.rsplit("/", 1)[1]
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    browser.get(f"{web.base}/t/{forged}")
    wait_for(browser, text_on_page("找不到这张票"), what="the unknown-ticket page")
    assert number not in browser.find_element("tag name", "body").text
    browser.get(f"{web.base}/t/not-a-token")
    wait_for(browser, text_on_page("找不到这张票"), what="the unknown-ticket page")

    browser.get(url)
    wait_for(browser, text_on_page("前面还有 2 人"), what="the ticket page")
    hall_clock.advance(days=1)
    with clocked_server.client("display") as display:
        display.call("ping")  # the server's next batch starts the new day; the open page follows
    wait_for(browser, text_on_page("这张票不是今天的"), what="the open page turning to another day")
    browser.get(url)
    wait_for(browser, text_on_page("这张票不是今天的"), what="the other-day page")
    assert "2026-11-26" in browser.find_element("tag name", "body").text


def test_hall_page_shows_calls_and_waiting(browser, web, clocked_server) -> None:
    _, number = printed_ticket_url(clocked_server)
    browser.get(web.base + "/")
    wait_for(browser, text_on_page("各类业务等候人数"), what="the hall page")
    assert "今天还没有叫号" in browser.find_element("tag name", "body").text
    with clocked_server.counter(2) as counter:
        for n in range(3):
            counter.call("call_next", req=f"h{n}")
    wait_for(
        browser,
        lambda d: number in d.find_element("css selector", "table.calls").text,
        what="the latest call on the hall page",
    )
    assert "2号窗口" in browser.find_element("css selector", "table.calls").text


def test_with_scripts_off_the_page_refreshes_itself(
    browser_without_scripts, web, clocked_server
) -> None:
    browser = browser_without_scripts
    url, number = printed_ticket_url(clocked_server)
    browser.get(url)
    wait_for(browser, text_on_page("前面还有 2 人"), what="前面还有 2 人")
    assert not browser.find_element("id", "alerts").is_displayed()  # no script ran
    with clocked_server.counter(1) as counter:
        counter.call("call", ticket=number, req="c1")
    # <noscript><meta http-equiv="refresh" content="10">: the page is fetched again
    wait_for(browser, text_on_page("1号窗口"), timeout=25, what="the counter after a refresh")
