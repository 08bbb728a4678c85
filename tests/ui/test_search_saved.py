"""Saved searches in the search view: Ctrl+S keeps the query and the chosen filters under a
name in this workstation's store, the "Opgeslagen" menu runs one again (query and filters back
in place), a name already used is refused, and one is forgotten after a question. A real
SQLite store, the real database worker, the real window and menus."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from recordsdesk.archive.saved_searches import list_searches
from recordsdesk.ui.views.search import SearchView
from recordsdesk.ui.views.search.saved import SaveSearchDialog
from tests.ui import test_search_facets as facets_tests
from tests.ui.conftest import WAIT_MS
from tests.ui.test_search_facets import Sample, search
from tests.ui.test_woo_view import error_box, on_worker

sample = facets_tests.sample  # the facet tests' store and view, as fixtures here
view = facets_tests.view


def save_as(qtbot: QtBot, view: SearchView, name: str) -> SaveSearchDialog:
    """Ctrl+S, type ``name`` over the suggestion, Enter; returns the dialog."""
    view.activateWindow()
    view.query.setFocus()
    QTest.keyClick(view.query, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.saved.dialog, SaveSearchDialog), timeout=WAIT_MS)
    dialog = view.saved.dialog
    assert isinstance(dialog, SaveSearchDialog) and dialog.isVisible()
    assert dialog.name.accessibleName() == "Naam"
    dialog.name.selectAll()
    QTest.keyClicks(dialog.name, name)
    QTest.keyClick(dialog.name, Qt.Key.Key_Return)
    return dialog


def saved_names(qtbot: QtBot, view: SearchView) -> list[str]:
    return [s.name for s in on_worker(qtbot, view.ops, list_searches)]


def run_entries(view: SearchView) -> list[str]:
    view.saved._fill()
    return [a.text() for a in view.saved.menu.actions() if a.objectName() == "searchSavedRun"]


def test_save_a_search_with_its_filter_and_run_it_again(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    search(qtbot, view, "vergunning")
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        view.facets.choose("waardering", "B", "Blijvend te bewaren")
    assert view.model.group_count == 1
    assert view.saved.button.text() == "&Opgeslagen"
    assert view.saved.button.accessibleName() == "Opgeslagen zoekopdrachten"

    with qtbot.waitSignal(view.saved.saved, timeout=WAIT_MS):
        save_as(qtbot, view, "Vergunningen blijvend")
    qtbot.waitUntil(lambda: run_entries(view) == ["Vergunningen blijvend"], timeout=WAIT_MS)
    noted = "2 treffers in 1 dossier · Opgeslagen als Vergunningen blijvend."
    assert view.status_label.text() == noted
    with qtbot.waitSignal(view.completeness.arrived, timeout=WAIT_MS):
        view.completeness.refresh()  # the same results refreshed (completeness read again)
    assert view.status_label.text() == noted, "the note stays with its results"
    assert view.status_label.accessibleName() == noted
    assert saved_names(qtbot, view) == ["Vergunningen blijvend"]
    entry = next(a for a in view.saved.menu.actions() if a.objectName() == "searchSavedRun")
    assert "vergunning" in entry.toolTip() and "waardering=B" in entry.toolTip()

    view.facets.clear()
    search(qtbot, view, "subsidie")
    assert view.facets.chosen() == {}
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        entry.trigger()
    assert view.query.text() == "vergunning"
    assert view.facets.chosen() == {"waardering": "B"}
    assert view.model.group_count == 1, "the filter applies again"
    group = view.model.group(view.model.index(0, 0))
    assert group is not None and group.kenmerk == sample["bouw"]


def test_a_name_in_use_is_refused_and_a_search_is_forgotten_after_a_question(
    qtbot: QtBot, view: SearchView
) -> None:
    search(qtbot, view, "vergunning")
    with qtbot.waitSignal(view.saved.saved, timeout=WAIT_MS):
        save_as(qtbot, view, "Vergunningen")
    qtbot.waitUntil(lambda: run_entries(view) == ["Vergunningen"], timeout=WAIT_MS)

    search(qtbot, view, "aanvraag")
    save_as(qtbot, view, "vergunningen")  # the same name, another case
    qtbot.waitUntil(lambda: error_box().isVisible(), timeout=WAIT_MS)
    box = error_box()
    assert "al een opgeslagen zoekopdracht met de naam Vergunningen" in box.text()
    box.close()
    assert saved_names(qtbot, view) == ["Vergunningen"], "nothing overwritten"

    forget = next(
        a for a in view.saved.forget_menu.actions() if a.objectName() == "searchSavedForget"
    )
    forget.trigger()
    question = view.saved.dialog
    assert isinstance(question, QMessageBox) and question.isVisible()
    assert "Vergunningen" in question.text()
    question.button(QMessageBox.StandardButton.No).click()
    assert saved_names(qtbot, view) == ["Vergunningen"], "No keeps it"
    forget.trigger()
    question = view.saved.dialog
    assert isinstance(question, QMessageBox)
    question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: run_entries(view) == [], timeout=WAIT_MS)
    assert saved_names(qtbot, view) == []
    assert not view.saved.forget_menu.isEnabled()


def test_nothing_to_save_without_a_query(qtbot: QtBot, view: SearchView) -> None:
    seen: list[str] = []

    def answer() -> None:
        boxes = [w for w in view.findChildren(QMessageBox) if w.isVisible()]
        if boxes:
            seen.append(boxes[0].text())
            boxes[0].accept()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(100, answer)
    view.saved.save_action.trigger()  # modal information box, closed by the timer
    assert seen == ["Typ eerst een zoekvraag; sla die daarna op."]
    assert view.saved.dialog is None
