"""The result of a Woo export, shown when the package is written: where it is, what
it holds, and every remark of the export (e.g. a document left out because it
could not be redacted), in the user's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.archive.woo.export import ExportReport
from recordsdesk.i18n import N_, _

#: the report's counts in the order the summary lists them (attribute, label msgid)
COUNTS = (
    ("documents", N_("Documents in scope: {count}")),
    ("published", N_("Published: {count}")),
    ("redacted", N_("of which redacted (partly public): {count}")),
    ("withheld", N_("Withheld (not public): {count}")),
    ("already_public", N_("Already public (link in the inventory list): {count}")),
)


def summary_lines(report: ExportReport) -> list[str]:
    """The package's contents in words, from the export report."""
    lines = [_(msgid).format(count=getattr(report, name)) for name, msgid in COUNTS]
    files = report.files
    lines.append(_("Files written: {count}").format(count=len(files)))
    lines.extend(f"  {name}" for name in files[:12])
    if len(files) > 12:
        lines.append("  …")
    return lines


def remarks(report: ExportReport) -> list[str]:
    """The export's remarks (nothing stopped), each with its document, translated."""
    return [f"{item.kenmerk}: {item.text()}" for item in report.remarks]


class ExportSummary(QDialog):
    """Non-modal summary of one export (opened with ``open()``; Enter or Escape closes)."""

    def __init__(
        self, parent: QWidget | None, nummer: str, out: Path, report: ExportReport
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportSummary")
        self.report = report
        title = _("Woo package of {nummer}").format(nummer=nummer)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.intro = QLabel(_("The package was written to {folder}.").format(folder=out))
        self.intro.setObjectName("exportSummaryIntro")
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.intro.setAccessibleName(self.intro.text())
        self.details = QPlainTextEdit()
        self.details.setObjectName("exportSummaryDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("What the package holds"))
        notes = remarks(report)
        text = "\n".join(summary_lines(report))
        if notes:
            text += "\n\n" + _("Remarks:") + "\n" + "\n".join(f"• {n}" for n in notes)
        self.details.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("exportSummaryOk")
        ok.setText(_("OK"))
        ok.setAccessibleName(_("OK"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
