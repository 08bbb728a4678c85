"""The main window end to end: real workspace, real workers, real files."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from recordsdesk import services
from recordsdesk.services import FilingResult
from recordsdesk.services.dto import Created
from recordsdesk.ui.dialogs import NewDossierDialog
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.records import TYPE
from recordsdesk.ui.ops import Ops
from tests.ui.conftest import WAIT_MS, open_window, settle


def record_texts(window: MainWindow, column: int) -> list[str]:
    model = window.records
    return [model.index(row, column).data() for row in range(model.rowCount())]


def file_and_wait(qtbot: QtBot, window: MainWindow, paths: list[Path]) -> FilingResult:
    with qtbot.waitSignal(window.filer.finished, timeout=WAIT_MS) as blocker:
        assert window.file_paths(paths)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.records.rowCount() >= len(paths), timeout=WAIT_MS)
    settle(qtbot, window)
    result = blocker.args[0]
    assert isinstance(result, FilingResult)
    return result


def test_window_opens_on_an_empty_home(window: MainWindow, home: Path) -> None:
    assert window.isVisible()
    assert window.dossiers.rowCount() == 0
    assert window.records.rowCount() == 0
    assert str(home) in window.home_label.text()
    assert window.home_label.text().startswith("Gegevensmap")
    assert window.dossier_panel.hint.isVisibleTo(window)
    assert "Nog geen dossiers" in window.dossier_panel.hint.text()
    action = window.commands.file_files
    assert not action.isEnabled()
    assert "Kies eerst een dossier" in action.toolTip()
    assert window.commands.new_dossier.isEnabled()
    assert (home / "local.sqlite").is_file()


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    controls = [
        window.dossier_panel.view,
        window.record_panel.view,
        window.details,
        window.details.preview,
        window.details.preview.pdf_view,
        window.details.preview.text,
        window.home_label,
        window.commands.toolbar,
    ]
    for control in controls:
        assert control.accessibleName(), control.objectName()


def test_shortcuts_are_set(window: MainWindow) -> None:
    commands = window.commands
    assert commands.new_dossier.shortcut().toString() == "Ctrl+N"
    assert commands.file_files.shortcut().toString() == "Ctrl+O"
    assert commands.refresh.shortcut().toString() == "F5"
    assert commands.quit.shortcut().toString() == "Ctrl+Q"


def test_create_a_dossier_through_the_dialog(qtbot: QtBot, window: MainWindow, home: Path) -> None:
    window.commands.new_dossier.trigger()
    dialog = window.findChild(NewDossierDialog)
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)  # no title: nothing happens
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.title_edit, "Bouwvergunning Kade 7")
    qtbot.keyClicks(dialog.description_edit, "Aanvraag maart")
    assert ok.isEnabled()
    qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Return)  # Enter accepts
    qtbot.waitUntil(lambda: window.current_dossier_kenmerk() is not None, timeout=WAIT_MS)
    settle(qtbot, window)

    assert window.dossiers.rowCount() == 1
    assert window.dossiers.index(0, 1).data() == "Bouwvergunning Kade 7"
    kenmerk = window.current_dossier_kenmerk()
    assert kenmerk is not None and kenmerk in window.status_label.text()
    assert "aangemaakt" in window.status_label.text()
    assert window.commands.file_files.isEnabled()
    ws = services.open_workspace(home)
    try:
        stored = services.show_dossier(ws, kenmerk)
    finally:
        ws.close()
    assert (stored.title, stored.omschrijving) == ("Bouwvergunning Kade 7", "Aanvraag maart")


def test_filing_real_files_shows_and_selects_the_new_records(
    qtbot: QtBot, dossier: Created, window: MainWindow, files: dict[str, Path]
) -> None:
    assert window.current_dossier_id() == dossier.id
    assert window.commands.file_files.isEnabled()
    result = file_and_wait(qtbot, window, [files["txt"], files["png"], files["pdf"]])

    assert len(result.records) == 3
    assert record_texts(window, 0) == [r.kenmerk for r in result.records]
    assert record_texts(window, TYPE) == ["Tekst", "PNG-afbeelding", "PDF-document"]
    selected = {
        window.records.row_id(i.row())
        for i in window.record_panel.view.selectionModel().selectedRows()
    }
    assert selected == {r.id for r in result.records}
    assert window.dossiers.index(0, 2).data() == "3"  # the dossier row was refreshed
    assert "3 bestand(en) gearchiveerd" in window.status_label.text()


def test_dropping_files_from_the_file_manager_files_them(
    qtbot: QtBot, dossier: Created, window: MainWindow, files: dict[str, Path]
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(files["txt"])), QUrl.fromLocalFile(str(files["pdf"]))])
    position = window.rect().center()
    enter = QDragEnterEvent(
        position.toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()

    drop = QDropEvent(
        position.toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.filer.finished, timeout=WAIT_MS):
        QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: window.records.rowCount() == 2, timeout=WAIT_MS)
    settle(qtbot, window)
    assert record_texts(window, TYPE) == ["Tekst", "PDF-document"]


def test_a_drag_without_local_files_is_refused(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/besluit.pdf")])
    enter = QDragEnterEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_unusable_files_show_the_error_and_file_nothing(
    qtbot: QtBot, dossier: Created, window: MainWindow, tmp_path: Path
) -> None:
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    with qtbot.waitSignal(window.filer.failed, timeout=WAIT_MS):
        window.file_paths([empty, tmp_path / "bestaat-niet.pdf"])
    box = window.findChild(QMessageBox, "userErrorBox")
    assert box is not None and box.isVisible()
    assert "leeg.txt" in box.informativeText()
    assert "bestaat-niet.pdf" in box.informativeText()
    assert window.status_label.text().startswith("Er is niets gearchiveerd")
    settle(qtbot, window)
    assert window.records.rowCount() == 0
    box.close()


def test_filing_needs_a_selected_dossier(window: MainWindow, files: dict[str, Path]) -> None:
    assert not window.file_paths([files["txt"]])
    assert "Kies eerst een dossier" in window.status_label.text()


def test_window_geometry_and_splitters_are_remembered(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path
) -> None:
    first = open_window(qtbot, ops, ui_settings_file, home)
    first.resize(760, 560)  # within the offscreen screen (800x600): restoring clamps to it
    first.splitter.setSizes([150, 330, 260])
    sizes = first.splitter.sizes()
    first.close()
    assert ui_settings_file.value("window/geometry") is not None

    second = MainWindow(ops, ui_settings_file, home)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.splitter.sizes() == sizes
    assert second.size().width() == 760


def test_tab_moves_from_dossiers_to_records_to_the_details(
    qtbot: QtBot, dossier: Created, window: MainWindow, files: dict[str, Path]
) -> None:
    file_and_wait(qtbot, window, [files["txt"]])
    qtbot.waitUntil(lambda: window.details.field_value("Kenmerk") is not None, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitActive(window)
    window.dossier_panel.view.setFocus()
    qtbot.waitUntil(window.dossier_panel.view.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.record_panel.view
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    first_field = QApplication.focusWidget()
    assert first_field is not None and first_field.accessibleName() == "Kenmerk"
    assert window.details.isAncestorOf(first_field)


def test_filing_is_disabled_for_a_closed_dossier(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, dossier: Created
) -> None:
    from recordsdesk.db.models import Informatieobject

    ws = services.open_workspace(home)  # closing dossiers has no service yet: set it directly
    try:
        with ws.sessions() as session, session.begin():
            stored = session.get(Informatieobject, dossier.id)
            assert stored is not None
            stored.status = "closed"
    finally:
        ws.close()
    window = open_window(qtbot, ops, ui_settings_file, home)
    assert window.current_dossier_id() == dossier.id
    action = window.commands.file_files
    assert not action.isEnabled()
    assert "gesloten" in action.toolTip() and dossier.kenmerk in action.toolTip()
    window.close()
