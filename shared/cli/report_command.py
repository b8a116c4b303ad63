"""`queue-hall report`: the hall report of a month (or a day) as CSV files and an HTML page.

The figures and the files are made in `shared.admin`; this is only the command: its
options, the hall file and database it reads, and the messages and exit codes it gives.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared.admin.report import build_report
from shared.admin.report_files import write_report
from shared.admin.report_period import parse_period
from shared.admin.report_tables import LANGS
from shared.cli.errors import error
from shared.cli.options import load_hall
from shared.config.paths import existing_db
from shared.domain.errors import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    ReportError,
    StoreError,
)
from shared.domain.figures import FigureRules

NAME = "report"  # the command says its errors as `queue-hall report: …`


def register(subparsers: Any, common: Callable[..., None]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="figures per clerk, department, service and hour: CSV files and an HTML report",
        description="Report of a month (or one day): clerks' served tickets, no-shows, transfers,"
        " service times, waits and satisfaction ratings; departments' and services' volumes and"
        " waits; arrivals and waits per hour. Writes CSV files and one HTML page.",
    )
    common(parser)
    parser.add_argument("--month", metavar="YYYY-MM", help="the month, e.g. 2026-11")
    parser.add_argument("--day", metavar="YYYY-MM-DD", help="only this day of the month")
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="folder for the files (default: ./hall-report)"
    )
    parser.add_argument("--lang", default="zh_CN", help="zh_CN (default) or en")
    parser.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    if args.lang not in LANGS:
        raise CommandError(f"--lang {args.lang!r}: choose zh_CN or en", EXIT_USAGE, NAME)
    try:
        period = parse_period(args.month, args.day)
    except ReportError as exc:
        raise CommandError(str(exc), EXIT_USAGE, NAME) from None
    config = load_hall(args)
    out_dir = Path(args.out) if args.out else Path("hall-report")
    rules = FigureRules(config.short_service_s, config.day_reset)
    try:
        db = existing_db(config)  # load_hall already put --db into the config
        # "Generated at" in the hall's own time zone, like every time in the report.
        now = config.hall_time() if config.timezone else None  # else the database's offset
        report = build_report(db, period, args.lang, now=now, rules=rules)
    except (StoreError, ReportError) as exc:
        raise CommandError(str(exc), EXIT_FAILED, NAME) from None
    try:
        written = write_report(report, out_dir, args.lang)
    except OSError as exc:
        raise CommandError(
            f"cannot write to {out_dir}: {exc.strerror or exc}", command=NAME
        ) from exc
    for path in written:
        print(path)
    if report.empty:
        error(f"no tickets in {period.label}; the report is empty", NAME)
    return EXIT_OK
