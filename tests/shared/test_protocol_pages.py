"""Replies that grow with the hall come in pages that each fit a frame (a real server)."""

from __future__ import annotations

import pytest

from shared.domain import limits
from shared.domain.errors import HallError
from shared.protocol.codec import MAX_FRAME, encode


def test_snapshot_kiosks_are_the_50_that_reported_last_and_the_frame_fits(
    clocked_server, hall_clock
):
    """The worst case a kiosk may send: the longest name and message, four bytes a character."""
    wide = "\U00020000"
    for index in range(limits.MAX_SNAPSHOT_KIOSKS + 30):
        hall_clock.advance(seconds=1)
        name = f"{index:03d}" + wide * (limits.MAX_CLIENT_NAME - 3)
        with clocked_server.client("kiosk", name) as kiosk:
            kiosk.call("kiosk_status", printer="error", message=wide * limits.MAX_KIOSK_MESSAGE)
    with clocked_server.client("display", "board") as board:
        frame = board.send("snapshot")
        assert len(encode(frame)) <= MAX_FRAME
        kiosks = board.call_all("snapshot")["kiosks"]
    assert len(kiosks) == limits.MAX_SNAPSHOT_KIOSKS
    assert sorted(k["client"][:3] for k in kiosks) == [f"{i:03d}" for i in range(30, 80)]


def test_a_message_over_200_characters_is_refused(clocked_server):
    with clocked_server.client("kiosk", "k1") as kiosk, pytest.raises(HallError) as error:
        kiosk.call("kiosk_status", printer="ok", message="x" * (limits.MAX_KIOSK_MESSAGE + 1))
    assert error.value.code == "bad_request" and "200" in error.value.message


def test_catalog_pages_join_to_the_whole_catalog(clocked_server):
    with clocked_server.client("kiosk", "k1") as kiosk:
        whole = kiosk.call("catalog")
        assert whole["next"] is None and whole["total"] == len(whole["services"])
        pages, after = [], None
        while True:
            page = kiosk.call("catalog", limit=50, **({"after": after} if after else {}))
            pages.append(page)
            assert page["version"] == whole["version"] and page["total"] == whole["total"]
            after = page["next"]
            if after is None:
                break
        assert len(pages) == -(-whole["total"] // 50)
        assert [s for p in pages for s in p["services"]] == whole["services"]
        with pytest.raises(HallError) as error:
            kiosk.call("catalog", after="x1")
        assert error.value.code == "bad_request"


def test_an_unknown_snapshot_page_is_page_expired(clocked_server):
    with clocked_server.client("display", "board") as board, pytest.raises(HallError) as error:
        board.call("snapshot", page="1-0000")
    assert error.value.code == "conflict" and error.value.reason == "page_expired"


def test_page_collector_starts_again_when_the_catalog_changes_between_pages():
    from shared.domain.errors import PagingError
    from shared.protocol.pages import PageCollector

    collector = PageCollector("catalog")
    assert collector.feed({"version": "a", "services": [1], "next": "1"}) == {"after": "1"}
    assert collector.feed({"version": "b", "services": [2], "next": "1"}) == {}  # from the start
    assert collector.feed({"version": "b", "services": [1], "next": "1"}) == {"after": "1"}
    assert collector.feed({"version": "b", "services": [2], "next": None}) is None
    assert collector.whole is not None and collector.whole["services"] == [1, 2]
    changing = PageCollector("catalog")
    with pytest.raises(PagingError):
        for n in range(10):
            changing.feed({"version": str(n), "services": [], "next": "1"})


def test_boards_resyncing_together_share_one_paged_snapshot(tmp_path):
    """A county hall's boards and counters all resync at once (a day reset, a restart): each
    gets every page, and the server keeps one paged copy, not one per client."""
    from shared.config.hall import CounterConfig
    from shared.domain.clock import SystemClock
    from shared.protocol.ops import Request
    from shared.server.service import Caller, HallService
    from shared.server.store import HallStore
    from tests.conftest import test_config

    services = tuple(s.code for s in test_config().catalog.services)
    counters = tuple(CounterConfig(n, f"{n}号窗口", services) for n in range(1, 61))
    service = HallService(
        HallStore(tmp_path / "h.db"), test_config(counters=counters), SystemClock()
    )
    boards = [Caller(role="display", client=f"board-{n}") for n in range(80)]
    _, firsts = service.run_batch([(b, Request(1, "snapshot", {})) for b in boards])
    tokens = [outcome.result["next"] for outcome in firsts]
    assert all(tokens) and len(set(tokens)) == 1  # one paged snapshot, shared
    got = {b.client: len(o.result["counters"]) for b, o in zip(boards, firsts, strict=True)}
    while any(tokens):
        batch = [
            (b, Request(1, "snapshot", {"page": t}))
            for b, t in zip(boards, tokens, strict=True)
            if t
        ]
        _, outcomes = service.run_batch(batch)
        assert all(o.error is None for o in outcomes), [o.error for o in outcomes if o.error]
        for (board, _), outcome in zip(batch, outcomes, strict=True):
            got[board.client] += len(outcome.result["counters"])
        tokens = [o.result["next"] for o in outcomes]
    assert set(got.values()) == {60}
    service.store.close()
