"""`queue-kiosk`: the touch-screen ticket kiosk, and `--test-print` for the printer alone.

This is the one place that puts a kiosk together: the command line becomes `Options`, and
`Kiosk` wires the hall connection, the printer, the Qt-free model and the window.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from queue_kiosk.model import JobResult, KioskModel, PriorityMode
from queue_kiosk.printing import (
    PrinterError,
    PrinterSpec,
    TicketPrinter,
    TicketSlip,
    open_printer,
    parse_printer_spec,
    render_preview_png,
    render_ticket,
    sample_slip,
    test_print,
)
from queue_kiosk.views import KioskWindow
from shared.client.geometry import Geometry, add_geometry_option
from shared.client.hall_time import use_hall_time
from shared.client.options import add_hall_options, read_hall
from shared.config.hall import HallConfig
from shared.config.logs import setup_logging
from shared.config.paths import data_dir
from shared.domain.errors import EXIT_USAGE, CommandError
from shared.domain.limits import MAX_CLIENT_NAME
from shared.qt.client import ONLINE, HallConnection
from shared.qt.i18n import LANGUAGES, resolve_language

log = logging.getLogger(__name__)

PRIORITY_CHOICES = ("pin", "long-press", "off")
DEFAULT_WINDOW_SIZE = (1280, 720)


@dataclass(frozen=True)
class Options:
    host: str
    port: int
    lang: str
    config: HallConfig
    printer: PrinterSpec
    priority: str  # how staff unlock priority tickets: pin, long-press or off
    name: str  # this kiosk's stable client name
    fullscreen: bool = False
    size: tuple[int, int] = DEFAULT_WINDOW_SIZE
    geometry: Geometry | None = None
    printer_status: bool = True  # ask the printer for its paper state
    test_print: bool = False  # print a sample ticket and stop


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="queue-kiosk", description="The touch-screen ticket kiosk of the service hall."
    )
    add_hall_options(parser, languages=LANGUAGES)
    parser.add_argument(
        "--no-printer-status",
        action="store_true",
        help="never ask the printer for its paper state (for a printer wired to receive only)",
    )
    parser.add_argument(
        "--printer",
        help="usb:VID:PID, serial:DEVICE[:BAUD], network:HOST[:PORT], file:PATH, cups:NAME, "
        "win32:NAME, preview or none (default: from --config, else preview)",
    )
    parser.add_argument(
        "--paper", type=int, choices=(80, 58), help="paper roll width in mm (default: 80)"
    )
    parser.add_argument("--fullscreen", action="store_true", help="fill the whole screen")
    add_geometry_option(parser)
    parser.add_argument(
        "--test-print",
        action="store_true",
        help="print a sample ticket on the printer and exit (non-zero with the error)",
    )
    parser.add_argument(
        "--priority",
        choices=PRIORITY_CHOICES,
        help="how staff unlock priority (绿色通道) tickets: a PIN (default when the hall "
        "file sets kiosk.priority_pin), a long press on the priority button, or off",
    )
    parser.add_argument(
        "--name", help="this kiosk's stable client name (default: kiosk-<host name>)"
    )
    parser.add_argument(
        "--size", help="window size as WIDTHxHEIGHT when not fullscreen, e.g. 1080x1920"
    )
    return parser


def window_size(text: str | None) -> tuple[int, int]:
    """--size WIDTHxHEIGHT; ValueError naming the flag when it is not one."""
    if not text:
        return DEFAULT_WINDOW_SIZE
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(f"--size {text!r} is not WIDTHxHEIGHT, e.g. 1920x1080")
    if not (320 <= int(width) <= 8192 and 320 <= int(height) <= 8192):
        raise ValueError(f"--size {text!r}: width and height must be 320 to 8192 pixels")
    return int(width), int(height)


def priority_mode(choice: str | None, config: HallConfig) -> str:
    if choice is None:
        return "pin" if config.priority_pin else "off"
    if choice in ("pin", "long-press") and not config.priority_pin:
        # The server grants a priority ticket only with the hall's staff PIN, also after a
        # long press (the kiosk then sends the PIN from its hall file).
        raise ValueError(
            f"--priority {choice} needs a staff PIN: set priority_pin in the [kiosk] table of "
            "the hall file (the server checks it)"
        )
    return choice


def parse_options(
    argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None
) -> Options:
    """Read the command line and the hall file.

    A bad flag argparse knows exits at once; any other bad value raises CommandError or
    ValueError naming it (main prints it and exits with 2)."""
    args = build_parser().parse_args(argv)
    try:
        lang = resolve_language(args.lang)
    except ValueError as exc:
        raise ValueError(f"--lang: {exc}") from exc
    config, host, port = read_hall(args, env)
    spec = parse_printer_spec(args.printer or config.printer, args.paper or config.paper_mm)
    mode = priority_mode(args.priority, config)
    size = window_size(args.size)
    return Options(
        host=host,
        port=port,
        lang=lang,
        config=config,
        printer=spec,
        priority=mode,
        name=args.name or f"kiosk-{socket.gethostname()}"[:MAX_CLIENT_NAME],
        fullscreen=args.fullscreen,
        size=size,
        geometry=args.geometry,
        printer_status=not args.no_printer_status,
        test_print=args.test_print,
    )


def preview_dir() -> Path:
    return data_dir() / "kiosk"


def run_test_print(spec: PrinterSpec, lang: str) -> int:
    """Print a sample ticket; 0 when it printed, 1 with the printer's error otherwise.

    The preview printer has no paper: its sample ticket is saved as a PNG instead.
    """
    if spec.kind == "none":
        print(
            "queue-kiosk: the printer is 'none': nothing to print on; give --printer SPEC",
            file=sys.stderr,
        )
        return 1
    if spec.kind == "preview":
        target = preview_dir() / "test_ticket.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        render_preview_png(render_ticket(sample_slip(lang), spec.paper_mm), target, spec.paper_mm)
        print(f"queue-kiosk: preview printer: sample ticket saved as {target}")
        return 0
    try:
        test_print(spec, lang=lang)
    except PrinterError as error:
        print(f"queue-kiosk: test print failed: {error.detail}", file=sys.stderr)
        print(error.user_message(lang), file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"queue-kiosk: test print failed: {error}", file=sys.stderr)
        return 1
    print(f"queue-kiosk: sample ticket printed on {spec}")
    return 0


class ThreadRunner(QObject):
    """Runs printer jobs on one worker thread (the printer is one device: never two jobs at
    once) and calls `done` back on the GUI thread."""

    _finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-printer")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, job: Callable[[], Any], done: Callable[[JobResult], None]) -> None:
        def work() -> None:
            try:
                result = JobResult(value=job())
            except Exception as exc:  # handed to the flow on the GUI thread
                result = JobResult(error=exc)
            self._finished.emit(done, result)

        self._pool.submit(work)

    @Slot(object, object)
    def _deliver(self, done: Callable[[JobResult], None], result: JobResult) -> None:
        done(result)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class Kiosk(QObject):
    """A running kiosk: the hall connection, the printer, the view-model and the window,
    wired. `start()` connects, `close()` lets go of it all."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        printer: TicketPrinter,
        config: HallConfig,
        client_name: str = "kiosk",
        lang: str = "zh_CN",
        priority: str = "off",
        preview_dir: Path | None = None,
        reconnect_max_s: float = 10.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.printer = printer
        self.connection = HallConnection(
            host,
            port,
            "kiosk",
            client_name,
            key=config.key,
            parent=self,
            reconnect_min_s=min(0.5, reconnect_max_s),
            reconnect_max_s=reconnect_max_s,
        )
        self.runner = ThreadRunner(self)
        self.model = KioskModel(
            self.connection,
            printer,
            self.runner,
            render_ticket,
            TicketSlip,
            hall_name=config.hall_name,
            ticket_notice=config.ticket_notice,
            paper_mm=int(printer.paper_mm),
            priority_mode=PriorityMode(priority),
            priority_pin=config.priority_pin,
            lang=lang,
            reads_status=printer.reports_status,
            save_preview=preview_saver(printer, preview_dir),
        )
        self.window = KioskWindow(self.model)
        self.connection.ready.connect(lambda _snapshot: self.model.set_online(True))
        self.connection.stateChanged.connect(self._on_state)
        self.connection.handshakeFailed.connect(
            lambda code, message: self.model.set_refused(code, message)
        )
        self.connection.event.connect(lambda name, _seq, data: self.model.on_event(name, data))

    def _on_state(self, state: str) -> None:
        if state != ONLINE:
            self.model.set_online(False)

    def start(self) -> None:
        self.connection.start()
        self.model.poll_printer()

    def close(self) -> None:
        self.window.ticker.stop()
        self.connection.stop()
        self.runner.shutdown()
        self.printer.close()
        self.window.close()
        self.window.deleteLater()


def preview_saver(
    printer: TicketPrinter, folder: Path | None
) -> Callable[[bytes], str | None] | None:
    """For the preview printer: saves each ticket as `last_ticket.png` in `folder`, for the
    confirmation to show. None for a printer with paper."""
    if printer.spec.kind != "preview" or folder is None:
        return None
    target = folder / "last_ticket.png"
    paper_mm = int(printer.paper_mm)

    def save_preview(data: bytes) -> str | None:
        target.parent.mkdir(parents=True, exist_ok=True)
        return str(render_preview_png(data, target, paper_mm))

    return save_preview


def automation_commands(kiosk: Kiosk) -> dict[str, Any]:
    """What an end-to-end test may do with this kiosk (see shared.qt.automation)."""
    model = kiosk.model

    def state() -> dict[str, Any]:
        confirmation = model.confirmation
        return {
            "phase": model.phase.name,
            "online": kiosk.connection.online,
            "issued": model.issued_count,
            "number": confirmation.number if confirmation else None,
        }

    return {"state": state, "department": model.select_category, "matter": model.select_matter}


def run_kiosk(options: Options) -> int:
    """Open the printer, show the kiosk's window and run until it is closed."""
    from PySide6.QtWidgets import QApplication

    from shared.qt.automation import install as install_automation
    from shared.qt.i18n import install_translations
    from shared.qt.screens import place

    use_hall_time(options.config.timezone)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("queue-kiosk")
    install_translations(app, options.lang)
    try:
        printer = open_printer(options.printer, check_status=options.printer_status)
    except PrinterError as error:
        print(f"queue-kiosk: {error.detail}", file=sys.stderr)
        return 2
    kiosk = Kiosk(
        options.host,
        options.port,
        printer=printer,
        config=options.config,
        client_name=options.name,
        lang=options.lang,
        priority=options.priority,
        preview_dir=preview_dir(),
    )
    place(
        kiosk.window,
        fullscreen=options.fullscreen,
        geometry=options.geometry,
        size=options.size,
        hide_cursor=options.fullscreen,  # a touch screen: no pointer
    )
    kiosk.start()
    automation = install_automation(automation_commands(kiosk), kiosk)  # noqa: F841 - kept alive
    try:
        return app.exec()
    finally:
        kiosk.close()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        options = parse_options(argv)
    except CommandError as error:
        print(f"queue-kiosk: {error.message}", file=sys.stderr)
        return error.code
    except ValueError as error:
        print(f"queue-kiosk: {error}", file=sys.stderr)
        return EXIT_USAGE
    log_dir = options.config.log_dir
    setup_logging(Path(log_dir) if log_dir else None, "queue-kiosk")
    if options.test_print:
        return run_test_print(options.printer, options.lang)
    return run_kiosk(options)


if __name__ == "__main__":
    raise SystemExit(main())
