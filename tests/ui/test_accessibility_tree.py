"""The main views as a screen reader meets them: through Qt's accessibility interface.

A test walks the accessibility tree of the main window and of every view and dialog
opened from it, in Dutch and in English, and fails on an interactive control without
a name, and on one that can be seen without a description (an accessible
description, or else a tooltip, which is what Qt reports as the description).
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QComboBox, QWidget

from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.metadata import MetadataDialog
from recordsdesk.ui.views.scan_profiles import ScanProfileDialog
from tests.ui.conftest import WAIT_MS, settle

pytestmark = pytest.mark.gui

Role = QAccessible.Role
#: what a user operates (the cells of tables, lists and trees are their data)
INTERACTIVE = {
    Role.PushButton, Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.EditableText,
    Role.SpinBox, Role.Slider, Role.Dial, Role.List, Role.Table, Role.Tree, Role.PageTab,
    Role.ButtonMenu, Role.ButtonDropDown, Role.ButtonDropGrid, Role.Link, Role.HotkeyField,
}  # fmt: skip
DATA = {Role.List, Role.Table, Role.Tree}


def _in_combo_popup(widget: QWidget | None) -> bool:
    # a combo box's popup list: a part of the combo box, announced through it
    while widget is not None:
        if isinstance(widget.parent(), QComboBox) or type(widget).__name__ == (
            "QComboBoxPrivateContainer"
        ):
            return True
        widget = widget.parentWidget()
    return False


def problems(top: QWidget, *, descriptions: bool = False) -> list[str]:
    """The interactive controls under ``top`` without a name (and with
    ``descriptions``, those seen without a description), each as
    "role 'objectName' (class)"."""
    found: list[str] = []

    def walk(node: QAccessibleInterface | None) -> None:
        if node is None or not node.isValid():
            return
        role = node.role()
        held = node.object()
        widget = held if isinstance(held, QWidget) else None
        if role in INTERACTIVE and not _in_combo_popup(widget):
            what = (
                f"{role.name} {widget.objectName() if widget else '?'!r} ({type(widget).__name__})"
            )
            if not node.text(QAccessible.Text.Name).strip():
                found.append(f"no name: {what}")
            elif (descriptions and not node.state().invisible
                  and not node.text(QAccessible.Text.Description).strip()):  # fmt: skip
                found.append(f"no description: {what} {node.text(QAccessible.Text.Name)!r}")
        if role in DATA:
            return
        for index in range(node.childCount()):
            walk(node.child(index))

    walk(QAccessible.queryAccessibleInterface(top))
    return found


def _views(qtbot: QtBot, window: MainWindow, record: Created) -> dict[str, QWidget]:
    """The main window with a record selected, and everything opened from it."""
    row = window.records.row_of(record.id)
    assert row is not None
    window.record_panel.select_rows([row])
    settle(qtbot, window)
    tools = window.tools
    views: dict[str, QWidget] = {
        "main window": window,
        "search": tools.show_search(),
        "selectielijst": tools.show_selectielijst(),
        "due list": tools.show_due_list(),
        "woo requests": tools.show_woo_requests(),
        "disposal lists": tools.show_disposal_lists(),
        "sync": window.sync.show_panel(),
        "new dossier": window.new_dossier(),
    }
    batches = tools.show_scan_batches()
    views["scan batches"] = batches
    batches.profiles_button.click()
    profile = batches.findChild(ScanProfileDialog)
    assert profile is not None
    qtbot.waitUntil(lambda: bool(profile.languages.text()), timeout=WAIT_MS)
    views["scan profiles"] = profile
    window.record_panel.view.setFocus()
    with qtbot.waitSignal(window.ops.idle, timeout=WAIT_MS, raising=False):
        window.commands.edit_metadata.trigger()
    qtbot.waitUntil(lambda: window.findChild(MetadataDialog) is not None, timeout=WAIT_MS)
    editor = window.findChild(MetadataDialog)
    assert editor is not None
    qtbot.waitUntil(lambda: editor.form is not None, timeout=WAIT_MS)
    views["metadata"] = editor
    settle(qtbot, window)
    return views


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_control_of_every_main_view_has_a_name_and_a_description(
    qtbot: QtBot, record: Created, window: MainWindow, language: str
) -> None:
    if language != "nl":
        window.commands.languages[language].trigger()
    views = _views(qtbot, window, record)
    found = {name: p for name, view in views.items() if (p := problems(view, descriptions=True))}
    for view in views.values():
        if view is not window:
            view.close()
    assert found == {}, "\n".join(f"{name}: {item}" for name, p in found.items() for item in p)


def test_the_walk_finds_an_unnamed_control(qtbot: QtBot) -> None:
    # the check itself: a bare button without text or tooltip is caught
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    bare = QPushButton()
    bare.setObjectName("bare")
    layout.addWidget(bare)
    named = QPushButton("Opslaan")
    layout.addWidget(named)
    holder.show()
    assert problems(holder) == ["no name: Button 'bare' (QPushButton)"]
    assert problems(holder, descriptions=True) == [
        "no name: Button 'bare' (QPushButton)",
        "no description: Button '' (QPushButton) 'Opslaan'",
    ]
    bare.setToolTip("Wijzigingen bewaren")  # a tooltip is no name
    assert problems(holder) == ["no name: Button 'bare' (QPushButton)"]
