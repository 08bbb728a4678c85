"""The Woo request window: a real store with a dossier of real files (a two-page PDF, a
PNG, a note), the real database worker; requests, scope and assessments through the
window's actions and dialogs as a user takes them, by mouse and by keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid

from recordsdesk import services
from recordsdesk.archive.woo import assessments, requests
from recordsdesk.services import Workspace
from recordsdesk.services.roles import grant
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.woo import WooRequestView
from recordsdesk.ui.views.woo.dialogs import (
    AssessDialog,
    CloseDialog,
    NewRequestDialog,
    ScopeDialog,
)
from tests.ui import samples
from tests.ui.conftest import WAIT_MS

T = TypeVar("T")
NUMMER = "WOO-2026-017"


@pytest.fixture
def dossier(home: Path, tmp_path: Path) -> str:
    """A dossier with three records: besluit.pdf (two pages), a PNG and a note."""
    made = samples.make_all(tmp_path / "files")
    ws = services.open_workspace(home)
    try:
        kenmerk = services.create_dossier(ws, "Sloopmelding Coolsingel 40").kenmerk
        services.file_paths(ws, kenmerk, [made["pdf"], made["png"], made["txt"]])
        return kenmerk
    finally:
        ws.close()


@pytest.fixture
def in_scope(home: Path, dossier: str) -> str:
    """A request with the dossier in its scope, registered through the services."""
    ws = services.open_workspace(home)
    try:
        requests.create_request(ws, NUMMER, "Sloop Coolsingel", ws.clock().date())
        requests.add_to_scope(ws, NUMMER, [dossier])
        return dossier
    finally:
        ws.close()


@pytest.fixture
def open_ops(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


def make_view(qtbot: QtBot, ops: Ops) -> WooRequestView:
    widget = WooRequestView(ops)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.updated, timeout=WAIT_MS):
        widget.reload()
    return widget


@pytest.fixture
def view(qtbot: QtBot, open_ops: Ops) -> Iterator[WooRequestView]:
    widget = make_view(qtbot, open_ops)
    yield widget
    widget.close()


def on_worker(qtbot: QtBot, ops: Ops, job: Callable[[Workspace], T]) -> T:
    """Run a service call on the database worker (to look at what the window did)."""
    results: list[Any] = []
    ops.db(job, results.append, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    if isinstance(results[0], BaseException):
        raise results[0]
    value: T = results[0]
    return value


def settle(qtbot: QtBot, view: WooRequestView) -> None:
    qtbot.waitUntil(lambda: not view.loading and view.ops.pending == 0, timeout=WAIT_MS)


def column(view: WooRequestView, number: int) -> list[str]:
    model = view.documents_model
    return [model.index(row, number).data() for row in range(model.rowCount())]


def pdf_row(view: WooRequestView) -> str:
    """The kenmerk of the PDF record (kenmerken are not in filing order)."""
    return next(r.kenmerk for r in view.documents_model.rows if "besluit" in r.naam.lower())


def gone(widget: QWidget) -> bool:
    """Closed (and perhaps deleted already: the dialogs delete themselves on close)."""
    return not isValid(widget) or not widget.isVisible()


def error_box() -> QMessageBox:
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "userErrorBox" and w.isVisible()
    ]
    assert boxes, "the refusal is shown"
    return boxes[-1]


def test_register_a_request_and_add_a_dossier_to_scope(
    qtbot: QtBot, view: WooRequestView, dossier: str
) -> None:
    assert view.requests_model.rowCount() == 0
    assert view.enabled_actions() == {"new", "reload"}
    view.actions_["new"].trigger()
    dialog = view.dialog
    assert isinstance(dialog, NewRequestDialog) and dialog.isVisible()
    dialog.nummer.setText(NUMMER)
    dialog.onderwerp.setText("Alle stukken over de sloop aan de Coolsingel")
    dialog.ontvangen.setDate(QDate(2026, 11, 2))
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.accept()
    settle(qtbot, view)
    assert view.current is not None and view.current.nummer == NUMMER
    assert view.fields["uiterlijk"][1].text() == "30-11-2026"  # four weeks (Woo art. 4.4)
    assert view.fields["status"][1].text() == "Open"
    assert view.status.text() == f"Woo-verzoek {NUMMER} geregistreerd."

    view.suggestion = dossier
    view.actions_["add"].trigger()
    scope_dialog = view.dialog
    assert isinstance(scope_dialog, ScopeDialog)
    assert scope_dialog.kenmerken.text() == dossier, "the main window's dossier is offered"
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        scope_dialog.accept()
    settle(qtbot, view)
    assert [i.kenmerk for i in view.scope_model.items] == [dossier]
    assert view.scope_model.index(0, 2).data() == "Dossier"
    assert view.documents_model.total == 3 and view.documents_model.rowCount() == 3
    assert set(column(view, 0)) == {dossier}
    assert set(column(view, 3)) == {"Niet beoordeeld"}
    assert view.fields["documents"][1].text() == "3"
    assert view.documents_summary.text() == "3 van 3 documenten getoond"
    shown = on_worker(qtbot, view.ops, lambda ws: requests.show_request(ws, NUMMER))
    assert shown.scope[0].hold_id is not None, "the dossier is under a legal hold now"


def test_a_refused_scope_names_the_problem_and_adds_nothing(
    qtbot: QtBot, view: WooRequestView, in_scope: str
) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    view.actions_["add"].trigger()
    dialog = view.dialog
    assert isinstance(dialog, ScopeDialog)
    dialog.kenmerken.setText("D-BESTAATNIET")
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.accept()
    box = error_box()
    assert box.text().startswith(f"Er is niets aan de reikwijdte van {NUMMER} toegevoegd")
    assert "D-BESTAATNIET" in box.informativeText(), "every problem is named"
    box.close()
    assert [i.kenmerk for i in view.scope_model.items] == [in_scope]


def assess_pdf(qtbot: QtBot, view: WooRequestView) -> AssessDialog:
    settle(qtbot, view)
    assert view.select_document(pdf_row(view))
    dialog = view.assess()
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_assess_a_document_with_grounds(qtbot: QtBot, view: WooRequestView, in_scope: str) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    kenmerk = pdf_row(view)
    dialog = assess_pdf(qtbot, view)
    assert dialog.choice() == "openbaar"
    assert dialog.gronden.count() >= 17
    assert dialog.gronden.item(0).text().startswith("5.1.1a")
    dialog.set_choice("deels_openbaar")
    dialog.set_gronden({"5.1.2e", "5.1.1c"})
    dialog.toelichting.setPlainText("Namen en telefoonnummers van omwonenden.")
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.ok_button.click()
    settle(qtbot, view)
    assert gone(dialog)
    row = view.documents_model.row_of(kenmerk)
    assert row is not None
    model = view.documents_model
    assert model.index(row, 3).data() == "Deels openbaar"
    assert model.index(row, 4).data() == "5.1.1c; 5.1.2e"  # in the order of the law
    assert model.index(row, 5).data() == "Namen en telefoonnummers van omwonenden."
    assert view.current_document() is not None and view.current_document().kenmerk == kenmerk  # type: ignore[union-attr]
    assert view.fields["counts"][1].text() == "1 deels openbaar; 2 niet beoordeeld"
    stored = on_worker(qtbot, view.ops, lambda ws: assessments.assessments(ws, NUMMER))
    assert [(a.kenmerk, a.beoordeling, a.gronden) for a in stored] == [
        (kenmerk, "deels_openbaar", "5.1.1c; 5.1.2e")
    ]
    again = view.assess()
    assert again is not None and again.choice() == "deels_openbaar"
    assert set(again.chosen_gronden()) == {"5.1.1c", "5.1.2e"}, "the editor shows the judgement"
    again.reject()


def test_public_with_grounds_is_refused_and_changes_nothing(
    qtbot: QtBot, view: WooRequestView, in_scope: str
) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    dialog = assess_pdf(qtbot, view)
    dialog.set_choice("openbaar")
    dialog.set_gronden({"5.1.2e"})
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.ok_button.click()
    box = error_box()
    assert "weigeringsgronden" in box.text() and "openbaar" in box.text(), box.text()
    assert "withholds" not in box.text(), "Dutch, the user's language"
    box.close()
    assert dialog.isVisible(), "the editor stays open with what was typed"
    assert dialog.chosen_gronden() == ["5.1.2e"] and dialog.ok_button.isEnabled()
    assert set(column(view, 3)) == {"Niet beoordeeld"}
    assert on_worker(qtbot, view.ops, lambda ws: assessments.assessments(ws, NUMMER)) == []
    assert view.status.text() == "Niet gedaan; er is niets veranderd."
    dialog.reject()


def test_assess_by_keyboard_only(qtbot: QtBot, view: WooRequestView, in_scope: str) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    kenmerk = pdf_row(view)
    view.activateWindow()
    view.documents_view.setFocus()
    view.select_document(kenmerk)
    QTest.keyClick(view.documents_view, Qt.Key.Key_Return)
    dialog = view.dialog
    assert isinstance(dialog, AssessDialog) and dialog.isVisible(), "Enter assesses"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    dialog.beoordeling.setFocus()
    QTest.keyClick(dialog.beoordeling, Qt.Key.Key_Down)
    QTest.keyClick(dialog.beoordeling, Qt.Key.Key_Down)
    assert dialog.choice() == "niet_openbaar"
    QTest.keyClick(dialog.beoordeling, Qt.Key.Key_Tab)
    assert dialog.gronden.hasFocus()
    QTest.keyClick(dialog.gronden, Qt.Key.Key_Down)  # 5.1.1b
    QTest.keyClick(dialog.gronden, Qt.Key.Key_Space)
    QTest.keyClick(dialog.gronden, Qt.Key.Key_Tab)
    assert dialog.toelichting.hasFocus()
    QTest.keyClicks(dialog.toelichting, "Staatsveiligheid")
    QTest.keyClick(dialog.toelichting, Qt.Key.Key_Tab)
    assert dialog.link.hasFocus()
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        QTest.keyClick(dialog.link, Qt.Key.Key_Return)
    settle(qtbot, view)
    stored = on_worker(qtbot, view.ops, lambda ws: assessments.assessments(ws, NUMMER))
    assert [(a.kenmerk, a.beoordeling, a.gronden, a.toelichting) for a in stored] == [
        (kenmerk, "niet_openbaar", "5.1.1b", "Staatsveiligheid")
    ]
    assert gone(dialog)
    # Escape closes an editor without saving
    QTest.keyClick(view.documents_view, Qt.Key.Key_Return)
    second = view.dialog
    assert isinstance(second, AssessDialog) and second.isVisible()
    QTest.keyClick(second, Qt.Key.Key_Escape)
    assert gone(second)


def test_documents_are_read_a_page_at_a_time(
    qtbot: QtBot, open_ops: Ops, home: Path, in_scope: str
) -> None:
    ws = services.open_workspace(home)
    try:
        last = sorted(d.kenmerk for d in requests.documents_in_scope(ws, NUMMER))[-1]
        assessments.assess(ws, NUMMER, last, "niet_openbaar", "5.1.2e")
    finally:
        ws.close()
    widget = WooRequestView(open_ops)
    qtbot.addWidget(widget)
    widget.documents_model.page = 2
    widget.documents_view.setFixedHeight(60)  # no room: the view asks for no more itself
    widget.show()
    with qtbot.waitSignal(widget.updated, timeout=WAIT_MS):
        widget.reload()
    model = widget.documents_model
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    assert model.total == 3
    if model.rowCount() == 2:
        assert model.canFetchMore()
        model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 3 and not model.loading, timeout=WAIT_MS)
    assert not model.canFetchMore()
    assert [r.kenmerk for r in model.rows] == sorted(r.kenmerk for r in model.rows)
    row = model.row_of(last)
    assert row == 2 and model.index(row, 3).data() == "Niet openbaar"
    assert column(widget, 3)[:2] == ["Niet beoordeeld"] * 2
    # assessing keeps the rows read so far and the place in the table (a long request)
    widget.select_document(last)
    dialog = widget.assess()
    assert dialog is not None
    dialog.set_choice("openbaar")
    dialog.set_gronden(set())
    with qtbot.waitSignal(widget.updated, timeout=WAIT_MS):
        dialog.ok_button.click()
    settle(qtbot, widget)
    assert model.rowCount() == 3 and widget.documents_view.currentIndex().row() == 2
    assert model.index(2, 3).data() == "Openbaar"
    assert widget.fields["counts"][1].text() == "1 openbaar; 2 niet beoordeeld"
    widget.close()


def test_close_the_request_with_its_decision(
    qtbot: QtBot, view: WooRequestView, in_scope: str, home: Path
) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    kenmerken = [r.kenmerk for r in view.documents_model.rows]

    def judge(ws: Workspace) -> None:
        grant(ws, ws.actor, "records_manager")  # closing lifts holds: a records manager's
        for kenmerk in kenmerken:
            assessments.assess(ws, NUMMER, kenmerk, "openbaar")

    on_worker(qtbot, view.ops, judge)
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    view.actions_["close"].trigger()
    dialog = view.dialog
    assert isinstance(dialog, CloseDialog)
    assert dialog.besluit.currentData() == "openbaarmaking"
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.accept()
    settle(qtbot, view)
    assert view.fields["status"][1].text() == "Gesloten"
    assert view.fields["besluit"][1].text() == "Openbaarmaking"
    assert view.enabled_actions() & {"add", "assess", "redact", "close"} == set()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, view: WooRequestView, in_scope: str
) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()

    def named(widget: QWidget) -> list[QWidget]:
        return [
            w
            for w in [widget, *widget.findChildren(QWidget)]
            if w.objectName() and not w.objectName().startswith("qt_")
        ]

    controls = named(view)
    assert len(controls) >= 30
    for widget in controls:
        assert widget.accessibleName(), widget.objectName()
    for action in ("new", "add", "assess"):
        view.actions_[action].trigger()
        dialog = view.dialog
        assert dialog is not None
        for widget in named(dialog):
            assert widget.accessibleName(), (action, widget.objectName())
        dialog.close()
    redaction = view.redact()
    assert redaction is not None
    qtbot.waitUntil(lambda: not redaction.busy and view.ops.pending == 0, timeout=WAIT_MS)
    for widget in named(redaction):
        assert widget.accessibleName(), ("redact", widget.objectName())
    redaction.close()


def test_the_english_texts(qtbot: QtBot, view: WooRequestView, in_scope: str) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    ui_settings.apply_language("en")
    view.retranslate()
    assert view.windowTitle() == "Woo requests"
    assert view.documents_model.headerData(3, Qt.Orientation.Horizontal) == "Assessment"
    assert set(column(view, 3)) == {"Not assessed"}
    assert view.buttons["assess"].accessibleName() == "Assess"
    assert view.fields["status"][1].text() == "Open"
    assert view.fields["counts"][1].text() == "none; 3 not assessed"
    dialog = assess_pdf(qtbot, view)
    assert dialog.beoordeling.itemText(1) == "Partly public"
    dialog.reject()


def test_menu_and_shortcut_open_the_view(qtbot: QtBot, window: MainWindow) -> None:
    action = window.woo_requests_action
    assert action.shortcut().toString() == "Ctrl+Shift+V"
    shortcuts = [a.shortcut().toString() for a in window.findChildren(type(action))]
    assert shortcuts.count("Ctrl+Shift+V") == 1
    assert action.text() == "&Woo-verzoeken…"
    window.activateWindow()
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_V, both)
    qtbot.waitUntil(lambda: bool(window.findChildren(WooRequestView)), timeout=WAIT_MS)
    view = window.findChildren(WooRequestView)[0]
    settle(qtbot, view)
    assert view.isVisible() and not view.isModal()
    assert view.windowTitle() == "Woo-verzoeken"
    assert window.show_woo_requests() is view, "a second call raises the open one"
    settle(qtbot, view)
    view.close()
