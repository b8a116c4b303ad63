"""Counter view-model tests without Qt: allowed actions per state, shortcuts, and the
model driven against a real hall server through a blocking client."""

from __future__ import annotations

from typing import Any

import pytest

from counter_client.model import (
    ACTIONS,
    DEFAULT_SHORTCUTS,
    ONLINE,
    CounterModel,
    ShortcutError,
    parse_shortcuts,
)
from shared.client.connection import BlockingHallClient, Reply, new_req
from shared.protocol.ops import OPS


class BlockingTransport:
    """Speaks for the model over a BlockingHallClient; replies arrive when `deliver()` runs,
    so a test can press twice while the first request is still unanswered."""

    def __init__(self, client: BlockingHallClient) -> None:
        self.client = client
        self.sent: list[str] = []
        self._pending: list[tuple[str, dict[str, Any], Any]] = []

    def request(self, op: str, params: dict[str, Any] | None = None, callback: Any = None) -> int:
        params = dict(params or {})
        if OPS[op].idempotent:
            params.setdefault("req", new_req())
        self.sent.append(op)
        self._pending.append((op, params, callback))
        return len(self.sent)

    def login(self, clerk: str, pin: str, callback: Any = None) -> None:
        self.request("login", {"clerk": clerk, "pin": pin}, callback)

    def logout(self, callback: Any = None) -> None:
        self.request("logout", {}, callback)

    def deliver(self, model: CounterModel) -> None:
        """Answer every sent request, then hand the model the events the server pushed."""
        while self._pending:
            op, params, callback = self._pending.pop(0)
            reply = Reply.from_frame(self.client.send(op, **params))
            if callback:
                callback(reply)
            while self.client.events:
                event = self.client.events.popleft()
                model.on_event(event["event"], event["seq"], event["data"])


def logged_out_model(counter: int = 1) -> CounterModel:
    model = CounterModel(counter, BlockingTransport.__new__(BlockingTransport))
    model.connection = ONLINE
    return model


def with_state(counter_state: str, ticket_state: str | None) -> CounterModel:
    model = logged_out_model()
    model.clerk = {"id": "1001", "name": "张敏"}
    ticket = None
    if ticket_state:
        ticket = {"id": 1, "number": "A001", "state": ticket_state, "counter": 1}
    model.counter = {"number": 1, "name": "1号窗口", "state": counter_state, "ticket": ticket}
    return model


def enabled_actions(model: CounterModel) -> set[str]:
    return {a for a in (*ACTIONS, "logout") if model.enabled(a)}


# -- allowed actions per state -----------------------------------------------------------------


def test_nothing_is_enabled_before_login():
    assert enabled_actions(logged_out_model()) == set()


@pytest.mark.parametrize(
    ("counter_state", "ticket_state", "expected"),
    [
        ("open", None, {"call_next", "call", "pause_resume", "reactivate", "logout"}),
        (
            "open",
            "called",
            {
                "call_next",
                "call",
                "recall",
                "start",
                "finish",
                "no_show",
                "transfer",
                "reactivate",
            },
        ),
        ("open", "serving", {"call_next", "call", "finish", "transfer", "reactivate"}),
        ("paused", None, {"pause_resume", "reactivate", "logout"}),
    ],
)
def test_enabled_actions_follow_the_life_cycle(counter_state, ticket_state, expected):
    assert enabled_actions(with_state(counter_state, ticket_state)) == expected


def test_everything_is_disabled_offline_or_while_a_request_is_in_flight():
    model = with_state("open", "called")
    model.connection = "offline"
    assert enabled_actions(model) == set()
    model.connection = ONLINE
    model.busy = "start"
    assert enabled_actions(model) == set()


def test_a_ticket_the_counter_no_longer_holds_enables_no_ticket_action():
    model = with_state("open", "done")
    assert "finish" not in enabled_actions(model)
    assert model.ticket is None


def test_unknown_action_is_an_error():
    with pytest.raises(KeyError, match="unknown action"):
        logged_out_model().enabled("explode")


# -- shortcuts ---------------------------------------------------------------------------------


def test_default_shortcuts_are_f_keys_in_button_order():
    assert parse_shortcuts(None) == DEFAULT_SHORTCUTS
    assert DEFAULT_SHORTCUTS["call_next"] == "F1"
    assert DEFAULT_SHORTCUTS["finish"] == "F4"
    assert len(set(DEFAULT_SHORTCUTS.values())) == len(ACTIONS)


def test_shortcuts_can_be_changed_and_are_normalised():
    keys = parse_shortcuts("call_next = f12, recall=ctrl+r, start=num+5")
    assert keys["call_next"] == "F12"
    assert keys["recall"] == "Ctrl+R"
    assert keys["start"] == "Num+5"
    assert keys["finish"] == "F4"  # untouched actions keep their default


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("call_next", "ACTION=KEY"),
        ("shout=F1", "unknown action 'shout'"),
        ("call_next=F99", "not a usable key"),
        ("call_next=F2", "F2 is used for both call_next and recall"),
        ("call_next=F10,call_next=F11", "two shortcuts"),
    ],
)
def test_bad_shortcuts_are_refused_with_the_problem_named(text, problem):
    with pytest.raises(ShortcutError, match=problem):
        parse_shortcuts(text)


# -- against a real server ---------------------------------------------------------------------


@pytest.fixture
def hall(hall_server):
    admin = hall_server.client("admin", "model-admin")
    yield hall_server, admin
    admin.close()


def issue(admin: BlockingHallClient, service: str = "pension_enrol") -> dict[str, Any]:
    ticket = admin.call("issue", service=service, req=new_req())["ticket"]
    admin.call("printed", ticket=ticket["id"])
    return ticket


def connected_model(server, counter: int = 1) -> tuple[CounterModel, BlockingTransport]:
    client = server.client("counter", f"model-counter-{counter}", counter=counter)
    transport = BlockingTransport(client)
    model = CounterModel(counter, transport)
    model.on_hello(client.hello_result)
    model.on_ready(client.call("snapshot"))
    transport.deliver(model)
    return model, transport


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_model_logs_in_calls_starts_and_finishes_against_the_server(hall):
    server, admin = hall
    first, second = issue(admin), issue(admin)
    model, transport = connected_model(server)
    assert model.services["pension_enrol"]["name"]
    model.login("1001", "9999")
    transport.deliver(model)
    assert not model.logged_in
    assert model.notice.key == "login_failed"
    assert "wrong PIN" in model.notice.detail

    model.login("1001", "1234")
    transport.deliver(model)
    assert model.logged_in and model.clerk["name"] == "张敏"
    assert [t["number"] for t in model.queue] == [first["number"], second["number"]]

    model.trigger("call_next")
    assert model.busy == "call_next"
    assert model.trigger("call_next") is False  # the double press: nothing sent
    transport.deliver(model)
    assert transport.sent.count("call_next") == 1
    assert model.ticket["number"] == first["number"]
    assert model.ticket_elapsed_s() is not None
    assert [t["number"] for t in model.queue] == [second["number"]]
    assert model.queue_total == 1

    model.trigger("start")
    transport.deliver(model)
    assert model.ticket["state"] == "serving"
    model.trigger("finish")
    transport.deliver(model)
    assert model.ticket is None
    assert model.figures.served == 1
    assert model.figures.mean_service_s is not None

    model.trigger("call_next")
    transport.deliver(model)
    model.trigger("no_show")
    transport.deliver(model)
    assert model.figures.no_shows == 1
    model.trigger("call_next")
    transport.deliver(model)
    assert model.ticket is None
    assert model.notice.key == "nobody_waiting"


def test_model_pauses_with_a_reason_and_resumes(hall):
    server, _admin = hall
    model, transport = connected_model(server)
    model.login("1002", "2345")
    transport.deliver(model)
    model.pause("午休")
    transport.deliver(model)
    assert model.paused and model.pause_reason == "午休"
    assert not model.enabled("call_next")
    assert model.trigger("pause_resume")  # resumes without asking
    transport.deliver(model)
    assert model.counter_state == "open"


def test_model_shows_the_server_refusal_of_a_bad_reactivation(hall):
    server, admin = hall
    issue(admin)
    model, transport = connected_model(server)
    model.login("1001", "1234")
    transport.deliver(model)
    model.reactivate("a001")
    transport.deliver(model)
    assert model.notice.key == "op_failed"
    assert "not a no-show" in model.notice.detail
    model.reactivate("  ")
    assert model.notice.key == "number_missing"


@pytest.mark.call_gap(0)  # calls within seconds; the gap has its own tests
def test_todays_figures_come_from_the_server_and_survive_a_restart_of_the_window(hall):
    server, admin = hall
    issue(admin)
    issue(admin)
    model, transport = connected_model(server, counter=4)
    model.login("1003", "3456")
    transport.deliver(model)
    for action in ("call_next", "finish", "call_next", "no_show"):
        model.trigger(action)
        transport.deliver(model)
    assert (model.figures.served, model.figures.no_shows) == (1, 1)
    # The clerk's window is closed and opened again: the day's figures are still there.
    fresh, fresh_transport = connected_model(server, counter=4)
    fresh.login("1003", "3456")
    fresh_transport.deliver(fresh)
    assert (fresh.figures.served, fresh.figures.no_shows) == (1, 1)
    assert fresh.figures.mean_service_s is not None


def test_the_call_keys_rest_for_the_gap_and_a_refusal_from_the_server_locks_them_too(hall):
    server, admin = hall
    for _ in range(3):
        issue(admin)
    now = [1000.0]
    client = server.client("counter", "gap-model", counter=5)
    transport = BlockingTransport(client)
    model = CounterModel(5, transport, clock=lambda: now[0])
    model.on_ready(client.call("snapshot"))
    model.login("1002", "2345")
    transport.deliver(model)
    assert model.call_gap_s == 5  # the hall's setting, from the login reply
    assert model.trigger("call_next")
    transport.deliver(model)
    assert model.call_lock_s() == 5
    assert not model.enabled("call_next") and not model.enabled("call")
    assert model.enabled("recall")  # a recall is not a call
    now[0] += 2
    assert model.trigger("call_next") is False and model.call_lock_s() == 3
    now[0] += 3
    assert model.enabled("call_next")

    # The window is opened again at once: the new model does not know of the last call, and
    # the server refuses it; the model then rests its keys for the seconds the server names.
    fresh_client = server.client("counter", "gap-model-again", counter=5)
    fresh_transport = BlockingTransport(fresh_client)
    fresh = CounterModel(5, fresh_transport, clock=lambda: now[0])
    fresh.on_ready(fresh_client.call("snapshot"))
    fresh.login("1002", "2345")
    fresh_transport.deliver(fresh)
    assert fresh.trigger("call_next")
    fresh_transport.deliver(fresh)
    assert fresh.notice.key == "op_failed" and fresh.notice.args["reason"] == "call_too_soon"
    assert "call again in" in fresh.notice.detail
    assert 1 <= fresh.call_lock_s() <= 5 and not fresh.enabled("call_next")
    assert [
        c["ticket"]["state"] for c in fresh_client.call("snapshot")["counters"] if c["number"] == 5
    ] == ["called"]
    for c in (client, fresh_client):
        c.close()
