"""A titled list: label (with a keyboard mnemonic), table view and an empty-state hint."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.ui.models.lazy import LazyIdModel
from recordsdesk.ui.views.tables import fit_columns

TITLE_COLUMN = 1


class ListPanel(QWidget):
    """One of the two lists of the main window (dossiers, records).

    Rows are a fixed height and columns are not sized to their contents, so the
    view never asks a lazy model for rows it does not show.
    """

    def __init__(self, model: LazyIdModel[Any], name: str, *, extended: bool) -> None:
        super().__init__()
        self.setObjectName(f"{name}Panel")
        self.model = model
        self.label = QLabel()
        self.label.setObjectName(f"{name}Label")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.view = QTableView()
        self.view.setObjectName(name)
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if extended
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.view.setTabKeyNavigation(False)  # Tab leaves the list (focus order)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        line = self.view.fontMetrics().height()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(line + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.label.setBuddy(self.view)
        self.hint = QLabel()
        self.hint.setObjectName(f"{name}Hint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

    def set_column_widths(self, widths: dict[int, str]) -> None:
        """Size columns to fit a sample text (e.g. a kenmerk) and their header, not all
        rows; again when the font changes (see ``tables.fit_columns``)."""
        fit_columns(self.view, widths)

    def set_texts(self, title: str, accessible: str, hint: str) -> None:
        self.label.setText(title)
        self.view.setAccessibleName(accessible)
        self.view.setAccessibleDescription(hint or title.replace("&", ""))
        self.hint.setText(hint)
        self.hint.setAccessibleName(hint)
        self.hint.setVisible(bool(hint))

    def select_rows(self, rows: list[int]) -> None:
        """Select ``rows`` (the first becomes current) and scroll to the first."""
        if not rows:
            return
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        first = self.model.index(rows[0], 0)
        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(first, flags.NoUpdate)
        self.view.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)
        self.view.scrollTo(first)
