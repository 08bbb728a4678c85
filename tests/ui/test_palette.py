"""The command palette (Ctrl+K) and the keyboard shortcut list (F1), on the real window."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from recordsdesk.ui.dialogs import NewDossierDialog
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.palette import CommandPalette, ShortcutList, commands
from tests.ui.conftest import WAIT_MS
from tests.ui.test_accessibility_tree import problems

pytestmark = pytest.mark.gui


def _palette(qtbot: QtBot, window: MainWindow) -> CommandPalette:
    window.commands.command_palette.trigger()
    qtbot.waitUntil(lambda: window.findChild(CommandPalette) is not None, timeout=WAIT_MS)
    palette = window.findChild(CommandPalette)
    assert palette is not None
    return palette


def _labels(palette: CommandPalette) -> list[str]:
    return [palette.list.item(row).text() for row in range(palette.list.count())]


def test_every_menu_command_is_in_the_palette_with_its_key(window: MainWindow) -> None:
    found = {c.path: c.shortcut for c in commands(window)}
    assert found["Bestand › Nieuw dossier…"] == "Ctrl+N"
    assert found["Beeld › Opdracht zoeken…"] == "Ctrl+K"
    assert found["Beeld › Taal / Language › English"] == ""  # a submenu's commands too
    assert "Archiefbeheer › Woo-verzoeken…" in found  # added to a menu by the tool windows
    assert all("&" not in path for path in found)  # mnemonics are not shown


def test_typing_narrows_and_enter_runs_the_command(qtbot: QtBot, window: MainWindow) -> None:
    palette = _palette(qtbot, window)
    assert palette.query.hasFocus() or palette.query is palette.focusWidget()
    everything = palette.list.count()
    qtbot.keyClicks(palette.query, "DOSSIER nieuw")  # any order, any case
    assert _labels(palette) == ["Bestand › Nieuw dossier…    Ctrl+N"]
    assert palette.list.count() < everything
    qtbot.keyClick(palette.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.findChild(NewDossierDialog) is not None, timeout=WAIT_MS)
    assert window.findChild(CommandPalette) is None  # closed (and gone) first
    dialog = window.findChild(NewDossierDialog)
    assert dialog is not None
    dialog.reject()


def test_up_and_down_choose_while_the_text_keeps_the_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    palette = _palette(qtbot, window)
    first = palette.list.currentRow()
    qtbot.keyClick(palette.query, Qt.Key.Key_Down)  # to the next command that can run
    second = palette.list.currentRow()
    assert second > first
    assert palette.list.item(second).flags() & Qt.ItemFlag.ItemIsEnabled
    assert palette.query.hasFocus() or palette.focusWidget() is palette.query
    qtbot.keyClick(palette.query, Qt.Key.Key_Up)
    assert palette.list.currentRow() == first
    qtbot.keyClicks(palette.query, "geen opdracht heet zo")
    assert palette.list.count() == 0
    assert palette.hint.text() == "Geen opdracht past."
    assert not palette.run_current()
    palette.close()


def test_a_disabled_command_is_listed_with_its_reason_and_does_not_run(
    qtbot: QtBot, window: MainWindow
) -> None:
    # no dossier is selected in an empty data folder: filing is not possible
    assert not window.commands.file_files.isEnabled()
    palette = _palette(qtbot, window)
    qtbot.keyClicks(palette.query, "archiveren")
    labels = _labels(palette)
    assert "Bestand › Bestanden archiveren…    Ctrl+O" in labels
    # the disabled command is never the one chosen (Beeld › Werkruimte › Archiveren may be)
    assert palette.current() is None or palette.current().action is not window.commands.file_files
    item = palette.list.item(labels.index("Bestand › Bestanden archiveren…    Ctrl+O"))
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert item.toolTip() == window.commands.file_files.toolTip()  # the reason
    palette.query.clear()
    qtbot.keyClicks(palette.query, "bestanden archiveren")  # only the disabled one
    assert palette.current() is None
    said = palette.hint.accessibleName()
    assert said.startswith("Geen van deze opdrachten kan nu worden gebruikt. Bestand › ")
    assert said.endswith(window.commands.file_files.toolTip())
    palette.close()


def test_the_shortcut_list_names_every_key(qtbot: QtBot, window: MainWindow) -> None:
    window.commands.shortcuts.trigger()
    qtbot.waitUntil(lambda: window.findChild(ShortcutList) is not None, timeout=WAIT_MS)
    shown = window.findChild(ShortcutList)
    assert shown is not None
    rows = {
        shown.table.item(row, 0).text(): shown.table.item(row, 1).text()
        for row in range(shown.table.rowCount())
    }
    assert rows["Beeld › Opdracht zoeken…"] == "Ctrl+K"
    assert rows["Help › Sneltoetsen"] == "F1"
    assert rows["Bestand › Nieuw dossier…"] == "Ctrl+N"
    assert rows["Metagegevens › Laatste opslag ongedaan maken"] == "Ctrl+Alt+Z"  # a window's
    assert all(rows.values())  # only commands that have a key
    shown.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_palette_and_shortcut_list_are_named_and_described(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    if language != "nl":
        window.commands.languages[language].trigger()
    palette = _palette(qtbot, window)
    window.commands.shortcuts.trigger()
    qtbot.waitUntil(lambda: window.findChild(ShortcutList) is not None, timeout=WAIT_MS)
    shortcut_list = window.findChild(ShortcutList)
    assert shortcut_list is not None
    found: dict[str, list[str]] = {}
    for name, view in (("palette", palette), ("shortcuts", shortcut_list)):
        if listed := problems(view, descriptions=True):
            found[name] = listed
    for view in (palette, shortcut_list):
        assert isinstance(view, QDialog)
        view.close()
    assert found == {}
