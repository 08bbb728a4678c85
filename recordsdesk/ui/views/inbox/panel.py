"""The inbox panel's widget: its list, layout, state, selection and texts.

:class:`InboxPanelBase` is the bottom of the panel's classes (see the package
docstring): :class:`~.polling.InboxPolling` reads the inbox again on top of it,
:class:`~.commands.InboxCommands` runs what the actions ask for,
:class:`~.actions.InboxActions` makes and enables the actions, and
:class:`~recordsdesk.ui.views.inbox.InboxPanel` puts them together.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import _
from recordsdesk.intake.inbox import InboxItemInfo
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD
from recordsdesk.ui.models.inbox import NAME, SIZE, STATE, TYPE, InboxModel
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.tables import fit_columns

#: how often the panel reads the inbox again while polling
REFRESH_MS = 2000


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


class InboxPanelBase(QWidget):
    """Signals:
    filed: inbox items were filed (argument: the ``FilingResult``).
    message: a one-line outcome for the status bar (a ``Message``).
    loaded: a fresh inbox list has been shown.
    arrived: a read found items the previous read did not have (argument: how many).
    added: a duplicate joined an existing record (argument: its ``Created``).
    """

    filed = Signal(object)
    message = Signal(object)
    loaded = Signal()
    arrived = Signal(int)
    added = Signal(object)

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
        self._setup_view()
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

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("inboxToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.menu = QMenu(window)
        self.menu.setObjectName("menuInbox")
        self.menu.setToolTipsVisible(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.arrivals)

        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)

    def _setup_view(self) -> None:
        view = self.view
        view.setObjectName("inboxList")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setTabKeyNavigation(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        # keep the end of long names (number, extension) visible
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        fit_columns(view, {
            NAME: "E-mail wijkraad Delfshaven over groenonderhoud 1234.eml",
            STATE: "quarantaine",
            TYPE: "PNG-afbeelding",
            SIZE: "99,9 MB",
        })  # fmt: skip

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

    # -- texts -----------------------------------------------------------------
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

    def _retranslate_panel(self) -> None:
        self.view.setAccessibleName(_("Inbox items"))
        self.setAccessibleName(_("Inbox"))
        self.arrivals.setAccessibleName(_("New items"))
        self.model.retranslate()
        self._update_texts()

    # -- hooks, filled in by the classes built on this one ------------------------
    def _poll(self) -> None:
        """Read the inbox again unless a read is running (see ``InboxPolling``)."""
        raise NotImplementedError

    def refresh(self, full: bool = False) -> None:
        """Read the inbox again in the background (see ``InboxPolling``)."""
        raise NotImplementedError

    def _update_actions(self, *_args: object) -> None:
        """Enable the actions for the selection (see ``InboxActions``)."""
        raise NotImplementedError


__all__ = ["REFRESH_MS", "InboxPanelBase", "InboxTable"]
