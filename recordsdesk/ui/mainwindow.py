"""The main window: dossiers | records of the selected dossier | details and preview.

The details pane shows the selected record (or dossier); selecting one inbox
item shows that item there instead, until the focus or the selection goes back
to the dossier or record list.

All data comes through :class:`Ops` (workers); the window only reacts to
answers. Mutations return ``Changes`` and the models refresh what those name.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QSplitter,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from recordsdesk import i18n, services
from recordsdesk.changes import Changes
from recordsdesk.i18n import N_, _
from recordsdesk.services import FilingResult
from recordsdesk.services.dto import Created
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.a11y import name_builtin_buttons
from recordsdesk.ui.actions import Actions
from recordsdesk.ui.activation import quiet_activation
from recordsdesk.ui.dialogs import NewDossierDialog, show_about
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.filing import Filer, has_local_files, local_paths
from recordsdesk.ui.formatting import Message, status_name
from recordsdesk.ui.models import DossierModel, RecordModel
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.palette import show_palette, show_shortcuts
from recordsdesk.ui.preload import preload
from recordsdesk.ui.reader import Reader
from recordsdesk.ui.search_upkeep import SearchUpkeep
from recordsdesk.ui.sync_controls import SyncControls
from recordsdesk.ui.tool_windows import ToolWindows
from recordsdesk.ui.views.details import DetailsPane
from recordsdesk.ui.views.inbox import InboxPanel
from recordsdesk.ui.views.lists import ListPanel
from recordsdesk.ui.watcher import WatchSwitch
from recordsdesk.ui.workspaces import FILING, Workspaces

if TYPE_CHECKING:  # imported when first opened (start-up time: benchmark ``startup``)
    from recordsdesk.ui.first_run import FirstRunWizard
    from recordsdesk.ui.form_dialog import FormDialog
    from recordsdesk.ui.log_viewer import LogViewer
    from recordsdesk.ui.settings_dialog import SettingsDialog
    from recordsdesk.ui.views.metadata import MetadataDialog
    from recordsdesk.ui.views.retention import (
        DisposalListsView,
        DueListView,
        SelectielijstBrowser,
    )
    from recordsdesk.ui.views.search import SearchView
    from recordsdesk.ui.views.woo import WooRequestView

log = logging.getLogger("recordsdesk.ui.mainwindow")

KEY_LAST_FOLDER = "filing/last_folder"
#: at most one tray message in this many seconds (a large batch arrives over many reads)
TRAY_QUIET_S = 10.0
#: the background work starts when the first rows are shown, or this long after the
#: data folder opened (start-up: benchmark ``startup``)
BACKGROUND_START_MS = 1500
#: an arrival in the inbox is not announced over a message of the drop-folder watcher
#: shown this shortly before: it is about the same files (a scanned batch taken apart)
ARRIVAL_QUIET_S = 3.0
#: the tool windows' modules are loaded this long after the background work started
PRELOAD_DELAY_MS = 1000
#: how often the GUI thread looks whether the preloading thread has ended
PRELOAD_POLL_MS = 50


class MainWindow(QMainWindow):
    """Signals:
    ready: the workspace is open and the dossier list has been read.
    failed: the workspace could not be opened (argument: the exception).
    preloaded: start-up is over: the tool windows' modules are loaded too (see
        ``preload``; the application then freezes what exists for the collector).
    """

    ready = Signal()
    failed = Signal(object)
    preloaded = Signal()

    def __init__(self, ops: Ops, settings: QSettings, home: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.ops = ops
        self.settings = settings
        self._home = home
        self._is_ready = False
        self._select_dossier: str | None = None
        #: the data folder, until the background work has started (``_start_background``)
        self._background_root: Path | None = None
        self._closed = False  # closed: nothing in the background starts any more
        self._select_records: frozenset[str] = frozenset()
        self._status = Message("")

        self.dossiers = DossierModel(ops, self)
        self.records = RecordModel(ops, self)
        self.dossier_panel = ListPanel(self.dossiers, "dossierList", extended=False)
        self.record_panel = ListPanel(self.records, "recordList", extended=True)
        self.dossier_panel.set_column_widths({0: "D-MM8K0X-9K", 2: "Stukken", 3: "↑ 999"})
        self.record_panel.set_column_widths(
            {0: "S-MM8K0X-9K", 2: "PNG-afbeelding", 3: "99,9 MB", 4: "28-11-2026 21:05", 5: "↑ 99"}
        )
        self.details = DetailsPane(ops)
        self.details.setObjectName("details")
        self.details.tab_after = self.record_panel.view
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for pane in (self.dossier_panel, self.record_panel, self.details):
            self.splitter.addWidget(pane)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([330, 540, 410])
        self.setCentralWidget(self.splitter)
        QWidget.setTabOrder(self.dossier_panel.view, self.record_panel.view)

        self.commands = Actions(self)
        # context menus (right click, the Menu key or Shift+F10): the commands on what is
        # selected, the same actions as in the menus
        a = self.commands
        for view, acts in (
            (self.dossier_panel.view, [a.new_dossier, a.file_files, a.edit_metadata,
                                       a.classify, a.close_dossier, a.refresh]),
            (self.record_panel.view, [a.file_files, a.edit_metadata, a.refresh]),
        ):  # fmt: skip
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addActions(acts)
        self.filer = Filer(ops, self)
        self.inbox = InboxPanel(ops, self)
        self.inbox_dock = QDockWidget(self)
        self.inbox_dock.setObjectName("inboxDock")
        self.inbox_dock.setWidget(self.inbox)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.inbox_dock)
        self.resizeDocks([self.inbox_dock], [210], Qt.Orientation.Vertical)
        self.menuBar().insertMenu(self.commands.help_menu.menuAction(), self.inbox.menu)
        self.show_inbox_action = QAction(self)
        self.show_inbox_action.setObjectName("actionGoToInbox")
        self.show_inbox_action.setShortcut(QKeySequence("Ctrl+I"))
        self.show_inbox_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.show_inbox_action.triggered.connect(self.show_inbox)
        self.addAction(self.show_inbox_action)
        self.inbox.menu.insertAction(self.inbox.file_action, self.show_inbox_action)
        self.inbox.menu.insertSeparator(self.inbox.file_action)
        #: watching the drop folders while the window is open (Inbox menu, status bar)
        self.watch = WatchSwitch(self, settings)
        self.inbox.menu.addSeparator()
        self.inbox.menu.addAction(self.watch.action)
        #: the tray icon, made when the first new items arrive and a tray exists
        self.tray: QSystemTrayIcon | None = None
        self._tray_at = -TRAY_QUIET_S
        self._watch_message_at = -ARRIVAL_QUIET_S
        self.commands.view_menu.insertAction(
            self.commands.language_menu.menuAction(), self.inbox_dock.toggleViewAction()
        )
        self.status_label = QLabel()
        self.status_label.setObjectName("statusMessage")
        self.home_label = QLabel()
        self.home_label.setObjectName("homeFolder")
        self.home_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.watch.scan_indicator)
        self.statusBar().addPermanentWidget(self.watch.indicator)
        #: synchronising with the central archive (Sync menu, indicator, panel)
        self.sync = SyncControls(self, ops, self.commands.help_menu.menuAction())
        self.search_upkeep = SearchUpkeep(ops, self)
        #: the search view's reads, in a process of their own (started when preloaded)
        self.reader = Reader(ops, self)
        #: search, retention and Woo windows, and the actions that open them
        self.tools = ToolWindows(self)
        self.preloaded.connect(self.tools.prepare_search)
        self.search_action = self.tools.search_action
        self.woo_requests_action = self.tools.woo_requests_action
        self.central_woo_requests_action = self.tools.central_woo_requests_action
        #: Beeld › Werkruimte: the window arranged for filing, records management or Woo
        self.workspaces = Workspaces(self)
        self.statusBar().addPermanentWidget(self.home_label)
        self.setAcceptDrops(True)

        self._connect()
        self.commands.set_language_checked(i18n.current_language())
        self.retranslate()
        quiet_activation(self)  # its lists are not drawn again whenever a window opens
        self.resize(1280, 800)
        ui_settings.restore_window(settings, self, self.splitters())

    def splitters(self) -> dict[str, QSplitter]:
        return {"main": self.splitter, "details": self.details.splitter}

    def _connect(self) -> None:
        a = self.commands
        a.new_dossier.triggered.connect(self.new_dossier)
        a.file_files.triggered.connect(self.choose_files)
        a.refresh.triggered.connect(self.refresh)
        a.edit_metadata.triggered.connect(self.edit_metadata)
        a.quit.triggered.connect(self.close)
        a.about.triggered.connect(lambda: show_about(self))
        a.command_palette.triggered.connect(lambda: show_palette(self))
        a.shortcuts.triggered.connect(lambda: show_shortcuts(self))
        a.show_log.triggered.connect(self.show_log)
        a.preferences.triggered.connect(self.show_settings)
        a.classify.triggered.connect(lambda: self.close_or_classify(closing=False))
        a.close_dossier.triggered.connect(lambda: self.close_or_classify(closing=True))
        a.first_run.triggered.connect(self.show_first_run)
        a.language_group.triggered.connect(lambda act: self.set_language(str(act.data())))
        self.ops.workspace_ready.connect(self._workspace_ready)
        self.ops.workspace_failed.connect(self._workspace_failed)
        self.dossier_panel.view.selectionModel().currentRowChanged.connect(self._dossier_changed)
        self.record_panel.view.selectionModel().currentRowChanged.connect(self._record_changed)
        self.dossiers.ids_loaded.connect(self._dossier_ids_loaded)
        self.dossiers.rows_loaded.connect(self._update_labels)
        self.records.ids_loaded.connect(self._record_ids_loaded)
        for model in (self.dossiers, self.records):
            model.load_failed.connect(self._load_failed)
            model.rows_loaded.connect(self._first_rows_shown)
        self.records.ids_loaded.connect(self._first_rows_shown)
        self.filer.message.connect(self.show_message)
        self.filer.finished.connect(self._filed)
        self.inbox.message.connect(self.show_message)
        self.inbox.filed.connect(self._filed)
        self.inbox.added.connect(lambda created: self.apply_changes(created.changes))
        self.inbox.arrived.connect(self.notify_arrivals)
        self.watch.message.connect(self._watch_message)
        self.sync.synced.connect(self._synced)
        self.inbox.view.selectionModel().selectionChanged.connect(self._inbox_selection_changed)
        self.inbox.loaded.connect(self._inbox_loaded)
        for view in (self.dossier_panel.view, self.record_panel.view, self.inbox.view):
            view.installEventFilter(self)

    # -- start-up -------------------------------------------------------------
    def start(self) -> None:
        """Open the workspace in the background; ``ready`` or ``failed`` follows."""
        self.set_status(N_("Opening the data folder…"))
        self._update_file_action()
        self.ops.open_workspace(self._home)

    @property
    def is_ready(self) -> bool:
        return self._is_ready

    def _workspace_ready(self, root: Path) -> None:
        if self._closed:  # the data folder opened after the window was closed
            return
        self.home_label.setText(_("Data folder: {path}").format(path=root))
        self.home_label.setToolTip(str(root))
        self.home_label.setAccessibleName(self.home_label.text())
        self.set_status(N_("Ready."))
        # The lists first: the database worker answers in order, and the dossier rows
        # and the selected dossier's records are what make the window usable. The
        # rest (inbox, outbox count, drop-folder watching, search index) starts when
        # the first rows are shown, or after BACKGROUND_START_MS at the latest.
        self._background_root = root
        self.dossiers.reload_ids()
        if (workspace := self.workspaces.stored()) != FILING:  # its docks read the archive
            QTimer.singleShot(
                0, self, lambda: self.workspaces.switch(workspace, keep_current=False)
            )
        QTimer.singleShot(BACKGROUND_START_MS, self, self._start_background)

    def _first_rows_shown(self) -> None:
        """Start the background work once the user sees the lists filled in."""
        dossiers, records = self.dossiers, self.records
        if self._background_root is not None and (
            dossiers.rowCount() == 0 or (dossiers.row_value(0) is not None and not records.loading)
        ):
            self._start_background()

    def _start_background(self) -> None:
        """Start the window's background work, once (see ``_workspace_ready``)."""
        root, self._background_root = self._background_root, None
        if root is None or self._closed:
            return
        self.sync.workspace_ready(root)
        self.inbox.start_polling()
        self.watch.workspace_ready(root)
        self.search_upkeep.start()
        # a moment later, so the first paint of the filled lists is not kept waiting
        QTimer.singleShot(PRELOAD_DELAY_MS, self, self._preload)

    def _preload(self) -> None:
        """Preload the tool windows' modules; ``preloaded`` when the thread has ended.
        Watched from here: the thread itself touches no Qt object (see ``preload``)."""
        if self._closed:
            return
        thread = preload()
        watch = QTimer(self)
        watch.setInterval(PRELOAD_POLL_MS)

        def ended() -> None:
            if thread.is_alive():
                return
            watch.stop()
            watch.deleteLater()
            if not self._closed:
                self.preloaded.emit()

        watch.timeout.connect(ended)
        watch.start()

    def _workspace_failed(self, exc: BaseException) -> None:
        for act in (self.commands.new_dossier, self.commands.file_files, self.commands.refresh):
            act.setEnabled(False)
        self.inbox.set_available(False)
        self.set_status(N_("The data folder could not be opened."))
        show_error(self, exc)
        self.failed.emit(exc)

    # -- selection ------------------------------------------------------------
    def current_dossier_id(self) -> str | None:
        index = self.dossier_panel.view.currentIndex()
        return self.dossiers.row_id(index.row()) if index.isValid() else None

    def current_dossier_kenmerk(self) -> str | None:
        index = self.dossier_panel.view.currentIndex()
        row = self.dossiers.row_value(index.row()) if index.isValid() else None
        return row.kenmerk if row is not None else None

    def select_dossier(self, dossier_id: str) -> bool:
        row = self.dossiers.row_of(dossier_id)
        if row is None:
            return False
        self.dossier_panel.select_rows([row])
        return True

    def _dossier_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        dossier_id = self.dossiers.row_id(current.row()) if current.isValid() else None
        self.records.set_dossier(dossier_id)
        if dossier_id is None:
            self.details.show_nothing()
        else:
            self.details.show_dossier(dossier_id)
        self._update_labels()

    def _record_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = self.records.row_id(current.row()) if current.isValid() else None
        if record_id is not None:
            self.details.show_record(record_id)
        elif (dossier_id := self.current_dossier_id()) is not None:
            self.details.show_dossier(dossier_id)

    def _show_list_selection(self) -> None:
        """Show the selected record, else the selected dossier, else nothing."""
        index = self.record_panel.view.currentIndex()
        if index.isValid() or self.current_dossier_id() is not None:
            self._record_changed(index, index)
        else:
            self.details.show_nothing()

    def _inbox_selection_changed(self, *_args: object) -> None:
        items = self.inbox.selected_items()
        if len(items) == 1:
            self.details.show_inbox_item(items[0])
        elif self.details.inbox_item is not None:
            self._show_list_selection()

    def _inbox_loaded(self) -> None:
        """A new read of the inbox: the item shown may have changed (state, reason, content)."""
        shown = self.details.inbox_item
        row = self.inbox.model.row_of(shown.id) if shown is not None else None
        item = self.inbox.model.item(row) if row is not None else None
        if shown is None or item is None or item == shown:
            return
        if item.sha256 != shown.sha256:
            self.details.show_inbox_item(item)
        else:
            self.details.update_inbox_item(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Focus into a list shows its selection in the details pane again."""
        if event.type() == QEvent.Type.FocusIn:
            shown = self.details.inbox_item
            if watched is self.inbox.view:
                items = self.inbox.selected_items()
                if len(items) == 1 and (shown is None or shown.id != items[0].id):
                    self.details.show_inbox_item(items[0])
            elif shown is not None and watched in (
                self.dossier_panel.view,
                self.record_panel.view,
            ):
                self._show_list_selection()
        return super().eventFilter(watched, event)

    def _dossier_ids_loaded(self) -> None:
        wanted, self._select_dossier = self._select_dossier, None
        if wanted is not None:
            self.select_dossier(wanted)
        elif not self.dossier_panel.view.currentIndex().isValid() and self.dossiers.rowCount():
            self.dossier_panel.select_rows([0])
        first = not self._is_ready
        self._is_ready = True
        self._update_labels()
        self._first_rows_shown()
        if first:
            self.ready.emit()

    def _record_ids_loaded(self) -> None:
        wanted, self._select_records = self._select_records, frozenset()
        rows = [r for r in (self.records.row_of(i) for i in wanted) if r is not None]
        if rows:
            self.record_panel.select_rows(sorted(rows))
        self._update_labels()

    # -- actions --------------------------------------------------------------
    def new_dossier(self) -> NewDossierDialog:
        dialog = NewDossierDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.create_dossier(dialog.title(), dialog.description()))
        dialog.open()
        return dialog

    def create_dossier(self, title: str, description: str | None) -> None:
        def created(result: Created) -> None:
            self.set_status(N_("Dossier {kenmerk} created."), kenmerk=result.kenmerk)
            self._select_dossier = result.id
            self.apply_changes(result.changes)

        self.ops.db(lambda ws: services.create_dossier(ws, title, description), created, owner=self)

    def choose_files(self) -> None:
        kenmerk = self.current_dossier_kenmerk()
        if kenmerk is None:
            self.set_status(N_("Select a dossier first."))
            return
        start = str(self.settings.value(KEY_LAST_FOLDER, str(Path.home())))
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("File documents into dossier {kenmerk}").format(kenmerk=kenmerk), start
        )
        if names:
            self.settings.setValue(KEY_LAST_FOLDER, str(Path(names[0]).parent))
            self.file_paths([Path(n) for n in names])

    def file_paths(self, paths: Iterable[Path]) -> bool:
        """File ``paths`` into the selected dossier (the dialog and drops end here)."""
        kenmerk = self.current_dossier_kenmerk()
        if kenmerk is None:
            self.set_status(N_("Select a dossier first, then file documents into it."))
            return False
        return self.filer.file_paths(kenmerk, list(paths))

    def _filed(self, result: FilingResult) -> None:
        self._select_records = frozenset(r.id for r in result.records)
        self.apply_changes(result.changes)
        self.search_upkeep.poke()

    def edit_metadata(self) -> MetadataDialog | None:
        """Open the metadata editor of the selected record, or else of the selected dossier
        (the dossier when the dossier list has the focus); raise it if it is open."""
        index = self.record_panel.view.currentIndex()
        object_id = self.records.row_id(index.row()) if index.isValid() else None
        if object_id is None or self.dossier_panel.view.hasFocus():
            object_id = self.current_dossier_id()
        if object_id is None:
            self.set_status(N_("Select a dossier or record first."))
            return None
        from recordsdesk.ui.views.metadata import MetadataDialog

        for open_one in self.findChildren(MetadataDialog):
            if open_one.object_id == object_id and open_one.isVisible():
                open_one.raise_()
                open_one.activateWindow()
                return open_one
        dialog = MetadataDialog(self.ops, object_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._metadata_saved)
        dialog.show()
        return dialog

    def _metadata_saved(self, changes: Changes) -> None:
        self.set_status(N_("Metadata saved."))
        self.apply_changes(changes)
        if self.details.inbox_item is None:
            self._show_list_selection()

    def apply_changes(self, changes: Changes) -> None:
        """Refresh exactly what a mutation says it changed."""
        self.dossiers.apply_changes(changes)
        self.records.apply_changes(changes)
        self.sync.refresh_status()

    def _synced(self) -> None:
        """A sync run ended: new dossiers may have come in, states changed."""
        self.search_upkeep.poke()
        self.dossiers.reload_ids()
        self.dossiers.refresh_all()
        self.records.refresh_all()

    def refresh(self) -> None:
        self.dossiers.refresh_all()
        self.records.refresh_all()
        self.inbox.refresh()
        if self.details.inbox_item is not None:
            self.details.show_inbox_item(self.details.inbox_item)
        else:
            index = self.record_panel.view.currentIndex()
            self._record_changed(index, index)
        self.set_status(N_("Lists refreshed."))

    def show_inbox(self) -> None:
        """Show and raise the inbox dock and put the focus in its list."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.inbox_dock.show()
        self.inbox_dock.raise_()
        self.inbox.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_or_classify(self, closing: bool) -> FormDialog | None:
        """Archiefbeheer › Dossier classificeren… / afsluiten… on the selected dossier."""
        from recordsdesk.ui.closing_dialogs import ClassifyDialog, CloseDialog

        kenmerk = self.current_dossier_kenmerk()
        if kenmerk is None:
            self.set_status(N_("Choose a dossier first."))
            return None
        dialog = (CloseDialog if closing else ClassifyDialog)(self, kenmerk)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_settings(self) -> SettingsDialog:
        """Bestand › Instellingen… (Ctrl+,)."""
        from recordsdesk.ui.settings_dialog import show_settings

        return show_settings(self)

    def show_first_run(self) -> FirstRunWizard:
        """Help › Assistent eerste gebruik…"""
        from recordsdesk.ui.first_run import show_first_run

        return show_first_run(self)

    def show_log(self) -> LogViewer:
        """Help › Logboek… (Ctrl+Shift+J)."""
        from recordsdesk.ui.log_viewer import show_log

        return show_log(self)

    def show_search(self) -> SearchView:
        """Show the search view with the focus in its query box (see ``tool_windows``)."""
        return self.tools.show_search()

    def open_record(self, dossier_id: str, record_id: str | None) -> None:
        """Show a dossier (and one of its records) in the lists and the details pane."""
        self.raise_()
        self.activateWindow()
        row = self.records.row_of(record_id) if record_id is not None else None
        if record_id is not None and self.current_dossier_id() == dossier_id and row is not None:
            self.record_panel.select_rows([row])
        else:
            self._select_records = frozenset({record_id} if record_id else ())
            if not self.select_dossier(dossier_id):
                self.set_status(N_("That dossier is not in the list."))
        view = self.record_panel.view if record_id else self.dossier_panel.view
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_selectielijst(self) -> SelectielijstBrowser:
        return self.tools.show_selectielijst()

    def show_due_list(self) -> DueListView:
        return self.tools.show_due_list()

    def show_woo_requests(self, central: bool = False) -> WooRequestView:
        return self.tools.show_woo_requests(central)

    def show_disposal_lists(self) -> DisposalListsView:
        return self.tools.show_disposal_lists()

    def notify_arrivals(self, count: int) -> None:
        """New items in the inbox: say so in the status bar and, if there is one, the tray."""
        if count == 1:
            message = Message(N_("1 new item in the inbox"))
        else:
            message = Message(N_("{count} new items in the inbox"), {"count": count})
        if time.monotonic() - self._watch_message_at >= ARRIVAL_QUIET_S:
            self.show_message(message)  # else the watcher's own word on them stays
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        now = time.monotonic()
        if now - self._tray_at < TRAY_QUIET_S:
            return
        self._tray_at = now
        tray = self._tray_icon()
        tray.showMessage(
            _("RecordsDesk inbox"),
            message.text() + "\n" + _("Click to show the inbox (Ctrl+I)."),
            QSystemTrayIcon.MessageIcon.Information,
            8000,
        )

    def _tray_icon(self) -> QSystemTrayIcon:
        if self.tray is None:
            icon = self.windowIcon()
            if icon.isNull():
                icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
            tray = QSystemTrayIcon(icon, self)
            tray.setObjectName("trayIcon")
            tray.setToolTip(_("RecordsDesk"))
            tray.messageClicked.connect(self.show_inbox)
            tray.activated.connect(lambda _reason: self.show_inbox())
            tray.show()
            self.tray = tray
        return self.tray

    def set_language(self, language: str) -> None:
        ui_settings.apply_language(language)
        self.settings.setValue(ui_settings.KEY_LANGUAGE, i18n.current_language())
        self.commands.set_language_checked(i18n.current_language())
        self.retranslate()

    def _watch_message(self, message: Message) -> None:
        self._watch_message_at = time.monotonic()
        self.show_message(message)

    def set_status(self, msgid: str, **params: object) -> None:
        """Show the outcome of the last action (re-translated on a language switch)."""
        self.show_message(Message(msgid, params))

    def show_message(self, message: Message) -> None:
        self._status = message
        text = message.text()
        self.status_label.setText(text)
        self.status_label.setAccessibleName(text)

    # -- drag and drop --------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if has_local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if has_local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = local_paths(event.mimeData().urls())
        if paths and self.file_paths(paths):
            event.acceptProposedAction()
        else:
            event.ignore()

    # -- language, labels, closing --------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("RecordsDesk"))
        self.commands.retranslate()
        self.dossiers.retranslate()
        self.records.retranslate()
        self.details.retranslate()
        for editor in self._metadata_dialogs():
            editor.retranslate()
        self.tools.retranslate()
        self.workspaces.retranslate()
        self.inbox.retranslate()
        self.watch.retranslate()
        self.sync.retranslate()
        self.inbox_dock.setWindowTitle(_("Inbox"))
        self.inbox_dock.toggleViewAction().setText(_("Show &inbox"))
        self.show_inbox_action.setText(_("&Go to inbox"))
        self.show_inbox_action.setToolTip(_("Show the inbox and put the focus in it (Ctrl+I)"))
        self.show_inbox_action.setStatusTip(self.show_inbox_action.toolTip())
        if self.tray is not None:
            self.tray.setToolTip(_("RecordsDesk"))
        self.splitter.setAccessibleName(_("Dossiers, records and details"))
        self.status_label.setToolTip(_("Result of the last action"))
        self.statusBar().setAccessibleName(_("Status bar"))
        name_builtin_buttons(self)
        if self._status.msgid:
            self.show_message(self._status)
        root = self.ops.workspace.layout.root if self.ops.workspace else None
        if root is not None:
            self.home_label.setText(_("Data folder: {path}").format(path=root))
            self.home_label.setAccessibleName(self.home_label.text())
        self._update_labels()

    def _update_labels(self) -> None:
        self.dossier_panel.set_texts(
            _("&Dossiers"),
            _("Dossiers"),
            _("No dossiers yet. Create one with File › New dossier… (Ctrl+N).")
            if self._is_ready and not self.dossiers.rowCount()
            else "",
        )
        kenmerk = self.current_dossier_kenmerk()
        if kenmerk is None:
            title, hint = _("&Records"), _("Select a dossier to see its records.")
        else:
            title = _("&Records in dossier {kenmerk}").format(kenmerk=kenmerk)
            hint = (
                ""
                if self.records.rowCount() or self.records.loading
                else _(
                    "No records yet. File documents with File › File documents… (Ctrl+O) "
                    "or drop files onto this window."
                )
            )
        self.record_panel.set_texts(title, _("Records"), hint)
        self._update_file_action()

    def _update_file_action(self) -> None:
        index = self.dossier_panel.view.currentIndex()
        row = self.dossiers.row_value(index.row()) if index.isValid() else None
        if not self._is_ready or row is None:
            reason = _("Select a dossier first, then file documents into it.")
            self.commands.set_can_file(False, reason)
            self.inbox.set_target(None, reason)
        elif row.status != "open":
            reason = _("Dossier {kenmerk} is {status}; no records can be added.").format(
                kenmerk=row.kenmerk, status=status_name(row.status)
            )
            self.commands.set_can_file(False, reason)
            self.inbox.set_target(None, reason)
        else:
            self.commands.set_can_file(True, "")
            self.inbox.set_target(row.kenmerk, "")

    def _metadata_dialogs(self) -> list[MetadataDialog]:
        """The open metadata editors (none when the editor's module was never loaded)."""
        module = sys.modules.get("recordsdesk.ui.views.metadata")
        kind = getattr(module, "MetadataDialog", None)  # None: not (fully) imported yet
        return self.findChildren(kind) if kind is not None else []

    def _load_failed(self, exc: BaseException) -> None:
        self.set_status(N_("Part of the list could not be read: {reason}"), reason=str(exc))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._closed = True  # what has not started in the background never starts
        self._background_root = None
        self.search_upkeep.stop()
        self.workspaces.save()
        ui_settings.save_window(self.settings, self, self.splitters())
        self.settings.sync()
        self.filer.cancel()
        self.inbox.timer.stop()
        self.watch.shutdown()
        self.sync.shutdown()
        self.reader.shutdown()
        if self.tray is not None:
            self.tray.hide()
        event.accept()
