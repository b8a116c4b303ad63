"""Request validation: every bad parameter gets bad_request naming the parameter."""

from __future__ import annotations

import pytest

from shared.domain.errors import ErrorCode, HallError
from shared.protocol.ops import OPS, validate_request

BAD = [
    ({"op": "ping"}, ErrorCode.BAD_REQUEST, "'id'"),
    ({"id": True, "op": "ping"}, ErrorCode.BAD_REQUEST, "'id'"),
    ({"id": 1.5, "op": "ping"}, ErrorCode.BAD_REQUEST, "'id'"),
    ({"id": 1}, ErrorCode.BAD_REQUEST, "'op'"),
    ({"id": 1, "op": 7}, ErrorCode.BAD_REQUEST, "'op'"),
    ({"id": 1, "op": "fly"}, ErrorCode.UNKNOWN_OP, "fly"),
    ({"id": 1, "op": "issue", "req": "r"}, ErrorCode.BAD_REQUEST, "'service'"),
    ({"id": 1, "op": "issue", "service": "tax"}, ErrorCode.BAD_REQUEST, "'req'"),
    (
        {"id": 1, "op": "issue", "service": "tax", "req": ""},
        ErrorCode.BAD_REQUEST,
        "'req' must not be empty",
    ),
    (
        {"id": 1, "op": "issue", "service": 5, "req": "r"},
        ErrorCode.BAD_REQUEST,
        "'service' must be a string",
    ),
    (
        {"id": 1, "op": "issue", "service": "tax", "req": "r", "priority": "yes"},
        ErrorCode.BAD_REQUEST,
        "'priority' must be true or false",
    ),
    ({"id": 1, "op": "printed"}, ErrorCode.BAD_REQUEST, "'ticket'"),
    (
        {"id": 1, "op": "printed", "ticket": "A001"},
        ErrorCode.BAD_REQUEST,
        "'ticket' must be a whole number",
    ),
    (
        {"id": 1, "op": "printed", "ticket": True},
        ErrorCode.BAD_REQUEST,
        "'ticket' must be a whole number",
    ),
    ({"id": 1, "op": "login", "clerk": "1001"}, ErrorCode.BAD_REQUEST, "'pin'"),
    ({"id": 1, "op": "call", "req": "r"}, ErrorCode.BAD_REQUEST, "'ticket'"),
    (
        {"id": 1, "op": "call", "req": "r", "ticket": [1]},
        ErrorCode.BAD_REQUEST,
        "ticket id or a ticket number",
    ),
    (
        {"id": 1, "op": "call", "req": "r", "ticket": -3},
        ErrorCode.BAD_REQUEST,
        "ticket id or a ticket number",
    ),
    (
        {"id": 1, "op": "transfer", "req": "r"},
        ErrorCode.BAD_REQUEST,
        "exactly one of 'service' or 'counter'",
    ),
    (
        {"id": 1, "op": "transfer", "req": "r", "service": "tax", "counter": 3},
        ErrorCode.BAD_REQUEST,
        "exactly one of",
    ),
    (
        {"id": 1, "op": "transfer", "req": "r", "counter": "3"},
        ErrorCode.BAD_REQUEST,
        "'counter' must be a whole",
    ),
    ({"id": 1, "op": "call_next", "req": "x" * 101}, ErrorCode.BAD_REQUEST, "longer than 100"),
    (
        {"id": 1, "op": "kiosk_status", "printer": "on fire"},
        ErrorCode.BAD_REQUEST,
        "'printer' must be one of",
    ),
]


@pytest.mark.parametrize(("frame", "code", "text"), BAD)
def test_bad_requests_name_the_problem(frame, code, text):
    with pytest.raises(HallError) as info:
        validate_request(frame)
    assert info.value.code == code
    assert text in info.value.message


def test_good_request_keeps_only_known_params():
    request = validate_request(
        {"id": "a1", "op": "issue", "service": "tax", "req": "r1", "priority": True, "junk": 1}
    )
    assert request.params == {"service": "tax", "req": "r1", "priority": True}
    assert request.req == "r1"


def test_ticket_reference_may_be_number_text():
    assert (
        validate_request({"id": 1, "op": "call", "req": "r", "ticket": " a007"}).params["ticket"]
        == "A007"
    )


def test_ops_needing_req_are_exactly_the_contract_ones():
    assert {op for op, spec in OPS.items() if spec.idempotent} == {
        "issue",
        "call_next",
        "call",
        "transfer",
    }
