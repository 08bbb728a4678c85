"""The facet panel of the search view: counts read on the database worker from a real
SQLite store, choosing and removing values by mouse and keyboard, accessible names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTreeWidgetItem, QWidget

from recordsdesk import services
from recordsdesk.db.models import Informatieobject, table_of
from recordsdesk.search.facets import FacetFilters
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.search import SearchView
from recordsdesk.ui.views.search.facets import ALL, KEY_ROLE, KIND_ROLE, VALUE, VALUE_ROLE
from tests.search.records import file_text
from tests.ui.conftest import WAIT_MS
from tests.ui.test_metadata_editor import interactive

Sample = dict[str, str]


@pytest.fixture
def sample(home: Path, tmp_path: Path) -> Sample:
    """Three permit records in one dossier (two appraised B), one in another, one elsewhere."""
    ws = services.open_workspace(home)
    try:
        bouw = services.create_dossier(ws, "Bouw Coolsingel 40").kenmerk
        kap = services.create_dossier(ws, "Kap Vroesenpark").kenmerk
        other = services.create_dossier(ws, "Subsidie buurthuis").kenmerk
        folder = tmp_path / "in"
        texts = ("Wij verlenen de vergunning.", "Aanvraag vergunning.", "Vergunning verleend.")
        found = [file_text(ws, folder, bouw, f"stuk{n}", t) for n, t in enumerate(texts)]
        kap_record = file_text(ws, folder, kap, "aanvraag", "Aanvraag om een vergunning.")
        file_text(ws, folder, other, "toekenning", "De subsidie is toegekend.")
        with ws.sessions() as session, session.begin():
            session.execute(
                update(table_of(Informatieobject))
                .where(table_of(Informatieobject).c.kenmerk.in_(found[:2]))
                .values(waardering="B")
            )
        return {"bouw": bouw, "kap": kap, "other": other, "kap_record": kap_record}
    finally:
        ws.close()


@pytest.fixture
def view(qtbot: QtBot, ops: Ops, home: Path, sample: Sample) -> Iterator[SearchView]:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    widget = SearchView(ops)
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def search(qtbot: QtBot, view: SearchView, text: str) -> None:
    """Type ``text`` and wait for its results and its facet counts."""
    view.query.clear()
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        QTest.keyClicks(view.query, text)


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for n in range(item.childCount()) if (c := item.child(n)) is not None]


def sections(view: SearchView) -> list[QTreeWidgetItem]:
    tree = view.facets.tree
    return [i for n in range(tree.topLevelItemCount()) if (i := tree.topLevelItem(n)) is not None]


def current(view: SearchView) -> QTreeWidgetItem:
    item = view.facets.tree.currentItem()
    assert item is not None
    return item


def values(view: SearchView, key: str) -> dict[str | None, str]:
    """The shown value items of facet ``key``: value -> text."""
    out: dict[str | None, str] = {}
    for child in children(section_item(view, key)):
        if child.data(0, KIND_ROLE) == VALUE:
            out[child.data(0, VALUE_ROLE)] = child.text(0)
    return out


def section_item(view: SearchView, key: str) -> QTreeWidgetItem:
    found = [item for item in sections(view) if item.data(0, KEY_ROLE) == key]
    assert len(found) == 1, key
    return found[0]


def value_item(view: SearchView, key: str, value: str) -> QTreeWidgetItem:
    for child in children(section_item(view, key)):
        if child.data(0, VALUE_ROLE) == value:
            return child
    raise AssertionError(f"{key}={value} not shown")


def click(qtbot: QtBot, view: SearchView, item: QTreeWidgetItem) -> None:
    """Click ``item`` and wait for the narrowed search and its counts."""
    tree = view.facets.tree
    tree.scrollToItem(item)
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        QTest.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
        )


def test_the_counts_match_the_results(qtbot: QtBot, view: SearchView, sample: Sample) -> None:
    assert view.facet_area.isHidden()  # nothing counted yet
    search(qtbot, view, "vergunning")
    assert view.model.total == 4
    assert view.facet_area.isVisible()
    dossiers = values(view, "dossier")
    assert dossiers[sample["bouw"]] == f"{sample['bouw']} Bouw Coolsingel 40 (3)"
    assert dossiers[sample["kap"]] == f"{sample['kap']} Kap Vroesenpark (1)"
    assert sample["other"] not in dossiers
    assert values(view, "waardering")["B"].endswith(" (2)")
    assert section_item(view, "waardering").text(0) == "Waardering"  # Dutch names
    assert section_item(view, "dossier").isExpanded()


def test_choosing_a_value_narrows_the_results_and_removing_it_restores_them(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    search(qtbot, view, "vergunning")
    click(qtbot, view, value_item(view, "dossier", sample["bouw"]))
    assert view.model.total == 3 and view.model.dossier_count == 1
    assert view.model.index(0, 0).data() == sample["bouw"]
    assert view.facets.chosen() == {"dossier": sample["bouw"]}
    chosen = value_item(view, "dossier", sample["bouw"]).text(0)
    assert chosen.startswith("✓ ") and chosen.endswith("(gekozen)")  # not by colour alone
    assert view.facets.summary.isVisible()
    assert view.facets.summary.text() == (f"Filters: Dossier: {sample['bouw']} Bouw Coolsingel 40")
    assert values(view, "waardering")["B"].endswith(" (2)")  # counted within the choice
    # a second facet narrows further
    click(qtbot, view, value_item(view, "waardering", "B"))
    assert view.model.total == 2
    # its "×" button removes the dossier again
    [chip] = [
        c for c in view.facets.chips.findChildren(QWidget, "searchFacetChip")
        if "Dossier" in c.accessibleName()
    ]  # fmt: skip
    assert chip.accessibleName().startswith("Filter verwijderen Dossier: ")
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        QTest.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert view.facets.chosen() == {"waardering": "B"}
    assert view.model.total == 2
    assert view.facets.clear_button.text() == "Filters wissen"
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        view.facets.clear_button.click()
    assert view.model.total == 4 and view.facets.chosen() == {}
    assert not view.facets.summary.isVisible() and not view.facets.clear_button.isVisible()


def test_keyboard_tab_into_the_panel_arrows_and_space_enter(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    search(qtbot, view, "vergunning")
    view.query.setFocus()
    tree = view.facets.tree
    for _press in range(12):
        if view.focusWidget() is tree:
            break
        QTest.keyClick(view.focusWidget(), Qt.Key.Key_Tab)
    assert view.focusWidget() is tree
    if tree.currentItem() is None:
        QTest.keyClick(tree, Qt.Key.Key_Down)
    target = value_item(view, "dossier", sample["kap"])
    for _press in range(60):
        if tree.currentItem() is target:
            break
        QTest.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem() is target
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        QTest.keyClick(tree, Qt.Key.Key_Space)
    assert view.model.total == 1
    assert [view.model.index(0, 0).data()] == [sample["kap"]]
    # the current entry stays where it was; Up reaches "Alle", Enter removes the filter
    assert current(view).data(0, VALUE_ROLE) == sample["kap"]
    QTest.keyClick(tree, Qt.Key.Key_Up)
    assert current(view).data(0, KIND_ROLE) == ALL
    assert current(view).text(0) == "Alle (dit filter verwijderen)"
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        QTest.keyClick(tree, Qt.Key.Key_Return)
    assert view.model.total == 4 and view.facets.chosen() == {}
    # Enter on a section closes it (and it stays closed after the next count)
    section = section_item(view, "dossier")
    tree.setCurrentItem(section)
    QTest.keyClick(tree, Qt.Key.Key_Return)
    assert not section.isExpanded()
    search(qtbot, view, "vergunning aanvraag")
    assert not section_item(view, "dossier").isExpanded()


def test_no_unnamed_control_in_the_panel(qtbot: QtBot, view: SearchView, sample: Sample) -> None:
    search(qtbot, view, "vergunning")
    click(qtbot, view, value_item(view, "waardering", "B"))
    panel = view.facets
    controls = [w for w in interactive(view) if panel.isAncestorOf(w)]
    assert len(controls) >= 3  # the tree, a chip, the clear button
    assert [type(w).__name__ for w in controls if not w.accessibleName()] == []
    assert panel.summary.accessibleName() == panel.summary.text()
    items = sections(view)
    items += [child for item in list(items) for child in children(item)]
    assert items and all(i.data(0, Qt.ItemDataRole.AccessibleTextRole) for i in items)
    spoken = value_item(view, "waardering", "B").data(0, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Waardering: ") and spoken.endswith("2 treffers, gekozen")


def test_a_stale_answer_is_dropped_the_latest_request_wins(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    search(qtbot, view, "vergunning")
    panel = view.facets
    dropped = panel.dropped
    with qtbot.waitSignal(panel.counted, timeout=WAIT_MS):
        panel.load("vergunning", FacetFilters())  # answered first, by then no longer wanted
        panel.load("subsidie", FacetFilters())
    assert panel.dropped == dropped + 1
    assert set(values(view, "dossier")) == {sample["other"]}


def test_an_answer_from_the_place_searched_before_is_dropped(
    qtbot: QtBot, view: SearchView, sample: Sample
) -> None:
    search(qtbot, view, "vergunning")
    panel = view.facets
    dropped = panel.dropped
    with qtbot.waitSignal(view.ops.idle, timeout=WAIT_MS):
        panel.load("subsidie", FacetFilters())
        panel.ops = view.ops  # the scope changed meanwhile (here: to the same executors)
    assert panel.dropped == dropped + 1
    assert sample["other"] not in values(view, "dossier")  # the counts shown stay


def test_the_english_texts(qtbot: QtBot, view: SearchView, sample: Sample) -> None:
    from recordsdesk.ui import settings as ui_settings

    search(qtbot, view, "vergunning")
    click(qtbot, view, value_item(view, "waardering", "B"))
    ui_settings.apply_language("en")
    view.retranslate()
    assert view.facets.clear_button.text() == "Clear filters"
    assert section_item(view, "waardering").text(0) == "Appraisal"
    assert value_item(view, "waardering", "B").text(0).endswith("(chosen)")
    assert view.facets.summary.text().startswith("Filters: Appraisal: ")


def test_later_pages_keep_the_chosen_filters(
    qtbot: QtBot, ops: Ops, home: Path, tmp_path: Path
) -> None:
    ws = services.open_workspace(home)
    try:
        appraised = []
        for number in range(24):
            kenmerk = services.create_dossier(ws, f"Melding {number}").kenmerk
            record = file_text(ws, tmp_path / "many", kenmerk, "melding", "Geluidsoverlast.")
            if number < 22:
                appraised.append(record)
        io = table_of(Informatieobject)
        with ws.sessions() as session, session.begin():
            session.execute(update(io).where(io.c.kenmerk.in_(appraised)).values(waardering="B"))
    finally:
        ws.close()
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    view = SearchView(ops)
    qtbot.addWidget(view)
    view.show()
    search(qtbot, view, "geluidsoverlast")
    assert view.model.dossier_count == 24
    click(qtbot, view, value_item(view, "waardering", "B"))
    assert view.model.dossier_count == 22
    if view.more_button.isVisible():  # the tree may have asked for the next page itself
        view.more_button.click()
    qtbot.waitUntil(
        lambda: view.model.rowCount() >= 22 and not view.model.fetching, timeout=WAIT_MS
    )
    assert view.model.rowCount() == 22  # page 2 was narrowed too (unnarrowed: 24 rows)
    assert view.model.total == 22 and not view.model.canFetchMore()
