"""Paints a snippet as rich text: the found words in bold and underlined.

The model gives the snippet already escaped (:func:`recordsdesk.ui.models.search.snippet_html`),
so nothing from a document is ever read as markup. Bold and underline, not a colour,
show the found words; the selected row keeps the style's highlighted text colour.

Each snippet's laid-out document is kept (the last :data:`KEPT` of them): every
repaint of the results (a scroll, a tick of the progress beside them) otherwise
parsed each visible snippet's markup again, on the GUI thread.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from recordsdesk.ui.models.search import SNIPPET_HTML_ROLE

Index = QModelIndex | QPersistentModelIndex

#: laid-out snippets kept: a few pages of results
KEPT = 256


class SnippetDelegate(QStyledItemDelegate):
    """Rich text for cells that have :data:`SNIPPET_HTML_ROLE`; the default otherwise."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents: OrderedDict[tuple[str, str], QTextDocument] = OrderedDict()

    def _document(self, option: QStyleOptionViewItem, markup: str) -> QTextDocument:
        """The laid-out document of ``markup`` in the option's font (kept for the next paint)."""
        key = (markup, option.font.key())
        document = self._documents.get(key)
        if document is not None:
            self._documents.move_to_end(key)
            return document
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        document.setHtml(markup)
        document.setTextWidth(-1)
        self._documents[key] = document
        if len(self._documents) > KEPT:
            self._documents.popitem(last=False)
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        markup = index.data(SNIPPET_HTML_ROLE)
        if not markup:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        text_rect = style.subElementRect(
            QStyle.SubElement.SE_ItemViewItemText,
            option,
            option.widget,
        )
        document = self._document(option, markup)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(text_rect.translated(-text_rect.topLeft()))
        vertical = max(0, (text_rect.height() - int(document.size().height())) // 2)
        painter.translate(0, vertical)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        base = super().sizeHint(option, index)
        markup = index.data(SNIPPET_HTML_ROLE)
        if not markup:
            return base
        document = self._document(option, markup)
        return QSize(int(document.idealWidth()), max(base.height(), 0))
