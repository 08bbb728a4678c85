"""UI state kept in QSettings, and the language switch (ours and Qt's own strings).

Only window state and the in-app language choice live here (organisation
"RecordsDesk"); settings that matter to the records themselves belong to the
core, not to Qt.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QCoreApplication, QLibraryInfo, QSettings, QTranslator
from PySide6.QtWidgets import QMainWindow, QSplitter

from recordsdesk import i18n

ORGANIZATION = "RecordsDesk"
APPLICATION = "RecordsDesk"

KEY_LANGUAGE = "ui/language"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/splitter/{name}"
KEY_WATCH_FOLDERS = "inbox/watch_folders"
KEY_FIRST_RUN_DONE = "first_run/done"

log = logging.getLogger("recordsdesk.ui.settings")

_qt_translator: QTranslator | None = None


def default_settings() -> QSettings:
    """The user's settings (works before a QApplication exists)."""
    return QSettings(ORGANIZATION, APPLICATION)


def stored_language(settings: QSettings) -> str | None:
    value = settings.value(KEY_LANGUAGE)
    return value if isinstance(value, str) and value in i18n.LANGUAGES else None


def choose_language(explicit: str | None, settings: QSettings) -> str:
    """``--lang`` first, then the in-app choice, then the environment (Dutch default)."""
    if explicit in i18n.LANGUAGES:
        return explicit
    return stored_language(settings) or i18n.language_from_environment()


def apply_language(language: str) -> None:
    """Switch our catalogues and Qt's own strings (buttons, file dialogs) to ``language``."""
    global _qt_translator
    i18n.set_language(language)
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if i18n.current_language() == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{i18n.current_language()}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
    else:
        log.info("Qt translations for %s not found in %s", i18n.current_language(), folder)


def qt_translator_loaded() -> bool:
    return _qt_translator is not None


def watch_folders(settings: QSettings) -> bool:
    """Whether the open window watches the drop folders itself (on unless switched off)."""
    value = settings.value(KEY_WATCH_FOLDERS, True)
    if isinstance(value, str):  # INI files and some platforms give back text
        return value.strip().lower() not in ("false", "0", "no", "off")
    return bool(value)


def set_watch_folders(settings: QSettings, on: bool) -> None:
    settings.setValue(KEY_WATCH_FOLDERS, on)


def first_run_done(settings: QSettings) -> bool:
    """Whether this user has seen the first-run assistant (finished or cancelled)."""
    value = settings.value(KEY_FIRST_RUN_DONE, False)
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "1"))


def set_first_run_done(settings: QSettings) -> None:
    settings.setValue(KEY_FIRST_RUN_DONE, True)


def save_window(settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    settings.setValue(KEY_GEOMETRY, window.saveGeometry())
    settings.setValue(KEY_STATE, window.saveState())
    for name, splitter in splitters.items():
        settings.setValue(KEY_SPLITTER.format(name=name), splitter.saveState())


def restore_window(
    settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]
) -> bool:
    """Restore geometry and splitters; ``False`` when there was nothing stored."""
    geometry = settings.value(KEY_GEOMETRY)
    restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
    state = settings.value(KEY_STATE)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    for name, splitter in splitters.items():
        value = settings.value(KEY_SPLITTER.format(name=name))
        if isinstance(value, QByteArray):
            splitter.restoreState(value)
    return restored
