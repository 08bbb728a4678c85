"""Language: Dutch by default, English on request, immediately and remembered."""

from __future__ import annotations

import ast
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings, Qt

from recordsdesk import i18n
from recordsdesk.i18n import parse_po
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from tests.ui.conftest import open_window

REPO = Path(__file__).resolve().parents[2]


def test_switching_language_retranslates_at_once_and_back(
    qtbot: QtBot, window: MainWindow, ui_settings_file: QSettings
) -> None:
    commands = window.commands
    assert commands.new_dossier.text() == "&Nieuw dossier…"
    assert commands.file_files.text() == "Bestanden &archiveren…"
    assert commands.file_menu.title() == "&Bestand"
    assert window.dossiers.headerData(1, Qt.Orientation.Horizontal) == "Titel"
    assert ui_settings.qt_translator_loaded()
    assert window.status_label.text() == "Gereed."

    commands.languages["en"].trigger()
    assert i18n.current_language() == "en"
    assert commands.new_dossier.text() == "&New dossier…"
    assert commands.file_files.text() == "&File documents…"
    assert commands.refresh.text() == "&Refresh"
    assert commands.file_menu.title() == "&File"
    assert window.dossiers.headerData(1, Qt.Orientation.Horizontal) == "Title"
    assert "Select a dossier first" in commands.file_files.toolTip()
    assert window.home_label.text().startswith("Data folder")
    assert window.status_label.text() == "Ready."  # the last result, shown again in English
    assert window.details.heading.text() == "Nothing selected"
    assert commands.languages["en"].isChecked()
    assert ui_settings_file.value(ui_settings.KEY_LANGUAGE) == "en"
    assert not ui_settings.qt_translator_loaded()

    commands.languages["nl"].trigger()
    assert commands.new_dossier.text() == "&Nieuw dossier…"
    assert commands.quit.text() == "Af&sluiten"
    assert ui_settings_file.value(ui_settings.KEY_LANGUAGE) == "nl"


def test_the_stored_choice_is_used_next_time(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path
) -> None:
    ui_settings_file.setValue(ui_settings.KEY_LANGUAGE, "en")
    assert ui_settings.choose_language(None, ui_settings_file) == "en"
    assert ui_settings.choose_language("nl", ui_settings_file) == "nl"  # --lang wins
    ui_settings.apply_language(ui_settings.choose_language(None, ui_settings_file))
    window = open_window(qtbot, ops, ui_settings_file, home)
    assert window.commands.new_dossier.text() == "&New dossier…"
    assert window.commands.languages["en"].isChecked()
    window.close()


def ui_msgids() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "recordsdesk" / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_window_string_has_a_dutch_translation() -> None:
    catalogue = parse_po((REPO / "resources" / "i18n" / "nl" / "ui.po").read_text("utf-8"))
    msgids = ui_msgids()
    assert len(msgids) > 100
    missing = sorted(m for m in msgids if not catalogue.get(m))
    assert not missing, f"untranslated in resources/i18n/nl/ui.po: {missing}"
    for msgid in msgids:  # placeholders must survive translation
        assert sorted(_fields(msgid)) == sorted(_fields(catalogue[msgid])), msgid


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
