"""What the inbox actions do: each a job on the database worker, then a fresh read.

Mutations go through :meth:`InboxCommands._run` (the database worker, so the GUI
never waits; errors through :func:`~recordsdesk.ui.errors.show_error`; the
inbox is read again afterwards, whatever happened). "Show in folder" only looks
(on the IO pool: a share may be slow).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from recordsdesk.i18n import N_, _
from recordsdesk.intake import runner
from recordsdesk.intake.folders import PROCESSED_FOLDER, list_drop_folders
from recordsdesk.intake.inbox import (
    add_to_existing_record,
    discard_item,
    file_items,
    reopen_for_retry,
)
from recordsdesk.services import FilingResult, Workspace
from recordsdesk.services.dto import Created
from recordsdesk.tasks import Cancelled, CancelToken
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.models.inbox import DISCARDABLE, RETRYABLE, is_fileable
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.inbox.polling import InboxPolling

#: "process now" gives up on files still being written after this many seconds
#: (they stay in their folder for the next run), so the database worker is not
#: held for long.
PROCESS_MAX_WAIT = 15.0
#: the state of the items "Add to existing record" takes
ATTACHABLE = "duplicate"


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


class InboxCommands(InboxPolling):
    """The panel with the slots of its actions."""

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

    def attach_selected(self) -> None:
        """Add the one selected duplicate to the record that holds its content.

        Whether its content is filed (and the dossier open) only the service
        knows; it refuses with a reason otherwise, shown like any user error.
        """
        items = self.selected_items()
        if len(items) != 1 or items[0].state != ATTACHABLE or self._busy:
            return
        item_id, name = items[0].id, items[0].name

        def done(created: Created) -> None:
            self.message.emit(
                Message(
                    N_("Added to {kenmerk}: {name}"), {"kenmerk": created.kenmerk, "name": name}
                )
            )
            self.added.emit(created)

        self._run(
            lambda ws: add_to_existing_record(ws, item_id),
            done,
            N_("Nothing was added to an existing record."),
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


__all__ = ["ATTACHABLE", "PROCESS_MAX_WAIT", "InboxCommands", "folder_to_show"]
