"""`queue-hall` init, catalog, counter, backup and check: the command line of the admin library.

Each command reads its options, calls `shared.admin` and prints what was done; what goes
wrong is raised and turned into a message and an exit code by `shared.cli.errors`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared.admin.backup import backup_database
from shared.admin.catalog_csv import CSV_COLUMNS
from shared.admin.catalog_db import (
    CatalogImport,
    CsvProblems,
    catalog_records,
    import_catalog,
    write_catalog_csv,
)
from shared.admin.check import check_hall
from shared.admin.counters import (
    counter_rows,
    describe_services,
    parse_services,
    set_counter_services,
)
from shared.admin.hall_db import hall_database, listed, plural
from shared.admin.init_hall import create_hall
from shared.cli.options import load_hall
from shared.config import paths
from shared.domain.errors import EXIT_FAILED, EXIT_OK

KIOSK_REFRESH_NOTE = (
    "Running kiosks pick up the change at their next catalog refresh or when they restart."
)
# The server applies the hall file's [[counters]] every time it starts
# (Seeding.sync_counters in shared.server.seeding).
COUNTER_SYNC_NOTE = (
    "note: the server applies the hall file's [[counters]] again when it starts; write the same "
    "services there (queue-hall check shows where the file and the database differ)"
)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def cmd_init(args: argparse.Namespace) -> int:
    config = load_hall(args)
    hall = create_hall(config, paths.default_db(config), force=args.force)
    if hall.moved is not None:
        print(f"moved the old database aside to {hall.moved}")
    print(f"created the hall database {hall.db} for {config.hall_name}:")
    print(
        f"  {plural(hall.departments, 'department')}, {plural(hall.matters, 'matter')}, "
        f"{plural(hall.counters, 'counter')}, {plural(hall.clerks, 'clerk')}"
    )
    if config.config_path is None:
        print(
            "  (from the built-in demo settings, with demo clerks and PINs; "
            "give your hall file with --config FILE)"
        )
    if hall.clerks == 0:
        print("  no clerks yet: add them with `queue-hall clerk add ID --name NAME --pin PIN`")
    return EXIT_OK


def cmd_catalog_export(args: argparse.Namespace) -> int:
    records = catalog_records(hall_database(load_hall(args)))
    if args.out is None:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(records)
        return EXIT_OK
    out = Path(args.out)
    write_catalog_csv(records, out)
    departments = len({record[0] for record in records})
    print(
        f"exported {plural(len(records), 'matter')} of {plural(departments, 'department')} to {out}"
    )
    return EXIT_OK


def cmd_catalog_import(args: argparse.Namespace) -> int:
    db = hall_database(load_hall(args))
    try:
        result = import_catalog(db, Path(args.file), dry_run=args.dry_run)
    except CsvProblems as exc:
        print(f"read {exc.parsed.file} as {exc.parsed.encoding}", file=sys.stderr)
        for message in exc.parsed.messages():
            print(message, file=sys.stderr)
        raise
    _print_import(result)
    return EXIT_OK


def _print_import(result: CatalogImport) -> None:
    parsed, changes, dry_run, unserved = (
        result.parsed,
        result.changes,
        result.dry_run,
        result.unserved,
    )
    print(
        f"read {parsed.file} as {parsed.encoding}: "
        f"{plural(len(parsed.categories), 'department')}, {plural(len(parsed.services), 'matter')}"
    )
    print(
        f"departments: {len(changes.categories_added)} added, "
        f"{len(changes.categories_changed)} changed"
    )
    print(
        f"matters: {len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.deactivated)} deactivated, {changes.unchanged} unchanged"
    )
    for label, codes in (
        ("added", changes.added),
        ("changed", changes.changed),
        ("deactivated (kept for the tickets that refer to them)", changes.deactivated),
    ):
        if codes:
            print(f"  {label}: {listed(codes)}")
    for note in changes.notes:
        print(f"note: {note}")
    for counter in result.counters:
        rest = (
            f"it keeps {','.join(counter.kept)}"
            if counter.matters
            else "it serves nothing then: give it matters with "
            f"`queue-hall counter set-services {counter.number} CODES`"
        )
        if counter.gone:
            print(
                f"warning: counter {counter.number} ({counter.name}) stops serving "
                f"{listed(counter.gone)}, which this file removes; {rest}"
            )
        if counter.moved:
            moves = listed([f"{code} to {dept}" for code, dept in counter.moved.items()])
            print(
                f"warning: counter {counter.number} ({counter.name}) stops serving "
                f"{plural(len(counter.moved), 'matter')} this file moves to another "
                f"department ({moves}); give it them with "
                f"`queue-hall counter set-services {counter.number} CODES`"
            )
    if unserved:
        print(f"warning: no counter serves {listed(unserved)}; see `queue-hall counter list`")
    if dry_run:
        print("dry run: nothing was changed")
    elif changes.empty:
        print("the database already had this catalog; nothing was changed")
    else:
        print(f"the catalog was updated. {KIOSK_REFRESH_NOTE}")


def cmd_counter_set_services(args: argparse.Namespace) -> int:
    codes = parse_services(args.services)
    db = hall_database(load_hall(args))
    counter = set_counter_services(db, args.number, codes)
    if counter.services is None:
        print(f"counter {counter.number} ({counter.name}) now serves every matter")
    else:
        print(
            f"counter {counter.number} ({counter.name}) now serves "
            f"{plural(len(counter.services), 'matter')}: "
            f"{describe_services(counter.services, counter.by_category)}"
        )
    if counter.unserved:
        print(f"warning: no counter serves {listed(counter.unserved)}")
    print("The running server uses this from the counter's next call.")
    print(COUNTER_SYNC_NOTE)
    return EXIT_OK


def cmd_counter_list(args: argparse.Namespace) -> int:
    rows = counter_rows(hall_database(load_hall(args)))
    print("number\tname\tstate\tclerk\tservices")
    for row in rows:
        print(f"{row.number}\t{row.name}\t{row.state}\t{row.clerk_id or '-'}\t{row.services}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    backup = backup_database(hall_database(load_hall(args)), args.dest)
    print(
        f"backed up {backup.db} to {backup.target}: {human_size(backup.size)}, "
        f"{plural(backup.tickets, 'ticket')}, integrity check ok"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    report = check_hall(args.config, args.db)
    for warning in report.warnings:
        print(f"warning: {warning}")
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.problems:
        print(f"{plural(len(report.problems), 'problem')} found")
        return EXIT_FAILED
    print("OK")
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------


def register(subparsers: Any, common: Callable[..., None]) -> None:
    """Add init, catalog, counter, backup and check to the `queue-hall` parser."""
    init = subparsers.add_parser(
        "init",
        help="create a new hall database from a hall file and its catalog",
        description="Create a new hall database from a hall file and its catalog. "
        "Stop the server first when replacing a database.",
    )
    common(init)
    init.add_argument(
        "--force",
        action="store_true",
        help="replace an existing database; the old file is kept as <name>.<timestamp>.bak",
    )
    init.set_defaults(func=cmd_init)

    catalog = subparsers.add_parser(
        "catalog", help="export the catalog to a CSV file or import one (Excel)"
    )
    catalog_sub = catalog.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = catalog_sub.add_parser("export", help="write the catalog as CSV (UTF-8 for Excel)")
    common(export)
    export.add_argument("--out", type=Path, help="the CSV file to write (default: the console)")
    export.set_defaults(func=cmd_catalog_export)
    imp = catalog_sub.add_parser(
        "import",
        help="replace the catalog with a CSV file (UTF-8 or GBK)",
        description="Check a catalog CSV file and, when all of it is valid, apply it in one "
        "transaction: new matters are added, changed ones updated, and matters missing from "
        "the file are deactivated (never deleted). Safe while the server runs. Columns: "
        + ", ".join(CSV_COLUMNS),
    )
    imp.add_argument("file", metavar="FILE.csv", help="the CSV file to import")
    common(imp)
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and show the changes only"
    )
    imp.set_defaults(func=cmd_catalog_import)

    counter = subparsers.add_parser("counter", help="which services each counter serves")
    counter_sub = counter.add_subparsers(dest="action", required=True, metavar="ACTION")
    set_services = counter_sub.add_parser(
        "set-services",
        help="set the services of counter N",
        description='Set the services counter N serves: "all", or service and department '
        "codes separated by commas (a department stands for all its matters).",
    )
    set_services.add_argument("number", type=int, metavar="N", help="the counter number")
    set_services.add_argument(
        "services", metavar="all|CODE[,CODE...]", help='"all" or codes separated by commas'
    )
    common(set_services)
    set_services.set_defaults(func=cmd_counter_set_services)
    listing = counter_sub.add_parser("list", help="list the counters and what they serve")
    common(listing)
    listing.set_defaults(func=cmd_counter_list)

    backup = subparsers.add_parser(
        "backup",
        help="copy the hall database safely while the server runs",
        description="Copy the hall database with SQLite's online backup, check the copy and "
        "print its size. DEST is a new file or a folder (then hall-YYYYmmdd-HHMMSS.db).",
    )
    backup.add_argument(
        "dest",
        metavar="DEST",
        help="a new file, or a folder (an existing one, or any path ending with /)",
    )
    common(backup)
    backup.set_defaults(func=cmd_backup)

    check = subparsers.add_parser(
        "check",
        help="check the hall file, its catalog and the database",
        description="Check the hall file and its catalog, and the database when it exists; "
        'prints "OK" or every problem (exit code 0 or 1).',
    )
    common(check)
    check.set_defaults(func=cmd_check)
