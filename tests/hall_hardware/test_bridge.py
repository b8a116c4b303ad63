"""The bridge against a real hall server, every device simulated on a pty pair."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import pytest

from hall_hardware.bridge import Bridge
from hall_hardware.config import load_hardware
from hall_hardware.drivers import Key, keypad_driver
from hall_hardware.sim import BridgeThread, FakeKeypad, FakeScreen, SimBus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pty pairs are POSIX only")

HALL = """
[hardware]
refresh_s = {refresh}

[[hardware.buses]]
name = "keys"
port = "{keys}"

[[hardware.buses]]
name = "leds"
port = "{leds}"

[[hardware.buses]]
name = "digits"
port = "{digits}"

[[hardware.keypads]]
bus = "keys"
address = 1
counter = 1

[[hardware.keypads]]
bus = "keys"
address = 2
counter = 2

[[hardware.screens]]
bus = "leds"
address = 101
driver = "led_text"
counter = 1

[[hardware.screens]]
bus = "keys"
address = 102
driver = "led_text"
counter = 2

[[hardware.screens]]
bus = "leds"
address = 200
driver = "led_strip"

[[hardware.screens]]
bus = "digits"
address = 31
driver = "led_numeric"
counter = 1
"""


class Rig:
    def __init__(self, tmp_path: Path, server, refresh: int = 60) -> None:
        self.server = server
        self.buses = {
            name: SimBus(tmp_path / f"tty{name}").start() for name in ("keys", "leds", "digits")
        }
        hall_file = tmp_path / "hall.toml"
        hall_file.write_text(
            HALL.format(refresh=refresh, **{n: b.path for n, b in self.buses.items()}),
            encoding="utf-8",
        )
        self.hall, self.hw = load_hardware(hall_file)
        keys, leds, digits = self.buses["keys"], self.buses["leds"], self.buses["digits"]
        self.k1, self.k2 = FakeKeypad(keys, 1), FakeKeypad(keys, 2)
        self.s1 = FakeScreen(leds, 101, "led_text")
        self.s2 = FakeScreen(keys, 102, "led_text")
        self.strip = FakeScreen(leds, 200, "led_strip")
        self.n1 = FakeScreen(digits, 31, "led_numeric")
        self.bridge_thread: BridgeThread | None = None

    def start_bridge(self, key: str | None = None) -> Bridge:
        self.bridge_thread = BridgeThread(
            lambda: Bridge(self.hall, self.hw, "127.0.0.1", self.server.port, key)
        ).start()
        return self.bridge_thread.bridge  # type: ignore[return-value]

    def stop_bridge(self) -> None:
        if self.bridge_thread is not None:
            self.bridge_thread.stop()
            self.bridge_thread = None

    def close(self) -> None:
        self.stop_bridge()
        for bus in self.buses.values():
            bus.stop()

    def issue(self, n: int = 1) -> None:
        with self.server.client("kiosk", "kiosk-1") as kiosk:
            for _ in range(n):
                ticket = kiosk.call("issue", service="pension_enrol", req=f"r{time.monotonic_ns()}")
                kiosk.call("printed", ticket=ticket["ticket"]["id"])

    def login(self, keypad: FakeKeypad, clerk: str = "1001", pin: str = "1234") -> None:
        keypad.wait_for("请输入工号")
        keypad.type(f"{clerk} enter {pin} enter")
        keypad.wait_for(lambda line: line.startswith("空闲"))


@pytest.fixture
def rig(tmp_path, hall_server):
    rig = Rig(tmp_path, hall_server)
    yield rig
    rig.close()


def counter(server, number: int) -> dict:
    with server.client("display", "probe") as probe:
        snap = probe.call("snapshot")
    return next(c for c in snap["counters"] if c["number"] == number)


def test_login_with_clerk_id_and_pin_typed_on_the_keypad(rig):
    rig.start_bridge()
    k1 = rig.k1
    k1.wait_for("请输入工号")
    k1.type("1001")
    k1.wait_for("工号:1001")
    k1.press(Key.ENTER)
    k1.type("12")
    k1.wait_for("密码:**")
    k1.type("34 enter")
    k1.wait_for("空闲 等候0人")
    assert counter(rig.server, 1)["clerk"]["id"] == "1001"


def test_wrong_pin_shows_short_chinese_error_and_clear_starts_again(rig):
    rig.start_bridge()
    k1 = rig.k1
    k1.wait_for("请输入工号")
    k1.type("1001 enter 9999 enter")
    k1.wait_for("密码错误")
    k1.type("77 clear")
    k1.wait_for("请输入工号")
    k1.press(Key.CALL)  # nothing but login works before login
    k1.wait_for("请先登录")
    assert counter(rig.server, 1)["state"] == "closed"
    for _ in range(4):  # five wrong PINs in all lock the clerk out
        mark = k1.mark()
        k1.type("1001 enter 9999 enter")
        k1.wait_for(lambda line: line in ("密码错误", "工号已锁定"), since=mark)
    mark = k1.mark()
    k1.type("1001 enter 1234 enter")  # even the right PIN now
    k1.wait_for("工号已锁定", since=mark)


def test_every_keypad_flow_and_the_screens_follow(rig):
    rig.issue(3)
    rig.start_bridge()
    k1, s1, n1, strip = rig.k1, rig.s1, rig.n1, rig.strip
    rig.login(k1)
    k1.wait_for("空闲 等候3人")
    k1.press(Key.CALL)  # 叫号
    k1.wait_for("A001 已呼叫 等候2人")
    s1.wait_for("A001")
    n1.wait_for("001")
    strip.wait_for(lambda text: "请A001号到1号窗口办理" in text)
    calls = counter(rig.server, 1)["ticket"]["calls"]
    k1.press(Key.RECALL)  # 重呼
    deadline = time.monotonic() + 5
    while counter(rig.server, 1)["ticket"]["calls"] != calls + 1:
        assert time.monotonic() < deadline, "recall never reached the server"
        time.sleep(0.05)
    k1.press(Key.NO_SHOW)  # 过号
    k1.wait_for("空闲 等候2人")
    s1.wait_for("")
    n1.wait_for("")
    k1.press(Key.CALL)
    k1.wait_for("A002 已呼叫 等候1人")
    k1.press(Key.START)  # 开始
    k1.wait_for("A002 办理中 等候1人")
    k1.press(Key.FINISH)  # 办结
    k1.wait_for("空闲 等候1人")
    k1.press(Key.RATE)  # 评价: the resident presses 1-4
    k1.wait_for("评价:按1-4")
    k1.press("1")
    k1.wait_for("谢谢评价")
    k1.press(Key.RATE)
    k1.wait_for("无可评价")  # rated once: nothing left to rate
    k1.press(Key.PAUSE)  # 暂停
    s1.wait_for("暂停服务")
    k1.wait_for("暂停 等候1人")
    k1.press(Key.CALL)
    k1.wait_for("暂停中")
    k1.press(Key.RESUME)  # 恢复
    k1.wait_for(lambda line: line.startswith("空闲"))
    s1.wait_for("")
    with rig.server.client("admin", "probe") as admin:
        stats = admin.call("server_stats")
    assert stats["connections"].get("counter", 0) >= 2
    k1.press(Key.CALL)
    k1.wait_for("A003 已呼叫 等候0人")
    k1.press(Key.FINISH)
    k1.wait_for("空闲 等候0人")
    k1.press(Key.CALL)
    k1.wait_for("无人等候")
    k1.press(Key.LOGOUT)
    k1.wait_for("请输入工号")
    assert counter(rig.server, 1)["state"] == "closed"
    s1.wait_for("")
    text = strip.wait_for(lambda text: text.startswith("请A003号到1号窗口办理"))
    assert "A002" in text and "A001" in text


def test_a_key_the_server_refuses_gets_a_short_reason(rig):
    rig.start_bridge()
    rig.login(rig.k1)
    rig.k1.press(Key.RECALL)  # nothing called yet
    rig.k1.wait_for("无呼叫号")
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("无人等候")


def test_two_keypads_pressing_at_once_each_call_their_own_ticket(rig):
    import threading

    rig.issue(2)
    rig.start_bridge()
    rig.login(rig.k1, "1001", "1234")
    rig.login(rig.k2, "1002", "2345")
    threads = [threading.Thread(target=k.press, args=(Key.CALL,)) for k in (rig.k1, rig.k2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    shown = {
        rig.k1.wait_for(lambda line: "已呼叫" in line).split()[0],
        rig.k2.wait_for(lambda line: "已呼叫" in line).split()[0],
    }
    assert shown == {"A001", "A002"}
    rig.s2.wait_for(lambda text: text in shown)


def test_a_collision_on_the_bus_loses_both_frames_and_the_resends_act_once_each(rig):
    rig.issue(2)
    bridge = rig.start_bridge()
    rig.login(rig.k1, "1001", "1234")
    rig.login(rig.k2, "1002", "2345")
    driver = keypad_driver("ff68")
    one, two = driver.encode_key(1, Key.CALL, 50), driver.encode_key(2, Key.CALL, 60)
    garbled = bytes(b for pair in zip(one, two, strict=False) for b in pair)  # both at once
    acted = bridge.keys_acted
    rig.buses["keys"].send(garbled)
    time.sleep(0.3)  # no acknowledgement came: each keypad sends its press again
    assert bridge.keys_acted == acted
    rig.buses["keys"].send(one)
    rig.buses["keys"].send(two)
    rig.k1.wait_for(lambda line: "已呼叫" in line)
    rig.k2.wait_for(lambda line: "已呼叫" in line)
    assert bridge.keys_acted == acted + 2
    assert rig.k1.acks.count(50) == 1 and rig.k2.acks.count(60) == 1


def test_noise_on_the_bus_is_logged_once_and_keys_still_work(rig, caplog):
    rig.issue(1)
    bridge = rig.start_bridge()
    rig.login(rig.k1)
    driver = keypad_driver("ff68")
    good = driver.encode_key(1, Key.CALL, 200)
    bad_sum = bytearray(driver.encode_key(1, Key.CALL, 201))
    bad_sum[-2] ^= 0xFF
    caplog.set_level(logging.WARNING)
    noise = [
        b"\x00\x13\x37garbage\xff",  # garbage
        bytes(bad_sum),  # a bad checksum
        bytes(bad_sum),  # the same again: logged once
        b"\xff\x68\x05\x06\x68",  # length bytes that differ
        driver.encode_key(77, Key.CALL, 1),  # an address nobody configured
        good[:5],  # a frame cut short ...
    ]
    for chunk in noise:
        rig.buses["keys"].send(chunk)
    time.sleep(0.4)  # ... and never finished: dropped after the frame gap
    assert rig.k1.press(Key.CALL)
    rig.k1.wait_for("A001 已呼叫 等候0人")
    messages = [r.getMessage() for r in caplog.records]
    for needed in ("stray bytes", "bad checksum", "bad header", "address 77", "partial frame"):
        assert any(needed in m for m in messages), f"nothing logged about {needed}: {messages}"
    assert sum("bad checksum" in m for m in messages) == 1, messages
    assert counter(rig.server, 1)["ticket"]["number"] == "A001"
    assert bridge.keys_acted >= 9


def test_a_resent_key_press_is_acknowledged_but_not_acted_on_twice(rig):
    rig.issue(3)
    bridge = rig.start_bridge()
    rig.login(rig.k1)
    driver = keypad_driver("ff68")
    frame = driver.encode_key(1, Key.CALL, 99)
    rig.buses["keys"].send(frame)
    rig.buses["keys"].send(frame)  # the keypad missed the ack and sends the press again
    rig.k1.wait_for("A001 已呼叫 等候2人")
    time.sleep(0.3)
    assert rig.k1.acks.count(99) == 2
    assert bridge.keys_repeated == 1
    assert counter(rig.server, 1)["ticket"]["number"] == "A001"
    with rig.server.client("display", "probe") as probe:
        assert sum(probe.call("snapshot")["waiting"].values()) == 2


def test_unplugged_adapter_is_reopened_and_everything_redrawn(rig, caplog):
    rig.issue(2)
    rig.start_bridge()
    rig.login(rig.k1)
    rig.k1.press(Key.CALL)
    rig.s1.wait_for("A001")
    caplog.set_level(logging.WARNING)
    rig.buses["leds"].unplug()
    rig.buses["keys"].unplug()
    time.sleep(1.0)
    with rig.server.counter(2, "1002", "2345") as c2:  # the hall goes on meanwhile
        c2.call("call_next", req="c2-1")
    rig.buses["leds"].plug()
    rig.buses["keys"].plug()
    rig.s1.power_cycle()
    rig.s1.wait_for("A001", timeout=15)  # redrawn as soon as the port is back
    rig.strip.wait_for(lambda text: text.startswith("请A002号到2号窗口办理"))
    rig.k1.wait_for("A001 已呼叫 等候0人")
    rig.k1.press(Key.FINISH)
    rig.k1.wait_for("空闲 等候0人")
    messages = [r.getMessage() for r in caplog.records]
    assert any("port lost" in m and "ttyleds" in m for m in messages), messages
    assert sum("ttyleds" in m and "cannot open" in m for m in messages) <= 1, messages


def test_a_screen_that_lost_power_is_redrawn_by_the_periodic_refresh(tmp_path, hall_server):
    rig = Rig(tmp_path, hall_server, refresh=1)
    try:
        rig.issue(1)
        rig.start_bridge()
        rig.login(rig.k1)
        rig.k1.press(Key.CALL)
        rig.n1.wait_for("001")
        rig.n1.power_cycle()
        rig.s1.power_cycle()
        rig.n1.wait_for("001", timeout=3)
        rig.s1.wait_for("A001", timeout=3)
    finally:
        rig.close()


def test_server_restart_keeps_the_clerk_logged_in_and_screens_current(rig):
    rig.issue(2)
    rig.start_bridge()
    rig.login(rig.k1)
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("A001 已呼叫 等候1人")
    rig.server.stop()
    rig.k1.wait_for("服务器断开")
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("服务器断开")
    rig.server.start()
    rig.k1.wait_for("A001 已呼叫 等候1人", timeout=20)
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("A002 已呼叫 等候0人")
    rig.s1.wait_for("A002")
    assert counter(rig.server, 1)["clerk"]["id"] == "1001"


def test_bridge_restart_redraws_every_screen(rig):
    rig.issue(1)
    rig.start_bridge()
    rig.login(rig.k1)
    rig.k1.press(Key.CALL)
    rig.s1.wait_for("A001")
    rig.stop_bridge()
    for screen in (rig.s1, rig.n1, rig.strip):
        screen.power_cycle()
    rig.start_bridge()
    rig.s1.wait_for("A001")
    rig.n1.wait_for("001")
    rig.strip.wait_for(lambda text: "A001" in text)
    # the clerk's login lived in the bridge: the keypad asks for it again, the ticket stays
    rig.k1.wait_for("请输入工号")
    rig.k1.type("1001 enter 1234 enter")
    rig.k1.wait_for("A001 已呼叫 等候0人")


@pytest.mark.parametrize("hall_call_gap", [3])
def test_the_halls_call_gap_holds_the_call_key(rig):
    rig.issue(2)
    rig.start_bridge()
    rig.login(rig.k1)
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("A001 已呼叫 等候1人")
    mark = rig.k1.mark()
    rig.k1.press(Key.CALL)  # within the gap: not called
    rig.k1.wait_for(lambda line: line.startswith("请稍候"), since=mark)
    assert counter(rig.server, 1)["ticket"]["number"] == "A001"
    time.sleep(3.2)
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("A002 已呼叫 等候0人")


@pytest.mark.parametrize("hall_key", ["hall-secret"])
def test_a_hall_with_a_key_needs_it_from_the_bridge(rig, caplog):
    rig.issue(1)
    rig.start_bridge(key="wrong-key")
    rig.k1.wait_for("连接被拒")
    assert any("refused" in r.getMessage() for r in caplog.records)
    rig.stop_bridge()
    rig.start_bridge(key="hall-secret")
    rig.login(rig.k1)
    rig.k1.press(Key.CALL)
    rig.s1.wait_for("A001")


def test_the_clerk_calling_on_while_the_rating_prompt_shows_is_not_held_up(rig):
    rig.issue(2)
    rig.start_bridge()
    rig.login(rig.k1)
    rig.k1.press(Key.CALL)
    rig.k1.wait_for("A001 已呼叫 等候1人")
    rig.k1.press(Key.FINISH)
    rig.k1.wait_for("空闲 等候1人")
    rig.k1.press(Key.RATE)
    rig.k1.wait_for("评价:按1-4")
    rig.k1.press(Key.CALL)  # the resident left without rating
    rig.k1.wait_for("A002 已呼叫 等候0人")
    mark = rig.k1.mark()
    rig.k1.press(Key.CALL)  # finishes A002; nobody is left
    rig.k1.wait_for("无人等候", since=mark)
    rig.k1.wait_for("空闲 等候0人")


def test_a_new_business_day_asks_the_clerk_to_log_in_again_and_blanks_the_screens(
    tmp_path, clocked_server, hall_clock
):
    rig = Rig(tmp_path, clocked_server)
    try:
        rig.issue(1)
        rig.start_bridge()
        rig.login(rig.k1)
        rig.k1.press(Key.CALL)
        rig.s1.wait_for("A001")
        mark = rig.k1.mark()
        hall_clock.advance(days=1)  # the server resets the day within a second
        rig.k1.wait_for("请重新登录", since=mark)
        rig.k1.wait_for("请输入工号")
        rig.s1.wait_for("")  # the counter was closed and its ticket expired
        rig.login(rig.k1)
        rig.k1.wait_for("空闲 等候0人")
    finally:
        rig.close()


def test_a_snapshot_in_pages_is_read_whole(rig, monkeypatch):
    import shared.domain.limits

    monkeypatch.setattr(shared.domain.limits, "PAGE_BUDGET", 2_000)  # 24 counters: several pages
    with rig.server.counter(24, "1002", "2345") as c24:
        rig.issue(2)
        c24.call("call_next", req="c24-1")
        bridge = rig.start_bridge()
        rig.login(rig.k1)
        assert bridge.display_link is not None and bridge.hub is not None
        assert bridge.display_link.session.pages.pages > 1
        assert sorted(bridge.hub.counters) == list(range(1, 25))
        assert bridge.hub.counters[24]["ticket"]["number"] == "A001"
        rig.k1.press(Key.CALL)
        rig.s1.wait_for("A002")
