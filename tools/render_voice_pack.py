"""Renders the default Mandarin voice pack (display_board/voice_pack/*.wav) with espeak-ng and sox.

Run from the repository root (needs the `espeak-ng` and `sox` programs, e.g.
`apt install espeak-ng sox`):

    .venv/bin/python tools/render_voice_pack.py            # re-render the shipped pack
    .venv/bin/python tools/render_voice_pack.py --out DIR  # render into another folder

Speech is rendered with `espeak-ng -v cmn-latn-pinyin` from pinyin with tone numbers
("qing3"), so the tones are right; each clip is trimmed of leading and trailing
silence, normalised and written as mono 16-bit PCM. The chime is a synthesised two-tone
ding-dong. The clip list and what each clip says live in display_board/voice/text.py.
Output is repeatable (no dither), so re-rendering an unchanged pack changes no file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from display_board.voice.pack import DEFAULT_PACK_DIR, VoicePack
from display_board.voice.text import CHIME_CLIP, CLIPS, clip_file_name

ESPEAK_VOICE = "cmn-latn-pinyin"
# Words per minute: a little slower than espeak-ng's 175 so a hall understands every digit.
SPEECH_SPEED = 150
SAMPLE_RATE = 16000
# Trim what is quieter than this at either end of a clip.
SILENCE_THRESHOLD = "-50d"
# Ding (E5) then dong (C5), each a sine plus its octave, fading like a struck bell.
CHIME_NOTES = ((659.26, 0.2), (523.25, 0.42))


def _run(command: list[str]) -> None:
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed (exit {completed.returncode}): {completed.stderr.strip()}"
        )


def _output_options(sample_rate: int) -> list[str]:
    return ["-r", str(sample_rate), "-c", "1", "-b", "16", "-e", "signed-integer"]


def render_speech_clip(pinyin: str, target: Path, workdir: Path, sample_rate: int) -> None:
    raw = workdir / "espeak.wav"
    _run(["espeak-ng", "-v", ESPEAK_VOICE, "-s", str(SPEECH_SPEED), "-w", str(raw), pinyin])
    trim = ["silence", "1", "0.01", SILENCE_THRESHOLD]
    _run(
        ["sox", "-D", str(raw), *_output_options(sample_rate), str(target)]
        + [*trim, "reverse", *trim, "reverse", "gain", "-n", "-1", "rate", str(sample_rate)]
    )


def render_chime(target: Path, workdir: Path, sample_rate: int) -> None:
    notes = []
    for index, (frequency, seconds) in enumerate(CHIME_NOTES):
        note = workdir / f"note{index}.wav"
        _run(
            ["sox", "-D", "-n", *_output_options(sample_rate), str(note)]
            + ["synth", str(seconds), "sine", str(frequency), "sine", "mix", str(2 * frequency)]
            + ["fade", "l", "0.005", str(seconds), str(seconds - 0.01)]
        )
        notes.append(str(note))
    _run(["sox", "-D", *notes, *_output_options(sample_rate), str(target), "gain", "-n", "-3"])


def render_pack(out_dir: Path, sample_rate: int = SAMPLE_RATE) -> None:
    for program in ("espeak-ng", "sox"):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is not installed (apt install espeak-ng sox)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        render_chime(out_dir / clip_file_name(CHIME_CLIP), workdir, sample_rate)
        for clip in CLIPS:
            render_speech_clip(
                clip.pinyin, out_dir / clip_file_name(clip.name), workdir, sample_rate
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_PACK_DIR, help="folder to write (default: %(default)s)"
    )
    parser.add_argument(
        "--rate", type=int, default=SAMPLE_RATE, help="sample rate in Hz (default: %(default)s)"
    )
    options = parser.parse_args(argv)
    if not 8000 <= options.rate <= 48000:
        parser.error(f"--rate must be between 8000 and 48000 Hz, not {options.rate}")
    render_pack(options.out, options.rate)
    pack = VoicePack.load(options.out)
    total_bytes = sum(
        (options.out / clip_file_name(name)).stat().st_size
        for name in [CHIME_CLIP, *(clip.name for clip in CLIPS)]
    )
    print(
        f"rendered {len(CLIPS) + 1} clips into {options.out} "
        f"({pack.audio_format.describe()}, {total_bytes / 1024:.0f} KB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
