"""Interface language: loads the compiled Qt translations (.qm) of every package.

Source strings are English; Chinese (zh_CN) is the default interface language.
Each GUI package keeps `i18n/<package>_zh_CN.ts` (edited) and the compiled `.qm`.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

PACKAGES = (
    "queue_kiosk",
    "counter_client",
    "display_board",
    "hall_hardware",
)  # the packages with windows
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
_ROOT = Path(__file__).resolve().parents[2]

# Keep translators alive as long as the application: Qt does not own them.
_installed: list[QTranslator] = []


def resolve_language(requested: str | None = None) -> str:
    """The language to use: the flag, else QUEUE_HALL_LANG, else Chinese."""
    lang = requested or os.environ.get("QUEUE_HALL_LANG") or DEFAULT_LANGUAGE
    lang = lang.replace("-", "_")
    if lang.lower().startswith("en"):
        return "en"
    if lang.lower().startswith("zh"):
        return "zh_CN"
    raise ValueError(
        f"unsupported interface language {requested!r}: choose one of {', '.join(LANGUAGES)}"
    )


def qm_path(package: str, lang: str) -> Path:
    return _ROOT / package / "i18n" / f"{package}_{lang}.qm"


def install_translations(app: QCoreApplication, requested: str | None = None) -> str:
    """Install the translators for `requested` (see resolve_language); returns the language."""
    lang = resolve_language(requested)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(
        QLocale(QLocale.Language.Chinese if lang == "zh_CN" else QLocale.Language.English)
    )
    if lang == "en":
        return lang
    # Qt's own texts (OK / Cancel on standard buttons, context menus) from PySide6's folder.
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{lang}", qt_folder):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    for package in PACKAGES:
        path = qm_path(package, lang)
        if not path.exists():
            continue
        translator = QTranslator(app)
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
    return lang
