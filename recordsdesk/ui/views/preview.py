"""Preview of a stored file: PDF pages, an image, the start of a text, or a message.

The content is checked against its SHA-256 first, on the IO pool
(``services.verified_file`` for a record's bestand, ``ObjectStore.verified_path``
for an inbox item); a damaged or missing object is never shown: the preview says
so instead. Only then is the file read: text (the first :data:`TEXT_LIMIT` bytes)
and images are decoded in the worker; a PDF is opened by QPdfDocument, which
renders pages lazily.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from recordsdesk import services
from recordsdesk.errors import IntegrityError, UserError
from recordsdesk.i18n import N_, _, translate_error
from recordsdesk.services import Workspace

TEXT_LIMIT = 200 * 1024
IMAGE_MAX_SIDE = 2400  # decode large scans at a size a screen can show


class Kind(enum.Enum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"
    NONE = "none"  # a format we do not preview
    DAMAGED = "damaged"  # the stored object fails its checksum or is missing
    UNAVAILABLE = "unavailable"  # not here, and the central archive cannot provide it


@dataclass(frozen=True)
class PreviewData:
    """What the worker found; safe to hand to the GUI thread."""

    kind: Kind
    name: str
    mime: str
    path: Path | None = None
    text: str = ""
    truncated: bool = False
    image: QImage | None = None
    reason: str = ""


def load_preview(ws: Workspace, bestand_id: str) -> PreviewData:
    """Runs on the IO pool: verify the object, then read what the preview needs."""
    try:
        path, mime, name = services.verified_file(ws, bestand_id)
    except IntegrityError as exc:
        return PreviewData(Kind.DAMAGED, "", "", reason=f"{exc.reason} ({exc.sha256[:12]}…)")
    except UserError as exc:  # over the central archive: the content cannot be fetched
        return PreviewData(Kind.UNAVAILABLE, "", "", reason=translate_error(exc))
    return _read(path, mime, name)


def load_object_preview(ws: Workspace, sha256: str, mime: str, name: str) -> PreviewData:
    """Runs on the IO pool: the same for an object known by its hash (an inbox item)."""
    try:
        path = ws.objects.verified_path(sha256)
    except IntegrityError as exc:
        return PreviewData(Kind.DAMAGED, "", "", reason=f"{exc.reason} ({exc.sha256[:12]}…)")
    return _read(path, mime, name)


def _read(path: Path, mime: str, name: str) -> PreviewData:
    if mime == "application/pdf":
        return PreviewData(Kind.PDF, name, mime, path)
    if mime.startswith("image/"):
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and max(size.width(), size.height()) > IMAGE_MAX_SIDE:
            keep = Qt.AspectRatioMode.KeepAspectRatio
            reader.setScaledSize(size.scaled(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, keep))
        image = reader.read()
        if image.isNull():
            return PreviewData(Kind.NONE, name, mime, reason=reader.errorString())
        return PreviewData(Kind.IMAGE, name, mime, path, image=image)
    if mime.startswith("text/"):
        with path.open("rb") as handle:
            head = handle.read(TEXT_LIMIT + 1)
        truncated = len(head) > TEXT_LIMIT
        text = head[:TEXT_LIMIT].decode("utf-8", errors="replace")
        return PreviewData(Kind.TEXT, name, mime, path, text=text, truncated=truncated)
    return PreviewData(Kind.NONE, name, mime)


class _ScaledImage(QLabel):
    """Shows an image scaled to fit (never enlarged beyond its own size)."""

    def __init__(self) -> None:
        super().__init__()
        self._image = QImage()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(50, 50))

    def set_image(self, image: QImage) -> None:
        self._image = image
        self._rescale()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image.isNull():
            self.clear()
            return
        target = self._image.size().boundedTo(self.size())
        scaled = self._image.scaled(
            target, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.setPixmap(QPixmap.fromImage(scaled))


class PreviewPane(QStackedWidget):
    """One page per kind of preview; the message page explains everything else."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMargin(24)
        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setObjectName("pdfView")
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.image = _ScaledImage()
        self.image.setObjectName("imagePreview")
        self.image_scroll = QScrollArea()
        self.image_scroll.setWidget(self.image)
        self.image_scroll.setWidgetResizable(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("textPreview")
        self.text.setReadOnly(True)
        for page in (self.message, self.pdf_view, self.image_scroll, self.text):
            self.addWidget(page)
        self.data: PreviewData | None = None
        self._message_id = N_("Select a record to see its contents.")
        self.retranslate()
        self.show_message(self._message_id)

    def retranslate(self) -> None:
        self.setAccessibleName(_("Preview"))
        self.message.setAccessibleName(_("Preview message"))
        self.pdf_view.setAccessibleName(_("PDF preview"))
        self.image_scroll.setAccessibleName(_("Image preview"))
        self.text.setAccessibleName(_("Text preview"))
        self.text.setAccessibleDescription(_("The document's text, read-only"))
        if self.data is not None and self.currentWidget() is self.message:
            self.show_data(self.data)
        elif self.data is None:
            self.message.setText(_(self._message_id))

    def show_message(self, msgid: str) -> None:
        """Show a message (an untranslated msgid, so a language switch re-translates it)."""
        self.data = None
        self._release()
        self._message_id = msgid
        self.message.setText(_(msgid))
        self.setCurrentWidget(self.message)

    def show_data(self, data: PreviewData) -> None:
        """Show what :func:`load_preview` returned."""
        self._release()
        self.data = data
        if data.kind is Kind.DAMAGED:
            self._say(
                _(
                    "⚠ Not shown: the stored file is damaged or missing; its content no "
                    "longer matches the checksum recorded when it was filed ({reason}). "
                    "Ask your application administrator to restore it from a backup."
                ).format(reason=data.reason)
            )
        elif data.kind is Kind.UNAVAILABLE:
            self._say(_("⚠ Not shown: {reason}").format(reason=data.reason))
        elif data.kind is Kind.PDF and data.path is not None:
            error = self.pdf_document.load(str(data.path))
            if error != QPdfDocument.Error.None_:
                self._say(_("This PDF cannot be shown ({error}).").format(error=error.name))
            else:
                self.setCurrentWidget(self.pdf_view)
        elif data.kind is Kind.IMAGE and data.image is not None:
            self.image.set_image(data.image)
            self.setCurrentWidget(self.image_scroll)
        elif data.kind is Kind.TEXT:
            text = data.text
            if data.truncated:
                text += "\n\n" + _("[Only the first {size} KB are shown.]").format(
                    size=TEXT_LIMIT // 1024
                )
            self.text.setPlainText(text)
            self.setCurrentWidget(self.text)
        else:
            self._say(_("No preview for this type of file ({mime}).").format(mime=data.mime or "?"))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.setCurrentWidget(self.message)

    def _release(self) -> None:
        if self.pdf_document.status() != QPdfDocument.Status.Null:
            self.pdf_document.close()
        self.image.set_image(QImage())
        self.text.clear()
