"""What the protocol op tests share: the matters they issue, fresh request ids, and short ways to
read a refusal or the events before a reply."""

from __future__ import annotations

import uuid

import pytest

from shared.domain.errors import HallError

A1, A2, B1 = "pension_enrol", "pension_claim", "med_enrol"  # A1, A2: category A; B1: category B


def req() -> str:
    return uuid.uuid4().hex


def numbers(tickets: list[dict]) -> list[str]:
    return [t["number"] for t in tickets]


def code_of(client, op: str, **params: object) -> str:
    with pytest.raises(HallError) as err:
        client.call(op, **params)
    return err.value.code


def events_until_reply(client, op: str, **params: object) -> tuple[dict, list[dict]]:
    """Send a request; return its reply and the events that arrived before it."""
    seen = len(client.events)
    reply = client.send(op, **params)
    return reply, list(client.events)[seen:]
