"""Real sample files for the UI tests, made with Qt (no fixtures on disk needed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter

TEXT = "Telefoonnotitie: de aanvrager stuurt de gewijzigde gevel per post.\n"


def make_pdf(path: Path, pages: int = 2) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    for page in range(pages):
        if page:
            writer.newPage()
        painter.drawText(QPointF(100, 200), f"Besluit omgevingsvergunning, pagina {page + 1}")
    painter.end()
    return path


def make_png(path: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    assert image.save(str(path))
    return path


def make_text(path: Path, text: str = TEXT) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def make_all(folder: Path) -> dict[str, Path]:
    """One file of each previewable kind: txt, png and a two-page pdf."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "txt": make_text(folder / "notitie.txt"),
        "png": make_png(folder / "tekening.png"),
        "pdf": make_pdf(folder / "besluit.pdf"),
    }
