"""Choosing the voice engine for `--voice auto|qt|clips|off`.

- `ClipEngine` (clips.py) joins the voice pack's clips: works on every PC with the pack;
- `TtsEngine` (tts.py) speaks through QTextToSpeech, where the system has a voice;
- `SilentEngine` (base.py) speaks nothing.
"auto" prefers the system's own voice where it has one for the language and never picks
speechd on Linux (it hangs without a sound card), so on Linux "auto" means the clip pack.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject

from display_board.voice import VOICE_MODES
from display_board.voice.base import SilentEngine, VoiceEngine, VoiceEngineError
from display_board.voice.clips import ClipEngine
from display_board.voice.pack import VoicePack, VoicePackError
from display_board.voice.text import DEFAULT_LANGUAGE, check_template, resolve_language
from display_board.voice.tts import (
    HANGS_WITHOUT_AUDIO,
    TtsEngine,
    has_voice_for,
    platform_tts_engines,
)

log = logging.getLogger(__name__)


def chime_pack_or_none(pack_dir: str | Path | None) -> VoicePack | None:
    try:
        return VoicePack.load(pack_dir)
    except VoicePackError as error:
        log.warning("no chime before announcements: %s", error)
        return None


def make_engine(
    mode: str = "auto",
    lang: str = DEFAULT_LANGUAGE,
    pack_dir: str | Path | None = None,
    tts_engine: str | None = None,
    *,
    template: str | None = None,
    parent: QObject | None = None,
) -> VoiceEngine:
    """The voice engine for `--voice MODE`.

    - "off": SilentEngine.
    - "clips": ClipEngine over the pack in `pack_dir` (default: the shipped pack).
    - "qt": TtsEngine over `tts_engine` (default: the platform's engine).
    - "auto": TtsEngine when `tts_engine` (or, except on Linux, the platform's engine) has
      a voice for `lang`; otherwise ClipEngine. speechd is never chosen on Linux: it hangs
      without a sound card, so on Linux "auto" means the clip pack.
    Raises ValueError for a bad mode, language or template, VoicePackError for a broken
    pack, VoiceEngineError when the requested speech engine cannot be used.
    """
    if mode not in VOICE_MODES:
        raise ValueError(f"unknown voice mode {mode!r}: choose one of {', '.join(VOICE_MODES)}")
    language = resolve_language(lang)
    if template is not None:
        check_template(template)
    if mode == "off":
        return SilentEngine(language, template, parent=parent)
    if mode == "clips":
        return ClipEngine(VoicePack.load(pack_dir), parent=parent)
    if mode == "qt":
        candidates = [tts_engine] if tts_engine else platform_tts_engines()
        if not candidates:
            raise VoiceEngineError(
                "this system has no speech engine for --voice qt; use --voice clips"
            )
        return TtsEngine(
            candidates[0],
            language,
            template,
            chime_pack=chime_pack_or_none(pack_dir),
            parent=parent,
        )
    on_linux = sys.platform.startswith("linux")
    candidates = [tts_engine] if tts_engine else ([] if on_linux else platform_tts_engines())
    for name in candidates:
        if on_linux and name in HANGS_WITHOUT_AUDIO:
            continue
        if has_voice_for(name, language):
            return TtsEngine(
                name, language, template, chime_pack=chime_pack_or_none(pack_dir), parent=parent
            )
    return ClipEngine(VoicePack.load(pack_dir), parent=parent)
