"""A titled dialog with a form and OK/Cancel: the base of the list and Woo dialogs.

Every field gets a label (its buddy) and the label's text as its accessible name;
OK is enabled while :meth:`FormDialog.complete` holds (call :meth:`update_ok`
when a field changes). Opened without blocking (``open()``) by the windows.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import _


class FormDialog(QDialog):
    """See the module docstring; ``name`` is the object name, also of its parts."""

    min_width = 460

    def __init__(self, parent: QWidget | None, name: str, title: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName(f"{name}Ok")
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text.replace("&", "").rstrip("…"))
        self.ok_button.setToolTip(_("Do this and close the dialog (Enter)"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName(f"{name}Cancel")
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        cancel.setToolTip(_("Close the dialog and change nothing (Esc)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.layout_ = QVBoxLayout(self)
        self.setMinimumWidth(self.min_width)

    def add_field(
        self,
        label_text: str,
        field: QWidget,
        name: str,
        form: QFormLayout | None = None,
        tip: str = "",
    ) -> None:
        """Add ``field`` under ``label_text``; ``tip`` (its tooltip, which is also its
        accessible description) says what the value means."""
        plain = label_text.replace("&", "").rstrip(":")
        label = QLabel(label_text)
        label.setObjectName(f"{name}Label")
        label.setBuddy(field)
        label.setAccessibleName(plain)
        field.setObjectName(name)
        field.setAccessibleName(plain)
        if tip:
            field.setToolTip(tip)
        (form or self.form).addRow(label, field)

    def finish_layout(self, intro: str = "") -> None:
        if intro:
            label = QLabel(intro)
            label.setObjectName(f"{self.objectName()}Intro")
            label.setWordWrap(True)
            label.setAccessibleName(intro)
            self.layout_.addWidget(label)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.buttons)
        self.update_ok()

    def complete(self) -> bool:
        return True

    def update_ok(self) -> None:
        self.ok_button.setEnabled(self.complete())
