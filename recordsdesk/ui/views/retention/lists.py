"""Destruction and transfer lists (issue 5, points 5 and 7): the four-eyes procedure
in a window (Archiefbeheer › Lijsten…, Ctrl+Shift+L).

Left the lists (running ones, or all), right the chosen list's header and its
items (a lazy table, see :class:`.list_parts.ItemsModel`). The actions are
enabled when the list's state allows them; who may do what (author, reviewer,
archivist, four eyes) the services decide, and their refusal is shown through
:func:`recordsdesk.ui.errors.show_error`. Every action passes the version the
window shows (``expected=``), so a list someone changed meanwhile is refused
with "changed by someone else" and the window reads it again.

All work runs on the database worker; carrying out a list shows progress with
Cancel (a cancelled run stays approved and resumes when carried out again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace, disposal, disposal_run
from recordsdesk.services.disposal import FINAL, ItemInfo, ListInfo
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.action_bar import ActionBar
from recordsdesk.ui.views.retention.due import format_day
from recordsdesk.ui.views.retention.list_parts import (
    KINDS,
    AskDialog,
    ExclusionsDialog,
    ItemsModel,
    ListsModel,
    NewListDialog,
    counts_text,
    state_word,
)
from recordsdesk.ui.views.tables import row_table

#: the list states in which each action is offered (the services check again)
ENABLED_IN: Mapping[str, tuple[str, ...]] = {
    "submit": ("concept", "wijzigingen_gevraagd", "beoordeeld"),
    "review": ("ter_beoordeling",),
    "approve": ("ter_accordering",),
    "reject": ("ter_beoordeling", "ter_accordering"),
    "keep": ("concept", "wijzigingen_gevraagd"),
    "remove": ("concept", "wijzigingen_gevraagd"),
    "execute": ("geaccordeerd",),
    "confirm": ("uitgevoerd",),
    "abort": ("concept", "ter_beoordeling", "wijzigingen_gevraagd", "beoordeeld",
              "ter_accordering", "geaccordeerd"),
}  # fmt: skip
#: action name -> (text, tooltip, shortcut)
ACTIONS: Mapping[str, tuple[str, str, str]] = {
    "new": (N_("&New list…"), N_("Compile a list of everything due on a day"), "Ctrl+N"),
    "submit": (N_("&Submit…"), N_("Hand the list to the reviewer or the archivist"), "Ctrl+S"),
    "review": (N_("Re&view…"), N_("Pass the list, or exclude the selected dossiers"), "Ctrl+R"),
    "approve": (N_("&Approve"), N_("Approve the reviewed list (archivist)"), "Ctrl+Shift+A"),
    "reject": (N_("Re&ject…"), N_("Send the list back to its author with a reason"), "Ctrl+J"),
    "keep": (N_("&Keep…"), N_("Keep the selected excluded dossiers on the list"), "Ctrl+K"),
    "remove": (N_("Re&move…"), N_("Take the selected dossiers off the list"), "Ctrl+Del"),
    "execute": (N_("&Carry out…"), N_("Destroy or transfer the approved list"), "Ctrl+E"),
    "confirm": (N_("Con&firm transfer…"), N_("Record the archive's receipt"), "Ctrl+T"),
    "abort": (N_("A&bort…"), N_("Abort the list; its dossiers are free again"), "Ctrl+Shift+Del"),
    "reload": (N_("Read a&gain"), N_("Read the lists again"), "F5"),
}
#: the header: field -> label (msgid), in two columns
HEADER: Mapping[str, str] = {
    "state": N_("State:"), "kind": N_("Kind:"), "on": N_("Due on:"),
    "counts": N_("Items:"), "version": N_("Version:"), "author": N_("Author:"),
    "reviewer": N_("Reviewer:"), "reviewed_by": N_("Reviewed by:"),
    "approved_by": N_("Approved by:"), "reason": N_("Last reason:"),
}  # fmt: skip
RUNNING, ALL = "running", "all"


class DisposalListsView(QDialog):
    """The non-modal window with the lists, the chosen list and its actions.

    Signals:
        updated: the lists, the chosen list's header and its first items are shown
            (after opening, reading again and every action, refused or not).
    """

    updated = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disposalListsView")
        self.ops = ops
        self.current: ListInfo | None = None
        self.dialog: QDialog | None = None  # the question an action asks, while open
        self.tracker: ProgressTracker | None = None
        self._generation = 0
        self._loading_lists = False
        self._busy = False
        self._restoring = False
        self._status: tuple[str, dict[str, object]] = (N_("Loading…"), {})

        self.filter_label = QLabel()
        self.filter_label.setObjectName("listsFilterLabel")
        self.filter = QComboBox()
        self.filter.setObjectName("listsFilter")
        self.filter.addItems(["", ""])
        self.filter.setItemData(0, RUNNING)
        self.filter.setItemData(1, ALL)
        self.filter_label.setBuddy(self.filter)
        self.lists_model = ListsModel(self)
        self.lists_view = row_table("disposalLists", self.lists_model)
        self.lists_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        lists_header = self.lists_view.horizontalHeader()
        lists_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lists_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.title = QLabel()
        self.title.setObjectName("listTitle")
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        header = QGridLayout()
        for n, key in enumerate(HEADER):
            label, value = QLabel(), QLabel()
            label.setObjectName(f"listField_{key}Label")
            value.setObjectName(f"listField_{key}")
            value.setWordWrap(key == "reason")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = (label, value)
            row, column = (n, 0) if n < 5 else (n - 5, 2)
            header.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
            header.addWidget(value, row, column + 1, Qt.AlignmentFlag.AlignTop)
        header.setColumnStretch(1, 1)
        header.setColumnStretch(3, 2)
        self.items_model = ItemsModel(ops, self)
        self.items_view = row_table("disposalItems", self.items_model)
        self.items_view.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        metrics = self.items_view.fontMetrics()
        widths = (("D-MM8K0X-9K", 0), ("X" * 23, 1), ("1.5 Afgebroken (2020)", 2))
        for sample, column in (*widths, ("Archiefactiedatum", 3), ("Uitgezonderd", 4)):
            self.items_view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
        self.items_summary = QLabel()
        self.items_summary.setObjectName("itemsSummary")

        handlers: dict[str, Callable[[], None]] = {
            "new": self.new_list, "submit": self.submit, "review": self.review,
            "approve": self.approve, "reject": self.reject_list, "keep": self.keep,
            "remove": self.remove, "execute": self.execute, "confirm": self.confirm,
            "abort": self.abort, "reload": self.reload,
        }  # fmt: skip
        self.bar = ActionBar(self, "list", ACTIONS, handlers, gaps_after=("new", "remove", "abort"))
        self.actions_, self.buttons = self.bar.actions, self.bar.buttons
        bar = self.bar.layout
        item_actions = ("review", "reject", "keep", "remove")
        self.items_view.addActions([self.actions_[n] for n in item_actions])
        self.items_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.status = QLabel()
        self.status.setObjectName("listsStatus")
        self.status.setWordWrap(True)
        self.actor_label = QLabel()
        self.actor_label.setObjectName("listsActor")
        self.close_buttons = QDialogButtonBox()
        self.close_button: QPushButton = self.close_buttons.addButton(
            "", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setObjectName("listsClose")
        self.close_button.setAutoDefault(False)
        self.close_buttons.rejected.connect(self.reject)

        self.left_pane = left = QWidget()
        left.setObjectName("listsPane")
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter_label)
        top.addWidget(self.filter, 1)
        left_box.addLayout(top)
        left_box.addWidget(self.lists_view, 1)
        self.right_pane = right = QWidget()
        right.setObjectName("listPane")
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.title)
        right_box.addLayout(header)
        right_box.addWidget(self.items_view, 1)
        right_box.addWidget(self.items_summary)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("listsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([400, 880])
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.actor_label)
        bottom.addWidget(self.close_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)
        layout.addLayout(bottom)

        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.lists_view.selectionModel().currentRowChanged.connect(self._list_chosen)
        self.items_view.selectionModel().selectionChanged.connect(self._update_actions)
        self.items_model.page_loaded.connect(self._page_loaded)
        self.resize(1280, 640)
        self.retranslate()

    # -- reading --------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading_lists or self._busy or self.items_model.loading

    def set_filter(self, which: str) -> None:
        """RUNNING or ALL; the lists are read again."""
        self.filter.setCurrentIndex(self.filter.findData(which))

    def reload(self, keep: str | None = None) -> None:
        """Read the lists on the worker; the chosen list (or ``keep``) stays chosen."""
        self._generation += 1
        generation = self._generation
        keep = keep or (self.current.id if self.current else None)
        include_final = self.filter.currentData() == ALL
        self._loading_lists = True
        self._update_actions()

        def arrived(found: list[ListInfo]) -> None:
            if generation != self._generation:
                return
            self._loading_lists = False
            self._update_actor()
            self._restoring = True
            self.lists_model.set_lists(list(reversed(found)))  # newest first
            row = self.lists_model.row_of(keep) if keep else None
            row = row if row is not None else (0 if found else None)
            if row is not None:
                self.lists_view.setCurrentIndex(self.lists_model.index(row, 0))
            self._restoring = False
            self._show_list(self.lists_model.lists[row] if row is not None else None)
            if self._status[0] == N_("Loading…"):
                self._set_status(N_("Lists shown: {count}"), count=len(found))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._loading_lists = False
                show_error(self, exc)
                self._show_list(None)

        self.ops.db(lambda ws: disposal.all_lists(ws, include_final=include_final), arrived,
                    failed, owner=self)  # fmt: skip

    def _list_chosen(self, current: object, _previous: object) -> None:
        if self._restoring:
            return
        row = self.lists_view.currentIndex().row()
        lists = self.lists_model.lists
        self._show_list(lists[row] if 0 <= row < len(lists) else None)

    def _show_list(self, info: ListInfo | None) -> None:
        self.current = info
        self._fill_header()
        self.items_model.set_list(info)  # page_loaded follows
        self._update_actions()

    def _page_loaded(self) -> None:
        self._update_summary()
        self._update_actions()
        if not self.loading:
            self.updated.emit()

    def selected_items(self) -> list[ItemInfo]:
        rows = sorted(i.row() for i in self.items_view.selectionModel().selectedRows())
        return [item for r in rows if (item := self.items_model.item(r)) is not None]

    def select_items(self, kenmerken: set[str]) -> None:
        """Select the rows (read so far) of these dossiers."""
        view = self.items_view
        view.clearSelection()
        flags = QItemSelectionModel.SelectionFlag
        rows = [r for r, i in enumerate(self.items_model.items) if i.kenmerk in kenmerken]
        for row in rows:
            view.selectionModel().select(self.items_model.index(row, 0), flags.Select | flags.Rows)
        if rows:
            view.selectionModel().setCurrentIndex(
                self.items_model.index(rows[0], 0), flags.NoUpdate
            )

    # -- actions ----------------------------------------------------------------------
    def enabled_actions(self) -> set[str]:
        return {name for name, act in self.actions_.items() if act.isEnabled()}

    def _update_actions(self, *_args: object) -> None:
        info, idle = self.current, not self._busy and not self._loading_lists
        states = {item.state for item in self.selected_items()}
        for name, act in self.actions_.items():
            if name in ("new", "reload"):
                act.setEnabled(not self._busy)
                continue
            allowed = idle and info is not None and info.state in ENABLED_IN[name]
            if name == "abort":  # a list being carried out can only be finished
                allowed = allowed and info is not None and not info.execution_started
            if name == "keep":
                allowed = allowed and "excluded" in states
            elif name == "remove":
                allowed = allowed and bool(states & {"listed", "excluded", "kept"})
            elif name == "confirm":
                allowed = allowed and info is not None and info.kind == disposal.TRANSFER
            act.setEnabled(allowed)

    def _ask(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _run(self, job: Callable[[Workspace], ListInfo], done: str = "") -> None:
        """Run one step on the worker; then read everything again (refused or not)."""
        self._busy = True
        self._update_actions()

        def succeeded(info: ListInfo) -> None:
            self._busy = False
            self._set_status(done or N_("{naam} is now: {state}."), naam=info.naam,
                             state=info.state)  # fmt: skip
            self._after(info)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._set_status(N_("Not done; the lists were read again."))
            show_error(self, exc)
            self.reload()

        self.ops.db(job, succeeded, failed, owner=self)

    def _after(self, info: ListInfo) -> None:
        if info.state in FINAL and self.filter.currentData() == RUNNING:
            self.filter.blockSignals(True)  # show where the list went
            self.set_filter(ALL)
            self.filter.blockSignals(False)
        self.reload(keep=info.id)

    def new_list(self) -> None:
        dialog = NewListDialog(self, dt.date.today())

        def accepted() -> None:
            kind, name, day = dialog.values()
            self._run(lambda ws: disposal.create_list(ws, kind=kind, name=name, on=day),
                      N_("{naam} was compiled."))  # fmt: skip

        self._ask(dialog, accepted)

    def submit(self) -> None:
        info = self.current
        if info is None:
            return
        key, seen = info.id, info.version
        if info.state == "beoordeeld":
            self._run(lambda ws: disposal.submit(ws, key, expected=seen))
            return
        dialog = AskDialog(
            self, "submitDialog", _("Submit for review"),
            _("Who reviews {naam}? The reviewer is the process owner, never the list's "
              "author.").format(naam=info.naam),
            _("&Submit"), field=_("&Reviewer:"), initial=info.reviewer or "",
        )  # fmt: skip

        def accepted() -> None:
            who = dialog.answer()
            self._run(lambda ws: disposal.submit(ws, key, reviewer=who, expected=seen))

        self._ask(dialog, accepted)

    def review(self) -> None:
        self._judge(reject=False)

    def reject_list(self) -> None:
        self._judge(reject=True)

    def _judge(self, *, reject: bool) -> None:
        info = self.current
        if info is None:
            return
        key, seen = info.id, info.version
        chosen = [i for i in self.selected_items() if i.state in ("listed", "kept")]
        if chosen:
            intro = _("Give a reason for each selected dossier that must stay; a dossier with "
                      "a reason is excluded and the list goes back to its author.")  # fmt: skip
        else:
            intro = _("No dossiers are selected. To exclude some, select them in the table "
                      "first.")  # fmt: skip
        title = _("Reject {naam}") if reject else _("Review {naam}")
        dialog = ExclusionsDialog(self, "rejectDialog" if reject else "reviewDialog",
                                  title.format(naam=info.naam), intro, chosen,
                                  reject=reject)  # fmt: skip

        def accepted() -> None:
            excluded, reason = dialog.exclusions(), dialog.reason_text()
            if reject:
                self._run(lambda ws: disposal.reject(ws, key, reason, exclusions=excluded,
                                                     expected=seen))  # fmt: skip
            else:
                self._run(lambda ws: disposal.review(ws, key, exclusions=excluded, expected=seen))

        self._ask(dialog, accepted)

    def approve(self) -> None:
        if self.current is not None:
            key, seen = self.current.id, self.current.version
            self._run(lambda ws: disposal.approve(ws, key, expected=seen))

    def keep(self) -> None:
        self._decide(keep=True)

    def remove(self) -> None:
        self._decide(keep=False)

    def _decide(self, *, keep: bool) -> None:
        info = self.current
        if info is None:
            return
        wanted = ("excluded",) if keep else ("listed", "excluded", "kept")
        kenmerken = [i.kenmerk for i in self.selected_items() if i.state in wanted]
        if not kenmerken:
            return
        key, seen, shown = info.id, info.version, ", ".join(kenmerken)
        if keep:
            dialog = AskDialog(self, "keepDialog", _("Keep on the list"),
                               _("Keep {kenmerken} on the list? The reviewer reads your "
                                 "reason.").format(kenmerken=shown),
                               _("&Keep"), field=_("&Reason:"))  # fmt: skip
        else:
            dialog = AskDialog(self, "removeDialog", _("Take off the list"),
                               _("Take {kenmerken} off the list {naam}? They can go on a later "
                                 "list.").format(kenmerken=shown, naam=info.naam),
                               _("Take &off"))  # fmt: skip

        def accepted() -> None:
            reason = dialog.answer() if keep else ""

            def job(ws: Workspace) -> ListInfo:
                version, result = seen, None
                for kenmerk in kenmerken:  # each decision raises the version: pass it on
                    result = disposal.decide(ws, key, kenmerk, keep=keep, reason=reason,
                                             expected=version)  # fmt: skip
                    version = result.version
                assert result is not None
                return result

            self._run(job)

        self._ask(dialog, accepted)

    def execute(self) -> None:
        info = self.current
        if info is None:
            return
        key, seen, naam = info.id, info.version, info.naam
        count = info.counts.get("listed", 0) + info.counts.get("kept", 0)
        if info.kind == disposal.TRANSFER:
            dialog = AskDialog(self, "executeDialog", _("Carry out {naam}").format(naam=naam),
                               _("The transfer package of {count} dossiers is written into "
                                 "this folder; their content stays until the archive confirms "
                                 "receipt.").format(count=count),
                               _("&Make package"), field=_("&Folder:"), folder=True)  # fmt: skip
        else:
            dialog = AskDialog(self, "executeDialog", _("Carry out {naam}").format(naam=naam),
                               _("The files of {count} dossiers are destroyed for good; their "
                                 "metadata stays. This cannot be undone.").format(count=count),
                               _("&Destroy"))  # fmt: skip

        def accepted() -> None:
            out = Path(dialog.answer()) if info.kind == disposal.TRANSFER else None
            self._carry_out(key, seen, naam, out)

        self._ask(dialog, accepted)

    def _carry_out(self, key: str, seen: int, naam: str, out: Path | None) -> None:
        tracker = ProgressTracker(self, _("Carrying out {naam}…").format(naam=naam))
        self.tracker, self._busy = tracker, True
        self._update_actions()

        def job(ws: Workspace) -> disposal_run.RunReport:
            return disposal_run.execute(ws, key, out=out, progress=tracker.report,
                                        cancel=tracker.token, expected=seen)  # fmt: skip

        def succeeded(report: disposal_run.RunReport) -> None:
            tracker.finish()
            self.tracker, self._busy = None, False
            if report.finished:
                self._set_status(N_("{naam} was carried out: {done} dossiers done, {skipped} "
                                    "taken off."), naam=naam, done=report.done,
                                 skipped=report.skipped)  # fmt: skip
            else:
                self._set_status(N_("Carrying out {naam} stopped after {done} dossiers; carry "
                                    "it out again to go on."), naam=naam,
                                 done=report.done)  # fmt: skip
            self._after(report.list)

        def failed(exc: BaseException) -> None:
            tracker.finish()
            self.tracker, self._busy = None, False
            self._set_status(N_("Not done; the lists were read again."))
            show_error(self, exc)
            self.reload()

        self.ops.db(job, succeeded, failed, owner=self)
        tracker.start()

    def confirm(self) -> None:
        info = self.current
        if info is None:
            return
        key, seen = info.id, info.version
        dialog = AskDialog(self, "confirmDialog", _("Confirm the transfer"),
                           _("The archive confirmed receipt of {naam}? The transferred content "
                             "is then removed here.").format(naam=info.naam),
                           _("&Confirm"), field=_("Archive's &reference:"))  # fmt: skip

        def accepted() -> None:
            reference = dialog.answer()

            def job(ws: Workspace) -> ListInfo:
                return disposal_run.confirm_transfer(ws, key, reference, expected=seen)

            self._run(job)

        self._ask(dialog, accepted)

    def abort(self) -> None:
        info = self.current
        if info is None:
            return
        key, seen = info.id, info.version
        dialog = AskDialog(self, "abortDialog", _("Abort {naam}").format(naam=info.naam),
                           _("The list stops for good; its dossiers can go on another list."),
                           _("A&bort list"), field=_("&Reason:"))  # fmt: skip

        def accepted() -> None:
            reason = dialog.answer()
            self._run(lambda ws: disposal.abort(ws, key, reason, expected=seen))

        self._ask(dialog, accepted)

    # -- texts ---------------------------------------------------------------------------
    def _fill_header(self) -> None:
        info = self.current
        self.title.setText(info.naam if info else _("No list chosen"))
        self.title.setAccessibleName(self.title.text())
        values: dict[str, str] = {}
        if info is not None:
            values = {
                "state": state_word(info.state), "kind": _(KINDS.get(info.kind, info.kind)),
                "on": format_day(info.on_date), "counts": counts_text(info),
                "version": str(info.version), "author": info.author,
                "reviewer": info.reviewer or "–", "reviewed_by": info.reviewed_by or "–",
                "approved_by": info.approved_by or "–", "reason": info.last_reason or "–",
            }  # fmt: skip
        for key, (label, value) in self.fields.items():
            value.setText(values.get(key, ""))
            name = _(HEADER[key]).rstrip(":")
            label.setText(_(HEADER[key]))
            label.setAccessibleName(name)
            value.setAccessibleName(f"{name}: {value.text()}" if value.text() else name)

    def _update_summary(self) -> None:
        model = self.items_model
        text = _("{shown} of {total} items shown").format(shown=model.rowCount(), total=model.total)
        self.items_summary.setText(text)
        self.items_summary.setAccessibleName(text)
        self.items_view.setAccessibleName(_("Items of the list"))

    def _update_actor(self) -> None:
        ws = self.ops.workspace  # read for display only
        actor = _("You act as {user}.").format(user=ws.actor) if ws is not None else ""
        self.actor_label.setText(actor)
        self.actor_label.setAccessibleName(actor or _("Acting user"))

    def _set_status(self, msgid: str, **params: object) -> None:
        self._status = (msgid, params)
        shown = {k: state_word(str(v)).lower() if k == "state" else v for k, v in params.items()}
        self.status.setText(_(msgid).format(**shown))
        self.status.setAccessibleName(self.status.text() or _("Status"))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Destruction and transfer lists"))
        self.setAccessibleName(_("Destruction and transfer lists"))
        self.filter_label.setText(_("&Show:"))
        self.filter_label.setAccessibleName(_("Show"))
        self.filter.setItemText(0, _("Running"))
        self.filter.setItemText(1, _("All"))
        self.filter.setAccessibleName(_("Which lists to show"))
        self.filter.setToolTip(_("Running: lists still being compiled, reviewed or executed"))
        self.lists_view.setAccessibleName(_("Lists"))
        self.lists_view.setAccessibleDescription(
            _("Destruction and transfer lists with their state; select one to see its dossiers")
        )
        self.items_view.setAccessibleDescription(
            _("The dossiers on the chosen list, with what was decided for each")
        )
        self.splitter.setAccessibleName(_("Lists and the chosen list"))
        self.left_pane.setAccessibleName(_("Lists"))
        self.right_pane.setAccessibleName(_("The chosen list"))
        self.bar.retranslate()
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setToolTip(_("Close this window (Esc)"))
        self._update_actor()
        self.lists_model.retranslate()
        self.items_model.retranslate()
        self._fill_header()
        self._update_summary()
        msgid, params = self._status
        self._set_status(msgid, **params)
