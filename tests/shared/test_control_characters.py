"""Text that is logged may hold no control characters: names and reasons cannot forge log lines."""

from __future__ import annotations

import pytest

from shared.domain.errors import HallError
from shared.protocol.ops import validate_request

FORGED = [
    "a\nb",
    "a\r\nINFO forged line",
    "nul\x00",
    "tab\there",
    "esc\x1b[31m",
    "del\x7f",
    "c1\x85",
    "sep\u2028",
    "bidi\u202eevil",
]


@pytest.mark.parametrize("text", FORGED)
@pytest.mark.parametrize(
    ("op", "name", "params"),
    [
        ("pause", "reason", {}),
        ("print_failed", "reason", {"ticket": 1}),
        ("kiosk_status", "message", {"printer": "ok"}),
        ("login", "clerk", {"pin": "1234"}),
        ("issue", "service", {"req": "r1"}),
        ("call_next", "req", {}),
        ("call", "ticket", {"req": "r1"}),
    ],
)
def test_control_characters_in_a_text_parameter_are_refused_naming_it(op, name, params, text):
    with pytest.raises(HallError) as refused:
        validate_request({"id": 1, "op": op, **params, name: text})
    assert refused.value.code == "bad_request"
    assert f"'{name}'" in refused.value.message


def test_plain_chinese_and_punctuation_pass():
    request = validate_request({"id": 1, "op": "pause", "reason": "午休 (12:00–13:30)，稍后回来！"})
    assert request.params["reason"] == "午休 (12:00–13:30)，稍后回来！"


@pytest.mark.parametrize("client", ["kiosk\n2026-11-26 INFO forged", "k\x00", "k\u2029x"])
def test_a_client_name_with_control_characters_is_refused_at_hello(hall_server, client):
    from shared.client.connection import BlockingHallClient

    raw = BlockingHallClient("127.0.0.1", hall_server.port, "kiosk", "x", hello=False)
    reply = raw.send("hello", proto=1, role="kiosk", client=client)
    assert reply["error"]["code"] == "bad_request"
    assert (
        "'client'" in reply["error"]["message"] and "control character" in reply["error"]["message"]
    )
    raw.close()
