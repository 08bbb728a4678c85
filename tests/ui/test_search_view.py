"""The search view: real dossiers and records with searchable text in a real SQLite store,
searched through the real workers; results grouped by dossier, completeness, keys."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from recordsdesk import services
from recordsdesk.archive.completeness import Reason
from recordsdesk.search.results import DossierGroup, Hit, SearchResults
from recordsdesk.services.closing import classify, close
from recordsdesk.ui.errors import CrashDialog
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.search import (
    COMPLETE,
    COUNT,
    KENMERK,
    OBJECT_ID_ROLE,
    SNIPPET,
    SNIPPET_HTML_ROLE,
    SearchPage,
    SearchResultModel,
    build_rows,
    completeness_text,
    load_page,
    snippet_html,
)
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.search import SearchView
from recordsdesk.ui.views.search.details import status_text
from recordsdesk.ui.views.search.query_box import FIELD_NAMES
from tests.search.records import file_text
from tests.ui.conftest import WAIT_MS
from tests.ui.test_metadata_editor import interactive

Sample = dict[str, str]


@pytest.fixture
def sample(home: Path, tmp_path: Path) -> Sample:
    """Two dossiers with records about permits, one about something else."""
    ws = services.open_workspace(home)
    try:
        bouw = services.create_dossier(ws, "Omgevingsvergunning Coolsingel 40").kenmerk
        kap = services.create_dossier(ws, "Kapvergunning Vroesenpark").kenmerk
        other = services.create_dossier(ws, "Subsidie buurthuis").kenmerk
        folder = tmp_path / "in"
        return {
            "bouw": bouw,
            "kap": kap,
            "other": other,
            "besluit": file_text(
                ws, folder, bouw, "besluit", "Wij verlenen de vergunning voor het verbouwen."
            ),
            "aanvraag": file_text(
                ws, folder, kap, "aanvraag", "Aanvraag om een vergunning voor het kappen <b>"
            ),
            "subsidie": file_text(ws, folder, other, "toekenning", "De subsidie is toegekend."),
        }
    finally:
        ws.close()


@pytest.fixture
def open_ops(qtbot: QtBot, ops: Ops, home: Path, sample: Sample) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


@pytest.fixture
def view(qtbot: QtBot, open_ops: Ops) -> Iterator[SearchView]:
    widget = SearchView(open_ops)
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def type_query(qtbot: QtBot, view: SearchView, text: str) -> None:
    """Type ``text`` as a user would and wait for the debounced search's answer."""
    view.query.clear()
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        QTest.keyClicks(view.query, text)


def kenmerken(view: SearchView) -> dict[str, list[str]]:
    model = view.model
    out: dict[str, list[str]] = {}
    for row in range(model.rowCount()):
        parent = model.index(row, KENMERK)
        out[str(parent.data())] = [
            str(model.index(r, KENMERK, parent).data()) for r in range(model.rowCount(parent))
        ]
    return out


def test_typing_a_query_shows_the_results_grouped_by_dossier(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "vergunning")
    found = kenmerken(view)
    assert set(found) == {sample["bouw"], sample["kap"]}
    assert sample["besluit"] in found[sample["bouw"]]
    assert sample["aanvraag"] in found[sample["kap"]]
    assert sample["subsidie"] not in str(found)
    assert view.status_label.text().startswith("2 treffers in 2 dossiers")
    dossier_row = view.model.index(0, COUNT)
    assert dossier_row.data() == "1 treffer"
    assert view.tree.isExpanded(view.model.index(0, 0))  # the hits are visible at once


def test_vergunningen_finds_a_record_with_vergunning_its_word_emphasised(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "vergunningen")
    found = kenmerken(view)
    assert sample["besluit"] in found[sample["bouw"]]
    parent = next(
        view.model.index(r, 0)
        for r in range(view.model.rowCount())
        if view.model.index(r, 0).data() == sample["bouw"]
    )
    row = found[sample["bouw"]].index(sample["besluit"])
    cell = view.model.index(row, SNIPPET, parent)
    assert "<b><u>vergunning</u></b>" in cell.data(SNIPPET_HTML_ROLE)
    assert "«" not in cell.data() and "vergunning" in cell.data()
    announced = view.model.index(row, 0, parent).data(Qt.ItemDataRole.AccessibleTextRole)
    assert announced.startswith(f"Stuk {sample['besluit']}: ")
    assert announced.endswith("Wij verlenen de vergunning voor het verbouwen")  # no marks


def test_document_text_in_a_snippet_is_escaped_never_markup() -> None:
    assert snippet_html("a <b>x</b> «vergunning» & <script>") == (
        "a &lt;b&gt;x&lt;/b&gt; <b><u>vergunning</u></b> &amp; &lt;script&gt;"
    )
    assert snippet_html("«open") == "open"  # an unclosed mark is dropped, not kept half


def test_a_malformed_query_shows_its_message_inline_and_keeps_the_results(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "vergunning")
    before = kenmerken(view)
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        QTest.keyClicks(view.query, ' "niet openbaar')
    assert view.error_label.isVisible()
    assert view.error_label.text() == (
        '⚠ Niet gezocht: Het aanhalingsteken vóór "niet openbaar" wordt niet gesloten.'
    )
    assert view.error_label.accessibleName() in view.error_label.text()
    assert kenmerken(view) == before
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    type_query(qtbot, view, "subsidie")  # corrected: the message goes, new results come
    assert not view.error_label.isVisible()
    assert set(kenmerken(view)) == {sample["other"]}


def test_field_names_are_completed_in_the_word_being_typed(qtbot: QtBot, view: SearchView) -> None:
    view.query.setFocus()
    QTest.keyClicks(view.query, "bouw ti")
    popup = view.query.completer_.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    assert view.query.completer_.currentCompletion() == "titel:"
    assert popup.accessibleName() == "Zoekvelden"
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert view.query.text() == "bouw titel:"
    assert not popup.isVisible()
    QTest.keyClicks(view.query, " -da")
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    assert view.query.completer_.currentCompletion() == "datum:"
    assert set(FIELD_NAMES) == {"titel:", "dossier:", "categorie:", "afzender:", "datum:"}


def test_keyboard_path_from_ctrl_f_to_the_record_in_the_main_window(
    qtbot: QtBot, sample: Sample, window: MainWindow
) -> None:
    assert window.search_action.shortcut().toString() == "Ctrl+F"
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    views = window.findChildren(SearchView)
    if not views:  # no shortcut map without an active window on this platform
        window.search_action.trigger()
        views = window.findChildren(SearchView)
    [view] = views
    # the window may not become active offscreen: the focus widget is what gets the keys
    assert view.focusWidget() is view.query
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        QTest.keyClicks(view.query, "verbouwen")
        QTest.keyClick(view.query, Qt.Key.Key_Return)
    assert set(kenmerken(view)) == {sample["bouw"]}
    QTest.keyClick(view.query, Qt.Key.Key_Down)
    assert view.focusWidget() is view.tree
    assert view.tree.currentIndex().data() == sample["bouw"]
    QTest.keyClick(view.tree, Qt.Key.Key_Down)
    assert view.tree.currentIndex().data() == sample["besluit"]
    QTest.keyClick(view.tree, Qt.Key.Key_Escape)
    assert view.focusWidget() is view.query and view.isVisible()
    QTest.keyClick(view.query, Qt.Key.Key_Down)
    QTest.keyClick(view.tree, Qt.Key.Key_Down)
    QTest.keyClick(view.tree, Qt.Key.Key_Return)

    def shown() -> bool:
        index = window.record_panel.view.currentIndex()
        row = window.records.row_value(index.row()) if index.isValid() else None
        return row is not None and row.kenmerk == sample["besluit"]

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    assert window.current_dossier_kenmerk() == sample["bouw"]
    qtbot.waitUntil(lambda: sample["besluit"] in window.details.heading.text(), timeout=WAIT_MS)


def test_an_open_dossier_gets_an_incomplete_badge_with_its_reason(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "subsidie")
    model = view.model
    qtbot.waitUntil(lambda: model.completeness(sample["other"]) is not None, timeout=WAIT_MS)
    badge = model.index(0, COMPLETE)
    assert str(badge.data()).startswith("Onvolledig: ")
    assert not badge.data(Qt.ItemDataRole.DecorationRole).isNull()  # an icon next to the words
    tip = badge.data(Qt.ItemDataRole.ToolTipRole)
    assert "Het dossier is nog open: er kunnen stukken bij komen." in tip
    announced = model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert announced.startswith(f"Dossier {sample['other']}: Subsidie buurthuis, 2 treffers")
    assert "Onvolledig" in announced
    view.tree.setCurrentIndex(model.index(0, 0))
    assert "Het dossier is nog open" in view.details.body.text()
    assert view.details.title.text() == f"Dossier {sample['other']}: Subsidie buurthuis"


def test_more_dossiers_come_a_page_at_a_time(
    qtbot: QtBot, open_ops: Ops, home: Path, tmp_path: Path
) -> None:
    ws = services.open_workspace(home)
    try:
        for number in range(23):
            kenmerk = services.create_dossier(ws, f"Melding {number}").kenmerk
            file_text(ws, tmp_path / "many", kenmerk, "melding", "Een melding van geluidsoverlast.")
    finally:
        ws.close()
    view = SearchView(open_ops)
    qtbot.addWidget(view)
    view.show()
    type_query(qtbot, view, "geluidsoverlast")
    assert view.model.rowCount() == 20 and view.model.dossier_count == 23
    assert view.more_button.isVisible() and view.more_button.text() == "Meer resultaten"
    view.more_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 23, timeout=WAIT_MS)
    assert not view.model.canFetchMore() and not view.more_button.isVisible()
    assert len(set(kenmerken(view))) == 23


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "vergunning")
    view.help_button.click()
    named = [
        w
        for w in view.findChildren(QWidget)
        if w.objectName() and not w.objectName().startswith("qt_")
    ]
    assert len(named) >= 12
    for widget in [view, *named]:
        assert widget.accessibleName(), widget.objectName()
    unnamed = [
        f"{type(w).__name__} {w.objectName()}" for w in interactive(view) if not w.accessibleName()
    ]
    assert unnamed == []
    assert view.help_panel.isVisible() and "titel:besluit" in view.help_panel.text()
    assert "datum:2024-01..2024-06" in view.query.toolTip()


def test_the_english_texts(qtbot: QtBot, view: SearchView, sample: Sample) -> None:
    from recordsdesk.ui import settings as ui_settings

    type_query(qtbot, view, "vergunning")
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        QTest.keyClicks(view.query, " OR")
    assert "OR heeft aan beide kanten een zoekterm nodig" in view.error_label.text()
    dutch = view.error_label.text()
    ui_settings.apply_language("en")
    view.retranslate()
    assert view.windowTitle() == "Search"
    assert view.status_label.text().startswith("2 hits in 2 dossiers")
    assert view.model.headerData(COMPLETE, Qt.Orientation.Horizontal) == "Completeness"
    qtbot.waitUntil(lambda: view.model.completeness(sample["bouw"]) is not None, timeout=WAIT_MS)
    view.retranslate()  # the cells too, in place
    dossier = view.model.index(0, COUNT)
    assert dossier.data() == "1 hit"
    assert str(dossier.data(Qt.ItemDataRole.AccessibleTextRole)).startswith("Dossier ")
    assert str(view.model.index(0, COMPLETE).data()).startswith("Incomplete")
    assert view.error_label.text() == (
        "⚠ Query not searched: OR needs a search term on both sides, as in bouw OR sloop."
    )
    assert view.error_label.text() != dutch


def test_the_counts_line_says_what_waits_and_what_was_left_out() -> None:
    results = SearchResults(
        total=3, dossier_count=1, groups=(), pending=7, dropped=("de",), page=0, page_size=20
    )
    assert status_text(SearchPage("de vergunning", results, {})) == (
        "3 treffers in 1 dossier · index wordt bijgewerkt: 7 wachtend · "
        "Weggelaten (te algemeen): de"
    )
    assert status_text(None).startswith("Typ woorden om te zoeken")


def test_records_hidden_from_the_reader_are_counted_never_named(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "subsidie")
    model = view.model
    qtbot.waitUntil(lambda: model.completeness(sample["other"]) is not None, timeout=WAIT_MS)
    # as the central archive reports it for a reader without rights to two of its records
    seen = model.completeness(sample["other"])
    assert seen is not None and seen.hidden == 0  # locally everything is visible
    hidden = Reason(
        "hidden", "{count} records in this dossier are not visible to you.", {"count": 2}
    )
    model.set_completeness(
        {sample["other"]: replace(seen, hidden=2, reasons=(*seen.reasons, hidden))}
    )
    assert model.index(0, SNIPPET).data() == "2 verborgen resultaten"
    view.tree.setCurrentIndex(model.index(0, 0))
    assert "Verborgen resultaten: 2" in view.details.body.text()
    assert "2 stukken in dit dossier zijn voor u niet zichtbaar" in view.details.body.text()


def test_closing_and_opening_again_keeps_the_query_and_its_results(
    qtbot: QtBot, sample: Sample, window: MainWindow
) -> None:
    view = window.show_search()
    type_query(qtbot, view, "subsidie")
    view.close()
    again = window.show_search()
    assert again is view and again.isVisible()
    assert again.query.text() == "subsidie" and set(kenmerken(again)) == {sample["other"]}
    assert again.focusWidget() is again.query and again.query.selectedText() == "subsidie"
    assert window.findChildren(SearchView) == [view]


def test_completeness_is_read_again_when_the_view_is_shown_again(
    qtbot: QtBot, sample: Sample, window: MainWindow, home: Path
) -> None:
    view = window.show_search()
    type_query(qtbot, view, "subsidie")
    model = view.model
    qtbot.waitUntil(lambda: model.completeness(sample["other"]) is not None, timeout=WAIT_MS)
    before = model.completeness(sample["other"])
    assert before is not None and "open" in [r.code for r in before.reasons]
    view.close()
    ws = services.open_workspace(home)
    try:
        classify(ws, sample["other"], "1.5")
        close(ws, sample["other"])
    finally:
        ws.close()
    window.show_search()

    def read_again() -> bool:
        found = model.completeness(sample["other"])
        return found is not None and found is not before

    qtbot.waitUntil(read_again, timeout=WAIT_MS)
    after = model.completeness(sample["other"])
    assert after is not None and "open" not in [r.code for r in after.reasons]


def test_completeness_is_read_one_batch_at_a_time(
    qtbot: QtBot, view: SearchView, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are read one after the other (each is mostly Python: side by side they
    keep the GUI thread from the interpreter lock); every dossier on screen gets its
    badge all the same."""
    from recordsdesk.ui.views.search import completeness

    monkeypatch.setattr(completeness, "BATCH", 1)  # a batch per dossier
    reading, most = [0], [0]
    real = completeness.load_completeness

    def counted(*args: object, **kwargs: object) -> object:
        reading[0] += 1
        most[0] = max(most[0], reading[0])
        try:
            time.sleep(0.05)  # long enough that batches read side by side would overlap
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            reading[0] -= 1

    monkeypatch.setattr(completeness, "load_completeness", counted)
    type_query(qtbot, view, "vergunning")
    model = view.model
    for kenmerk in (sample["bouw"], sample["kap"]):
        qtbot.waitUntil(lambda k=kenmerk: model.completeness(k) is not None, timeout=WAIT_MS)
    assert most[0] == 1, "never two batches at once"


def results(groups: int, hits: int, page: int = 0) -> SearchResults:
    made = tuple(
        DossierGroup(
            kenmerk=f"D-{page}-{g}",
            naam=f"Dossier {g}",
            hits=tuple(
                Hit(f"R-{page}-{g}-{h}", f"Stuk {h}", "Archiefstuk", "de «vergunning» is er", 1.5)
                for h in range(hits)
            ),
            hit_count=hits,
        )
        for g in range(groups)
    )
    return SearchResults(
        total=groups * hits * 2, dossier_count=groups * 2, groups=made, pending=0,
        dropped=(), page=page, page_size=groups,
    )  # fmt: skip


def test_the_result_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = SearchResultModel()
    qtmodeltester.check(model)  # empty
    model.set_page(SearchPage("vergunning", results(3, 2), {"D-0-1": "id-1"}))
    qtmodeltester.check(model)
    assert model.canFetchMore()
    model.set_page(SearchPage("vergunning", results(3, 2, page=1), {}))
    qtmodeltester.check(model)
    assert model.group_count == 6 and not model.canFetchMore()
    hit = model.index(1, SNIPPET, model.index(2, 0))
    assert hit.data() == "de vergunning is er"
    assert hit.data(SNIPPET_HTML_ROLE) == "de <b><u>vergunning</u></b> is er"
    assert model.hit(hit) == model.group(hit).hits[1]  # type: ignore[union-attr]
    assert model.index(1, KENMERK).data(OBJECT_ID_ROLE) == "id-1"
    assert not model.flags(hit) & Qt.ItemFlag.ItemIsEditable
    model.set_completeness_failed(["D-0-0"])
    assert model.index(0, COMPLETE).data() == "Niet bekend"
    model.clear()
    qtmodeltester.check(model)
    assert model.group_count == 0 and model.rowCount() == 0


def test_a_page_read_on_the_worker_brings_its_rows(open_ops: Ops, qtbot: QtBot) -> None:
    """The items are made where the page is read, not on the GUI thread; used once."""
    pages: list[object] = []
    open_ops.db(lambda ws: load_page(ws, "vergunning", 0), pages.append, pages.append)
    qtbot.waitUntil(lambda: bool(pages), timeout=WAIT_MS)
    assert isinstance(pages[0], SearchPage), pages
    page = pages[0]
    assert len(page.rows) == page.results.dossier_count == 2
    model = SearchResultModel()
    model.set_page(page)
    assert page.take_rows() == [], "taken by the model"
    model.set_page(page)  # again: made anew, here
    assert model.group_count == 2


def test_painting_the_results_asks_python_nothing_but_the_snippets(
    qtbot: QtBot, view: SearchView
) -> None:
    """Only the snippet delegate runs Python while the tree paints (see the model's
    docstring: a model in Python was asked some thousand times per paint)."""
    view.model.set_page(SearchPage("vergunning", results(10, 3), {}))
    view.tree.expandAll()
    qtbot.wait(50)
    entered: list[str] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_back is not None and frame.f_back.f_code is here:
            entered.append(frame.f_code.co_name)

    here = sys._getframe().f_code
    sys.setprofile(profile)
    try:
        view.tree.viewport().repaint()
    finally:
        sys.setprofile(None)
    called = {name for name in entered if not name.startswith("__")}  # enum creation
    assert called == {"paint"}, called


def test_a_read_that_stalls_holds_up_nothing_after_a_refresh(
    qtbot: QtBot, view: SearchView, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are read one at a time, but a new round (refresh, another archive) does
    not wait for a read of the old one (a slow central archive)."""
    from recordsdesk.ui.views.search import completeness

    release = threading.Event()
    calls: list[int] = []
    real = completeness.load_completeness

    def stalling_first(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            release.wait(30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(completeness, "load_completeness", stalling_first)
    try:
        type_query(qtbot, view, "vergunning")
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=WAIT_MS)
        view.completeness.refresh()
        qtbot.waitUntil(lambda: len(calls) >= 2, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: view.model.completeness(sample["bouw"]) is not None,
                        timeout=WAIT_MS)  # fmt: skip
    finally:
        release.set()


def test_forgotten_completeness_shows_as_being_checked(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    type_query(qtbot, view, "subsidie")
    model = view.model
    qtbot.waitUntil(lambda: model.completeness(sample["other"]) is not None, timeout=WAIT_MS)
    assert model.index(0, COMPLETE).data() != completeness_text(None)
    model.forget_completeness()
    assert model.index(0, COMPLETE).data() == completeness_text(None)
    assert model.index(0, COMPLETE).data(Qt.ItemDataRole.DecorationRole) is None


def test_rows_made_in_another_language_are_made_again() -> None:
    page = SearchPage("vergunning", results(2, 1), {}, rows=build_rows(results(2, 1).groups, {}),
                      language="xx")  # fmt: skip
    assert page.take_rows() == [] and page.rows == []
    model = SearchResultModel()
    model.set_page(page)
    assert model.index(0, COUNT).data() == "1 treffer"


def test_making_the_search_view_opens_no_window_and_takes_no_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Its widgets are made before the layout gives them a parent: one shown then (the
    scope choice, when there is a central archive) opened as a window of its own and took
    the focus from the window the user works in."""
    assert window.sync.central is not None, "the scope choice is shown"
    window.activateWindow()
    focused = window.dossier_panel.view
    focused.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is focused, timeout=WAIT_MS)
    shown = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    made = SearchView(window.ops, window, central=window.sync.central)
    assert {w for w in QApplication.topLevelWidgets() if w.isVisible()} == shown
    qtbot.wait(100)
    assert QApplication.focusWidget() is focused
    assert made.scope.isVisibleTo(made) and made.scope_label.isVisibleTo(made)


def test_once_start_up_is_over_the_search_view_waits_hidden(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Made (hidden) when preloading is done, so its first opening only shows it; the
    same view opens then (see ToolWindows.prepare_search)."""
    qtbot.waitUntil(lambda: bool(window.findChildren(SearchView)), timeout=30_000)
    (made,) = window.findChildren(SearchView)
    assert not made.isVisible()
    shown = window.show_search()
    assert shown is made and shown.isVisible()
