"""The inbox panel: items brought in from the drop folders, and what to do with them.

Everything runs on the database worker through :meth:`Ops.db`; the panel only
reacts to answers. Filing goes through ``intake.inbox.file_items`` (all or
nothing) and hands its ``FilingResult`` to the window (:attr:`InboxPanel.filed`),
which refreshes the records and dossier lists from the result's ``Changes``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import N_, _
from recordsdesk.intake import runner
from recordsdesk.intake.inbox import (
    InboxItemInfo,
    discard_item,
    file_items,
    list_inbox,
    reopen_for_retry,
)
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD
from recordsdesk.services import FilingResult, Workspace
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

#: "process now" gives up on files still being written after this many seconds
#: (they stay in their folder for the next run), so the database worker is not
#: held for long.
PROCESS_MAX_WAIT = 15.0


class InboxPanel(QWidget):
    """Signals:
    filed: inbox items were filed (argument: the ``FilingResult``).
    message: a one-line outcome for the status bar (a ``Message``).
    loaded: a fresh inbox list has been shown.
    """

    filed = Signal(object)
    message = Signal(object)
    loaded = Signal()

    def __init__(self, ops: Ops, window: QMainWindow) -> None:
        super().__init__()
        self.setObjectName("inboxPanel")
        self._ops = ops
        self._window = window
        self._target: str | None = None  # kenmerk of the dossier to file into
        self._target_reason = ""
        self._busy = False
        self._refreshing = False
        self._enabled = True
        #: quiet period for "process now" (tests set 0: files are complete)
        self.quiet_period = DEFAULT_QUIET_PERIOD
        self.confirm: QMessageBox | None = None

        self.model = InboxModel(self)
        self.label = QLabel()
        self.label.setObjectName("inboxLabel")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.view = QTableView()
        self.view.setObjectName("inboxList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
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
            NAME: "Besluit omgevingsvergunning Coolsingel.pdf",
            STATE: "quarantaine",
            TYPE: "PNG-afbeelding",
            SIZE: "99,9 MB",
        }.items():
            self.view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        self.label.setBuddy(self.view)
        self.hint = QLabel()
        self.hint.setObjectName("inboxHint")
        self.hint.setWordWrap(True)
        self.hint.hide()

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
        self.actions_ = (
            self.file_action,
            self.discard_action,
            self.retry_action,
            self.process_action,
        )
        self.view.addActions(list(self.actions_[:3]))

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
        layout.addWidget(self.hint)

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
        self._update_actions()

    # -- loading -----------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._refreshing or self._busy

    def refresh(self) -> None:
        """Read the inbox again in the background; the selection is kept by id."""
        self._refreshing = True

        def arrived(items: list[InboxItemInfo]) -> None:
            self._refreshing = False
            keep = {i.id for i in self.selected_items()}
            self.model.set_items(items)
            self.select_ids(keep)
            self._update_texts()
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            self._refreshing = False
            self._update_texts()
            self.message.emit(
                Message(N_("The inbox could not be read: {reason}"), {"reason": str(exc)})
            )

        self._ops.db(lambda ws: list_inbox(ws), arrived, failed, owner=self)

    # -- actions -----------------------------------------------------------------
    def _run(
        self,
        job: Callable[[Workspace], Any],
        done: Callable[[Any], None],
        failure: str,
    ) -> None:
        """Run a mutation; afterwards the inbox is read again, whatever happened."""
        self._busy = True
        self._update_actions()

        def ok(result: Any) -> None:
            self._busy = False
            done(result)
            self.refresh()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.message.emit(Message(failure))
            show_error(self._window, exc)
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
        if self._busy:
            return
        quiet = self.quiet_period
        self.message.emit(Message(N_("Processing the drop folders…")))

        def done(touched: list[str]) -> None:
            self.message.emit(
                Message(
                    N_("Drop folders processed: {count} new item(s) in the inbox."),
                    {"count": len(touched)},
                )
            )

        self._run(
            lambda ws: runner.process_once(ws, quiet_period=quiet, max_wait=PROCESS_MAX_WAIT),
            done,
            N_("Processing the drop folders failed."),
        )

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
            hint = _("The inbox is empty.") if self.model.loaded else ""
        self.label.setText(title)
        self.view.setAccessibleDescription(hint or title.replace("&", ""))
        self.hint.setText(hint)
        self.hint.setAccessibleName(hint)
        self.hint.setVisible(bool(hint))

    def retranslate(self) -> None:
        def texts(act: QAction, text: str) -> None:
            act.setText(text)
            act.setIconText(text.replace("&", "").rstrip("…"))

        texts(self.file_action, _("File into &dossier"))
        texts(self.discard_action, _("Re&move from inbox…"))
        texts(self.retry_action, _("&Try again"))
        texts(self.process_action, _("&Process drop folders now"))
        self.menu.setTitle(_("&Inbox"))
        self.toolbar.setWindowTitle(_("Inbox actions"))
        self.toolbar.setAccessibleName(_("Inbox actions"))
        self.view.setAccessibleName(_("Inbox items"))
        self.setAccessibleName(_("Inbox"))
        self.model.retranslate()
        self._update_texts()
        self._update_actions()
        if self.model.loaded:
            self.refresh()  # the reasons come translated from the core


__all__ = ["InboxPanel"]
