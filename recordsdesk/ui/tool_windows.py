"""The main window's tool windows: search, the Selectielijst browser, the due list,
the Woo requests (here and in the central archive), the destruction and transfer
lists and the scanned batches.

Each is non-modal and opened from a menu or its shortcut; asking for one that is open
raises it (and reads it again) instead of opening a second. The search view is kept
when closed, so its query and results are still there next time.

A view's module is imported when the view is first opened, not with the main
window: together they are about a second of imports (Woo, PDF/A, disposal runs)
that start-up does not need (benchmark ``startup``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from recordsdesk.i18n import _

log = logging.getLogger("recordsdesk.ui.tool_windows")

if TYPE_CHECKING:
    from recordsdesk.ui.mainwindow import MainWindow
    from recordsdesk.ui.views.retention import (
        DisposalListsView,
        DueListView,
        SelectielijstBrowser,
    )
    from recordsdesk.ui.views.scan_batches import ScanBatchesView
    from recordsdesk.ui.views.search import SearchView
    from recordsdesk.ui.views.woo import WooRequestView

#: the modules of the tool windows and their classes (imported when first opened)
VIEW_MODULES = {
    "recordsdesk.ui.views.search": ("SearchView",),
    "recordsdesk.ui.views.retention": (
        "SelectielijstBrowser",
        "DueListView",
        "DisposalListsView",
    ),
    "recordsdesk.ui.views.woo": ("WooRequestView",),
    "recordsdesk.ui.views.scan_batches": ("ScanBatchesView",),
}

W = TypeVar("W", bound=QWidget)


class ToolWindows(QObject):
    """Opens the tool windows of ``window`` and owns the actions that are not in
    :class:`~recordsdesk.ui.actions.Actions` (search, the two Woo request windows)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: set while a workspace makes a view for its dock: a new view goes there
        #: instead of opening as a window of its own (``recordsdesk.ui.workspaces``)
        self.dock_into: Callable[[QWidget], None] | None = None
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
        found = self._search_view()
        if self.dock_into is not None and not isinstance(found.parentWidget(), QDockWidget):
            self.dock_into(found)
            return found
        _raise(found)
        found.focus_query()
        return found

    def prepare_search(self) -> None:
        """Make the search view now, hidden, if there is none yet: its first opening then
        only shows it. Called once start-up is over (``MainWindow.preloaded``): making
        it is some 20 ms of the GUI thread, which the first search otherwise added to
        its own first paint (benchmark ``heartbeat``)."""
        if not self.window.isVisible():
            return
        self.window.reader.start()  # it loads its modules meanwhile, in its own process
        try:
            self._search_view()
        except Exception:  # opening it later makes it again and shows the error there
            log.warning("making the search view ahead failed", exc_info=True)

    def _search_view(self) -> SearchView:
        """The search view: one, kept when closed (its query and results)."""
        from recordsdesk.ui.views.search import SearchView

        window = self.window
        views = window.findChildren(SearchView)
        if views:
            return views[0]
        made = SearchView(  # not shown yet
            window.ops, window, central=window.sync.central, reader=window.reader
        )
        made.record_opened.connect(window.open_record)
        made.dossier_opened.connect(lambda dossier_id: window.open_record(dossier_id, None))
        return made

    def show_selectielijst(self) -> SelectielijstBrowser:
        """Open the Selectielijst browser (raised if it is open)."""
        from recordsdesk.ui.views.retention import SelectielijstBrowser

        found = self._open_one(SelectielijstBrowser)
        return found or self._shown(SelectielijstBrowser(self.window.ops, self.window))

    def show_due_list(self) -> DueListView:
        """Open the due list (raised and read again if it is open)."""
        from recordsdesk.ui.views.retention import DueListView

        view = self._open_one(DueListView)
        if view is None:
            view = self._shown(DueListView(self.window.ops, self.window))
            view.dossier_activated.connect(self.window.select_dossier)  # double-click: show it
        view.reload()
        return view

    def show_woo_requests(self, central: bool = False) -> WooRequestView:
        """Open the Woo request window (raised and read again if it is open); the selected
        dossier is offered when adding to a request's scope. ``central``: the window over
        the central archive (its requests; content fetched as needed)."""
        from recordsdesk.ui.views.woo import WooRequestView

        window = self.window
        view = self._open_one(WooRequestView, lambda found: found.central == central)
        if view is None:
            ops = window.sync.central if central else window.ops
            view = self._shown(WooRequestView(ops, window, central=central))
        view.suggestion = window.current_dossier_kenmerk() or ""
        view.reload()
        return view

    def show_scan_batches(self) -> ScanBatchesView:
        """Open the scanned batches (raised and read again if open)."""
        from recordsdesk.ui.views.scan_batches import ScanBatchesView

        view = self._open_one(ScanBatchesView) or self._shown(
            ScanBatchesView(self.window.ops, self.window)
        )
        view.reload()
        return view

    def show_disposal_lists(self) -> DisposalListsView:
        """Open the destruction and transfer lists (raised and read again if open)."""
        from recordsdesk.ui.views.retention import DisposalListsView

        view = self._open_one(DisposalListsView) or self._shown(
            DisposalListsView(self.window.ops, self.window)
        )
        view.reload()
        return view

    def _shown(self, view: W) -> W:
        """A new tool window, shown (it is deleted when closed), or put in a
        workspace's dock (see ``dock_into``)."""
        if self.dock_into is not None:
            self.dock_into(view)
            return view
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view

    def _open_one(self, kind: type[W], wanted: Callable[[W], bool] = lambda _w: True) -> W | None:
        """The open (visible or docked) window of ``kind`` that is ``wanted``, raised;
        None if none."""
        for found in self.window.findChildren(kind):
            docked = isinstance(found.parentWidget(), QDockWidget)
            if (found.isVisible() or docked) and wanted(found):
                _raise(found)
                return found
        return None

    def open_views(self) -> Iterator[QWidget]:
        """Every tool window that exists (open or kept), of the modules loaded so far: a
        view whose module was never imported was never opened."""
        for module_name, class_names in VIEW_MODULES.items():
            module = sys.modules.get(module_name)
            if module is None:
                continue
            for class_name in class_names:
                kind = getattr(module, class_name, None)  # None: still being imported (the
                if kind is not None:  # preloading thread), so no window of it exists yet
                    yield from self.window.findChildren(kind)

    def retranslate(self) -> None:
        for view in self.open_views():
            view.retranslate()  # type: ignore[attr-defined]  # every tool window has it
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


def _raise(widget: QWidget) -> None:
    """Show ``widget`` on top: its dock (shown, its tab raised) when it is docked."""
    dock = widget.parentWidget()
    if isinstance(dock, QDockWidget):
        dock.show()
        dock.raise_()
        return
    widget.show()
    widget.raise_()
    widget.activateWindow()


def _texts(action: QAction, text: str, tip: str) -> None:
    action.setText(text)
    action.setToolTip(tip)
    action.setStatusTip(tip)
