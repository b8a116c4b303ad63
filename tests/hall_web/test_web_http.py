"""`queue-hall web` over plain HTTP: headers, languages, limits, and clear pages for every refusal."""

from __future__ import annotations

import asyncio
import http.client
import json
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.crashloop import free_port
from bench.web import WebProcess
from hall_web import pages
from hall_web.app import WebApp
from tests.hall_web.conftest import start_web


def get(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def issue(server, n: int = 1) -> list[dict]:
    with server.client("kiosk") as kiosk:
        results = []
        for i in range(n):
            result = kiosk.call("issue", service="pension_enrol", req=f"h{i}")
            kiosk.call("printed", ticket=result["ticket"]["id"])
            results.append(result)
    return results


def test_pages_send_security_headers_and_work_without_scripts(web, clocked_server) -> None:
    [ticket] = issue(clocked_server)
    status, headers, body = get(ticket["url"])
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Server"] == "queue-hall"  # no framework or Python version
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in body
    assert "前面还有 0 人" not in body and "前面没有人等候" in body
    for asset in ("/static/app.js?v=1", "/static/style.css?v=1"):
        status, headers, text = get(web.base + asset)
        assert status == 200 and "Content-Security-Policy" in headers
        assert "http://" not in text and "https://" not in text  # nothing from the internet
        assert "@import" not in text and "url(" not in text
    assert "http://" not in body.replace(ticket["url"], "")


def test_english_by_the_browsers_language(web, clocked_server) -> None:
    [ticket] = issue(clocked_server)
    _, _, body = get(ticket["url"], **{"Accept-Language": "en-GB,en;q=0.9,zh-CN;q=0.5"})
    assert "No one ahead of you" in body and '<html lang="en">' in body
    _, _, body = get(ticket["url"], **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert "前面没有人等候" in body


@pytest.mark.parametrize(
    ("header", "query", "lang"),
    [
        (None, None, "zh"),
        ("en-US", None, "en"),
        ("fr, en;q=0.5, zh;q=0.4", None, "en"),
        ("zh-TW,en;q=0.9", None, "zh"),
        ("en;q=0, zh;q=0.1", None, "zh"),
        ("en", "zh", "zh"),
        ("de", None, "zh"),
        ("en;q=bad", None, "zh"),
    ],
)
def test_pick_lang(header, query, lang) -> None:
    assert pages.pick_lang(query, header) == lang


def test_too_many_requests_from_one_address_get_a_clear_429(clocked_server, tmp_path) -> None:
    web = start_web(clocked_server, tmp_path, "--rate", "0.5", "--burst", "5")
    try:
        statuses = [get(web.base + "/static/style.css")[0] for _ in range(5)]
        assert statuses == [200] * 5
        status, headers, body = get(web.base + "/static/style.css")
        assert status == 429 and headers["Retry-After"] == "5"
        assert "请求太频繁" in body
    finally:
        web.stop()


def test_unknown_tickets_are_limited_per_address(web) -> None:
    statuses = [get(f"{web.base}/t/{'a' * 20}{n:02d}")[0] for n in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_live_streams_are_bounded_per_address(clocked_server, tmp_path) -> None:
    web = start_web(clocked_server, tmp_path, "--max-streams-per-address", "2")
    [ticket] = issue(clocked_server)
    path = ticket["url"].removeprefix(web.base) + "/events"
    streams = []
    try:
        for _ in range(2):
            conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
            conn.request("GET", path)
            reply = conn.getresponse()
            assert reply.status == 200
            assert reply.headers["Content-Type"].startswith("text/event-stream")
            assert reply.readline() == b"retry: 2000\n"
            streams.append(conn)
        status, headers, body = get(ticket["url"] + "/events")
        assert status == 503 and headers["Retry-After"] == "10"
        assert "打开的页面太多" in body
        streams.pop().close()
        for _ in range(50):  # the server notices the closed stream
            if get(web.base + "/healthz")[2].count('"streams": 1'):
                break
            asyncio.run(asyncio.sleep(0.05))
        conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
        conn.request("GET", path)
        assert conn.getresponse().status == 200
        streams.append(conn)
    finally:
        for conn in streams:
            conn.close()
        web.stop()


def test_without_the_hall_server_pages_say_so(tmp_path: Path) -> None:
    web = WebProcess(free_port(), tmp_path)  # nothing listens there
    try:
        status, _, body = get(f"{web.base}/t/bqk3j7xw2mvd4pq")
        assert status == 503 and "暂时无法查询" in body and "仍然有效" in body
        status, _, body = get(web.base + "/")
        assert status == 503 and "暂时无法查询" in body
        status, _, _ = get(web.base + "/healthz")
        assert status == 503
    finally:
        web.stop()


def next_data(reply: http.client.HTTPResponse, within_s: float = 30) -> dict:
    """The next `data:` message of an event stream (keep-alive comments come every 15 s)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        line = reply.readline()
        assert line, "the stream ended"
        if line.startswith(b"data: "):
            return json.loads(line[6:])
    raise AssertionError(f"no message on the stream within {within_s} s")


def test_the_web_rejoins_a_restarted_hall_server(web, clocked_server) -> None:
    [ticket] = issue(clocked_server)
    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=20)
    conn.request("GET", ticket["url"].removeprefix(web.base) + "/events")
    stream = conn.getresponse()
    try:
        assert next_data(stream)["hall_online"] is True
        clocked_server.stop()
        lost = next_data(stream)
        assert lost["hall_online"] is False and "暂时连不上大厅的叫号系统" in lost["html"]
        status, _, body = get(ticket["url"])
        assert status == 503 and "暂时无法查询" in body
        clocked_server.start()  # the same port and database
        back = next_data(stream)
        assert back["hall_online"] is True and "暂时连不上" not in back["html"]
        status, _, body = get(ticket["url"])
        assert status == 200 and "前面没有人等候" in body
    finally:
        conn.close()


def test_unknown_paths_and_methods_get_a_plain_page(web) -> None:
    status, headers, body = get(web.base + "/admin")
    assert status == 404 and "没有这个页面" in body and "Content-Security-Policy" in headers
    request = urllib.request.Request(web.base + "/", data=b"x=1", method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("POST was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 405
        assert "出错了" in error.read().decode("utf-8")


class BrokenLink:
    """A hall link whose every answer fails inside (a bug, as the browser must never see it)."""

    online = asyncio.Event()

    async def ticket_view(self, token: str) -> dict:
        raise RuntimeError("secret internals at /opt/queue-hall/hall_web/link.py line 99")

    async def hall_view(self) -> dict:
        raise KeyError("recent_calls")


def test_a_failure_inside_shows_no_stack_trace() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    async def run() -> list[tuple[int, str]]:
        app = WebApp(BrokenLink()).build()  # type: ignore[arg-type]
        async with TestClient(TestServer(app)) as client:
            seen = []
            for path in ("/t/bqk3j7xw2mvd4pq", "/"):
                reply = await client.get(path)
                seen.append((reply.status, await reply.text()))
                assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
            return seen

    for status, body in asyncio.run(run()):
        assert status == 500
        assert "出错了" in body
        for leak in ("Traceback", "secret", "link.py", "recent_calls", "RuntimeError"):
            assert leak not in body
