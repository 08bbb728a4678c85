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

The panel is one widget built in layers, one module each, each class on top
of the one before:

- :mod:`.panel`: the widget, its list, layout and state, the selection;
- :mod:`.polling`: reading the inbox again and announcing new arrivals;
- :mod:`.commands`: what the actions do (file, add to an existing record,
  remove, try again, process now, show in folder);
- :mod:`.actions`: the actions (creation, enabling with the reason why not,
  texts, shortcuts) in the toolbar, the context menu and the Inbox menu;
- here: :class:`InboxPanel`, which puts them together.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.inbox.actions import InboxActions
from recordsdesk.ui.views.inbox.commands import PROCESS_MAX_WAIT, folder_to_show
from recordsdesk.ui.views.inbox.panel import REFRESH_MS, InboxTable
from recordsdesk.ui.views.inbox.polling import MANY_NEW


class InboxPanel(InboxActions):
    """The inbox dock's widget (signals: see :class:`~.panel.InboxPanelBase`)."""

    def __init__(self, ops: Ops, window: QMainWindow) -> None:
        super().__init__(ops, window)
        self._make_actions(window)
        self.retranslate()

    def retranslate(self) -> None:
        self._retranslate_actions()
        self._retranslate_panel()
        self._update_arrivals()
        self._update_actions()
        if self.model.loaded:
            self.refresh(full=True)  # the reasons come translated from the core


__all__ = [
    "MANY_NEW",
    "PROCESS_MAX_WAIT",
    "REFRESH_MS",
    "InboxPanel",
    "InboxTable",
    "folder_to_show",
]
