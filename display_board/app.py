"""The `display-board` command: the lobby TV that shows and speaks every call.

The one place the board's parts meet: the options, logging, the announcer, the model and
its BoardSync fed by a HallConnection, the Qt board drawing them, and the screen it fills.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from display_board.voice import VOICE_MODES
from shared.client.geometry import Geometry, add_geometry_option
from shared.client.hall_time import use_hall_time
from shared.client.options import add_hall_options, hall_and_server
from shared.config.hall import HallConfig, parse_counter_range
from shared.config.logs import setup_logging
from shared.qt.i18n import LANGUAGES, resolve_language

DEFAULT_WINDOW_SIZE = (1280, 720)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    host: str
    port: int
    key: str | None
    lang: str
    voice: str
    fullscreen: bool
    screen: int | None
    config: HallConfig
    geometry: Geometry | None = None
    counters: frozenset[int] | None = None  # the counters this board shows; None: every one
    list_screens: bool = False  # print the screens with their numbers and stop


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="display-board",
        description="The lobby display board: shows and announces every call of the hall.",
    )
    add_hall_options(parser, languages=LANGUAGES)
    parser.add_argument("--fullscreen", action="store_true", help="fill the screen, no frame")
    parser.add_argument(
        "--screen", metavar="N", help="the screen to use, counted from 0 (see --list-screens)"
    )
    parser.add_argument(
        "--list-screens", action="store_true", help="print the screens' numbers and sizes, and stop"
    )
    add_geometry_option(parser)
    parser.add_argument(
        "--voice",
        metavar="MODE",
        default="auto",
        help="announcements: auto (default), qt (system voice), clips (voice pack), off",
    )
    parser.add_argument(
        "--counters",
        metavar="RANGE",
        help="show and announce only these counters, e.g. 25-60 or 1-12,30 (a hall with "
        "several boards)",
    )
    parser.add_argument(
        "--board", metavar="NAME", help="the counters of the hall file's [[boards]] of this name"
    )
    return parser


def parse_options(argv: Sequence[str] | None = None, env: dict[str, str] | None = None) -> Options:
    """Read the command line; a bad value exits with a message naming it (argparse style)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    config, host, port = hall_and_server(parser, args, env)
    screen = None
    if args.screen is not None:
        try:
            screen = int(args.screen)
        except ValueError:
            parser.error(f"--screen: {args.screen!r} is not a screen number (0, 1, ...)")
        if screen < 0:
            parser.error(f"--screen: {screen} is not a screen number; screens count from 0")
    if args.voice not in VOICE_MODES:
        parser.error(f"--voice: {args.voice!r} is not a voice mode; use {', '.join(VOICE_MODES)}")
    try:
        lang = resolve_language(args.lang)
    except ValueError as exc:
        parser.error(f"--lang: {exc}")
    counters = None
    if args.counters is not None:
        try:
            counters = parse_counter_range(args.counters)
        except ValueError as exc:
            parser.error(f"--counters: {exc}")
    elif args.board is not None:
        named = {board.name: board for board in config.boards}
        if args.board not in named:
            known = ", ".join(named) or "none"
            parser.error(f"--board: the hall file has no [[boards]] named {args.board!r} ({known})")
        counters = named[args.board].counters
    return Options(
        host=host,
        port=port,
        key=config.key,
        lang=lang,
        voice=args.voice,
        fullscreen=args.fullscreen,
        screen=screen,
        config=config,
        geometry=args.geometry,
        counters=counters,
        list_screens=args.list_screens,
    )


def build_announcer(voice: str, lang: str, config: HallConfig):  # -> Announcer | None
    """The announcer for `--voice`; raises ValueError / VoicePackError / VoiceEngineError."""
    from display_board.voice.announcer import Announcer
    from display_board.voice.engines import make_engine

    if voice == "off":
        return None
    template = config.announcement_zh if lang == "zh_CN" else config.announcement_en
    engine = make_engine(voice, lang, template=template)
    return Announcer(
        engine,
        repeats=config.announce_times,
        recall_repeats=config.announce_times,
        max_merge=config.announce_merge,
    )


def build_board(
    host: str,
    port: int,
    *,
    key: str | None = None,
    config: HallConfig | None = None,
    announcer: Any = None,
    reconnect_min_s: float = 0.5,
    client_name: str = "display-board",
    lang: str = "zh_CN",
    counters: frozenset[int] | None = None,
) -> Any:  # DisplayBoard (imported late: Qt loads only once the arguments are good)
    """The board, its model kept in step with the hall by a connecting HallConnection (kept
    as `board.connection`)."""
    from display_board.model import BoardModel, BoardSync
    from display_board.views.board import DisplayBoard
    from shared.qt.client import HallConnection

    config = config or HallConfig()
    model = BoardModel()
    model.assigned = counters
    connection = HallConnection(
        host, port, "display", client_name, key=key, reconnect_min_s=reconnect_min_s
    )
    sync = BoardSync(model, connection, announcer=announcer, address=f"{host}:{port}")
    board = DisplayBoard(
        announcer=announcer,
        # The hall file names the hall until the server does; the demo sample name never shows.
        hall_name=config.hall_name if config.config_path else "",
        notice=config.board_notice,
        lang=lang,
        waiting_mode=config.board_waiting,
        busiest=config.board_busiest,
        sync=sync,
    )
    if announcer is not None:
        announcer.setParent(board)
    connection.setParent(board)
    board.connection = connection
    follow(sync, connection)
    connection.start()
    return board


def follow(sync: Any, connection: Any) -> None:
    """Feed the board's BoardSync from a HallConnection: its state, refusals, snapshots, events."""
    connection.stateChanged.connect(sync.set_connection_state)
    connection.handshakeFailed.connect(sync.refuse)
    connection.ready.connect(sync.on_ready)
    connection.event.connect(sync.handle_event)
    sync.set_connection_state(connection.state)


def _choose_screen(index: int | None):
    from PySide6.QtGui import QGuiApplication

    screens = QGuiApplication.screens()
    if index is None:
        return QGuiApplication.primaryScreen()
    if index >= len(screens):
        raise ValueError(f"--screen {index}: this computer has only {describe_screens()}")
    return screens[index]


def describe_screens() -> str:
    """The screens as --screen numbers them: "2 screens: 0 = HDMI-1 1920x1080, 1 = …"."""
    from PySide6.QtGui import QGuiApplication

    screens = QGuiApplication.screens()
    listed = ", ".join(
        f"{number} = {screen.name() or 'screen'} {screen.size().width()}x{screen.size().height()}"
        for number, screen in enumerate(screens)
    )
    count = f"{len(screens)} screen{'' if len(screens) == 1 else 's'}"
    return f"{count}: {listed}" if screens else "no screen"


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    log_dir = options.config.log_dir
    setup_logging(Path(log_dir) if log_dir else None, "display-board")
    from PySide6.QtWidgets import QApplication

    from shared.qt.automation import install as install_automation
    from shared.qt.i18n import install_translations
    from shared.qt.screens import place

    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_hall_time(options.config.timezone)
    app.setApplicationName("display-board")
    install_translations(app, options.lang)
    if options.list_screens:
        print(describe_screens())
        return 0
    try:
        screen = _choose_screen(options.screen)
    except ValueError as exc:
        print(f"display-board: {exc}", file=sys.stderr)
        return 2
    try:
        announcer = build_announcer(options.voice, options.lang, options.config)
    except Exception as exc:  # every engine and voice pack problem, named for the operator
        if options.voice != "auto":
            print(f"display-board: --voice {options.voice}: {exc}", file=sys.stderr)
            return 2
        log.warning("no voice (the board shows calls without announcing them): %s", exc)
        announcer = None
    board = build_board(
        options.host,
        options.port,
        key=options.key,
        config=options.config,
        announcer=announcer,
        lang=options.lang,
        counters=options.counters,
    )
    board.setWindowTitle(options.config.hall_name)
    place(
        board,
        fullscreen=options.fullscreen,
        geometry=options.geometry,
        size=DEFAULT_WINDOW_SIZE,
        screen=screen,
        hide_cursor=options.fullscreen,  # a lobby TV: no pointer
    )
    automation = install_automation(automation_commands(board), board)  # noqa: F841 - kept alive
    return app.exec()


def automation_commands(board: Any) -> dict[str, Any]:
    """What an end-to-end test may ask this board (see shared.qt.automation)."""

    def state() -> dict[str, Any]:
        latest = board.model.latest
        return {
            "online": board.connection.online,
            "latest": None
            if latest is None
            else {"number": latest.number, "counter": latest.counter, "recall": latest.recall},
            "recent": [call.number for call in board.model.recent],
        }

    def voice() -> dict[str, Any]:
        """What the announcer said (start times are time.monotonic()) and what waits."""
        announcer = board.announcer
        if announcer is None:
            return {"history": [], "waiting": [], "speaking": []}
        return {
            "history": announcer.history(),
            "speaking": [call.number for call in announcer.speaking()],
            "waiting": [call.number for call in announcer.waiting()],
            "dropped_repeats": announcer.dropped_repeats,
        }

    return {"state": state, "voice": voice}


if __name__ == "__main__":
    raise SystemExit(main())
