"""The sans-IO codec: round trips, the frame limit, and bad bytes of every kind."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.domain.errors import ErrorCode, ErrorReason, HallError
from shared.protocol.codec import (
    MAX_FRAME,
    BadFrame,
    FrameDecoder,
    decode_frame,
    encode,
    reply_error,
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.text(max_size=30)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
messages = st.dictionaries(st.text(max_size=12), json_values, max_size=6)


# Generating nested JSON is slow on a loaded machine; that says nothing about the codec.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_encode_then_decode_gives_the_same_message(message):
    data = encode(message)
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert FrameDecoder().feed(data) == [message]


@given(st.lists(messages, min_size=1, max_size=5), st.integers(1, 50))
def test_frames_split_anywhere_decode_the_same(batch, chunk):
    stream = b"".join(encode(m) for m in batch)
    decoder = FrameDecoder()
    out = []
    for i in range(0, len(stream), chunk):
        out += decoder.feed(stream[i : i + chunk])
    assert out == batch
    assert decoder.buffered == 0


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_never_crashes_on_any_bytes(data):
    decoder = FrameDecoder()
    for item in decoder.feed(data):
        assert isinstance(item, dict | BadFrame)
    assert decoder.buffered < MAX_FRAME


MALFORMED = [
    (b"not json", "not valid JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b"42", "must be a JSON object"),
    (b'"text"', "must be a JSON object"),
    (b"null", "must be a JSON object"),
    (b"", "not valid JSON"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    (b'{"a": NaN}', "NaN is not valid JSON"),
    (b'{"a": Infinity}', "Infinity is not valid JSON"),
    (b'{"id": 1,', "not valid JSON"),
    (b"[" * 100_00 + b"]" * 100_00, ""),
]


@pytest.mark.parametrize(("line", "reason"), MALFORMED)
def test_malformed_frames_are_reported_not_raised(line, reason):
    result = decode_frame(line)
    assert isinstance(result, BadFrame)
    assert reason in result.reason
    assert not result.fatal


def test_frame_of_exactly_the_limit_is_accepted():
    body = {"op": "ping", "pad": ""}
    size = len(encode(body))
    body["pad"] = "x" * (MAX_FRAME - size)
    data = encode(body)
    assert len(data) == MAX_FRAME
    assert FrameDecoder().feed(data) == [body]


def test_frame_one_byte_over_the_limit_is_fatal():
    body = {"op": "ping", "pad": ""}
    body["pad"] = "x" * (MAX_FRAME - len(encode(body)) + 1)
    decoder = FrameDecoder()
    out = decoder.feed(encode(body))
    assert len(out) == 1 and isinstance(out[0], BadFrame) and out[0].fatal
    assert decoder.closed and decoder.buffered == 0
    assert decoder.feed(b'{"op": "ping"}\n') == []


def test_limit_bytes_without_newline_is_fatal_and_buffer_is_dropped():
    decoder = FrameDecoder()
    assert decoder.feed(b"x" * (MAX_FRAME - 1)) == []
    out = decoder.feed(b"y")
    assert isinstance(out[-1], BadFrame) and out[-1].fatal
    assert decoder.buffered == 0


def test_good_frames_before_an_oversized_one_are_kept():
    decoder = FrameDecoder()
    out = decoder.feed(b'{"a": 1}\n' + b"z" * MAX_FRAME)
    assert out[0] == {"a": 1}
    assert isinstance(out[1], BadFrame) and out[1].fatal


def test_chinese_text_is_sent_as_utf8_not_escaped():
    data = encode({"hall": "白沙镇政务服务中心"})
    assert "白沙镇".encode() in data
    assert json.loads(data) == {"hall": "白沙镇政务服务中心"}


@pytest.mark.parametrize("reason", list(ErrorReason))
def test_an_error_reason_goes_on_the_wire_as_its_plain_text(reason):
    error = HallError(ErrorCode.CONFLICT, "no", reason=reason, retry_after_s=2)
    frame = reply_error(7, error.code, error.message, error.reason, error.retry_after_s)
    expected = (
        '{"id":7,"ok":false,"error":{"code":"conflict","message":"no",'
        f'"reason":"{reason.name.lower()}","retry_after_s":2}}}}\n'
    )
    assert encode(frame) == expected.encode()
    assert json.dumps(error.to_wire()) == json.dumps(
        {"code": "conflict", "message": "no", "reason": reason.value, "retry_after_s": 2}
    )
    assert decode_frame(encode(frame).rstrip(b"\n"))["error"]["reason"] == reason
