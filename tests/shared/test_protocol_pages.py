"""Replies that grow with the hall come in pages that each fit a frame (a real server)."""

from __future__ import annotations

import pytest

from shared import limits
from shared.codec import MAX_FRAME, encode
from shared.errors import HallError


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
    from shared.client import PageCollector, PagingError

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
