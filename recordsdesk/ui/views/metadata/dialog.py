"""The metadata editor window of one dossier or record (non-modal).

Loading and saving run on the database worker (:class:`Ops`); the window
only reacts to answers. While the user types, every problem is checked again
after a short pause (:data:`CHECK_DELAY_MS`), on the IO pool: :func:`check_metadata`
is pure and takes about a millisecond for a record, but a few hundred for a dossier
with thousands of records (its hierarchy is part of what the schema checks). All
problems are shown at once: under their fields and in the list at the bottom, where
choosing one (Enter or a click) puts the focus on its field. Saving is refused while
there are problems (and the service checks again).

Ctrl+S saves, "Herstellen" puts back what was loaded, Escape closes (asking
first when there are unsaved changes). A stale version (someone else saved in
between) offers to load the object again.

Signals:
    saved: the metadata was saved (argument: the ``Changes``).
    loaded: a (new) version of the metadata is on screen.
    checked: the problems of what is on screen are shown.
"""

from __future__ import annotations

import dataclasses
import json

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.changes import Changes
from recordsdesk.errors import UserError
from recordsdesk.i18n import _, translate_error
from recordsdesk.mdto import model, schema
from recordsdesk.services.metadata import (
    MetadataProblems,
    MetadataView,
    check_metadata,
    load_metadata,
    save_metadata,
)
from recordsdesk.services.workspace import Workspace
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.formatting import status_name
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.metadata.build import offering, warm_caches
from recordsdesk.ui.views.metadata.form import MetadataForm
from recordsdesk.ui.views.metadata.prompts import ask_discard, ask_reload

CHECK_DELAY_MS = 300
STALE = "changed by someone else"  # part of the service's msgid for a stale version


def _snapshot(own: model.Informatieobject, inherits: frozenset[str]) -> str:
    return json.dumps([model.to_json(own), sorted(inherits)], sort_keys=True)


class MetadataDialog(QDialog):
    """Edit the metadata of ``object_id`` (a dossier or a record)."""

    saved = Signal(object)
    loaded = Signal()
    checked = Signal()

    def __init__(self, ops: Ops, object_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataDialog")
        self.ops = ops
        self.object_id = object_id
        self.view: MetadataView | None = None
        self.form: MetadataForm | None = None
        self.problems: list[schema.Problem] = []
        self.saving = False
        #: a check of the form is running on a worker
        self.checking = False
        self._ticket = 0
        self._clean = ""
        self._discard = False  # the user chose to close without saving
        self.resize(980, 720)

        self.heading = QLabel(_("Loading the metadata…"))
        self.heading.setObjectName("metadataHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.dirty_label = QLabel()
        self.dirty_label.setObjectName("dirtyIndicator")
        self.dirty_label.setStyleSheet("color: #8a5a00; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.dirty_label)
        self.body = QVBoxLayout()
        self.problem_title = QLabel()
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problemList")
        self.problem_list.itemActivated.connect(self._problem_chosen)
        self.problem_list.itemClicked.connect(self._problem_chosen)
        self.problem_title.setBuddy(self.problem_list)
        self.status = QLabel()
        self.status.setObjectName("metadataStatus")
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveMetadata")
        self.revert_button = QPushButton()
        self.revert_button.setObjectName("revertMetadata")
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoMetadataSave")
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeMetadata")
        for button in (self.save_button, self.revert_button, self.undo_button, self.close_button):
            button.setAutoDefault(False)
        role = QDialogButtonBox.ButtonRole
        self.buttons.addButton(self.save_button, role.ApplyRole)
        self.buttons.addButton(self.revert_button, role.ResetRole)
        self.buttons.addButton(self.undo_button, role.ActionRole)
        self.buttons.addButton(self.close_button, role.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.undo_button.clicked.connect(self.undo_save)
        self.close_button.clicked.connect(self.close)
        #: the values from before the last save here, for :meth:`undo_save`
        self.before_save: tuple[model.Informatieobject, frozenset[str]] | None = None
        self.undo_action = QAction(self)
        self.undo_action.setObjectName("actionUndoMetadataSave")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Alt+Z"))  # Ctrl+Z is the field's
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_save)
        self.addAction(self.undo_action)
        self.save_action = QAction(self)
        self.save_action.setObjectName("actionSaveMetadata")
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.problem_title)
        layout.addWidget(self.problem_list)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_DELAY_MS)
        self.timer.timeout.connect(self.check)
        self.retranslate()
        self._update_state()
        self.load()

    # -- texts ------------------------------------------------------------------
    def retranslate(self) -> None:
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip(_("Save the metadata (Ctrl+S)"))
        self.save_button.setAccessibleName(_("Save the metadata (Ctrl+S)"))
        self.revert_button.setText(_("&Revert"))
        self.revert_button.setToolTip(_("Put back the metadata as it was loaded"))
        self.revert_button.setAccessibleName(self.revert_button.toolTip())
        self.undo_button.setText(_("&Undo last save"))
        self.undo_button.setToolTip(
            _("Save the values from before the last save again, as a new change (Ctrl+Alt+Z)")
        )
        self.undo_button.setAccessibleName(_("Undo the last save (Ctrl+Alt+Z)"))
        self.undo_button.setAccessibleDescription(self.undo_button.toolTip())
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close the metadata editor"))
        self.close_button.setToolTip(
            _("Close the editor; with unsaved changes it asks first (Esc)")
        )
        self.problem_list.setAccessibleName(_("Problems; Enter goes to the field"))
        value, view = self.current(), self.view
        if value is not None and view is not None:
            # the labels are made with the form: make it again, keeping the edits
            own, inherits = value
            self._build_form(dataclasses.replace(view, own=own, inherits=inherits))
            self.check()
        self._update_heading()
        self._show_problem_list()
        self._update_state()

    def _update_title(self) -> None:
        view = self.view
        if view is None:
            self.setWindowTitle(_("Metadata"))
            return
        star = " *" if self.is_dirty() else ""
        self.setWindowTitle(_("Metadata of {kenmerk}").format(kenmerk=view.kenmerk) + star)
        self.setAccessibleName(self.windowTitle())

    # -- loading ------------------------------------------------------------------
    def load(self) -> None:
        """Read the metadata again (on the database worker)."""
        # what is read may hold someone else's newer change: never undo over it
        self.before_save = None
        self.status.setText(_("Loading the metadata…"))
        object_id = self.object_id

        def job(ws: Workspace) -> MetadataView:
            warm_caches()  # the value lists and municipalities, read here and not on the GUI thread
            return load_metadata(ws, object_id)

        self.ops.db(job, self.show_view, owner=self)

    def show_view(self, view: MetadataView) -> None:
        """Put ``view`` on screen (after loading or saving), dropping unsaved edits."""
        self.view = view
        self._build_form(view)
        assert self.form is not None
        own, inherits = self.form.value()
        self._clean = _snapshot(own, inherits)
        self.status.setText("")
        self.check()
        self._update_state()
        self.loaded.emit()

    def _build_form(self, shown: MetadataView) -> None:
        """A new form showing ``shown`` (on the tab that was open)."""
        current = self.form.tabs.currentIndex() if self.form is not None else 0
        focused = self.form.focused_path() if self.form is not None else None
        if self.form is not None:
            self.body.removeWidget(self.form)
            self.form.deleteLater()
        with offering(shown.lists):  # the value lists the organisation offers
            self.form = MetadataForm(shown, self)
        self.form.tabs.setCurrentIndex(current)
        if focused is not None:  # a keyboard user stays where they were
            self.form.focus_path(focused)
        self.form.changed.connect(self._edited)
        self.body.addWidget(self.form)
        QWidget.setTabOrder(self.form, self.problem_list)
        self._update_heading()

    def _update_heading(self) -> None:
        view = self.view
        if view is None:
            self.heading.setText(_("Loading the metadata…"))
            self.heading.setAccessibleName(self.heading.text())
            return
        kind = _("Dossier") if view.parent_kenmerk is None else _("Record")
        text = f"{kind} {view.kenmerk} — {view.own.naam}"
        if view.parent_kenmerk:
            text += "  " + _("(in dossier {kenmerk})").format(kenmerk=view.parent_kenmerk)
        if not view.editable:
            text += "  " + _("[{status}: read-only]").format(status=status_name(view.status))
        elif view.status != "open":  # a records manager may still change a closed one
            text += "  " + _("[{status}: changes are recorded as a records manager's]").format(
                status=status_name(view.status)
            )
        self.heading.setText(text)
        self.heading.setAccessibleName(text)

    # -- editing and checking -------------------------------------------------------
    def _edited(self) -> None:
        self.status.setText("")
        self._ticket += 1  # a check running now is of an earlier state: drop its answer
        self.timer.start()
        self._update_state()

    def current(self) -> tuple[model.Informatieobject, frozenset[str]] | None:
        return self.form.value() if self.form is not None else None

    def is_dirty(self) -> bool:
        value = self.current()
        return value is not None and _snapshot(*value) != self._clean

    def check(self) -> None:
        """Check what is on screen now, on a worker (a dossier with thousands of records
        takes a few hundred milliseconds); ``checked`` follows, every problem shown.
        An answer for an earlier state of the form is dropped."""
        self.timer.stop()
        value, view = self.current(), self.view
        if value is None or view is None:
            return
        self._ticket += 1
        ticket = self._ticket
        own, inherits = value
        parent, system = view.parent, view.effective
        missing = self.form.missing_required() if self.form is not None else []
        self.checking = True
        self.ops.io(
            lambda _ws: check_metadata(own, inherits, parent, system),
            lambda problems: self._checked(ticket, [*missing, *problems]),
            owner=self,
        )

    def _checked(self, ticket: int, problems: list[schema.Problem]) -> None:
        if ticket != self._ticket or self.form is None:
            return
        self.checking = False
        self.problems = problems
        self.form.show_problems(problems)
        self._show_problem_list()
        self._update_state()
        self.checked.emit()

    def _show_problem_list(self) -> None:
        self.problem_list.clear()
        for problem in self.problems:
            item = QListWidgetItem("⚠ " + problem.text())
            item.setData(Qt.ItemDataRole.UserRole, problem.path)
            item.setToolTip(problem.path)
            self.problem_list.addItem(item)
        count = len(self.problems)
        if count:
            title = _("Problems ({count}); choose one to go to its field:").format(count=count)
        else:
            title = _("No problems found.")
        self.problem_title.setText(title)
        self.problem_list.setVisible(bool(count))
        rows = min(count, 6)  # the list is as high as its problems, up to six
        row_height = self.problem_list.sizeHintForRow(0) if rows else 0
        self.problem_list.setFixedHeight(row_height * rows + 6)

    def _problem_chosen(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if self.form is not None and path:
            self.form.focus_path(str(path))

    def _update_state(self) -> None:
        dirty = self.is_dirty()
        editable = self.view is not None and self.view.editable
        self.dirty_label.setText(_("Unsaved changes") if dirty else "")
        self.dirty_label.setAccessibleName(self.dirty_label.text())
        self.save_button.setEnabled(editable and dirty and not self.saving)
        self.save_action.setEnabled(editable and not self.saving)
        self.revert_button.setEnabled(dirty and not self.saving)
        undoable = self.before_save is not None and editable and not dirty and not self.saving
        self.undo_button.setEnabled(undoable)
        self.undo_action.setEnabled(undoable)
        self._update_title()

    # -- saving ---------------------------------------------------------------------
    def save(self) -> None:
        """Save on the database worker; refused (with every problem shown) if any."""
        value, view = self.current(), self.view
        if value is None or view is None or self.saving or not view.editable:
            return
        if not self.is_dirty():
            self.status.setText(_("Nothing to save."))
            return
        if self.problems and not self.checking and not self.timer.isActive():
            # the problems shown are those of what is on screen: refuse at once (the
            # service checks again in any case, also when a check is still running)
            self.status.setText(
                _("Not saved: fix the {count} problem(s) first.").format(count=len(self.problems))
            )
            self.problem_list.setFocus(Qt.FocusReason.OtherFocusReason)
            self.problem_list.setCurrentRow(0)
            return
        own, inherits = value
        self._store(own, inherits, (view.own, view.inherits), _("Saving…"), _("Saved."))

    def undo_save(self) -> None:
        """Save the values from before the last save again: a new change, audited like
        any other, and refused where the archive rules refuse that change (the object
        closed meanwhile, classification elements of a closed dossier, a newer version
        saved by someone else)."""
        view, before = self.view, self.before_save
        if view is None or before is None or self.saving or self.is_dirty():
            return
        self._store(*before, None, _("Undoing the last save…"), _("The last save was undone."))

    def _store(
        self,
        own: model.Informatieobject,
        inherits: frozenset[str],
        undo_to: tuple[model.Informatieobject, frozenset[str]] | None,
        doing: str,
        done: str,
    ) -> None:
        """Save ``own`` on the database worker; afterwards ``undo_to`` is what
        :meth:`undo_save` puts back (``None``: nothing)."""
        assert self.view is not None
        version, object_id = self.view.version, self.object_id
        self.saving = True
        self._update_state()
        self.status.setText(doing)

        def job(ws: Workspace) -> tuple[MetadataView, Changes]:
            return save_metadata(ws, object_id, own, inherits, expected_version=version)

        def saved(result: tuple[MetadataView, Changes]) -> None:
            self.saving = False
            view, changes = result
            if not changes.empty:  # a save that changed nothing leaves the undo as it was
                self.before_save = undo_to
            self.show_view(view)
            self.status.setText(done)
            self.saved.emit(changes)

        self.ops.db(job, saved, self._save_failed, owner=self)

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self._update_state()
        if isinstance(exc, MetadataProblems):
            self.problems = list(exc.problems)
            if self.form is not None:
                self.form.show_problems(self.problems)
            self._show_problem_list()
            self.status.setText(translate_error(exc))
            return
        if isinstance(exc, UserError) and STALE in exc.msgid:
            self.status.setText(_("Not saved."))
            ask_reload(self, exc, self.load)
            return
        self.status.setText(_("Not saved."))
        show_error(self, exc)

    def revert(self) -> None:
        """Put back the metadata as it was loaded."""
        if self.view is not None:
            self.show_view(self.view)
            self.status.setText(_("Changes undone."))

    # -- closing --------------------------------------------------------------------
    def reject(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """With unsaved changes, ask first (without blocking: the answer closes again)."""
        if self.is_dirty() and not self._discard:
            event.ignore()
            ask_discard(self, self._close_anyway)
            return
        event.accept()

    def _close_anyway(self) -> None:
        self._discard = True
        self.close()
