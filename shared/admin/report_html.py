"""The hall report as one self-contained HTML page: tables and inline SVG charts, no scripts."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from shared.admin.report import (
    RATING_WEIGHTS,
    STANDOUT_FACTOR,
    TABLES,
    TEXT,
    HallReport,
    bucket_label,
    number,
)
from shared.domain.vocabulary import RATING_LEVELS

PAGE_TEXT: dict[str, dict[str, str]] = {
    "zh_CN": {
        "title": "{hall} 业务统计与考核报表",
        "period": "统计期间：{first} 至 {last}（{days} 天）",
        "generated": "生成时间：{at}",
        "summary": "概况",
        "issued": "取号",
        "served": "办结",
        "no_shows": "过号",
        "mean_wait": "平均等候",
        "p90_wait": "九成群众等候不超过",
        "score": "满意度得分",
        "rated": "{n} 条评价",
        "minutes": "{m} 分钟",
        "min_sec": "{m}分{s}秒",
        "sec": "{s}秒",
        "ranking": "人员排名",
        "ranking_note": "按办结件数排名；件数相同时满意度得分高者在前。",
        "rank": "名次",
        "trend": "每日趋势",
        "trend_note": "每天的取号数与平均等候",
        "day": "日期",
        "per_day": "{n} 人",
        "hour_row": "{h}时",
        "none": "—",
        "hourly": "分时段到达人数与平均等候",
        "hourly_note": "柱：到达人数（左轴）；折线：平均等候分钟（右轴）",
        "waits": "等候时长分布",
        "waits_note": "横轴：等候分钟；纵轴：人数",
        "compare": "窗口人员对比",
        "compare_note": "柱：办结件数；右侧：满意度得分",
        "clerks": "人员考核",
        "categories": "部门",
        "services": "事项",
        "services_note": "按部门分组，点部门名称展开；只列出本期间有取号的事项，CSV 文件列出全部行。",
        "department_line": "{name}：{count} 个事项，取号 {issued}，办结 {served}",
        "hours": "分时段",
        "wait_table": "等候时长分布",
        "empty": "本期间没有取号记录。",
        "definitions": "指标说明",
        "def_wait": "等候时长 = 首次叫号时间 − 取号时间；未被叫号的号不计等候。",
        "def_served": "办结件数：该人员办结的号数；过号次数、转移次数：该人员标记过号或转移的次数。",
        "def_service": "办理时长 = 办结时间 − 开始办理时间（未按“开始”时从叫号时间算），按办结人员统计。",
        "def_clerk_wait": "人员的平均等候：该人员首次叫到的居民的等候时长平均值。",
        "def_transfer": "转到其他事项的号计入其最终办理的事项；取号数不含打印失败作废的号。",
        "def_p90": "九成群众等候不超过：把所有人的等候时长从短到长排好，十个人里有九个等得不比它长。",
        "def_score": "满意度得分 = 100 × (1.0×非常满意 + 0.8×满意 + 0.6×基本满意 + 0×不满意) ÷ 评价数；无评价时不计。",
        "def_period": "期间按业务日统计（取号所属业务日）。",
        "def_without_start": "其中未按开始办结：办结件数中，叫号后未按“开始”就办结（或被下一次叫号自动办结）的件数。",
        "def_short": "短时办结：办理时长短于 {short} 秒（大厅设置 [report] short_service_s）的办结件数；占比 = 短时办结件数 ÷ 办结件数。",
        "def_calls": "叫号次数：该人员“叫下一位”和“指定叫号”的次数（不含重呼）；每办结叫号次数 = 叫号次数 ÷ 办结件数；重呼次数另计。同一窗口两次叫号至少间隔大厅设置的秒数（[calls] min_gap_s），过早的叫号被拒绝，不计入。",
        "def_logged_in": "在岗时长：从登录窗口到退出登录或窗口关闭（另一人员登录、客户端离线两分钟、业务日结束）的时长，含暂停；暂停时长：窗口处于暂停状态的时长，按填写的原因分列；尚未结束的登录计到报表生成时。",
        "def_standout": "突出显示：短时办结占比或每办结叫号次数高于本期有办结的人员中位数 {factor} 倍的人员，以黄色标出。这只是值得了解情况的提示，不是评价结论。",
        "standout_note": "黄色标出的数值高于全体人员中位数的 {factor} 倍（中位数：短时办结占比 {short}%，每办结叫号次数 {calls}）。是提示，不是结论；定义见页末“指标说明”。",
        "standout_title": "高于中位数 {factor} 倍（中位数 {median}）",
    },
    "en": {
        "title": "{hall}: service and assessment report",
        "period": "Period: {first} to {last} ({days} days)",
        "generated": "Generated: {at}",
        "summary": "Summary",
        "issued": "Issued",
        "served": "Served",
        "no_shows": "No-shows",
        "mean_wait": "Mean wait",
        "p90_wait": "9 in 10 waited at most",
        "score": "Satisfaction score",
        "rated": "{n} ratings",
        "minutes": "{m} min",
        "min_sec": "{m} min {s} s",
        "sec": "{s} s",
        "ranking": "Clerks ranked",
        "ranking_note": "By tickets served; on a tie, the higher satisfaction score first.",
        "rank": "Rank",
        "trend": "Day by day",
        "trend_note": "Tickets issued and mean wait each day",
        "day": "Day",
        "per_day": "{n}",
        "hour_row": "{h}:00",
        "none": "—",
        "hourly": "Arrivals and mean wait by hour",
        "hourly_note": "Bars: arrivals (left axis); line: mean wait in minutes (right axis)",
        "waits": "Distribution of waits",
        "waits_note": "Across: wait in minutes; up: tickets",
        "compare": "Clerks compared",
        "compare_note": "Bars: tickets served; right: satisfaction score",
        "clerks": "Clerks",
        "categories": "Departments",
        "services": "Services",
        "services_note": "Grouped by department: open a department to see its services. Only"
        " services with tickets in the period are listed; the CSV file has every row.",
        "department_line": "{name}: {count} services, {issued} issued, {served} served",
        "hours": "By hour",
        "wait_table": "Distribution of waits",
        "empty": "No tickets were issued in this period.",
        "definitions": "Definitions",
        "def_wait": "Wait = first call − issue time; a ticket never called has no wait.",
        "def_served": "Served: tickets the clerk finished; no-shows and transfers: times the clerk"
        " marked a ticket no-show or transferred one.",
        "def_service": "Service time = finish − start (− the call when start was not pressed),"
        " counted for the clerk who finished.",
        "def_clerk_wait": "A clerk's mean wait: over the residents whose first call the clerk made.",
        "def_transfer": "A ticket transferred to another service counts under the service it ended"
        " in; issued tickets exclude those cancelled because printing failed.",
        "def_p90": "9 in 10 waited at most: of all waits put in order, nine in ten are no longer"
        " than this one (the 90th percentile, nearest rank).",
        "def_score": "Satisfaction score = 100 × (1.0×very satisfied + 0.8×satisfied + 0.6×basic"
        " + 0×unsatisfied) ÷ ratings; none without ratings.",
        "def_period": "Periods are business days (the day a ticket was issued on).",
        "def_without_start": "Finished without start: of the served tickets, those finished without"
        " the clerk pressing start after the call (also those finished by calling the next one).",
        "def_short": "Short services: served tickets whose service time was under {short} s (hall"
        " setting [report] short_service_s); short share = short services ÷ served.",
        "def_calls": "Calls: the clerk's call-next and out-of-turn calls (recalls not included);"
        " calls per served = calls ÷ served; recalls are counted apart. Two calls at one counter"
        " are at least the hall's [calls] min_gap_s apart; an early call is refused and not counted.",
        "def_logged_in": "Logged in: from the clerk's login at a counter to the logout or the"
        " counter's closing (another login, the client gone two minutes, the end of the business"
        " day), pauses included; paused: time the counter was paused, by the reason given; a login"
        " still open counts until the report was made.",
        "def_standout": "Highlighted: clerks whose short share or calls per served is above {factor}"
        " times the median of the clerks who served in the period, marked in yellow. A pointer"
        " for a conversation, not a verdict.",
        "standout_note": "Values marked in yellow are above {factor} times the clerks' median"
        " (medians: short share {short} %, calls per served {calls}). A pointer, not a verdict;"
        " see the definitions at the end.",
        "standout_title": "above {factor} × the median ({median})",
    },
}

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
  sans-serif; margin: 24px auto; max-width: 1280px; color: #263238; padding: 0 16px;
  -webkit-text-size-adjust: 100%; }
h1 { font-size: 26px; margin-bottom: 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #1565c0; padding-bottom: 4px; margin-top: 32px; }
p.meta { color: #607d8b; margin: 2px 0; }
p.note { color: #607d8b; font-size: 13px; margin: 2px 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #f5f9ff; border: 1px solid #b0c4de; border-radius: 6px; padding: 10px 16px;
  min-width: 140px; }
.card .label { color: #546e7a; font-size: 13px; }
.card .value { font-size: 26px; font-weight: bold; color: #0d47a1; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #cfd8dc; padding: 4px 8px; white-space: nowrap; }
th:first-child, td:first-child { position: sticky; left: 0; background: #fff; }
th:first-child { background: #e3f2fd; }
.bars { display: none; }
.bars .row { display: flex; align-items: center; gap: 8px; margin: 4px 0; font-size: 14px; }
.bars .name { flex: 0 0 6.5em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bars .track { flex: 1 1 auto; background: #eceff1; height: 14px; border-radius: 3px; }
.bars .fill { background: #1e88e5; height: 14px; border-radius: 3px; }
.bars .figure { flex: 0 0 auto; min-width: 5.5em; text-align: right; white-space: nowrap; }
@media (max-width: 700px) {
  body { margin: 12px auto; padding: 0 10px; }
  h1 { font-size: 21px; }
  h2 { font-size: 18px; margin-top: 24px; }
  .card { min-width: 0; flex: 1 1 40%; padding: 8px 10px; }
  .card .value { font-size: 21px; }
  .wide { display: none; }
  .bars { display: block; }
}
th { background: #e3f2fd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #fafafa; }
svg { background: #fff; border: 1px solid #eceff1; max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: #37474f; }
ul.defs li { margin: 3px 0; }
details.department { margin: 2px 0; }
details.department summary { cursor: pointer; padding: 3px 0; }
details.department table { margin-left: 16px; }
@media print { details.department > *:not(summary) { display: block; } }
tr.standout td { background: #fffde7; }
td.flag { background: #ffe082 !important; font-weight: bold; }
table.clerks td:nth-child(2) { white-space: nowrap; }
"""

BAR = "#1e88e5"
LINE = "#e65100"
GOOD = "#43a047"


AXIS_STEPS = 4  # grid lines above zero on every chart


def _nice_max(value: float, whole: bool = True) -> float:
    """The axis top: AXIS_STEPS round steps (1, 2 or 5 × 10^n) that reach `value`.

    `whole`: the values are counts, so a step is never smaller than 1.
    """
    if value <= 0:
        return AXIS_STEPS
    wanted = value / AXIS_STEPS
    magnitude = 1.0
    while magnitude * 10 <= wanted:
        magnitude *= 10
    while magnitude > wanted and not (whole and magnitude <= 1):
        magnitude /= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= wanted:
            return factor * magnitude * AXIS_STEPS
    return 10 * magnitude * AXIS_STEPS


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        + "".join(body)
        + "</svg>"
    )


def _bars_and_line(
    slots: Sequence[tuple[str, str, int, float | None]],
    height: int,
    label: str,
    dots: bool,
) -> str:
    """Counts as bars on the left axis and a mean wait (minutes) as a line on the right one.

    `slots`: (axis label, bar tooltip, count, mean wait in seconds or None) from left to right.
    """
    width, left, right, top, bottom = 1200, 60, 56, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(slots)
    top_count = _nice_max(max((count for _, _, count, _ in slots), default=0))
    waits = [wait / 60 for _, _, _, wait in slots if wait is not None]
    top_wait = _nice_max(max(waits, default=0), whole=False)
    body = []
    for i in range(AXIS_STEPS + 1):
        y = top + plot_h * i / AXIS_STEPS
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eceff1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_fmt(top_count * (AXIS_STEPS - i) / AXIS_STEPS)}</text>"
        )
        body.append(
            f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" style="fill:{LINE}">'
            f"{_fmt(top_wait * (AXIS_STEPS - i) / AXIS_STEPS)}</text>"
        )
    points = []
    for i, (axis_label, title, count, wait) in enumerate(slots):
        x = left + i * slot
        bar_h = plot_h * count / top_count
        body.append(
            f'<rect class="bar" x="{x + slot * 0.15:.1f}" y="{top + plot_h - bar_h:.1f}"'
            f' width="{slot * 0.7:.1f}" height="{bar_h:.1f}" fill="{BAR}">'
            f"<title>{title}</title></rect>"
        )
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{axis_label}</text>"
        )
        if wait is not None:
            y = top + plot_h - plot_h * (wait / 60) / top_wait
            points.append(f"{x + slot / 2:.1f},{y:.1f}")
            if dots:
                body.append(f'<circle cx="{x + slot / 2:.1f}" cy="{y:.1f}" r="3" fill="{LINE}"/>')
    if points:
        body.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="2"/>'
        )
    if dots:
        body.append(
            f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"'
            ' stroke="#78909c"/>'
        )
    return _svg(width, height, label, body)


def hourly_chart(report: HallReport, t: dict[str, str]) -> str:
    """Arrivals per hour as bars, mean wait per hour (minutes) as a line on a second axis."""
    busy = [h for h in report.hours if h.arrivals]
    first = min((h.hour for h in busy), default=8)
    last = max((h.hour for h in busy), default=17)
    slots = [
        (f"{h.hour:02d}", f"{h.hour:02d}:00 {h.arrivals}", h.arrivals, h.mean_wait_s)
        for h in report.hours[first : last + 1]
    ]
    return _bars_and_line(slots, 340, t["hourly"], dots=True)


def wait_chart(report: HallReport, t: dict[str, str]) -> str:
    buckets = report.wait_buckets
    width, height, left, top, bottom = 1200, 300, 60, 20, 40
    plot_w, plot_h = width - left - 20, height - top - bottom
    slot = plot_w / len(buckets)
    top_count = _nice_max(max((b.count for b in buckets), default=0))
    body = []
    for i in range(AXIS_STEPS + 1):
        y = top + plot_h * i / AXIS_STEPS
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eceff1"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(top_count * (AXIS_STEPS - i) / AXIS_STEPS)}</text>'
        )
    for i, b in enumerate(buckets):
        x = left + i * slot
        bar_h = plot_h * b.count / top_count
        y = top + plot_h - bar_h
        body.append(
            f'<rect class="bar" x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}"'
            f' height="{bar_h:.1f}" fill="{BAR}"><title>{escape(bucket_label(b))}: {b.count}</title></rect>'
        )
        if b.count:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{b.count}</text>'
            )
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(bucket_label(b))}</text>'
        )
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#78909c"/>'
    )
    return _svg(width, height, t["waits"], body)


def clerk_chart(report: HallReport, t: dict[str, str]) -> str:
    clerks = report.clerks
    row_h, left, right, top = 28, 160, 150, 10
    width = 1200
    height = top * 2 + row_h * max(1, len(clerks))
    plot_w = width - left - right
    top_served = _nice_max(max((c.served for c in clerks), default=0))
    body = []
    for i, c in enumerate(clerks):
        y = top + i * row_h
        bar_w = plot_w * c.served / top_served
        body.append(
            f'<text x="{left - 8}" y="{y + row_h * 0.65:.1f}" text-anchor="end">{escape(c.name)} ({escape(c.clerk_id)})</text>'
        )
        body.append(
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}"'
            f' fill="{BAR}"><title>{escape(c.name)}: {c.served}</title></rect>'
        )
        body.append(
            f'<text x="{left + bar_w + 6:.1f}" y="{y + row_h * 0.65:.1f}">{c.served}</text>'
        )
        score = t["none"] if c.score is None else f"{c.score:.1f}"
        body.append(
            f'<text x="{width - 8}" y="{y + row_h * 0.65:.1f}" text-anchor="end"'
            f' style="fill:{GOOD};font-weight:bold">{escape(t["score"])} {score}</text>'
        )
    return _svg(width, height, t["compare"], body)


def _duration(seconds: float | None, t: dict[str, str]) -> str:
    """Seconds as the reader says them: "5分12秒" (or "45秒")."""
    if seconds is None:
        return t["none"]
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return t["min_sec"].format(m=minutes, s=secs) if minutes else t["sec"].format(s=secs)


# How the HTML page shows a table column (by its key in shared.admin.report.TEXT): a plain header
# instead of the CSV's, and seconds as minutes and seconds. Code columns are left out: the
# page is for people; the CSV files keep the codes.
HIDDEN_COLUMNS = ("category_code", "service_code")
HTML_HEADERS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "mean_service_s": "平均办理时长",
        "p90_service_s": "九成办理不超过",
        "called": "已叫号人数",
        "mean_wait_s": "平均等候",
        "p90_wait_s": "九成群众等候不超过",
    },
    "en": {
        "mean_service_s": "Mean service",
        "p90_service_s": "9 in 10 served within",
        "called": "Called",
        "mean_wait_s": "Mean wait",
        "p90_wait_s": "9 in 10 waited at most",
    },
}
SECONDS_COLUMNS = ("mean_service_s", "p90_service_s", "mean_wait_s", "p90_wait_s")


def _html_columns(header: list[str], lang: str) -> list[tuple[int, str, bool]]:
    """(index in the CSV table, header for people, holds seconds) of each column shown."""
    keys = {text: key for key, text in TEXT[lang].items()}
    shown = []
    for index, title in enumerate(header):
        key = keys.get(title, "")
        if key in HIDDEN_COLUMNS:
            continue
        shown.append((index, HTML_HEADERS[lang].get(key, title), key in SECONDS_COLUMNS))
    return shown


def _cell_value(value: str, seconds: bool, t: dict[str, str]) -> str:
    return _duration(float(value), t) if seconds and value else value


def _html_table(header: list[str], rows: list[list[str]], lang: str, t: dict[str, str]) -> str:
    """A report table for people: no code columns, plain headers, times in 分/秒, and a
    container that scrolls sideways on a narrow screen (the first column stays put)."""
    shown = _html_columns(header, lang)
    body = []
    for row in rows:
        cells = []
        for index, _title, seconds in shown:
            value = row[index]
            if seconds and value:
                value = _duration(float(value), t)
            numeric = seconds or _numeric(value)
            cells.append(
                f'<td class="num">{escape(value)}</td>' if numeric else f"<td>{escape(value)}</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{escape(title)}</th>" for _i, title, _s in shown)
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def clerk_table_html(report: HallReport, lang: str, t: dict[str, str]) -> str:
    """The clerk table with the standout clerks' rows and figures marked (see def_standout)."""
    header, rows = TABLES["clerks"](report, lang)
    factor = _fmt(STANDOUT_FACTOR)
    columns = {figure: header.index(TEXT[lang][figure]) for figure in ("short_share",
               "calls_per_served")}  # fmt: skip
    medians = {
        "short_share": number(
            None if (m := report.medians.get("short_share")) is None else 100 * m
        ),
        "calls_per_served": number(report.medians.get("calls_per_served"), 2),
    }
    shown = _html_columns(header, lang)
    head = "".join(f"<th>{escape(title)}</th>" for _i, title, _s in shown)
    lines = []
    for index, row in enumerate(rows):
        clerk = report.clerks[index].clerk_id if index < len(report.clerks) else None
        marked = report.standouts.get(clerk, ()) if clerk is not None else ()
        flagged = {columns[figure]: figure for figure in marked}
        cells = []
        for column, _title, seconds in shown:
            value = _cell_value(row[column], seconds, t)
            classes = ["num"] if seconds or _numeric(row[column]) else []
            title = ""
            if column in flagged:
                classes.append("flag")
                median = medians[flagged[column]]
                title = (
                    f' title="{escape(t["standout_title"].format(factor=factor, median=median))}"'
                )
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}{title}>{escape(value)}</td>")
        row_class = ' class="standout"' if marked else ""
        lines.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    note = t["standout_note"].format(
        factor=factor, short=medians["short_share"] or t["none"],
        calls=medians["calls_per_served"] or t["none"],
    )  # fmt: skip
    return (
        f'<p class="note">{escape(note)}</p>'
        f'<div class="scroll"><table class="clerks"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def _numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _bars(rows: list[tuple[str, float, str]]) -> str:
    """A bar list that reflows on any width: (name, value, figure text) per row."""
    top = max((value for _n, value, _f in rows), default=0) or 1
    return (
        '<div class="bars">'
        + "".join(
            f'<div class="row"><span class="name">{escape(name)}</span>'
            f'<span class="track"><span class="fill" style="display:block;width:{100 * value / top:.1f}%">'
            f'</span></span><span class="figure">{escape(figure)}</span></div>'
            for name, value, figure in rows
        )
        + "</div>"
    )


def ranking_table(report: HallReport, lang: str) -> str:
    t = PAGE_TEXT[lang]
    ranked = sorted(report.clerks, key=lambda c: (-c.served, -(c.score or 0.0), c.clerk_id))
    header = [t["rank"], TEXT[lang]["clerk"], t["served"], t["score"],
              HTML_HEADERS[lang]["mean_service_s"]]  # fmt: skip
    rows = []
    for place, c in enumerate(ranked, start=1):
        score = t["none"] if c.score is None else f"{c.score:.1f}"
        rows.append(
            f'<tr><td class="num">{place}</td><td>{escape(c.name)}</td>'
            f'<td class="num">{c.served}</td><td class="num">{score}</td>'
            f'<td class="num">{escape(_duration(c.mean_service_s, t))}</td></tr>'
        )
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return (
        f'<div class="scroll"><table id="ranking"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def trend_chart(report: HallReport, t: dict[str, str]) -> str:
    """Tickets issued per day (bars) with the mean wait (line), for the period."""
    if not report.days:
        return ""
    slots = [
        (str(int(d.code[8:10])), f"{d.code} {d.issued}", d.issued, d.mean_wait_s)
        for d in report.days
    ]
    return _bars_and_line(slots, 300, t["trend"], dots=False)


def _services_by_department(report: HallReport, t: dict[str, str]) -> str:
    """The per-service table, one folding section per department (a county hall has 1,500)."""
    lang = "zh_CN" if t is PAGE_TEXT["zh_CN"] else "en"
    header, rows = TABLES["services"](report, lang)
    by_category: dict[str, list[list[str]]] = {}
    for service, row in zip(report.services, rows, strict=True):
        by_category.setdefault(service.category, []).append(
            row[1:]
        )  # the department is the heading
    sections = [f'<p class="note">{escape(t["services_note"])}</p>']
    for category in report.categories:
        members = by_category.get(category.code, [])
        line = t["department_line"].format(
            name=category.name, count=len(members), issued=category.issued, served=category.served
        )
        sections.append(
            f'<details class="department"><summary>{escape(line)}</summary>'
            f"{_html_table(header[1:], members, lang, t)}</details>"
        )
    return "\n".join(sections)


def render_html(report: HallReport, lang: str = "zh_CN") -> str:
    t = PAGE_TEXT[lang]
    total = report.hall_total
    hall = report.hall or ("服务大厅" if lang == "zh_CN" else "Service hall")
    score = t["none"] if report.score is None else f"{report.score:.1f}"
    cards = [
        (t["issued"], str(total.issued)),
        (t["served"], str(total.served)),
        (t["no_shows"], str(total.no_shows)),
        (t["mean_wait"], escape(_duration(total.mean_wait_s, t))),
        (t["p90_wait"], escape(_duration(total.p90_wait_s, t))),
        (
            t["score"],
            f'{score} <span class="label">({escape(t["rated"].format(n=report.rated))})</span>',
        ),
    ]
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M")
    offset = report.generated_at.strftime("%z")
    if offset:
        generated += f" (UTC{offset[:3]}:{offset[3:]})"
    busy_hours = [h for h in report.hours if h.arrivals]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh_CN" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t['title'].format(hall=hall))} {escape(report.period.label)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(t['title'].format(hall=hall))}</h1>",
        f'<p class="meta">{escape(t["period"].format(first=report.period.first, last=report.period.last, days=report.period.days))}</p>',
        f'<p class="meta">{escape(t["generated"].format(at=generated))}</p>',
        f"<h2>{escape(t['summary'])}</h2>",
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="label">{escape(label)}</div><div class="value">{value}</div></div>'
            for label, value in cards
        )
        + "</div>",
    ]
    if report.empty:
        parts.append(f"<p>{escape(t['empty'])}</p>")
    parts += [
        f'<h2 id="ranking-title">{escape(t["ranking"])}</h2>',
        f'<p class="note">{escape(t["ranking_note"])}</p>',
        ranking_table(report, lang),
    ]
    if len(report.days) > 1:
        parts += [
            f'<h2 id="trend">{escape(t["trend"])}</h2>',
            f'<p class="note">{escape(t["trend_note"])}</p>',
            f'<div class="wide">{trend_chart(report, t)}</div>',
            _bars(
                [
                    (
                        d.code[5:],
                        d.issued,
                        f"{t['per_day'].format(n=d.issued)} · {_duration(d.mean_wait_s, t)}",
                    )
                    for d in report.days
                ]
            ),
        ]
    parts += [
        f'<h2 id="hourly">{escape(t["hourly"])}</h2>',
        f'<p class="note">{escape(t["hourly_note"])}</p>',
        f'<div class="wide">{hourly_chart(report, t)}</div>',
        _bars(
            [
                (
                    t["hour_row"].format(h=f"{h.hour:02d}"),
                    h.arrivals,
                    f"{t['per_day'].format(n=h.arrivals)} · {_duration(h.mean_wait_s, t)}",
                )
                for h in busy_hours
            ]
        ),
        f"<h2>{escape(t['waits'])}</h2>",
        f'<p class="note">{escape(t["waits_note"])}</p>',
        f'<div class="wide">{wait_chart(report, t)}</div>',
        _bars(
            [
                (bucket_label(b), b.count, t["per_day"].format(n=b.count))
                for b in report.wait_buckets
            ]
        ),
        f"<h2>{escape(t['compare'])}</h2>",
        f'<p class="note">{escape(t["compare_note"])}</p>',
        f'<div class="wide">{clerk_chart(report, t)}</div>',
        _bars(
            [
                (
                    c.name,
                    c.served,
                    f"{c.served} · {t['none'] if c.score is None else f'{c.score:.1f}'}",
                )
                for c in report.clerks
            ]
        ),
    ]
    for name, key in (("clerks", "clerks"), ("categories", "categories"), ("services", "services"),
                      ("hours", "hours"), ("waits", "wait_table")):  # fmt: skip
        parts.append(f'<h2 id="{name}">{escape(t[key])}</h2>')
        if name == "clerks":
            parts.append(clerk_table_html(report, lang, t))
            continue
        header, rows = TABLES[name](report, lang)
        if name == "hours":
            rows = [r for r, h in zip(rows, report.hours, strict=True) if h.arrivals]
        if name == "services":
            parts.append(_services_by_department(report, t))
            continue
        parts.append(_html_table(header, rows, lang, t))
    weights = ", ".join(f"{level}={RATING_WEIGHTS[level]}" for level in RATING_LEVELS)
    definitions = [t[k] for k in ("def_period", "def_wait", "def_served", "def_service",
                                  "def_clerk_wait", "def_transfer", "def_p90", "def_score")]  # fmt: skip
    definitions += [  # the clerk figures of the monthly assessment
        t["def_without_start"],
        t["def_short"].format(short=report.rules.short_service_s),
        t["def_calls"],
        t["def_logged_in"],
        t["def_standout"].format(factor=_fmt(STANDOUT_FACTOR)),
    ]
    parts += [
        f'<h2 id="definitions">{escape(t["definitions"])}</h2>',
        '<ul class="defs">' + "".join(f"<li>{escape(d)}</li>" for d in definitions) + "</ul>",
        f"<!-- rating weights: {weights} -->",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
