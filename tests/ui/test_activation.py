"""Item views are not drawn again whole when their window is (de)activated, unless the
palette draws an inactive window differently (recordsdesk.ui.activation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QDialog, QListView, QVBoxLayout, QWidget

from recordsdesk.ui.activation import SameWhenInactive, quiet_activation
from recordsdesk.ui.mainwindow import MainWindow


class Paints(QObject):
    """Counts the paint events of what it is installed on."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.fixture
def lists(qtbot: QtBot) -> Iterator[tuple[QWidget, QListView, QListView]]:
    """A window with two lists, the first one focused."""
    window = QWidget()
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    views = []
    for name in ("first", "second"):
        view = QListView()
        view.setObjectName(name)
        view.setModel(QStringListModel([f"{name} {n}" for n in range(30)], view))
        column.addWidget(view)
        views.append(view)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    views[0].setFocus()
    yield window, views[0], views[1]


def switch_away_and_back(qtbot: QtBot, window: QWidget, paints: Paints) -> int:
    """Activate another window, then ``window`` again; the paints seen meanwhile."""
    other = QDialog(window)
    other.setWindowFlag(Qt.WindowType.Window, True)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow)
    qtbot.wait(50)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.wait(50)
    other.close()
    return paints.count


def counted(view: QAbstractItemView) -> Paints:
    paints = Paints()
    paints.setParent(view)
    view.viewport().installEventFilter(paints)  # installed last: sees every event first
    return paints


def test_without_it_qt_draws_every_list_again(
    qtbot: QtBot, lists: tuple[QWidget, QListView, QListView]
) -> None:
    """What the filter is for (and proof that the test sees repaints at all)."""
    window, _focused, other = lists
    paints = counted(other)
    assert switch_away_and_back(qtbot, window, paints) >= 2


def test_an_unfocused_list_is_not_drawn_again(
    qtbot: QtBot, lists: tuple[QWidget, QListView, QListView]
) -> None:
    window, focused, other = lists
    guard = quiet_activation(window)
    assert isinstance(guard, SameWhenInactive)
    assert window.palette().isEqual(QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
    paints, focus_paints = counted(other), counted(focused)
    assert switch_away_and_back(qtbot, window, paints) == 0
    assert focus_paints.count >= 2, "the focused list still shows the focus going and coming"


def test_a_palette_that_greys_an_inactive_selection_is_drawn_again(
    qtbot: QtBot, lists: tuple[QWidget, QListView, QListView]
) -> None:
    window, _focused, other = lists
    quiet_activation(window)
    palette = window.palette()
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor("grey"))
    window.setPalette(palette)
    qtbot.wait(50)
    paints = counted(other)
    assert switch_away_and_back(qtbot, window, paints) >= 2


def test_the_main_windows_lists_are_not_drawn_again(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.dossier_panel.view.setFocus()
    views = [window.findChild(QAbstractItemView, name) for name in ("recordList", "inboxList")]
    assert all(view is not None and view.isVisible() for view in views)
    paints = [counted(view) for view in views if view is not None]
    switch_away_and_back(qtbot, window, paints[0])
    assert [p.count for p in paints] == [0, 0]
