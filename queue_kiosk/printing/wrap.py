"""Line widths and wrapping as a printer in Chinese mode counts them: 1 column per ASCII byte."""

from __future__ import annotations

# Chinese-mode printers print every character outside ASCII from their 24-dot double-byte
# font, so full-width punctuation, Greek or accented letters all take two columns.
_NO_LINE_START = set("，。、；：？！）】》」』”’…—·,.;:?!)]}%")


def char_columns(char: str) -> int:
    """Columns one character takes on the printer: 1 for ASCII, 2 for everything else."""
    return 1 if ord(char) < 0x80 else 2


def display_width(text: str) -> int:
    """Columns a text takes on the printer at normal size."""
    return sum(char_columns(char) for char in text)


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: ASCII words, single spaces, single wide characters."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isascii() and not char.isspace():
            word += char
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(" " if char.isspace() else char)
    if word:
        tokens.append(word)
    return tokens


def _split_long(token: str, columns: int) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in token:
        if piece and display_width(piece) + char_columns(char) > columns:
            pieces.append(piece)
            piece = ""
        piece += char
    if piece:
        pieces.append(piece)
    return pieces


def _wrap_paragraph(paragraph: str, columns: int) -> list[str]:
    lines: list[str] = []
    line: list[str] = []

    def flush() -> None:
        finished = "".join(line).rstrip()
        if finished:
            lines.append(finished)
        line.clear()

    for token in _tokens(paragraph):
        width = display_width(token)
        if token == " " and not line and lines:
            continue
        if display_width("".join(line)) + width <= columns:
            line.append(token)
            continue
        if token == " ":
            flush()
            continue
        if (
            token in _NO_LINE_START
            and len(line) > 1
            and line[-2] != " "
            and display_width(line[-1]) + width <= columns
        ):
            carried = line.pop()
            flush()
            line.extend((carried, token))
            continue
        flush()
        if width > columns:
            *full, rest = _split_long(token, columns)
            lines.extend(full)
            line.append(rest)
        else:
            line.append(token)
    if line or not lines:
        lines.append("".join(line).rstrip())
    return lines


def wrap_text(text: str, columns: int) -> list[str]:
    """Break text into lines of at most `columns` printer columns.

    Latin words stay whole unless longer than a line; a line never starts with closing
    punctuation (it moves down with the character before it); spaces at a break vanish;
    newlines in the text start a new line.
    """
    if columns < 2:
        raise ValueError(f"a line must hold at least 2 columns, not {columns}")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, columns))
    return lines
