"""The counter window in a hall with a key: a missing or wrong key is named in the banner."""

from __future__ import annotations

from dataclasses import replace

import pytest

from counter_client.app import build_window


@pytest.fixture
def hall_config(hall_config):
    return replace(hall_config, key="hall-secret")


@pytest.mark.parametrize(
    ("key", "problem"), [(None, "QUEUE_HALL_KEY"), ("wrong-secret", "hall key is wrong or missing")]
)
def test_a_missing_or_wrong_hall_key_is_named_in_the_banner(qtbot, hall_server, key, problem):
    window = build_window(hall_server.host, hall_server.port, 1, key=key, reconnect_min_s=0.05)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: problem in window.banner_text.text())
    # The real ways to give the key: no program has a --key option.
    assert "--config HALL.toml" in window.banner_text.text()
    assert "--key" not in window.banner_text.text()
    assert not window.banner.isHidden()
    assert window.model.connection != "online"
    window.close()


def test_the_right_hall_key_connects(qtbot, hall_server):
    window = build_window(hall_server.host, hall_server.port, 1, key="hall-secret")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.connection == "online")
    assert window.banner.isHidden()
    window.close()
