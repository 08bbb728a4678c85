"""Which editor an MDTO element gets, the inherited-value wrapper, and read-only views.

:func:`make_editor` reads an element's declaration (``model.element``): a
repeating element becomes a :class:`RepeatableEditor` of rows, a begrip a picker
over its value list (:data:`.begrip.LISTS`), a compound type a sub-form, text a
text field. The archiefvormer's name offers the TOOI municipalities; choosing
one fills in its TOOI identification.

:class:`InheritedField` shows, on a record, a value that comes from the dossier:
"Waarde uit dossier D-… gebruiken" checked shows the dossier's value, read-only;
unchecked, the record has its own value (starting from the dossier's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import Field
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import _
from recordsdesk.mdto import begrippen, model, tooi
from recordsdesk.ui.models.cells import OneCallPerCell
from recordsdesk.ui.views.metadata.begrip import (
    LISTS,
    OWN_LISTS,
    BegripPicker,
    ClosedBegripPicker,
    FreeBegripEditor,
)
from recordsdesk.ui.views.metadata.fields import (
    DATES,
    LONG_TEXT,
    CompoundEditor,
    FieldEditor,
    TextEditor,
    summary,
)
from recordsdesk.ui.views.metadata.repeat import RepeatableEditor


def make_editor(f: Field[Any], path: str, name: str) -> FieldEditor:
    """The editor for element field ``f`` (all its repeats, if it repeats)."""
    element = f.metadata["mdto"]
    kind = f.metadata["kind"]
    if f.metadata["many"]:
        offered = OFFERED.get()  # rows are added later, outside the form's building

        def row(row_path: str, row_name: str) -> FieldEditor:
            # a row is there because someone added it: blank rows are left out anyway
            token = OFFERED.set(offered)
            try:
                return _one(element, kind, row_path, row_name, required=True)
            finally:
                OFFERED.reset(token)

        return RepeatableEditor(path, name, row)
    return _one(element, kind, path, name, required=bool(f.metadata["required"]))


def _one(element: str, kind: type, path: str, name: str, *, required: bool) -> FieldEditor:
    if kind is model.Begrip:
        keys = LISTS.get(element)
        if keys is not None and begrippen.get(keys[0]).closed:
            return ClosedBegripPicker(path, name, keys[0])  # always: its values are the only ones
        offered = OFFERED.get()
        if keys is not None and offered is not None:
            keys = tuple(k for k in keys if k in offered) or None
        if keys is None:
            return FreeBegripEditor(path, name, lists=OWN_LISTS.get(element, ()))
        return BegripPicker(path, name, keys)
    if kind in model.SCALARS:
        placeholder = _("YYYY-MM-DD") if element in DATES else ""
        return TextEditor(
            path, name, required=required, long=element in LONG_TEXT, placeholder=placeholder
        )
    editor = CompoundEditor(kind, path, name, make_editor, required=required)
    if element == "archiefvormer":
        offer_municipalities(editor)
    return editor


#: the value lists the organisation offers (setting ``mdto.lists``; None: all), set by
#: the form while it builds its editors (see :func:`offering`)
OFFERED: ContextVar[frozenset[str] | None] = ContextVar("offered_lists", default=None)


@contextmanager
def offering(lists: Iterable[str]) -> Iterator[None]:
    """Build editors that offer only ``lists`` (a closed list is always offered; an
    element left without a list gets free input: label, code and list name)."""
    token = OFFERED.set(frozenset(lists) or None)
    try:
        yield
    finally:
        OFFERED.reset(token)


@lru_cache(maxsize=1)
def _municipalities() -> dict[str, tooi.Gemeente]:
    return {g.label: g for g in tooi.municipalities()}


def warm_caches() -> None:
    """Read the value lists and the municipalities once (call it on a worker: the
    first read takes tens of milliseconds, too long for the GUI thread)."""
    begrippen.lists()
    _municipalities()


def offer_municipalities(editor: CompoundEditor) -> None:
    """The name field of an archiefvormer completes TOOI municipalities; picking one
    fills in its TOOI identification (the archive's identifier of a gemeente)."""
    naam = editor.children_by_field["naam"]
    ident = editor.children_by_field["identificatie"]
    if not isinstance(naam, TextEditor) or not isinstance(naam.edit, QLineEdit):
        return
    known = _municipalities()
    completer = QCompleter(QStringListModel(list(known), editor), editor)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    naam.edit.setCompleter(completer)
    naam.edit.setPlaceholderText(_("Type to search the municipalities…"))

    def picked(label: str) -> None:
        gemeente = known.get(label)
        if gemeente is not None:
            ident.set_value(gemeente.archiefvormer().identificatie)
            editor.changed.emit()

    completer.activated.connect(picked)


class InheritedField(FieldEditor):
    """A record's value that can come from its dossier; wraps the field's editor."""

    def __init__(
        self,
        editor: FieldEditor,
        own: Any,
        parent_value: Any,
        parent_kenmerk: str,
        inherits: bool,
    ) -> None:
        super().__init__(editor.path, editor.name)
        self.editor = editor
        self._own = own  # as stored: given back unchanged while the field inherits
        self._override = own
        self._parent_value = parent_value
        self.toggle = QCheckBox(
            _("Use the value of dossier {kenmerk}").format(kenmerk=parent_kenmerk)
        )
        self.toggle.setObjectName("inheritToggle")
        self.toggle.setToolTip(
            _(
                "Checked: this record takes the value from its dossier, also after the "
                "dossier changes. Uncheck to give the record its own value."
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(editor)
        self.toggle.setChecked(inherits)
        self._apply(inherits, initial=True)
        self.toggle.toggled.connect(self._toggled)
        editor.changed.connect(self.changed)
        self._named()

    def _named(self) -> None:
        self.toggle.setAccessibleName(
            _("{field}: use the value of the dossier").format(field=self.name)
        )
        # the editor is disabled while inheriting: the toggle says what the value is
        self.toggle.setAccessibleDescription(
            _("The dossier's value: {value}").format(value=summary(self._parent_value))
        )

    def is_inherited(self) -> bool:
        return self.toggle.isChecked()

    def _apply(self, inherits: bool, *, initial: bool = False) -> None:
        if inherits:
            if not initial:
                self._override = self.editor.value()
            self.editor.set_value(self._parent_value)
        else:
            start = self._override if not initial else self._own
            self.editor.set_value(start if start not in (None, ()) else self._parent_value)
        self.editor.setEnabled(not inherits)

    def _toggled(self, inherits: bool) -> None:
        self._apply(inherits)
        if not inherits:
            self.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def value(self) -> Any:
        return self._own if self.is_inherited() else self.editor.value()

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value)

    def focus_target(self) -> QWidget:
        return self.editor.focus_target() if not self.is_inherited() else self.toggle

    def editors(self) -> Iterator[FieldEditor]:
        yield self
        yield from self.editor.editors()


def read_only_line(text: str, name: str) -> QLineEdit:
    """A value the user can read, select and copy but not change (in the focus chain)."""
    line = QLineEdit(text)
    line.setReadOnly(True)
    line.setAccessibleName(name)
    line.setAccessibleDescription(_("Read-only; the text can be selected and copied"))
    palette = line.palette()  # a palette, not a style sheet: sheets are slow to apply
    palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
    line.setPalette(palette)
    return line


class RowsModel(OneCallPerCell, QAbstractTableModel):
    """Read-only rows of text for a table view: Qt asks for the cells it shows, so a
    dossier with thousands of records costs no thousands of widgets or items."""

    def __init__(self, headers: list[str], rows: list[list[str]], parent: QObject) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


#: rows a read-only table shows without scrolling; column widths are measured on as many
TABLE_ROWS = 8


def read_only_table(name: str, headers: list[str], rows: list[list[str]]) -> QTableView:
    """A read-only table (events, hierarchy, files): selectable, never editable, lazy."""
    table = QTableView()
    table.setModel(RowsModel(headers, rows, table))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table (keyboard use)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # long values: the tooltip has all
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(TABLE_ROWS * 4)  # never measure every row
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if headers:
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    shown = min(len(rows), TABLE_ROWS)
    height = header.sizeHint().height() + table.verticalHeader().defaultSectionSize() * shown + 6
    table.setMinimumHeight(max(height, 60))
    if len(rows) <= TABLE_ROWS:
        table.setMaximumHeight(max(height, 60))
    return table
