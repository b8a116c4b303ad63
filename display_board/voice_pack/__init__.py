"""The default Mandarin voice pack: the WAV clips that announcements are joined from (see README.md)."""

from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent
