"""The lobby board's voice announcer: text and queue (pure), voice pack, and Qt engines.

`text`, `queue` and `pack` import without Qt; `engines` holds the Qt side (Announcer,
ClipEngine, TtsEngine, SilentEngine, make_engine).
"""
