"""`queue-hall web` under load: page load time, call-to-page latency, memory per stream.

    python -m bench.web            # the figures alone (make bench runs them too)

A real hall server and a real `queue-hall web` run as subprocesses on loopback. The figures:
- page load: GET of a ticket page (HTML) and its script and style sheet, p50/p99 over 200 loads;
- call to page: 200 ticket pages are open as SSE clients (one per waiting ticket); a counter
  calls 100 of them one by one and the time from sending `call_next` to the called ticket's
  stream delivering its new state is measured (p50/p99), and the counter's own reply time
  next to 100 calls made with no page open (what the pages' questions cost the hall server);
- memory: the web process's resident memory with no stream, then with 1,000 SSE clients open.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.calibrate import rss_mb
from bench.load import percentile
from shared.client.connection import HallClient

SERVING_RE = re.compile(r"serving http://[^:]+:(\d+)/")


class WebProcess:
    """`queue-hall web` as a subprocess on 127.0.0.1 and a port of its own choosing."""

    def __init__(self, hall_port: int, folder: Path, *extra: str, hall_host: str = "127.0.0.1"):
        self.log_path = folder / f"web-{os.getpid()}-{id(self)}.log"
        self.lines: list[str] = []
        env = {**os.environ, "QUEUE_HALL_HOME": str(folder)}
        env.pop("QUEUE_HALL_KEY", None)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shared.cli.main",
                "web",
                "--server",
                f"{hall_host}:{hall_port}",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                *extra,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._ready = threading.Event()
        self.port = 0
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(30) or not self.port:
            self.stop()
            raise RuntimeError("queue-hall web did not start:\n" + "".join(self.lines[-30:]))

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)
            match = SERVING_RE.search(line)
            if match and not self.port:
                self.port = int(match.group(1))
                self._ready.set()
        self._ready.set()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_online(self, timeout: float = 20) -> None:
        """Until the web process has joined the hall server (its /healthz says so)."""
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as reply:
                    if json.load(reply).get("hall_online"):
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError("queue-hall web did not reach the hall server")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


async def _http_get(port: int, path: str) -> tuple[int, bytes]:
    """One HTTP/1.1 GET on a fresh connection (as a phone's first visit); (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("ascii")
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


class SseClient:
    """A bare SSE client on its own connection: keeps the latest `data:` payload."""

    def __init__(self) -> None:
        self.latest: dict[str, Any] = {}
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self, port: int, path: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer = writer
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        self.task = asyncio.get_running_loop().create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        # The body is chunked: chunk-size lines and blank lines are skipped, data lines kept.
        while line := await reader.readline():
            if line.startswith(b"data: "):
                self.latest = json.loads(line[6:])
                self.changed.set()

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()


async def _issue_tickets(port: int, count: int) -> list[str]:
    kiosk = await HallClient.connect(
        "127.0.0.1", port, "kiosk", "bench-web-kiosk", keep_events=False
    )
    tokens = []
    try:
        for n in range(count):
            result = await kiosk.call("issue", service="pension_enrol", req=f"web-{n}")
            await kiosk.call("printed", ticket=result["ticket"]["id"])
            tokens.append(result["token"])
    finally:
        await kiosk.close()
    return tokens


async def _measure(hall_port: int, web: WebProcess) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    tokens = await _issue_tickets(hall_port, 300)
    counter = await HallClient.connect(
        "127.0.0.1", hall_port, "counter", "bench-web-counter", counter=1, keep_events=False
    )
    await counter.call("login", clerk="b01", pin="2468")

    # The counter's reply time with no page open: the first 100 tickets.
    alone = []
    for n in range(100):
        start = time.perf_counter()
        await counter.call("call_next", req=f"web-alone-{n}")
        alone.append((time.perf_counter() - start) * 1000)

    pages_tokens = tokens[100:300]
    loads = []
    for token in pages_tokens:
        start = time.perf_counter()
        status, body = await _http_get(web.port, f"/t/{token}")
        for asset in ("/static/style.css?v=1", "/static/app.js?v=1"):
            await _http_get(web.port, asset)
        loads.append((time.perf_counter() - start) * 1000)
        assert status == 200 and ("前面还有".encode() in body or "前面没有".encode() in body)
    figures["web_page_load_p50_ms"] = round(percentile(loads, 50), 2)
    figures["web_page_load_p99_ms"] = round(percentile(loads, 99), 2)

    pages = {}
    for token in pages_tokens:
        client = SseClient()
        await client.open(web.port, f"/t/{token}/events")
        pages[token] = client
    await asyncio.sleep(0.5)
    latencies, replies = [], []
    for n in range(100):
        page = pages[pages_tokens[n]]
        start = time.perf_counter()
        result = await counter.call("call_next", req=f"web-call-{n}")
        replies.append((time.perf_counter() - start) * 1000)
        assert normalize_number(result) == normalize_number_of(page)
        while page.latest.get("state") != "called":
            page.changed.clear()
            await asyncio.wait_for(page.changed.wait(), 10)
        latencies.append((time.perf_counter() - start) * 1000)
    await counter.close()
    figures["web_call_to_page_p50_ms"] = round(percentile(latencies, 50), 2)
    figures["web_call_to_page_p99_ms"] = round(percentile(latencies, 99), 2)
    figures["web_open_pages"] = len(pages)
    # What 200 open pages cost the counters: call_next's reply time without and with them.
    figures["web_call_next_alone_p50_ms"] = round(percentile(alone, 50), 2)
    figures["web_call_next_alone_p99_ms"] = round(percentile(alone, 99), 2)
    figures["web_call_next_200_pages_p50_ms"] = round(percentile(replies, 50), 2)
    figures["web_call_next_200_pages_p99_ms"] = round(percentile(replies, 99), 2)
    for client in pages.values():
        await client.close()
    await asyncio.sleep(1.0)

    figures["web_rss_idle_mb"] = round(rss_mb(web.proc.pid), 1)
    streams = []
    for n in range(1000):
        client = SseClient()
        await client.open(web.port, f"/t/{tokens[200 + n % 100]}/events")
        streams.append(client)
    await asyncio.sleep(1.0)
    figures["web_rss_1000_streams_mb"] = round(rss_mb(web.proc.pid), 1)
    figures["web_kib_per_stream"] = round(
        (figures["web_rss_1000_streams_mb"] - figures["web_rss_idle_mb"]) * 1024 / 1000, 1
    )
    for client in streams:
        await client.close()
    return figures


def normalize_number(result: dict[str, Any]) -> str:
    return str((result.get("ticket") or {}).get("number", ""))


def normalize_number_of(page: SseClient) -> str:
    match = re.search(r'class="number">([^<]+)<', str(page.latest.get("html", "")))
    return match.group(1) if match else ""


def web_figures(folder: Path | None = None) -> dict[str, Any]:
    from bench.crashloop import free_port, start_server
    from bench.server_load import write_config

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(folder or tmp)
        config = write_config(work)
        port = free_port()
        server = start_server(work / "web-bench.db", port, config)
        web = None
        try:
            web = WebProcess(
                port,
                work,
                "--rate",
                "100000",
                "--burst",
                "100000",
                "--max-streams",
                "5000",
                "--max-streams-per-address",
                "5000",
            )
            web.wait_online()
            return asyncio.run(_measure(port, web))
        finally:
            if web:
                web.stop()
            server.terminate()
            server.wait(10)


def main() -> int:
    figures = web_figures()
    for name, value in figures.items():
        print(f"{name:32} {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
