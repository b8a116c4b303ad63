"""ESC/POS stream decoder: the bytes a printer receives, as a list of operations (no I/O).

It understands the commands thermal ticket printers share (Epson ESC/POS with the
Chinese-mode FS commands) and reports everything else as `Unknown` with its offset, so
tests and the on-screen preview see exactly what a printer would get.
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import DLE, EOT, ESC, FS, GS, LF
from .ops import (
    ChineseMode,
    Cut,
    Feed,
    FeedDots,
    Init,
    Op,
    QrCode,
    Raster,
    Setting,
    StatusRequest,
    Text,
    Unknown,
)

_ALIGN_CODES = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}
_QR_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}
_QR_MODELS = {49: 1, 50: 2, 51: 0}  # 0: Micro QR
_CR = 0x0D
_DEL = 0x7F


@dataclass
class _State:
    align: str = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    reverse: bool = False
    underline: int = 0
    chinese: bool = False
    qr_model: int = 2
    qr_module: int = 3
    qr_level: str = "L"
    qr_data: bytes | None = None


class _Truncated(Exception):
    pass


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.ops: list[Op] = []
        self.state = _State()

    def take(self, count: int) -> bytes:
        """Consume count bytes after the current position's command bytes."""
        end = self.pos + count
        if end > len(self.data):
            raise _Truncated
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def unknown(self, start: int, reason: str) -> None:
        self.ops.append(Unknown(start, self.data[start : self.pos], reason))

    def run(self) -> list[Op]:
        while self.pos < len(self.data):
            start = self.pos
            byte = self.data[start]
            try:
                if byte == ESC:
                    self.pos += 1
                    self.esc(start)
                elif byte == GS:
                    self.pos += 1
                    self.gs(start)
                elif byte == FS:
                    self.pos += 1
                    self.fs(start)
                elif byte == DLE:
                    self.pos += 1
                    self.dle(start)
                elif byte == LF:
                    self.pos += 1
                    self.ops.append(Feed(1))
                elif byte == _CR:
                    self.pos += 1  # printers in LF mode ignore CR
                elif byte < 0x20 or byte == _DEL:
                    self.pos += 1
                    self.unknown(start, f"unsupported control byte 0x{byte:02X}")
                else:
                    self.text(start)
            except _Truncated:
                self.pos = len(self.data)
                self.unknown(start, "command cut off by the end of the data")
        return self.ops

    def text(self, start: int) -> None:
        end = start
        while end < len(self.data) and self.data[end] >= 0x20 and self.data[end] != _DEL:
            end += 1
        self.pos = end
        chunk = self.data[start:end]
        if not self.state.chinese:
            self.emit_text(chunk.decode("cp437"))
            return
        done = 0
        while done < len(chunk):
            try:
                self.emit_text(chunk[done:].decode("gb18030"))
                return
            except UnicodeDecodeError as error:
                self.emit_text(chunk[done : done + error.start].decode("gb18030"))
                bad_start = done + error.start
                bad_end = done + error.end
                self.ops.append(
                    Unknown(start + bad_start, chunk[bad_start:bad_end], "invalid GB18030 text")
                )
                done = bad_end

    def emit_text(self, text: str) -> None:
        if text:
            state = self.state
            self.ops.append(
                Text(
                    text,
                    state.width,
                    state.height,
                    state.align,
                    state.bold,
                    state.reverse,
                    state.underline,
                )
            )

    def esc(self, start: int) -> None:
        (command,) = self.take(1)
        state = self.state
        letter = chr(command)
        if letter == "@":
            self.state = _State()
            self.ops.append(Init())
        elif letter == "2":
            self.ops.append(Setting("line_spacing", None))
        elif letter in "SL":
            self.ops.append(Setting("standard_mode" if letter == "S" else "page_mode", 1))
        elif letter in "!E-adJ3MtRG{V":
            (n,) = self.take(1)
            if letter == "!":
                state.width = 2 if n & 0x20 else 1
                state.height = 2 if n & 0x10 else 1
                state.bold = bool(n & 0x08)
                state.underline = 1 if n & 0x80 else 0
            elif letter == "E":
                state.bold = bool(n & 1)
            elif letter == "-":
                state.underline = {1: 1, 49: 1, 2: 2, 50: 2}.get(n, 0)
            elif letter == "a":
                if n not in _ALIGN_CODES:
                    self.unknown(start, f"ESC a with invalid alignment {n}")
                    return
                state.align = _ALIGN_CODES[n]
            elif letter == "d":
                self.ops.append(Feed(n))
            elif letter == "J":
                self.ops.append(FeedDots(n))
            else:
                names = {
                    "3": "line_spacing",
                    "M": "font",
                    "t": "code_page",
                    "R": "international_charset",
                    "G": "double_strike",
                    "{": "upside_down",
                    "V": "rotate_90",
                }
                self.ops.append(Setting(names[letter], n))
        elif letter == "p":
            pin, _on, _off = self.take(3)
            self.ops.append(Setting("drawer_pulse", pin))
        else:
            self.unknown(start, f"unknown command ESC 0x{command:02X}")

    def gs(self, start: int) -> None:
        (command,) = self.take(1)
        state = self.state
        letter = chr(command)
        if letter == "!":
            (n,) = self.take(1)
            width, height = (n >> 4) + 1, (n & 0x0F) + 1
            if width > 8 or height > 8:
                self.unknown(start, f"GS ! size 0x{n:02X} is beyond 8x8")
                return
            state.width, state.height = width, height
        elif letter == "B":
            (n,) = self.take(1)
            state.reverse = bool(n & 1)
        elif letter == "V":
            self.cut(start)
        elif letter == "(":
            self.gs_paren(start)
        elif letter == "v":
            self.raster(start)
        elif letter in "LW":
            low, high = self.take(2)
            name = "left_margin" if letter == "L" else "print_area_width"
            self.ops.append(Setting(name, low | high << 8))
        elif letter in "hwHfa":
            (n,) = self.take(1)
            names = {
                "h": "barcode_height",
                "w": "barcode_width",
                "H": "barcode_text_position",
                "f": "barcode_text_font",
                "a": "automatic_status_back",
            }
            self.ops.append(Setting(names[letter], n))
        elif letter == "k":
            (kind,) = self.take(1)
            if kind <= 6:
                while self.take(1) != b"\x00":
                    pass
            else:
                (length,) = self.take(1)
                self.take(length)
            self.unknown(start, "barcode (GS k) is not decoded")
        else:
            self.unknown(start, f"unknown command GS 0x{command:02X}")

    def cut(self, start: int) -> None:
        (mode,) = self.take(1)
        if mode in (0, 48):
            self.ops.append(Cut(partial=False))
        elif mode in (1, 49):
            self.ops.append(Cut(partial=True))
        elif mode in (65, 66):
            (feed,) = self.take(1)
            self.ops.append(Cut(partial=mode == 66, feed=feed))
        else:
            self.unknown(start, f"GS V with unsupported mode {mode}")

    def gs_paren(self, start: int) -> None:
        function_class, low, high = self.take(3)
        body = self.take(low | high << 8)
        if function_class != ord("k") or len(body) < 2 or body[0] != 49:
            self.unknown(start, f"GS ( {chr(function_class)} (other than QR) is not decoded")
            return
        function, parameters = body[1], body[2:]
        state = self.state
        if function == 65 and parameters and parameters[0] in _QR_MODELS:
            state.qr_model = _QR_MODELS[parameters[0]]
        elif function == 67 and len(parameters) == 1 and 1 <= parameters[0] <= 16:
            state.qr_module = parameters[0]
        elif function == 69 and len(parameters) == 1 and parameters[0] in _QR_LEVELS:
            state.qr_level = _QR_LEVELS[parameters[0]]
        elif function == 80 and parameters[:1] == b"0":
            state.qr_data = parameters[1:]
        elif function == 81 and parameters == b"0":
            if not state.qr_data:
                self.unknown(start, "QR print with no QR data stored")
                return
            self.ops.append(
                QrCode(state.qr_data, state.qr_module, state.qr_level, state.qr_model, state.align)
            )
        elif function == 82:
            self.ops.append(Setting("qr_size_request", None))
        else:
            self.unknown(start, f"QR function {function} with invalid parameters {parameters!r}")

    def raster(self, start: int) -> None:
        zero, mode, x_low, x_high, y_low, y_high = self.take(6)
        if zero != ord("0") or mode not in (0, 1, 2, 3, 48, 49, 50, 51):
            self.unknown(start, "GS v with an unsupported mode")
            return
        width_bytes, height = x_low | x_high << 8, y_low | y_high << 8
        bits = self.take(width_bytes * height)
        if not width_bytes or not height:
            self.unknown(start, "GS v 0 image with no dots")
            return
        self.ops.append(
            Raster(
                width_bytes * 8,
                height,
                bits,
                2 if mode & 1 else 1,
                2 if mode & 2 else 1,
                self.state.align,
            )
        )

    def fs(self, start: int) -> None:
        (command,) = self.take(1)
        letter = chr(command)
        if letter == "&":
            self.state.chinese = True
            self.ops.append(ChineseMode(True))
        elif letter == ".":
            self.state.chinese = False
            self.ops.append(ChineseMode(False))
        elif letter in "!CW-":
            (n,) = self.take(1)
            names = {
                "!": "chinese_print_mode",
                "C": "chinese_code_system",
                "W": "chinese_quadruple",
                "-": "chinese_underline",
            }
            self.ops.append(Setting(names[letter], n))
        elif letter == "S":
            left, right = self.take(2)
            self.ops.append(Setting("chinese_spacing", left + right))
        else:
            self.unknown(start, f"unknown command FS 0x{command:02X}")

    def dle(self, start: int) -> None:
        (command,) = self.take(1)
        if command == EOT:
            (n,) = self.take(1)
            if 1 <= n <= 4:
                self.ops.append(StatusRequest(n))
                return
            self.unknown(start, f"DLE EOT with unsupported status type {n}")
            return
        self.unknown(start, f"unsupported real-time command DLE 0x{command:02X}")


def decode(data: bytes) -> list[Op]:
    """Every operation in an ESC/POS byte stream, in order."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ValueError(f"an ESC/POS stream is bytes, not {type(data).__name__}")
    return _Decoder(bytes(data)).run()
