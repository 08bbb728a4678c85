"""The redaction editor of one document in a Woo request: its PDF page by page, the
areas to black out drawn with the mouse (or typed in :class:`CoordinatesDialog`),
each with its weigeringsgrond, listed and removable.

The PDF (the PDF/A when there is one, else the original PDF) is checked against
its checksum on the IO pool before it is shown. Areas are recorded, listed and removed through
:mod:`recordsdesk.archive.woo.redactions` on the database worker; its refusals
(a ground not among the assessment's, an area off the page, a document judged
openbaar) are shown through the error presenter and nothing is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from recordsdesk import services
from recordsdesk.archive.woo import redactions
from recordsdesk.archive.woo.gronden import weigeringsgronden
from recordsdesk.archive.woo.redactions import PDF_ROLES, RedactionInfo
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.woo.canvas import PageCanvas, Shown
from recordsdesk.ui.views.woo.dialogs import FormDialog

PDF = "application/pdf"
ZOOM_STEP, ZOOM_MIN, ZOOM_MAX = 1.25, 0.5, 4.0  # pixels per point


@dataclass(frozen=True)
class PdfFile:
    bestand_id: str
    path: Path
    name: str


@dataclass(frozen=True)
class Redaction:
    """One recorded area (points of the displayed page, origin bottom-left)."""

    id: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    grond: str
    bestand_id: str | None

    @classmethod
    def of(cls, info: RedactionInfo) -> Redaction:
        return cls(info.id, info.page, info.x0, info.y0, info.x1, info.y1, info.grond,
                   info.bestand_id)  # fmt: skip

    def text(self) -> str:
        return _("Page {page}: {grond}, ({x0}, {y0}) to ({x1}, {y1})").format(
            page=self.page, grond=self.grond, x0=f"{self.x0:.0f}", y0=f"{self.y0:.0f}",
            x1=f"{self.x1:.0f}", y1=f"{self.y1:.0f}",
        )  # fmt: skip


def find_pdf(ws: Workspace, record_id: str) -> PdfFile:
    """Runs on the IO pool: the document's PDF to redact, after its checksum check."""
    detail = services.record_detail(ws, record_id)
    pdfs = [f for f in detail.files if f.mime == PDF and f.role in PDF_ROLES]
    pdfs.sort(key=lambda f: PDF_ROLES.index(f.role))  # the one the package publishes
    if not pdfs:
        raise UserError(
            N_("Record {kenmerk} has no PDF: only a PDF can be redacted."),
            {"kenmerk": detail.kenmerk},
        )
    path, _mime, name = services.verified_file(ws, pdfs[0].id)
    return PdfFile(pdfs[0].id, path, name)


def ground_choices(combo: QComboBox, first: list[str]) -> None:
    """Fill ``combo`` with every ground; those in ``first`` (the assessment's) on top."""
    combo.clear()
    known = {g.code: g for g in weigeringsgronden()}
    for code in [c for c in first if c in known] + [c for c in known if c not in first]:
        combo.addItem(f"{code}  {known[code].omschrijving}", code)


class CoordinatesDialog(FormDialog):
    """An area typed by keyboard: page and corners in points, origin bottom-left."""

    def __init__(self, parent: QWidget | None, pages: int, width: float, height: float,
                 page: int, gronden: list[str], grond: str) -> None:  # fmt: skip
        super().__init__(parent, "coordinatesDialog", _("Area by coordinates"), _("&Add area"))
        self.page = QSpinBox()
        self.page.setRange(1, max(pages, 1))
        self.page.setValue(page)
        self.add_field(_("&Page:"), self.page, "coordinatesPage")
        self.corners: list[QDoubleSpinBox] = []
        for text, name, top in ((_("&Left (x0):"), "coordinatesX0", width),
                                (_("&Bottom (y0):"), "coordinatesY0", height),
                                (_("&Right (x1):"), "coordinatesX1", width),
                                (_("&Top (y1):"), "coordinatesY1", height)):  # fmt: skip
            box = QDoubleSpinBox()
            box.setDecimals(1)
            box.setRange(0.0, max(top, 1.0))
            self.corners.append(box)
            self.add_field(text, box, name)
        self.grond = QComboBox()
        ground_choices(self.grond, gronden)
        self.grond.setCurrentIndex(max(self.grond.findData(grond), 0))
        self.add_field(_("&Ground:"), self.grond, "coordinatesGrond")
        self.finish_layout(
            _(
                "In points (1/72 inch) from the bottom-left corner of the page; the page is "
                "{width} by {height} points."
            ).format(width=f"{width:.0f}", height=f"{height:.0f}")
        )

    def values(self) -> tuple[int, float, float, float, float, str]:
        x0, y0, x1, y1 = (box.value() for box in self.corners)
        return (self.page.value(), x0, y0, x1, y1, str(self.grond.currentData()))


class RedactionDialog(QDialog):
    """Signals:
    changed: an area was recorded or removed.
    ready: the PDF and the recorded areas are shown (after opening and each change).
    """

    changed = Signal()
    ready = Signal()

    def __init__(self, ops: Ops, nummer: str, record_id: str, kenmerk: str, naam: str,
                 gronden: list[str], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("redactionDialog")
        self.ops, self.nummer, self.record_id, self.kenmerk = ops, nummer, record_id, kenmerk
        self.pdf_file: PdfFile | None = None
        self.redactions: list[Redaction] = []
        self.busy = True
        self.pdf = QPdfDocument(self)
        title = _("Redact {kenmerk}").format(kenmerk=kenmerk)
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        self.heading = QLabel(f"{kenmerk}  {naam}")
        self.heading.setObjectName("redactionHeading")
        self.heading.setAccessibleName(self.heading.text())
        self.page_label = QLabel(_("&Page:"))
        self.page_label.setObjectName("redactionPageLabel")
        self.page_label.setAccessibleName(_("Page"))
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("redactionPage")
        self.page_spin.setAccessibleName(_("Page"))
        self.page_spin.setRange(1, 1)
        self.page_label.setBuddy(self.page_spin)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("redactionPages")
        self.grond_label = QLabel(_("&Ground for new areas:"))
        self.grond_label.setObjectName("redactionGrondLabel")
        self.grond_label.setAccessibleName(_("Ground for new areas"))
        self.grond = QComboBox()
        self.grond.setObjectName("redactionGrond")
        self.grond.setAccessibleName(_("Ground for new areas"))
        self.gronden = gronden
        ground_choices(self.grond, gronden)
        self.grond_label.setBuddy(self.grond)
        self.canvas = PageCanvas()
        self.canvas.setAccessibleName(_("Page preview: drag to mark an area to black out"))
        self.page_scroll = QScrollArea()
        self.page_scroll.setObjectName("redactionScroll")
        self.page_scroll.setAccessibleName(_("Page preview"))
        self.page_scroll.setWidget(self.canvas)
        self.page_scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.list_label = QLabel(_("&Areas to black out:"))
        self.list_label.setObjectName("redactionListLabel")
        self.list_label.setAccessibleName(_("Areas to black out"))
        self.list = QListWidget()
        self.list.setObjectName("redactionList")
        self.list.setAccessibleName(_("Areas to black out"))
        self.list_label.setBuddy(self.list)
        self.add_button = QPushButton(_("Area by &coordinates…"))
        self.add_button.setObjectName("redactionAdd")
        self.add_button.setAccessibleName(_("Area by coordinates"))
        self.add_button.setToolTip(_("Type the page and corners of an area (Ctrl+N)"))
        self.remove_button = QPushButton(_("&Remove area"))
        self.remove_button.setObjectName("redactionRemove")
        self.remove_button.setAccessibleName(_("Remove area"))
        self.remove_button.setToolTip(_("Remove the selected area (Delete)"))
        self.status = QLabel()
        self.status.setObjectName("redactionStatus")
        self.status.setWordWrap(True)
        self.close_button = QPushButton(_("Close"))
        self.close_button.setObjectName("redactionClose")
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setToolTip(_("Close this window (Esc)"))
        self.close_button.setAutoDefault(False)
        self.add_button.setAutoDefault(False)
        self.remove_button.setAutoDefault(False)

        self.zoom_buttons: list[QToolButton] = []
        for name, text, tip, step in (
            ("redactionZoomOut", "−", _("Zoom out (Ctrl+-)"), 1 / ZOOM_STEP),
            ("redactionZoomIn", "+", _("Zoom in (Ctrl++)"), ZOOM_STEP),
        ):
            button = QToolButton()
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip.split(" (")[0])
            button.clicked.connect(lambda _c=False, f=step: self.zoom_by(f))
            self.zoom_buttons.append(button)
        top = QHBoxLayout()
        for widget in (self.page_label, self.page_spin, self.pages_label, *self.zoom_buttons):
            top.addWidget(widget)
        top.addSpacing(16)
        top.addWidget(self.grond_label)
        top.addWidget(self.grond, 1)
        side = QVBoxLayout()
        side.addWidget(self.list_label)
        side.addWidget(self.list, 1)
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        middle = QHBoxLayout()
        middle.addWidget(self.page_scroll, 3)
        middle.addLayout(side, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)

        for keys, handler in (("Ctrl+N", self.add_by_coordinates),
                              ("PgDown", lambda: self.page_spin.stepBy(1)),
                              ("PgUp", lambda: self.page_spin.stepBy(-1)),
                              ("Ctrl++", lambda: self.zoom_by(ZOOM_STEP)),
                              ("Ctrl+=", lambda: self.zoom_by(ZOOM_STEP)),
                              ("Ctrl+-", lambda: self.zoom_by(1 / ZOOM_STEP))):  # fmt: skip
            act = QAction(self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(handler)
            self.addAction(act)
        remove = QAction(self.list)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_selected)
        self.list.addAction(remove)
        self.page_spin.valueChanged.connect(lambda _v: self._show_page())
        self.canvas.area_drawn.connect(self._drawn)
        self.add_button.clicked.connect(self.add_by_coordinates)
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button.clicked.connect(self.reject)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        QWidget.setTabOrder(self.page_spin, self.grond)
        QWidget.setTabOrder(self.grond, self.canvas)
        QWidget.setTabOrder(self.canvas, self.list)
        self.resize(1100, 800)
        self._say(N_("Drag over the page to mark an area; it gets the ground chosen above."))
        self._update_buttons()
        self.ops.io(lambda ws: find_pdf(ws, record_id), self._pdf_found, self._failed, owner=self)

    # -- loading ------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        show_error(self, exc)
        self.ready.emit()

    def _pdf_found(self, found: PdfFile) -> None:
        self.pdf_file = found
        if self.pdf.load(str(found.path)) != QPdfDocument.Error.None_:
            self._failed(UserError(N_("This PDF cannot be shown.")))
            return
        pages = self.pdf.pageCount()
        self.page_spin.setRange(1, max(pages, 1))
        text = _("of {pages}").format(pages=pages)
        self.pages_label.setText(text)
        self.pages_label.setAccessibleName(text)
        self._show_page()
        self.reload()

    def reload(self) -> None:
        """Read the recorded areas of this document again (``ready`` follows)."""
        self.busy = True
        self._update_buttons()
        nummer, kenmerk = self.nummer, self.kenmerk

        def job(ws: Workspace) -> list[Redaction]:
            found = redactions.list_redactions(ws, nummer, record_kenmerk=kenmerk)
            return [Redaction.of(info) for info in found]

        self.ops.db(job, self._arrived, self._failed, owner=self)

    def _arrived(self, found: list[Redaction]) -> None:
        self.busy = False
        self.redactions = sorted(found, key=lambda r: (r.page, -r.y1, r.x0))
        current = self.list.currentRow()
        self.list.clear()
        for redaction in self.redactions:
            item = QListWidgetItem(redaction.text())
            item.setData(Qt.ItemDataRole.UserRole, redaction.id)
            self.list.addItem(item)
        if self.redactions:
            self.list.setCurrentRow(min(max(current, 0), len(self.redactions) - 1))
        self._show_areas()
        self._update_buttons()
        self.ready.emit()

    # -- pages --------------------------------------------------------------------
    def _show_page(self) -> None:
        loaded = self.pdf.status() == QPdfDocument.Status.Ready
        self.canvas.set_page(self.pdf if loaded else None, self.page_spin.value() - 1)
        self.canvas.setAccessibleName(
            _("Page {page} of {kenmerk}: drag to mark an area to black out").format(
                page=self.page_spin.value(), kenmerk=self.kenmerk
            )
        )
        self._show_areas()

    def zoom_by(self, factor: float) -> None:
        """Show the page larger or smaller (areas stay in points, so they follow)."""
        zoom = min(max(self.canvas.zoom * factor, ZOOM_MIN), ZOOM_MAX)
        if abs(zoom - self.canvas.zoom) > 1e-6:
            self.canvas.zoom = zoom
            self._show_page()

    def _show_areas(self) -> None:
        page = self.page_spin.value()
        self.canvas.set_areas([Shown(r.x0, r.y0, r.x1, r.y1, r.grond)
                               for r in self.redactions if r.page == page])  # fmt: skip

    # -- changes ------------------------------------------------------------------
    def _drawn(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.add_area(self.page_spin.value(), x0, y0, x1, y1, str(self.grond.currentData()))

    def add_area(self, page: int, x0: float, y0: float, x1: float, y1: float, grond: str) -> None:
        """Record an area through the service (refusals are shown, nothing changes)."""
        found = self.pdf_file
        if found is None or self.busy:
            return
        nummer, kenmerk, bestand = self.nummer, self.kenmerk, found.bestand_id
        self.busy = True
        self._update_buttons()

        def job(ws: Workspace) -> RedactionInfo:
            return redactions.add_redaction(ws, nummer, kenmerk, page, x0, y0, x1, y1, grond,
                                         bestand_id=bestand)  # fmt: skip

        def done(_info: object) -> None:
            self._say(N_("Area recorded on page {page} with ground {grond}."), page=page,
                      grond=grond)  # fmt: skip
            self.changed.emit()
            self.reload()

        self.ops.db(job, done, self._refused, owner=self)

    def _refused(self, exc: BaseException) -> None:
        self._failed(exc)
        self.reload()

    def add_by_coordinates(self) -> CoordinatesDialog | None:
        if self.busy or self.pdf.status() != QPdfDocument.Status.Ready:
            return None
        size = self.canvas.page_size()
        dialog = CoordinatesDialog(self, self.pdf.pageCount(), size.width(), size.height(),
                                   self.page_spin.value(), self.gronden,
                                   str(self.grond.currentData()))  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.add_area(*dialog.values()))
        dialog.open()
        return dialog

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or self.busy:
            return
        redaction_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.busy = True
        self._update_buttons()

        def done(_result: object) -> None:
            self._say(N_("Area removed."))
            self.changed.emit()
            self.reload()

        self.ops.db(lambda ws: redactions.remove_redaction(ws, redaction_id), done, self._refused,
                    owner=self)  # fmt: skip

    # -- texts --------------------------------------------------------------------
    def _update_buttons(self) -> None:
        can = not self.busy
        self.add_button.setEnabled(can and self.pdf_file is not None)
        self.remove_button.setEnabled(can and self.list.currentItem() is not None)
        self.canvas.drawing_enabled = can

    def _say(self, msgid: str, **params: object) -> None:
        text = _(msgid).format(**params)
        self.status.setText(text)
        self.status.setAccessibleName(text)
