"""The Woo request window over the central archive: a request registered there, over a
dossier another workstation filed and synchronised, is listed with its documents, and the
redaction window shows a PDF this workstation never had (fetched from the central archive,
verified). A real embedded central archive, a real second workstation, the real window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from recordsdesk import services
from recordsdesk.archive.central.connection import central_engine
from recordsdesk.archive.sync.central_content import open_central_workspace
from recordsdesk.archive.woo import assessments, requests
from recordsdesk.archive.woo.categories import set_woo_category
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.woo import WooRequestView
from recordsdesk.ui.views.woo.redaction import RedactionDialog
from tests.redact.conftest import build_single
from tests.ui.conftest import WAIT_MS, other_station, sync_station
from tests.ui.test_woo_redaction import SECRET, idle
from tests.ui.test_woo_view import NUMMER, settle


def filed_elsewhere(home: Path, tmp_path: Path) -> tuple[str, str]:
    """Another workstation files a PDF into a dossier and synchronises into the window's
    embedded central archive; a request over that dossier is registered centrally.
    Returns (record kenmerk, the PDF's sha256)."""
    with other_station(home, tmp_path) as other:
        dossier = services.create_dossier(other, "Herinrichting Coolsingel").kenmerk
        set_woo_category(other, dossier, "Woo-verzoeken en -besluiten")
        build_single(tmp_path / "aanvraag.pdf", SECRET)
        record = services.file_paths(other, dossier, [tmp_path / "aanvraag.pdf"]).records[0]
        sha = services.record_detail(other, record.id).files[0].sha256
        sync_station(other)
    local = services.open_workspace(home)
    try:
        engine = central_engine(local)
    finally:
        local.close()
    there = open_central_workspace(tmp_path / "registrar", engine)
    try:
        requests.create_request(there, NUMMER, "Coolsingel", there.clock().date())
        requests.add_to_scope(there, NUMMER, [dossier])
        assessments.assess(there, NUMMER, record.kenmerk, "deels_openbaar", "5.1.2e")
    finally:
        there.close()
    return record.kenmerk, sha


def test_the_central_woo_window_redacts_a_document_this_workstation_never_had(
    qtbot: QtBot, home: Path, tmp_path: Path, window: MainWindow
) -> None:
    record, sha = filed_elsewhere(home, tmp_path)
    local = window.ops.workspace
    assert local is not None and not local.objects.exists(sha)
    action = window.central_woo_requests_action
    assert action.shortcut().toString() == "Ctrl+Alt+Shift+V"
    assert action.text() == "Woo-verzoeken in het &centrale archief…"
    shortcuts = [a.shortcut().toString() for a in window.findChildren(type(action))]
    assert shortcuts.count("Ctrl+Alt+Shift+V") == 1
    window.activateWindow()
    keys = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    QTest.keyClick(window, Qt.Key.Key_V, keys)
    qtbot.waitUntil(lambda: bool(window.findChildren(WooRequestView)), timeout=WAIT_MS)
    view = window.findChildren(WooRequestView)[0]
    settle(qtbot, view)
    assert view.central and view.ops is window.sync.central
    assert view.windowTitle() == "Woo-verzoeken in het centrale archief"
    assert view.requests_label.text() == "&Verzoeken in het centrale archief"
    assert view.requests_view.accessibleName() == "Verzoeken in het centrale archief"
    assert [r.nummer for r in view.requests_model.requests] == [NUMMER]
    assert [r.kenmerk for r in view.documents_model.rows] == [record]
    assert window.show_woo_requests(central=True) is view, "a second call raises it"
    settle(qtbot, view)
    local_view = window.show_woo_requests()
    assert local_view is not view and not local_view.central, "this workstation's own"
    settle(qtbot, local_view)
    assert local_view.requests_model.rowCount() == 0
    local_view.close()

    assert view.select_document(record)
    view.actions_["redact"].trigger()
    dialog = view.dialog
    assert isinstance(dialog, RedactionDialog) and dialog.isVisible()
    idle(qtbot, view, dialog)
    assert dialog.pdf.pageCount() == 1
    assert local.objects.exists(sha), "fetched from the central archive, kept here"
    dialog.reject()
    view.close()
