"""The `counter-client` command: the clerk's window at one counter of the hall.

The one place where the counter's pieces meet: the options, the log, the hall connection,
the model (counter_client.model), the window (counter_client.views.window) and, with
`--rating-window`, the resident's rating window on its own screen. Qt loads only once the
options are good, so a wrong option answers at once, without a display.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_client.model import CounterModel, ShortcutError, parse_shortcuts
from shared.client.geometry import Geometry, add_geometry_option
from shared.client.hall_time import use_hall_time
from shared.client.options import add_hall_options, hall_and_server
from shared.config.logs import setup_logging
from shared.qt.i18n import LANGUAGES, resolve_language

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from counter_client.views.window import CounterWindow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    host: str
    port: int
    counter: int
    key: str | None
    lang: str
    shortcuts: dict[str, str]
    on_top: bool
    clerk: str | None
    pin: str | None
    rating_window: bool = False
    rating_screen: int | None = None
    geometry: Geometry | None = None
    timezone: str | None = None  # the hall's, for the clocks
    log_dir: str | None = None  # the hall's log folder (hall file), else the log goes to stderr


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-client",
        description="The clerk's window at one counter of the service hall.",
    )
    add_hall_options(parser, languages=LANGUAGES)
    parser.add_argument("--counter", metavar="N", help="this counter's number (required)")
    parser.add_argument("--clerk", metavar="ID", help="log this clerk in at start (with --pin)")
    parser.add_argument("--pin", metavar="PIN", help="the clerk's PIN for --clerk")
    parser.add_argument("--on-top", action="store_true", help="keep the window above others")
    add_geometry_option(parser)
    parser.add_argument(
        "--keys",
        metavar="ACTION=KEY,...",
        help="shortcuts other than F1..F9, e.g. 'call_next=F12,finish=Ctrl+F'",
    )
    parser.add_argument(
        "--rating-window",
        action="store_true",
        help="after each finished ticket, open the resident's rating window (评价器)",
    )
    parser.add_argument(
        "--rating-screen",
        metavar="N",
        help="the screen for the rating window, 0 = first (default: the last of several screens)",
    )
    return parser


def parse_options(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> Options:
    """Read the command line; a bad value exits with a message naming it (argparse style)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    config, host, port = hall_and_server(parser, args, env)
    if args.counter is None:
        parser.error("--counter N is required: the number of this counter (window)")
    try:
        counter = int(args.counter)
    except ValueError:
        parser.error(f"--counter: {args.counter!r} is not a counter number")
    if not 1 <= counter <= 999:
        parser.error(f"--counter: {counter} is out of range 1-999")
    if (args.clerk is None) != (args.pin is None):
        parser.error("--clerk and --pin go together: give both or neither")
    try:
        lang = resolve_language(args.lang)
    except ValueError as exc:
        parser.error(f"--lang: {exc}")
    try:
        shortcuts = parse_shortcuts(args.keys)
    except ShortcutError as exc:
        parser.error(f"--keys: {exc}")
    rating_screen = None
    if args.rating_screen is not None:
        if not args.rating_window:
            parser.error("--rating-screen needs --rating-window")
        try:
            rating_screen = int(args.rating_screen)
        except ValueError:
            parser.error(f"--rating-screen: {args.rating_screen!r} is not a screen number")
        if rating_screen < 0:
            parser.error(f"--rating-screen: {rating_screen} is not a screen number (0 = first)")
    return Options(
        host=host,
        port=port,
        counter=counter,
        key=config.key,
        lang=lang,
        shortcuts=shortcuts,
        on_top=args.on_top,
        clerk=args.clerk,
        pin=args.pin,
        rating_window=args.rating_window,
        rating_screen=rating_screen,
        geometry=args.geometry,
        timezone=config.timezone,
        log_dir=config.log_dir,
    )


def build_window(
    host: str,
    port: int,
    counter: int,
    *,
    key: str | None = None,
    lang: str = "zh_CN",
    shortcuts: dict[str, str] | None = None,
    on_top: bool = False,
    clerk: str | None = None,
    pin: str | None = None,
    reconnect_min_s: float = 0.5,
    rating_window: bool = False,
    rating_screen: int | None = None,
    rating_timeout_s: float | None = None,
) -> CounterWindow:
    """The window with its model and hall connection wired together and connecting."""
    from PySide6.QtCore import QTimer

    from counter_client.views.window import CounterWindow
    from shared.qt.client import HallConnection

    connection = HallConnection(
        host, port, "counter", f"counter-{counter}", key=key, counter=counter,
        reconnect_min_s=reconnect_min_s,
    )  # fmt: skip
    holder: list[CounterWindow] = []

    def schedule(delay_s: float, fn: Callable[[], None]) -> None:
        QTimer.singleShot(int(delay_s * 1000), holder[0], fn)

    model = CounterModel(counter, connection, lang=lang, shortcuts=shortcuts, schedule=schedule)
    window = CounterWindow(model, on_top=on_top, server=(host, port))
    holder.append(window)
    connection.setParent(window)
    connection.stateChanged.connect(model.on_state)

    def ready(snapshot: dict[str, Any]) -> None:
        model.on_hello(connection.hello)
        model.on_ready(snapshot)

    connection.ready.connect(ready)
    connection.event.connect(model.on_event)
    connection.loginFailed.connect(model.on_login_failed)
    connection.handshakeFailed.connect(model.on_handshake_failed)
    if clerk is not None and pin is not None:
        model.set_auto_login(clerk, pin)
    if rating_window:
        from counter_client.views.rating import DEFAULT_TIMEOUT_S, RatingPanel

        timeout_s = DEFAULT_TIMEOUT_S if rating_timeout_s is None else rating_timeout_s
        window.rating_panel = RatingPanel(
            model, window, lambda rating: place_on_screen(rating, rating_screen), timeout_s
        )

    def closing() -> None:
        if window.rating_panel is not None:
            window.rating_panel.close()
        leaving = model.leaves_on_close() and connection.online
        if leaving:
            connection.logout()
        connection.stop(flush_ms=1000 if leaving else 0)

    window.closing.connect(closing)
    connection.start()
    return window


def place_on_screen(window: QWidget, screen: int | None) -> str:
    """Fill screen `screen` (0 = the first) with the window; a normal window when it is absent.

    Without a choice, a PC with several screens uses the last: a counter PC's second screen
    is the resident's one. Returns how it was placed: "fullscreen" or "window".
    """
    from PySide6.QtGui import QGuiApplication

    from shared.qt.screens import show_fullscreen

    screens = QGuiApplication.screens()
    if screen is None and len(screens) > 1:
        screen = len(screens) - 1
    if screen is None or not 0 <= screen < len(screens):
        if screen is not None:
            log.warning(
                "rating screen %d not found (%d screens): a normal window", screen, len(screens)
            )
        window.show()
        return "window"
    show_fullscreen(window, screens[screen])
    return "fullscreen"


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    log_dir = Path(options.log_dir) if options.log_dir else None
    setup_logging(log_dir, f"counter-client-{options.counter}")
    from PySide6.QtWidgets import QApplication

    from shared.qt.automation import install as install_automation
    from shared.qt.i18n import install_translations
    from shared.qt.screens import place

    use_hall_time(options.timezone)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("counter-client")
    install_translations(app, options.lang)
    window = build_window(
        options.host,
        options.port,
        options.counter,
        key=options.key,
        lang=options.lang,
        shortcuts=options.shortcuts,
        on_top=options.on_top,
        clerk=options.clerk,
        pin=options.pin,
        rating_window=options.rating_window,
        rating_screen=options.rating_screen,
    )
    place(window, geometry=options.geometry)
    automation = install_automation(automation_commands(window.model), window)  # noqa: F841 - kept alive
    return app.exec()


def automation_commands(model: CounterModel) -> dict[str, Any]:
    """What an end-to-end test may do with this window (see shared.qt.automation)."""

    def state() -> dict[str, Any]:
        return {
            "logged_in": model.logged_in,
            "counter_state": model.counter_state,
            "ticket": model.ticket,
        }

    def key(name: str) -> bool:
        """Press a shortcut key, as the clerk's keypad would."""
        action = next((a for a, k in model.shortcuts.items() if k == name), None)
        if action is None:
            raise ValueError(f"no action has the key {name}")
        return bool(model.trigger(action))

    return {"state": state, "key": key}


if __name__ == "__main__":
    raise SystemExit(main())
