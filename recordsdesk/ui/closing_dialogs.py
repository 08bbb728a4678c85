"""Archiefbeheer › Dossier classificeren… and Dossier afsluiten…, on the selected dossier.

The window's front to :mod:`recordsdesk.services.closing` (the CLI's ``dossier
classify`` and ``dossier close``): classifying gives the dossier its Selectielijst
result (and so its waardering and bewaartermijn); closing freezes it with its
records and derives the archiefactiedatum. Each is one user action in one
transaction; a refusal (no role, a withdrawn result, a dossier on hold…) is shown
with its reason and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit

from recordsdesk.i18n import N_, _
from recordsdesk.services import closing
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.form_dialog import FormDialog
from recordsdesk.ui.formatting import Message

if TYPE_CHECKING:
    from recordsdesk.ui.mainwindow import MainWindow


class ClassifyDialog(FormDialog):
    """The Selectielijst 2020 result for dossier ``kenmerk``."""

    def __init__(self, window: MainWindow, kenmerk: str) -> None:
        super().__init__(window, "classifyDialog",
                         _("Classify dossier {kenmerk}").format(kenmerk=kenmerk),
                         _("&Classify"))  # fmt: skip
        self.window_ = window
        self.kenmerk = kenmerk
        self.result_edit = QLineEdit()
        self.result_edit.setPlaceholderText("1.5")
        self.result_edit.textChanged.connect(lambda _t: self.update_ok())
        self.add_field(_("Selectielijst &result:"), self.result_edit, "classifyResult",
                       tip=_("The result number, e.g. 1.5; Archiefbeheer › Selectielijst "
                             "(Ctrl+L) shows them all"))  # fmt: skip
        self.result_edit.setAccessibleDescription(self.result_edit.toolTip())
        self.finish_layout(_("The result decides the waardering and the bewaartermijn of the "
                             "dossier and its records."))  # fmt: skip

    def complete(self) -> bool:
        return bool(self.result_edit.text().strip())

    def accept(self) -> None:
        kenmerk, nummer = self.kenmerk, self.result_edit.text().strip()
        self.ok_button.setEnabled(False)

        def done(label: str) -> None:
            self.window_.refresh()  # status, waardering: the lists and details read again
            self.window_.show_message(Message(N_("{kenmerk} classified: {result}."),
                                              {"kenmerk": kenmerk, "result": label}))  # fmt: skip
            super(ClassifyDialog, self).accept()

        self.window_.ops.db(lambda ws: closing.classify(ws, kenmerk, nummer), done,
                            self._failed, owner=self)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.update_ok()
        show_error(self, exc)


class CloseDialog(FormDialog):
    """Close dossier ``kenmerk`` on a day (today unless changed)."""

    def __init__(self, window: MainWindow, kenmerk: str) -> None:
        super().__init__(window, "closeDossierDialog",
                         _("Close dossier {kenmerk}").format(kenmerk=kenmerk),
                         _("&Close dossier"))  # fmt: skip
        self.window_ = window
        self.kenmerk = kenmerk
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.day.setMaximumDate(QDate.currentDate())
        self.add_field(_("&Closed on:"), self.day, "closeDossierDay",
                       tip=_("The day the case ended (dd-mm-jjjj); not after today"))  # fmt: skip
        self.day.setAccessibleDescription(self.day.toolTip())
        self.finish_layout(_("Closing freezes the dossier and its records (MDTO event "
                             "Bevriezing) and derives the archiefactiedatum. It can be "
                             "reopened, with a reason."))  # fmt: skip

    def accept(self) -> None:
        kenmerk, day = self.kenmerk, self.day.date().toPython()
        assert isinstance(day, dt.date)
        self.ok_button.setEnabled(False)

        def done(closed: closing.Closed) -> None:
            when, reason = closed.archiefactiedatum, closed.open_reason
            if when is not None:
                day = when.strftime("%d-%m-%Y")
                message = Message(N_("{kenmerk} closed; archiefactiedatum {date}."),
                                  {"kenmerk": kenmerk, "date": day})  # fmt: skip
            else:  # the reason, translated when shown (as the CLI does)
                message = Message(
                    N_("{kenmerk} closed; its archiefactiedatum cannot be derived yet: {reason}"),
                    {"kenmerk": kenmerk, "reason": lambda: _(reason) if reason else "-"},
                )
            self.window_.refresh()
            self.window_.show_message(message)
            super(CloseDialog, self).accept()

        self.window_.ops.db(lambda ws: closing.close(ws, kenmerk, on=day), done, self._failed,
                            owner=self)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.update_ok()
        show_error(self, exc)
