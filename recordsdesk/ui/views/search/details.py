"""The search view's sentences (the line of counts, a dossier's completeness) and the
pane that shows the completeness of the current dossier.

Plain text, composed anew in the current language each time (a language switch
shows them again); counts only, never a hidden record's title.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from recordsdesk.archive.completeness import Completeness
from recordsdesk.i18n import _
from recordsdesk.search.results import DossierGroup
from recordsdesk.ui.models.search import SearchPage, completeness_text, reason_lines


def status_text(page: SearchPage | None) -> str:
    """Hits and dossiers, the index still being updated, hidden results, stop words left out."""
    if page is None:
        return _("Type words to search for; press F1 for the search syntax.")
    found = page.results
    if not found.total:
        parts = [_("Nothing found.")]
    elif found.dossier_count == 1:
        parts = [_("{hits} hits in 1 dossier").format(hits=found.total)]
    else:
        parts = [
            _("{hits} hits in {dossiers} dossiers").format(
                hits=found.total, dossiers=found.dossier_count
            )
        ]
    if found.pending:
        parts.append(_("index being updated: {count} waiting").format(count=found.pending))
    if page.hidden:
        parts.append(_("{count} hidden results").format(count=page.hidden))
    if page.central:
        parts.append(_("in the central archive"))
    if found.dropped:
        parts.append(_("Left out (too common): {words}").format(words=" ".join(found.dropped)))
    return " · ".join(parts)


def details_text(found: Completeness | None) -> str:
    """The completeness of one dossier: the verdict, each reason, what the reader sees."""
    if found is None:
        return completeness_text(None)
    lines = [completeness_text(found), ""]
    lines += [f"• {line}" for line in reason_lines(found)]
    if found.complete:
        lines.append(_("Nothing suggests that this dossier is incomplete."))
    lines += ["", _("Records you can see: {count}").format(count=found.records)]
    if found.hidden:
        lines.append(_("Hidden results: {count}").format(count=found.hidden))
    return "\n".join(lines)


class CompletenessPane(QScrollArea):
    """The current dossier's completeness: a title and the reasons, selectable text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDetailsScroll")
        self.setWidgetResizable(True)
        self.title = QLabel()
        self.title.setObjectName("searchDetailsTitle")
        self.body = QLabel()
        self.body.setObjectName("searchDetailsBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.title, self.body):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.inner = QWidget()
        self.inner.setObjectName("searchDetails")
        column = QVBoxLayout(self.inner)
        column.addWidget(self.title)
        column.addWidget(self.body, 1)
        self.setWidget(self.inner)

    def show_dossier(self, group: DossierGroup | None, found: Completeness | None) -> None:
        """Show ``group``'s completeness (``found``: not read yet); ``None``: a hint."""
        if group is None:
            self.title.setText(_("Select a dossier to see how complete it is."))
            self.body.setText("")
        else:
            self.title.setText(
                _("Dossier {kenmerk}: {naam}").format(kenmerk=group.kenmerk, naam=group.naam)
            )
            self.body.setText(details_text(found))
        self.title.setAccessibleName(self.title.text() or _("Details"))
        self.body.setAccessibleName(self.body.text() or _("Details"))

    def retranslate(self) -> None:
        self.setAccessibleName(_("Completeness of the dossier"))
        self.inner.setAccessibleName(_("Completeness of the dossier"))
