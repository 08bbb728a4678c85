"""Font scaling up to 200 %: the lists' columns fit their headers again, and the
details put each label above its value, so no value is cut at the pane's edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from tests.ui.conftest import WAIT_MS

pytestmark = pytest.mark.gui


@contextmanager
def doubled_font() -> Iterator[None]:
    """The application font at twice its size (200 % font scaling), then back."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(large)
    try:
        yield
    finally:
        app.setFont(normal)


def test_the_lists_refit_their_columns_when_the_font_doubles(
    qtbot: QtBot, window: MainWindow
) -> None:
    panels = (window.dossier_panel, window.record_panel)
    before = [panel.view.columnWidth(0) for panel in panels]
    with doubled_font():
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


def _values(window: MainWindow) -> list[QLabel]:
    form = window.details.form
    found = [form.itemAt(row, QFormLayout.ItemRole.FieldRole) for row in range(form.rowCount())]
    return [
        item.widget() for item in found if item is not None and isinstance(item.widget(), QLabel)
    ]


def test_the_details_put_labels_above_values_when_the_font_doubles(
    qtbot: QtBot, dossier: Created, window: MainWindow
) -> None:
    window.details.show_dossier(dossier.id)
    qtbot.waitUntil(lambda: len(_values(window)) > 3, timeout=WAIT_MS)
    window.details.form_scroll.setFixedWidth(380)  # the pane as wide as in the screenshots
    form = window.details.form
    qtbot.waitUntil(lambda: form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.DontWrapRows)
    with doubled_font():
        qtbot.waitUntil(lambda: form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows)
        for label in _values(window):  # every value as wide as its longest word at least
            qtbot.waitUntil(lambda lbl=label: lbl.width() >= lbl.minimumSizeHint().width())
    qtbot.waitUntil(lambda: form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.DontWrapRows)
