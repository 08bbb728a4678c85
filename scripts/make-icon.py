"""Draw the RecordsDesk icon: resources/icons/recordsdesk.{png,ico,icns}.

Run with `QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make-icon.py` after a
change to the drawing; the files are committed, so builds need no Qt drawing.
A dossier folder (Rotterdam green) with a record and a check mark: filed, and
verified. Drawn, not copied, so there is no licence question.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
GREEN, DARK, PAPER = QColor("#00811f"), QColor("#005a16"), QColor("#ffffff")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    # the folder's back with its tab
    back = QPainterPath()
    back.setFillRule(Qt.FillRule.WindingFill)
    back.addRoundedRect(QRectF(16, 40, 224, 184), 18, 18)
    back.addRoundedRect(QRectF(16, 24, 96, 48), 14, 14)
    p.fillPath(back.simplified(), DARK)
    # a record sticking out of the folder
    p.setPen(QPen(QColor("#9aa5a0"), 4))
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(52, 36, 152, 120), 8, 8)
    p.setPen(QPen(QColor("#b8c2bd"), 8, c=Qt.PenCapStyle.RoundCap))
    for y in (64, 88, 112):
        p.drawLine(QPointF(76, y), QPointF(180, y))
    # the folder's front
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(GREEN)
    p.drawRoundedRect(QRectF(16, 100, 224, 132), 18, 18)
    # the check mark: verified
    p.setPen(
        QPen(PAPER, 22, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath(QPointF(86, 166))
    check.lineTo(QPointF(116, 196))
    check.lineTo(QPointF(172, 136))
    p.drawPath(check)
    p.end()
    return image


def main() -> None:
    _app = QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "recordsdesk.png"))
    draw(256).save(str(OUT / "recordsdesk.ico"))
    draw(512).save(str(OUT / "recordsdesk.icns"))
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
