"""The kiosk view-model without Qt, against a real hall server and a fake network printer."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from queue_kiosk.model import (
    CONFIRMATION_MIN_S,
    CONFIRMATION_S,
    IDLE_S,
    Phase,
    Problem,
    Screen,
    matches_search,
)
from queue_kiosk.printing import decode
from shared.config.hall import CounterConfig, sample_catalog
from tests.queue_kiosk.kiosk_support import (
    DeferredRunner,
    first_open_matter,
    kiosk_config,
    make_model,
    open_matter_screen,
    server_ticket,
    ticket_count,
)


def test_touching_a_matter_prints_and_confirms_one_ticket(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    assert model.categories and model.matters
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)

    assert model.screen is Screen.CONFIRMATION
    shown = model.confirmation
    assert shown is not None and shown.service_name == matter.name
    assert shown.number.endswith("001") and shown.ahead == 0
    issued = hall.ops("issue")
    assert len(issued) == 1 and issued[0]["service"] == matter.code
    [printed] = hall.ops("printed")
    assert server_ticket(hall_server, printed["ticket"])["state"] == "waiting"
    texts = "".join(
        getattr(op, "text", "") for op in decode(fake_printer.received) if hasattr(op, "text")
    )
    assert shown.number in texts


def test_confirmation_returns_to_start_by_itself(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    clock.now += CONFIRMATION_S - 1
    model.tick()
    assert model.screen is Screen.CONFIRMATION
    clock.now += 1
    model.tick()
    assert model.screen is Screen.START and model.confirmation is None


def test_touch_right_after_the_ticket_does_not_dismiss_the_confirmation(
    hall_server, fake_printer, clock
):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    model.dismiss()  # the second touch of a double tap lands on the confirmation
    assert model.screen is Screen.CONFIRMATION
    clock.now += CONFIRMATION_MIN_S
    model.dismiss()
    assert model.screen is Screen.START


def test_idle_matters_screen_returns_to_start(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    open_matter_screen(model, first_open_matter(model))
    clock.now += IDLE_S - 1
    model.tick()
    assert model.screen is Screen.MATTERS
    clock.now += 1
    model.tick()
    assert model.screen is Screen.START


def test_double_and_triple_touch_give_one_ticket(hall_server, fake_printer, clock):
    runner = DeferredRunner()
    model, hall = make_model(hall_server, fake_printer.spec, clock, runner)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    for _ in range(3):
        model.select_matter(matter.code)
    assert model.phase is Phase.CHECKING_PRINTER
    runner.run_all()
    model.select_matter(matter.code)  # a late touch lands on the confirmation screen
    runner.run_all()
    assert model.screen is Screen.CONFIRMATION
    assert len(hall.ops("issue")) == 1
    assert len(hall.ops("printed")) == 1
    assert ticket_count(hall_server) == 1


@pytest.mark.parametrize("hall_config", [kiosk_config(open_weekdays=())])
def test_closed_hall_issues_nothing(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    assert model.issuing is False
    matter = model.matters[0]
    assert not matter.open and model.why_not(matter) is Problem.HALL_CLOSED
    assert not model.category_open(matter.category)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.screen is Screen.MATTERS and hall.ops("issue") == []


def _limited_catalog():
    catalog = sample_catalog()
    first = catalog.services[0]
    services = (replace(first, daily_limit=1), *catalog.services[1:])
    return replace(catalog, services=services)


@pytest.mark.parametrize("hall_config", [kiosk_config(catalog=_limited_catalog())])
def test_service_past_its_daily_limit_issues_nothing(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    limited = model.matters[0]
    open_matter_screen(model, limited)
    model.select_matter(limited.code)
    assert model.screen is Screen.CONFIRMATION
    model.return_to_start()
    model.set_online(True)  # a resync; the catalog is read again
    limited = model.matters[0]
    assert limited.full and not limited.open
    assert model.why_not(limited) is Problem.SERVICE_FULL
    open_matter_screen(model, limited)
    model.select_matter(limited.code)
    assert model.screen is Screen.MATTERS
    assert len(hall.ops("issue")) == 1


def test_search_matches_pinyin_initials_and_names(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    model.open_search()
    assert model.category is None and len(model.visible_matters()) == len(model.matters)
    target = model.matters[0]
    model.set_search(target.pinyin[:4].upper())
    found = model.visible_matters()
    assert target in found and all(matches_search(m, target.pinyin[:4]) for m in found)
    assert len(found) < len(model.matters)
    model.set_search(target.name[-3:])
    assert target in model.visible_matters()
    model.set_search("zzzzqqq")
    assert model.visible_matters() == []


def test_many_matters_are_paged(hall_server, fake_printer, clock):
    model, _ = make_model(hall_server, fake_printer.spec, clock)
    model.open_search()
    model.set_page_size(12)
    total = len(model.matters)
    assert model.page_count == -(-total // 12)
    seen = []
    for _ in range(model.page_count):
        seen.extend(model.page_matters())
        model.next_page()
    assert [m.code for m in seen] == [m.code for m in model.matters]
    model.next_page()
    assert model.page == model.page_count - 1
    model.previous_page()
    assert model.page == model.page_count - 2


@pytest.mark.parametrize("hall_config", [kiosk_config(catalog=_limited_catalog())])
def test_limit_reached_by_another_kiosk_meanwhile_says_full(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    limited = model.matters[0]
    assert limited.open
    with hall_server.client("kiosk", "kiosk-other") as other:
        taken = other.call("issue", service=limited.code, req=uuid.uuid4().hex)
        other.call("printed", ticket=taken["ticket"]["id"])
    open_matter_screen(model, limited)
    model.select_matter(limited.code)
    assert model.screen is Screen.NOTICE and model.notice.problem is Problem.SERVICE_FULL
    assert ticket_count(hall_server) == 1
    assert model.matters[0].full  # the catalog was read again


def test_english_kiosk_shows_the_english_names_of_the_catalog(hall_server, clock):
    catalog = {
        "hall": "白沙",
        "issuing": True,
        "categories": [
            {
                "code": "si",
                "prefix": "A",
                "name": "社会保险",
                "name_en": "Social Insurance",
                "waiting": 0,
            }
        ],
        "services": [
            {
                "code": "p",
                "name": "养老保险参保登记",
                "name_en": "Pension enrolment",
                "category": "si",
                "waiting": 0,
                "open": True,
            }
        ],
    }
    english, _ = make_model(hall_server, "none", clock, online=False, lang="en")
    english.load_catalog(catalog)
    assert (
        english.categories[0].name == "Social Insurance"
        and english.matters[0].name == "Pension enrolment"
    )
    chinese, _ = make_model(hall_server, "none", clock, online=False, lang="zh_CN")
    chinese.load_catalog(catalog)
    assert chinese.categories[0].name == "社会保险"


@pytest.mark.parametrize("hall_config", [kiosk_config(issue_burst=1, issues_per_minute=1)])
def test_a_kiosk_over_its_issuing_limit_asks_to_wait(hall_server, fake_printer, clock):
    model, hall = make_model(hall_server, fake_printer.spec, clock)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation is not None
    model.return_to_start()
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.screen is Screen.NOTICE and model.notice.problem is Problem.TOO_FAST
    assert len(hall.ops("issue")) == 2


SOME_COUNTERS = tuple(
    CounterConfig(n, f"{n}号窗口", ("re_transfer",) if n in (21, 22) else ("pension_enrol",))
    for n in range(1, 25)
)


@pytest.mark.parametrize("hall_config", [kiosk_config(counters=SOME_COUNTERS)])
def test_a_matter_served_at_some_counters_names_them_on_screen_and_ticket(
    hall_server, fake_printer, clock
):
    service = "re_transfer"
    with hall_server.client("admin", "counters-admin") as admin:
        catalog = admin.call("catalog")
    served_at = {s["code"]: s["counters"] for s in catalog["services"]}
    assert served_at[service] == [21, 22]
    assert served_at["pension_enrol"] == [*range(1, 21), 23, 24]
    assert catalog["hours"]["weekdays"] == [1, 2, 3, 4, 5, 6, 7]
    model, _hall = make_model(hall_server, fake_printer.spec, clock)
    matter = next(m for m in model.matters if m.code == service)
    assert matter.counters == (21, 22)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation.counters == (21, 22)
    printed = [op.text for op in decode(fake_printer.received) if hasattr(op, "text")]
    assert "请留意 21、22 号窗口叫号" in printed and "当日有效" in printed
    # Twenty-two counters are no help to a resident: none are named.
    assert next(m for m in model.matters if m.code == "pension_enrol").counters == ()
