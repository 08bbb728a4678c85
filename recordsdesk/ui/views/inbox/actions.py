"""The inbox actions: made once, enabled by the selection, translated, in toolbar and menu.

Each action says in its tooltip (and status tip) what it does and its shortcut
while it is enabled, and why it is not while it is disabled; the toolbar
buttons carry the same as accessible name and description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStyle

from recordsdesk.i18n import _
from recordsdesk.ui.models.inbox import DISCARDABLE, RETRYABLE, is_fileable
from recordsdesk.ui.views.inbox.commands import ATTACHABLE, InboxCommands


class InboxActions(InboxCommands):
    """The panel with its actions, in its toolbar, context menu and Inbox menu."""

    file_action: QAction
    attach_action: QAction
    discard_action: QAction
    retry_action: QAction
    process_action: QAction
    folder_action: QAction
    #: every inbox action, in toolbar and menu order
    actions_: tuple[QAction, ...]

    def _make_actions(self, window: QMainWindow) -> None:
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
        self.attach_action = action(
            "actionInboxAddToRecord", "Ctrl+Shift+E", sp.SP_FileLinkIcon, self.attach_selected
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
            self.attach_action,
            self.discard_action,
            self.retry_action,
            self.folder_action,
            self.process_action,
        )
        # the context menu: what applies to the selected items
        self.view.addActions([a for a in self.actions_ if a is not self.process_action])
        for act in self.actions_:
            self.toolbar.addAction(act)
            self.menu.addAction(act)

    def _update_actions(self, *_args: object) -> None:
        selected = self.selected_items()
        ready = self._enabled and not self._busy
        busy = _("Please wait: the inbox is busy.")

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
            why = busy
        state(
            self.file_action,
            ready and self._target is not None and bool(fileable),
            _("File the selected inbox items into dossier {kenmerk} (Ctrl+Shift+O)").format(
                kenmerk=self._target or ""
            ),
            why,
        )
        one_duplicate = len(selected) == 1 and selected[0].state == ATTACHABLE
        state(
            self.attach_action,
            ready and one_duplicate,
            _(
                "Add the selected duplicate to the record that already holds its content, "
                "without a new record (Ctrl+Shift+E)"
            ),
            busy if one_duplicate else _("Select one inbox item that is a duplicate."),
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
            busy,
        )
        for act in self.actions_:
            button = self.toolbar.widgetForAction(act)
            if button is not None:
                button.setAccessibleName(act.text().replace("&", ""))
                button.setAccessibleDescription(act.toolTip())

    def _retranslate_actions(self) -> None:
        def texts(act: QAction, text: str, short: str | None = None) -> None:
            act.setText(text)
            act.setIconText(short or text.replace("&", "").rstrip("…"))

        texts(self.file_action, _("File into &dossier"))
        # the toolbar has little room: the button says less than the menu item
        texts(self.attach_action, _("Add to &existing record"), _("Add to record"))
        texts(self.discard_action, _("Re&move from inbox…"))
        texts(self.retry_action, _("&Try again"))
        texts(self.process_action, _("&Process drop folders now"))
        texts(self.folder_action, _("Show in &folder"))
        self.menu.setTitle(_("&Inbox"))
        self.toolbar.setWindowTitle(_("Inbox actions"))
        self.toolbar.setAccessibleName(_("Inbox actions"))


__all__ = ["InboxActions"]
