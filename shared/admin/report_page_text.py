"""The words and the look of the HTML report, in Chinese and English.

The page is read by hall managers and county officials, not by spreadsheet users: it has
its own plain headings (e.g. "九成群众等候不超过" for a p90 wait), its definitions of every
figure, and one style sheet that also fits a phone. The table cells themselves come from
`shared.admin.report_tables`, shared with the CSV files.
"""

from __future__ import annotations

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


# How the HTML page shows a table column (by its key in shared.admin.report_tables.TEXT): a
# plain header instead of the CSV's, and seconds as minutes and seconds. Code columns are left
# out: the page is for people; the CSV files keep the codes.
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
