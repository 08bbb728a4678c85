"""The inbox panel: items brought in from the drop folders, and what to do with them.

Mutations run on the database worker through :meth:`Ops.db`; reading the list
runs on the IO pool (a read never waits for a writer), every :data:`REFRESH_MS`
while the panel is polling, so items from a running ``recordsdesk watch`` (or
from "process now", which holds the database worker) appear by themselves. The
panel only reacts to answers. Filing goes through ``intake.inbox.file_items``
(all or nothing) and hands its ``FilingResult`` to the window
(:attr:`InboxPanel.filed`), which refreshes the records and dossier lists from
the result's ``Changes``.

Items the panel did not know at its previous read are *new*: the panel says so
(:attr:`InboxPanel.arrived`; the window shows a status-bar and tray message) and,
when more than :data:`MANY_NEW` arrive at once, shows a busy bar with the count
until a read brings nothing new.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import N_, _
from recordsdesk.intake import runner
from recordsdesk.intake.folders import PROCESSED_FOLDER, list_drop_folders
from recordsdesk.intake.inbox import (
    InboxItemInfo,
    InboxRead,
    discard_item,
    file_items,
    read_inbox,
    reopen_for_retry,
)
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD
from recordsdesk.services import FilingResult, Workspace
from recordsdesk.tasks import Cancelled, CancelToken
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.models.inbox import (
    DISCARDABLE,
    NAME,
    RETRYABLE,
    SIZE,
    STATE,
    TYPE,
    InboxModel,
    is_fileable,
)
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker

#: "process now" gives up on files still being written after this many seconds
#: (they stay in their folder for the next run), so the database worker is not
#: held for long.
PROCESS_MAX_WAIT = 15.0
#: how often the panel reads the inbox again while polling
REFRESH_MS = 2000
#: more new items than this in one read: show the arrivals bar
MANY_NEW = 20


def folder_to_show(ws: Workspace, source: str) -> Path:
    """The folder that holds an item's original now (runs off the GUI thread).

    The source path while the file is still there; else the ``verwerkt/``
    folder of its drop folder (or beside it) when a file of that name is there;
    else the folder it came from.
    """
    path = Path(source)
    if path.exists():
        return path.parent
    roots = [
        f.path for f in list_drop_folders(ws) if f.path == path.parent or f.path in path.parents
    ]
    roots.sort(key=lambda p: len(p.parts), reverse=True)
    for root in [*roots, path.parent]:
        moved = root / PROCESSED_FOLDER / path.name
        if moved.exists():
            return moved.parent
    return path.parent


def _cancellable_sleep(token: CancelToken) -> Callable[[float], None]:
    """``process_once`` waits for files through this; a cancel stops it there."""

    def sleep(seconds: float) -> None:
        token.raise_if_cancelled()
        time.sleep(seconds)
        token.raise_if_cancelled()

    return sleep


class InboxTable(QTableView):
    """The inbox list; while it has no rows it shows :attr:`placeholder` in its middle."""

    def __init__(self) -> None:
        super().__init__()
        self.placeholder = ""

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        model = self.model()
        if not self.placeholder or model is None or model.rowCount():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(24, 12, -24, -12)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(area, int(flags), self.placeholder)
        painter.end()


class InboxPanel(QWidget):
    """Signals:
    filed: inbox items were filed (argument: the ``FilingResult``).
    message: a one-line outcome for the status bar (a ``Message``).
    loaded: a fresh inbox list has been shown.
    arrived: a read found items the previous read did not have (argument: how many).
    """

    filed = Signal(object)
    message = Signal(object)
    loaded = Signal()
    arrived = Signal(int)

    def __init__(self, ops: Ops, window: QMainWindow) -> None:
        super().__init__()
        self.setObjectName("inboxPanel")
        self._ops = ops
        self._window = window
        self._target: str | None = None  # kenmerk of the dossier to file into
        self._target_reason = ""
        self._busy = False
        self._refreshing = False
        self._refresh_again = False
        self._full_again = False
        self._read_failed = False
        self._quiet_next = False  # the next read follows our own action: no notification
        self._enabled = True
        self._known: set[str] | None = None  # ids at the previous read
        self._stamp: tuple[int, dt.datetime | None] | None = None  # of the list shown
        self._arriving = 0  # new items counted while the arrivals bar shows
        self.progress: ProgressTracker | None = None  # while "process now" runs
        self._processed_new = 0
        self.timer = QTimer(self)
        self.timer.setObjectName("inboxRefreshTimer")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._poll)
        #: quiet period for "process now" (tests set 0: files are complete)
        self.quiet_period = DEFAULT_QUIET_PERIOD
        self.confirm: QMessageBox | None = None

        self.model = InboxModel(self)
        self.label = QLabel()
        self.label.setObjectName("inboxLabel")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.view = InboxTable()
        self.view.setObjectName("inboxList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        # keep the end of long names (number, extension) visible
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.view.fontMetrics()
        for column, sample in {
            NAME: "E-mail wijkraad Delfshaven over groenonderhoud 1234.eml",
            STATE: "quarantaine",
            TYPE: "PNG-afbeelding",
            SIZE: "99,9 MB",
        }.items():
            self.view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        self.label.setBuddy(self.view)
        self.arrivals = QWidget()
        self.arrivals.setObjectName("inboxArrivals")
        self.arrivals_label = QLabel()
        self.arrivals_label.setObjectName("inboxArrivalsLabel")
        self.arrivals_bar = QProgressBar()
        self.arrivals_bar.setObjectName("inboxArrivalsBar")
        self.arrivals_bar.setRange(0, 0)  # busy: how many more will come is unknown
        self.arrivals_bar.setTextVisible(False)
        self.arrivals_bar.setMaximumWidth(200)
        row = QHBoxLayout(self.arrivals)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.arrivals_label, 1)
        row.addWidget(self.arrivals_bar)
        self.arrivals.hide()

        style = window.style()

        def action(
            name: str,
            shortcut: QKeySequence.StandardKey | str,
            icon: QStyle.StandardPixmap,
            slot: Callable[[], Any],
            context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
        ) -> QAction:
            act = QAction(window)
            act.setObjectName(name)
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(context)
            act.setIcon(style.standardIcon(icon))
            act.triggered.connect(slot)
            if context == Qt.ShortcutContext.WindowShortcut:
                window.addAction(act)
            return act

        sp = QStyle.StandardPixmap
        self.file_action = action(
            "actionInboxFile", "Ctrl+Shift+O", sp.SP_DialogSaveButton, self.file_selected
        )
        # Delete only while the inbox list has the focus (not in the records list)
        self.discard_action = action(
            "actionInboxDiscard",
            "Del",
            sp.SP_TrashIcon,
            self.ask_discard,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.retry_action = action(
            "actionInboxRetry", "Ctrl+Shift+R", sp.SP_BrowserReload, self.retry_selected
        )
        self.process_action = action(
            "actionInboxProcess", "Ctrl+Shift+I", sp.SP_ArrowDown, self.process_now
        )
        self.folder_action = action(
            "actionInboxShowFolder", "Ctrl+Shift+F", sp.SP_DirOpenIcon, self.show_in_folder
        )
        self.actions_ = (
            self.file_action,
            self.discard_action,
            self.retry_action,
            self.folder_action,
            self.process_action,
        )
        self.view.addActions(list(self.actions_[:4]))

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("inboxToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in self.actions_:
            self.toolbar.addAction(act)
        self.menu = QMenu(window)
        self.menu.setObjectName("menuInbox")
        self.menu.setToolTipsVisible(True)
        for act in self.actions_:
            self.menu.addAction(act)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.arrivals)

        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.retranslate()

    # -- selection -------------------------------------------------------------
    def selected_items(self) -> list[InboxItemInfo]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [item for item in (self.model.item(r) for r in rows) if item is not None]

    def select_ids(self, ids: set[str] | frozenset[str]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        rows = sorted(r for r in (self.model.row_of(i) for i in ids) if r is not None)
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag
        if rows:
            self.view.selectionModel().setCurrentIndex(self.model.index(rows[0], 0), flags.NoUpdate)
        self.view.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)

    def set_target(self, kenmerk: str | None, reason: str) -> None:
        """The dossier "File into dossier" files into (``None``: why there is none)."""
        self._target, self._target_reason = kenmerk, reason
        self._update_actions()

    def set_available(self, enabled: bool) -> None:
        """Off when the data folder could not be opened."""
        self._enabled = enabled
        if not enabled:
            self.timer.stop()
        self._update_actions()

    def start_polling(self) -> None:
        """Read the inbox every :data:`REFRESH_MS` from now on (and now)."""
        self.timer.start()
        self.refresh()

    def _poll(self) -> None:
        if self._enabled and not self._refreshing:
            self.refresh()

    # -- loading -----------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._refreshing or self._busy

    def refresh(self, full: bool = False) -> None:
        """Read the inbox again in the background.

        One read at a time; asked again meanwhile, it reads once more after the
        current one (whose answer may predate a change just made).
        Only what changed since the list shown is read (see :func:`read_inbox`);
        ``full``: everything (after a language switch: reasons are translated).
        """
        if self._refreshing:
            self._refresh_again = True
            self._full_again = self._full_again or full
            return
        self._refreshing = True
        quiet, self._quiet_next = self._quiet_next, False
        last = None if full else self._stamp

        def arrived(read: InboxRead | None) -> None:
            self._refreshing = False
            self._read_failed = False
            items = None if read is None else self.model.apply(read)
            if read is None:  # nothing changed
                self._note_arrivals(0, False)
                self.loaded.emit()
            elif items is None:  # the read does not fit what is shown: read it all
                self._refresh_again = self._full_again = True
            else:
                self._stamp = read.stamp
                self._show(items, notify=not quiet)
            if self._refresh_again:
                again_full = self._full_again
                self._refresh_again = self._full_again = False
                self.refresh(full=again_full)

        def failed(exc: BaseException) -> None:
            self._refreshing = False
            self._refresh_again = self._full_again = False
            self._update_texts()
            if not self._read_failed:  # once, not every few seconds
                self.message.emit(
                    Message(N_("The inbox could not be read: {reason}"), {"reason": str(exc)})
                )
            self._read_failed = True

        self._ops.io(lambda ws: read_inbox(ws, last), arrived, failed, owner=self)

    def _show(self, items: list[InboxItemInfo], notify: bool = True) -> None:
        """Apply a fresh list; selection, current row and scroll position stay.

        ``notify=False`` after the panel's own actions: their outcome message
        already tells what came in.
        """
        new = 0 if self._known is None else sum(1 for i in items if i.id not in self._known)
        self._known = {i.id for i in items}
        keep = {i.id for i in self.selected_items()}
        scroll = self.view.verticalScrollBar().value()
        self.model.set_items(items)
        still = keep & self._known
        if {i.id for i in self.selected_items()} != still:  # the model was reset
            self.select_ids(still)
            self.view.verticalScrollBar().setValue(scroll)
        self._update_texts()
        self._note_arrivals(new, notify)
        self.loaded.emit()

    def _note_arrivals(self, new: int, notify: bool) -> None:
        if self.progress is not None:
            self._processed_new += new
            self.progress.report(
                0, 0, _("{count} new item(s) so far").format(count=self._processed_new)
            )
        if new > MANY_NEW or (self._arriving and new):
            self._arriving += new
        elif not new:
            self._arriving = 0
        self._update_arrivals()
        if new and notify:
            self.arrived.emit(new)

    def _update_arrivals(self) -> None:
        if self._arriving:
            text = _("{count} new items are arriving…").format(count=self._arriving)
            self.arrivals_label.setText(text)
            self.arrivals_bar.setAccessibleName(text)
        self.arrivals_bar.setAccessibleDescription(_("New items are arriving in the inbox"))
        self.arrivals.setVisible(bool(self._arriving))

    # -- actions -----------------------------------------------------------------
    def _run(
        self,
        job: Callable[[Workspace], Any],
        done: Callable[[Any], None],
        failure: str,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Run a mutation; afterwards the inbox is read again, whatever happened."""
        self._busy = True
        self._update_actions()

        def ok(result: Any) -> None:
            self._busy = False
            if after is not None:
                after()
            done(result)
            self._quiet_next = True
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._busy = False
            if after is not None:
                after()
            if isinstance(exc, Cancelled):
                self.message.emit(
                    Message(N_("Stopped. What was brought in so far stays in the inbox."))
                )
            else:
                self.message.emit(Message(failure))
            show_error(self._window, exc)
            self._quiet_next = True
            self.refresh()

        self._ops.db(job, ok, failed, owner=self)

    def file_selected(self) -> None:
        kenmerk = self._target
        items = [i for i in self.selected_items() if is_fileable(i)]
        if kenmerk is None or not items or self._busy:
            return
        ids = [i.id for i in items]

        def done(result: FilingResult) -> None:
            self.message.emit(
                Message(
                    N_("{count} inbox item(s) filed into dossier {kenmerk}: {kenmerken}"),
                    {
                        "count": len(result.records),
                        "kenmerk": kenmerk,
                        "kenmerken": ", ".join(r.kenmerk for r in result.records),
                    },
                )
            )
            self.filed.emit(result)

        self._run(
            lambda ws: file_items(ws, ids, kenmerk),
            done,
            N_("Nothing was filed from the inbox."),
        )

    def ask_discard(self) -> QMessageBox | None:
        """Ask for confirmation (a window-modal box); "Remove" discards."""
        items = [i for i in self.selected_items() if i.state in DISCARDABLE]
        if not items or self._busy:
            return None
        box = QMessageBox(self._window)
        box.setObjectName("inboxDiscardConfirm")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Remove from inbox"))
        names = "\n".join(f"• {i.name}" for i in items[:10])
        if len(items) > 10:
            names += "\n" + _("…and {count} more").format(count=len(items) - 10)
        box.setText(
            _("Remove {count} item(s) from the inbox?").format(count=len(items)) + "\n\n" + names
        )
        box.setInformativeText(_("Nothing is filed. The removal is recorded in the audit trail."))
        remove = box.addButton(_("&Remove"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        ids = [i.id for i in items]

        def clicked(button: QAbstractButton) -> None:
            if button is remove:
                self.discard(ids)

        box.buttonClicked.connect(clicked)
        self.confirm = box
        box.open()
        return box

    def discard(self, ids: list[str]) -> None:
        def job(ws: Workspace) -> int:
            for item_id in ids:
                discard_item(ws, item_id)
            return len(ids)

        def done(count: int) -> None:
            self.message.emit(
                Message(N_("{count} item(s) removed from the inbox."), {"count": count})
            )

        self._run(job, done, N_("Not every item could be removed from the inbox."))

    def retry_selected(self) -> None:
        items = [i for i in self.selected_items() if i.state in RETRYABLE]
        if not items or self._busy:
            return
        ids = [i.id for i in items]

        def job(ws: Workspace) -> int:
            for item_id in ids:
                reopen_for_retry(ws, item_id)
            runner.process_once(ws, quiet_period=0)
            return len(ids)

        def done(count: int) -> None:
            self.message.emit(Message(N_("{count} item(s) tried again."), {"count": count}))

        self._run(job, done, N_("Trying again failed."))

    def process_now(self) -> None:
        """Bring in what is in the drop folders now, with a busy dialog and Cancel.

        ``process_once`` reports no progress, so the dialog counts the new items
        the polling reads see meanwhile; Cancel stops it at its next wait for a
        file still being written (files taken so far stay in the inbox, the rest
        in their folder).
        """
        if self._busy:
            return
        quiet = self.quiet_period
        self.message.emit(Message(N_("Processing the drop folders…")))
        tracker = ProgressTracker(
            self._window, _("Processing the drop folders…"), indeterminate=True
        )
        self.progress, self._processed_new = tracker, 0
        sleep = _cancellable_sleep(tracker.token)

        def finished() -> None:
            tracker.finish()
            self.progress = None

        def done(touched: list[str]) -> None:
            self.message.emit(
                Message(
                    N_("Drop folders processed: {count} new item(s) in the inbox."),
                    {"count": len(touched)},
                )
            )

        self._run(
            lambda ws: runner.process_once(
                ws, quiet_period=quiet, sleep=sleep, max_wait=PROCESS_MAX_WAIT
            ),
            done,
            N_("Processing the drop folders failed."),
            finished,
        )
        tracker.start()

    def show_in_folder(self) -> None:
        """Open the folder that holds the current item's original (file manager)."""
        items = self.selected_items()
        current = self.model.item(self.view.currentIndex().row())
        item = current if current is not None and current in items else None
        item = item or (items[0] if items else None)
        if item is None:
            return
        source = item.source

        def look(ws: Workspace) -> tuple[Path, bool]:
            folder = folder_to_show(ws, source)
            return folder, folder.is_dir()  # a share may be slow: not on the GUI thread

        def found(answer: tuple[Path, bool]) -> None:
            folder, there = answer
            if not there:
                self.message.emit(
                    Message(N_("The folder is not there (any more): {path}"), {"path": folder})
                )
                return
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
                self.message.emit(
                    Message(N_("The folder could not be opened: {path}"), {"path": folder})
                )

        self._ops.io(look, found, owner=self)

    # -- texts and state -------------------------------------------------------
    def _update_actions(self, *_args: object) -> None:
        selected = self.selected_items()
        ready = self._enabled and not self._busy

        def state(act: QAction, can: bool, tip: str, why: str) -> None:
            act.setEnabled(can)
            text = tip if can else why
            act.setToolTip(text)
            act.setStatusTip(text)

        fileable = [i for i in selected if is_fileable(i)]
        if self._target is None:
            why = self._target_reason or _("Select a dossier first.")
        elif not fileable:
            why = _("Select one or more inbox items that are ready or duplicate.")
        else:
            why = _("Please wait: the inbox is busy.")
        state(
            self.file_action,
            ready and self._target is not None and bool(fileable),
            _("File the selected inbox items into dossier {kenmerk} (Ctrl+Shift+O)").format(
                kenmerk=self._target or ""
            ),
            why,
        )
        state(
            self.discard_action,
            ready and any(i.state in DISCARDABLE for i in selected),
            _("Remove the selected items from the inbox (Del)"),
            _("Select one or more inbox items to remove."),
        )
        state(
            self.retry_action,
            ready and any(i.state in RETRYABLE for i in selected),
            _("Process the selected quarantined items again (Ctrl+Shift+R)"),
            _("Select one or more quarantined inbox items."),
        )
        state(
            self.folder_action,
            self._enabled and bool(selected),
            _("Open the folder that holds the original of the selected item (Ctrl+Shift+F)"),
            _("Select an inbox item to see its folder."),
        )
        state(
            self.process_action,
            ready,
            _("Bring in what is in the drop folders now (Ctrl+Shift+I)"),
            _("Please wait: the inbox is busy."),
        )
        for act in self.actions_:
            button = self.toolbar.widgetForAction(act)
            if button is not None:
                button.setAccessibleName(act.text().replace("&", ""))
                button.setAccessibleDescription(act.toolTip())

    def _update_texts(self) -> None:
        count = self.model.rowCount()
        if count:
            title = _("Inbo&x ({count})").format(count=count)
            hint = ""
        else:
            title = _("Inbo&x")
            hint = (
                _(
                    "The inbox is empty. Files in a watched folder appear here by themselves. "
                    "To have a folder watched: recordsdesk dropfolder add FOLDER"
                )
                if self.model.loaded
                else ""
            )
        self.label.setText(title)
        self.view.setAccessibleDescription(hint or title.replace("&", ""))
        self.view.set_placeholder(hint)  # in the middle of the empty list

    def retranslate(self) -> None:
        def texts(act: QAction, text: str) -> None:
            act.setText(text)
            act.setIconText(text.replace("&", "").rstrip("…"))

        texts(self.file_action, _("File into &dossier"))
        texts(self.discard_action, _("Re&move from inbox…"))
        texts(self.retry_action, _("&Try again"))
        texts(self.process_action, _("&Process drop folders now"))
        texts(self.folder_action, _("Show in &folder"))
        self.menu.setTitle(_("&Inbox"))
        self.toolbar.setWindowTitle(_("Inbox actions"))
        self.toolbar.setAccessibleName(_("Inbox actions"))
        self.view.setAccessibleName(_("Inbox items"))
        self.setAccessibleName(_("Inbox"))
        self.arrivals.setAccessibleName(_("New items"))
        self.model.retranslate()
        self._update_texts()
        self._update_arrivals()
        self._update_actions()
        if self.model.loaded:
            self.refresh(full=True)  # the reasons come translated from the core


__all__ = ["InboxPanel"]
