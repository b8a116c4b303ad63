"""The asyncio hall client when its connection is gone."""

from __future__ import annotations

import asyncio

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
