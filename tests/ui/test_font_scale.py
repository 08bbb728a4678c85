"""Font scaling up to 200 %: the lists' columns fit their headers again."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from recordsdesk.ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


def test_the_lists_refit_their_columns_when_the_font_doubles(
    qtbot: QtBot, window: MainWindow
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    panels = (window.dossier_panel, window.record_panel)
    before = [panel.view.columnWidth(0) for panel in panels]
    normal = app.font()
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(large)
    try:
        qtbot.waitUntil(
            lambda: all(
                p.view.columnWidth(0) > w * 1.6 for p, w in zip(panels, before, strict=True)
            )
        )
        for panel, sized in (
            (window.dossier_panel, (0, 2, 3)),
            (window.record_panel, (0, 2, 3, 4, 5)),
        ):
            header = panel.view.horizontalHeader()
            for column in sized:
                title = str(panel.model.headerData(column, Qt.Orientation.Horizontal))
                assert header.sectionSize(column) > header.fontMetrics().horizontalAdvance(title), (
                    title
                )
    finally:
        app.setFont(normal)
