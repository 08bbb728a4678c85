"""The search view (issue 7, point 6): a query box, results grouped by dossier, completeness.

A non-modal window. Typing searches after a pause of :data:`DEBOUNCE_MS` (Enter at
once); the search runs in the window's reader process (:class:`~recordsdesk.ui.reader.Reader`,
given by the main window; else on the database worker), and while one runs only the latest
query typed waits, so fast typing never queues stale searches. A malformed query
shows its message under the box and the last results stay. More dossiers come a
page at a time (scrolling to the end, or "More results").

Completeness (:func:`recordsdesk.archive.completeness.dossier_completeness`, a few
queries per dossier) is read in the reader too (:mod:`.completeness`), only for the
dossier rows on screen and the current one; its reasons are the row's tooltip and fill
the details pane.

Facets (:class:`FacetPanel`, left of the results): after a first page its counts are
read in the reader; a value chosen there searches again with that filter
(later pages too), and the chosen filters are said in a line above the results.

Where (Alt+I, "Search in"): this workstation's store, or the central archive itself
(:class:`~recordsdesk.ui.central_ops.CentralOps`: the same services on this
workstation's central login, so the database's access rules decide what is shown;
completeness then as the central archive knows it). Changing it searches again.

Keys: Ctrl+F puts the focus in the query box, Down moves into the results, Enter
opens the record or dossier in the main window (signals below; searching the central
archive, in a window of its own as the central archive holds it), Escape goes back to
the query box.

Signals:
    record_opened(dossier_id, record_id): Enter or double-click on a record.
    dossier_opened(dossier_id): Enter or double-click on a dossier.
    searched: a page of results (or an error) has been shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.archive.saved_searches import SavedSearchInfo
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.search.results import SearchFilters
from recordsdesk.ui.a11y import name_builtin_buttons
from recordsdesk.ui.activation import quiet_activation
from recordsdesk.ui.central_ops import CentralOps
from recordsdesk.ui.errors import show_error, user_message
from recordsdesk.ui.models.search import (
    COMPLETE,
    COUNT,
    KENMERK,
    OBJECT_ID_ROLE,
    SNIPPET,
    TITLE,
    SearchPage,
    SearchResultModel,
    load_page,
    read_page,
    with_rows,
)
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.reader import Reader
from recordsdesk.ui.views.search.central_details import CentralDetails
from recordsdesk.ui.views.search.completeness import CompletenessReader
from recordsdesk.ui.views.search.delegate import SnippetDelegate
from recordsdesk.ui.views.search.details import CompletenessPane, status_text
from recordsdesk.ui.views.search.facets import FacetPanel
from recordsdesk.ui.views.search.query_box import QueryBox, help_html, help_text
from recordsdesk.ui.views.search.saved import SavedSearches

DEBOUNCE_MS = 250


class SearchView(QDialog):
    """Search dossiers and records; see the module docstring."""

    record_opened = Signal(str, str)
    dossier_opened = Signal(str)
    searched = Signal()

    def __init__(
        self,
        ops: Ops,
        parent: QWidget | None = None,
        central: CentralOps | None = None,
        reader: Reader | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchView")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.ops = ops
        self.central = central
        #: where this workstation's store is searched (None: on ``ops``' database worker)
        self.reader = reader
        self.page: SearchPage | None = None  # the first page of what is shown
        self._saved_name: str | None = None  # "Saved as …" in the status, see _show_status
        self.error: str | None = None  # the query's problem, as shown
        self._error_exc: BaseException | None = None
        self._wanted = ""
        self._busy = False

        self.query_label = QLabel()
        self.query_label.setObjectName("searchQueryLabel")
        self.query = QueryBox()
        self.query_label.setBuddy(self.query)
        self.scope_label = QLabel()
        self.scope_label.setObjectName("searchScopeLabel")
        self.scope = QComboBox()
        self.scope.setObjectName("searchScope")
        self.scope.addItems(["", ""])  # texts in retranslate: this workstation, central
        self.scope_label.setBuddy(self.scope)
        if central is None:  # only hidden here: shown, a widget without a parent yet
            self.scope_label.hide()  # would open as a window of its own and take the
            self.scope.hide()  # focus from the one the user works in
        self.help_button = QToolButton()
        self.help_button.setObjectName("searchHelpButton")
        self.help_button.setText("?")
        self.help_button.setCheckable(True)
        self.help_panel = QLabel()
        self.help_panel.setObjectName("searchHelp")
        self.help_panel.setTextFormat(Qt.TextFormat.RichText)
        self.help_panel.setWordWrap(True)
        self.help_panel.setFrameShape(QLabel.Shape.StyledPanel)
        self.help_panel.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("searchError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("searchStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)

        self.model = SearchResultModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("searchResults")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setItemDelegateForColumn(SNIPPET, SnippetDelegate(self.tree))
        self.tree.header().setStretchLastSection(True)
        for col, width in ((KENMERK, 155), (TITLE, 225), (COMPLETE, 160), (COUNT, 105)):
            self.tree.setColumnWidth(col, width)
        self.more_button = QPushButton()
        self.more_button.setObjectName("searchMore")
        self.more_button.setAutoDefault(False)
        self.more_button.hide()
        #: room for the facet panel (issue 7, point 2), left of the results
        self.facet_area = QWidget()
        self.facet_area.setObjectName("searchFacetArea")
        self.facet_layout = QVBoxLayout(self.facet_area)
        self.facet_layout.setContentsMargins(0, 0, 0, 0)
        self.facet_area.hide()
        self.facets = FacetPanel(reader or ops)
        self.facet_layout.addWidget(self.facets)

        self.details = CompletenessPane()
        #: a central result opened (made on first use)
        self.central_details: CentralDetails | None = None
        #: saved searches: this workstation's, whichever archive is searched
        self.saved = SavedSearches(
            self, ops, lambda: (self.query.text(), self.facets.filters()), reader
        )

        self.results_pane = results = QWidget()
        results.setObjectName("searchResultsPane")
        results_column = QVBoxLayout(results)
        results_column.setContentsMargins(0, 0, 0, 0)
        results_column.addWidget(self.facets.summary)
        results_column.addWidget(self.tree, 1)
        results_column.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("searchSplitter")
        for pane in (self.facet_area, results, self.details):
            self.splitter.addWidget(pane)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([0, 900, 260])

        row = QHBoxLayout()
        row.addWidget(self.query_label)
        row.addWidget(self.query, 1)
        row.addWidget(self.help_button)
        row.addWidget(self.saved.button)
        row.addWidget(self.scope_label)
        row.addWidget(self.scope)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.help_panel)
        layout.addWidget(self.error_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.splitter, 1)

        self.focus_action = QAction(self)
        self.focus_action.setObjectName("searchFocusQuery")
        self.focus_action.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("Ctrl+Shift+F")])
        self.focus_action.triggered.connect(self.focus_query)
        self.addAction(self.focus_action)
        self.help_action = QAction(self)
        self.help_action.setObjectName("searchHelpAction")
        self.help_action.setShortcut(QKeySequence("F1"))
        self.help_action.triggered.connect(self.help_button.toggle)
        self.addAction(self.help_action)

        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        self.completeness = CompletenessReader(
            self.tree, self.model, lambda: (self.source, self.in_central), self
        )
        self.completeness.arrived.connect(self._completeness_arrived)
        self.query.textEdited.connect(lambda _text: self.timer.start())
        self.query.returnPressed.connect(self.run)
        self.query.down.connect(self.focus_results)
        self.help_button.toggled.connect(self.help_panel.setVisible)
        self.more_button.clicked.connect(lambda: self.model.fetchMore())
        self.model.more_wanted.connect(self._fetch_page)
        self.facets.changed.connect(self.run)
        self.saved.chosen.connect(self.run_saved)
        self.saved.saved.connect(self._saved_as)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.facets.counted.connect(self._facets_counted)
        self.model.modelReset.connect(lambda: self._results_changed())
        self.model.rowsInserted.connect(self._results_changed)
        self.tree.activated.connect(self.open_index)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.installEventFilter(self)
        self.retranslate()
        quiet_activation(self)
        self.resize(1200, 720)

    # -- where -------------------------------------------------------------
    @property
    def in_central(self) -> bool:
        """Searching the central archive (else this workstation's store)."""
        return self.central is not None and self.scope.currentIndex() == 1

    @property
    def source(self) -> Ops | Reader:
        """Where the search's reads run: the central executors, or this workstation's
        reader (or its database worker)."""
        if self.central is not None and self.in_central:
            return self.central
        return self.reader or self.ops

    def _scope_changed(self) -> None:
        self.facets.ops = self.source
        self.page = None
        self._saved_name = None
        self.model.clear()
        self.completeness.forget()
        self.details.show_dossier(None, None)
        self._show_status()
        self.run()

    # -- searching ---------------------------------------------------------
    def search(self, text: str) -> None:
        """Put ``text`` in the query box and search for it at once."""
        self.query.setText(text)
        self.run()

    def run_saved(self, saved: SavedSearchInfo) -> None:
        """Put a saved search's query and filters in place and search (where the view
        searches now)."""
        try:
            choices = saved.filters.choices()
        except ValueError:  # not made by the panel: its query alone, said so
            choices = {}
            show_error(self, UserError(N_("The filters of {name} cannot be shown here; its "
                                          "query is searched without them."),
                                       {"name": saved.name}))  # fmt: skip
        self.facets.set_choices(choices)
        self.query.setText(saved.query)
        self.run()

    def run(self) -> None:
        """Search for what the box holds (the latest text wins; see the module docstring)."""
        self.timer.stop()
        self._wanted = self.query.text()
        if not self._wanted.strip():  # emptied: nothing to say yet, the results stay
            self._set_error(None)
            return
        if not self._busy:
            self._submit(self._wanted)

    def _submit(self, text: str) -> None:
        self._busy = True
        filters, central = self.facets.filters(), self.in_central
        self._read_page(
            text,
            0,
            filters,
            lambda page: self._arrived(text, page),
            lambda exc: self._failed(text, exc, (filters, central)),
        )

    def _read_page(
        self,
        text: str,
        number: int,
        filters: SearchFilters | None,
        arrived: Callable[[SearchPage], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Read page ``number`` of ``text`` where the view searches now."""
        source, central = self.source, self.in_central
        if isinstance(source, Reader):  # its rows are made on this side (Qt items)
            job = partial(read_page, text=text, page=number, filters=filters, central=central)
            source.db(job, arrived, failed, owner=self, prepare=with_rows)
        else:
            job = partial(load_page, text=text, page=number, filters=filters, central=central)
            source.db(job, arrived, failed, owner=self)

    def _resubmit(self) -> None:
        if self._wanted.strip():
            self._submit(self._wanted)

    def _arrived(self, text: str, page: SearchPage) -> None:
        self._busy = False
        if (text, page.filters, page.central) != (
            self._wanted,
            self.facets.filters(),
            self.in_central,
        ):
            self._resubmit()  # typed, filtered or moved on meanwhile
            return
        self.page = page
        self._saved_name = None  # the note belongs to the results it was saved with
        self._set_error(None)
        self.model.set_page(page)
        self._show_status()
        if self.model.group_count and not self.tree.currentIndex().isValid():
            self._show_details(QModelIndex())
        self.facets.load(text, self.facets.filters())  # counts of the same search, after it
        self.searched.emit()

    def _failed(self, text: str, exc: BaseException, filters: object) -> None:
        self._busy = False
        if text != self._wanted or filters != (self.facets.filters(), self.in_central):
            self._resubmit()
            return
        known = user_message(exc)
        if known is None:
            show_error(self, exc)  # a bug: the error presenter with its report
        else:
            self._error_exc = exc
            self._set_error(known[0])  # the query's problem, inline; the results stay
        self.searched.emit()

    def _fetch_page(self, number: int) -> None:
        shown = self.page
        if shown is None:
            return

        def arrived(page: SearchPage) -> None:
            if self.page is shown:
                self.model.set_page(page)
                self._show_status()

        def failed(exc: BaseException) -> None:
            self.model.fetching = False
            show_error(self, exc)

        self._read_page(shown.text, number, shown.filters, arrived, failed)

    def _facets_counted(self) -> None:
        if self.facet_area.isHidden():  # the first counts: make room for the panel
            self.facet_area.show()
            sizes = self.splitter.sizes()
            self.splitter.setSizes([240, max(300, sizes[1] - 240), sizes[2]])

    # -- completeness ------------------------------------------------------
    def _results_changed(
        self, parent: QModelIndex | None = None, first: int = 0, last: int = -1
    ) -> None:
        """Show every dossier open (its hits are what was found); read completeness."""
        if parent is None:
            self.tree.expandAll()
        elif not parent.isValid():
            for row in range(first, last + 1):
                self.tree.expand(self.model.index(row, 0))
        self.more_button.setVisible(self.model.canFetchMore())
        self.completeness.later()

    def _completeness_arrived(self) -> None:
        self._show_details(self.tree.currentIndex())
        self._show_status()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Shown (again): dossiers may have changed meanwhile (closed, synchronised);
        the saved searches are read again."""
        super().showEvent(event)
        self.completeness.refresh()
        if self.ops.workspace is not None:
            self.saved.reload()

    # -- keys and opening --------------------------------------------------
    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def focus_results(self) -> None:
        if not self.model.group_count:
            return
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.tree.currentIndex().isValid():
            self.tree.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Escape in the results goes back to the query; Enter opens the current result
        here (the tree would pass it on, and this dialog would press some button)."""
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() == Qt.Key.Key_Escape:
                self.focus_query()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_index(self.tree.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def open_index(self, index: QModelIndex) -> None:
        """Open the record (or dossier) of ``index``: in the main window, or when the view
        searches the central archive, as the central archive holds it (:class:`CentralDetails`)."""
        group = self.model.group(index)
        hit = self.model.hit(index)
        if group is None:
            return
        dossier_id = self.model.object_id(group.kenmerk)
        if dossier_id is None:
            return
        object_id = index.siblingAtColumn(0).data(OBJECT_ID_ROLE)
        is_dossier = hit is None or hit.aggregatieniveau == "Dossier" or object_id is None
        if self.central is not None and self.in_central:
            if self.central_details is None:
                self.central_details = CentralDetails(self.central, self)
            kenmerk = group.kenmerk if is_dossier or hit is None else hit.kenmerk
            self.central_details.show_object(kenmerk, dossier_id,
                                             None if is_dossier else str(object_id))  # fmt: skip
        elif is_dossier:
            self.dossier_opened.emit(dossier_id)
        else:
            self.record_opened.emit(dossier_id, str(object_id))

    # -- showing -----------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_details(current)
        self.completeness.later()

    def _show_details(self, index: QModelIndex) -> None:
        group = self.model.group(index)
        found = self.model.completeness(group.kenmerk) if group is not None else None
        self.details.show_dossier(group, found)

    def _saved_as(self, name: str) -> None:
        self._saved_name = name
        self._show_status()

    def _show_status(self) -> None:
        """The hit counts, and "Saved as …" until other results arrive (kept through a
        later refresh of the same results, such as their completeness arriving)."""
        text = status_text(self.page)
        if self._saved_name is not None:
            text += " · " + _("Saved as {name}.").format(name=self._saved_name)
        self.status_label.setText(text)
        self.status_label.setAccessibleName(text)

    def _set_error(self, message: str | None) -> None:
        if message is None:
            self._error_exc = None
        self.error = message
        self.error_label.setVisible(message is not None)
        text = _("Query not searched: {message}").format(message=message) if message else ""
        self.error_label.setText(f"⚠ {text}" if text else "")
        self.error_label.setAccessibleName(text or _("Query problems"))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Search"))
        self.setAccessibleName(_("Search"))
        self.saved.retranslate()
        if self.central_details is not None:
            self.central_details.retranslate()
        self.query_label.setText(_("&Search:"))
        self.query_label.setAccessibleName(_("Search"))
        self.query.setAccessibleName(_("Search query"))
        name_builtin_buttons(self)  # after the query's own name: the clear button uses it
        self.scope_label.setText(_("Search &in:"))
        self.scope.setItemText(0, _("This workstation"))
        self.scope.setItemText(1, _("Central archive"))
        self.scope.setAccessibleName(_("Search in"))
        self.scope_label.setAccessibleName(_("Search in"))
        self.scope.setToolTip(
            _(
                "Where to search: the records on this workstation, or the whole central "
                "archive (as far as your central login may see it)"
            )
        )
        self.query.setPlaceholderText(_('e.g. vergunning titel:besluit -sloop "niet openbaar"'))
        self.query.setToolTip(help_text())
        self.help_button.setAccessibleName(_("Search syntax help"))
        self.help_button.setToolTip(_("Show or hide the search syntax (F1)"))
        self.help_panel.setText(help_html())
        self.help_panel.setAccessibleName(_("Search syntax"))
        self.tree.setAccessibleName(_("Search results by dossier"))
        self.tree.setAccessibleDescription(
            _("Each dossier found, with its records that match below it; Enter opens the "
              "selected one in the main window")
        )  # fmt: skip
        self.tree.setToolTip("")
        self.more_button.setText(_("More results"))
        self.more_button.setAccessibleName(_("More results"))
        self.results_pane.setAccessibleName(_("Search results by dossier"))
        self.facet_area.setAccessibleName(_("Filters"))
        self.facets.retranslate()
        self.details.retranslate()
        self.splitter.setAccessibleName(_("Results and completeness"))
        self.status_label.setToolTip(_("Number of hits"))
        self.help_action.setText(_("Search syntax"))
        self.focus_action.setText(_("Go to the search query"))
        known = user_message(self._error_exc) if self._error_exc is not None else None
        if self.error is not None and known is not None:
            self._set_error(known[0])  # the same problem, said in the new language
        else:
            self.error_label.setAccessibleName(_("Query problems"))
        self._show_status()
        self._show_details(self.tree.currentIndex())
        self.model.retranslate()
