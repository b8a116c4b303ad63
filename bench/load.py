"""Load generator: 24 counters, 4 kiosks and 2 display boards on asyncio, against a running server.

Run as its own process (`python -m bench.load --port P --phase paced`) so that the
server and the load do not share an interpreter. Prints one JSON object of figures.
Clients here read frames leanly: an event line is only parsed when a display needs it,
so the generator is not the bottleneck when the server pushes thousands of events a second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from typing import Any

from shared.client.connection import PageCollector
from shared.protocol.client_hello import build_hello

KIOSKS, COUNTERS, DISPLAYS = 4, 24, 2
# A busy morning at a 24-counter hall, as `queue-hall simulate` models one, with its clock
# running 25 times faster so that a short run gathers enough replies: a 300 s service becomes
# a 12 s cycle per counter (call, start, finish, a look at the queue) and the 240–500 arrivals
# an hour of a busy hall become about half a ticket a second. Each request still mostly
# arrives alone, so its reply time is the server's own work plus one commit.
PEAK_CYCLE_S = 12.0
PEAK_ISSUES_PER_S = 0.5


class LeanClient:
    """A minimal asyncio hall client that keeps reply latency honest."""

    largest_frame = 0  # the biggest frame any client of this process read, newline included

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, on_event=None
    ) -> None:
        self.reader, self.writer = reader, writer
        self.on_event = on_event
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.next_id = 0
        self.task = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(
        cls, port: int, role: str, name: str, counter: int | None = None, on_event=None
    ) -> LeanClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        welcome = json.loads(await reader.readline())  # alone until hello
        self = cls(reader, writer, on_event)
        await self.call("hello", **build_hello(welcome["data"], role, name, counter=counter))
        return self

    async def _read(self) -> None:
        rest = b""
        while True:
            chunk = await self.reader.read(1 << 20)
            if not chunk:
                break
            at = time.perf_counter()
            *lines, rest = (rest + chunk).split(b"\n")
            for line in lines:
                LeanClient.largest_frame = max(LeanClient.largest_frame, len(line) + 1)
                if line.startswith(b'{"event"'):
                    if self.on_event is not None:
                        self.on_event(line, at)
                    continue
                frame = json.loads(line)
                future = self.waiting.pop(frame.get("id"), None)
                if future is not None and not future.done():
                    future.set_result(frame)
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("server closed the connection"))

    async def call(self, op: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        rid = self.next_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[rid] = future
        self.writer.write(json.dumps({"id": rid, "op": op, **params}).encode() + b"\n")
        frame = await future
        if not frame.get("ok"):
            raise RuntimeError(f"{op} failed: {frame.get('error')}")
        return frame["result"]

    async def call_all(self, op: str, **params: Any) -> dict[str, Any]:
        """Every page of `catalog` or `snapshot`, joined."""
        collector = PageCollector(op)
        more: dict[str, Any] | None = {}
        while more is not None:
            more = collector.feed(await self.call(op, **params, **more))
        return collector.whole or {}

    async def close(self) -> None:
        self.writer.close()
        self.task.cancel()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 3),
        "p99_ms": round(percentile(values, 99) * 1000, 3),
        "max_ms": round(max(values) * 1000, 3) if values else float("nan"),
    }


def parse_range(text: str) -> list[int]:
    """'1-20' -> [1..20]; '' -> []."""
    if not text:
        return []
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


async def run(
    port: int,
    phase: str,
    duration: float,
    rate: float,
    counter_numbers: list[int],
    kiosk_numbers: list[int],
    displays: int,
    start_at: float,
) -> dict[str, Any]:
    """This shard's clients; the hall's rate is shared out as if all 24 + 4 clients ran."""
    call_replies: dict[int, float] = {}  # ticket id -> when the counter got the call_next reply
    pending_events: list[tuple[int, float]] = []

    def display_event(line: bytes, at: float) -> None:
        if b'"ticket_called"' in line:
            frame = json.loads(line)
            pending_events.append((frame["data"]["ticket"]["id"], at))

    boards = [
        await LeanClient.open(port, "display", f"bench-board-{i}", on_event=display_event)
        for i in range(displays)
    ]
    kiosks = [await LeanClient.open(port, "kiosk", f"bench-kiosk-{i}") for i in kiosk_numbers]
    counters = []
    for n in counter_numbers:
        c = await LeanClient.open(port, "counter", f"bench-counter-{n}", counter=n)
        await c.call("login", clerk=f"b{n:02d}", pin="2468")
        counters.append(c)
    probe = kiosks[0] if kiosks else counters[0]
    services = [
        s["code"]
        for s in (await probe.call_all("catalog"))["services"]
        if s.get("daily_limit") is None
    ]

    issue_lat: list[float] = []
    call_lat: list[float] = []
    calls_done = 0
    # Every shard starts at the same moment, after all of them have logged in.
    await asyncio.sleep(max(0.0, start_at - time.time()))
    stop_at = time.perf_counter() + duration

    async def kiosk_loop(k: LeanClient, i: int, per_s: float) -> None:
        n = 0
        # Fixed rate, each client at its own phase: real kiosks do not press in step.
        await asyncio.sleep(random.random() / per_s)
        start = time.perf_counter()
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            result = await k.call(
                "issue", service=services[(i * 7 + n) % len(services)], req=uuid.uuid4().hex
            )
            issue_lat.append(time.perf_counter() - t0)
            await k.call("printed", ticket=result["ticket"]["id"])
            n += 1
            delay = start + n / per_s - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    async def counter_loop(c: LeanClient, per_s: float | None) -> None:
        nonlocal calls_done
        n = 0
        if per_s:
            await asyncio.sleep(random.random() / per_s)
        start = time.perf_counter()
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            result = await c.call("call_next", req=uuid.uuid4().hex)
            t1 = time.perf_counter()
            call_lat.append(t1 - t0)
            if result["ticket"] is not None:
                call_replies[result["ticket"]["id"]] = t1
                calls_done += 1
            n += 1
            if per_s:
                delay = start + n / per_s - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)

    op_lat: dict[str, list[float]] = {}

    async def timed(client: LeanClient, op: str, **params: Any) -> dict[str, Any]:
        t0 = time.perf_counter()
        result = await client.call(op, **params)
        op_lat.setdefault(op, []).append(time.perf_counter() - t0)
        return result

    async def peak_counter(c: LeanClient, per_s: float) -> None:
        """A clerk's whole cycle, as a busy morning has it: call, start, finish, look at the queue."""
        n = 0
        await asyncio.sleep(random.random() / per_s)
        start = time.perf_counter()
        while time.perf_counter() < stop_at:
            result = await timed(c, "call_next", req=uuid.uuid4().hex)
            if result["ticket"] is not None:
                await timed(c, "start")
                await timed(c, "finish")
            await timed(c, "queue", limit=10)
            n += 1
            delay = start + n / per_s - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    async def peak_kiosk(k: LeanClient, i: int, per_s: float) -> None:
        n = 0
        await asyncio.sleep(random.random() / per_s)
        start = time.perf_counter()
        while time.perf_counter() < stop_at:
            service = services[(i * 7 + n) % len(services)]
            result = await timed(k, "issue", service=service, req=uuid.uuid4().hex)
            await timed(k, "printed", ticket=result["ticket"]["id"])
            n += 1
            delay = start + n / per_s - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    started = time.perf_counter()
    if phase == "peak":
        tasks = [peak_kiosk(k, i, PEAK_ISSUES_PER_S / KIOSKS) for i, k in enumerate(kiosks)]
        tasks += [peak_counter(c, 1 / PEAK_CYCLE_S) for c in counters]
    elif phase == "paced":
        # About `rate` operations a second in the whole hall: each issue is two ops.
        kiosk_rate = rate * 0.55 / 2 / KIOSKS
        counter_rate = rate * 0.45 / COUNTERS
        tasks = [kiosk_loop(k, i, kiosk_rate) for i, k in enumerate(kiosks)]
        tasks += [counter_loop(c, counter_rate) for c in counters]
    else:
        tasks = [counter_loop(c, None) for c in counters]
    if not tasks:
        await asyncio.sleep(duration)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.3)  # the last events
    for client in boards + kiosks + counters:
        await client.close()
    return {
        "seconds": elapsed,
        "issue": issue_lat,
        "call_next": call_lat,
        "calls": calls_done,
        "replied": {str(k): v for k, v in call_replies.items()},
        "seen": pending_events,
        "ops": op_lat,
        "largest_frame": LeanClient.largest_frame,
    }


def combine(shards: list[dict[str, Any]], phase: str, measured: list[int]) -> dict[str, Any]:
    """One result from the shards: throughput from all, latencies from the `measured` ones.

    perf_counter is the system's monotonic clock, so a reply time in one shard and an
    event time in another compare directly.
    """
    replied = {k: v for shard in shards for k, v in shard["replied"].items()}
    fanout = [
        max(0.0, at - replied[str(ticket)])
        for shard in shards
        for ticket, at in shard["seen"]
        if str(ticket) in replied
    ]
    seconds = max(shard["seconds"] for shard in shards)
    ops = sum(
        len(shard["issue"]) * 2
        + len(shard["call_next"])
        + sum(len(v) for v in shard.get("ops", {}).values())
        for shard in shards
    )
    pick = [shards[i] for i in measured]
    return {
        "phase": phase,
        "seconds": round(seconds, 2),
        "ops_per_s": round(ops / seconds, 1),
        "calls_per_s": round(sum(shard["calls"] for shard in shards) / seconds, 1),
        "call_next": summary_ms([x for shard in pick for x in shard["call_next"]]),
        "issue": summary_ms([x for shard in pick for x in shard["issue"]]),
        "fanout": summary_ms(fanout),
        "ops": {
            op: summary_ms([x for shard in pick for x in shard.get("ops", {}).get(op, [])])
            for op in sorted({op for shard in pick for op in shard.get("ops", {})})
        },
        "largest_frame": max(shard.get("largest_frame", 0) for shard in shards),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--phase", choices=["paced", "saturation", "peak"], required=True)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--counters", default="1-24", help="this shard's counters, e.g. 1-20")
    parser.add_argument("--kiosks", default="0-3", help="this shard's kiosks, e.g. 0-2")
    parser.add_argument("--displays", type=int, default=DISPLAYS)
    parser.add_argument(
        "--start-at", type=float, default=0.0, help="wall-clock time to start the load"
    )
    args = parser.parse_args()
    result = asyncio.run(
        run(
            args.port,
            args.phase,
            args.duration,
            args.rate,
            parse_range(args.counters),
            parse_range(args.kiosks),
            args.displays,
            args.start_at,
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
