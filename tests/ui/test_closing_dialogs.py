"""Archiefbeheer › Dossier classificeren… and Dossier afsluiten… in the window."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from recordsdesk.services import show_dossier
from recordsdesk.services.dto import Created
from recordsdesk.ui.closing_dialogs import ClassifyDialog, CloseDialog
from recordsdesk.ui.mainwindow import MainWindow
from tests.ui.conftest import WAIT_MS, settle
from tests.ui.test_accessibility_tree import problems

pytestmark = pytest.mark.gui


def test_classify_then_close_the_selected_dossier(
    qtbot: QtBot, dossier: Created, window: MainWindow
) -> None:
    assert window.select_dossier(dossier.id)
    window.commands.classify.trigger()  # Ctrl+Shift+K
    dialog = window.findChild(ClassifyDialog)
    assert dialog is not None and not dialog.ok_button.isEnabled()
    assert problems(dialog, descriptions=True) == []
    dialog.result_edit.setText("99.99")  # no such result: refused, the dialog stays
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox) is not None, timeout=WAIT_MS)
    box = dialog.findChild(QMessageBox)
    assert box is not None and dialog.isVisible()
    box.close()
    dialog.result_edit.setText("1.5")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.ok_button.click()
    settle(qtbot, window)
    assert "geclassificeerd" in window.status_label.text()
    ws = window.ops.workspace
    assert ws is not None
    assert show_dossier(ws, dossier.kenmerk).waardering == "V"

    window.commands.close_dossier.trigger()  # Ctrl+Shift+G
    closing = window.findChild(CloseDialog)
    assert closing is not None and closing.ok_button.isEnabled()
    assert problems(closing, descriptions=True) == []
    with qtbot.waitSignal(closing.accepted, timeout=WAIT_MS):
        closing.ok_button.click()
    settle(qtbot, window)
    assert show_dossier(ws, dossier.kenmerk).status == "closed"
    assert "afgesloten; archiefactiedatum" in window.status_label.text()


def test_without_a_selected_dossier_it_says_so(window: MainWindow) -> None:
    window.dossier_panel.view.clearSelection()
    window.dossier_panel.view.setCurrentIndex(window.dossiers.index(-1, 0))
    window.commands.close_dossier.trigger()
    assert window.findChild(CloseDialog) is None
    assert "Kies eerst een dossier" in window.status_label.text()


def test_the_lists_context_menus_hold_the_commands_on_the_selection(window: MainWindow) -> None:
    a = window.commands
    dossiers, records = window.dossier_panel.view, window.record_panel.view
    for view in (dossiers, records):
        assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert {a.classify, a.close_dossier, a.edit_metadata} <= set(dossiers.actions())
    assert {a.file_files, a.edit_metadata} <= set(records.actions())
