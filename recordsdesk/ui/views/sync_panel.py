"""The sync panel (Sync › Sync panel…, Ctrl+Shift+S): progress, problems, conflicts.

Top: what waits and how the last run went, a progress bar while a run is on,
Synchronise now (F9) and Cancel. Middle: what did not go across and why (the
central archive's refusals in plain words). Bottom: the open conflicts; the
chosen one is shown side by side — field, this workstation's version, the
central version, with every differing field marked by a sign and in bold (never
by colour alone) — and settled with Keep mine or Take theirs. Settling runs on
the sync thread (taking theirs reads the central archive), is audited, and is
followed by a sync run so the choice reaches the central archive at once.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.archive.sync import conflicts
from recordsdesk.archive.sync.conflicts import ConflictView
from recordsdesk.archive.sync.outbox import status
from recordsdesk.archive.sync.report import SyncReport
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace
from recordsdesk.tasks import Cancelled
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.formatting import format_datetime
from recordsdesk.ui.models.cells import OneCallPerCell
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.sync import SyncScheduler
from recordsdesk.ui.views.tables import row_table

Index = QModelIndex | QPersistentModelIndex
#: the fields of a dossier as the comparison names them (the rest by column name)
FIELD_NAMES = {
    "kenmerk": N_("Kenmerk"),
    "naam": N_("Title"),
    "omschrijving": N_("Description"),
    "status": N_("Status"),
    "classificatie": N_("Classification"),
    "beperking_gebruik": N_("Restriction on use"),
    "waardering": N_("Waardering"),
    "bewaartermijn": N_("Bewaartermijn"),
    "archiefactiedatum": N_("Archiefactiedatum"),
    "department": N_("Department"),
    "updated_at": N_("Changed on"),
}


#: shown even when equal, so both versions can be recognised
CONTEXT_FIELDS = ("kenmerk", "naam", "status", "waardering", "beperking_gebruik", "department")


class ConflictsModel(OneCallPerCell, QAbstractTableModel):
    columns = (N_("Kenmerk"), N_("Title"), N_("Fields"), N_("Found on"))

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ConflictView] = []

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section])
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row = self.rows[index.row()]
        return (
            row.kenmerk,
            row.naam,
            ", ".join(field_name(f) for f in row.differing),
            format_datetime(row.detected_at),
        )[index.column()]


def field_name(field: str) -> str:
    return _(FIELD_NAMES[field]) if field in FIELD_NAMES else field


def shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)


class SyncPanel(QDialog):
    """The non-modal sync window. Signals: updated (after every read of the state)."""

    updated = Signal()

    def __init__(self, ops: Ops, scheduler: SyncScheduler, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.ops = ops
        self.scheduler = scheduler
        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.now_button = QPushButton()
        self.now_button.setObjectName("syncNowButton")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("syncCancelButton")
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.now_button)
        top.addWidget(self.cancel_button)
        self.problems_label = QLabel()
        self.problems = QListWidget()
        self.problems.setObjectName("syncProblems")
        self.problems_label.setBuddy(self.problems)
        self.conflicts_label = QLabel()
        self.conflict_model = ConflictsModel()
        self.conflict_table = row_table("syncConflicts", self.conflict_model)
        self.conflict_table.setSelectionMode(self.conflict_table.SelectionMode.SingleSelection)
        heads = self.conflict_table.horizontalHeader()
        heads.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        heads.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.conflicts_label.setBuddy(self.conflict_table)
        self.compare = QTableWidget(0, 4)
        self.compare.setObjectName("syncCompare")
        self.compare.verticalHeader().hide()
        self.compare.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.compare.setTabKeyNavigation(False)
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.mine_button = QPushButton()
        self.mine_button.setObjectName("keepMineButton")
        self.theirs_button = QPushButton()
        self.theirs_button.setObjectName("takeTheirsButton")
        choose = QHBoxLayout()
        choose.addStretch(1)
        choose.addWidget(self.mine_button)
        choose.addWidget(self.theirs_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.conflicts_label)
        lower_layout.addWidget(self.conflict_table, 1)
        lower_layout.addWidget(self.compare, 2)
        lower_layout.addLayout(choose)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.problems_label)
        upper_layout.addWidget(self.problems)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([110, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence("F9"), self, self.sync_now)
        QShortcut(QKeySequence("F5"), self, self.reload)
        self.now_button.clicked.connect(self.sync_now)
        self.cancel_button.clicked.connect(scheduler.runner.cancel)
        self.mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.conflict_table.selectionModel().currentRowChanged.connect(self._show_conflict)
        scheduler.state_changed.connect(self._show_state)
        scheduler.runner.finished.connect(self._job_done)
        scheduler.runner.failed.connect(self._job_failed)
        self.resize(900, 640)
        self.retranslate()
        self._show_state()

    # -- reading -------------------------------------------------------------
    def reload(self) -> None:
        """Read the outbox state and the open conflicts again (database worker)."""

        def read(ws: Workspace) -> tuple[Any, list[ConflictView]]:
            return status(ws), conflicts.open_conflicts(ws)

        def show(result: tuple[Any, list[ConflictView]]) -> None:
            state, found = result
            self.scheduler.show_status(state)
            chosen = self.current_conflict()
            self.conflict_model.set_rows(found)
            keep = next((n for n, c in enumerate(found) if chosen and c.id == chosen.id), 0)
            if found:
                self.conflict_table.selectRow(keep)
            self._show_conflict()
            self._show_problems()
            self._show_state()
            self.updated.emit()

        self.ops.db(read, show, owner=self)

    def current_conflict(self) -> ConflictView | None:
        index = self.conflict_table.currentIndex()
        rows = self.conflict_model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    # -- acting ---------------------------------------------------------------
    def sync_now(self) -> None:
        if not self.scheduler.sync_now(interactive=True):
            self.scheduler.indicator.setFocus()
        self._show_state()

    def resolve(self, choice: str) -> None:
        conflict = self.current_conflict()
        if conflict is None:
            return
        runner = self.scheduler.runner
        # a partial, not a lambda: the job goes to the sync worker process pickled
        runner.run(partial(conflicts.resolve, conflict_id=conflict.id, choice=choice))
        self._show_state()

    def _job_done(self, result: object) -> None:
        if isinstance(result, ConflictView):
            self.scheduler.sync_now()  # the choice goes up at once
        self.reload()

    def _job_failed(self, exc: object) -> None:
        if isinstance(exc, BaseException) and not isinstance(exc, Cancelled) and self.isVisible():
            show_error(self, exc)
        self.reload()

    # -- showing --------------------------------------------------------------
    def _show_state(self) -> None:
        running = self.scheduler.runner.busy
        text, tip = self.scheduler.describe()
        self.summary.setText(f"<b>{text}</b><br>{tip}")
        self.summary.setAccessibleName(f"{text}. {tip}")
        self.progress.setVisible(running)
        total = self.scheduler.total
        self.progress.setRange(0, total if total else 0)
        self.progress.setValue(self.scheduler.done)
        self.now_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        chosen = self.current_conflict() is not None
        self.mine_button.setEnabled(chosen and not running)
        self.theirs_button.setEnabled(chosen and not running)

    def _show_problems(self) -> None:
        self.problems.clear()
        report: SyncReport | None = self.scheduler.last_report
        for problem in report.problems if report else []:
            self.problems.addItem(problem.message())
        if self.problems.count() == 0:
            self.problems.addItem(_("Nothing failed in the last run."))

    def _show_conflict(self, *_args: object) -> None:
        conflict = self.current_conflict()
        self.compare.setRowCount(0)
        self._show_state()
        if conflict is None:
            return
        # what differs first, then the fields a person recognises the object by
        fields = [f for f in conflict.local if f in conflict.differing or f in CONTEXT_FIELDS]
        fields.sort(key=lambda f: (f not in conflict.differing, field_name(f).lower()))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, field in enumerate(fields):
            differs = field in conflict.differing
            self.compare.insertRow(row)
            cells = (
                "≠" if differs else "",
                field_name(field),
                shown(conflict.local.get(field)),
                shown(conflict.central.get(field)),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if differs:
                    item.setFont(bold)
                    item.setToolTip(_("Differs between this workstation and the central archive"))
                self.compare.setItem(row, column, item)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Synchronisation with the central archive"))
        self.now_button.setText(_("Synchronise &now (F9)"))
        self.now_button.setAccessibleName(_("Synchronise now"))
        self.now_button.setToolTip(
            _("Send what waits here to the central archive and fetch its changes (F9)")
        )
        self.cancel_button.setText(_("&Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the running sync"))
        self.cancel_button.setToolTip(
            _("Stop the running sync; what went across stays, the rest waits for the next")
        )
        self.progress.setAccessibleName(_("Sync progress"))
        self.problems_label.setText(_("&Not synchronised in the last run:"))
        self.problems.setAccessibleName(_("Not synchronised in the last run"))
        self.problems.setAccessibleDescription(
            _("Each row that did not go across in the last run, with the reason")
        )
        self.conflicts_label.setText(_("C&onflicts: changed here and in the central archive"))
        self.conflict_table.setAccessibleName(_("Conflicts"))
        self.conflict_table.setAccessibleDescription(
            _("Select a conflict to compare both versions below, then keep one of them")
        )
        self.compare.setAccessibleName(_("Both versions side by side"))
        self.compare.setAccessibleDescription(
            _("Field by field: this workstation's value and the central archive's; "
              "differences are in bold and marked with ≠")
        )  # fmt: skip
        self.compare.setHorizontalHeaderLabels(
            ["", _("Field"), _("This workstation"), _("Central archive")]
        )
        self.mine_button.setText(_("Keep &mine"))
        self.mine_button.setAccessibleName(_("Keep this workstation's version"))
        self.mine_button.setToolTip(_("This workstation's version replaces the central one"))
        self.theirs_button.setText(_("Take &theirs"))
        self.theirs_button.setAccessibleName(_("Take the central version"))
        self.theirs_button.setToolTip(_("The central version replaces this workstation's"))
