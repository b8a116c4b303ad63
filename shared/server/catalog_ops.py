"""The `catalog` op: the services a kiosk offers, with their queues and daily limits, in pages.

A county hall offers up to a thousand matters: the catalog comes in pages that fit one
frame, and its `version` (a fingerprint of what does not change while serving) tells a
kiosk whether the pages it holds belong together.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.domain.limits import PAGE_BUDGET, json_size
from shared.server import queries, wire
from shared.server.core import Caller, Outcome, ServiceCore


class CatalogOps(ServiceCore):
    """The catalog op."""

    def op_catalog(self, caller: Caller, params: dict[str, Any], now: datetime) -> Outcome:
        day = self.day(now)
        issuing, _ = self.issuing_now(now)
        waiting = self.waiting_counts()
        by_service = queries.tickets_per_service(self.conn, day, waiting_only=True)
        issued = queries.tickets_per_service(self.conn, day, waiting_only=False)
        served_at = self.counters_by_service()
        categories = [
            wire.category_json(r, waiting.get(r["code"], 0))
            for r in queries.active_categories(self.conn)
        ]
        rows = queries.active_services(self.conn)
        after = params.get("after")
        start = int(after) if after is not None else 0
        result: dict[str, Any] = {
            "hall": self.hall,
            "issuing": issuing,
            "categories": categories,
            "services": [],
            "version": wire.catalog_version(self.hall, categories, rows),
            "total": len(rows),
            "next": str(len(rows)),
            "hours": wire.hours_json(self.config),
        }
        room = PAGE_BUDGET - json_size(result)
        page_size = params.get("limit", len(rows))
        services = result["services"]
        end = start
        for r in rows[start : start + page_size]:
            code = r["code"]
            service = wire.service_json(
                r, by_service.get(code, 0), issued.get(code, 0), issuing, served_at.get(code)
            )
            room -= json_size(service) + 1
            if room < 0 and services:
                break
            services.append(service)
            end += 1
        result["next"] = str(end) if end < len(rows) else None
        return Outcome(result=result)

    def counters_by_service(self) -> dict[str, list[int]]:
        """Service code -> the counters that serve it; empty when some counter serves all."""
        rows = queries.counter_services(self.conn)
        if any(not r["services"] for r in rows):
            return {}
        result: dict[str, list[int]] = {}
        for r in rows:
            for code in json.loads(r["services"]):
                result.setdefault(code, []).append(r["number"])
        return result
