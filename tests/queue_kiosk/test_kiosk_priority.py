"""The kiosk view-model's priority lane: the staff PIN, its lock, and the long press."""

from __future__ import annotations

import pytest

from queue_kiosk.model import IDLE_S, PIN_ATTEMPTS, InlineRunner, KioskModel, PriorityMode, Screen
from queue_kiosk.printing import TicketSlip, render_ticket
from tests.queue_kiosk.kiosk_support import (
    first_open_matter,
    kiosk_config,
    make_model,
    open_matter_screen,
)


@pytest.mark.parametrize("hall_config", [kiosk_config(priority_pin="2580")])
def test_staff_pin_gives_one_priority_ticket(hall_server, fake_printer, clock):
    model, hall = make_model(
        hall_server,
        fake_printer.spec,
        clock,
        priority_mode=PriorityMode.PIN,
        priority_pin="2580",
    )
    model.open_priority()
    for digit in "1111":
        model.pin_digit(digit)
    model.pin_submit()
    assert model.screen is Screen.PIN and model.pin_error and not model.priority_armed
    for digit in "2580":
        model.pin_digit(digit)
    model.pin_submit()
    assert model.screen is Screen.START and model.priority_armed
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation.priority
    assert hall.ops("issue")[0]["priority"] is True
    assert hall.ops("issue")[0]["priority_pin"] == "2580"  # the server checks it
    assert not model.priority_armed  # one priority ticket per PIN
    model.return_to_start()
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert hall.ops("issue")[1]["priority"] is False


def test_pin_locks_after_repeated_wrong_entries(hall_server, fake_printer, clock):
    model, _ = make_model(
        hall_server, fake_printer.spec, clock, priority_mode=PriorityMode.PIN, priority_pin="2580"
    )
    model.open_priority()
    for _ in range(PIN_ATTEMPTS):
        for digit in "0000":
            model.pin_digit(digit)
        model.pin_submit()
    for digit in "2580":
        model.pin_digit(digit)
    model.pin_submit()
    assert model.pin_locked and not model.priority_armed


def test_long_press_arms_priority_only_when_held(hall_server, fake_printer, clock):
    model, _ = make_model(
        hall_server, fake_printer.spec, clock, priority_mode=PriorityMode.LONG_PRESS
    )
    model.priority_pressed(0.3)
    assert not model.priority_armed
    model.priority_pressed(2.5)
    assert model.priority_armed
    clock.now += IDLE_S
    model.tick()
    assert not model.priority_armed  # an abandoned priority lane does not wait for a stranger


@pytest.mark.parametrize("hall_config", [kiosk_config(priority_pin="2580")])
def test_long_press_priority_ticket_carries_the_hall_files_staff_pin(
    hall_server, fake_printer, clock
):
    model, hall = make_model(
        hall_server,
        fake_printer.spec,
        clock,
        priority_mode=PriorityMode.LONG_PRESS,
        priority_pin="2580",
    )
    model.priority_pressed(2.5)
    matter = first_open_matter(model)
    open_matter_screen(model, matter)
    model.select_matter(matter.code)
    assert model.confirmation is not None and model.confirmation.priority  # the server agreed
    assert hall.ops("issue")[0]["priority_pin"] == "2580"


def test_pin_mode_without_a_pin_is_refused():
    with pytest.raises(ValueError, match="priority_pin"):
        KioskModel(
            None, None, InlineRunner(), render_ticket, TicketSlip, priority_mode=PriorityMode.PIN
        )  # type: ignore[arg-type]
