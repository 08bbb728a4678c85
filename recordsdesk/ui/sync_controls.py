"""The window's Sync menu, its status-bar indicator and the sync panel, in one place.

Sync › Synchronise now (F9) runs a sync at once; Sync › Sync panel… (Ctrl+Shift+S)
opens :class:`~recordsdesk.ui.views.sync_panel.SyncPanel`. :attr:`SyncControls.central`
runs views' jobs on the central archive itself (searching it), sharing the password
typed for a sync. After every run the
lists are read again (what came in, and each row's sync state) through
:attr:`SyncControls.synced`; after every local change the indicator's count is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMenu

from recordsdesk.archive.sync.outbox import status
from recordsdesk.i18n import _
from recordsdesk.ui.central_ops import CentralOps
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.sync import SyncRunner, SyncScheduler

if TYPE_CHECKING:
    from recordsdesk.ui.views.sync_panel import SyncPanel


class SyncControls(QObject):
    """Signals: synced (a run ended; the lists may have changed)."""

    synced = Signal()

    def __init__(self, window: QMainWindow, ops: Ops, before: QAction) -> None:
        super().__init__(window)
        self.window = window
        self.ops = ops
        self.runner = SyncRunner(self)
        self.scheduler = SyncScheduler(self.runner, self)
        self.central = CentralOps(self.runner, self)
        self.sync_now = self._action("actionSyncNow", "F9")
        self.sync_panel = self._action("actionSyncPanel", "Ctrl+Shift+S")
        self.menu = QMenu(window)
        self.menu.setObjectName("menuSync")
        self.menu.setToolTipsVisible(True)
        self.menu.addAction(self.sync_now)
        self.menu.addAction(self.sync_panel)
        window.menuBar().insertMenu(before, self.menu)
        window.statusBar().addPermanentWidget(self.scheduler.indicator)
        self.sync_now.triggered.connect(lambda: self.scheduler.sync_now(interactive=True))
        self.runner.password_wanted.connect(self.ask_password)
        self.central.password_wanted.connect(
            lambda reason: self.ask_password(reason, self.central.answer)
        )
        self.sync_panel.triggered.connect(self.show_panel)
        self.runner.finished.connect(self._ran)
        self.runner.failed.connect(self._ran)
        self.retranslate()

    def _action(self, name: str, shortcut: str) -> QAction:
        act = QAction(self.window)
        act.setObjectName(name)
        act.setShortcut(QKeySequence(shortcut))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.window.addAction(act)
        return act

    def ask_password(self, reason: str, answer: Callable[[str | None], None] | None = None) -> None:
        """The central archive wants a password the keyring does not hold: ask, saying why;
        the answer goes to ``answer`` (default: the sync runner). It serves this session
        only and is never written anywhere."""
        reply = self.runner.answer if answer is None else answer
        dialog = QInputDialog(self.window)
        dialog.setObjectName("centralPasswordDialog")
        dialog.setWindowTitle(_("Password for the central archive"))
        dialog.setLabelText(reason + "\n\n" + _("Password:"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setAccessibleName(_("Password for the central archive"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(
            lambda result: reply(
                dialog.textValue() if result == QInputDialog.DialogCode.Accepted.value else None
            )
        )
        dialog.open()

    def workspace_ready(self, home: Path) -> None:
        self.scheduler.workspace_ready(home)
        self.central.home = home
        self.refresh_status()

    def refresh_status(self) -> None:
        """Read what waits in the outbox (database worker) and show it."""
        self.ops.db(status, self.scheduler.show_status, lambda _exc: None, owner=self)

    def show_panel(self) -> SyncPanel:
        """Open the sync panel (non-modal; raised and read again if it is open)."""
        # loaded on first use (or by the preloading), not with the window: it brings
        # the central archive's modules and the PostgreSQL dialect (start-up)
        from recordsdesk.ui.views.sync_panel import SyncPanel

        for found in self.window.findChildren(SyncPanel):
            if found.isVisible():
                found.raise_()
                found.activateWindow()
                found.reload()
                return found
        panel = SyncPanel(self.ops, self.scheduler, self.window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.show()
        panel.reload()
        return panel

    def _ran(self, _result: object) -> None:
        self.refresh_status()
        self.synced.emit()

    def shutdown(self) -> None:
        self.scheduler.shutdown()
        self.central.shutdown()

    def retranslate(self) -> None:
        self.menu.setTitle(_("S&ync"))
        for act, text, tip in (
            (
                self.sync_now,
                _("Synchronise &now"),
                _("Send changes to the central archive and fetch its changes (F9)"),
            ),
            (
                self.sync_panel,
                _("Sync &panel…"),
                _("Progress, problems and conflicts of synchronisation (Ctrl+Shift+S)"),
            ),
        ):
            act.setText(text)
            act.setToolTip(tip)
            act.setStatusTip(tip)
        module = sys.modules.get("recordsdesk.ui.views.sync_panel")  # no module, no panel
        for panel in self.window.findChildren(module.SyncPanel) if module is not None else ():
            panel.retranslate()
        self.scheduler.state_changed.emit()
