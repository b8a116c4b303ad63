"""How big a hall can be: the bounds every part checks, and the page budget of replies.

One frame of the protocol is at most 65,536 bytes (shared.protocol.codec.MAX_FRAME). Replies that grow
with the hall (`catalog`, `snapshot`, `queue`) are cut into pages of at most PAGE_BUDGET bytes
of result, so the envelope around them always fits. The name bounds below keep one catalog
entry, one counter and one kiosk report far below a page, so paging always makes progress;
the count bounds keep a hall within what its kiosks and boards can show.

README.md ("How big a hall can be") and docs/protocol.md ("Pages and the size of a hall",
"Limits") document these numbers; change them here only.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

MAX_CATEGORIES = 40  # departments in the catalog
MAX_SERVICES = 5000  # active matters in the catalog
MAX_CATEGORY_NAME = 20  # characters of a department's Chinese name
MAX_CATEGORY_NAME_EN = 60
MAX_SERVICE_NAME = 40  # characters of a matter's Chinese name
MAX_SERVICE_NAME_EN = 120
MAX_PINYIN = 40  # letters of a matter's search initials
MAX_HALL_NAME = 40
MAX_COUNTERS = 99  # counters of one hall (numbered 1 to 999)
MAX_COUNTER_NAME = 20
MAX_CLERK_NAME = 20  # a clerk's name, shown on the counter and in the snapshot
MAX_COUNTER_SERVICES = 1000  # matters one counter names (after departments are expanded)
MAX_CALL_GAP_S = 600  # the longest minimum gap between two calls at one counter
MAX_CLIENT_NAME = 64  # `hello` client names (kiosk-1, counter-3 ...)
MAX_KIOSK_MESSAGE = 200  # the message of `kiosk_status`
MAX_SNAPSHOT_KIOSKS = 50  # kiosks in a snapshot: those that reported most recently today

# Bytes of one reply's `result`; the envelope ({"id":…,"ok":true,"result":…} with an id of at
# most 100 characters, each up to 6 bytes as a JSON escape) stays under the remaining 5,536.
PAGE_BUDGET = 60_000


def json_size(value: Any) -> int:
    """Bytes `value` takes in a frame (the same encoding as shared.protocol.codec.encode)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


# Characters no name or logged text may hold: controls (line breaks, tabs, NUL, escape, DEL,
# C1), invisible format characters (bidi overrides, zero-width), lone surrogates, and the
# Unicode line and paragraph separators. They could forge a log line or garble a label.
CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def control_character(value: str) -> tuple[int, str] | None:
    """(position, character) of the first control character in `value`, or None."""
    for position, char in enumerate(value):
        if unicodedata.category(char) in CONTROL_CATEGORIES:
            return position, char
    return None


def text_problem(label: str, value: str, limit: int) -> str | None:
    """Why `value` cannot be a name shown on kiosks and boards, or None if it can."""
    if len(value) > limit:
        return f"{label} is {len(value)} characters long; at most {limit} are allowed"
    found = control_character(value)
    if found is not None:
        return f"{label} holds a control character (U+{ord(found[1]):04X}); remove it"
    return None


def fill_page(items: list[Any], budget: int, start: int = 0, limit: int | None = None) -> int:
    """The end index of the page of `items` beginning at `start` that fits in `budget` bytes.

    At least one item is taken when any is left (each is bounded far below a page)."""
    end = start
    used = 0
    while end < len(items) and (limit is None or end - start < limit):
        size = json_size(items[end]) + 1  # the comma
        if end > start and used + size > budget:
            break
        used += size
        end += 1
    return end


def split_pages(
    whole: dict[str, Any], list_keys: tuple[str, ...], carry_keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Cut `whole` into pages of at most PAGE_BUDGET bytes (each with room for a `next` token).

    The first page holds every member of `whole`, its lists (`list_keys`) as far as they fit;
    each further page holds `carry_keys` and the lists' next items, in order."""
    token_room = len(',"next":""') + 64

    def new_page(first: bool) -> dict[str, Any]:
        if first:  # the members in their order, the lists emptied
            return {k: ([] if k in list_keys else v) for k, v in whole.items()}
        return {**{k: whole[k] for k in carry_keys}, **{key: [] for key in list_keys}}

    page = new_page(True)
    used = json_size(page) + token_room
    pages = [page]
    for key in list_keys:
        for item in whole.get(key) or []:
            size = json_size(item) + 1  # the comma
            if used + size > PAGE_BUDGET and any(page[k] for k in list_keys):
                page = new_page(False)
                used = json_size(page) + token_room
                pages.append(page)
            page[key].append(item)
            used += size
    return pages
