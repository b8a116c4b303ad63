"""Finding a matter: the catalog kept fresh from the server, departments, search and pages.

The catalog is read again on every event that changes waiting counts or opening state and
every CATALOG_REFRESH_S besides (hours and daily limits change with time), one read at a
time. A resident picks a department or searches every matter by pinyin initials, pages
through the matters, goes back, or is taken back to the start after a ticket or a notice.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from queue_kiosk.model.catalog import (
    Matter,
    read_categories,
    read_hours,
    read_matters,
    search_matters,
)
from queue_kiosk.model.printer import PrinterReport
from queue_kiosk.model.state import CONFIRMATION_MIN_S, Screen
from shared.client.connection import fetch_pages

log = logging.getLogger(__name__)


class CatalogBrowsing(PrinterReport):
    """The catalog from the server, and the resident's way through it."""

    # -- the catalog from the server ----------------------------------------------------------

    def refresh_catalog(self) -> None:
        if not self.online:
            return
        if self._catalog_loading:
            self._catalog_stale = True
            return
        self._catalog_loading = True
        self._catalog_at = self.clock()
        fetch_pages(self.hall.request, "catalog", self._on_catalog)

    def _on_catalog(self, reply: Any) -> None:
        self._catalog_loading = False
        if reply.ok:
            self.load_catalog(reply.result)
        else:
            log.warning("catalog refused: %s %s", reply.code, reply.message)
        if self._catalog_stale:
            self._catalog_stale = False
            self.refresh_catalog()

    def load_catalog(self, result: dict[str, Any]) -> None:
        """Take a `catalog` result as the buttons to show."""
        self.hall_name = str(result.get("hall") or self.hall_name)
        self.issuing = bool(result.get("issuing", True))
        self.hours = read_hours(result)
        self.categories = read_categories(result, self.lang)
        self.matters = read_matters(result, self.lang)
        if self.category is not None:
            self.category = next((c for c in self.categories if c.code == self.category.code), None)
            if self.category is None and self.screen is Screen.MATTERS and not self.search_text:
                self._go(Screen.START)
        self.page = min(self.page, max(0, self.page_count - 1))
        self._changed()

    # -- browsing -----------------------------------------------------------------------------

    def category_open(self, code: str) -> bool:
        """Whether any matter of the department can be issued now."""
        return any(m.open for m in self.matters if m.category == code)

    def matters_of(self, code: str) -> list[Matter]:
        return [m for m in self.matters if m.category == code]

    def select_category(self, code: str) -> None:
        self._touch()
        if self.screen is not Screen.START or self.busy:
            return
        category = next((c for c in self.categories if c.code == code), None)
        if category is None:
            return
        self.category = category
        self.search_text = ""
        self.page = 0
        self._go(Screen.MATTERS)
        self._changed()

    def open_search(self) -> None:
        """The matters screen over every department, for residents who search by initials."""
        self._touch()
        if self.screen is not Screen.START or self.busy:
            return
        self.category = None
        self.search_text = ""
        self.page = 0
        self._go(Screen.MATTERS)
        self._changed()

    def set_search(self, text: str) -> None:
        self._touch()
        text = text[:40]
        if text == self.search_text:
            return
        self.search_text = text
        self.page = 0
        self._changed()

    def visible_matters(self) -> list[Matter]:
        """The matters the current department and search show, best matches first."""
        pool = self.matters if self.category is None else self.matters_of(self.category.code)
        return search_matters(pool, self.search_text)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(len(self.visible_matters()) / self.page_size))

    def page_matters(self) -> list[Matter]:
        start = self.page * self.page_size
        return self.visible_matters()[start : start + self.page_size]

    def set_page_size(self, size: int) -> None:
        size = max(1, size)
        if size == self.page_size:
            return
        first = self.page * self.page_size
        self.page_size = size
        self.page = min(first // size, self.page_count - 1)
        self._changed()

    def next_page(self) -> None:
        self._touch()
        if self.page + 1 < self.page_count:
            self.page += 1
            self._changed()

    def previous_page(self) -> None:
        self._touch()
        if self.page > 0:
            self.page -= 1
            self._changed()

    # -- back to the start --------------------------------------------------------------------

    def back(self) -> None:
        """The back button: from the matters or PIN screen to the start."""
        self._touch()
        if self.screen in (Screen.MATTERS, Screen.PIN):
            self.return_to_start(keep_priority=self.screen is Screen.MATTERS)

    def return_to_start(self, keep_priority: bool = False) -> None:
        if self.busy:
            return  # a ticket is on its way; the flow brings the screen back itself
        if not keep_priority:
            self.priority_armed = False
        self.category = None
        self.search_text = ""
        self.page = 0
        self.pin_entry = ""
        self.pin_error = False
        self.confirmation = None
        self.notice = None
        self._go(Screen.START)
        self._changed()

    def dismiss(self) -> None:
        """A touch on the confirmation or a notice: back to the start, unless it is the same
        finger that took the ticket a moment ago."""
        self._touch()
        if self.screen not in (Screen.CONFIRMATION, Screen.NOTICE):
            return
        if self.clock() - self._screen_since < CONFIRMATION_MIN_S:
            return
        self.return_to_start()
