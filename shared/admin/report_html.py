"""The hall report as one self-contained HTML page: tables and inline SVG charts, no scripts.

The page is mailed around and opened on phones and office PCs without a network, so it
carries its style and charts inside. Its tables are the CSV tables (`report_tables`) shown
for people: no code columns, times in minutes and seconds, the standout clerks marked.
"""

from __future__ import annotations

from html import escape

from shared.admin.report import STANDOUT_FACTOR, HallReport
from shared.admin.report_charts import (
    bar_list,
    clerk_chart,
    hourly_chart,
    short_number,
    trend_chart,
    wait_chart,
)
from shared.admin.report_page_text import (
    HIDDEN_COLUMNS,
    HTML_HEADERS,
    PAGE_TEXT,
    SECONDS_COLUMNS,
    STYLE,
)
from shared.admin.report_tables import TABLES, TEXT, bucket_label, number
from shared.domain.figures import RATING_WEIGHTS
from shared.domain.vocabulary import RATING_LEVELS


def _duration(seconds: float | None, t: dict[str, str]) -> str:
    """Seconds as the reader says them: "5分12秒" (or "45秒")."""
    if seconds is None:
        return t["none"]
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return t["min_sec"].format(m=minutes, s=secs) if minutes else t["sec"].format(s=secs)


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
    factor = short_number(STANDOUT_FACTOR)
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
            bar_list(
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
        bar_list(
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
        bar_list(
            [
                (bucket_label(b), b.count, t["per_day"].format(n=b.count))
                for b in report.wait_buckets
            ]
        ),
        f"<h2>{escape(t['compare'])}</h2>",
        f'<p class="note">{escape(t["compare_note"])}</p>',
        f'<div class="wide">{clerk_chart(report, t)}</div>',
        bar_list(
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
        t["def_standout"].format(factor=short_number(STANDOUT_FACTOR)),
    ]
    parts += [
        f'<h2 id="definitions">{escape(t["definitions"])}</h2>',
        '<ul class="defs">' + "".join(f"<li>{escape(d)}</li>" for d in definitions) + "</ul>",
        f"<!-- rating weights: {weights} -->",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
