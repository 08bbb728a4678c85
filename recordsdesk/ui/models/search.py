"""The search results as a tree: dossiers, each with the records found in it.

Data comes from :func:`recordsdesk.search.service.search` on the database worker
(:func:`load_page`, one page of dossiers at a time) and from
:func:`recordsdesk.archive.completeness.dossier_completeness` on the IO pool
(:func:`load_completeness`, for the dossiers on screen only). Both return plain
values; :class:`SearchResultModel` only arranges them for the view.

Rows: a top-level row is a dossier (kenmerk, naam, completeness, hit count); its
children are its hits, best first (kenmerk, title, score, snippet). The snippet
comes with the query's words between the service's marks (« »);
:func:`snippet_html` escapes everything and turns only the marks into emphasis,
so text from a document can never inject markup. Completeness is shown as text
with an icon (never colour alone); its reasons are the row's tooltip.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QApplication, QStyle

from recordsdesk.archive.completeness import Completeness, dossier_completeness
from recordsdesk.db.models import Informatieobject
from recordsdesk.i18n import N_, _
from recordsdesk.search.results import DossierGroup, Hit, SearchFilters, SearchResults
from recordsdesk.search.service import search
from recordsdesk.search.snippet import END, START
from recordsdesk.services import Workspace
from recordsdesk.ui.models.cells import OneCallPerCell

Index = QModelIndex | QPersistentModelIndex

#: dossiers per page of results (each with up to the service's hits per group)
PAGE_SIZE = 20
#: a role that gives a snippet as safe rich text (the delegate paints it)
SNIPPET_HTML_ROLE = Qt.ItemDataRole.UserRole + 1
#: a role that gives a row's object id (record or dossier)
OBJECT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: a role that gives the dossier's kenmerk (on its own row and on its hits)
DOSSIER_ROLE = Qt.ItemDataRole.UserRole + 3

KENMERK, TITLE, COMPLETE, COUNT, SNIPPET = range(5)
COLUMNS = (N_("Kenmerk"), N_("Title"), N_("Completeness"), N_("Hits / score"), N_("Fragment"))


@dataclass(frozen=True)
class SearchPage:
    """One page of results plus the object ids of what it shows (by kenmerk)."""

    text: str
    results: SearchResults
    ids: Mapping[str, str]
    filters: SearchFilters | None = None  # what the search was narrowed by (facets)
    central: bool = False  # searched in the central archive, not this workstation's store

    @property
    def hidden(self) -> int:
        """Results the searcher may not see, if the service reports them (a count only)."""
        return int(getattr(self.results, "hidden", 0) or 0)


def load_page(
    ws: Workspace,
    text: str,
    page: int,
    page_size: int = PAGE_SIZE,
    filters: SearchFilters | None = None,
    central: bool = False,
) -> SearchPage:
    """Runs on the database worker: search (which also indexes pending changes, at most a
    batch, in this transaction) and the ids of the dossiers and records found.
    ``central``: ``ws`` is the central archive (say so on the page)."""
    with ws.sessions() as session, session.begin():
        found = search(session, text, filters=filters, page=page, page_size=page_size)
        wanted = {g.kenmerk for g in found.groups} | {
            h.kenmerk for g in found.groups for h in g.hits
        }
        ids: dict[str, str] = {}
        if wanted:
            rows = session.execute(
                select(Informatieobject.kenmerk, Informatieobject.id).where(
                    Informatieobject.kenmerk.in_(sorted(wanted))
                )
            )
            ids = {kenmerk: str(object_id) for kenmerk, object_id in rows}
    return SearchPage(text, found, ids, filters, central)


def load_completeness(
    ws: Workspace, kenmerken: Sequence[str], central: bool = False
) -> dict[str, Completeness]:
    """Runs on a worker (reads only): the completeness of each dossier (``central``: ``ws``
    is the central archive, see :func:`dossier_completeness`)."""
    return {k: dossier_completeness(ws, k, central=central) for k in kenmerken}


def snippet_html(snippet: str) -> str:
    """``snippet`` as rich text: all of it escaped, the marked words in bold."""
    out: list[str] = []
    rest = snippet
    while rest:
        start = rest.find(START)
        end = rest.find(END, start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(html.escape(rest.replace(START, "").replace(END, "")))
            break
        out.append(html.escape(rest[:start].replace(END, "")))
        out.append(f"<b><u>{html.escape(rest[start + 1 : end])}</u></b>")
        rest = rest[end + 1 :]
    return "".join(out)


def snippet_text(snippet: str) -> str:
    """``snippet`` without its marks (for screen readers and copying)."""
    return snippet.replace(START, "").replace(END, "")


def completeness_text(found: Completeness | None) -> str:
    """The badge's words: complete, incomplete with the number of reasons, or pending."""
    if found is None:
        return _("Checking…")
    if found.complete:
        return _("Complete")
    count = len(found.reasons)
    if count == 1:
        return _("Incomplete: 1 reason")
    return _("Incomplete: {count} reasons").format(count=count)


def reason_lines(found: Completeness) -> list[str]:
    """The reasons in the current language (each a sentence)."""
    return [_(r.message).format(**r.params) for r in found.reasons]


class SearchResultModel(OneCallPerCell, QAbstractItemModel):
    """Dossier rows with their hits as children; more pages on ``fetchMore``.

    Signals:
        more_wanted: the view asked for the next page (argument: its number).
    """

    more_wanted = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[DossierGroup] = []
        self._ids: dict[str, str] = {}
        self._completeness: dict[str, Completeness] = {}
        self._failed: set[str] = set()
        self.dossier_count = 0
        self.total = 0
        self.next_page = 0
        self.fetching = False

    # -- filling ------------------------------------------------------------
    def set_page(self, page: SearchPage) -> None:
        """The first page of a new search replaces everything; a later one appends."""
        found = page.results
        # counts first: views ask canFetchMore as soon as the rows change
        self.dossier_count, self.total = found.dossier_count, found.total
        self.next_page = found.page + 1
        self.fetching = False
        if found.page == 0:
            self.beginResetModel()
            self._groups = list(found.groups)
            self._ids = dict(page.ids)
            self.endResetModel()
        elif found.groups:
            first = len(self._groups)
            self.beginInsertRows(QModelIndex(), first, first + len(found.groups) - 1)
            self._groups.extend(found.groups)
            self._ids.update(page.ids)
            self.endInsertRows()

    def clear(self) -> None:
        """No results (the search moved elsewhere, e.g. to the central archive)."""
        self.beginResetModel()
        self._groups, self._ids = [], {}
        self.dossier_count = self.total = self.next_page = 0
        self.fetching = False
        self.forget_completeness()
        self.endResetModel()

    def set_completeness(self, found: Mapping[str, Completeness]) -> None:
        self._completeness.update(found)
        self._changed_dossiers(set(found))

    def set_completeness_failed(self, kenmerken: Sequence[str]) -> None:
        self._failed.update(kenmerken)
        self._changed_dossiers(set(kenmerken))

    def forget_completeness(self) -> None:
        """Read completeness again when it is next shown (after changes elsewhere)."""
        self._completeness.clear()
        self._failed.clear()

    def _changed_dossiers(self, kenmerken: set[str]) -> None:
        for row, group in enumerate(self._groups):
            if group.kenmerk in kenmerken:
                self.dataChanged.emit(self.index(row, COMPLETE), self.index(row, COMPLETE))

    # -- lookups --------------------------------------------------------------
    def group(self, index: Index) -> DossierGroup | None:
        """The dossier of a dossier row or of a hit row."""
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == 0 else index.internalId() - 1
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def hit(self, index: Index) -> Hit | None:
        """The hit of a hit row (``None`` for a dossier row)."""
        group = self.group(index) if index.isValid() and index.internalId() else None
        return group.hits[index.row()] if group is not None else None

    def completeness(self, kenmerk: str) -> Completeness | None:
        return self._completeness.get(kenmerk)

    def needs_completeness(self, kenmerk: str) -> bool:
        return kenmerk not in self._completeness and kenmerk not in self._failed

    def object_id(self, kenmerk: str) -> str | None:
        return self._ids.get(kenmerk)

    @property
    def group_count(self) -> int:
        return len(self._groups)

    # -- Qt model API -------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            ok = 0 <= row < len(self._groups)
            return self.createIndex(row, column, 0) if ok else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        group = self._groups[parent.row()]
        ok = 0 <= row < len(group.hits)
        return self.createIndex(row, column, parent.row() + 1) if ok else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].hits)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self._groups) < self.dossier_count

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not parent.isValid() and self.canFetchMore() and not self.fetching:
            self.fetching = True
            self.more_wanted.emit(self.next_page)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        group = self.group(index)
        if group is None:
            return None
        if index.internalId() == 0:
            return self._dossier_data(group, index.column(), role)
        return self._hit_data(group, group.hits[index.row()], index.column(), role)

    def _dossier_data(self, group: DossierGroup, column: int, role: int) -> Any:
        found = self._completeness.get(group.kenmerk)
        if role == OBJECT_ID_ROLE:
            return self._ids.get(group.kenmerk)
        if role == DOSSIER_ROLE:
            return group.kenmerk
        if role == Qt.ItemDataRole.DisplayRole:
            if column == KENMERK:
                return group.kenmerk
            if column == TITLE:
                return group.naam
            if column == COMPLETE:
                if group.kenmerk in self._failed:
                    return _("Not known")
                return completeness_text(found)
            if column == COUNT:
                return _hits(group.hit_count)
            if column == SNIPPET and found is not None and found.hidden:
                return _hidden(found.hidden)
        if role == Qt.ItemDataRole.DecorationRole and column == COMPLETE and found is not None:
            pixmap = (
                QStyle.StandardPixmap.SP_DialogApplyButton
                if found.complete
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            return QApplication.style().standardIcon(pixmap)
        if role == Qt.ItemDataRole.ToolTipRole:
            if found is None:
                return completeness_text(None)
            lines = reason_lines(found) or [_("Nothing suggests that this dossier is incomplete.")]
            return "\n".join([completeness_text(found), *(f"• {line}" for line in lines)])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = _("Dossier {kenmerk}: {naam}, {hits}, {completeness}").format(
                kenmerk=group.kenmerk,
                naam=group.naam,
                hits=_hits(group.hit_count),
                completeness=completeness_text(found),
            )
            return text
        return None

    def _hit_data(self, group: DossierGroup, hit: Hit, column: int, role: int) -> Any:
        if role == OBJECT_ID_ROLE:
            return self._ids.get(hit.kenmerk)
        if role == DOSSIER_ROLE:
            return group.kenmerk
        if role == SNIPPET_HTML_ROLE and column == SNIPPET:
            return snippet_html(hit.snippet)
        if role == Qt.ItemDataRole.DisplayRole:
            values = {
                KENMERK: hit.kenmerk,
                TITLE: hit.title,
                COUNT: f"{hit.score:.2f}",
                SNIPPET: snippet_text(hit.snippet),
            }
            return values.get(column)
        if role == Qt.ItemDataRole.ToolTipRole and column == SNIPPET:
            return snippet_text(hit.snippet)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            kind = _("Dossier") if hit.aggregatieniveau == "Dossier" else _("Record")
            return _("{kind} {kenmerk}: {title}. {snippet}").format(
                kind=kind, kenmerk=hit.kenmerk, title=hit.title, snippet=snippet_text(hit.snippet)
            )
        return None


def _hits(count: int) -> str:
    return _("1 hit") if count == 1 else _("{count} hits").format(count=count)


def _hidden(count: int) -> str:
    if count == 1:
        return _("1 hidden result")
    return _("{count} hidden results").format(count=count)
