"""The table views of the app's lists: whole rows selected, several at once, read-only,
compact fixed-height rows, no row numbers. One place, so every list behaves alike."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def row_table(name: str, model: QAbstractItemModel) -> QTableView:
    """A read-only table over ``model`` with the object name ``name``."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    return view


def fit_columns(view: QTableView, samples: dict[int, str]) -> None:
    """Size ``view``'s columns to fit a sample text each (e.g. a kenmerk) and their
    header, not all rows; again whenever the view's font changes (a larger system
    font, up to 200 %), so no header is clipped."""
    metrics, header = view.fontMetrics(), view.horizontalHeader()
    model = view.model()
    for column, sample in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "") if model else ""
        wanted = max(metrics.horizontalAdvance(sample),
                     header.fontMetrics().horizontalAdvance(title) + 8)  # fmt: skip
        view.setColumnWidth(column, wanted + 16)
    refit = view.findChild(_RefitOnFontChange)
    if refit is None:
        refit = _RefitOnFontChange(view)
        view.installEventFilter(refit)
    refit.samples = dict(samples)


class _RefitOnFontChange(QObject):
    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self.samples: dict[int, str] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FontChange and watched is self.view:
            fit_columns(self.view, self.samples)
        return False
