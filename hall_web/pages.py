"""The web pages' HTML: the ticket page, the hall page and the plain notice pages.

Everything a resident reads is here, in Chinese and in English; the browser's script only
swaps in the fragments rendered here, so the wording lives in one place.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

LANGS = ("zh", "en")
REFRESH_S = 10  # the <meta refresh> of pages opened with scripts off
STATIC_VERSION = "1"  # bump when app.js / style.css change, so browsers fetch them afresh

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "ticket_title": "{number} · 排队进度",
        "your_number": "您的号码",
        "priority": "绿色通道",
        "ahead_none": "前面没有人等候",
        "ahead_many": "前面还有 {n} 人",
        "wait_soon": "即将为您叫号",
        "wait": "预计等候约 {m} 分钟",
        "state_pending": "正在出票",
        "state_waiting": "等候中",
        "state_called": "已叫号",
        "state_serving": "正在办理",
        "state_done": "已办结",
        "state_no_show": "过号",
        "state_cancelled": "已作废",
        "state_expired": "已过期",
        "go_to": "请到",
        "go_to_after": "办理",
        "called_hint": "叫到您了，请带好材料尽快前往。",
        "serving_hint": "您正在 {counter} 办理。",
        "done_hint": "本号已办结，感谢您的耐心。",
        "no_show_title": "“过号”是什么意思？",
        "no_show_text": "叫到您的号码时您不在窗口，这个号码已被跳过。请重新取号排队；"
        "如有特殊情况，可到咨询台或窗口请工作人员帮您恢复排队。",
        "cancelled_hint": "本号已作废（未打印成功），请重新取号。",
        "expired_hint": "本号已过期，请重新取号。",
        "live": "本页自动更新，无需刷新。",
        "offline": "连接已断开，正在重试……",
        "hall_offline": "暂时连不上大厅的叫号系统，正在重试……",
        "alerts": "开启振动和声音提醒",
        "alerts_on": "提醒已开启：叫到您时手机会振动并响铃。",
        "keep_private": "请勿把本页链接发给他人。",
        "other_lang": "English",
        "other_day_title": "这张票不是今天的",
        "other_day_text": "这张票是 {day} 的号码 {number}，今天已不能使用。请在取号机重新取号。",
        "unknown_title": "找不到这张票",
        "unknown_text": "二维码或链接不完整或有误。请重新扫描票上的二维码；如有疑问，请到咨询台。",
        "busy_title": "请求太频繁",
        "busy_text": "请稍等片刻再试。",
        "full_title": "打开的页面太多",
        "full_text": "请关闭其他排队页面，稍后本页会自动重试。",
        "unavailable_title": "暂时无法查询",
        "unavailable_text": "暂时连不上大厅的叫号系统，请稍后再试。您的号码仍然有效。",
        "error_title": "出错了",
        "error_text": "页面暂时无法显示，请稍后再试。",
        "not_found_title": "没有这个页面",
        "not_found_text": "请扫描号票上的二维码打开您的排队进度。",
        "hall_title": "叫号信息",
        "latest_calls": "最新叫号",
        "no_calls": "今天还没有叫号",
        "waiting_by_dept": "各类业务等候人数",
        "people": "{n} 人",
        "number": "号码",
        "counter": "窗口",
    },
    "en": {
        "html_lang": "en",
        "ticket_title": "{number} · your place in the queue",
        "your_number": "Your number",
        "priority": "Priority",
        "ahead_none": "No one ahead of you",
        "ahead_many": "{n} people ahead of you",
        "wait_soon": "You will be called shortly",
        "wait": "Estimated wait: about {m} min",
        "state_pending": "Printing",
        "state_waiting": "Waiting",
        "state_called": "Called",
        "state_serving": "Being served",
        "state_done": "Finished",
        "state_no_show": "Missed (过号)",
        "state_cancelled": "Cancelled",
        "state_expired": "Expired",
        "go_to": "Please go to",
        "go_to_after": "",
        "called_hint": "Your number has been called; please go there now with your documents.",
        "serving_hint": "You are being served at {counter}.",
        "done_hint": "This ticket is finished. Thank you for your patience.",
        "no_show_title": "What does “missed” (过号) mean?",
        "no_show_text": "You were not at the counter when your number was called, so it was "
        "skipped. Please take a new ticket; in special cases the information desk or a "
        "counter can put you back in the queue.",
        "cancelled_hint": "This ticket was cancelled (it did not print). Please take a new one.",
        "expired_hint": "This ticket has expired. Please take a new one.",
        "live": "This page updates itself.",
        "offline": "Connection lost, retrying…",
        "hall_offline": "The hall's calling system cannot be reached, retrying…",
        "alerts": "Turn on vibration and sound",
        "alerts_on": "Alerts on: your phone vibrates and rings when you are called.",
        "keep_private": "Do not share the link of this page.",
        "other_lang": "中文",
        "other_day_title": "This ticket is from another day",
        "other_day_text": "This is ticket {number} of {day}; it cannot be used today. "
        "Please take a new ticket at the kiosk.",
        "unknown_title": "Ticket not found",
        "unknown_text": "The QR code or link is incomplete or wrong. Please scan the code on "
        "your ticket again, or ask at the information desk.",
        "busy_title": "Too many requests",
        "busy_text": "Please wait a moment and try again.",
        "full_title": "Too many open pages",
        "full_text": "Please close other queue pages; this page tries again by itself.",
        "unavailable_title": "Not available right now",
        "unavailable_text": "The hall's calling system cannot be reached; please try again "
        "shortly. Your ticket is still valid.",
        "error_title": "Something went wrong",
        "error_text": "The page cannot be shown right now; please try again shortly.",
        "not_found_title": "No such page",
        "not_found_text": "Scan the QR code on your ticket to see your place in the queue.",
        "hall_title": "Calls",
        "latest_calls": "Latest calls",
        "no_calls": "No calls yet today",
        "waiting_by_dept": "Waiting per department",
        "people": "{n}",
        "number": "Number",
        "counter": "Counter",
    },
}


def pick_lang(query_lang: str | None, accept_language: str | None) -> str:
    """zh unless ?lang=en, or the browser prefers English over Chinese."""
    if query_lang in LANGS:
        return query_lang
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang and quality > 0:
            choices.append((quality, -position, lang))
    return max(choices)[2] if choices else "zh"


def _page(
    lang: str,
    title: str,
    body: str,
    *,
    page: str,
    live_url: str = "",
    refresh: bool = True,
    other_lang_url: str = "",
) -> str:
    t = TEXT[lang]
    refresh_tag = (
        f'<noscript><meta http-equiv="refresh" content="{REFRESH_S}"></noscript>' if refresh else ""
    )
    other = (
        f'<p class="lang"><a href="{escape(other_lang_url)}">{t["other_lang"]}</a></p>'
        if other_lang_url
        else ""
    )
    return (
        "<!doctype html>\n"
        f'<html lang="{t["html_lang"]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer">{refresh_tag}'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="/static/style.css?v={STATIC_VERSION}"></head>'
        f'<body class="{page}" data-live="{escape(live_url)}">'
        f'<div id="offline" class="banner" role="alert" hidden>{t["offline"]}</div>'
        f'<main id="main">{body}</main>{other}'
        f'<script src="/static/app.js?v={STATIC_VERSION}"></script>'
        "</body></html>"
    )


def notice_fragment(lang: str, kind: str, **values: Any) -> str:
    t = TEXT[lang]
    text = t[f"{kind}_text"].format(**{k: escape(str(v)) for k, v in values.items()})
    return f'<section class="notice notice-{kind}"><h1>{t[kind + "_title"]}</h1><p>{text}</p></section>'


def notice_page(lang: str, kind: str, **values: Any) -> str:
    """A page that only says something: unknown ticket, another day, too busy, an error ..."""
    body = notice_fragment(lang, kind, **values)
    title = TEXT[lang][f"{kind}_title"]
    return _page(lang, title, body, page="notice", refresh=kind in ("unavailable", "full"))


def _minutes(seconds: int) -> int:
    return math.ceil(seconds / 60)


def ticket_fragment(view: dict[str, Any], lang: str, hall_online: bool = True) -> str:
    """The live part of the ticket page for one `ticket_view` view."""
    t = TEXT[lang]
    ticket = view["ticket"]
    state = str(ticket["state"])
    en = lang == "en"
    service = view.get("service_name_en" if en else "service_name") or ticket["service"]
    category = view.get("category_name_en" if en else "category_name") or ""
    counter = view.get("counter_name") or (
        f"{ticket['counter']}号窗口" if not en else f"counter {ticket['counter']}"
    )
    parts = [
        f'<section class="ticket state-{escape(state)}" data-state="{escape(state)}"'
        f' data-calls="{int(ticket.get("calls") or 0)}">',
        f'<p class="label">{t["your_number"]}</p>',
        f'<p class="number">{escape(str(ticket["number"]))}</p>',
    ]
    if ticket.get("priority"):
        parts.append(f'<p class="priority">{t["priority"]}</p>')
    parts.append(f'<p class="matter">{escape(str(service))}</p>')
    if category:
        parts.append(f'<p class="dept">{escape(str(category))}</p>')
    parts.append(f'<p class="state">{t.get("state_" + state, escape(state))}</p>')
    if state in ("waiting", "pending"):
        ahead = int(view.get("ahead") or 0)
        ahead_text = t["ahead_none"] if ahead == 0 else t["ahead_many"].format(n=ahead)
        parts.append(f'<p class="ahead">{ahead_text}</p>')
        minutes = _minutes(int(view.get("est_wait_s") or 0))
        parts.append(
            f'<p class="wait">{t["wait"].format(m=minutes) if minutes else t["wait_soon"]}</p>'
        )
    elif state == "called":
        after = f" {t['go_to_after']}" if t["go_to_after"] else ""
        parts.append(
            f'<p class="go">{t["go_to"]}</p><p class="counter">{escape(str(counter))}</p>'
            f'<p class="go">{after.strip()}</p><p class="hint">{t["called_hint"]}</p>'
        )
    elif state == "serving":
        parts.append(
            f'<p class="hint">{t["serving_hint"].format(counter=escape(str(counter)))}</p>'
        )
    elif state == "done":
        parts.append(f'<p class="hint">{t["done_hint"]}</p>')
    elif state == "no_show":
        parts.append(
            f'<div class="explain"><h2>{t["no_show_title"]}</h2><p>{t["no_show_text"]}</p></div>'
        )
    elif state in ("cancelled", "expired"):
        parts.append(f'<p class="hint">{t[state + "_hint"]}</p>')
    if not hall_online:
        parts.append(f'<p class="banner">{t["hall_offline"]}</p>')
    parts.append("</section>")
    return "".join(parts)


def ticket_page(view: dict[str, Any], lang: str, token: str, hall_online: bool = True) -> str:
    t = TEXT[lang]
    other = "en" if lang == "zh" else "zh"
    body = (
        f'<div id="live" aria-live="polite">{ticket_fragment(view, lang, hall_online)}</div>'
        + f'<p class="small">{t["live"]}</p>'
        + f'<button id="alerts" type="button" hidden>{t["alerts"]}</button>'
        + f'<p id="alerts-on" class="small" hidden>{t["alerts_on"]}</p>'
        + f'<p class="small">{t["keep_private"]}</p>'
    )
    return _page(
        lang,
        t["ticket_title"].format(number=view["ticket"]["number"]),
        body,
        page="ticket-page",
        live_url=f"/t/{token}/events?lang={lang}",
        other_lang_url=f"/t/{token}?lang={other}",
    )


def hall_fragment(hall: dict[str, Any], lang: str, hall_online: bool = True) -> str:
    """The live part of the hall page: the latest calls and waiting per department."""
    t = TEXT[lang]
    en = lang == "en"
    names = {c["code"]: c["name_en" if en else "name"] for c in hall.get("categories", [])}
    counters = {c["number"]: c["name"] for c in hall.get("counters", [])}
    rows = []
    for call in hall.get("recent_calls", [])[:8]:
        number = escape(str(call["ticket"]["number"]))
        counter = call["counter"]
        where = f"counter {counter}" if en else counters.get(counter, f"{counter}号窗口")
        rows.append(
            f"<tr><td class='num'>{number}</td><td class='where'>{escape(str(where))}</td></tr>"
        )
    calls = (
        f"<table class='calls'><thead><tr><th>{t['number']}</th><th>{t['counter']}</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else f"<p class='small'>{t['no_calls']}</p>"
    )
    waiting = hall.get("waiting", {})
    dept_rows = "".join(
        f"<tr><td>{escape(str(names.get(code, code)))}</td>"
        f"<td class='n'>{t['people'].format(n=int(n))}</td></tr>"
        for code, n in waiting.items()
        if code in names
    )
    offline = "" if hall_online else f'<p class="banner">{t["hall_offline"]}</p>'
    return (
        f"<h1>{escape(str(hall.get('hall', '')))}</h1>{offline}"
        f"<div class='cols'><section><h2>{t['latest_calls']}</h2>{calls}</section>"
        f"<section><h2>{t['waiting_by_dept']}</h2><table class='waiting'>{dept_rows}</table>"
        "</section></div>"
    )


def hall_page(hall: dict[str, Any], lang: str, hall_online: bool = True) -> str:
    t = TEXT[lang]
    other = "en" if lang == "zh" else "zh"
    return _page(
        lang,
        f"{hall.get('hall', '')} · {t['hall_title']}",
        f'<div id="live" aria-live="polite">{hall_fragment(hall, lang, hall_online)}</div>',
        page="hall-page",
        live_url=f"/events?lang={lang}",
        other_lang_url=f"/?lang={other}",
    )
