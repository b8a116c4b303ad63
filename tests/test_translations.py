"""Every string a window shows is translated into Chinese, and the compiled files are current."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shared.qt.translations import sources

ROOT = Path(__file__).resolve().parents[1]
from shared.qt.i18n import PACKAGES as GUI_PACKAGES  # noqa: E402


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message.find("translation")
    return found


@pytest.mark.parametrize("package", GUI_PACKAGES)
def test_every_message_has_a_chinese_translation(package):
    ts = ROOT / package / "i18n" / f"{package}_zh_CN.ts"
    entries = messages(ts)
    assert entries, f"{ts} has no messages"
    missing = [
        src
        for (ctx, src), tr in entries.items()
        if tr is None
        or tr.get("type") in ("unfinished", "vanished", "obsolete")
        or not (tr.text or "").strip()
    ]
    assert not missing, f"untranslated in {ts.name}: {missing}"


@pytest.mark.parametrize("package", GUI_PACKAGES)
def test_sources_have_no_strings_missing_from_the_translation_file(package, tmp_path):
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed in this environment")
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [lupdate, *map(str, sources(package)), "-ts", str(fresh)], check=True, capture_output=True
    )
    committed = messages(ROOT / package / "i18n" / f"{package}_zh_CN.ts")
    new = [key for key in messages(fresh) if key not in committed]
    assert not new, (
        f"strings not in the .ts yet (run `make translations` and translate them): {new}"
    )


@pytest.mark.parametrize("package", GUI_PACKAGES)
def test_compiled_translation_matches_its_source(package, tmp_path):
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed in this environment")
    ts = ROOT / package / "i18n" / f"{package}_zh_CN.ts"
    compiled = tmp_path / "fresh.qm"
    subprocess.run([lrelease, str(ts), "-qm", str(compiled)], check=True, capture_output=True)
    assert ts.with_suffix(".qm").read_bytes() == compiled.read_bytes(), "run `make translations`"
