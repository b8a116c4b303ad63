"""The kiosk view-model keeps the good entries of a catalog or a waiting count with one bad item."""

from __future__ import annotations

import pytest

from queue_kiosk.model import InlineRunner, KioskModel
from queue_kiosk.printing import TicketSlip, render_ticket

# -- items the kiosk cannot read ---------------------------------------------------------------


def offline_model() -> KioskModel:
    return KioskModel(None, None, InlineRunner(), render_ticket, TicketSlip)  # type: ignore[arg-type]


GOOD_CATALOG = {
    "hall": "白沙镇政务服务中心",
    "issuing": True,
    "categories": [
        {"code": "social_insurance", "prefix": "A", "name": "社会保险", "waiting": 2},
        {"code": "tax", "prefix": "D", "name": "税务", "waiting": 0},
    ],
    "services": [
        {"code": "pension_enrol", "name": "养老保险参保", "category": "social_insurance"},
        {"code": "tax_return", "name": "个税申报", "category": "tax"},
    ],
}


@pytest.mark.parametrize(
    ("part", "bad", "problem"),
    [
        ("categories", {"prefix": "B", "name": "无代码"}, "'code'"),
        ("categories", {"code": "x", "name": "坏数", "waiting": "many"}, "'waiting'"),
        ("categories", "social", "must be an object"),
        ("services", {"code": "orphan", "name": "无部门"}, "names no 'category'"),
        ("services", {"code": "nameless", "category": "tax"}, "'name'"),
        ("services", None, "must be an object"),
    ],
)
def test_catalog_with_one_bad_entry_keeps_the_others(part, bad, problem, caplog):
    model = offline_model()
    catalog = {**GOOD_CATALOG, part: [bad, *GOOD_CATALOG[part]]}
    model.load_catalog(catalog)
    assert problem in caplog.text
    assert [c.code for c in model.categories] == ["social_insurance", "tax"]
    assert [m.code for m in model.matters] == ["pension_enrol", "tax_return"]


def test_waiting_changed_with_one_bad_count_keeps_the_others(caplog):
    model = offline_model()
    model.load_catalog(GOOD_CATALOG)
    model.on_event("waiting_changed", {"waiting": {"social_insurance": "lots", "tax": 4}})
    assert "'social_insurance'" in caplog.text
    assert [(c.code, c.waiting) for c in model.categories] == [("social_insurance", 2), ("tax", 4)]
