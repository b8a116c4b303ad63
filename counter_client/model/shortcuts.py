"""The clerk's actions and the keys that trigger them.

A hall's keypads send F-keys, but halls rewire them (`--keys call_next=F12,...`), so the
key map is read from text and checked here before any window opens: a mistyped or doubled
key must stop the counter client with a message, not leave an action unreachable.
"""

from __future__ import annotations

import re

from shared.domain.errors import QueueHallError

# The clerk's actions, in button order. `pause_resume` is one button that pauses an open
# counter and resumes a paused one.
ACTIONS = (
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "transfer",
    "call",
    "pause_resume",
    "reactivate",
)

# Hall keypads send F-keys; the order follows the clerk's day (call, recall, start, finish ...).
DEFAULT_SHORTCUTS: dict[str, str] = {
    action: f"F{index}" for index, action in enumerate(ACTIONS, start=1)
}

_KEY_RE = re.compile(
    r"(?:(?:Ctrl|Alt|Shift|Meta)\+)*"
    r"(?:F(?:[1-9]|1[0-9]|2[0-4])|[A-Z0-9]|Ins|Del|Home|End|PgUp|PgDown|Space|Return|Enter"
    r"|Num\+[0-9+\-*/.])"
)

# Key names as Qt writes them, by their lower-case spelling.
_KEY_NAMES = {
    "ctrl": "Ctrl",
    "alt": "Alt",
    "shift": "Shift",
    "meta": "Meta",
    "num": "Num",
    "ins": "Ins",
    "del": "Del",
    "home": "Home",
    "end": "End",
    "pgup": "PgUp",
    "pgdown": "PgDown",
    "space": "Space",
    "return": "Return",
    "enter": "Enter",
}


class ShortcutError(QueueHallError, ValueError):
    """A shortcut setting that cannot be used; the message names the problem."""


def parse_shortcuts(text: str | None) -> dict[str, str]:
    """'call_next=F1,recall=F2' -> the full action->key map (defaults for actions not named).

    Keys are written the Qt way: F1..F24, a letter or digit, Ctrl+/Alt+/Shift+ combinations,
    or Num+<digit> for the numeric keypad. Every action must end up with a different key.
    """
    shortcuts = dict(DEFAULT_SHORTCUTS)
    if text is None or not text.strip():
        return shortcuts
    given: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        action, key = _read_part(part)
        if action in given:
            raise ShortcutError(f"action {action} is given two shortcuts")
        given[action] = key
    shortcuts.update(given)
    _check_distinct(shortcuts, given)
    return shortcuts


def _read_part(part: str) -> tuple[str, str]:
    """One 'ACTION=KEY' of the setting -> (action, the key as Qt writes it)."""
    action, sep, key = (s.strip() for s in part.partition("="))
    if not sep:
        raise ShortcutError(f"shortcut {part!r} must be written ACTION=KEY, e.g. call_next=F1")
    if action not in DEFAULT_SHORTCUTS:
        raise ShortcutError(
            f"unknown action {action!r} in the shortcuts; actions are: {', '.join(ACTIONS)}"
        )
    normalised = normalise_key(key)
    if not _KEY_RE.fullmatch(normalised):
        raise ShortcutError(
            f"key {key!r} for {action} is not a usable key (use F1..F24, a letter or digit,"
            " Ctrl+/Alt+/Shift+ combinations, or Num+<digit>)"
        )
    return action, normalised


def _check_distinct(shortcuts: dict[str, str], given: dict[str, str]) -> None:
    """Two actions on one key: blame the one the setting named (a default gives way)."""
    owners: dict[str, str] = {}
    for action in ACTIONS:
        key = shortcuts[action]
        if key in owners:
            other = owners[key]
            blame = action if action in given else other
            raise ShortcutError(
                f"key {key} is used for both {other} and {action}; give {blame} another key"
            )
        owners[key] = action


def normalise_key(key: str) -> str:
    """'ctrl+f' -> 'Ctrl+F', 'num++' -> 'Num++': the spelling Qt's key sequences use."""
    parts = [p.strip() for p in key.split("+")]
    if len(parts) > 1 and parts[-1] == "" and parts[-2] == "":  # "Num++"
        parts = [*parts[:-2], "+"]
    return "+".join(_KEY_NAMES.get(part.lower(), part.upper()) for part in parts)
