"""Finding a matter by typing: part of its name, or its pinyin initials (kiosk and counter)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def matches(name: str, pinyin: str, text: str) -> bool:
    """Whether a matter named `name` (initials `pinyin`) matches what was typed."""
    text = text.strip().lower()
    if not text:
        return True
    return text in name.lower() or text.replace(" ", "") in pinyin.lower()


def rank(name: str, pinyin: str, text: str) -> int:
    """0 when the matter begins with what was typed, 1 when it only contains it."""
    text = text.strip().lower()
    if not text:
        return 0
    return 0 if pinyin.lower().startswith(text) or name.lower().startswith(text) else 1


def search(
    items: Iterable[T], text: str, name: Callable[[T], str], pinyin: Callable[[T], str]
) -> list[T]:
    """The items matching `text`, those that begin with it first (each group in catalog order)."""
    found = [item for item in items if matches(name(item), pinyin(item), text)]
    return sorted(found, key=lambda item: rank(name(item), pinyin(item), text))
