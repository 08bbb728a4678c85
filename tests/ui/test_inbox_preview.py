"""One selected inbox item in the details pane: its facts and its content in the preview.

A real drop folder, real intake, real workers: the content comes from the object
store (checked against its hash on the IO pool), exactly as a record's does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, QSettings

from recordsdesk import services
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.inbox import InboxItemInfo
from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.inbox_facts import describe_facts
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.preview import Kind, PreviewData
from tests.ui import samples
from tests.ui.conftest import WAIT_MS, open_window, settle
from tests.ui.test_window import file_and_wait

LETTER = "Brief aan de wijkraad over het groenonderhoud.\n"


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "scanner"
    folder.mkdir()
    return folder


@pytest.fixture
def intake(home: Path, dossier: Created, drop: Path) -> None:
    """A PDF, an image, a text and an empty file, brought in by the intake service."""
    samples.make_pdf(drop / "besluit.pdf", pages=3)
    samples.make_png(drop / "tekening.png")
    samples.make_text(drop / "notitie.txt")
    (drop / "leeg.txt").write_bytes(b"")
    ws = services.open_workspace(home)
    try:
        add_drop_folder(ws, drop)
        runner.process_once(ws, quiet_period=0)
    finally:
        ws.close()


@pytest.fixture
def window(
    qtbot: QtBot,
    ops: Ops,
    ui_settings_file: QSettings,
    home: Path,
    intake: None,
    tmp_path: Path,
) -> Iterator[MainWindow]:
    """The window with the inbox read and one record filed (and selected)."""
    win = open_window(qtbot, ops, ui_settings_file, home)
    settle_inbox(qtbot, win)
    letter = samples.make_text(tmp_path / "brief.txt", LETTER)
    with qtbot.waitSignal(win.details.preview_shown, timeout=WAIT_MS):
        file_and_wait(qtbot, win, [letter])
    settle_inbox(qtbot, win)
    assert win.details.heading.text().startswith("Archiefstuk S-")
    yield win
    win.close()


def settle_inbox(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ops.pending == 0 and not window.inbox.loading, timeout=WAIT_MS)
    settle(qtbot, window)


def item_named(window: MainWindow, name: str) -> InboxItemInfo:
    return next(i for i in window.inbox.model.items() if i.name == name)


def select_item(window: MainWindow, name: str) -> InboxItemInfo:
    item = item_named(window, name)
    window.inbox.select_ids({item.id})
    assert window.inbox.selected_items() == [item]
    return item


def preview_item(qtbot: QtBot, window: MainWindow, name: str) -> PreviewData:
    with qtbot.waitSignal(window.details.preview_shown, timeout=WAIT_MS) as blocker:
        select_item(window, name)
    settle(qtbot, window)
    data = blocker.args[0]
    assert isinstance(data, PreviewData)
    return data


def assert_shows_the_letter(window: MainWindow) -> None:
    details, preview = window.details, window.details.preview
    assert details.inbox_item is None
    assert details.heading.text().startswith("Archiefstuk S-")
    assert details.field_value("File name") == "brief.txt"
    assert preview.currentWidget() is preview.text
    assert preview.text.toPlainText() == LETTER


def test_a_pdf_item_shows_its_pages_and_its_facts(
    qtbot: QtBot, window: MainWindow, drop: Path
) -> None:
    data = preview_item(qtbot, window, "besluit.pdf")
    item = item_named(window, "besluit.pdf")
    details, preview = window.details, window.details.preview
    assert data.kind is Kind.PDF
    workspace = window.ops.workspace
    assert workspace is not None and item.sha256 is not None
    assert data.path == workspace.objects.path_for(item.sha256)
    assert preview.currentWidget() is preview.pdf_view
    assert preview.pdf_document.pageCount() == 3
    assert details.heading.text() == "Inboxitem besluit.pdf"
    assert details.field_value("File name") == "besluit.pdf"
    assert details.field_value("Status") == "gereed"
    assert details.field_value("Type") == "PDF-document (application/pdf)"
    assert details.field_value("SHA-256") == item.sha256
    assert details.field_value("Source") == str(drop / "besluit.pdf")
    assert details.field_value("Reason") is None
    found = details.field_value("Found by intake")
    assert found == describe_facts(item.facts)
    assert found is not None and "Geen PDF/A-claim" in found


def test_image_and_text_items_are_shown(qtbot: QtBot, window: MainWindow) -> None:
    preview = window.details.preview

    assert preview_item(qtbot, window, "tekening.png").kind is Kind.IMAGE
    assert preview.currentWidget() is preview.image_scroll
    pixmap = preview.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() <= 64
    assert window.details.field_value("Type") == "PNG-afbeelding (image/png)"

    assert preview_item(qtbot, window, "notitie.txt").kind is Kind.TEXT
    assert preview.currentWidget() is preview.text
    assert preview.text.toPlainText() == samples.TEXT
    assert window.details.heading.text() == "Inboxitem notitie.txt"


def test_an_item_without_content_says_so(qtbot: QtBot, window: MainWindow, drop: Path) -> None:
    item = select_item(window, "leeg.txt")
    settle(qtbot, window)
    details, preview = window.details, window.details.preview
    assert item.state == "quarantined" and item.sha256 is None
    assert preview.currentWidget() is preview.message
    assert preview.message.text() == "Nog geen inhoud opgeslagen."
    assert preview.pdf_document.pageCount() == 0
    assert details.field_value("Status") == "quarantaine"
    assert details.field_value("SHA-256") == "–"
    assert details.field_value("Reason") == f"Het bestand is leeg: {drop / 'leeg.txt'}"


def test_the_record_is_shown_again_when_the_focus_goes_back_to_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.waitActive(window)
    preview_item(qtbot, window, "besluit.pdf")
    assert window.details.inbox_item is not None

    # the record is still the current row: focus into the list brings it back
    with qtbot.waitSignal(window.details.preview_shown, timeout=WAIT_MS):
        window.record_panel.view.setFocus()
    settle(qtbot, window)
    assert_shows_the_letter(window)
    assert window.details.preview.pdf_document.pageCount() == 0

    # and focus into the inbox shows its selected item again
    with qtbot.waitSignal(window.details.preview_shown, timeout=WAIT_MS):
        window.inbox.view.setFocus()
    settle(qtbot, window)
    assert window.details.heading.text() == "Inboxitem besluit.pdf"
    assert window.details.preview.currentWidget() is window.details.preview.pdf_view


def test_selecting_a_record_or_several_items_shows_the_record(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.record_panel.view.setCurrentIndex(QModelIndex())  # (filing selected the record)
    settle(qtbot, window)
    preview_item(qtbot, window, "notitie.txt")
    assert window.details.heading.text() == "Inboxitem notitie.txt"
    with qtbot.waitSignal(window.details.preview_shown, timeout=WAIT_MS):
        window.record_panel.select_rows([0])
    settle(qtbot, window)
    assert_shows_the_letter(window)

    preview_item(qtbot, window, "tekening.png")
    ids = {item_named(window, n).id for n in ("tekening.png", "notitie.txt")}
    with qtbot.waitSignal(window.details.preview_shown, timeout=WAIT_MS):
        window.inbox.select_ids(ids)
    settle(qtbot, window)
    assert_shows_the_letter(window)


def test_english_texts(qtbot: QtBot, window: MainWindow, drop: Path) -> None:
    select_item(window, "leeg.txt")
    settle(qtbot, window)
    window.set_language("en")
    settle_inbox(qtbot, window)
    details, preview = window.details, window.details.preview
    assert details.heading.text() == "Inbox item leeg.txt"
    assert preview.message.text() == "No content stored yet."
    assert details.field_value("Status") == "quarantined"
    qtbot.waitUntil(
        lambda: details.field_value("Reason") == f"The file is empty: {drop / 'leeg.txt'}",
        timeout=WAIT_MS,
    )
    labels = [
        details.form.itemAt(row, details.form.ItemRole.LabelRole).widget().text()
        for row in range(details.form.rowCount())
    ]
    assert "Source:" in labels and "Reason:" in labels

    window.set_language("nl")
    settle_inbox(qtbot, window)
    assert details.heading.text() == "Inboxitem leeg.txt"
    assert preview.message.text() == "Nog geen inhoud opgeslagen."
