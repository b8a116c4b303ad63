"""Ticket web tokens and the `ticket_view` op, on a real server with a real database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared.config.hall import ConfigError, CounterConfig
from shared.domain.errors import HallError
from shared.protocol.ticket_token import (
    MAC_CHARS,
    make_token,
    normalize,
    ticket_id_of,
    verify,
)
from tests.conftest import TEST_PRIORITY_PIN
from tests.conftest import test_config as make_config

SECRET = "ab" * 32


def test_token_names_its_ticket_and_proves_the_day() -> None:
    for ticket_id in (0, 1, 31, 32, 48, 1_000_000, 2**53 - 1):
        token = make_token(SECRET, ticket_id, "2026-11-26")
        assert ticket_id_of(token) == ticket_id
        assert verify(SECRET, token, ticket_id, "2026-11-26")
        assert not verify(SECRET, token, ticket_id, "2026-11-27")
        assert not verify("cd" * 32, token, ticket_id, "2026-11-26")
        assert verify(SECRET, token.upper(), ticket_id, "2026-11-26")  # typed in capitals


def test_token_is_short_and_a_changed_character_fails() -> None:
    token = make_token(SECRET, 4321, "2026-11-26")
    assert len(token) == 3 + MAC_CHARS
    for position in range(len(token)):
        changed = (
            token[:position] + ("b" if token[position] != "b" else "c") + token[position + 1 :]
        )
        other_id = ticket_id_of(changed)
        assert other_id is not None
        assert not verify(SECRET, changed, other_id, "2026-11-26"), position
    # a leading zero digit names the same id but is not the token the server made
    assert not verify(SECRET, "a" + token, 4321, "2026-11-26")


@pytest.mark.parametrize(
    "text", ["", "abc", "a" * 40, "abcdefghijklmn!", "abcdefghijklm0", "абвгдежзийклм"]
)
def test_malformed_tokens_are_not_tokens(text: str) -> None:
    assert normalize(text) is None
    assert ticket_id_of(text) is None


def _issue(kiosk, service: str, req: str, priority: bool = False) -> dict:
    extra = {"priority_pin": TEST_PRIORITY_PIN} if priority else {}
    result = kiosk.call("issue", service=service, req=req, priority=priority, **extra)
    kiosk.call("printed", ticket=result["ticket"]["id"])
    return result


def test_issue_gives_a_token_and_no_url_without_public_url(hall_server) -> None:
    with hall_server.client("kiosk") as kiosk:
        result = _issue(kiosk, "pension_enrol", "r1")
    assert normalize(result["token"]) == result["token"]
    assert "url" not in result


@pytest.mark.parametrize("hall_config", [make_config(web_public_url="http://192.168.10.2:8080")])
def test_issue_gives_the_page_url_with_public_url(hall_server) -> None:
    with hall_server.client("kiosk") as kiosk:
        result = _issue(kiosk, "pension_enrol", "r1")
        again = kiosk.call("issue", service="pension_enrol", req="r1")  # an idempotent retry
    assert result["url"] == f"http://192.168.10.2:8080/t/{result['token']}"
    assert again["url"] == result["url"]


def test_ticket_view_follows_the_ticket_through_its_day(hall_server) -> None:
    with hall_server.client("kiosk") as kiosk:
        tokens = [_issue(kiosk, "pension_enrol", f"r{n}")["token"] for n in range(3)]
    with hall_server.client("display") as display:
        views = display.call("ticket_view", tokens=tokens)["views"]
        assert [v["status"] for v in views] == ["ok", "ok", "ok"]
        assert [v["ahead"] for v in views] == [0, 1, 2]
        assert views[2]["est_wait_s"] > 0
        assert views[2]["service_name"] == "城乡居民养老保险参保登记"
        assert views[2]["category_name"] == "社会保险"
        assert views[2]["category_name_en"]
        with hall_server.counter(3) as counter:
            called = counter.call("call_next", req="c1")["ticket"]
            assert called["number"] == views[0]["ticket"]["number"]
            first, last = display.call("ticket_view", tokens=[tokens[0], tokens[2]])["views"]
            assert first["ticket"]["state"] == "called"
            assert first["ticket"]["counter"] == 3
            assert first["counter_name"] == "3号窗口"
            assert first["ahead"] is None
            assert last["ahead"] == 1
            counter.call("no_show")
            (first,) = display.call("ticket_view", tokens=[tokens[0]])["views"]
            assert first["ticket"]["state"] == "no_show"


def test_a_wrong_token_is_unknown_and_names_nothing(hall_server) -> None:
    with hall_server.client("kiosk") as kiosk:
        token = _issue(kiosk, "pension_enrol", "r1")["token"]
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    with hall_server.client("display") as display:
        views = display.call(
            "ticket_view", tokens=[forged, "nonsense!", make_token(SECRET, 1, "x")]
        )
    assert views["views"] == [
        {"token": forged, "status": "unknown"},
        {"token": "nonsense!", "status": "unknown"},
        {"token": make_token(SECRET, 1, "x"), "status": "unknown"},
    ]


def test_a_token_of_yesterday_is_from_another_day(clocked_server, hall_clock) -> None:
    with clocked_server.client("kiosk") as kiosk:
        token = _issue(kiosk, "pension_enrol", "r1")["token"]
    hall_clock.advance(days=1)
    with clocked_server.client("display") as display:
        (view,) = display.call("ticket_view", tokens=[token])["views"]
    assert view == {"token": token, "status": "other_day", "day": "2026-11-26", "number": "A001"}


def test_ticket_view_is_for_displays_and_checks_its_tokens(hall_server) -> None:
    with hall_server.client("kiosk") as kiosk:
        with pytest.raises(HallError) as refused:
            kiosk.call("ticket_view", tokens=["abcdefghijklmn"])
        assert refused.value.code == "forbidden"
    with hall_server.client("display") as display:
        for tokens, problem in (
            ([], "1 to 40"),
            (["a"] * 41, "1 to 40"),
            ("abc", "must be a list"),
            ([3], "string of at most 64"),
        ):
            with pytest.raises(HallError) as bad:
                display.call("ticket_view", tokens=tokens)
            assert bad.value.code == "bad_request"
            assert problem in bad.value.message


COUNTERS = (
    CounterConfig(1, "1号窗口", ("pension_enrol", "med_enrol")),
    CounterConfig(2, "2号窗口", ("dibao_apply",)),
)


@pytest.mark.parametrize("hall_config", [make_config(counters=COUNTERS, call_gap_s=0)])
def test_people_ahead_is_the_call_next_order_of_the_counter(hall_server) -> None:
    """Priority tickets first, a normal one after three priorities, other services not counted."""
    plan = [
        ("pension_enrol", False),
        ("dibao_apply", False),  # not served by counter 1: never ahead there
        ("med_enrol", True),
        ("pension_enrol", False),
        ("med_enrol", True),
        ("pension_enrol", True),
        ("med_enrol", True),
        ("pension_enrol", True),
        ("med_enrol", False),
    ]
    with hall_server.client("kiosk") as kiosk:
        issued = [
            _issue(kiosk, service, f"r{n}", priority) for n, (service, priority) in enumerate(plan)
        ]
    mine = [r for r, (service, _) in zip(issued, plan, strict=True) if service != "dibao_apply"]
    with hall_server.client("display") as display, hall_server.counter(1) as counter:
        views = display.call("ticket_view", tokens=[r["token"] for r in mine])["views"]
        ahead = {v["ticket"]["number"]: v["ahead"] for v in views}
        order = []
        while (ticket := counter.call("call_next", req=f"c{len(order)}")["ticket"]) is not None:
            order.append(ticket["number"])
    assert len(order) == len(mine)
    assert ahead == {number: place for place, number in enumerate(order)}


def test_public_url_is_checked_in_the_hall_file(tmp_path) -> None:
    from shared.config.hall import load_config

    path = tmp_path / "hall.toml"
    path.write_text('[web]\npublic_url = "http://192.168.10.2:8080/"\nport = 8099\n', "utf-8")
    config = load_config(path)
    assert (config.web_public_url, config.web_port) == ("http://192.168.10.2:8080", 8099)
    for bad in ("ftp://x", "http://a b", "http://x/?q=1", "http://" + "x" * 80):
        path.write_text(f'[web]\npublic_url = "{bad}"\n', "utf-8")
        with pytest.raises(ConfigError) as error:
            load_config(path)
        assert "[web] public_url" in str(error.value)
        assert error.value.line == 2
    assert replace(config, web_public_url=None).web_public_url is None


def test_the_largest_ticket_view_reply_fits_a_page(hall_server) -> None:
    """40 views with every text at its bound (shared/domain/limits.py) stay within PAGE_BUDGET."""
    from shared.domain import limits
    from shared.protocol.ops import MAX_VIEW_TOKENS

    with hall_server.client("kiosk") as kiosk:
        token = _issue(kiosk, "pension_enrol", "r1")["token"]
    with hall_server.client("display") as display:
        (view,) = display.call("ticket_view", tokens=[token])["views"]
    widest = "\u9f98"  # a CJK character: 3 bytes in UTF-8
    view.update(
        token="\u00ff" * 64,  # the longest token a page could send back, all non-ASCII
        service_name=widest * limits.MAX_SERVICE_NAME,
        service_name_en="W" * limits.MAX_SERVICE_NAME_EN,
        category_name=widest * limits.MAX_CATEGORY_NAME,
        category_name_en="W" * limits.MAX_CATEGORY_NAME_EN,
        counter_name=widest * limits.MAX_COUNTER_NAME,
        ahead=2**31,
        est_wait_s=2**31,
    )
    view["ticket"].update(number="A" * 16, service="s" * 64, category="c" * 64, counter=999)
    reply = {"day": "2026-11-26", "views": [view] * MAX_VIEW_TOKENS}
    assert limits.json_size(reply) <= limits.PAGE_BUDGET, limits.json_size(reply)
