"""Table models of the Woo request window (:mod:`recordsdesk.ui.views.woo`).

* :class:`RequestsModel`: the requests (few, all in memory).
* :class:`ScopeModel`: the dossiers and records named in one request's scope.
* :class:`DocumentsModel`: every document in scope with its assessment. A request
  may hold 50,000 documents, so the model reads a page at a time on the database
  worker (:func:`load_documents`, in inventory order, resuming after the last
  position read) when the view scrolls near the end; the GUI thread never waits.

Texts are msgids translated when asked, so :meth:`retranslate` is enough after a
language switch. The judgement is always written out in words (never colour only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from recordsdesk.archive.woo import assessments as woo_assessments
from recordsdesk.archive.woo import scope as woo_scope
from recordsdesk.archive.woo.assessments import AssessmentInfo
from recordsdesk.archive.woo.requests import RequestInfo
from recordsdesk.archive.woo.scope import ScopeItem
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace
from recordsdesk.ui.models.paged import HeaderTable, Index, PagedTable
from recordsdesk.ui.ops import Ops

BEOORDELINGEN: Mapping[str, str] = {
    "openbaar": N_("Public"),
    "deels_openbaar": N_("Partly public"),
    "niet_openbaar": N_("Not public"),
    "reeds_openbaar": N_("Already public"),
}
REQUEST_STATES: Mapping[str, str] = {"open": N_("Open"), "closed": N_("Closed")}
LEVELS: Mapping[str, str] = {"Dossier": N_("Dossier"), "Archiefstuk": N_("Record")}


def beoordeling_word(value: str | None) -> str:
    """The judgement in words; an unassessed document says so (not by a blank or a colour)."""
    if value is None:
        return _("Not assessed")
    return _(BEOORDELINGEN[value]) if value in BEOORDELINGEN else value


def format_date(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day is not None else "–"


@dataclass(frozen=True)
class DocumentRow:
    """One document in scope and its assessment (``None``: not assessed yet)."""

    id: str
    kenmerk: str
    naam: str
    dossier_kenmerk: str
    assessment: AssessmentInfo | None

    @property
    def position(self) -> tuple[str, str]:
        return (self.dossier_kenmerk, self.kenmerk)


def load_documents(
    ws: Workspace, nummer: str, after: tuple[str, str] | None, limit: int
) -> list[DocumentRow]:
    """Runs on the database worker: the documents after ``after`` with their assessments.

    The assessments come in the same inventory order and exist only for documents in
    scope, so those after ``after`` limited to the page's size cover the whole page."""
    documents = woo_scope.document_page(ws, nummer, after=after, limit=limit)
    if not documents:
        return []
    judged = {
        (a.dossier_kenmerk, a.kenmerk): a
        for a in woo_assessments.assessments(ws, nummer, after=after, limit=len(documents))
    }
    return [
        DocumentRow(d.id, d.kenmerk, d.naam, d.dossier_kenmerk, judged.get(d.position))
        for d in documents
    ]


_Table = HeaderTable


class RequestsModel(_Table):
    columns = (N_("Number"), N_("Subject"), N_("Decide by"), N_("State"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requests: list[RequestInfo] = []

    def set_requests(self, requests: Sequence[RequestInfo]) -> None:
        self.beginResetModel()
        self.requests = list(requests)
        self.endResetModel()

    def row_of(self, nummer: str) -> int | None:
        wanted = nummer.casefold()
        return next((n for n, r in enumerate(self.requests) if r.nummer.casefold() == wanted), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.requests)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._text(index, role):
            return None
        info = self.requests[index.row()]
        column = index.column()
        if column == 0:
            return info.nummer
        if column == 1:
            return info.onderwerp
        if column == 2:
            return format_date(info.besluit_uiterlijk)
        return _(REQUEST_STATES.get(info.status, info.status))


class ScopeModel(_Table):
    columns = (N_("Kenmerk"), N_("Name"), N_("Level"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[ScopeItem] = []

    def set_items(self, items: Sequence[ScopeItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._text(index, role):
            return None
        item = self.items[index.row()]
        column = index.column()
        if column == 0:
            return item.kenmerk
        if column == 1:
            return item.naam
        return _(LEVELS.get(item.aggregatieniveau, item.aggregatieniveau))


class DocumentsModel(PagedTable):
    """The documents in one request's scope, read a page at a time (see :mod:`.paged`).

    Signals:
        page_loaded: a page arrived (or reading it failed) and its rows are in.
    """

    columns = (
        N_("Dossier"),
        N_("Kenmerk"),
        N_("Name"),
        N_("Assessment"),
        N_("Grounds"),
        N_("Explanation"),
    )
    rows: list[DocumentRow]

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(ops, parent)
        self._nummer: str | None = None

    def set_request(self, nummer: str | None, total: int) -> None:
        """Show the documents of ``nummer`` (``total`` in scope) from the first page."""
        self._nummer = nummer
        self.restart(total if nummer is not None else 0)

    def page_job(self, loaded: Sequence[Any], limit: int) -> Callable[[Workspace], list[Any]]:
        nummer = self._nummer
        assert nummer is not None
        after = loaded[-1].position if loaded else None
        return lambda ws: load_documents(ws, nummer, after, limit)

    def row_of(self, kenmerk: str) -> int | None:
        return next((n for n, r in enumerate(self.rows) if r.kenmerk == kenmerk), None)

    def replace(self, info: AssessmentInfo) -> None:
        """Show a new assessment of a document already read."""
        row = self.row_of(info.kenmerk)
        if row is None:
            return
        old = self.rows[row]
        self.rows[row] = DocumentRow(old.id, old.kenmerk, old.naam, old.dossier_kenmerk, info)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if self._text(index, role) else None
        if row is None:
            return None
        column, judged = index.column(), row.assessment
        if column == 0:
            return row.dossier_kenmerk
        if column == 1:
            return row.kenmerk
        if column == 2:
            return row.naam
        if column == 3:
            return beoordeling_word(judged.beoordeling if judged else None)
        if judged is None:
            return ""
        if column == 4:
            return judged.gronden or ""
        return judged.toelichting or judged.publieke_link or ""
