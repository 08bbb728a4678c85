"""Role workspaces (Beeld › Werkruimte): the docks of each role, and their memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget

from recordsdesk.ui.dialogs import NewDossierDialog
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.palette import commands
from recordsdesk.ui.views.retention import DisposalListsView, DueListView
from recordsdesk.ui.views.search import SearchView
from recordsdesk.ui.views.woo import WooRequestView
from recordsdesk.ui.workspaces import FILING, RECORDS_MANAGEMENT, WOO
from tests.ui.conftest import WAIT_MS, open_window, settle
from tests.ui.test_accessibility_tree import problems

pytestmark = pytest.mark.gui


def _dock(window: MainWindow, name: str) -> QDockWidget:
    dock = window.findChild(QDockWidget, name)
    assert dock is not None, name
    return dock


def _switch(qtbot: QtBot, window: MainWindow, name: str) -> None:
    window.workspaces.actions[name].trigger()
    settle(qtbot, window)


def test_each_workspace_docks_the_views_of_its_role(qtbot: QtBot, window: MainWindow) -> None:
    size = window.size()
    assert window.workspaces.current == FILING and window.inbox_dock.isVisible()
    _switch(qtbot, window, RECORDS_MANAGEMENT)
    due, lists = _dock(window, "dueListDock"), _dock(window, "disposalListsDock")
    assert isinstance(due.widget(), DueListView) and isinstance(lists.widget(), DisposalListsView)
    assert due.isVisible() and not due.widget().isWindow()  # in the window, not beside it
    assert window.tabifiedDockWidgets(due) == [lists]
    assert not window.inbox_dock.isVisible()
    assert window.size() == size  # two wide views docked do not widen the window
    assert not window.statusBar().isHidden() and "Informatiebeheer" in window.status_label.text()

    _switch(qtbot, window, WOO)
    woo, search = _dock(window, "wooRequestsDock"), _dock(window, "searchDock")
    assert isinstance(woo.widget(), WooRequestView) and isinstance(search.widget(), SearchView)
    assert woo.isVisible() and not due.isVisible() and not lists.isVisible()
    assert window.size() == size

    _switch(qtbot, window, FILING)
    assert window.inbox_dock.isVisible()
    assert not any(d.isVisible() for d in (due, lists, woo, search))


def test_a_docked_view_is_raised_by_its_menu_and_escape_does_not_empty_its_dock(
    qtbot: QtBot, window: MainWindow
) -> None:
    _switch(qtbot, window, RECORDS_MANAGEMENT)
    lists = _dock(window, "disposalListsDock")
    view = lists.widget()
    assert isinstance(view, DisposalListsView) and not view.close_button.isVisibleTo(view)
    window.commands.disposal_lists.trigger()  # Archiefbeheer › Lijsten… (Ctrl+Shift+L)
    settle(qtbot, window)
    assert window.findChildren(DisposalListsView) == [view]  # no second window
    assert not window.findChildren(DueListView)[0].isWindow()
    view.table.setFocus() if hasattr(view, "table") else view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.isVisible() and lists.widget() is view

    _switch(qtbot, window, FILING)
    window.commands.due_list.trigger()  # the due list's dock comes back, in front
    settle(qtbot, window)
    assert _dock(window, "dueListDock").isVisible()
    assert len(window.findChildren(DueListView)) == 1


def test_each_workspace_keeps_its_own_layout_across_switches_and_restarts(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path
) -> None:
    window = open_window(qtbot, ops, ui_settings_file, home)
    _switch(qtbot, window, RECORDS_MANAGEMENT)
    due, lists = _dock(window, "dueListDock"), _dock(window, "disposalListsDock")
    window.splitDockWidget(due, lists, Qt.Orientation.Vertical)  # the user drags one away
    lists.setFloating(True)
    _switch(qtbot, window, WOO)
    _dock(window, "searchDock").close()  # the user closes search in the Woo workspace
    _switch(qtbot, window, RECORDS_MANAGEMENT)
    assert lists.isFloating() and lists.isVisible()
    _switch(qtbot, window, WOO)
    assert not _dock(window, "searchDock").isVisible()
    assert _dock(window, "wooRequestsDock").isVisible()
    window.close()

    again = open_window(qtbot, Ops(), ui_settings_file, home)  # the last workspace opens
    try:
        qtbot.waitUntil(lambda: again.findChild(QDockWidget, "wooRequestsDock") is not None,
                        timeout=WAIT_MS)  # fmt: skip
        settle(qtbot, again)
        assert again.workspaces.current == WOO
        assert again.workspaces.actions[WOO].isChecked()
        assert _dock(again, "wooRequestsDock").isVisible()
        assert not _dock(again, "searchDock").isVisible()
        assert not again.inbox_dock.isVisible()
        _switch(qtbot, again, RECORDS_MANAGEMENT)
        assert _dock(again, "disposalListsDock").isFloating()
        _switch(qtbot, again, FILING)  # its own layout, not the one the window opened with
        assert again.inbox_dock.isVisible()
    finally:
        again.close()
        again.ops.shutdown()


def test_the_workspaces_are_commands_with_keys_names_and_english_texts(
    qtbot: QtBot, window: MainWindow
) -> None:
    found = {c.path: c.shortcut for c in commands(window)}
    assert found["Beeld › Werkruimte › Archiveren"] == "Ctrl+Alt+1"
    assert found["Beeld › Werkruimte › Informatiebeheer"] == "Ctrl+Alt+2"
    assert found["Beeld › Werkruimte › Woo-verzoeken en zoeken"] == "Ctrl+Alt+3"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.AltModifier)  # fmt: skip
    settle(qtbot, window)
    assert window.workspaces.current == RECORDS_MANAGEMENT
    assert problems(window, descriptions=True) == []  # the docked views are named, too
    window.set_language("en")
    settle(qtbot, window)
    found = {c.path: c.shortcut for c in commands(window)}
    assert found["View › Workspace › Records management"] == "Ctrl+Alt+2"
    assert (
        _dock(window, "dueListDock").windowTitle()
        == _dock(window, "dueListDock").widget().windowTitle()
    )


def test_the_windows_keys_still_work_with_views_docked(qtbot: QtBot, window: MainWindow) -> None:
    _switch(qtbot, window, RECORDS_MANAGEMENT)  # the lists view has keys of its own
    window.dossier_panel.view.setFocus()
    qtbot.keyClick(window.dossier_panel.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(NewDossierDialog) is not None, timeout=WAIT_MS)
    dialog = window.findChild(NewDossierDialog)
    assert dialog is not None
    dialog.reject()
