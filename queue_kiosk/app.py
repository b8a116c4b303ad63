"""`queue-kiosk`: the touch-screen ticket kiosk, and `--test-print` for the printer alone."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shared.client.connection import server_address
from shared.client.geometry import Geometry, add_geometry_option
from shared.config.hall import ConfigError, HallConfig, load_config
from shared.config.paths import data_dir
from shared.domain.limits import MAX_CLIENT_NAME

log = logging.getLogger(__name__)

PRIORITY_CHOICES = ("pin", "long-press", "off")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="queue-kiosk", description="The touch-screen ticket kiosk of the service hall."
    )
    parser.add_argument("--server", help="the hall server as HOST:PORT (default: from --config)")
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
    parser.add_argument("--lang", help="interface language: zh_CN (default) or en")
    parser.add_argument("--config", help="the hall file (TOML); default: the demo hall")
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


def _size(text: str | None) -> tuple[int, int]:
    if not text:
        return 1280, 720
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


def run_test_print(spec: object, lang: str) -> int:
    """Print a sample ticket; 0 when it printed, 1 with the printer's error otherwise.

    The preview printer has no paper: its sample ticket is saved as a PNG instead.
    """
    from queue_kiosk.printing import (
        PrinterError,
        render_preview_png,
        render_ticket,
        sample_slip,
        test_print,
    )

    if getattr(spec, "kind", "") == "none":
        print(
            "queue-kiosk: the printer is 'none': nothing to print on; give --printer SPEC",
            file=sys.stderr,
        )
        return 1
    if getattr(spec, "kind", "") == "preview":
        target = preview_dir() / "test_ticket.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        paper_mm = getattr(spec, "paper_mm", 80)
        render_preview_png(render_ticket(sample_slip(lang), paper_mm), target, paper_mm)
        print(f"queue-kiosk: preview printer: sample ticket saved as {target}")
        return 0
    try:
        result = test_print(spec, lang=lang)
    except PrinterError as error:
        print(f"queue-kiosk: test print failed: {error.detail}", file=sys.stderr)
        print(error.user_message(lang), file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"queue-kiosk: test print failed: {error}", file=sys.stderr)
        return 1
    print(f"queue-kiosk: sample ticket printed on {spec}" + (f" ({result})" if result else ""))
    return 0


def preview_dir() -> Path:
    return data_dir() / "kiosk"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from queue_kiosk.printing import parse_printer_spec

    try:
        from shared.qt.i18n import resolve_language

        lang = resolve_language(args.lang)
        config = load_config(args.config)
        spec = parse_printer_spec(args.printer or config.printer, args.paper or config.paper_mm)
        host, port = server_address(args.server, config.host, config.port)
        mode = priority_mode(args.priority, config)
        width, height = _size(args.size)
    except (ConfigError, ValueError) as error:
        print(f"queue-kiosk: {error}", file=sys.stderr)
        return 2
    if args.test_print:
        return run_test_print(spec, lang)
    name = args.name or f"kiosk-{socket.gethostname()}"[:MAX_CLIENT_NAME]
    return run_kiosk(
        config,
        spec,
        host,
        port,
        lang,
        mode,
        name,
        args.fullscreen,
        (width, height),
        printer_status=not args.no_printer_status,
        geometry=args.geometry,
    )


def automation_commands(kiosk: Any) -> dict[str, Any]:
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


def run_kiosk(
    config: HallConfig,
    spec: object,
    host: str,
    port: int,
    lang: str,
    mode: str,
    name: str,
    fullscreen: bool,
    size: tuple[int, int],
    printer_status: bool = True,
    geometry: Geometry | None = None,
) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from queue_kiosk.kiosk import Kiosk
    from queue_kiosk.printing import PrinterError, open_printer
    from shared.client.options import use_hall_time
    from shared.qt.automation import install as install_automation
    from shared.qt.i18n import install_translations
    from shared.qt.screens import show_fullscreen

    use_hall_time(config.timezone)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("queue-kiosk")
    install_translations(app, lang)
    try:
        printer = open_printer(spec, check_status=printer_status)
    except PrinterError as error:
        print(f"queue-kiosk: {error.detail}", file=sys.stderr)
        return 2
    kiosk = Kiosk(
        host,
        port,
        printer=printer,
        config=config,
        client_name=name,
        lang=lang,
        priority=mode,
        preview_dir=preview_dir(),
    )
    if fullscreen:
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touch screen shows no pointer
        show_fullscreen(kiosk.window)
    else:
        kiosk.window.resize(*size)
        if geometry:
            kiosk.window.setGeometry(geometry.x, geometry.y, geometry.width, geometry.height)
        kiosk.window.show()
    kiosk.start()
    automation = install_automation(automation_commands(kiosk), kiosk)  # noqa: F841 - kept alive
    try:
        return app.exec()
    finally:
        kiosk.close()


if __name__ == "__main__":
    raise SystemExit(main())
