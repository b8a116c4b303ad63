"""The asyncio hall client when its connection is gone."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from shared.client.connection import HallClient


def test_a_request_after_the_connection_closed_fails_at_once(hall_server) -> None:
    async def run() -> None:
        client = await HallClient.connect(hall_server.host, hall_server.port, "display", "t")
        assert (await client.call("ping"))["server_time"]
        await asyncio.get_running_loop().run_in_executor(None, hall_server.stop)
        await asyncio.wait_for(client.wait_closed(), 10)
        assert client.closed
        with pytest.raises(ConnectionError):
            # before: the reply was awaited forever, as nobody read the socket any more
            await asyncio.wait_for(client.call("ping"), 5)
        await client.close()

    asyncio.run(run())


def test_a_port_that_never_sends_a_welcome_fails_within_the_timeout_saying_why() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # the system accepts the connection; nothing is ever sent

        async def run() -> None:
            started = time.monotonic()
            with pytest.raises(TimeoutError, match="no welcome within 0.5 s: is this a hall"):
                await HallClient.connect(
                    "127.0.0.1", silent.getsockname()[1], "display", "t", timeout=0.5
                )
            assert time.monotonic() - started < 2

        asyncio.run(run())
