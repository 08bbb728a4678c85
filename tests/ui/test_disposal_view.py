"""The destruction and transfer list window: real dossiers filed, classified and closed
through the services, three people with their roles, the real database worker; every
step through the window's actions and dialogs, as a user would take it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from recordsdesk import services
from recordsdesk.services import Workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.organisation import set_setting
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.retention import DisposalListsView
from recordsdesk.ui.views.retention.list_parts import AskDialog, ExclusionsDialog, NewListDialog
from recordsdesk.ui.views.retention.lists import ALL, RUNNING
from tests.retention.disposal_support import (
    ARCHIVIST,
    AUTHOR,
    NOW,
    REVIEWER,
    approve_whole,
    closed_dossier,
    people,
)
from tests.ui.conftest import WAIT_MS

T = TypeVar("T")
ON = dt.date(2026, 11, 28)


@pytest.fixture
def sample(home: Path, tmp_path: Path) -> list[str]:
    """Four closed dossiers (1.5: V), due since 2025-02-28; anna, piet and ria."""
    folder = tmp_path / "files"
    folder.mkdir()
    ws = services.open_workspace(home)
    try:
        people(ws)
        titles = ("Bezwaar Kralingen", "Aanbesteding wagenpark", "Subsidie buurthuis", "Koningsdag")
        return sorted(closed_dossier(ws, folder, title) for title in titles)
    finally:
        ws.close()


@pytest.fixture
def open_ops(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    ws = ops.workspace
    assert ws is not None
    ws.clock = lambda: NOW
    ws.actor = AUTHOR
    return ops


@pytest.fixture
def view(qtbot: QtBot, sample: list[str], open_ops: Ops) -> Iterator[DisposalListsView]:
    widget = DisposalListsView(open_ops)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.updated, timeout=WAIT_MS):
        widget.reload()
    yield widget
    widget.close()


def acting(view: DisposalListsView, user: str) -> None:
    ws = view.ops.workspace
    assert ws is not None
    ws.actor = user  # the worker is idle between steps: safe to switch


def on_worker(qtbot: QtBot, ops: Ops, job: Callable[[Workspace], T]) -> T:
    """Run a service call on the database worker (as someone else's change would)."""
    results: list[Any] = []
    ops.db(job, results.append, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    if isinstance(results[0], BaseException):
        raise results[0]
    value: T = results[0]
    return value


def ask(view: DisposalListsView, action: str) -> QDialog:
    view.actions_[action].trigger()
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible(), f"{action} asks first"
    return dialog


def answer(qtbot: QtBot, view: DisposalListsView, dialog: QDialog) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.accept()
    assert not view.loading


def step(qtbot: QtBot, view: DisposalListsView, action: str) -> None:
    """An action that asks nothing (Approve, Submit once reviewed)."""
    assert view.actions_[action].isEnabled(), action
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.actions_[action].trigger()


def new_list(qtbot: QtBot, view: DisposalListsView, name: str = "VL 2026-1") -> None:
    dialog = ask(view, "new")
    assert isinstance(dialog, NewListDialog)
    assert not dialog.ok_button.isEnabled(), "a list needs a name"
    dialog.name.setText(name)
    dialog.on.setDate(QDate(ON.year, ON.month, ON.day))
    answer(qtbot, view, dialog)


def submit(qtbot: QtBot, view: DisposalListsView, reviewer: str = REVIEWER) -> None:
    dialog = ask(view, "submit")
    assert isinstance(dialog, AskDialog)
    dialog.answer_edit.setText(reviewer)
    answer(qtbot, view, dialog)


def field(view: DisposalListsView, key: str) -> str:
    return view.fields[key][1].text()


def column(view: DisposalListsView, number: int) -> list[str]:
    model = view.items_model
    return [model.index(row, number).data() for row in range(model.rowCount())]


def error_boxes(view: DisposalListsView) -> list[QMessageBox]:
    return [b for b in view.findChildren(QMessageBox) if b.isVisible()]


def test_a_new_list_shows_with_its_items(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    assert view.lists_model.rowCount() == 0 and field(view, "state") == ""
    assert view.title.text() == "Geen lijst gekozen"
    new_list(qtbot, view)
    model = view.lists_model
    assert [model.index(0, c).data() for c in range(4)] == [
        "VL 2026-1", "Vernietiging", "Concept", 4,
    ]  # fmt: skip
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Vernietigingslijst van 28-11-2026: 4 op de lijst"
    assert view.title.text() == "VL 2026-1"
    assert (field(view, "state"), field(view, "author"), field(view, "reviewer")) == (
        "Concept", AUTHOR, "–",
    )  # fmt: skip
    assert field(view, "counts") == "4 op de lijst"
    assert column(view, 0) == sample
    assert set(column(view, 2)) == {"1.5 Afgebroken (2020)"}
    assert set(column(view, 3)) == {"28-02-2025"}, "archiefactiedatum, day first in Dutch"
    assert set(column(view, 4)) == {"Op de lijst"}
    assert view.items_summary.text() == "4 van 4 dossiers getoond"
    assert view.status.text() == "VL 2026-1 is opgesteld."
    assert view.actor_label.text() == f"U handelt als {AUTHOR}."


def test_the_actions_follow_the_state_and_the_selection(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    assert view.enabled_actions() == {"new", "reload"}, "no list chosen"
    new_list(qtbot, view)
    assert view.enabled_actions() == {"new", "reload", "submit", "abort"}
    view.select_items({sample[0]})
    assert view.enabled_actions() == {"new", "reload", "submit", "abort", "remove"}
    submit(qtbot, view)
    assert field(view, "state") == "Ter beoordeling" and field(view, "reviewer") == REVIEWER
    assert view.enabled_actions() == {"new", "reload", "review", "reject", "abort"}
    acting(view, REVIEWER)
    step_review = ask(view, "review")
    answer(qtbot, view, step_review)  # nothing selected: the list passes
    assert field(view, "state") == "Beoordeeld"
    assert view.enabled_actions() == {"new", "reload", "submit", "abort"}
    acting(view, AUTHOR)
    step(qtbot, view, "submit")  # once reviewed: to the archivist, no question
    assert field(view, "state") == "Ter accordering"
    assert view.enabled_actions() == {"new", "reload", "approve", "reject", "abort"}
    acting(view, ARCHIVIST)
    step(qtbot, view, "approve")
    assert (field(view, "state"), field(view, "approved_by")) == ("Geaccordeerd", ARCHIVIST)
    assert view.enabled_actions() == {"new", "reload", "execute", "abort"}
    assert view.actions_["execute"].shortcut().toString() == "Ctrl+E"


def test_a_review_with_an_exclusion_sends_the_list_back(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    submit(qtbot, view)
    acting(view, REVIEWER)
    view.select_items({sample[1], sample[2]})
    dialog = ask(view, "review")
    assert isinstance(dialog, ExclusionsDialog)
    assert list(dialog.rows) == [sample[1], sample[2]]
    assert dialog.ok_button.text() == "Lijst &goedkeuren", "no reason yet: the list passes"
    dialog.rows[sample[1]].setText("Loopt nog bezwaar")
    assert dialog.ok_button.text() == "1 uitzonderen en terugsturen"
    answer(qtbot, view, dialog)
    assert field(view, "state") == "Wijzigingen gevraagd"
    assert field(view, "reviewed_by") == REVIEWER
    assert field(view, "counts") == "3 op de lijst, 1 uitgezonderd"
    states = dict(zip(column(view, 0), column(view, 4), strict=True))
    assert states[sample[1]] == "Uitgezonderd" and states[sample[2]] == "Op de lijst"
    assert dict(zip(column(view, 0), column(view, 5), strict=True))[sample[1]] == (
        "Loopt nog bezwaar"
    )
    assert view.status.text() == "VL 2026-1 is nu: wijzigingen gevraagd."
    acting(view, AUTHOR)
    view.select_items({sample[2]})
    assert "keep" not in view.enabled_actions(), "only an excluded item can be kept"
    view.select_items({sample[1]})
    keep = ask(view, "keep")
    assert isinstance(keep, AskDialog) and not keep.ok_button.isEnabled(), "needs a reason"
    keep.answer_edit.setText("Bezwaar is afgehandeld")
    answer(qtbot, view, keep)
    states = dict(zip(column(view, 0), column(view, 4), strict=True))
    assert states[sample[1]] == "Gehandhaafd"
    assert field(view, "counts") == "3 op de lijst, 1 gehandhaafd"


def test_the_archivist_rejects_with_a_reason(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    on_worker(qtbot, view.ops, lambda ws: approve_to_archivist(ws, view))
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    assert field(view, "state") == "Ter accordering"
    acting(view, ARCHIVIST)
    view.select_items({sample[0], sample[2], sample[3]})
    dialog = ask(view, "reject")
    assert isinstance(dialog, ExclusionsDialog) and not dialog.ok_button.isEnabled()
    dialog.reason.setText("Drie dossiers horen bij een Woo-verzoek")
    dialog.common.setText("Woo-verzoek 2026-041")  # for every dossier without its own
    dialog.rows[sample[3]].setText("Woo-verzoek 2026-050")
    assert dialog.exclusions() == {
        sample[0]: "Woo-verzoek 2026-041",
        sample[2]: "Woo-verzoek 2026-041",
        sample[3]: "Woo-verzoek 2026-050",
    }
    answer(qtbot, view, dialog)
    assert field(view, "state") == "Wijzigingen gevraagd"
    assert field(view, "reason") == "Drie dossiers horen bij een Woo-verzoek"
    notes = dict(zip(column(view, 0), column(view, 5), strict=True))
    assert column(view, 4).count("Uitgezonderd") == 3
    assert (notes[sample[2]], notes[sample[3]], notes[sample[1]]) == (
        "Woo-verzoek 2026-041", "Woo-verzoek 2026-050", "",
    )  # fmt: skip


def approve_to_archivist(ws: Workspace, view: DisposalListsView) -> None:
    assert view.current is not None
    key = view.current.id
    lists.submit(ws, key, reviewer=REVIEWER)
    ws.actor = REVIEWER
    lists.review(ws, key)
    ws.actor = AUTHOR
    lists.submit(ws, key)


def test_a_stale_view_is_refused_with_the_message_and_read_again(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    assert view.current is not None
    key, seen = view.current.id, view.current.version
    changed = on_worker(
        qtbot, view.ops, lambda ws: lists.decide(ws, key, sample[0], keep=False)
    )  # someone else (the same author, elsewhere) takes a dossier off meanwhile
    assert changed.version > seen and field(view, "version") == str(seen)
    dialog = ask(view, "submit")
    assert isinstance(dialog, AskDialog)
    dialog.answer_edit.setText(REVIEWER)
    answer(qtbot, view, dialog)
    boxes = error_boxes(view)
    assert len(boxes) == 1
    assert "is intussen door iemand anders gewijzigd" in boxes[0].text()
    assert f"u zag {seen}" in boxes[0].text()
    boxes[0].close()
    assert field(view, "version") == str(changed.version), "the window read the list again"
    assert field(view, "state") == "Concept"
    assert field(view, "counts") == "3 op de lijst, 1 verwijderd"
    assert view.status.text() == "Niet uitgevoerd; de lijsten zijn opnieuw gelezen."
    submit(qtbot, view)  # with what it shows now, the same step goes through
    assert field(view, "state") == "Ter beoordeling" and not error_boxes(view)


def test_a_refusal_of_the_service_is_shown(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    submit(qtbot, view)
    dialog = ask(view, "review")  # the window offers it; the service knows anna may not
    answer(qtbot, view, dialog)
    boxes = error_boxes(view)
    assert len(boxes) == 1
    assert boxes[0].text() == f"{AUTHOR} mag dit niet doen: daarvoor is de rol process_owner nodig."
    assert field(view, "state") == "Ter beoordeling"
    boxes[0].close()


def test_carrying_out_with_cancel_then_resume_ends_destroyed(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    assert view.current is not None
    key = view.current.id
    on_worker(qtbot, view.ops, lambda ws: approve_whole(ws, key))
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    assert field(view, "state") == "Geaccordeerd"
    dialog = ask(view, "execute")
    assert isinstance(dialog, AskDialog) and dialog.ok_button.text() == "&Vernietigen"
    assert "4 dossiers" in dialog.findChild(QWidget, "executeDialogIntro").text()  # type: ignore[union-attr]
    gate = threading.Event()
    view.ops.db(lambda _ws: gate.wait(WAIT_MS / 1000), lambda _r: None)  # hold the worker
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        dialog.accept()
        assert view.tracker is not None and view.loading
        assert not view.enabled_actions() - {"new", "reload"}, "no second step meanwhile"
        view.tracker.token.cancel()  # Cancel before the first dossier
        gate.set()
    assert field(view, "state") == "Geaccordeerd", "a cancelled run stays approved"
    assert view.status.text() == (
        "Het uitvoeren van VL 2026-1 is gestopt na 0 dossiers; voer de lijst opnieuw uit om "
        "verder te gaan."
    )
    answer(qtbot, view, ask(view, "execute"))  # resume
    assert field(view, "state") == "Vernietigd"
    assert set(column(view, 4)) == {"Vernietigd"}
    assert (
        view.status.text()
        == "VL 2026-1 is uitgevoerd: 4 dossiers verwerkt, 0 van de lijst gehaald."
    )
    assert view.filter.currentData() == ALL, "the finished list stays in sight"
    assert view.enabled_actions() == {"new", "reload"}
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.set_filter(RUNNING)
    assert view.lists_model.rowCount() == 0 and view.current is None


def test_a_transfer_list_asks_for_the_folder_and_is_confirmed(
    qtbot: QtBot, view: DisposalListsView, tmp_path: Path
) -> None:
    def two_b_dossiers(ws: Workspace) -> list[str]:
        set_setting(ws, "retention.overbrengingstermijn", "P1Y")
        return [
            closed_dossier(ws, tmp_path / "files", t, nummer="1.1.1")
            for t in ("Raad", "Verordening")
        ]

    b_dossiers = on_worker(qtbot, view.ops, two_b_dossiers)
    dialog = ask(view, "new")
    assert isinstance(dialog, NewListDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("transfer"))
    dialog.name.setText("OL 2026")
    dialog.on.setDate(QDate(ON.year, ON.month, ON.day))
    answer(qtbot, view, dialog)
    assert view.lists_model.index(0, 1).data() == "Overbrenging"
    assert field(view, "kind") == "Overbrengingslijst"
    assert sorted(column(view, 0)) == sorted(b_dossiers)
    assert view.current is not None
    key = view.current.id
    on_worker(qtbot, view.ops, lambda ws: approve_whole(ws, key))
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.reload()
    assert "confirm" not in view.enabled_actions()
    execute = ask(view, "execute")
    assert isinstance(execute, AskDialog) and execute.browse is not None
    assert not execute.ok_button.isEnabled(), "a transfer needs the folder"
    out = tmp_path / "e-depot"
    out.mkdir()
    execute.answer_edit.setText(str(out))
    answer(qtbot, view, execute)
    assert field(view, "state") == "Uitgevoerd, wacht op bevestiging"
    assert set(column(view, 4)) == {"Overgebracht"}
    assert any(out.iterdir()), "the package is in the folder"
    assert view.enabled_actions() == {"new", "reload", "confirm"}
    confirm = ask(view, "confirm")
    assert isinstance(confirm, AskDialog)
    confirm.answer_edit.setText("NHA-ontvangst 2026-77")
    answer(qtbot, view, confirm)
    assert field(view, "state") == "Overgebracht"
    assert view.enabled_actions() == {"new", "reload"}


def test_an_aborted_list_frees_its_dossiers(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    dialog = ask(view, "abort")
    assert isinstance(dialog, AskDialog) and not dialog.ok_button.isEnabled()
    dialog.answer_edit.setText("Verkeerde peildatum")
    answer(qtbot, view, dialog)
    assert field(view, "state") == "Afgebroken"
    assert field(view, "reason") == "Verkeerde peildatum"
    new_list(qtbot, view, "VL 2026-2")
    assert [view.lists_model.index(r, 2).data() for r in range(2)] == ["Concept", "Afgebroken"]
    assert view.title.text() == "VL 2026-2" and field(view, "counts") == "4 op de lijst"


def test_items_are_read_a_page_at_a_time(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    model = view.items_model
    model.page = 3
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT_MS):
        model.set_list(view.current)
    assert model.rowCount() == 3 and model.total == 4
    # the table may already have asked for the next page itself as the rows arrived
    # (Qt's views call fetchMore while there is room); then this call waits for that one
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=WAIT_MS)
    assert [model.item(r).kenmerk for r in range(4)] == sample  # type: ignore[union-attr]
    assert not model.canFetchMore()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, view: DisposalListsView, sample: list[str]
) -> None:
    new_list(qtbot, view)
    named = [
        w
        for w in view.findChildren(QWidget)
        if w.objectName() and not w.objectName().startswith("qt_")
    ]
    assert len(named) >= 40
    for widget in [view, *named]:
        assert widget.accessibleName(), widget.objectName()
    view.select_items({sample[0]})
    submit(qtbot, view)
    acting(view, REVIEWER)
    view.select_items({sample[0]})
    for action in ("review", "reject", "abort", "new"):
        dialog = ask(view, action)
        for widget in [dialog, *dialog.findChildren(QWidget)]:
            if widget.objectName() and not widget.objectName().startswith("qt_"):
                assert widget.accessibleName(), (action, widget.objectName())
        dialog.reject()


def test_the_english_texts(qtbot: QtBot, view: DisposalListsView, sample: list[str]) -> None:
    from recordsdesk.ui import settings as ui_settings

    new_list(qtbot, view)
    ui_settings.apply_language("en")
    view.retranslate()
    assert view.windowTitle() == "Destruction and transfer lists"
    assert view.lists_model.index(0, 1).data() == "Destruction"
    assert field(view, "kind") == "Destruction list"
    assert field(view, "state") == "Draft" and view.fields["state"][0].text() == "State:"
    assert field(view, "counts") == "4 on the list"
    assert set(column(view, 4)) == {"On the list"}
    assert view.buttons["review"].accessibleName() == "Review"
    assert view.status.text() == "VL 2026-1 was compiled."
    assert view.filter.currentText() == "Running"


def test_menu_and_shortcut_open_the_lists(qtbot: QtBot, window: MainWindow) -> None:
    action = window.commands.disposal_lists
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    assert action in window.commands.retention_menu.actions()
    assert action.text() == "&Lijsten…"
    shortcuts = [a.shortcut().toString() for a in window.findChildren(type(action))]
    assert shortcuts.count("Ctrl+Shift+L") == 1
    window.activateWindow()
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_L, both)
    qtbot.waitUntil(lambda: bool(window.findChildren(DisposalListsView)), timeout=WAIT_MS)
    view = window.findChildren(DisposalListsView)[0]
    qtbot.waitUntil(lambda: not view.loading and window.ops.pending == 0, timeout=WAIT_MS)
    assert view.isVisible() and not view.isModal()
    assert view.windowTitle() == "Vernietigings- en overbrengingslijsten"
    assert window.show_disposal_lists() is view, "a second call raises the open one"
    qtbot.waitUntil(lambda: not view.loading and window.ops.pending == 0, timeout=WAIT_MS)
    view.close()
    QApplication.processEvents()
