"""The main window's tool windows: search, the Selectielijst browser, the due list,
the Woo requests (here and in the central archive), the destruction and transfer
lists and the scanned batches.

Each is non-modal and opened from a menu or its shortcut; asking for one that is open
raises it (and reads it again) instead of opening a second. The search view is kept
when closed, so its query and results are still there next time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from recordsdesk.i18n import _
from recordsdesk.ui.views.retention import DisposalListsView, DueListView, SelectielijstBrowser
from recordsdesk.ui.views.scan_batches import ScanBatchesView
from recordsdesk.ui.views.search import SearchView
from recordsdesk.ui.views.woo import WooRequestView

if TYPE_CHECKING:
    from recordsdesk.ui.mainwindow import MainWindow

W = TypeVar("W", bound=QWidget)


class ToolWindows(QObject):
    """Opens the tool windows of ``window`` and owns the actions that are not in
    :class:`~recordsdesk.ui.actions.Actions` (search, the two Woo request windows)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        commands = window.commands
        #: Beeld › Zoeken… (Ctrl+F): the search view
        self.search_action = self._action("actionSearch", "Ctrl+F", "Ctrl+Shift+F")
        self.search_action.triggered.connect(self.show_search)
        commands.view_menu.insertAction(commands.refresh, self.search_action)
        #: Archiefbeheer › Woo-verzoeken… (Ctrl+Shift+V): the Woo request window
        self.woo_requests_action = self._action("actionWooRequests", "Ctrl+Shift+V")
        self.woo_requests_action.triggered.connect(lambda: self.show_woo_requests())
        #: ... the same window over the central archive (Ctrl+Alt+Shift+V)
        self.central_woo_requests_action = self._action(
            "actionCentralWooRequests", "Ctrl+Alt+Shift+V"
        )
        self.central_woo_requests_action.triggered.connect(
            lambda: self.show_woo_requests(central=True)
        )
        commands.retention_menu.addSeparator()
        commands.retention_menu.addAction(self.woo_requests_action)
        commands.retention_menu.addAction(self.central_woo_requests_action)
        #: Inbox › Gescande stapels… (Ctrl+Shift+B): review scanned batches
        self.scan_batches_action = self._action("actionScanBatches", "Ctrl+Shift+B")
        self.scan_batches_action.triggered.connect(self.show_scan_batches)
        window.inbox.menu.addSeparator()
        window.inbox.menu.addAction(self.scan_batches_action)
        commands.selectielijst.triggered.connect(self.show_selectielijst)
        commands.due_list.triggered.connect(self.show_due_list)
        commands.disposal_lists.triggered.connect(self.show_disposal_lists)

    def _action(self, name: str, *shortcuts: str) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        self.window.addAction(action)
        return action

    def show_search(self) -> SearchView:
        """Show the search view (the same one again) with the focus in its query box."""
        window = self.window
        views = window.findChildren(SearchView)  # one, kept when closed: its query and results
        if views:
            found = views[0]
        else:
            found = SearchView(window.ops, window, central=window.sync.central)
            found.record_opened.connect(window.open_record)
            found.dossier_opened.connect(lambda dossier_id: window.open_record(dossier_id, None))
        found.show()
        found.raise_()
        found.activateWindow()
        found.focus_query()
        return found

    def show_selectielijst(self) -> SelectielijstBrowser:
        """Open the Selectielijst browser (raised if it is open)."""
        found = self._open_one(SelectielijstBrowser)
        return found or _shown(SelectielijstBrowser(self.window.ops, self.window))

    def show_due_list(self) -> DueListView:
        """Open the due list (raised and read again if it is open)."""
        view = self._open_one(DueListView)
        if view is None:
            view = _shown(DueListView(self.window.ops, self.window))
            view.dossier_activated.connect(self.window.select_dossier)  # double-click: show it
        view.reload()
        return view

    def show_woo_requests(self, central: bool = False) -> WooRequestView:
        """Open the Woo request window (raised and read again if it is open); the selected
        dossier is offered when adding to a request's scope. ``central``: the window over
        the central archive (its requests; content fetched as needed)."""
        window = self.window
        view = self._open_one(WooRequestView, lambda found: found.central == central)
        if view is None:
            ops = window.sync.central if central else window.ops
            view = _shown(WooRequestView(ops, window, central=central))
        view.suggestion = window.current_dossier_kenmerk() or ""
        view.reload()
        return view

    def show_scan_batches(self) -> ScanBatchesView:
        """Open the scanned batches (raised and read again if open)."""
        view = self._open_one(ScanBatchesView) or _shown(
            ScanBatchesView(self.window.ops, self.window)
        )
        view.reload()
        return view

    def show_disposal_lists(self) -> DisposalListsView:
        """Open the destruction and transfer lists (raised and read again if open)."""
        view = self._open_one(DisposalListsView) or _shown(
            DisposalListsView(self.window.ops, self.window)
        )
        view.reload()
        return view

    def _open_one(self, kind: type[W], wanted: Callable[[W], bool] = lambda _w: True) -> W | None:
        """The open (visible) window of ``kind`` that is ``wanted``, raised; None if none."""
        for found in self.window.findChildren(kind):
            if found.isVisible() and wanted(found):
                _raise(found)
                return found
        return None

    def retranslate(self) -> None:
        window = self.window
        for browser in window.findChildren(SelectielijstBrowser):
            browser.retranslate()
        for due_view in window.findChildren(DueListView):
            due_view.retranslate()
        for lists_view in window.findChildren(DisposalListsView):
            lists_view.retranslate()
        for search_view in window.findChildren(SearchView):
            search_view.retranslate()
        for woo_view in window.findChildren(WooRequestView):
            woo_view.retranslate()
        for scan_view in window.findChildren(ScanBatchesView):
            scan_view.retranslate()
        _texts(
            self.scan_batches_action,
            _("Scanned &batches…"),
            _("Review scanned batches: flagged pages, approval, rejection (Ctrl+Shift+B)"),
        )
        _texts(self.search_action, _("&Search…"), _("Search dossiers and records (Ctrl+F)"))
        _texts(
            self.woo_requests_action,
            _("&Woo requests…"),
            _("Woo requests: scope, assessment, redaction and export (Ctrl+Shift+V)"),
        )
        _texts(
            self.central_woo_requests_action,
            _("Woo requests in the &central archive…"),
            _("Woo requests of the central archive, with documents of every department "
              "(Ctrl+Alt+Shift+V)"),
        )  # fmt: skip


def _shown(view: W) -> W:
    """A new tool window, shown; it is deleted when closed."""
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    return view


def _raise(widget: QWidget) -> None:
    widget.raise_()
    widget.activateWindow()


def _texts(action: QAction, text: str, tip: str) -> None:
    action.setText(text)
    action.setToolTip(tip)
    action.setStatusTip(tip)
