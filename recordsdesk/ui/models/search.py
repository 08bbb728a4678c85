"""The search results as a tree: dossiers, each with the records found in it.

Data comes from :func:`recordsdesk.search.service.search` (:func:`read_page`, one page
of dossiers at a time) and from :func:`recordsdesk.archive.completeness.dossier_completeness`
(:func:`load_completeness`, for the dossiers on screen only), read in the window's
reader process (or, searching the central archive, on its executors' threads). Both
return plain values; :class:`SearchResultModel` only arranges them for the view.

Rows: a top-level row is a dossier (kenmerk, naam, completeness, hit count); its
children are its hits, best first (kenmerk, title, score, snippet). The snippet
comes with the query's words between the service's marks (« »);
:func:`snippet_html` escapes everything and turns only the marks into emphasis,
so text from a document can never inject markup. Completeness is shown as text
with an icon (never colour alone); its reasons are the row's tooltip.

The model is a :class:`QStandardItemModel`: what each cell shows is worked out once,
when a page arrives, and painting the tree then calls into Python only for the
snippets' delegate (a model in
Python is asked ``index``, ``parent`` and the cell's roles for every cell of every
paint: with a worker thread running Python beside it, each such call waits for the
interpreter lock; one paint of a page of results took 100 ms that way, 25 ms now,
benchmark ``heartbeat``). The items of a page are made off the GUI thread, by
:func:`with_rows` (:meth:`SearchPage.take_rows`): making them is some two thousand
calls into Qt, which on the GUI thread would wait for the lock just the same.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle

from recordsdesk.archive.completeness import Completeness, dossier_completeness
from recordsdesk.db.models import Informatieobject
from recordsdesk.i18n import N_, _, current_language
from recordsdesk.search.results import DossierGroup, Hit, SearchFilters, SearchResults
from recordsdesk.search.service import search
from recordsdesk.search.snippet import END, START
from recordsdesk.services import Workspace

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
    #: the rows, made where the page was read (see the module docstring); taken once
    rows: list[list[QStandardItem]] = field(default_factory=list, compare=False, repr=False)
    #: the language the rows' texts are in
    language: str = field(default="", compare=False, repr=False)

    def take_rows(self) -> list[list[QStandardItem]]:
        """The rows made with the page, once (items belong to one model), if they are in
        the current language (it may have changed while the page was read); else ``[]``."""
        taken = list(self.rows) if self.language == current_language() else []
        self.rows.clear()
        return taken

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
    """Runs on the database worker: :func:`read_page` with its rows made there."""
    return with_rows(read_page(ws, text, page, page_size, filters, central))


def read_page(
    ws: Workspace,
    text: str,
    page: int,
    page_size: int = PAGE_SIZE,
    filters: SearchFilters | None = None,
    central: bool = False,
) -> SearchPage:
    """Runs on a worker (a thread or the reader process): search (which also indexes
    pending changes, at most a batch, in this transaction) and the ids of the dossiers
    and records found; no rows yet (:func:`with_rows`). ``central``: ``ws`` is the
    central archive (say so on the page)."""
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


def with_rows(page: SearchPage) -> SearchPage:
    """``page`` with its rows made, in the current language (off the GUI thread: see the
    module docstring)."""
    rows = build_rows(page.results.groups, page.ids)
    return replace(page, rows=rows, language=current_language())


def load_completeness(
    ws: Workspace, kenmerken: Sequence[str], central: bool = False
) -> dict[str, Completeness]:
    """Runs on a worker or the reader process (reads only): the completeness of each
    dossier (``central``: ``ws`` is the central archive, see :func:`dossier_completeness`)."""
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


Cells = list[dict[int, Any]]  # a row: per column, the value of each role


def dossier_cells(
    group: DossierGroup, object_id: str | None, found: Completeness | None, failed: bool
) -> Cells:
    """What a dossier row shows, column by column (the completeness icon aside: a
    pixmap, made on the GUI thread). ``failed``: its completeness could not be read."""
    badge = _("Not known") if failed else completeness_text(found)
    if found is None:
        tip = badge
    else:
        lines = reason_lines(found) or [_("Nothing suggests that this dossier is incomplete.")]
        tip = "\n".join([completeness_text(found), *(f"• {line}" for line in lines)])
    spoken = _("Dossier {kenmerk}: {naam}, {hits}, {completeness}").format(
        kenmerk=group.kenmerk,
        naam=group.naam,
        hits=_hits(group.hit_count),
        completeness=completeness_text(found),
    )
    shown = {
        KENMERK: group.kenmerk,
        TITLE: group.naam,
        COMPLETE: badge,
        COUNT: _hits(group.hit_count),
        SNIPPET: _hidden(found.hidden) if found is not None and found.hidden else None,
    }
    return [
        {
            Qt.ItemDataRole.DisplayRole: shown[column],
            Qt.ItemDataRole.ToolTipRole: tip,
            Qt.ItemDataRole.AccessibleTextRole: spoken,
            OBJECT_ID_ROLE: object_id,
            DOSSIER_ROLE: group.kenmerk,
        }
        for column in range(len(COLUMNS))
    ]


def hit_cells(group: DossierGroup, hit: Hit, object_id: str | None) -> Cells:
    """What a hit row shows, column by column."""
    plain = snippet_text(hit.snippet)
    kind = _("Dossier") if hit.aggregatieniveau == "Dossier" else _("Record")
    spoken = _("{kind} {kenmerk}: {title}. {snippet}").format(
        kind=kind, kenmerk=hit.kenmerk, title=hit.title, snippet=plain
    )
    shown = {KENMERK: hit.kenmerk, TITLE: hit.title, COMPLETE: None, COUNT: f"{hit.score:.2f}"}
    cells: Cells = [
        {
            Qt.ItemDataRole.DisplayRole: shown.get(column, plain),
            Qt.ItemDataRole.AccessibleTextRole: spoken,
            OBJECT_ID_ROLE: object_id,
            DOSSIER_ROLE: group.kenmerk,
        }
        for column in range(len(COLUMNS))
    ]
    cells[SNIPPET][Qt.ItemDataRole.ToolTipRole] = plain
    cells[SNIPPET][SNIPPET_HTML_ROLE] = snippet_html(hit.snippet)
    return cells


def _fill(items: Sequence[QStandardItem], cells: Cells) -> None:
    for item, values in zip(items, cells, strict=True):
        for role, value in values.items():
            item.setData(value, role)


def build_rows(groups: Sequence[DossierGroup], ids: Mapping[str, str]) -> list[list[QStandardItem]]:
    """The rows of ``groups``, each dossier's hits as its children; completeness is not
    known yet (it is checked). May run on a worker thread: items are not QObjects (no
    thread of their own) until a model takes them, and the calls into Qt made there
    cost the GUI thread nothing (see the module docstring)."""
    rows: list[list[QStandardItem]] = []
    for group in groups:
        row = _items(dossier_cells(group, ids.get(group.kenmerk), None, False))
        for hit in group.hits:
            row[0].appendRow(_items(hit_cells(group, hit, ids.get(hit.kenmerk))))
        rows.append(row)
    return rows


def _items(cells: Cells) -> list[QStandardItem]:
    items = [QStandardItem() for _cell in cells]
    for item in items:
        item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    _fill(items, cells)
    return items


class SearchResultModel(QStandardItemModel):
    """Dossier rows with their hits as children; more pages on ``fetchMore``.

    Signals:
        more_wanted: the view asked for the next page (argument: its number).
    """

    more_wanted = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self._groups: list[DossierGroup] = []
        self._rows: dict[str, int] = {}  # dossier kenmerk -> its row
        self._ids: dict[str, str] = {}
        self._completeness: dict[str, Completeness] = {}
        self._failed: set[str] = set()
        self._icons: dict[bool, QIcon] = {}
        self.dossier_count = 0
        self.total = 0
        self.next_page = 0
        self.fetching = False
        self._set_headers()

    # -- filling ------------------------------------------------------------
    def set_page(self, page: SearchPage) -> None:
        """The first page of a new search replaces everything; a later one appends."""
        found = page.results
        # counts first: views ask canFetchMore as soon as the rows change
        self.dossier_count, self.total = found.dossier_count, found.total
        self.next_page = found.page + 1
        self.fetching = False
        rows = page.take_rows() or build_rows(found.groups, page.ids)
        if found.page == 0:
            with self._resetting():
                self.setRowCount(0)
                self._groups, self._rows, self._ids = [], {}, dict(page.ids)
                self._append(found.groups, rows)
        elif found.groups:
            self._ids.update(page.ids)
            self._append(found.groups, rows)

    def _append(self, groups: Sequence[DossierGroup], rows: list[list[QStandardItem]]) -> None:
        for group, row in zip(groups, rows, strict=True):
            self._rows[group.kenmerk] = len(self._groups)
            self._groups.append(group)
            self.appendRow(row)
            if group.kenmerk in self._completeness or group.kenmerk in self._failed:
                self._show_completeness(group.kenmerk)

    @contextmanager
    def _resetting(self) -> Iterator[None]:
        """One reset for the views instead of a signal per row (each a call into Python)."""
        self.beginResetModel()
        blocked = self.blockSignals(True)
        try:
            yield
        finally:
            self.blockSignals(blocked)
            self.endResetModel()

    def clear(self) -> None:
        """No results (the search moved elsewhere, e.g. to the central archive)."""
        with self._resetting():
            self.setRowCount(0)
            self._groups, self._rows, self._ids = [], {}, {}
            self.dossier_count = self.total = self.next_page = 0
            self.fetching = False
            self.forget_completeness()

    def set_completeness(self, found: Mapping[str, Completeness]) -> None:
        self._completeness.update(found)
        for kenmerk in found:
            self._show_completeness(kenmerk)

    def set_completeness_failed(self, kenmerken: Sequence[str]) -> None:
        self._failed.update(kenmerken)
        for kenmerk in kenmerken:
            self._show_completeness(kenmerk)

    def forget_completeness(self) -> None:
        """Read completeness again when it is next shown (after changes elsewhere); the
        badges say it is being checked meanwhile."""
        known = set(self._completeness) | self._failed
        self._completeness.clear()
        self._failed.clear()
        for kenmerk in known:
            self._show_completeness(kenmerk)

    def _show_completeness(self, kenmerk: str) -> None:
        row = self._rows.get(kenmerk)
        if row is None:
            return
        group = self._groups[row]
        found = self._completeness.get(kenmerk)
        items = [self.item(row, column) for column in range(len(COLUMNS))]
        cells = dossier_cells(group, self._ids.get(kenmerk), found, kenmerk in self._failed)
        _fill(items, cells)
        icon = self._icon(found.complete) if found is not None else None
        items[COMPLETE].setData(icon, Qt.ItemDataRole.DecorationRole)

    def _icon(self, complete: bool) -> QIcon:
        if complete not in self._icons:
            pixmap = (
                QStyle.StandardPixmap.SP_DialogApplyButton
                if complete
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            self._icons[complete] = QApplication.style().standardIcon(pixmap)
        return self._icons[complete]

    def retranslate(self) -> None:
        """Say everything again in the current language (rows stay, and so does the
        selection)."""
        self._set_headers()
        for row, group in enumerate(self._groups):
            dossier = self.item(row, 0)
            for number, hit in enumerate(group.hits):
                items = [dossier.child(number, column) for column in range(len(COLUMNS))]
                _fill(items, hit_cells(group, hit, self._ids.get(hit.kenmerk)))
            self._show_completeness(group.kenmerk)

    def _set_headers(self) -> None:
        self.setHorizontalHeaderLabels([_(column) for column in COLUMNS])

    # -- lookups --------------------------------------------------------------
    def group(self, index: Index) -> DossierGroup | None:
        """The dossier of a dossier row or of a hit row."""
        if not index.isValid():
            return None
        parent = index.parent()
        row = parent.row() if parent.isValid() else index.row()
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def hit(self, index: Index) -> Hit | None:
        """The hit of a hit row (``None`` for a dossier row)."""
        if not index.isValid() or not index.parent().isValid():
            return None
        group = self.group(index)
        if group is None or not 0 <= index.row() < len(group.hits):
            return None
        return group.hits[index.row()]

    def completeness(self, kenmerk: str) -> Completeness | None:
        return self._completeness.get(kenmerk)

    def needs_completeness(self, kenmerk: str) -> bool:
        return kenmerk not in self._completeness and kenmerk not in self._failed

    def object_id(self, kenmerk: str) -> str | None:
        return self._ids.get(kenmerk)

    @property
    def group_count(self) -> int:
        return len(self._groups)

    # -- more pages ------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self._groups) < self.dossier_count

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not parent.isValid() and self.canFetchMore() and not self.fetching:
            self.fetching = True
            self.more_wanted.emit(self.next_page)


def _hits(count: int) -> str:
    return _("1 hit") if count == 1 else _("{count} hits").format(count=count)


def _hidden(count: int) -> str:
    if count == 1:
        return _("1 hidden result")
    return _("{count} hidden results").format(count=count)
