"""The small dialogs of the Woo request window: a new request, names to add to the
scope, the assessment of one document, and closing a request.

They never call services themselves. A dialog that must stay open when the service
refuses (the assessment: the user corrects it) emits ``submitted`` on OK instead of
closing; the window closes it when the service accepted. The others are opened with
``open()`` and read through plain accessors, so tests fill them in like a user.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from recordsdesk.archive.woo.assessments import AssessmentInfo
from recordsdesk.archive.woo.gronden import weigeringsgronden
from recordsdesk.db.models import WOO_BEOORDELINGEN, WOO_BESLUITEN
from recordsdesk.i18n import N_, _
from recordsdesk.ui.form_dialog import FormDialog as BaseFormDialog
from recordsdesk.ui.models.woo import BEOORDELINGEN, beoordeling_word

BESLUITEN = {
    "reeds_openbaar": N_("Already public"),
    "openbaarmaking": N_("Disclosure"),
    "gedeeltelijke_openbaarmaking": N_("Partial disclosure"),
    "geen_openbaarmaking": N_("No disclosure"),
    "geen_documenten": N_("No documents found"),
}


class FormDialog(BaseFormDialog):
    """The Woo window's dialogs: a little wider (grounds have long descriptions)."""

    min_width = 520


class NewRequestDialog(FormDialog):
    """Number, subject and date of receipt of a new request."""

    def __init__(self, parent: QWidget | None, today: dt.date) -> None:
        super().__init__(parent, "newRequestDialog", _("New Woo request"), _("&Register"))
        self.nummer = QLineEdit()
        self.nummer.setPlaceholderText("WOO-2026-001")
        self.onderwerp = QLineEdit()
        self.ontvangen = QDateEdit(QDate(today.year, today.month, today.day))
        self.ontvangen.setCalendarPopup(True)
        self.ontvangen.setDisplayFormat("dd-MM-yyyy")
        self.add_field(_("&Number:"), self.nummer, "requestNummer")
        self.add_field(_("&Subject:"), self.onderwerp, "requestOnderwerp")
        self.add_field(_("&Received on:"), self.ontvangen, "requestOntvangen")
        self.finish_layout(_("The decision is due four weeks after receipt (Woo art. 4.4)."))

    def values(self) -> tuple[str, str, dt.date]:
        day = self.ontvangen.date()
        return (
            self.nummer.text(),
            self.onderwerp.text(),
            dt.date(day.year(), day.month(), day.day()),
        )


class ScopeDialog(FormDialog):
    """Kenmerken of dossiers and records to add to the scope."""

    def __init__(self, parent: QWidget | None, nummer: str, suggestion: str = "") -> None:
        super().__init__(parent, "scopeDialog", _("Add to the scope of {nummer}").format(
            nummer=nummer), _("&Add"))  # fmt: skip
        self.kenmerken = QLineEdit(suggestion)
        self.add_field(_("&Kenmerken:"), self.kenmerken, "scopeKenmerken")
        self.finish_layout(
            _(
                "Dossiers and records, separated by spaces or commas. Everything in scope is "
                "under a legal hold until the request is closed."
            )
        )

    def values(self) -> list[str]:
        return [k for k in self.kenmerken.text().replace(",", " ").split() if k]


class CloseDialog(FormDialog):
    """The besluit that closes a request."""

    def __init__(self, parent: QWidget | None, nummer: str, implied: str | None) -> None:
        super().__init__(parent, "closeDialog", _("Close {nummer}").format(nummer=nummer),
                         _("&Close request"))  # fmt: skip
        self.besluit = QComboBox()
        for code in WOO_BESLUITEN:
            self.besluit.addItem(_(BESLUITEN[code]), code)
        if implied is not None:
            self.besluit.setCurrentIndex(self.besluit.findData(implied))
        self.add_field(_("&Decision:"), self.besluit, "closeBesluit")
        self.finish_layout(
            _(
                "Closing lifts the legal holds of the request; its scope and assessments "
                "can no longer change."
            )
        )

    def value(self) -> str:
        return str(self.besluit.currentData())


class AssessDialog(FormDialog):
    """The assessment of one document: judgement, grounds, explanation, public link.

    Signals:
        submitted: OK was pressed; the window asks the service and closes the
            dialog only when it accepted (a refusal leaves everything as typed).
    """

    submitted = Signal()

    def __init__(
        self, parent: QWidget | None, kenmerk: str, naam: str, current: AssessmentInfo | None
    ) -> None:
        super().__init__(parent, "assessDialog", _("Assess {kenmerk}").format(kenmerk=kenmerk),
                         _("&Save"))  # fmt: skip
        self.kenmerk = kenmerk
        self.buttons.accepted.disconnect(self.accept)
        self.buttons.accepted.connect(self.submitted.emit)
        self.beoordeling = QComboBox()
        for code in WOO_BEOORDELINGEN:
            self.beoordeling.addItem(beoordeling_word(code), code)
        self.gronden = QListWidget()
        self.gronden.setMinimumHeight(220)
        chosen = set((current.gronden or "").split("; ")) if current else set()
        for grond in weigeringsgronden():
            item = QListWidgetItem(f"{grond.code}  {grond.omschrijving}")
            item.setData(Qt.ItemDataRole.UserRole, grond.code)
            item.setToolTip(grond.artikel)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = grond.code in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.gronden.addItem(item)
        self.gronden.setCurrentRow(0)
        self.toelichting = QPlainTextEdit()
        self.toelichting.setTabChangesFocus(True)
        self.toelichting.setMaximumHeight(90)
        self.link = QLineEdit()
        self.link.setPlaceholderText("https://")
        self.add_field(_("&Assessment:"), self.beoordeling, "assessBeoordeling")
        self.add_field(_("&Grounds for refusal:"), self.gronden, "assessGronden")
        self.add_field(_("&Explanation:"), self.toelichting, "assessToelichting")
        self.add_field(_("&Public link:"), self.link, "assessLink")
        self.hint = QLabel()
        self.hint.setObjectName("assessHint")
        self.hint.setWordWrap(True)
        self.form.addRow(self.hint)
        if current is not None:
            self.beoordeling.setCurrentIndex(self.beoordeling.findData(current.beoordeling))
            self.toelichting.setPlainText(current.toelichting or "")
            self.link.setText(current.publieke_link or "")
        self.beoordeling.currentIndexChanged.connect(lambda _i: self._update_hint())
        self.finish_layout(naam)
        self._update_hint()
        self.setMinimumWidth(720)

    def _update_hint(self) -> None:
        code = self.choice()
        if code in ("deels_openbaar", "niet_openbaar"):
            text = _("Tick the grounds with Space; at least one is needed.")
        elif code == "reeds_openbaar":
            text = _("Give the link where the document is already public; no grounds.")
        else:
            text = _("Nothing is withheld: no grounds, no link.")
        self.hint.setText(text)
        self.hint.setAccessibleName(text)

    def choice(self) -> str:
        return str(self.beoordeling.currentData())

    def set_choice(self, code: str) -> None:
        self.beoordeling.setCurrentIndex(self.beoordeling.findData(code))

    def set_gronden(self, codes: set[str]) -> None:
        for row in range(self.gronden.count()):
            item = self.gronden.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def chosen_gronden(self) -> list[str]:
        items = (self.gronden.item(row) for row in range(self.gronden.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def values(self) -> tuple[str, str | None, str | None, str | None]:
        """(beoordeling, gronden, toelichting, publieke link) as the service takes them."""
        return (
            self.choice(),
            "; ".join(self.chosen_gronden()) or None,
            self.toelichting.toPlainText().strip() or None,
            self.link.text().strip() or None,
        )


__all__ = ["BEOORDELINGEN", "AssessDialog", "CloseDialog", "NewRequestDialog", "ScopeDialog"]
