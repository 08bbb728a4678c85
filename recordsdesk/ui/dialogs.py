"""Small dialogs: a new dossier, and About RecordsDesk."""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from recordsdesk import __version__
from recordsdesk.i18n import _

MAX_TITLE = 500  # the core's limit (services.dossiers.MAX_TITLE); it checks again


class NewDossierDialog(QDialog):
    """Title (required) and omschrijving; Enter accepts once a title is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newDossierDialog")
        self.setWindowTitle(_("New dossier"))
        self.setAccessibleName(_("New dossier"))
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("dossierTitle")
        self.title_edit.setMaxLength(MAX_TITLE)
        self.title_edit.setAccessibleName(_("Title (required)"))
        self.title_edit.setPlaceholderText(_("e.g. Omgevingsvergunning Coolsingel 40"))
        self.description_edit = QLineEdit()
        self.description_edit.setObjectName("dossierDescription")
        self.description_edit.setAccessibleName(_("Description (omschrijving)"))
        self.description_edit.setPlaceholderText(_("optional"))

        form = QFormLayout()
        title_label = QLabel(_("&Title (required):"))
        title_label.setBuddy(self.title_edit)
        description_label = QLabel(_("&Description:"))
        description_label.setBuddy(self.description_edit)
        form.addRow(title_label, self.title_edit)
        form.addRow(description_label, self.description_edit)

        self.hint = QLabel(_("A dossier needs a title."))
        self.hint.setObjectName("dossierHint")
        self.hint.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Create dossier"))
        ok.setAccessibleName(_("Create dossier"))
        ok.setToolTip(_("Create the dossier with this title (Enter)"))
        ok.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        cancel.setToolTip(_("Close the dialog and change nothing (Esc)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title_edit.textChanged.connect(self._update)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.title_edit, self.description_edit)
        self.setTabOrder(self.description_edit, ok)
        self.setTabOrder(ok, cancel)
        self.setMinimumWidth(460)
        self._update()

    def _update(self) -> None:
        has_title = bool(self.title().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(has_title)
        self.hint.setVisible(not has_title)

    def accept(self) -> None:
        if self.title().strip():  # Enter on an empty title does nothing
            super().accept()

    def title(self) -> str:
        return self.title_edit.text()

    def description(self) -> str | None:
        return self.description_edit.text().strip() or None


def show_about(parent: QWidget | None) -> QMessageBox:
    """About RecordsDesk (non-blocking)."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(_("About RecordsDesk"))
    box.setAccessibleName(_("About RecordsDesk"))
    box.setIcon(QMessageBox.Icon.Information)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<h3>RecordsDesk {__version__}</h3>")
    box.setInformativeText(
        _(
            "Records management for Dutch municipalities: dossiers, records and their "
            "files, with every byte accounted for (MDTO)."
        )
        + "<br><br>"
        + _("Python {python}, Qt {qt}, PySide6 {pyside}").format(
            python=sys.version.split()[0], qt=qVersion(), pyside=pyside_version
        )
        + "<br>"
        + _("Licence: EUPL-1.2")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
