"""Protocol v1 against a real hall with hours, a daily limit, a 03:00 reset, a one-service counter."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import time

import pytest

from shared.domain.errors import HallError

LIMITED = "pension_enrol"  # two tickets a day in this hall
OTHER = "pension_claim"
MEDICAL = "med_enrol"  # the only service counter 2 serves


@pytest.fixture
def hall_config(hall_config):
    catalog = hall_config.catalog
    services = tuple(
        replace(s, daily_limit=2) if s.code == LIMITED else s for s in catalog.services
    )
    counters = tuple(
        replace(c, services=(MEDICAL,)) if c.number == 2 else c for c in hall_config.counters
    )
    return replace(
        hall_config,
        counters=counters,
        open_time=time(8, 30),
        close_time=time(17, 0),
        day_reset=time(3, 0),
        catalog=replace(catalog, services=services),
    )


def req() -> str:
    return uuid.uuid4().hex


def service_entry(client, code: str) -> dict:
    return next(s for s in client.call("catalog")["services"] if s["code"] == code)


def test_issuing_stops_at_the_daily_limit_of_a_service(clocked_server):
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    for _ in range(2):
        kiosk.call("issue", service=LIMITED, req=req())
    entry = service_entry(kiosk, LIMITED)
    assert entry["open"] is False and entry["full"] is True and entry["daily_limit"] == 2
    with pytest.raises(HallError) as err:
        kiosk.call("issue", service=LIMITED, req=req())
    assert err.value.code == "issuing_closed"
    assert kiosk.call("issue", service=OTHER, req=req())["ticket"]["number"] == "A003"
    assert kiosk.call("catalog")["issuing"] is True


def test_a_cancelled_ticket_does_not_count_toward_the_limit(clocked_server):
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    first = kiosk.call("issue", service=LIMITED, req=req())["ticket"]
    kiosk.call("print_failed", ticket=first["id"], reason="jam")
    kiosk.call("issue", service=LIMITED, req=req())
    assert kiosk.call("issue", service=LIMITED, req=req())["ticket"]["number"] == "A003"


def test_issuing_is_closed_outside_hours(clocked_server, hall_clock):
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    hall_clock.advance(8 * 3600)  # 17:00
    catalog = kiosk.call("catalog")
    assert catalog["issuing"] is False
    assert all(s["open"] is False for s in catalog["services"])
    assert kiosk.call("snapshot")["issuing"] is False
    with pytest.raises(HallError) as err:
        kiosk.call("issue", service=OTHER, req=req())
    assert err.value.code == "issuing_closed"
    assert err.value.message


def test_business_day_begins_at_the_configured_reset_time(clocked_server, hall_clock):
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    kiosk.call("issue", service=OTHER, req=req())
    hall_clock.advance(17 * 3600 + 59 * 60)  # 02:59 the next calendar day
    assert kiosk.call("snapshot")["day"] == "2026-11-26"
    hall_clock.advance(60)  # 03:00
    snapshot = kiosk.call("snapshot")
    assert snapshot["day"] == "2026-11-27"
    assert [e["data"] for e in kiosk.events if e["event"] == "day_reset"] == [{"day": "2026-11-27"}]


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_a_counter_sees_and_calls_only_the_services_it_serves(clocked_server, hall_clock):
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    tickets = []
    for service in (OTHER, MEDICAL, OTHER, MEDICAL):
        hall_clock.advance(1)
        ticket = kiosk.call("issue", service=service, req=req())["ticket"]
        tickets.append(kiosk.call("printed", ticket=ticket["id"])["ticket"])
    two = clocked_server.counter(2)
    assert two.call("snapshot")["counters"][1]["services"] == [MEDICAL]
    queue = two.call("queue")
    assert [t["number"] for t in queue["tickets"]] == ["B001", "B002"] and queue["total"] == 2
    assert two.call("call_next", req=req())["ticket"]["number"] == "B001"
    assert two.call("call_next", req=req())["ticket"]["number"] == "B002"
    assert two.call("call_next", req=req()) == {"ticket": None}
    one = clocked_server.counter(1, "1002", "2345")
    assert [t["number"] for t in one.call("queue")["tickets"]] == ["A001", "A002"]


def test_a_ticket_transferred_to_a_counter_reaches_it_whatever_it_serves(clocked_server):
    kiosk = clocked_server.client("kiosk", "kiosk-1")
    ticket = kiosk.call("issue", service=OTHER, req=req())["ticket"]
    kiosk.call("printed", ticket=ticket["id"])
    one = clocked_server.counter(1, "1002", "2345")
    one.call("call_next", req=req())
    one.call("transfer", counter=2, req=req())
    two = clocked_server.counter(2)
    assert [t["id"] for t in two.call("queue")["tickets"]] == [ticket["id"]]
    assert two.call("call_next", req=req())["ticket"]["id"] == ticket["id"]
