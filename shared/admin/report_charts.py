"""The report's charts: inline SVG for a wide screen, and bar lists that reflow on a phone.

The page carries no scripts, so every chart is drawn here as SVG text. The hourly and the
daily chart are the same drawing (counts as bars, the mean wait as a line on a second
axis); on a narrow screen the page shows the same figures as plain bar lists instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from shared.admin.report import HallReport
from shared.admin.report_tables import bucket_label

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


def short_number(value: float) -> str:
    """A whole number as it is, anything else with one decimal (axis labels, factors)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        + "".join(body)
        + "</svg>"
    )


def _grid_line(
    step: int, left: int, top: int, plot_w: int, plot_h: int, top_count: float
) -> tuple[float, list[str]]:
    """The height of grid line `step` (0 at the top) and its line and left-axis count."""
    y = top + plot_h * step / AXIS_STEPS
    return y, [
        f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eceff1"/>',
        f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
        f"{short_number(top_count * (AXIS_STEPS - step) / AXIS_STEPS)}</text>",
    ]


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
        y, grid = _grid_line(i, left, top, plot_w, plot_h, top_count)
        body += grid
        body.append(
            f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" style="fill:{LINE}">'
            f"{short_number(top_wait * (AXIS_STEPS - i) / AXIS_STEPS)}</text>"
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
        body += _grid_line(i, left, top, plot_w, plot_h, top_count)[1]
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


def trend_chart(report: HallReport, t: dict[str, str]) -> str:
    """Tickets issued per day (bars) with the mean wait (line), for the period."""
    if not report.days:
        return ""
    slots = [
        (str(int(d.code[8:10])), f"{d.code} {d.issued}", d.issued, d.mean_wait_s)
        for d in report.days
    ]
    return _bars_and_line(slots, 300, t["trend"], dots=False)


def bar_list(rows: list[tuple[str, float, str]]) -> str:
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
