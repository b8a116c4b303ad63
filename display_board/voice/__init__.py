"""The lobby board's voice announcer: text and queue (pure), voice pack, and Qt engines.

`text`, `queue` and `pack` import without Qt; the Qt side is `announcer` (Announcer),
`engines` (make_engine: which engine for `--voice`), and the engines themselves: `base`
(the interface, SilentEngine), `clips` (ClipEngine over `player`), `tts` (TtsEngine).
"""

# The `--voice` modes; here so the command line checks them before Qt loads.
VOICE_MODES = ("auto", "qt", "clips", "off")
