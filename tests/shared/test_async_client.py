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
        assert client._reader_task is not None
        await asyncio.wait_for(asyncio.shield(client._reader_task), 10)
        with pytest.raises(ConnectionError):
            # before: the reply was awaited forever, as nobody read the socket any more
            await asyncio.wait_for(client.call("ping"), 5)
        await client.close()

    asyncio.run(run())
