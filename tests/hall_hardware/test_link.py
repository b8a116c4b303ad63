"""The bridge's hall link: a call whose reply was lost is sent again with the same req, once."""

from __future__ import annotations

import asyncio
from typing import Any

from hall_hardware.link import ONLINE, HallLink
from shared.client.connection import Reply


class Recorder:
    def __init__(self) -> None:
        self.states: list[str] = []
        self.ready = asyncio.Event()
        self.events: list[str] = []

    def on_state(self, state: str) -> None:
        self.states.append(state)

    def on_hello(self, hello: dict[str, Any]) -> None:
        pass

    def on_ready(self, snapshot: dict[str, Any]) -> None:
        self.ready.set()

    def on_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        self.events.append(name)

    def on_login_failed(self, code: str, message: str) -> None:
        pass

    def on_handshake_failed(self, code: str, message: str) -> None:
        pass


def test_a_call_in_flight_when_the_connection_drops_is_applied_exactly_once(hall_server):
    with hall_server.client("kiosk", "kiosk-1") as kiosk:
        for i in range(3):
            ticket = kiosk.call("issue", service="pension_enrol", req=f"k{i}")
            kiosk.call("printed", ticket=ticket["ticket"]["id"])

    async def main() -> tuple[Reply, list[str]]:
        recorder = Recorder()
        link = HallLink(
            "127.0.0.1",
            hall_server.port,
            "counter",
            "keypad-4",
            recorder,
            counter=4,
            reconnect_min_s=0.1,
        )
        link.start()
        await asyncio.wait_for(recorder.ready.wait(), 10)
        done: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        link.login("1001", "1234", done.set_result)
        assert (await asyncio.wait_for(done, 10)).ok
        recorder.ready.clear()
        replies: list[Reply] = []
        called: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()

        def answered(reply: Reply) -> None:
            replies.append(reply)
            called.set_result(reply)

        assert link.transport is not None
        link.transport.pause_reading()  # the reply will be lost with the connection
        link.request("call_next", {}, answered)
        req = next(iter(link.session.inflight.values())).params["req"]
        await asyncio.sleep(0.5)  # the server has applied it meanwhile
        link.drop()
        reply = await asyncio.wait_for(called, 15)
        assert link.state == ONLINE
        assert next(iter(link.session.replay), None) is None
        await link.stop()
        assert len(replies) == 1
        return reply, [req]

    reply, _ = asyncio.run(main())
    assert reply.ok and reply.result["ticket"]["number"] == "A001"
    with hall_server.client("display", "probe") as probe:
        snap = probe.call("snapshot")
    assert sum(snap["waiting"].values()) == 2  # one ticket called, not two
    counter = next(c for c in snap["counters"] if c["number"] == 4)
    assert counter["ticket"]["number"] == "A001" and counter["clerk"]["id"] == "1001"
