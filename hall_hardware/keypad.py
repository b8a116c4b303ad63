"""One call keypad: its key flows, its counter connection, and what its display shows.

The counter's rules are the counter client's: a `CounterModel` (counter_client.model)
driven through a `HallLink` decides which ops are allowed (`shared.domain.lifecycle.counter_ops`),
refuses a second press while a request is in flight, keeps the waiting count, and turns
replies into notices; this class only maps keys to its actions and its state to one line
of text.

Login: digits of the clerk id, 确认, digits of the PIN, 确认 (清除 starts again).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from counter_client.model import ONLINE, CounterModel, Notice
from hall_hardware import texts
from hall_hardware.config import KeypadConfig
from hall_hardware.drivers import Key, KeypadDriver
from hall_hardware.link import HallLink
from shared.client.connection import Reply
from shared.protocol.ops import RATING_LEVELS

NOTICE_S = 3.0  # how long an error or confirmation stays on the display
MAX_TYPED = 32

# Keys that act on the counter, and the CounterModel action that decides whether they may.
ACTION_KEYS: dict[Key, str] = {
    Key.CALL: "call_next",
    Key.RECALL: "recall",
    Key.NO_SHOW: "no_show",
    Key.START: "start",
    Key.FINISH: "finish",
    Key.PAUSE: "pause_resume",
    Key.RESUME: "pause_resume",
    Key.LOGOUT: "logout",
}


def notice_text(notice: Notice) -> str:
    """The keypad's words for a counter-model notice (unknown refusals get a generic one)."""
    code = str(notice.args.get("code") or "")
    if notice.key in ("nobody_waiting", "finished_nobody_waiting"):
        return texts.NOBODY_WAITING
    if notice.key == "login_failed":
        reason = str(notice.args.get("reason") or "")
        if reason:
            return texts.LOGIN_REASONS.get(reason, texts.LOGIN_FAILED)
        return (
            texts.ERROR_CODES["not_authenticated"]
            if code == "not_authenticated"
            else texts.LOGIN_FAILED
        )
    if notice.key == "login_lost":
        return texts.LOGIN_LOST
    if notice.key == "handshake_failed":
        return texts.REFUSED
    if notice.key == "disconnected":
        return texts.SERVER_DOWN
    if notice.level == "error":
        reason = str(notice.args.get("reason") or "")
        if reason:
            return texts.REASONS.get(reason, texts.GENERIC_ERROR)
        return texts.ERROR_CODES.get(code, texts.GENERIC_ERROR)
    return ""


class _KeypadTransport:
    """The link as the counter model's transport. A keypad shows only the waiting count, so
    its `queue` asks for no tickets (`limit` 0): 24 keypads then read a few bytes per event
    instead of up to 200 tickets each."""

    def __init__(self, link: HallLink) -> None:
        self.link = link

    def request(self, op: str, params: dict[str, Any] | None = None, callback: Any = None) -> int:
        if op == "queue":
            params = {**(params or {}), "limit": 0}
        return self.link.request(op, params, callback)

    def login(self, clerk: str, pin: str, callback: Any = None) -> None:
        self.link.login(clerk, pin, callback)

    def logout(self, callback: Any = None) -> None:
        self.link.logout(callback)


class KeypadSession:
    """A keypad at one counter. `write(bytes)` sends to its bus (thread-safe, non-blocking)."""

    def __init__(
        self,
        config: KeypadConfig,
        driver: KeypadDriver,
        write: Callable[[bytes], None],
        host: str,
        port: int,
        key: str | None,
    ) -> None:
        self.config = config
        self.driver = driver
        self._write = write
        loop = asyncio.get_running_loop()

        def schedule(delay: float, fn: Callable[[], None]) -> None:
            loop.call_later(delay, fn)

        self.link = HallLink(
            host, port, "counter", f"keypad-{config.counter}", self, key=key, counter=config.counter
        )
        self.model = CounterModel(
            config.counter,
            _KeypadTransport(self.link),
            schedule=schedule,
        )
        self.model.on_finished = self._on_finished
        self.model.subscribe(self.render)
        self._phase = "id"  # login entry: "id", then "pin"
        self._typed_id = ""
        self._typed_pin = ""
        self._rating = False
        self._last_finished: dict[str, Any] | None = None
        self._flash: tuple[str, float] | None = None  # our own short message and its end
        self._seen_notice: Notice | None = None
        self._flash_timer: asyncio.TimerHandle | None = None
        self.shown = ""  # the line last sent to the display

    # -- the link's hooks go to the model, then the display is redrawn -------------------------

    def on_state(self, state: str) -> None:
        self.model.on_state(state)

    def on_hello(self, hello: dict[str, Any]) -> None:
        self.model.on_hello(hello)

    def on_ready(self, snapshot: dict[str, Any]) -> None:
        self.model.on_ready(snapshot)

    def on_event(self, name: str, seq: int, data: dict[str, Any]) -> None:
        self.model.on_event(name, seq, data)

    def on_login_failed(self, code: str, message: str) -> None:
        self._phase, self._typed_id, self._typed_pin = "id", "", ""
        self.model.on_login_failed(code, message)

    def on_handshake_failed(self, code: str, message: str) -> None:
        self.model.on_handshake_failed(code, message)

    def start(self) -> None:
        self.link.start()
        self.render(force=True)

    async def stop(self) -> None:
        await self.link.stop()

    # -- keys -----------------------------------------------------------------------------------

    def on_key(self, key: Key) -> None:
        model = self.model
        if model.connection != ONLINE:
            self.flash(texts.SERVER_DOWN)
            return
        if not model.logged_in:
            self._login_key(key)
            return
        if self._rating:
            if key not in ACTION_KEYS:
                self._rating_key(key)
                return
            self._rating = False  # the clerk goes on (叫号 …): the rating is not waited for
        if key is Key.RATE:
            if self._last_finished is None:
                self.flash(texts.NOTHING_TO_RATE)
            else:
                self._rating = True
                self.render()
            return
        action = ACTION_KEYS.get(key)
        if action is None:
            return  # digits, 确认 and 清除 mean nothing once logged in
        if model.busy:
            return  # the first press is still in flight: a second one must not act twice
        if (key is Key.PAUSE and model.paused) or (key is Key.RESUME and not model.paused):
            self.flash(texts.NOT_NOW["paused" if model.paused else "not_paused"])
            return
        # The counter model holds the call keys for the hall's call gap after a call.
        if action == "call_next" and model.call_lock_s() > 0:
            self.flash(texts.CALL_GAP.format(seconds=model.call_lock_s()))
            return
        if not model.enabled(action):
            self.flash(self._why_not(action))
            return
        self._flash = None
        if key is Key.PAUSE:
            model.pause()
        elif key is Key.RESUME:
            model.resume()
        elif key is Key.LOGOUT:
            model.logout()
        else:
            model.trigger(action)

    def _why_not(self, action: str) -> str:
        if self.model.paused and action == "call_next":
            return texts.NOT_NOW["paused"]
        if self.model.ticket is None:
            return texts.NOT_NOW["no_ticket"]
        if action in ("logout", "pause_resume"):
            return texts.NOT_NOW["holding"]
        return texts.ERROR_CODES["conflict"]

    def _login_key(self, key: Key) -> None:
        if self.model.logging_in:
            return
        digit = key.digit
        if key is Key.CLEAR:
            self._phase, self._typed_id, self._typed_pin = "id", "", ""
        elif digit is not None:
            if self._phase == "id" and len(self._typed_id) < MAX_TYPED:
                self._typed_id += digit
            elif self._phase == "pin" and len(self._typed_pin) < MAX_TYPED:
                self._typed_pin += digit
        elif key is Key.ENTER:
            if self._phase == "id":
                if self._typed_id:
                    self._phase = "pin"
            elif self._typed_pin:
                clerk, pin = self._typed_id, self._typed_pin
                self._phase, self._typed_id, self._typed_pin = "id", "", ""
                self._flash = None
                self.model.login(clerk, pin)
                return
        else:
            self.flash(texts.LOGIN_FIRST)
            return
        self._flash = None
        self.render()

    def _rating_key(self, key: Key) -> None:
        digit = key.digit
        if key is Key.CLEAR or key is Key.RATE:
            self._rating = False
            self.render()
            return
        if digit is None or not 1 <= int(digit) <= len(RATING_LEVELS):
            return
        ticket = self._last_finished
        self._rating = False
        self._last_finished = None
        if ticket is None:
            return
        level = RATING_LEVELS[int(digit) - 1]

        def rated(reply: Reply) -> None:
            if reply.ok:
                self.flash(texts.RATED)
            else:
                self.flash(texts.ERROR_CODES.get(reply.code, texts.GENERIC_ERROR))

        self.link.request("rate", {"ticket": ticket["id"], "level": level}, rated)

    def _on_finished(self, ticket: dict[str, Any]) -> None:
        self._last_finished = ticket

    # -- the display ----------------------------------------------------------------------------

    def flash(self, text: str) -> None:
        """Show `text` for a few seconds, then the counter's state again."""
        self._flash = (text, time.monotonic() + NOTICE_S)
        self._redraw_later()
        self.render()

    def _redraw_later(self) -> None:
        if self._flash_timer is not None:
            self._flash_timer.cancel()
        self._flash_timer = asyncio.get_running_loop().call_later(NOTICE_S + 0.05, self.render)

    def text(self) -> str:
        """The line the display should show now."""
        model = self.model
        now = time.monotonic()
        notice = model.notice
        if notice is not None and notice is not self._seen_notice:
            self._seen_notice = notice
            words = notice_text(notice)
            if words:
                self._flash = (words, now + NOTICE_S)
                self._redraw_later()
        if model.connection != ONLINE:
            if notice is not None and notice.key == "handshake_failed":
                return texts.REFUSED
            return texts.SERVER_DOWN if model.ever_online else texts.CONNECTING
        if self._flash is not None and now < self._flash[1]:
            return self._flash[0]
        self._flash = None
        if not model.logged_in:
            if model.logging_in:
                return texts.LOGGING_IN
            if self._phase == "pin":
                return texts.PIN_PROMPT.format(stars="*" * len(self._typed_pin))
            if self._typed_id:
                return texts.ID_PROMPT.format(typed=self._typed_id)
            return texts.ENTER_ID
        if self._rating:
            return texts.RATE_PROMPT
        ticket = model.ticket
        waiting = model.queue_total
        if ticket is not None:
            return texts.STATUS[ticket["state"]].format(number=ticket["number"], waiting=waiting)
        state = "paused" if model.paused else "open"
        return texts.STATUS[state].format(waiting=waiting)

    def render(self, force: bool = False) -> None:
        text = self.text()
        if force or text != self.shown:
            self.shown = text
            self._write(self.driver.encode_display(self.config.address, text))
