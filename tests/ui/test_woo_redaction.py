"""Redaction and export in the Woo request window: real PDFs (a text layer in Helvetica,
as the redaction tests build them) in a real store; areas drawn with the mouse on the
page preview or typed by keyboard are recorded through the redaction service, and the
package is exported with progress into a folder, the covered words really gone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from recordsdesk import services
from recordsdesk.archive.woo import assessments, requests
from recordsdesk.archive.woo.categories import set_woo_category
from recordsdesk.archive.woo.redactions import list_redactions
from recordsdesk.ui import progress
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.woo import WooRequestView
from recordsdesk.ui.views.woo.redaction import CoordinatesDialog, RedactionDialog
from recordsdesk.ui.views.woo.summary import ExportSummary
from tests.redact.conftest import build_single
from tests.ui.conftest import WAIT_MS
from tests.ui.test_woo_view import NUMMER, make_view, on_worker, settle

SECRET = b"BT /F1 12 Tf 72 700 Td (Aanvrager Pietje Puk woont aan de Coolsingel) Tj ET"
PUBLIC = b"BT /F1 12 Tf 72 700 Td (Raadsvoorstel Coolsingel openbaar) Tj ET"
ZOOM = 1.25  # PageCanvas.zoom: pixels per point


@pytest.fixture
def documents(home: Path, tmp_path: Path) -> dict[str, str]:
    """A request over a dossier (Woo category set) with two PDFs and a note; their
    kenmerken by name: aanvraag (a name to black out), raadsvoorstel, notitie."""
    folder = tmp_path / "files"
    folder.mkdir()
    build_single(folder / "aanvraag.pdf", SECRET)
    build_single(folder / "raadsvoorstel.pdf", PUBLIC)
    (folder / "notitie.txt").write_text("Interne notitie\n", encoding="utf-8")
    ws = services.open_workspace(home)
    try:
        dossier = services.create_dossier(ws, "Herinrichting Coolsingel").kenmerk
        set_woo_category(ws, dossier, "Woo-verzoeken en -besluiten")
        names = ("aanvraag.pdf", "raadsvoorstel.pdf", "notitie.txt")
        made = services.file_paths(ws, dossier, [folder / n for n in names]).records
        requests.create_request(ws, NUMMER, "Herinrichting Coolsingel", ws.clock().date())
        requests.add_to_scope(ws, NUMMER, [dossier])
        assessments.assess(ws, NUMMER, made[0].kenmerk, "deels_openbaar", "5.1.2e; 5.1.1c")
        return {n.split(".")[0]: r.kenmerk for n, r in zip(names, made, strict=True)}
    finally:
        ws.close()


@pytest.fixture
def view(qtbot: QtBot, ops: Ops, home: Path, documents: dict[str, str]) -> Iterator[WooRequestView]:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    widget = make_view(qtbot, ops)
    settle(qtbot, widget)
    yield widget
    widget.close()


def open_editor(qtbot: QtBot, view: WooRequestView, kenmerk: str) -> RedactionDialog:
    assert view.select_document(kenmerk)
    assert view.actions_["redact"].isEnabled()
    view.actions_["redact"].trigger()
    dialog = view.dialog
    assert isinstance(dialog, RedactionDialog) and dialog.isVisible()
    idle(qtbot, view, dialog)
    return dialog


def dark_pixels(canvas: QWidget, x0: int, x1: int, y0: int, y1: int) -> int:
    """Dark pixels of the canvas as shown, in a box (every other pixel)."""
    shown = canvas.grab().toImage()
    return sum(
        1
        for x in range(x0, x1, 2)
        for y in range(y0, y1, 2)
        if shown.pixelColor(x, y).lightness() < 128
    )


def idle(qtbot: QtBot, view: WooRequestView, dialog: RedactionDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and view.ops.pending == 0, timeout=WAIT_MS)


def stored(qtbot: QtBot, view: WooRequestView, kenmerk: str) -> list[tuple[object, ...]]:
    found = on_worker(qtbot, view.ops, lambda ws: list_redactions(ws, NUMMER, kenmerk))
    return [(r.page, r.x0, r.y0, r.x1, r.y1, r.grond) for r in found]


def error_text() -> str:
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "userErrorBox" and w.isVisible()
    ]
    assert boxes, "the refusal is shown"
    text = boxes[-1].text()
    boxes[-1].close()
    return text


def test_drawing_on_the_page_records_an_area_with_the_chosen_ground(
    qtbot: QtBot, view: WooRequestView, documents: dict[str, str]
) -> None:
    dialog = open_editor(qtbot, view, documents["aanvraag"])
    assert dialog.pdf.pageCount() == 1
    canvas = dialog.canvas
    assert canvas.zoom == ZOOM and canvas.width() == round(595 * ZOOM)
    qtbot.waitUntil(lambda: not canvas.rendering, timeout=WAIT_MS)  # off the GUI thread
    assert dark_pixels(canvas, 90, 500, 158, 186) > 50, "the page's words are on the canvas"
    assert dark_pixels(canvas, 90, 500, 300, 330) == 0, "and nothing where the page is blank"
    first = {dialog.grond.itemData(0), dialog.grond.itemData(1)}
    assert first == {"5.1.1c", "5.1.2e"}, "the assessment's grounds come first"
    dialog.grond.setCurrentIndex(dialog.grond.findData("5.1.1c"))
    # the words at y 697-709 points, x 72-400: from (60, 715.6) to (420, 690) in points
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(75, 158))
    QTest.mouseMove(canvas, QPoint(300, 175))
    QTest.mouseMove(canvas, QPoint(525, 190))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(525, 190))
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    idle(qtbot, view, dialog)
    assert stored(qtbot, view, documents["aanvraag"]) == [(1, 60.0, 690.0, 420.0, 715.6, "5.1.1c")]
    assert dialog.list.item(0).text() == "Pagina 1: 5.1.1c, (60, 690) tot (420, 716)"
    assert [a.grond for a in canvas.areas] == ["5.1.1c"]
    assert dialog.status.text() == "Gebied vastgelegd op pagina 1 met grond 5.1.1c."
    # zoomed in by keyboard, the area stays where it was on the page
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    QTest.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom == pytest.approx(ZOOM * 1.25) and canvas.width() > round(595 * ZOOM)
    assert canvas.rendering, "the zoomed page is rendered in the background, not here"
    with qtbot.waitSignal(canvas.rendered, timeout=WAIT_MS):
        pass
    box = canvas.to_pixels(canvas.areas[0])
    assert box.left() == pytest.approx(60 * canvas.zoom)
    assert box.top() == pytest.approx((842 - 715.6) * canvas.zoom)
    dialog.zoom_buttons[0].click()
    assert canvas.zoom == pytest.approx(ZOOM)
    # a click is not an area
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    idle(qtbot, view, dialog)
    assert dialog.list.count() == 1


def test_an_area_by_keyboard_and_removed_with_delete(
    qtbot: QtBot, view: WooRequestView, documents: dict[str, str]
) -> None:
    kenmerk = documents["aanvraag"]
    dialog = open_editor(qtbot, view, kenmerk)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    QTest.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    typed = dialog.findChild(CoordinatesDialog)
    assert typed is not None and typed.isVisible()
    for box, value in zip(typed.corners, (70.0, 695.0, 400.0, 712.0), strict=True):
        box.setValue(value)
    typed.grond.setCurrentIndex(typed.grond.findData("5.1.2e"))
    typed.accept()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    idle(qtbot, view, dialog)
    assert stored(qtbot, view, kenmerk) == [(1, 70.0, 695.0, 400.0, 712.0, "5.1.2e")]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    dialog.list.setFocus()
    dialog.list.setCurrentRow(0)
    QTest.keyClick(dialog.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=WAIT_MS)
    idle(qtbot, view, dialog)
    assert stored(qtbot, view, kenmerk) == []
    assert dialog.status.text() == "Gebied verwijderd."
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_refused_area_is_shown_and_nothing_is_recorded(
    qtbot: QtBot, view: WooRequestView, documents: dict[str, str]
) -> None:
    dialog = open_editor(qtbot, view, documents["aanvraag"])
    dialog.add_area(1, 10.0, 10.0, 900.0, 40.0, "5.1.2e")  # off the page
    qtbot.waitUntil(lambda: not dialog.busy and view.ops.pending == 0, timeout=WAIT_MS)
    assert "pagina" in error_text().lower()
    dialog.add_area(1, 60.0, 690.0, 420.0, 715.0, "5.2")  # not a ground of the assessment
    idle(qtbot, view, dialog)
    assert "5.2" in error_text()
    assert stored(qtbot, view, documents["aanvraag"]) == [] and dialog.list.count() == 0


def test_a_document_without_a_pdf_says_so(
    qtbot: QtBot, view: WooRequestView, documents: dict[str, str]
) -> None:
    dialog = open_editor(qtbot, view, documents["notitie"])
    assert "heeft geen pdf" in error_text()
    assert not dialog.add_button.isEnabled()
    dialog.close()


def page_text(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        textpage = page.get_textpage()
        text = str(textpage.get_text_range())
        textpage.close()
        page.close()
        return text
    finally:
        document.close()


def judge_all(qtbot: QtBot, view: WooRequestView, documents: dict[str, str]) -> None:
    def job(ws: services.Workspace) -> None:
        assessments.assess(ws, NUMMER, documents["raadsvoorstel"], "openbaar")
        assessments.assess(ws, NUMMER, documents["notitie"], "niet_openbaar", "5.1.2i")

    on_worker(qtbot, view.ops, job)
    dialog = open_editor(qtbot, view, documents["aanvraag"])
    dialog.add_area(1, 60.0, 690.0, 420.0, 715.0, "5.1.2e")
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    idle(qtbot, view, dialog)
    dialog.close()
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()


def test_export_runs_with_progress_and_shows_the_summary(
    qtbot: QtBot,
    view: WooRequestView,
    documents: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(progress, "SHOW_AFTER_MS", 0)  # show the dialog at once
    judge_all(qtbot, view, documents)
    assert view.actions_["export"].isEnabled()
    chooser = view.export()
    assert chooser is not None and chooser.isVisible()
    chooser.close()
    target = tmp_path / "pakket"
    target.mkdir()
    (target / "iets anders.txt").write_text("al bezet", encoding="utf-8")
    shown: list[object] = []
    view.export_to(target)
    assert view.tracker is not None
    view.tracker.shown.connect(lambda: shown.append(1))
    qtbot.waitUntil(lambda: view.summary is not None, timeout=WAIT_MS)
    assert shown, "the progress dialog was shown"
    summary = view.summary
    assert isinstance(summary, ExportSummary) and summary.isVisible()
    out = target / f"Woo-pakket {NUMMER}"  # the chosen folder was not empty
    assert str(out) in summary.intro.text()
    text = summary.details.toPlainText()
    assert "Documenten binnen de reikwijdte: 3" in text
    assert "Gepubliceerd: 2" in text and "Geweigerd (niet openbaar): 1" in text
    assert "inventarislijst.csv" in text
    assert view.status.text() == f"Woo-pakket van {NUMMER} geschreven naar {out}."
    published = sorted((out / "documenten").iterdir())
    assert len(published) == 2
    redacted = next(p for p in published if documents["aanvraag"] in p.name)
    public = next(p for p in published if documents["raadsvoorstel"] in p.name)
    assert "Raadsvoorstel" in page_text(public), "the text of a published PDF is read"
    assert "Pietje" not in page_text(redacted), "the covered words are gone from the content"
    QTest.keyClick(summary, Qt.Key.Key_Return)
    assert not summary.isVisible()


def test_a_cancelled_export_leaves_nothing(
    qtbot: QtBot, view: WooRequestView, documents: dict[str, str], tmp_path: Path
) -> None:
    judge_all(qtbot, view, documents)
    out = tmp_path / "leeg"
    view.export_to(out)
    assert view.tracker is not None
    view.tracker.token.cancel()
    qtbot.waitUntil(lambda: not view.loading and view.ops.pending == 0, timeout=WAIT_MS)
    assert view.summary is None
    assert not out.exists() and list(tmp_path.glob(".leeg*")) == []
    assert view.status.text() == f"De export van {NUMMER} is niet afgerond."
