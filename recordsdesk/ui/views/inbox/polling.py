"""Reading the inbox again, off the GUI thread, and saying what arrived.

Every :data:`REFRESH_MS` while polling, the panel reads what changed since the
list it shows (:func:`recordsdesk.intake.inbox.read_inbox`) on the IO pool and
applies the answer keeping selection and scroll position. Items it did not know
at its previous read are new: :attr:`InboxPanel.arrived` tells the window (which
shows a status-bar and tray message), and more than :data:`MANY_NEW` at once
show the arrivals bar until a read brings nothing new.
"""

from __future__ import annotations

from recordsdesk.i18n import N_, _
from recordsdesk.intake.inbox import InboxItemInfo, InboxRead, read_inbox
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.views.inbox.panel import REFRESH_MS, InboxPanelBase

#: more new items than this in one read: show the arrivals bar
MANY_NEW = 20


class InboxPolling(InboxPanelBase):
    """The panel with its timed reads and the arrivals they find."""

    def start_polling(self) -> None:
        """Read the inbox every :data:`REFRESH_MS` from now on (and now)."""
        self.timer.start()
        self.refresh()

    def _poll(self) -> None:
        if self._enabled and not self._refreshing:
            self.refresh()

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


__all__ = ["MANY_NEW", "REFRESH_MS", "InboxPolling"]
