"""Tests of the shipped voice pack, its README, joining clips, and refusing broken packs."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from display_board.voice.pack import (
    DEFAULT_PACK_DIR,
    VoicePack,
    VoicePackError,
    required_clip_names,
)
from display_board.voice.text import CHIME_CLIP, CLIPS, clip_file_name, clip_names

REPO_ROOT = Path(__file__).resolve().parents[2]


def wav_info(path: Path) -> tuple[int, int, int, int]:
    with wave.open(str(path), "rb") as reader:
        return (
            reader.getnchannels(),
            reader.getsampwidth(),
            reader.getframerate(),
            reader.getnframes(),
        )


def copy_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK_DIR, folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return folder


def write_wav(path: Path, frames: bytes, *, channels=1, sample_width=2, rate=16000) -> None:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(sample_width)
        writer.setframerate(rate)
        writer.writeframes(frames)


def test_the_shipped_pack_holds_exactly_the_clip_set():
    shipped = sorted(path.stem for path in DEFAULT_PACK_DIR.glob("*.wav"))
    assert shipped == sorted(required_clip_names())
    assert CHIME_CLIP in shipped
    assert len(shipped) == len(CLIPS) + 1


def test_the_shipped_pack_is_mono_16_bit_16_to_22_khz_and_small():
    total_bytes = 0
    for name in required_clip_names():
        path = DEFAULT_PACK_DIR / clip_file_name(name)
        channels, sample_width, rate, frames = wav_info(path)
        assert (channels, sample_width) == (1, 2), name
        assert 16000 <= rate <= 22050, name
        assert frames > 0, name
        total_bytes += path.stat().st_size
    assert total_bytes < 700 * 1024


def test_every_speech_clip_is_trimmed_and_short():
    for clip in CLIPS:
        channels, sample_width, rate, frames = wav_info(
            DEFAULT_PACK_DIR / clip_file_name(clip.name)
        )
        seconds = frames / rate
        assert 0.1 < seconds < 1.5, (clip.name, seconds)


def test_the_readme_lists_every_file_and_the_voice_modes():
    readme = (DEFAULT_PACK_DIR / "README.md").read_text(encoding="utf-8")
    for name in required_clip_names():
        assert f"`{clip_file_name(name)}`" in readme, name
    for clip in CLIPS:
        if not clip.name.isalpha() or len(clip.name) > 1:
            assert f"| {clip.says} |" in readme, clip.name
    for mode in ("auto", "qt", "clips", "off"):
        assert f"`{mode}`" in readme, mode
    assert "tools/render_voice_pack.py" in readme


def test_the_shipped_pack_loads():
    pack = VoicePack.load()
    assert pack.directory == DEFAULT_PACK_DIR
    assert pack.audio_format.channels == 1
    assert pack.audio_format.sample_width == 2


def test_an_announcement_is_its_clips_joined_with_short_pauses():
    pack = VoicePack.load()
    names = clip_names("A017", 24)
    rendered = pack.render(names, chime=False, clip_gap_ms=50)
    with wave.open(io.BytesIO(rendered.wav), "rb") as reader:
        rate = reader.getframerate()
        frames = reader.readframes(reader.getnframes())
        assert reader.getnchannels() == 1
    clip_frames = [wav_info(DEFAULT_PACK_DIR / clip_file_name(name))[3] for name in names]
    gap_frames = rate * 50 // 1000
    assert len(frames) // 2 == sum(clip_frames) + gap_frames * (len(names) - 1)
    assert rendered.duration_ms == round(1000 * (len(frames) // 2) / rate)
    # The first clip's sound comes first, unchanged.
    with wave.open(str(DEFAULT_PACK_DIR / "qing.wav"), "rb") as reader:
        assert frames.startswith(reader.readframes(reader.getnframes()))


def test_the_chime_comes_first_and_only_when_asked():
    pack = VoicePack.load()
    names = clip_names("A017", 3)
    plain = pack.render(names, chime=False)
    chimed = pack.render(names, chime=True, chime_gap_ms=300)
    chime_frames = wav_info(DEFAULT_PACK_DIR / "chime.wav")[3]
    rate = pack.audio_format.frame_rate
    expected_extra_ms = 1000 * (chime_frames + rate * 300 // 1000) / rate
    assert chimed.duration_ms - plain.duration_ms == pytest.approx(expected_extra_ms, abs=1)
    with wave.open(str(DEFAULT_PACK_DIR / "chime.wav"), "rb") as reader:
        chime_sound = reader.readframes(reader.getnframes())
    with wave.open(io.BytesIO(chimed.wav), "rb") as reader:
        assert reader.readframes(chime_frames) == chime_sound


def test_a_pack_of_another_uniform_format_is_accepted(tmp_path):
    folder = tmp_path / "stereo_pack"
    folder.mkdir()
    for name in required_clip_names():
        write_wav(folder / clip_file_name(name), b"\x01\x00\x02\x00" * 800, channels=2, rate=22050)
    pack = VoicePack.load(folder)
    rendered = pack.render(["qing", "A"], chime=False, clip_gap_ms=100)
    with wave.open(io.BytesIO(rendered.wav), "rb") as reader:
        assert (reader.getnchannels(), reader.getframerate()) == (2, 22050)
        assert reader.getnframes() == 800 + 2205 + 800


def test_silence_in_an_8_bit_pack_is_the_midpoint(tmp_path):
    folder = tmp_path / "pack8"
    folder.mkdir()
    for name in required_clip_names():
        write_wav(folder / clip_file_name(name), b"\x90" * 160, sample_width=1, rate=16000)
    rendered = VoicePack.load(folder).render(["1", "2"], chime=False, clip_gap_ms=10)
    with wave.open(io.BytesIO(rendered.wav), "rb") as reader:
        frames = reader.readframes(reader.getnframes())
    assert frames == b"\x90" * 160 + b"\x80" * 160 + b"\x90" * 160


def test_a_missing_pack_folder_is_named(tmp_path):
    with pytest.raises(VoicePackError, match="does not exist") as error:
        VoicePack.load(tmp_path / "nowhere")
    assert "nowhere" in str(error.value)


def test_missing_clips_are_all_named(tmp_path):
    folder = copy_pack(tmp_path)
    (folder / "Q.wav").unlink()
    (folder / "banli.wav").unlink()
    with pytest.raises(VoicePackError, match="lacks 2 clip") as error:
        VoicePack.load(folder)
    assert "Q.wav" in str(error.value) and "banli.wav" in str(error.value)


def test_a_clip_in_another_format_is_named_with_both_formats(tmp_path):
    folder = copy_pack(tmp_path)
    write_wav(folder / "7.wav", b"\x00\x00" * 4410, rate=44100)
    with pytest.raises(VoicePackError, match="same format") as error:
        VoicePack.load(folder)
    message = str(error.value)
    assert "7.wav" in message and "44100 Hz" in message and "16000 Hz" in message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a readable PCM WAV"),
        (b"ID3\x03this is an mp3", "not a readable PCM WAV"),
        (None, "holds no sound"),
        ("long", "a clip is one word"),
    ],
)
def test_unusable_clip_files_are_named(tmp_path, content, message):
    folder = copy_pack(tmp_path)
    target = folder / "hao.wav"
    if content is None:
        write_wav(target, b"")
    elif content == "long":
        write_wav(target, bytes(2 * 16000 * 11))
    else:
        target.write_bytes(content)
    with pytest.raises(VoicePackError, match=message) as error:
        VoicePack.load(folder)
    assert "hao.wav" in str(error.value)


def test_an_unknown_clip_name_is_refused():
    with pytest.raises(VoicePackError, match="no clip 'ni'"):
        VoicePack.load().render(["qing", "ni"], chime=False)


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="rendering needs espeak-ng and sox",
)
def test_the_render_tool_makes_a_complete_loadable_pack(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "render_voice_pack.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "rendered 45 clips" in completed.stdout
    pack = VoicePack.load(tmp_path)
    assert pack.audio_format == VoicePack.load().audio_format
    assert sorted(p.stem for p in tmp_path.glob("*.wav")) == sorted(required_clip_names())
