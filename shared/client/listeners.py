"""Who is told when an app's model changes: the window subscribes, the model tells.

A window holds its model and subscribes one of its own methods; holding that method
strongly would make a cycle between the window and the model, and a cycle that holds a Qt
window is freed by the cyclic garbage collector at a moment of its choosing, possibly while
Qt is painting that window (a crash). So a bound method is held weakly (it goes when its
object goes); a plain function is held as it is.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable

Listener = Callable[[], None]


class Listeners:
    def __init__(self) -> None:
        self._refs: list[Callable[[], Listener | None]] = []

    def add(self, listener: Listener) -> None:
        if inspect.ismethod(listener):
            self._refs.append(weakref.WeakMethod(listener))
        else:
            self._refs.append(lambda: listener)

    def tell(self) -> None:
        """Call every live listener once, in the order they came; forget the dead ones."""
        refs = list(self._refs)
        dead = []
        for ref in refs:
            listener = ref()
            if listener is None:
                dead.append(ref)
            else:
                listener()
        if dead:
            self._refs = [ref for ref in self._refs if ref not in dead]
