"""An app model's listeners: told in order; a window's method does not keep the window alive."""

from __future__ import annotations

import gc

from shared.client.listeners import Listeners


class Window:
    def __init__(self, said: list[str], name: str) -> None:
        self.said, self.name = said, name

    def refresh(self) -> None:
        self.said.append(self.name)


def test_listeners_are_told_in_the_order_they_came() -> None:
    said: list[str] = []
    listeners = Listeners()
    first = Window(said, "first")
    listeners.add(first.refresh)
    listeners.add(lambda: said.append("function"))
    listeners.tell()
    listeners.tell()
    assert said == ["first", "function", "first", "function"]


def test_a_window_subscribed_to_its_model_is_freed_without_the_cycle_collector() -> None:
    said: list[str] = []
    listeners = Listeners()
    window = Window(said, "window")
    window.model = listeners  # type: ignore[attr-defined]  # the window holds its model
    listeners.add(window.refresh)
    gc.disable()
    try:
        del window
        listeners.tell()  # freed by its reference count alone: no cycle through the model
    finally:
        gc.enable()
    assert said == []
