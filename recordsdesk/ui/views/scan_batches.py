"""The scanned batches window (issue 8): review a batch's pages and approve or reject it.

Left, the batches (newest first); right, for the selected batch, a strip of page
thumbnails (flagged pages marked ⚠, with their findings as tooltip), the selected
page large with its findings below, and the batch's records. A reviewer approves
(after drawing the random sample when the batch's profile asks for one) or
rejects with a reason. Everything is read and rendered off the GUI thread: the
list and the detail on the database worker, the thumbnails and the page on the
IO pool (pdfium, from the scanner's file in the object store, read-only).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import (
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import _
from recordsdesk.scan.states import STATE_TEXT
from recordsdesk.services import Workspace
from recordsdesk.tasks import Cancelled
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.models.cells import OneCallPerCell
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.tables import row_table

if TYPE_CHECKING:  # the services import the scan machinery: loaded when first used
    from recordsdesk.services import scan_batches as batches
    from recordsdesk.services import scan_review as review

Index = QModelIndex | QPersistentModelIndex
THUMB_WIDTH = 110
PAGE_WIDTH = 480


def render_pages(path: Path, width: int, pages: Sequence[int] | None = None) -> list[bytes]:
    """PNG bytes of the PDF's pages (1-based ``pages``, default all) ``width`` pixels wide."""
    import pypdfium2  # type: ignore[import-untyped]

    out: list[bytes] = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for number in pages or range(1, len(document) + 1):
            page = document[number - 1]
            image = page.render(scale=width / page.get_width(), grayscale=True).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            out.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return out


class BatchModel(OneCallPerCell, QAbstractTableModel):
    """The batches, a row each (a workstation has hundreds, not millions)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[batches.BatchInfo] = []

    def set_rows(self, rows: list[batches.BatchInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Batch"), _("State"), _("Pages"), _("Records"), _("Flagged"),
                _("Taken apart on"))[section]  # fmt: skip

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        return (row.name, _(STATE_TEXT[row.state]), str(row.pages), str(row.records),
                str(row.flagged_pages),
                row.created_at.astimezone().strftime("%Y-%m-%d %H:%M"))[index.column()]  # fmt: skip


class ScanBatchesView(QWidget):
    """The window; ``reload()`` reads the batches again (F5)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("scanBatchesView")
        self.ops = ops
        self.detail: review.BatchDetail | None = None
        self.sample: list[int] = []
        self.model = BatchModel()
        self.table = row_table("scanBatchTable", self.model)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_detail())
        self.pages_model = QStandardItemModel(self)
        self.strip = QListView()
        self.strip.setObjectName("scanPageStrip")
        self.strip.setModel(self.pages_model)
        # a column of thumbnails, each with its page number (and ⚠) beside it
        self.strip.setViewMode(QListView.ViewMode.ListMode)
        self.strip.setUniformItemSizes(True)
        self.strip.setSpacing(4)
        self.strip.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.strip.setFixedWidth(THUMB_WIDTH + 90)
        # Ctrl/Shift+click or Shift+arrows: several pages at once, to ask for a re-scan
        self.strip.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.strip.selectionModel().currentChanged.connect(lambda *_: self._show_page())
        self.page = QLabel()
        self.page.setObjectName("scanPageView")
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.page)
        scroll.setWidgetResizable(True)
        self.findings = QLabel()
        self.findings.setObjectName("scanPageFindings")
        self.findings.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("scanBatchSummary")
        self.summary.setWordWrap(True)
        self.sample_button = QPushButton()
        self.approve_button = QPushButton()
        self.reject_button = QPushButton()
        self.rescan_button = QPushButton()
        self.replace_button = QPushButton()
        self.profiles_button = QPushButton()
        self.profiles_button.clicked.connect(self._edit_profiles)
        self.sample_button.clicked.connect(self._draw_sample)
        self.approve_button.clicked.connect(self._approve)
        self.reject_button.clicked.connect(self._reject)
        self.rescan_button.clicked.connect(self._ask_rescan)
        self.replace_button.clicked.connect(self._replace)
        self.strip.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        for button in (self.sample_button, self.approve_button, self.rescan_button,
                       self.replace_button, self.reject_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.profiles_button)
        right = QWidget()
        column = QVBoxLayout(right)
        pages = QHBoxLayout()
        pages.addWidget(self.strip)
        pages.addWidget(scroll, 1)
        column.addWidget(self.summary)
        column.addLayout(pages, 1)
        column.addWidget(self.findings)
        column.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 780])
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        self.resize(1200, 800)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Scanned batches"))
        self.sample_button.setText(_("Draw &sample"))
        self.approve_button.setText(_("&Approve…"))
        self.reject_button.setText(_("&Reject…"))
        self.rescan_button.setText(_("Ask for re-sca&n…"))
        self.replace_button.setText(_("Re&place pages…"))
        self.profiles_button.setText(_("Scan pro&files…"))
        self.rescan_button.setToolTip(_("Select the pages to scan again in the strip "
                                        "(Ctrl+click or Shift+arrows for several)."))  # fmt: skip
        self.replace_button.setToolTip(_("Choose the file with the re-scanned pages."))
        self.sample_button.setToolTip(_("Pick the pages to check by eye, at random"))
        self.approve_button.setToolTip(
            _("Approve the batch after checking the sample; its records are filed")
        )
        self.reject_button.setToolTip(_("Reject the batch, with the reason; nothing is filed"))
        self.profiles_button.setToolTip(
            _("Scan profiles: resolution, colour, OCR languages and checks per scanner")
        )
        self.table.setAccessibleDescription(
            _("The scanned batches with their state; select one to review its pages")
        )
        self.strip.setAccessibleDescription(
            _("Each page with its number; ⚠ marks a page with a finding. Ctrl+click or "
              "Shift+arrows select several")
        )  # fmt: skip
        for widget, name in (
            (self.table, _("Scanned batches")), (self.strip, _("Pages of the batch")),
            (self.page, _("Selected page")), (self.findings, _("Findings of the page")),
            (self.summary, _("The batch")), (self.sample_button, _("Draw sample")),
            (self.approve_button, _("Approve")), (self.reject_button, _("Reject")),
            (self.rescan_button, _("Ask for a re-scan of the selected pages")),
            (self.replace_button, _("Replace the pages with their re-scan")),
            (self.profiles_button, _("Scan profiles")),
        ):  # fmt: skip
            widget.setAccessibleName(name)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)

    # -- reading -------------------------------------------------------------
    def reload(self) -> None:
        from recordsdesk.services.scan_batches import list_batches

        self.ops.db(list_batches, self._listed, owner=self)

    def _listed(self, rows: list[batches.BatchInfo]) -> None:
        wanted = self.detail.id if self.detail is not None else None
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        found = next((n for n, row in enumerate(rows) if row.id == wanted), 0 if rows else None)
        if found is not None:
            self.table.selectRow(found)
        else:
            self.detail = None
            self._fill()

    def _load_detail(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            return
        batch_id = self.model.rows[row].id
        if self.model.rows[row].state == "processing":  # nothing to review yet
            self.detail = None
            self._fill(waiting=self.model.rows[row].name)
            return
        from recordsdesk.services.scan_review import batch_detail

        self.ops.db(lambda ws: batch_detail(ws, batch_id), self._detailed, owner=self)

    def _detailed(self, detail: review.BatchDetail) -> None:
        if self.detail is None or self.detail.id != detail.id:
            self.sample = []
        self.detail = detail
        self._fill()
        path = detail.batch_file
        self.ops.io(lambda _ws: render_pages(path, THUMB_WIDTH), self._thumbs, owner=self)

    def _fill(self, waiting: str | None = None) -> None:
        self.pages_model.clear()
        detail = self.detail
        if detail is None:
            self.summary.setText(
                _("{name} is being taken apart (split, checked, OCR'd); it can be reviewed "
                  "once that is done.").format(name=waiting)
                if waiting else _("No scanned batches yet.")
            )  # fmt: skip
            self.page.clear()
            self.findings.clear()
            self._update_buttons()
            return
        lines = [_("{name}: {state}; scanned by {who} with profile {profile}.").format(
            name=detail.name, state=_(STATE_TEXT[detail.state]), who=detail.processed_by,
            profile=detail.profile_name)]  # fmt: skip
        lines += [_("Record {number} (pages {pages}): {where}").format(
            number=n, pages=span, where=where) for n, span, where in detail.records]  # fmt: skip
        if detail.decided:
            lines.append(detail.decided)
        if detail.rescan_pages:
            lines.append(_("To be scanned again: pages {pages}. Then choose Replace pages.")
                         .format(pages=", ".join(map(str, detail.rescan_pages))))  # fmt: skip
        if self.sample:
            lines.append(_("Sample to check: pages {pages}").format(
                pages=", ".join(map(str, self.sample))))  # fmt: skip
        self.summary.setText("\n".join(lines))
        for info in detail.pages:
            mark = " ⚠" if info.flags else ""
            mark += " ★" if info.number in self.sample else ""
            mark += " ↻" if info.rescanned else ""
            item = QStandardItem(f"{info.number}{mark}")
            item.setToolTip(info.flags or _("no remarks"))
            item.setEditable(False)
            self.pages_model.appendRow(item)
        flagged = [i for i, info in enumerate(detail.pages) if info.flags]
        first = flagged[0] if flagged else 0
        self.strip.setCurrentIndex(self.pages_model.index(first, 0))
        self._update_buttons()

    def _thumbs(self, images: list[bytes]) -> None:
        for row, data in enumerate(images):
            item = self.pages_model.item(row)
            if item is not None:
                item.setIcon(QIcon(QPixmap.fromImage(QImage.fromData(data))))

    def _show_page(self) -> None:
        detail = self.detail
        row = self.strip.currentIndex().row()
        if detail is None or not 0 <= row < len(detail.pages):
            return
        info = detail.pages[row]
        where = _("Page {number}: {findings}").format(
            number=info.number, findings=info.flags or _("no remarks")
        )
        ocr = _("OCR {confidence}").format(confidence=info.confidence)
        if info.rescanned:
            ocr += ", " + _("re-scanned")
        self.findings.setText(f"{where} ({info.dpi or '-'} dpi, {info.colour}, {ocr})")
        path, number = detail.batch_file, info.number
        self.ops.io(lambda _ws: render_pages(path, PAGE_WIDTH, [number])[0],
                    lambda data: self.page.setPixmap(QPixmap.fromImage(QImage.fromData(data))),
                    owner=self)  # fmt: skip

    # -- deciding ------------------------------------------------------------
    def _update_buttons(self) -> None:
        detail = self.detail
        open_ = detail is not None and detail.state == "needs_review"
        by_sample = open_ and detail is not None and detail.sample_size > 0
        self.sample_button.setVisible(bool(by_sample))
        self.sample_button.setEnabled(bool(by_sample))
        self.approve_button.setEnabled(bool(open_ and (not by_sample or self.sample)))
        waiting = detail is not None and detail.state == "rescan"
        self.reject_button.setEnabled(bool(open_ or waiting))
        self.rescan_button.setEnabled(bool((open_ or waiting) and self._selected_pages()))
        self.replace_button.setVisible(waiting)
        self.replace_button.setEnabled(waiting)

    def _selected_pages(self) -> list[int]:
        """The pages selected in the strip (1-based, in order)."""
        detail = self.detail
        if detail is None:
            return []
        rows = sorted(i.row() for i in self.strip.selectionModel().selectedIndexes())
        return [detail.pages[r].number for r in rows if 0 <= r < len(detail.pages)]

    def _draw_sample(self) -> None:
        detail = self.detail
        if detail is None:
            return
        batch_id = detail.id

        def drawn(pages: list[int]) -> None:
            self.sample = pages
            self._fill()

        from recordsdesk.services.scan_review import sample_pages

        self.ops.db(lambda ws: sample_pages(ws, batch_id), drawn, owner=self)

    def _approve(self) -> None:
        detail = self.detail
        if detail is None:
            return
        note, ok = QInputDialog.getText(self, _("Approve the batch"), _(
            "Approve the quality check of {name}? Its records get the events Digitalisering "
            "and Vervanging, and the paper may be destroyed after the term of the "
            "vervangingsbesluit. A remark (optional):").format(name=detail.name))  # fmt: skip
        if not ok:
            return
        batch_id, sampled = detail.id, list(self.sample)

        from recordsdesk.services.scan_review import approve_batch

        def approve(ws: Workspace) -> review.Approval:
            return approve_batch(ws, batch_id, note=note, sampled=sampled)

        self.ops.db(approve, lambda _approval: self.reload(), owner=self)

    def _reject(self) -> None:
        detail = self.detail
        if detail is None:
            return
        note, ok = QInputDialog.getText(self, _("Reject the batch"), _(
            "Why is {name} rejected (for instance which pages to rescan)?").format(
            name=detail.name))  # fmt: skip
        if not ok:
            return
        batch_id = detail.id
        from recordsdesk.services.scan_review import reject_batch

        self.ops.db(lambda ws: reject_batch(ws, batch_id, note),
                    lambda _none: self.reload(), owner=self)  # fmt: skip

    # -- re-scanning ---------------------------------------------------------
    def _ask_rescan(self) -> None:
        detail, pages = self.detail, self._selected_pages()
        if detail is None or not pages:
            return
        note, ok = QInputDialog.getText(self, _("Ask for a re-scan"), _(
            "Scan pages {pages} of {name} again? The batch cannot be approved until the "
            "re-scan replaces them. What is wrong with them (optional):").format(
            pages=", ".join(map(str, pages)), name=detail.name))  # fmt: skip
        if not ok:
            return
        batch_id = detail.id
        from recordsdesk.services.scan_rescan import request_rescan

        self.ops.db(lambda ws: request_rescan(ws, batch_id, pages, note),
                    lambda _none: self.reload(), owner=self)  # fmt: skip

    def _replace(self) -> None:
        detail = self.detail
        if detail is None or not detail.rescan_pages:
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("The re-scanned pages {pages}").format(
                pages=", ".join(map(str, detail.rescan_pages))),
            "", _("Scans (*.pdf *.tif *.tiff *.jpg *.jpeg *.png)"),
        )  # fmt: skip
        if not chosen:
            return
        batch_id, source = detail.id, Path(chosen)
        tracker = ProgressTracker(self, _("Replacing pages of {name}…").format(name=detail.name))
        from recordsdesk.services.scan_rescan import replace_pages

        def report(done: int, total: int, label: str) -> None:
            tracker.report(done, total, _(label))  # the steps' names are message ids

        def job(ws: Workspace) -> object:
            return replace_pages(ws, batch_id, source, progress=report, cancel=tracker.token)

        def done(_result: object) -> None:
            tracker.finish()
            self.reload()

        def failed(exc: BaseException) -> None:
            tracker.finish()
            if not isinstance(exc, Cancelled):
                show_error(self, exc)

        tracker.start()
        self.ops.db(job, done, failed, owner=self)

    def _edit_profiles(self) -> None:
        from recordsdesk.ui.views.scan_profiles import ScanProfileDialog

        dialog = ScanProfileDialog(self.ops, self)
        dialog.open()
