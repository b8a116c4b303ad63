"""The rules a hall's codes, PINs and addresses follow, wherever they are written.

The hall and catalog files, the catalog CSV import and the admin commands check the same
things (a code, a ticket prefix, a PIN, the pinyin initials of a matter, the web pages'
public address, a range of counters): each rule lives here once, with the words its error
messages use, so a file and a command reject the same values for the same reasons.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,31}")
CODE_RULE = "use 1 to 32 letters, digits, _ or -, starting with a letter or digit"
PREFIX_RE = re.compile(r"[A-Z]{1,2}")
PREFIX_RULE = 'use 1 or 2 capital letters A to Z, e.g. "A"'
PIN_RE = re.compile(r"[0-9]{4,8}")
CLERK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
CLERK_ID_RULE = "use letters, digits, _ . or - (at most 32)"
PINYIN_RE = re.compile(r"[a-z0-9]*")
TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")


def suggest(value: str, known: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the known word closest to `value`, or "" when none is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def parse_counter_range(text: str) -> frozenset[int]:
    """Counter numbers from "25-60", "1-12,30" or "3 5 7"; ValueError names what is wrong."""
    numbers: set[int] = set()
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise ValueError(f'"{part}" is not a counter number or a range like 25-60') from None
        if not 1 <= first <= last <= 999:
            raise ValueError(f'"{part}": counters are numbered 1 to 999, low to high')
        numbers.update(range(first, last + 1))
    if not numbers:
        raise ValueError("no counter numbers given")
    return frozenset(numbers)


MAX_PUBLIC_URL = 80  # the ticket's QR code stays small (version 4 at most, see README)
_PUBLIC_URL_RE = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?")


def public_url_problem(url: str) -> str | None:
    """Why `url` cannot be the web pages' public address, or None when it can."""
    if len(url) > MAX_PUBLIC_URL:
        return f"is longer than {MAX_PUBLIC_URL} characters (the QR code would grow)"
    if not _PUBLIC_URL_RE.fullmatch(url):
        return (
            "must be http:// or https://, a host name or address, an optional :port and an "
            'optional path, e.g. "http://192.168.10.2:8080" (no spaces, query or #)'
        )
    return None


# --- Pinyin initials --------------------------------------------------------------------

# GB2312 orders its 3,755 level-1 (common) characters by pinyin, so the first byte pair of a
# character tells its initial letter: each entry is the first code point of a letter's run.
# Level-2 characters are ordered by radical and cannot be placed this way.
_GB2312_INITIALS = (
    (0xB0A1, "a"),
    (0xB0C5, "b"),
    (0xB2C1, "c"),
    (0xB4EE, "d"),
    (0xB6EA, "e"),
    (0xB7A2, "f"),
    (0xB8C1, "g"),
    (0xB9FE, "h"),
    (0xBBF7, "j"),
    (0xBFA6, "k"),
    (0xC0AC, "l"),
    (0xC2E8, "m"),
    (0xC4C3, "n"),
    (0xC5B6, "o"),
    (0xC5BE, "p"),
    (0xC6DA, "q"),
    (0xC8BB, "r"),
    (0xC8F6, "s"),
    (0xCBFA, "t"),
    (0xCDDA, "w"),
    (0xCEF4, "x"),
    (0xD1B9, "y"),
    (0xD4D1, "z"),
)
_GB2312_LEVEL1_END = 0xD7F9


def pinyin_initials(text: str) -> str:
    """The pinyin initials of `text` for kiosk search, e.g. "社会保障卡申领" -> "shbzksl".

    Covers the 3,755 common characters (GB2312 level 1); rarer characters are skipped and a
    polyphonic character gets its most common reading, so a catalog should spell out the
    initials (the `pinyin` key) where that matters. ASCII letters and digits are kept.
    """
    letters = []
    for char in text:
        if char.isascii():
            if char.isalnum():
                letters.append(char.lower())
            continue
        try:
            encoded = char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(encoded) != 2:
            continue
        code = encoded[0] << 8 | encoded[1]
        if not _GB2312_INITIALS[0][0] <= code <= _GB2312_LEVEL1_END:
            continue
        initial = ""
        for start, letter in _GB2312_INITIALS:
            if code < start:
                break
            initial = letter
        letters.append(initial)
    return "".join(letters)
