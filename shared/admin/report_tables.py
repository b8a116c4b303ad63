"""The report's words and tables: one set of column headings and cells for CSV and HTML.

Every table of the report is built here once, as a header and rows of text, in Chinese or
English; the CSV files write them as they are and the HTML page shows the same rows to
people (see `shared.admin.report_html`), so the two can never disagree on a figure.
"""

from __future__ import annotations

from collections.abc import Callable

from shared.admin.report import GroupFigures, HallReport, WaitBucket
from shared.domain.figures import ClerkFigures
from shared.domain.vocabulary import RATING_LEVELS

LANGS = ("zh_CN", "en")

TEXT: dict[str, dict[str, str]] = {
    "zh_CN": {
        "clerk_id": "工号",
        "clerk": "姓名",
        "served": "办结件数",
        "no_shows": "过号次数",
        "transfers": "转移次数",
        "mean_service_s": "平均办理时长(秒)",
        "p90_service_s": "P90办理时长(秒)",
        "called": "首次叫号人数",
        "mean_wait_s": "平均等候时长(秒)",
        "p90_wait_s": "P90等候时长(秒)",
        "very_satisfied": "非常满意",
        "satisfied": "满意",
        "basic": "基本满意",
        "unsatisfied": "不满意",
        "rated": "评价数",
        "score": "满意度得分",
        "category_code": "部门代码",
        "category": "部门",
        "service_code": "事项代码",
        "service": "事项",
        "issued": "取号数",
        "hour": "时段",
        "arrivals": "到达人数",
        "wait_bucket": "等候时长(分钟)",
        "tickets": "人数",
        "all": "全部",
        "total": "合计",
        "without_start": "其中未按开始办结",
        "short": "短时办结件数",
        "short_share": "短时办结占比(%)",
        "calls": "叫号次数",
        "calls_per_served": "每办结叫号次数",
        "recalls": "重呼次数",
        "logged_in_min": "在岗时长(分钟)",
        "paused_min": "暂停时长(分钟)",
        "paused_reason_min": "暂停(分钟)：{reason}",
        "no_reason": "未填原因",
    },
    "en": {
        "clerk_id": "Clerk ID",
        "clerk": "Name",
        "served": "Served",
        "no_shows": "No-shows",
        "transfers": "Transfers",
        "mean_service_s": "Mean service (s)",
        "p90_service_s": "P90 service (s)",
        "called": "First calls",
        "mean_wait_s": "Mean wait (s)",
        "p90_wait_s": "P90 wait (s)",
        "very_satisfied": "Very satisfied",
        "satisfied": "Satisfied",
        "basic": "Basically satisfied",
        "unsatisfied": "Unsatisfied",
        "rated": "Ratings",
        "score": "Satisfaction score",
        "category_code": "Department code",
        "category": "Department",
        "service_code": "Service code",
        "service": "Service",
        "issued": "Issued",
        "hour": "Hour",
        "arrivals": "Arrivals",
        "wait_bucket": "Wait (minutes)",
        "tickets": "Tickets",
        "all": "All",
        "total": "Total",
        "without_start": "Of which finished without start",
        "short": "Short services",
        "short_share": "Short share (%)",
        "calls": "Calls",
        "calls_per_served": "Calls per served",
        "recalls": "Recalls",
        "logged_in_min": "Logged in (min)",
        "paused_min": "Paused (min)",
        "paused_reason_min": "Paused (min): {reason}",
        "no_reason": "no reason given",
    },
}


def bucket_label(bucket: WaitBucket) -> str:
    if bucket.high_min is None:
        return f"≥{bucket.low_min}"
    return f"{bucket.low_min}–{bucket.high_min}"


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00–{hour + 1:02d}:00"


def number(value: float | None, digits: int = 1) -> str:
    """A figure for a CSV cell: empty when there is none, else rounded to `digits`."""
    if value is None:
        return ""
    rounded = round(value, digits)
    return str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.{digits}f}"


# -- the tables (shared by CSV and HTML) --------------------------------------------------------


def percent(share: float | None) -> str:
    return number(None if share is None else 100 * share)


def minutes(seconds: float) -> str:
    return number(seconds / 60)


# The clerk table's columns: (text key, the cell of one clerk's figures). The paused-by-reason
# columns follow "paused_min", one per reason given in the period.
CLERK_COLUMNS: tuple[tuple[str, Callable[[ClerkFigures], str]], ...] = (
    ("clerk_id", lambda c: c.clerk_id),
    ("clerk", lambda c: c.name),
    ("served", lambda c: str(c.served)),
    ("without_start", lambda c: str(c.without_start)),
    ("short", lambda c: str(c.short)),
    ("short_share", lambda c: percent(c.short_share)),
    ("calls", lambda c: str(c.calls)),
    ("calls_per_served", lambda c: number(c.calls_per_served, 2)),
    ("recalls", lambda c: str(c.recalls)),
    ("no_shows", lambda c: str(c.no_shows)),
    ("transfers", lambda c: str(c.transfers)),
    ("logged_in_min", lambda c: minutes(c.logged_in_s)),
    ("paused_min", lambda c: minutes(c.paused_total_s)),
    ("mean_service_s", lambda c: number(c.mean_service_s)),
    ("p90_service_s", lambda c: number(c.p90_service_s)),
    ("called", lambda c: str(c.called)),
    ("mean_wait_s", lambda c: number(c.mean_wait_s)),
    *((level, lambda c, level=level: str(c.ratings[level])) for level in RATING_LEVELS),
    ("rated", lambda c: str(c.rated)),
    ("score", lambda c: number(c.score)),
)


def clerk_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per clerk and, when there are clerks, the hall's total row last."""
    t = TEXT[lang]
    reasons = report.pause_reasons
    header: list[str] = []
    for key, _ in CLERK_COLUMNS:
        header.append(t[key])
        if key == "paused_min":
            header += [t["paused_reason_min"].format(reason=r or t["no_reason"]) for r in reasons]

    def row(c: ClerkFigures) -> list[str]:
        cells: list[str] = []
        for key, cell in CLERK_COLUMNS:
            cells.append(cell(c))
            if key == "paused_min":
                cells += [minutes(c.paused_s.get(r, 0.0)) for r in reasons]
        return cells

    rows = [row(c) for c in report.clerks]
    if report.clerks:
        total = row(report.clerk_total)
        total[0], total[1] = "", t["total"]
        rows.append(total)
    return header, rows


def _group_cells(g: GroupFigures) -> list[str]:
    return [str(g.issued), str(g.served), str(g.no_shows), str(g.called),
            number(g.mean_wait_s), number(g.p90_wait_s)]  # fmt: skip


def category_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    keys = ["category_code", "category", "issued", "served", "no_shows", "called",
            "mean_wait_s", "p90_wait_s"]  # fmt: skip
    rows = [[g.code, g.name, *_group_cells(g)] for g in report.categories]
    if report.categories:
        rows.append(["", t["total"], *_group_cells(report.hall_total)])
    return [t[k] for k in keys], rows


def service_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    keys = ["category", "service_code", "service", "issued", "served", "no_shows", "called",
            "mean_wait_s", "p90_wait_s"]  # fmt: skip
    names = {g.code: g.name for g in report.categories}
    rows = [
        [names.get(g.category, g.category), g.code, g.name, *_group_cells(g)]
        for g in report.services
    ]
    return [t[k] for k in keys], rows


def hour_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    rows = [
        [hour_label(h.hour), str(h.arrivals), str(len(h.waits_s)), number(h.mean_wait_s)]
        for h in report.hours
    ]
    return [t["hour"], t["arrivals"], t["called"], t["mean_wait_s"]], rows


def wait_table(report: HallReport, lang: str) -> tuple[list[str], list[list[str]]]:
    t = TEXT[lang]
    rows = [[bucket_label(b), str(b.count)] for b in report.wait_buckets]
    return [t["wait_bucket"], t["tickets"]], rows


TABLES: dict[str, Callable[[HallReport, str], tuple[list[str], list[list[str]]]]] = {
    "clerks": clerk_table,
    "categories": category_table,
    "services": service_table,
    "hours": hour_table,
    "waits": wait_table,
}
