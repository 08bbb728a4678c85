"""The preview: PDF pages, images, text, and a refusal for damaged content."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex

from recordsdesk import services
from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.preview import Kind, PreviewData
from tests.ui import samples
from tests.ui.conftest import WAIT_MS, settle
from tests.ui.test_window import file_and_wait


def select_and_preview(qtbot: QtBot, window: MainWindow, row: int) -> PreviewData:
    window.record_panel.view.setCurrentIndex(QModelIndex())  # (filing selected the new ones)
    settle(qtbot, window)
    with qtbot.waitSignal(window.details.preview_shown, timeout=WAIT_MS) as blocker:
        window.record_panel.select_rows([row])
    settle(qtbot, window)
    data = blocker.args[0]
    assert isinstance(data, PreviewData)
    return data


def test_pdf_preview_shows_the_document_with_its_pages(
    qtbot: QtBot, dossier: Created, window: MainWindow, tmp_path: Path
) -> None:
    pdf = samples.make_pdf(tmp_path / "drie.pdf", pages=3)
    txt = samples.make_text(tmp_path / "eerst.txt")
    file_and_wait(qtbot, window, [txt, pdf])

    data = select_and_preview(qtbot, window, 1)
    preview = window.details.preview
    assert data.kind is Kind.PDF
    assert preview.currentWidget() is preview.pdf_view
    assert preview.pdf_view.document() is preview.pdf_document
    assert preview.pdf_document.pageCount() == 3
    assert window.details.heading.text().startswith("Archiefstuk S-")
    assert window.details.field_value("File name") == "drie.pdf"
    assert window.details.field_value("Type") == "PDF-document (application/pdf)"


def test_image_and_text_previews(
    qtbot: QtBot, dossier: Created, window: MainWindow, files: dict[str, Path]
) -> None:
    file_and_wait(qtbot, window, [files["png"], files["txt"]])
    preview = window.details.preview

    assert select_and_preview(qtbot, window, 0).kind is Kind.IMAGE
    assert preview.currentWidget() is preview.image_scroll
    pixmap = preview.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() <= 64

    assert select_and_preview(qtbot, window, 1).kind is Kind.TEXT
    assert preview.currentWidget() is preview.text
    assert preview.text.toPlainText() == samples.TEXT


def test_a_format_without_preview_says_so(
    qtbot: QtBot, dossier: Created, window: MainWindow, tmp_path: Path
) -> None:
    blob = tmp_path / "gegevens.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    file_and_wait(qtbot, window, [blob])
    assert select_and_preview(qtbot, window, 0).kind is Kind.NONE
    preview = window.details.preview
    assert preview.currentWidget() is preview.message
    assert "Geen voorbeeld" in preview.message.text()


def test_a_damaged_object_is_refused_with_a_visible_message(
    qtbot: QtBot, dossier: Created, window: MainWindow, home: Path, files: dict[str, Path]
) -> None:
    result = file_and_wait(qtbot, window, [files["txt"]])
    ws = services.open_workspace(home)
    try:
        detail = services.record_detail(ws, result.records[0].id)
        stored = ws.objects.path_for(detail.files[0].sha256)
    finally:
        ws.close()
    os.chmod(stored, 0o644)  # objects are read-only; damage it the way a disk would
    content = bytearray(stored.read_bytes())
    content[5] ^= 0x01
    stored.write_bytes(bytes(content))

    data = select_and_preview(qtbot, window, 0)
    preview = window.details.preview
    assert data.kind is Kind.DAMAGED
    assert data.path is None and not data.text
    assert preview.currentWidget() is preview.message
    assert preview.message.isVisible()
    message = preview.message.text()
    assert message.startswith("⚠ Niet getoond")
    assert "beschadigd" in message and "checksum mismatch" in message
    assert preview.text.toPlainText() == ""


def test_a_missing_object_is_refused_too(
    qtbot: QtBot, dossier: Created, window: MainWindow, home: Path, files: dict[str, Path]
) -> None:
    result = file_and_wait(qtbot, window, [files["pdf"]])
    ws = services.open_workspace(home)
    try:
        detail = services.record_detail(ws, result.records[0].id)
        ws.objects.path_for(detail.files[0].sha256).unlink()
    finally:
        ws.close()
    data = select_and_preview(qtbot, window, 0)
    assert data.kind is Kind.DAMAGED
    assert "missing" in window.details.preview.message.text()
    assert window.details.preview.pdf_document.pageCount() == 0
