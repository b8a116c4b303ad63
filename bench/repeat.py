"""Do the judged ratios hold better than the absolute figures? `python -m bench.repeat [RUNS]`

Runs the server's part of the bench RUNS times (default 3: a fresh database, 10 s paced,
6 s saturation, each phase with its own calibration of this minute's disk and CPU) and
prints, per figure, every run's value and the spread over the runs (largest ÷ smallest).
A ratio that is a good target moves less between runs than the absolute figure it divides.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench.server_load import server_run

PACED_S, SATURATION_S = 10.0, 6.0


def figures_of(run: dict[str, Any]) -> dict[str, float]:
    """One run's absolute figures, the machine's, and the ratios `make bench` judges."""
    paced, saturation = run["paced"], run["saturation"]
    paced_machine, saturation_machine = paced["machine"], saturation["machine"]
    calls = saturation["calls_per_s"] * saturation["seconds"]
    cpu_ms = saturation["server_cpu_s"] / calls * 1000
    commit_p99 = paced_machine["commit_p99_ms"]
    return {
        "commit_p99_ms (paced minute)": commit_p99,
        "disk_commits_per_s (saturation minute)": saturation_machine["disk_commits_per_s"],
        "cpu_unit_ms (saturation minute)": saturation_machine["cpu_unit_ms"],
        "paced_call_next_p99_ms": paced["call_next"]["p99_ms"],
        "paced_issue_p99_ms": paced["issue"]["p99_ms"],
        "saturation_call_next_per_s": saturation["calls_per_s"],
        "server_cpu_per_call_next_ms": round(cpu_ms, 4),
        "saturation_vs_disk": round(
            saturation["calls_per_s"] / saturation_machine["disk_commits_per_s"], 3
        ),
        "paced_call_next_p99_vs_commit_p99": round(paced["call_next"]["p99_ms"] / commit_p99, 2),
        "paced_issue_p99_vs_commit_p99": round(paced["issue"]["p99_ms"] / commit_p99, 2),
        "server_cpu_per_call_next_vs_cpu_unit": round(
            cpu_ms / saturation_machine["cpu_unit_ms"], 3
        ),
    }


def spread(values: list[float]) -> float:
    """Largest ÷ smallest (infinite when a value is 0 or less)."""
    low = min(values)
    return max(values) / low if low > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="?", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for n in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="hall-repeat-") as tmp:
            rows.append(figures_of(server_run(Path(tmp), "fresh", 0, PACED_S, SATURATION_S)))
        print(f"run {n + 1}:", json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print()
    heads = " ".join(f"{'run ' + str(n + 1):>10}" for n in range(args.runs))
    print(f"{'figure':42} {heads}  spread")
    for key in rows[0]:
        values = [row[key] for row in rows]
        cells = " ".join(f"{v:>10}" for v in values)
        print(f"{key:42.42} {cells}  {spread(values):6.2f}")


if __name__ == "__main__":
    main()
