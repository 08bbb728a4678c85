"""The steps of the Woo request window (:mod:`.view`): registering a request, changing
its scope, assessing and redacting a document, closing the request and exporting its
package. Each asks with a dialog opened without blocking, runs the service on the
database worker, and has the window read again what changed; refusals are shown
through :func:`recordsdesk.ui.errors.show_error` and change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QTableView, QWidget

from recordsdesk.archive.woo import assessments, requests
from recordsdesk.archive.woo.assessments import AssessmentInfo
from recordsdesk.archive.woo.export import ExportReport, export_package
from recordsdesk.archive.woo.requests import RequestInfo
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.models.woo import DocumentRow, DocumentsModel, ScopeModel
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.woo.dialogs import (
    BESLUITEN,
    AssessDialog,
    CloseDialog,
    FormDialog,
    NewRequestDialog,
    ScopeDialog,
)
from recordsdesk.ui.views.woo.redaction import RedactionDialog
from recordsdesk.ui.views.woo.summary import ExportSummary


def package_folder(chosen: Path, nummer: str) -> Path:
    """The chosen folder when it is new or empty, else a new folder for the package in it
    (the export writes only into a new or empty folder)."""
    if not chosen.exists() or (chosen.is_dir() and not any(chosen.iterdir())):
        return chosen
    return chosen / ("Woo-pakket " + nummer.replace("/", "-").replace("\\", "-"))


class RequestSteps(QDialog):
    """The window's actions; :class:`.view.WooRequestView` gives the widgets and reading.

    Signals:
        updated: the requests, the chosen request and its first documents are shown
            (after opening, reading again and every action, refused or not).
    """

    updated = Signal()
    ops: Ops
    current: RequestInfo | None
    dialog: QWidget | None
    summary: ExportSummary | None
    tracker: ProgressTracker | None
    suggestion: str
    _busy: bool
    actions_: dict[str, QAction]
    scope_view: QTableView
    scope_model: ScopeModel
    documents_model: DocumentsModel

    # -- provided by the window ---------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        raise NotImplementedError

    def _refresh_request(self) -> None:
        raise NotImplementedError

    def current_document(self) -> DocumentRow | None:
        raise NotImplementedError

    def _update_actions(self, *_args: object) -> None:
        raise NotImplementedError

    def _set_status(self, msgid: str, **params: object) -> None:
        raise NotImplementedError

    # -- steps --------------------------------------------------------------------------
    def _ask(self, dialog: QDialog, on_accept: Callable[[], None] | None) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if on_accept is not None:
            dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _run(
        self, job: Callable[[Workspace], Any], done: Callable[[Any], None], keep: str | None = None
    ) -> None:
        """Run one step on the worker; then read everything again (refused or not)."""
        self._busy = True
        self._update_actions()

        def succeeded(result: Any) -> None:
            self._busy = False
            done(result)
            self.reload(keep)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._set_status(N_("Not done; nothing was changed."))
            show_error(self, exc)
            self.reload(keep)

        self.ops.db(job, succeeded, failed, owner=self)

    def new_request(self) -> None:
        dialog = NewRequestDialog(self, dt.date.today())

        def accepted() -> None:
            nummer, onderwerp, ontvangen = dialog.values()
            self._run(lambda ws: requests.create_request(ws, nummer, onderwerp, ontvangen),
                      lambda info: self._set_status(N_("Woo request {nummer} registered."),
                                                    nummer=info.nummer),
                      keep=nummer.strip())  # fmt: skip

        self._ask(dialog, accepted)

    def add_to_scope(self) -> None:
        info = self.current
        if info is None:
            return
        dialog = ScopeDialog(self, info.nummer, self.suggestion)
        nummer = info.nummer

        def accepted() -> None:
            kenmerken = dialog.values()
            self._run(lambda ws: requests.add_to_scope(ws, nummer, kenmerken),
                      lambda change: self._set_status(
                          N_("Added to the scope: {added}."),
                          added=", ".join(change.added) or _("nothing new")))  # fmt: skip

        self._ask(dialog, accepted)

    def remove_from_scope(self) -> None:
        info, index = self.current, self.scope_view.currentIndex()
        if info is None or not index.isValid():
            return
        item, nummer = self.scope_model.items[index.row()], info.nummer
        dialog = FormDialog(self, "removeScopeDialog",
                            _("Remove {kenmerk} from the scope").format(kenmerk=item.kenmerk),
                            _("Re&move"))  # fmt: skip
        dialog.finish_layout(
            _("Take {kenmerk} ({naam}) out of the scope of {nummer}? The assessments of its "
              "documents are dropped; its legal hold is lifted when nothing else of the "
              "request needs it.").format(kenmerk=item.kenmerk, naam=item.naam, nummer=nummer)
        )  # fmt: skip

        def accepted() -> None:
            self._run(lambda ws: requests.remove_from_scope(ws, nummer, item.kenmerk),
                      lambda _c: self._set_status(N_("Removed from the scope: {kenmerk}."),
                                                  kenmerk=item.kenmerk))  # fmt: skip

        self._ask(dialog, accepted)

    def assess(self) -> AssessDialog | None:
        info, document = self.current, self.current_document()
        if info is None or document is None or not self.actions_["assess"].isEnabled():
            return None
        dialog = AssessDialog(self, document.kenmerk, document.naam, document.assessment)
        nummer = info.nummer

        def submitted() -> None:
            values = dialog.values()
            dialog.ok_button.setEnabled(False)
            self._busy = True
            self._update_actions()

            def job(ws: Workspace) -> AssessmentInfo:
                return assessments.assess(ws, nummer, document.kenmerk, *values)

            def done(result: AssessmentInfo) -> None:
                self._busy = False
                self.documents_model.replace(result)  # the table keeps its rows and place
                self._set_status(N_("{kenmerk} assessed: {beoordeling}."), kenmerk=result.kenmerk,
                                 beoordeling=result.beoordeling)  # fmt: skip
                dialog.accept()
                self._refresh_request()

            def refused(exc: BaseException) -> None:
                self._busy = False
                dialog.ok_button.setEnabled(True)
                self._set_status(N_("Not done; nothing was changed."))
                show_error(dialog, exc)
                self._update_actions()
                self.updated.emit()

            self.ops.db(job, done, refused, owner=self)

        dialog.submitted.connect(submitted)
        self._ask(dialog, None)
        return dialog

    def redact(self) -> RedactionDialog | None:
        info, document = self.current, self.current_document()
        if info is None or document is None:
            return None
        judged = document.assessment
        gronden = (judged.gronden or "").split("; ") if judged and judged.gronden else []
        dialog = RedactionDialog(self.ops, info.nummer, document.id, document.kenmerk,
                                 document.naam, gronden, self)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.show()
        return dialog

    def close_request(self) -> None:
        info = self.current
        if info is None:
            return
        implied = requests.implied_besluit(info.counts) if info.documents else "geen_documenten"
        dialog = CloseDialog(self, info.nummer, implied)
        nummer = info.nummer

        def accepted() -> None:
            besluit = dialog.value()
            self._run(lambda ws: requests.close_request(ws, nummer, besluit),
                      lambda closed: self._set_status(N_("{nummer} closed: {besluit}."),
                                                      nummer=closed.nummer,
                                                      besluit=_(BESLUITEN[besluit])))  # fmt: skip

        self._ask(dialog, accepted)

    def export(self) -> QFileDialog | None:
        """Ask for a folder (non-blocking); :meth:`export_to` runs on the answer."""
        if self.current is None or not self.actions_["export"].isEnabled():
            return None
        dialog = QFileDialog(self, _("Folder for the Woo package of {nummer}").format(
            nummer=self.current.nummer))  # fmt: skip
        dialog.setObjectName("exportFolderDialog")
        dialog.setAccessibleName(dialog.windowTitle())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda folder: self.export_to(Path(folder)))
        self._ask(dialog, None)
        return dialog

    def export_to(self, chosen: Path) -> None:
        """Write the request's package into the folder ``chosen`` (see :func:`package_folder`)
        with progress and Cancel; a summary follows."""
        info = self.current
        if info is None:
            return
        nummer = info.nummer
        out = package_folder(chosen, nummer)
        tracker = ProgressTracker(self, _("Exporting {nummer}…").format(nummer=nummer))
        self.tracker, self._busy = tracker, True
        self._update_actions()

        def job(ws: Workspace) -> ExportReport:
            return export_package(ws, nummer, out, progress=tracker.report,
                                          cancel=tracker.token)  # fmt: skip

        def succeeded(report: ExportReport) -> None:
            tracker.finish()
            self.tracker, self._busy = None, False
            self._set_status(N_("Woo package of {nummer} written to {folder}."), nummer=nummer,
                             folder=str(out))  # fmt: skip
            self.summary = ExportSummary(self, nummer, out, report)
            self.summary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.summary.open()
            self._update_actions()

        def failed(exc: BaseException) -> None:
            tracker.finish()
            self.tracker, self._busy = None, False
            self._set_status(N_("The export of {nummer} was not finished."), nummer=nummer)
            show_error(self, exc)
            self._update_actions()

        self.ops.db(job, succeeded, failed, owner=self)
        tracker.start()
