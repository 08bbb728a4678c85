"""A dossier or record found in the central archive, shown as the central archive holds it.

Opening a result while the search view searches the central archive (Enter or a
double-click) shows it here rather than in the main window: it is usually not on this
workstation at all (another department filed it), and where it is, the central archive's
state is the one searched. The :class:`~recordsdesk.ui.views.details.DetailsPane` does
the reading on the central executors (:class:`~recordsdesk.ui.central_ops.CentralOps`),
so the database's access rules apply, and a record's file is previewed after its content
was fetched from the central archive and checked against its hash
(``services.verified_file`` over a central workspace). Read-only: work on it by
synchronising, or in the central archive's own windows (Woo requests).

A non-modal window, one per search view, reused for the next result; Escape closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from recordsdesk.i18n import _
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.details import DetailsPane


class CentralDetails(QDialog):
    """Metadata and preview of one central dossier or record; see the module docstring."""

    def __init__(self, central: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centralDetails")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.kenmerk = ""
        self.details = DetailsPane(central, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.setObjectName("centralDetailsButtons")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 720)
        self.retranslate()

    def show_object(self, kenmerk: str, dossier_id: str, record_id: str | None) -> None:
        """Read and show a record (``record_id``) or else the dossier; raise the window."""
        self.kenmerk = kenmerk
        if record_id is not None:
            self.details.show_record(record_id)
        else:
            self.details.show_dossier(dossier_id)
        self.retranslate()
        self.show()
        self.raise_()
        self.activateWindow()

    def retranslate(self) -> None:
        title = _("In the central archive: {kenmerk}").format(kenmerk=self.kenmerk)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        self.details.retranslate()
