"""ESC/POS command bytes used by the ticket layout, the decoder and the printer link."""

from __future__ import annotations

ESC = 0x1B
GS = 0x1D
FS = 0x1C
DLE = 0x10
EOT = 0x04
LF = 0x0A

INITIALIZE = b"\x1b@"
CHINESE_MODE_ON = b"\x1c&"
CHINESE_MODE_OFF = b"\x1c."
LINE_FEED = b"\n"

ALIGNMENTS = {"left": 0, "center": 1, "right": 2}

# DLE EOT n: real-time status requests. A printer answers each with one byte, even when
# it is offline or out of paper, which is what makes them usable between tickets.
STATUS_ONLINE = b"\x10\x04\x01"
STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"
STATUS_ERROR_CAUSE = b"\x10\x04\x03"
STATUS_PAPER = b"\x10\x04\x04"

QR_ERROR_CORRECTION = {"L": 48, "M": 49, "Q": 50, "H": 51}

MAX_CHARACTER_SCALE = 8


def align(where: str) -> bytes:
    """ESC a n: justification of the lines that follow."""
    try:
        return bytes((ESC, ord("a"), ALIGNMENTS[where]))
    except KeyError:
        raise ValueError(f"alignment must be one of {sorted(ALIGNMENTS)}, not {where!r}") from None


def character_size(width: int, height: int) -> bytes:
    """GS ! n: scale every glyph, ASCII and Chinese alike (ESC ! often leaves hanzi small)."""
    for name, value in (("width", width), ("height", height)):
        if not 1 <= value <= MAX_CHARACTER_SCALE:
            raise ValueError(
                f"character {name} scale must be 1..{MAX_CHARACTER_SCALE}, not {value}"
            )
    return bytes((GS, ord("!"), (width - 1) << 4 | (height - 1)))


def bold(on: bool) -> bytes:
    """ESC E n: emphasized printing."""
    return bytes((ESC, ord("E"), int(on)))


def reverse(on: bool) -> bytes:
    """GS B n: white on black printing."""
    return bytes((GS, ord("B"), int(on)))


def feed_lines(lines: int) -> bytes:
    """ESC d n: print the buffer and feed n lines."""
    if not 0 <= lines <= 255:
        raise ValueError(f"feed must be 0..255 lines, not {lines}")
    return bytes((ESC, ord("d"), lines))


def cut_after_feed() -> bytes:
    """GS V 66 0: feed to the cutter position, then cut partially (keeps the last line whole)."""
    return bytes((GS, ord("V"), 66, 0))


def _qr_function(function: int, parameters: bytes) -> bytes:
    size = len(parameters) + 2
    return bytes((GS, ord("("), ord("k"), size & 0xFF, size >> 8, 49, function)) + parameters


def qr_code(payload: bytes, *, module_size: int, error_correction: str = "M") -> bytes:
    """GS ( k: select model 2, module size and error correction, store the data, print it."""
    if not 1 <= module_size <= 16:
        raise ValueError(f"QR module size must be 1..16 dots, not {module_size}")
    if error_correction not in QR_ERROR_CORRECTION:
        raise ValueError(f"QR error correction must be one of L, M, Q, H, not {error_correction!r}")
    if not 1 <= len(payload) <= 7089:
        raise ValueError(f"QR payload must be 1..7089 bytes, not {len(payload)}")
    return b"".join(
        (
            _qr_function(65, bytes((50, 0))),
            _qr_function(67, bytes((module_size,))),
            _qr_function(69, bytes((QR_ERROR_CORRECTION[error_correction],))),
            _qr_function(80, b"0" + payload),
            _qr_function(81, b"0"),
        )
    )


def raster_image(width_bytes: int, height: int, bits: bytes) -> bytes:
    """GS v 0 0: a 1-bit raster image, rows of width_bytes bytes, most significant bit leftmost."""
    if not 1 <= width_bytes <= 0xFFFF or not 1 <= height <= 0xFFFF:
        raise ValueError(f"raster image size {width_bytes} bytes x {height} rows is out of range")
    if len(bits) != width_bytes * height:
        raise ValueError(
            f"raster image needs {width_bytes * height} bytes of dots, got {len(bits)}"
        )
    header = bytes(
        (
            GS,
            ord("v"),
            ord("0"),
            0,
            width_bytes & 0xFF,
            width_bytes >> 8,
            height & 0xFF,
            height >> 8,
        )
    )
    return header + bits
