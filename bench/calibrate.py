"""What this machine can do, measured at the start of every bench run.

The hall's figures are divided by these, so a target holds on a faster or slower machine:
- the disk: one SQLite commit of one row (WAL, synchronous=FULL, as the hall database is
  set up), its latency p50/p99 and how many such commits a second one writer gets;
- the CPU: a fixed pure-Python workload shaped like the server's own work (building,
  encoding and decoding ticket-sized JSON objects, sorting, dictionary look-ups), timed in
  CPU seconds so that other processes on the machine change it little.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

COMMITS = 2_000
CPU_ROUNDS = 2_000
CPU_REPEATS = 7


def commit_latency(folder: Path, commits: int = COMMITS) -> dict[str, float]:
    """Latency and rate of single-row commits on this disk, with the hall database's settings."""
    path = folder / f"calibrate-{time.monotonic_ns()}.db"  # a new file for every calibration
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (x, y)")
    samples = []
    started = time.perf_counter()
    for n in range(commits):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?, ?)", (n, "A017"))
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    conn.close()
    samples.sort()
    return {
        "commit_p50_ms": round(samples[len(samples) // 2] * 1000, 3),
        "commit_p99_ms": round(samples[int(len(samples) * 0.99)] * 1000, 3),
        "disk_commits_per_s": round(commits / elapsed, 1),
    }


def _workload(rounds: int) -> int:
    """Work of the server's kind: JSON objects in and out, sorting, dictionary traffic."""
    total = 0
    index: dict[str, Any] = {}
    for n in range(rounds):
        ticket = {
            "id": n,
            "number": f"A{n % 1000:03d}",
            "service": "social_insurance_pension",
            "category": "social_insurance",
            "priority": n % 7 == 0,
            "state": "called",
            "issued_at": "2026-11-26T09:16:12+08:00",
            "called_at": "2026-11-26T09:17:32+08:00",
            "counter": n % 24 + 1,
            "calls": 1,
        }
        frame = json.dumps({"event": "ticket_called", "seq": n, "data": {"ticket": ticket}})
        back = json.loads(frame)
        index[back["data"]["ticket"]["number"]] = back
        keys = sorted((t["data"]["ticket"]["counter"], k) for k, t in list(index.items())[-32:])
        total += len(frame) + len(keys)
    return total


def cpu_unit_ms(rounds: int = CPU_ROUNDS, repeats: int = CPU_REPEATS) -> float:
    """CPU milliseconds of one round of the fixed workload on this machine (best of a few runs
    of `rounds` rounds): one ticket object built, encoded, decoded, indexed and sorted."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        _workload(rounds)
        best = min(best, time.process_time() - t0)
    return round(best / rounds * 1000, 5)


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc); NaN where the kernel gives none."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
