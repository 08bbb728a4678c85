"""One PDF page on which the user draws redaction areas with the mouse.

The page is rendered by QtPdf at :attr:`PageCanvas.zoom` pixels per PDF point, on
QtPdf's rendering thread (a scanned page can take longer than the GUI thread may
block): the page's size is known at once, so areas can be drawn and shown while
the image is on its way; :attr:`PageCanvas.rendered` says when it arrived.
Areas are kept and emitted in PDF points of the page as displayed, origin at the
bottom-left corner (as :class:`recordsdesk.redact.Area` and the Woo redaction
service take them): ``x = px / zoom``, ``y = page height - py / zoom``.

Each area is drawn as a dark, hatched block with its ground code written on it,
so it is told apart by text and pattern, not by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions, QPdfPageRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

#: a drag shorter than this many pixels either way is a click, not an area
MIN_DRAG = 4


@dataclass(frozen=True)
class Shown:
    """An area shown on the page: points, origin bottom-left, with its ground."""

    x0: float
    y0: float
    x1: float
    y1: float
    grond: str


class PageCanvas(QWidget):
    """Signals:
    area_drawn(x0, y0, x1, y1): a rectangle was drawn (points, origin bottom-left).
    """

    area_drawn = Signal(float, float, float, float)
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redactionCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.zoom = 1.25
        self.drawing_enabled = True
        self.document: QPdfDocument | None = None
        self.page = 0  # 0-based
        self.areas: list[Shown] = []
        self._image = QImage()
        self._page_size = QSizeF()
        self._start: QPoint | None = None
        self._end: QPoint | None = None
        self._renderer = QPdfPageRenderer(self)
        self._renderer.setRenderMode(QPdfPageRenderer.RenderMode.MultiThreaded)
        self._renderer.pageRendered.connect(self._arrived)
        self._request: int | None = None  # the render asked for last, until it arrives

    # -- page -------------------------------------------------------------------
    def set_page(self, document: QPdfDocument | None, page: int) -> None:
        """Show page ``page`` (0-based) of ``document`` (``None``: nothing) at the current
        zoom: its size at once, its image when rendered (the same page's previous image,
        scaled, until then; another page's never)."""
        if (document, page) != (self.document, self.page):
            self._image = QImage()
        self.document, self.page = document, page
        self._start = self._end = None
        self._request = None
        size = QSize(200, 200)
        if document is None or not 0 <= page < document.pageCount():
            self._image, self._page_size = QImage(), QSizeF()
        else:
            self._page_size = document.pagePointSize(page)
            size = QSize(
                round(self._page_size.width() * self.zoom),
                round(self._page_size.height() * self.zoom),
            )
            if self._renderer.document() is not document:
                self._renderer.setDocument(document)
            self._request = int(self._renderer.requestPage(page, size))
        self.setFixedSize(size)
        self.update()

    @property
    def rendering(self) -> bool:
        """The page's image has been asked for and has not arrived yet."""
        return self._request is not None

    def _arrived(
        self, page: int, size: QSize, image: QImage, _options: QPdfDocumentRenderOptions,
        request: int,
    ) -> None:  # fmt: skip
        if request != self._request or page != self.page:
            return  # an earlier page or zoom
        self._image, self._request = image, None
        self.setFixedSize(size)
        self.update()
        self.rendered.emit()

    def page_size(self) -> QSizeF:
        """The page's size in points (empty when no page is shown)."""
        return QSizeF(self._page_size)

    def set_areas(self, areas: list[Shown]) -> None:
        self.areas = list(areas)
        self.update()

    # -- geometry ---------------------------------------------------------------
    def to_points(self, pos: QPoint | QPointF) -> tuple[float, float]:
        """Widget pixels -> page points (origin bottom-left), clamped to the page."""
        width, height = self._page_size.width(), self._page_size.height()
        x = min(max(pos.x() / self.zoom, 0.0), width)
        y = min(max(height - pos.y() / self.zoom, 0.0), height)
        return round(x, 2), round(y, 2)

    def to_pixels(self, area: Shown) -> QRectF:
        height = self._page_size.height()
        left, top = area.x0 * self.zoom, (height - area.y1) * self.zoom
        return QRectF(left, top, (area.x1 - area.x0) * self.zoom, (area.y1 - area.y0) * self.zoom)

    # -- mouse ------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._can_draw():
            self._start = self._end = event.position().toPoint()
            self.update()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._start is not None:
            self._end = event.position().toPoint()
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        start, self._start = self._start, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        end = event.position().toPoint()
        self._end = None
        self.update()
        if abs(end.x() - start.x()) < MIN_DRAG or abs(end.y() - start.y()) < MIN_DRAG:
            return
        xa, ya = self.to_points(start)
        xb, yb = self.to_points(end)
        self.area_drawn.emit(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))

    def _can_draw(self) -> bool:
        return self.drawing_enabled and not self._page_size.isEmpty()

    # -- painting ---------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self._image.isNull():
            painter.drawImage(QRectF(self.rect()), self._image)  # scaled while re-rendering
        hatch = QBrush(QColor("#202020"), Qt.BrushStyle.Dense2Pattern)
        for area in self.areas:
            box = self.to_pixels(area)
            painter.fillRect(box, hatch)
            painter.setPen(QPen(QColor("#000000"), 2))
            painter.drawRect(box)
            painter.setPen(QColor("#ffffff"))
            label = box.adjusted(2, 0, -2, 0)
            painter.fillRect(
                QRectF(box.left(), box.top(), min(box.width(), 64.0), min(box.height(), 18.0)),
                QColor("#000000"),
            )
            painter.drawText(label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             area.grond)  # fmt: skip
        if self._start is not None and self._end is not None:
            painter.setPen(QPen(QColor("#000000"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(QBrush(QColor(0, 0, 0, 60)))
            painter.drawRect(QRect(self._start, self._end).normalized())
        if self.hasFocus():
            pen = QPen(self.palette().highlight().color(), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()
