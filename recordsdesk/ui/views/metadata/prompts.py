"""The editor's two questions, asked without blocking (``open()``, never ``exec()``):
load a newer version after a stale save, and close without saving."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from recordsdesk.errors import UserError
from recordsdesk.i18n import _


def _box(parent: QWidget, name: str, icon: QMessageBox.Icon, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(_("Metadata"))
    box.setText(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def _on(box: QMessageBox, button: QMessageBox.StandardButton, then: Callable[[], None]) -> None:
    wanted = box.button(button)

    def clicked(chosen: QAbstractButton) -> None:
        if chosen is wanted:
            then()

    box.buttonClicked.connect(clicked)


def ask_reload(parent: QWidget, exc: UserError, reload: Callable[[], None]) -> QMessageBox:
    """Someone else saved in between: offer to load the current version (``reload``)."""
    box = _box(parent, "staleMetadata", QMessageBox.Icon.Warning, _(exc.msgid).format(**exc.params))
    box.setInformativeText(_("Load the current version? Your changes here are lost."))
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(_("Load again"))
    _on(box, QMessageBox.StandardButton.Yes, reload)
    box.open()
    return box


def ask_discard(parent: QWidget, discard: Callable[[], None]) -> QMessageBox:
    """Unsaved changes: ``discard`` runs if the user chooses to close anyway."""
    box = _box(
        parent,
        "discardMetadata",
        QMessageBox.Icon.Question,
        _("Close without saving your changes?"),
    )
    box.setStandardButtons(QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    _on(box, QMessageBox.StandardButton.Discard, discard)
    box.open()
    return box
