"""The report's files: one CSV per table for spreadsheets and one HTML page for people.

The CSV files are UTF-8 with a byte-order mark, so that Excel shows the Chinese names
correctly, and every cell passes through `shared.admin.spreadsheet` so a name can never
run as a formula when the file is opened.
"""

from __future__ import annotations

import csv
from pathlib import Path

from shared.admin.report import HallReport
from shared.admin.report_html import render_html
from shared.admin.report_tables import TABLES
from shared.admin.spreadsheet import to_row


def write_csv(report: HallReport, out_dir: Path, lang: str = "zh_CN") -> list[Path]:
    """One CSV per table, UTF-8 with a byte-order mark (Excel reads it as UTF-8 then)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        header, rows = table(report, lang)
        path = out_dir / f"{report.period.label}-{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(to_row(header))
            writer.writerows(to_row(row) for row in rows)
        written.append(path)
    return written


def write_report(report: HallReport, out_dir: Path, lang: str = "zh_CN") -> list[Path]:
    """The CSV files and the HTML report; returns their paths (the HTML last)."""
    written = write_csv(report, out_dir, lang)
    html_path = out_dir / f"{report.period.label}-report.html"
    html_path.write_text(render_html(report, lang), encoding="utf-8")
    written.append(html_path)
    return written
