"""The Selectielijst browser: the shipped 2020 list, read by the real IO worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from recordsdesk.retention import selectielijst as sl
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.retention import SelectielijstBrowser
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def open_ops(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


def opened(qtbot: QtBot, ops: Ops, *, picking: bool) -> SelectielijstBrowser:
    browser = SelectielijstBrowser(ops, picking=picking)
    qtbot.addWidget(browser)
    browser.show()
    qtbot.waitUntil(lambda: browser.lijst is not None, timeout=WAIT_MS)
    return browser


@pytest.fixture
def picker(qtbot: QtBot, open_ops: Ops) -> Iterator[SelectielijstBrowser]:
    browser = opened(qtbot, open_ops, picking=True)
    yield browser
    browser.close()


def test_the_tree_holds_every_procestype_and_result(picker: SelectielijstBrowser) -> None:
    tree = picker.tree
    assert picker.jaar == 2020
    assert tree.topLevelItemCount() == 29
    first = tree.topLevelItem(0)
    assert first is not None and first.text(1) == "Instellen en inrichten organisatie"
    assert len(picker.visible_numbers()) == 346
    generiek = first.child(0)
    assert generiek is not None and generiek.text(0) == "1.1"
    specifiek = generiek.child(0)
    assert specifiek is not None and specifiek.text(0) == "1.1.1"
    assert picker.count_label.text() == "Selectielijst 2020: 29 procestypen, 346 resultaten."
    assert not picker.year_combo.isVisibleTo(picker), "one list shipped: no year to choose"


def test_search_finds_a_result_and_shows_its_full_text(
    qtbot: QtBot, picker: SelectielijstBrowser
) -> None:
    assert picker.search("rijbewijs") == 4
    assert picker.count_label.text() == "4 van de 346 resultaten gevonden."
    visible = picker.visible_numbers()
    assert {"5.1.6", "5.2", "5.2.2", "7.1.24"} <= set(visible)
    assert "1.1" not in visible and "11.1" not in visible
    assert "5.1" in visible, "the generiek result above a match shows the path"
    assert picker.select("5.2.2")
    text = picker.detail.toPlainText()
    for part in (
        "Resultaat 5.2.2 van de Selectielijst 2020",
        "Specifiek, onder 5.2 Ingetrokken",
        "Afstandsverklaring rijbewijs",
        "Vernietigen na 10 jaar (V)",
        "10 jaar (P10Y)",
        "Procestermijn",
        "Nihil",
        "Herkomst",
        "Risicoanalyse",
    ):
        assert part in text, part
    assert picker.choose_button.isEnabled()


def test_search_by_number_keeps_the_results_under_it(picker: SelectielijstBrowser) -> None:
    assert picker.search("11.1") == len(sl.search(2020, "11.1")) == 18
    visible = picker.visible_numbers()
    assert visible[0] == "11.1" and all(n.startswith("11.1") for n in visible)
    picker.search("")
    assert len(picker.visible_numbers()) == 346


def test_enter_in_the_search_field_goes_to_the_first_match(
    qtbot: QtBot, picker: SelectielijstBrowser
) -> None:
    picker.search_edit.setFocus()
    QTest.keyClicks(picker.search_edit, "afstandsverklaring")
    QTest.keyClick(picker.search_edit, Qt.Key.Key_Return)
    result = picker.current_result()
    assert result is not None and result.volledig_nummer == "5.2.2"


def test_a_generic_result_lists_its_specific_ones(picker: SelectielijstBrowser) -> None:
    assert picker.select("1.1")
    text = picker.detail.toPlainText()
    assert "Generiek" in text and "Specifieke resultaten" in text and "1.1.1, 1.1.2" in text
    assert "Invoering nieuwe werkwijze" in text, "toelichting"
    assert picker.select("1.1.1")
    assert "Blijvend bewaren (B)" in picker.detail.toPlainText()


def test_a_withdrawn_result_is_marked_and_cannot_be_chosen(
    qtbot: QtBot, picker: SelectielijstBrowser
) -> None:
    item = picker._items["7.1.20"]
    assert item.text(2) == "Vervallen (nu 19.1.19)", "withdrawn in words, not only by colour"
    assert item.font(1).italic()
    assert picker._items["19.1.13"].text(2) == "Vervallen (nu 4.1.14)"
    assert picker.select("7.1.20")
    text = picker.detail.toPlainText()
    assert "Vervallen: dit resultaat kan niet meer worden gekozen." in text
    assert "Kies in plaats daarvan 19.1.19." in text
    assert not picker.choose_button.isEnabled()
    assert picker.hint.isVisibleTo(picker)
    chosen: list[object] = []
    picker.chosen.connect(chosen.append)
    assert not picker.choose()
    assert chosen == [] and picker.isVisible()
    assert "is vervallen" in picker.hint.text() and "19.1.19" in picker.hint.text()
    picker._activated()  # Enter or a double click on it: refused the same way
    assert chosen == []


def test_choosing_a_result(qtbot: QtBot, picker: SelectielijstBrowser) -> None:
    assert picker.select("1.5")
    with qtbot.waitSignal(picker.chosen, timeout=WAIT_MS) as blocker:
        assert picker.choose()
    result = blocker.args[0]
    assert isinstance(result, sl.Resultaat) and result.key == (2020, "1.5")
    assert not picker.isVisible()


def test_a_procestype_shows_its_description(picker: SelectielijstBrowser) -> None:
    first = picker.tree.topLevelItem(0)
    assert first is not None
    picker.tree.setCurrentItem(first)
    text = picker.detail.toPlainText()
    assert "Procestype 1: Instellen en inrichten organisatie" in text
    assert "De vastgestelde organisatie inrichting" in text
    assert not picker.choose_button.isEnabled()


def test_english(picker: SelectielijstBrowser) -> None:
    ui_settings.apply_language("en")
    picker.retranslate()
    assert picker.select("1.1.1")
    assert picker._items["1.1.1"].text(2) == "Keep permanently (B)"
    assert picker._items["7.1.20"].text(2) == "Withdrawn (now 19.1.19)"
    assert "Result 1.1.1 of the Selectielijst 2020" in picker.detail.toPlainText()
    assert picker.select("1.1")
    assert "10 years (P10Y)" in picker.detail.toPlainText()


def test_every_control_has_an_accessible_name(picker: SelectielijstBrowser) -> None:
    named = [
        w
        for w in picker.findChildren(QWidget)
        if w.objectName() and not w.objectName().startswith("qt_")
    ]
    assert len(named) >= 10
    for widget in [picker, *named]:
        assert widget.accessibleName(), widget.objectName()


def test_menu_and_shortcut_open_the_browser(qtbot: QtBot, window: MainWindow) -> None:
    action = window.commands.selectielijst
    assert action.shortcut().toString() == "Ctrl+L"
    assert action in window.commands.retention_menu.actions()
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(SelectielijstBrowser)), timeout=WAIT_MS)
    browser = window.findChildren(SelectielijstBrowser)[0]
    qtbot.waitUntil(lambda: browser.lijst is not None, timeout=WAIT_MS)
    assert browser.isVisible() and not browser.isModal()
    assert not browser.choose_button.isVisibleTo(browser), "looking up only, from the menu"
    assert window.show_selectielijst() is browser, "a second call raises the open one"
    browser.close()
