"""What an announcement says: spoken ticket and counter numbers, templates, and clip names.

Pure code (no Qt). Ticket digits are read one by one ("A017" -> "A 零 一 七"), counter
numbers as numbers (24 -> "二十四", 2 -> "二": halls say 二号窗口, not 两号窗口).

The clip pack (display_board/voice_pack/) is Mandarin: `clip_names()` lists the clips
that, played in order, say the default Mandarin sentence
请 | A | 零 | 一 | 七 | 号 | 到 | 三 | 号窗口 | 办理. `CLIPS` is the complete clip set,
with what each clip must say; tools/render_voice_pack.py renders it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

# Placeholders a template may (and must) use: the spoken ticket and the spoken counter.
NUMBER_PLACEHOLDER = "number"
COUNTER_PLACEHOLDER = "counter"
DEFAULT_TEMPLATES = {
    "zh_CN": "请{number}号到{counter}号窗口办理",
    "en": "Number {number}, please go to counter {counter}",
}

# 1-2 letter category prefix, then the day's sequence (three digits minimum, A999 -> A1000).
# The prefix may be empty for a hall that numbers without letters.
_TICKET_PATTERN = re.compile(r"([A-Z]{0,2})([0-9]{1,6})")
# Counter numbers up to this are read as Chinese numerals; larger ones digit by digit.
MAX_NUMERAL_COUNTER = 9999

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_UNITS = {"shi": "十", "bai": "百", "qian": "千"}
_UNIT_STEPS = ((1000, "qian"), (100, "bai"), (10, "shi"))


@dataclass(frozen=True)
class Clip:
    """One clip of the voice pack: its file stem, what it says, and how to render it."""

    name: str
    says: str
    pinyin: str  # input for espeak-ng -v cmn-latn-pinyin (tone numbers keep the tones right)


CHIME_CLIP = "chime"

_WORD_CLIPS = (
    Clip("qing", "请", "qing3"),
    Clip("hao", "号", "hao4"),
    Clip("dao", "到", "dao4"),
    Clip("hao_chuangkou", "号窗口", "hao4 chuang1 kou3"),
    Clip("banli", "办理", "ban4 li3"),
    Clip("shi", "十", "shi2"),
    Clip("bai", "百", "bai3"),
    Clip("qian", "千", "qian1"),
)
_DIGIT_PINYIN = ("ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")
_DIGIT_CLIPS = tuple(
    Clip(str(digit), _ZH_DIGITS[digit], _DIGIT_PINYIN[digit]) for digit in range(10)
)
# espeak-ng's Mandarin voices read a lone Latin letter by its Chinese letter name ("A" -> ei).
_LETTER_CLIPS = tuple(Clip(letter, letter, letter) for letter in string.ascii_uppercase)

# Every clip the pack must hold, except the chime (a sound, not speech).
CLIPS: tuple[Clip, ...] = _WORD_CLIPS + _DIGIT_CLIPS + _LETTER_CLIPS
CLIP_FILE_SUFFIX = ".wav"


def clip_file_name(name: str) -> str:
    """The file name of clip `name` inside the voice pack folder."""
    return name + CLIP_FILE_SUFFIX


def resolve_language(lang: str) -> str:
    """The supported language `lang` names ("zh_CN", "zh-CN", "zh" -> "zh_CN"; "en*" -> "en")."""
    if not isinstance(lang, str):
        raise ValueError(f"voice language must be a string like 'zh_CN' or 'en', not {lang!r}")
    normalized = lang.strip().replace("-", "_").lower()
    if normalized in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "cmn"):
        return "zh_CN"
    if normalized == "en" or normalized.startswith("en_"):
        return "en"
    raise ValueError(f"unsupported voice language {lang!r}: choose one of {', '.join(LANGUAGES)}")


def parse_ticket(number: str) -> tuple[str, str]:
    """Split a ticket number like "A017" or "AB1000" into (prefix, digits); lower case is accepted."""
    if not isinstance(number, str):
        raise ValueError(f"ticket number must be a string like 'A017', not {number!r}")
    match = _TICKET_PATTERN.fullmatch(number.strip().upper())
    if match is None:
        raise ValueError(
            f"bad ticket number {number!r}: expected 0-2 letters then 1-6 digits, like 'A017'"
        )
    return match.group(1), match.group(2)


def normalize_ticket(number: str) -> str:
    """The canonical form of a ticket number (upper case, no surrounding spaces)."""
    prefix, digits = parse_ticket(number)
    return prefix + digits


def check_counter(counter: int) -> int:
    """`counter` if it is a valid counter number (a positive int), else a ValueError."""
    if isinstance(counter, bool) or not isinstance(counter, int):
        raise ValueError(f"counter number must be a positive integer, not {counter!r}")
    if counter < 1:
        raise ValueError(f"counter number must be 1 or more, not {counter}")
    return counter


def counter_tokens(counter: int) -> list[str]:
    """The Chinese reading of a counter number as clip tokens ("0"-"9", "shi", "bai", "qian").

    24 -> ["2", "shi", "4"]; 10 -> ["shi"]; 105 -> ["1", "bai", "0", "5"];
    above MAX_NUMERAL_COUNTER the digits are read one by one.
    """
    remaining = check_counter(counter)
    if remaining > MAX_NUMERAL_COUNTER:
        return list(str(remaining))
    tokens: list[str] = []
    zero_pending = False
    for step, unit in _UNIT_STEPS:
        digit, remaining = divmod(remaining, step)
        if digit == 0:
            zero_pending = bool(tokens)
            continue
        if zero_pending:
            tokens.append("0")
            zero_pending = False
        # 10-19 are read 十, 十一 ... (not 一十一) when the tens lead the number.
        if not (unit == "shi" and digit == 1 and not tokens):
            tokens.append(str(digit))
        tokens.append(unit)
    if remaining:
        if zero_pending:
            tokens.append("0")
        tokens.append(str(remaining))
    return tokens


def spoken_ticket(number: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The ticket as it is read aloud: one character at a time ("A017" -> "A 零 一 七")."""
    prefix, digits = parse_ticket(number)
    if resolve_language(lang) == "zh_CN":
        characters = list(prefix) + [_ZH_DIGITS[int(digit)] for digit in digits]
    else:
        characters = list(prefix + digits)
    return " ".join(characters)


def spoken_counter(counter: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The counter number as it is read aloud (24 -> "二十四"; in English "24")."""
    if resolve_language(lang) == "en":
        # English speech engines read an Arabic number as a number ("twenty-four").
        return str(check_counter(counter))
    tokens = counter_tokens(counter)
    return "".join(_ZH_UNITS.get(token) or _ZH_DIGITS[int(token)] for token in tokens)


def check_template(template: str) -> str:
    """`template` if it is a valid announcement template, else a ValueError naming the problem.

    A template is text with exactly the placeholders {number} (the spoken ticket) and
    {counter} (the spoken counter), each at least once; write {{ and }} for literal braces.
    """
    if not isinstance(template, str) or not template.strip():
        raise ValueError(f"announcement template must be non-empty text, not {template!r}")
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ValueError(f"bad announcement template {template!r}: {error}") from None
    used = set()
    for _literal, field, format_spec, conversion in fields:
        if field is None:
            continue
        if field not in (NUMBER_PLACEHOLDER, COUNTER_PLACEHOLDER):
            raise ValueError(
                f"bad announcement template {template!r}: unknown placeholder {{{field}}}; "
                "use {number} for the ticket and {counter} for the counter"
            )
        if format_spec or conversion:
            raise ValueError(
                f"bad announcement template {template!r}: placeholder {{{field}}} "
                "takes no format or conversion"
            )
        used.add(field)
    for required in (NUMBER_PLACEHOLDER, COUNTER_PLACEHOLDER):
        if required not in used:
            raise ValueError(
                f"bad announcement template {template!r}: it must say the {required} "
                f"with {{{required}}}"
            )
    return template


def announcement_text(
    number: str, counter: int, template: str | None = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """The sentence to speak for a call ("请A 零 一 七号到三号窗口办理").

    `template` defaults to DEFAULT_TEMPLATES[lang]; {number} becomes spoken_ticket(number),
    {counter} becomes spoken_counter(counter).
    """
    language = resolve_language(lang)
    chosen = DEFAULT_TEMPLATES[language] if template is None else check_template(template)
    return chosen.format(
        number=spoken_ticket(number, language), counter=spoken_counter(counter, language)
    )


def call_clip_names(number: str, counter: int) -> list[str]:
    """The clips that say one call inside a sentence: "A 零 一 七 号 到 三 号窗口"."""
    prefix, digits = parse_ticket(number)
    return [*prefix, *digits, "hao", "dao", *counter_tokens(counter), "hao_chuangkou"]


def clip_names(number: str, counter: int) -> list[str]:
    """The clips (file stems in the voice pack) that say the default Mandarin announcement.

    The chime is not included: it is played once before the first reading of a call.
    """
    return ["qing", *call_clip_names(number, counter), "banli"]


def announcement_segments(calls: Sequence[tuple[str, int]], call_gap_ms: int) -> list[str | int]:
    """The clips and pauses of one announcement: 请, each call (a pause between), 办理."""
    segments: list[str | int] = ["qing"]
    for index, (number, counter) in enumerate(calls):
        if index:
            segments.append(call_gap_ms)
        segments += call_clip_names(number, counter)
    segments.append("banli")
    return segments


def call_segment_indexes(calls: Sequence[tuple[str, int]]) -> list[int]:
    """Where each call's ticket number starts in `announcement_segments(calls, ...)`."""
    indexes = []
    position = 1  # after 请
    for index, (number, counter) in enumerate(calls):
        if index:
            position += 1  # the pause
        indexes.append(position)
        position += len(call_clip_names(number, counter))
    return indexes


def merged_text(
    calls: list[tuple[str, int]], template: str | None = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """The sentence for calls said together.

    With the default Mandarin template the calls share one 请 and one 办理
    ("请A 零 一 七号到三号窗口，B 零 零 二号到五号窗口办理"); any other template is said
    once per call, the sentences joined by a pause.
    """
    if not calls:
        raise ValueError("an announcement says at least one call")
    language = resolve_language(lang)
    default = DEFAULT_TEMPLATES[language]
    if language == "zh_CN" and (template is None or template == default):
        middle = "，".join(
            f"{spoken_ticket(number, language)}号到{spoken_counter(counter, language)}号窗口"
            for number, counter in calls
        )
        return f"请{middle}办理"
    joiner = "；" if language == "zh_CN" else ". "
    return joiner.join(
        announcement_text(number, counter, template, language) for number, counter in calls
    )
