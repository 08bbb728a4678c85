"""A repeatable element: a list of rows, each the editor of one repeat, that the user
can add to, remove from and reorder, all by keyboard (the row's buttons are in the
focus chain and have accessible names; Alt+Up / Alt+Down move the row with the focus).

The value is the tuple of the rows' values, empty rows left out. Row paths follow
MDTO's problem paths: ``…/trefwoord`` while there is one row, ``…/trefwoord[2]``
once there are several, so a problem lands on the right row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import _
from recordsdesk.ui.views.metadata.fields import CompoundEditor, FieldEditor, is_empty

#: makes the editor of one row: (path, accessible name)
RowFactory = Callable[[str, str], FieldEditor]


class _Row(QWidget):
    def __init__(self, editor: FieldEditor) -> None:
        super().__init__()
        self.editor = editor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor, 1)
        self.up = QToolButton()
        self.up.setText("↑")
        self.down = QToolButton()
        self.down.setText("↓")
        self.remove = QToolButton()
        self.remove.setText("✕")
        # a sub-form has its buttons in a column beside it, a one-line field in a row
        buttons = QVBoxLayout() if isinstance(editor, CompoundEditor) else QHBoxLayout()
        for button in (self.up, self.down, self.remove):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            buttons.addWidget(button)
        if isinstance(buttons, QVBoxLayout):
            buttons.addStretch(1)
        layout.addLayout(buttons)


class RepeatableEditor(FieldEditor):
    """Rows of ``make_row`` editors with add, remove, move up and move down."""

    def __init__(
        self,
        path: str,
        name: str,
        make_row: RowFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(path, name, parent)
        self.make_row = make_row
        self.rows: list[_Row] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.rows_layout)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        add_line = QHBoxLayout()
        add_line.addWidget(self.add_button)
        add_line.addStretch(1)
        layout.addLayout(add_line)
        self._named()

    # -- rows ---------------------------------------------------------------
    def _row_path(self, index: int) -> str:
        return self.path if len(self.rows) == 1 else f"{self.path}[{index + 1}]"

    def _row_name(self, index: int) -> str:
        return f"{self.name} {index + 1}"

    def add_row(self, value: Any = None, *, focus: bool = False) -> FieldEditor:
        """Append a row (with ``value``, if given) and return its editor."""
        index = len(self.rows)
        editor = self.make_row(self._row_path(index), self._row_name(index))
        if value is not None:
            editor.set_value(value)
        row = _Row(editor)
        row.up.clicked.connect(lambda: self.move_row(row, -1))
        row.down.clicked.connect(lambda: self.move_row(row, 1))
        row.remove.clicked.connect(lambda: self.remove_row(row))
        editor.changed.connect(self.changed)
        for widget in (editor, *editor.findChildren(QWidget)):
            widget.installEventFilter(self)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        self._renumber()
        if focus:
            editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
            self.changed.emit()
        return editor

    def remove_row(self, row: _Row) -> None:
        index = self.rows.index(row)
        self.rows.pop(index)
        self.rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        if self.rows:
            target = self.rows[min(index, len(self.rows) - 1)]
            target.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def move_row(self, row: _Row, step: int) -> None:
        index = self.rows.index(row)
        target = index + step
        if not 0 <= target < len(self.rows):
            return
        self.rows[index], self.rows[target] = self.rows[target], self.rows[index]
        self.rows_layout.removeWidget(row)
        self.rows_layout.insertWidget(target, row)
        self._renumber()
        row.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _renumber(self) -> None:
        last = len(self.rows) - 1
        previous: QWidget | None = None
        for index, row in enumerate(self.rows):
            row.editor.set_path(self._row_path(index), self._row_name(index))
            number = self._row_name(index)
            row.up.setAccessibleName(_("Move {item} up (Alt+Up)").format(item=number))
            row.up.setToolTip(row.up.accessibleName())
            row.down.setAccessibleName(_("Move {item} down (Alt+Down)").format(item=number))
            row.down.setToolTip(row.down.accessibleName())
            row.remove.setAccessibleName(_("Remove {item}").format(item=number))
            row.remove.setToolTip(row.remove.accessibleName())
            row.up.setEnabled(index > 0)
            row.down.setEnabled(index < last)
            if previous is not None:
                QWidget.setTabOrder(previous, row.editor.focus_target())
            previous = row.remove
        if previous is not None:
            QWidget.setTabOrder(previous, self.add_button)

    def _named(self) -> None:
        self.add_button.setText(_("Add {item}").format(item=self.name.lower()))
        self.add_button.setAccessibleName(self.add_button.text())
        self.add_button.setToolTip(
            _("Add a row for another {item}; the new row gets the focus").format(
                item=self.name.lower()
            )
        )
        self._renumber()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Alt+Up / Alt+Down in a row move that row."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and event.modifiers() == Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            owner: QWidget | None = watched
            while owner is not None and not isinstance(owner, RepeatableEditor):
                owner = owner.parentWidget()
            if owner is not self:
                return False  # a row of a repeat inside one of ours: that one moves it
            for row in self.rows:
                if watched is row.editor or row.editor.isAncestorOf(watched):
                    self.move_row(row, -1 if event.key() == Qt.Key.Key_Up else 1)
                    return True
        return super().eventFilter(watched, event)

    # -- value ----------------------------------------------------------------
    def value(self) -> tuple[Any, ...]:
        values = (row.editor.value() for row in self.rows)
        return tuple(v for v in values if not is_empty(v))

    def set_value(self, value: Any) -> None:
        for row in list(self.rows):
            self.rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        for item in value or ():
            self.add_row(item)

    def focus_target(self) -> QWidget:
        return self.rows[0].editor.focus_target() if self.rows else self.add_button

    def editors(self) -> Iterator[FieldEditor]:
        yield self
        for row in self.rows:
            yield from row.editor.editors()
