"""Parts of the destruction and transfer list window (:mod:`.lists`): the words for
states and kinds, the two table models and the small dialogs the actions ask with.

The item table is lazy (:mod:`recordsdesk.ui.models.paged`): it holds the rows read
so far and asks the database worker for the next page through
:func:`recordsdesk.services.disposal.items` when the view scrolls near the end (lists
can hold 100,000 items).

The dialogs are opened without blocking (``open()``) and say what the user
answered through plain accessors, so the window acts on ``accepted`` and tests
fill them in like a user would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)

from recordsdesk.i18n import N_, _, current_language
from recordsdesk.services import Workspace, disposal
from recordsdesk.services.disposal import ItemInfo, ListInfo
from recordsdesk.ui.form_dialog import FormDialog
from recordsdesk.ui.models.paged import HeaderTable, PagedTable
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.retention.due import Index, format_day, result_label

LIST_STATES: Mapping[str, str] = {
    "concept": N_("Draft"),
    "ter_beoordeling": N_("Under review"),
    "wijzigingen_gevraagd": N_("Changes requested"),
    "beoordeeld": N_("Reviewed"),
    "ter_accordering": N_("Awaiting approval"),
    "geaccordeerd": N_("Approved"),
    "vernietigd": N_("Destroyed"),
    "uitgevoerd": N_("Package made, awaiting confirmation"),
    "overgebracht": N_("Transferred"),
    "afgebroken": N_("Aborted"),
}
ITEM_STATES: Mapping[str, str] = {
    "listed": N_("On the list"),
    "excluded": N_("Excluded"),
    "kept": N_("Kept"),
    "removed": N_("Removed"),
    "skipped": N_("Skipped"),
    "destroyed": N_("Destroyed"),
    "transferred": N_("Transferred"),
}
KINDS: Mapping[str, str] = {
    disposal.DESTRUCTION: N_("Destruction list"),
    disposal.TRANSFER: N_("Transfer list"),
}
#: the kinds in the narrow list of lists
SHORT_KINDS: Mapping[str, str] = {
    disposal.DESTRUCTION: N_("Destruction"),
    disposal.TRANSFER: N_("Transfer"),
}


def state_word(state: str) -> str:
    return _(LIST_STATES[state]) if state in LIST_STATES else state


def item_state_word(state: str) -> str:
    return _(ITEM_STATES[state]) if state in ITEM_STATES else state


def counts_text(info: ListInfo) -> str:
    """ "3 on the list, 1 excluded" in the order of :data:`ITEM_STATES`."""
    parts = [
        _("{count} {state}").format(count=info.counts[state], state=item_state_word(state).lower())
        for state in ITEM_STATES
        if info.counts.get(state)
    ]
    return ", ".join(parts) or _("no items")


def item_count(info: ListInfo) -> int:
    return sum(info.counts.values())


_Table = HeaderTable


class ListsModel(_Table):
    """The lists (few: one per run of the procedure), all in memory."""

    columns = (N_("Name"), N_("Kind"), N_("State"), N_("Dossiers"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lists: list[ListInfo] = []

    def set_lists(self, lists: Sequence[ListInfo]) -> None:
        self.beginResetModel()
        self.lists = list(lists)
        self.endResetModel()

    def row_of(self, list_id: str) -> int | None:
        return next((n for n, info in enumerate(self.lists) if info.id == list_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.lists)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        info = self.lists[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:  # what the narrow columns leave out
            return _("{kind} of {date}: {counts}").format(
                kind=_(KINDS.get(info.kind, info.kind)),
                date=format_day(info.on_date),
                counts=counts_text(info),
            )
        column = index.column()
        if column == 0:
            return info.naam
        if column == 1:
            return _(SHORT_KINDS.get(info.kind, info.kind))
        if column == 2:
            return state_word(info.state)
        return item_count(info)


class ItemsModel(PagedTable):
    """One list's items, read a page at a time on the database worker (see
    :mod:`recordsdesk.ui.models.paged`).

    Signals:
        page_loaded: a page arrived (or reading it failed) and the rows are in.
    """

    columns = (
        N_("Kenmerk"),
        N_("Name"),
        N_("Selectielijst result"),
        N_("Archiefactiedatum"),
        N_("State"),
        N_("Note or reason"),
    )
    rows: list[ItemInfo]

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(ops, parent)
        self._list_id: str | None = None

    @property
    def items(self) -> list[ItemInfo]:
        return self.rows

    def set_list(self, info: ListInfo | None) -> None:
        """Show ``info``'s items from the first page (``None``: none)."""
        self._list_id = info.id if info is not None else None
        self.restart(item_count(info) if info is not None else 0)

    def item(self, row: int) -> ItemInfo | None:
        found: ItemInfo | None = self.row(row)
        return found

    def page_job(self, loaded: Sequence[Any], limit: int) -> Callable[[Workspace], list[Any]]:
        list_id, offset = self._list_id, len(loaded)
        assert list_id is not None
        return lambda ws: disposal.items(ws, list_id, offset=offset, limit=limit)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        column = index.column()
        if column == 0:
            return item.kenmerk
        if column == 1:
            return item.naam
        if column == 2:
            return result_label(item.resultaat)
        if column == 3:
            return format_day(item.archiefactiedatum)
        if column == 4:
            return item_state_word(item.state)
        if item.note and item.state == "skipped":
            return _(item.note)  # the run keeps why it skipped an item as a msgid
        if item.held:  # a hold placed after listing: carrying out will skip it
            return "; ".join(filter(None, (_("Under a legal hold now"), item.note)))
        return item.note or ""


# -- dialogs ------------------------------------------------------------------------------


_Dialog = FormDialog


class NewListDialog(_Dialog):
    """Kind, name and the day the list is compiled for (everything due on it)."""

    def __init__(self, parent: QWidget | None, today: dt.date) -> None:
        super().__init__(parent, "newListDialog", _("New list"), _("&Compile list"))
        self.kind = QComboBox()
        for kind, text in KINDS.items():
            self.kind.addItem(_(text), kind)
        self.name = QLineEdit()
        self.name.setMaxLength(300)
        self.name.setPlaceholderText(_("e.g. Vernietigingslijst 2026-1"))
        self.on = QDateEdit(QDate(today.year, today.month, today.day))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("dd-MM-yyyy" if current_language() == "nl" else "yyyy-MM-dd")
        self.add_field(_("&Kind:"), self.kind, "newListKind")
        self.add_field(_("&Name:"), self.name, "newListName")
        self.add_field(_("&Due on:"), self.on, "newListOn")
        self.name.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout(
            _(
                "The list takes every closed dossier due on that day, except held ones and "
                "those on another list in progress."
            )
        )

    def complete(self) -> bool:
        return bool(self.name.text().strip())

    def values(self) -> tuple[str, str, dt.date]:
        day = self.on.date()
        return (
            str(self.kind.currentData()),
            self.name.text(),
            dt.date(day.year(), day.month(), day.day()),
        )


class AskDialog(_Dialog):
    """A question, optionally with one line to answer (required or not) and, for a
    folder, a Browse button."""

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        title: str,
        text: str,
        ok_text: str,
        *,
        field: str | None = None,
        required: bool = True,
        initial: str = "",
        folder: bool = False,
    ) -> None:
        super().__init__(parent, name, title, ok_text)
        self.required = required and field is not None
        self.answer_edit = QLineEdit(initial)
        self.browse: QPushButton | None = None
        if field is not None:
            row: QWidget = self.answer_edit
            if folder:
                row = QWidget()
                box = QHBoxLayout(row)
                box.setContentsMargins(0, 0, 0, 0)
                box.addWidget(self.answer_edit, 1)
                self.browse = QPushButton(_("&Browse…"))
                self.browse.setObjectName(f"{name}Browse")
                self.browse.setAccessibleName(_("Choose a folder"))
                self.browse.setAutoDefault(False)
                self.browse.clicked.connect(self._browse)
                box.addWidget(self.browse)
                row.setObjectName(f"{name}Row")
                row.setAccessibleName(field.replace("&", "").rstrip(":"))
            self.add_field(field, row, f"{name}Row" if folder else f"{name}Answer")
            if folder:
                self.answer_edit.setObjectName(f"{name}Answer")
                self.answer_edit.setAccessibleName(field.replace("&", "").rstrip(":"))
            self.answer_edit.textChanged.connect(lambda _t: self.update_ok())
        self.finish_layout(text)

    def complete(self) -> bool:
        return not self.required or bool(self.answer_edit.text().strip())

    def answer(self) -> str:
        return self.answer_edit.text().strip()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for the transfer package"))
        if chosen:
            self.answer_edit.setText(chosen)


class ExclusionsDialog(_Dialog):
    """Review or reject: one reason per selected item (an item with a reason is
    excluded; with several, one reason can serve them all) and, for a rejection, the
    reason for sending the list back. The items scroll: a reviewer may select many."""

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        title: str,
        intro: str,
        items: Sequence[ItemInfo],
        *,
        reject: bool,
    ) -> None:
        super().__init__(parent, name, title, _("&Reject") if reject else _("&Pass the list"))
        self.rejecting = reject
        self.reason = QLineEdit()
        if reject:
            self.add_field(_("Reason for &sending it back:"), self.reason, f"{name}Reason")
            self.reason.textChanged.connect(lambda _t: self.update_ok())
        self.common = QLineEdit()
        if len(items) > 1:
            self.common.setPlaceholderText(_("for every dossier below without its own reason"))
            self.add_field(_("Reason for &all:"), self.common, f"{name}Common")
            self.common.textChanged.connect(lambda _t: self.update_ok())
        self.rows: dict[str, QLineEdit] = {}
        rows = QWidget()
        rows.setObjectName(f"{name}Items")
        rows.setAccessibleName(_("Selected dossiers"))
        item_form = QFormLayout(rows)
        item_form.setContentsMargins(0, 0, 0, 0)
        for n, item in enumerate(items):
            edit = QLineEdit()
            edit.setPlaceholderText(_("reason to exclude it (empty: it stays)"))
            self.add_field(f"{item.kenmerk} {item.naam}:", edit, f"{name}Item{n}", item_form)
            edit.setAccessibleName(_("Reason to exclude {kenmerk}").format(kenmerk=item.kenmerk))
            edit.textChanged.connect(lambda _t: self.update_ok())
            self.rows[item.kenmerk] = edit
        self.finish_layout(intro)
        if items:
            scroll = QScrollArea()
            scroll.setObjectName(f"{name}Scroll")
            scroll.setAccessibleName(_("Selected dossiers"))
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(rows)
            self.layout_.insertWidget(self.layout_.count() - 1, scroll, 1)
        self.resize(720, min(560, 220 + 34 * len(items)))

    def exclusions(self) -> dict[str, str]:
        common = self.common.text().strip()
        found = {k: e.text().strip() or common for k, e in self.rows.items()}
        return {k: reason for k, reason in found.items() if reason}

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def complete(self) -> bool:
        if self.rejecting:
            return bool(self.reason_text())
        count = len(self.exclusions())
        text = (
            _("Exclude {count} and send back").format(count=count) if count else _("&Pass the list")
        )
        self.ok_button.setText(text)
        self.ok_button.setAccessibleName(text.replace("&", ""))
        return True
