"""The hall server under load: a real `queue-hall serve` driven by load generators in processes
of their own, as counters and kiosks are separate machines in a hall.

The server is measured on a fresh database and on one with a year of history, paced (the
latencies one counter PC sees while the rest of the hall works) and saturated (how many
calls a second it can take); its own reply times, memory and database size come with it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.calibrate import commit_latency, cpu_unit_ms, process_cpu_s, rss_mb
from bench.crashloop import free_port, start_server
from bench.history import TZ, add_history, add_waiting
from bench.load import combine
from shared.config.hall import load_config
from shared.domain.clock import business_day
from shared.server.service import HallService
from shared.server.store import HallStore

BENCH_HALL = """# The benchmark's hall: the sample catalog, 24 counters, 24 clerks.
[hall]
name = "基准测试大厅"
timezone = "Asia/Shanghai"

# The load calls as fast as the server answers, to measure it: no call gap. The gap is
# checked on every call all the same, so its cost is in the figures.
[calls]
min_gap_s = 0

[kiosk]
# The load generator's kiosks issue far faster than residents can: no issuing limit here.
issue_burst = 100000
issues_per_minute = 100000
"""


def write_config(folder: Path) -> Path:
    path = folder / "bench_hall.toml"
    clerks = "".join(
        f'\n[[clerks]]\nid = "b{n:02d}"\nname = "柜员{n:02d}"\npin = "2468"\n' for n in range(1, 25)
    )
    path.write_text(BENCH_HALL + clerks, encoding="utf-8")
    return path


# Shards of the load, each its own process, as counters and kiosks are separate machines in
# a hall. Paced: the latencies are those seen by the probe shard, a few clients in a quiet
# process (what one counter PC sees), while the other shard carries the rest of the hall.
# Saturation: two shards of twelve counters calling back to back.
SHARDS = {
    "paced": ([("1-20", "0-2", 0), ("21-24", "3-3", 2)], [1]),
    "saturation": ([("1-12", "", 0), ("13-24", "", 2)], [0, 1]),
    "peak": ([("1-24", "0-3", 2)], [0]),
}


def server_stats(port: int, reset: bool = False) -> dict[str, Any]:
    """The server's own reply times: from a request's frame to its reply, inside the server."""
    from shared.client.connection import BlockingHallClient

    with BlockingHallClient("127.0.0.1", port, "admin", "bench-stats") as admin:
        return admin.call("server_stats", reset=reset)


def load(port: int, phase: str, duration: float) -> dict[str, Any]:
    shards, measured = SHARDS[phase]
    start_at = time.time() + 5  # after every shard has connected and logged in
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.load",
                "--port",
                str(port),
                "--phase",
                phase,
                "--duration",
                str(duration),
                "--counters",
                counters,
                "--kiosks",
                kiosks,
                "--displays",
                str(displays),
                "--start-at",
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for counters, kiosks, displays in shards
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=duration + 120)
        if proc.returncode != 0:
            raise RuntimeError(f"load generator failed: {err.strip()[-1500:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return combine(results, phase, measured)


def machine(folder: Path) -> dict[str, float]:
    """This minute's disk and CPU: one-row commits (a short run) and the CPU workload."""
    return {**commit_latency(folder, 1_000), "cpu_unit_ms": cpu_unit_ms()}


def mean_machine(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {key: round((before[key] + after[key]) / 2, 5) for key in before}


def server_run(
    folder: Path, label: str, history: int, paced_s: float, saturation_s: float, peak_s: float = 0
) -> dict[str, Any]:
    config_path = write_config(folder)
    config = load_config(config_path)
    db = folder / f"{label}.db"
    HallService(HallStore(db), config).store.close()  # schema and catalog
    now = datetime.now(TZ)
    today = business_day(now, config.day_reset)
    if history:
        started = time.perf_counter()
        add_history(db, config.catalog, history, 365, today)
        print(
            f"  [{label}] {history:,} tickets of history written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    # Enough waiting tickets for both phases (the saturation phase calls ~1,500 a second).
    add_waiting(db, config.catalog, 25_000, today, now)
    port = free_port()
    proc = start_server(db, port, config_path)
    try:
        result: dict[str, Any] = {}
        if peak_s:
            server_stats(port, reset=True)
            result["peak"] = load(port, "peak", peak_s)
            result["peak"]["server"] = server_stats(port)["latency"]
        # The disk and the CPU are calibrated right before, between and right after the paced
        # and saturation phases: each phase is judged against the machine of its own minute.
        before_paced = machine(folder)
        server_stats(port, reset=True)
        paced = load(port, "paced", paced_s)
        between = machine(folder)
        paced["machine"] = mean_machine(before_paced, between)
        stats = server_stats(port, reset=True)
        paced["server"], paced["phases"], paced["gc"] = (
            stats["latency"],
            stats["phases"],
            stats["gc"],
        )
        cpu_before = process_cpu_s(proc.pid)
        saturation = load(port, "saturation", saturation_s)
        saturation["server_cpu_s"] = process_cpu_s(proc.pid) - cpu_before
        saturation["machine"] = mean_machine(between, machine(folder))
        saturation["server"] = server_stats(port)["latency"]
        rss = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    result.update({"paced": paced, "saturation": saturation, "server_rss_mb": round(rss, 1)})
    if history:
        from shared.admin.report import bench_report

        result["report_month_s"] = round(bench_report(db), 2)
    return result


def db_size_per_1000(folder: Path) -> dict[str, int]:
    """Bytes of database per 1,000 tickets that went through their whole life by the protocol."""
    from shared.client.connection import BlockingHallClient

    db = folder / "size.db"
    config_path = write_config(folder)
    port = free_port()
    proc = start_server(db, port, config_path)
    count = 1000
    try:
        kiosk = BlockingHallClient("127.0.0.1", port, "kiosk", "size-kiosk")
        counter = BlockingHallClient("127.0.0.1", port, "counter", "size-counter", counter=1)
        counter.call("login", clerk="b01", pin="2468")
        services = [s["code"] for s in kiosk.call_all("catalog")["services"]]
        for i in range(count):
            ticket = kiosk.call("issue", service=services[i % len(services)], req=f"s{i}")["ticket"]
            kiosk.call("printed", ticket=ticket["id"])
            counter.call("call_next", req=f"c{i}")
            counter.call("start")
            counter.call("finish")
            kiosk.events.clear()
            counter.events.clear()
        kiosk.close()
        counter.close()
    finally:
        proc.terminate()
        proc.wait(30)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    conn.close()
    # The day's event log and request replies (for retries) go at the next day's reset;
    # what stays for the year is the rest.
    day = sum(pages.values())
    kept = day - pages.get("events", 0) - pages.get("requests", 0)
    return {
        "db_bytes_per_1000_tickets_same_day": round(day / count * 1000),
        "db_bytes_per_1000_tickets_kept": round(kept / count * 1000),
    }


def server_figures(fresh: dict[str, Any], old: dict[str, Any], history: int) -> dict[str, Any]:
    """The figures of the two server runs (fresh, and with `history` tickets), by name."""
    out: dict[str, Any] = {}
    peak = fresh["peak"]
    out["peak_ops_per_s"] = peak["ops_per_s"]
    for op, lat in peak["ops"].items():
        out[f"peak_{op}_p50_ms"] = lat["p50_ms"]
        out[f"peak_{op}_p99_ms"] = lat["p99_ms"]
    out["peak_worst_p99_ms"] = max(lat["p99_ms"] for lat in peak["ops"].values())
    paced = fresh["paced"]
    out["paced_ops_per_s"] = paced["ops_per_s"]
    for op in ("call_next", "issue"):
        out[f"paced_{op}_p50_ms"] = paced[op]["p50_ms"]
        out[f"paced_{op}_p99_ms"] = paced[op]["p99_ms"]
        out[f"paced_{op}_max_ms"] = paced[op]["max_ms"]
        inside = paced["server"].get(op, {})
        out[f"paced_{op}_in_server_p50_ms"] = inside.get("p50_ms")
        out[f"paced_{op}_in_server_p99_ms"] = inside.get("p99_ms")
    phases = paced["phases"]
    for phase in ("queued", "service", "service_cpu", "deliver", "loop_lag"):
        out[f"paced_{phase}_p99_ms"] = phases[phase].get("p99_ms")
        out[f"paced_{phase}_max_ms"] = phases[phase].get("max_ms")
    out["paced_batch_size_p99"] = phases["batch_size"].get("p99")
    out["paced_gc_max_ms"] = max((g.get("max_ms", 0.0) for g in paced["gc"].values()), default=0.0)
    out["fanout_p50_ms"] = paced["fanout"]["p50_ms"]
    out["fanout_p99_ms"] = paced["fanout"]["p99_ms"]
    saturation = fresh["saturation"]
    out["saturation_call_next_per_s"] = saturation["calls_per_s"]
    out["saturation_call_next_p99_ms"] = saturation["call_next"]["p99_ms"]
    calls = saturation["calls_per_s"] * saturation["seconds"]
    out["server_cpu_per_call_next_ms"] = round(saturation["server_cpu_s"] / calls * 1000, 4)
    out.update({f"paced_machine_{k}": v for k, v in paced["machine"].items()})
    out.update({f"saturation_machine_{k}": v for k, v in saturation["machine"].items()})
    out["history_tickets"] = history
    out["history_paced_call_next_p99_ms"] = old["paced"]["call_next"]["p99_ms"]
    out["history_saturation_call_next_per_s"] = old["saturation"]["calls_per_s"]
    out["server_rss_mb"] = max(fresh["server_rss_mb"], old["server_rss_mb"])
    out["report_month_over_history_s"] = old["report_month_s"]
    return out
