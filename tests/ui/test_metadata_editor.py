# mypy: disable-error-code="no-untyped-call"
"""The metadata editor on a real workspace with a real filed record: what it shows,
what it saves, how it validates, inheritance from the dossier, read-only file
metadata, accessible names and the keyboard."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from shiboken6 import isValid

from recordsdesk import services
from recordsdesk.db.models import AuditEvent, Informatieobject
from recordsdesk.mdto import model
from recordsdesk.mdto.begrippen import fold
from recordsdesk.services import roles
from recordsdesk.services.dto import Created
from recordsdesk.services.metadata import MetadataView, load_metadata, save_metadata
from recordsdesk.services.organisation import set_setting
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.metadata import GROUPS, MetadataDialog
from recordsdesk.ui.views.metadata.begrip import BegripPicker, ClosedBegripPicker, FreeBegripEditor
from recordsdesk.ui.views.metadata.build import InheritedField, make_editor
from recordsdesk.ui.views.metadata.fields import CompoundEditor, TextEditor
from recordsdesk.ui.views.metadata.repeat import RepeatableEditor
from tests.ui.conftest import WAIT_MS, settle


def stored(home: Path, object_id: str) -> MetadataView:
    ws = services.open_workspace(home)
    try:
        return load_metadata(ws, object_id)
    finally:
        ws.close()


@pytest.fixture
def editor(qtbot: QtBot, record: Created, window: MainWindow) -> Iterator[MetadataDialog]:
    """The editor of the record, opened from the main window with Ctrl+E."""
    row = window.records.row_of(record.id)
    assert row is not None
    window.record_panel.select_rows([row])
    window.record_panel.view.setFocus()
    with qtbot.waitSignal(window.ops.idle, timeout=WAIT_MS, raising=False):
        qtbot.keyClick(window.record_panel.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(MetadataDialog)
    assert dialog is not None, "Ctrl+E opened no metadata editor"
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=WAIT_MS)
    yield dialog
    if isValid(dialog):  # a test may have closed (and so deleted) it
        dialog.revert()
        dialog.close()


def text_field(dialog: MetadataDialog, name: str) -> QLineEdit:
    assert dialog.form is not None
    field = dialog.form.fields[name]
    assert isinstance(field, TextEditor) and isinstance(field.edit, QLineEdit)
    return field.edit


def repeat_field(dialog: MetadataDialog, name: str) -> RepeatableEditor:
    assert dialog.form is not None
    field = dialog.form.fields[name]
    assert isinstance(field, RepeatableEditor)
    return field


def type_into(qtbot: QtBot, edit: QWidget, text: str) -> None:
    if isinstance(edit, QLineEdit):
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def save_with_ctrl_s(qtbot: QtBot, dialog: MetadataDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        qtbot.keyClick(
            dialog.focusWidget() or dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )


def test_opening_shows_the_stored_values(editor: MetadataDialog, record: Created) -> None:
    assert editor.view is not None and editor.form is not None
    assert editor.view.kenmerk == record.kenmerk
    assert record.kenmerk in editor.heading.text()
    assert text_field(editor, "naam").text() == "notitie"
    assert [editor.form.tabs.tabText(i).split(" ", 1)[1] for i in range(7)] == [
        "Identificatie",
        "Beschrijving",
        "Context",
        "Waardering en bewaren",
        "Openbaarheid",
        "Relaties",
        "Bestanden",
    ]
    assert len(GROUPS) == 7
    archiefvormer = editor.form.fields["archiefvormer"]
    assert isinstance(archiefvormer, InheritedField)
    assert archiefvormer.editor.value()[0].naam == "gemeente Rotterdam"
    assert not editor.is_dirty()
    assert editor.windowTitle() == f"Metadata van {record.kenmerk}"


def test_editing_a_field_and_saving_persists(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path, window: MainWindow
) -> None:
    naam = text_field(editor, "naam")
    type_into(qtbot, naam, "Telefoonnotitie aanvrager")
    trefwoorden = repeat_field(editor, "trefwoord")
    qtbot.mouseClick(trefwoorden.add_button, Qt.MouseButton.LeftButton)
    first = trefwoorden.rows[0].editor
    assert isinstance(first, TextEditor)
    type_into(qtbot, first.edit, "bouwtekening")
    assert editor.is_dirty() and "*" in editor.windowTitle()
    assert editor.dirty_label.text() == "Niet-opgeslagen wijzigingen"

    naam.setFocus()
    save_with_ctrl_s(qtbot, editor)  # the keyboard shortcut saves
    settle(qtbot, window)
    assert QApplication.focusWidget() is text_field(editor, "naam")  # the focus stays put

    saved = stored(home, record.id)
    assert saved.own.naam == "Telefoonnotitie aanvrager"
    assert saved.own.trefwoord == ("bouwtekening",)
    assert saved.version > 0 and editor.view is not None
    assert editor.view.version == saved.version
    assert not editor.is_dirty() and editor.dirty_label.text() == ""
    row = window.records.row_of(record.id)
    assert row is not None
    assert window.records.index(row, 1).data() == "Telefoonnotitie aanvrager"


def test_every_problem_is_shown_at_once_and_save_is_refused(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path
) -> None:
    before = stored(home, record.id)
    assert editor.form is not None
    type_into(qtbot, text_field(editor, "naam"), "")
    periods = repeat_field(editor, "dekking_in_tijd")
    period = periods.add_row(focus=True)
    assert isinstance(period, CompoundEditor)
    kind = period.children_by_field["type"]
    assert isinstance(kind, FreeBegripEditor)
    qtbot.keyClicks(kind.label_edit, "Looptijd zaak")
    qtbot.keyClicks(kind.list_edit, "Eigen lijst periodetypen")
    begin = period.children_by_field["begindatum"]
    end = period.children_by_field["einddatum"]
    assert isinstance(begin, TextEditor) and isinstance(end, TextEditor)
    qtbot.keyClicks(begin.edit, "2026-05-01")
    qtbot.keyClicks(end.edit, "2025-01-01")

    # the debounced check, on a worker
    with qtbot.waitSignal(editor.checked, timeout=WAIT_MS):
        pass
    assert not editor.checking and not editor.timer.isActive()
    labels = editor.form.problem_labels
    assert labels["naam"].isVisibleTo(editor.form) and "leeg" in labels["naam"].text()
    assert "2025-01-01" in labels["dekking_in_tijd"].text()
    assert editor.problem_list.count() == len(editor.problems) >= 2

    editor.save()
    assert not editor.saving
    assert "Niet opgeslagen" in editor.status.text()
    after = stored(home, record.id)
    assert (after.version, after.own.naam) == (before.version, before.own.naam)

    # choosing the problem about the end date goes to that field, on its tab
    editor.form.tabs.setCurrentIndex(0)
    item = next(
        editor.problem_list.item(i)
        for i in range(editor.problem_list.count())
        if "2025-01-01" in editor.problem_list.item(i).text()
    )
    editor.problem_list.itemActivated.emit(item)
    assert editor.form.tabs.currentIndex() == 1
    assert editor.form.editor_for(str(item.data(Qt.ItemDataRole.UserRole))) == (
        "dekking_in_tijd",
        end,
    )


def test_inherited_value_is_shown_and_can_be_overridden(
    qtbot: QtBot, editor: MetadataDialog, record: Created, dossier: Created, home: Path
) -> None:
    assert editor.form is not None
    waardering = editor.form.fields["waardering"]
    assert isinstance(waardering, InheritedField)
    assert waardering.is_inherited() and not waardering.editor.isEnabled()
    assert dossier.kenmerk in waardering.toggle.text()
    picker = waardering.editor
    assert isinstance(picker, ClosedBegripPicker)
    assert picker.combo.currentText().startswith("Nader te bepalen")

    editor.form.tabs.setCurrentIndex(3)
    qtbot.keyClick(waardering.toggle, Qt.Key.Key_Space)  # override, by keyboard
    assert not waardering.is_inherited() and picker.isEnabled()
    picker.combo.setCurrentIndex(picker.combo.findText("Blijvend te bewaren (B)"))
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save()

    saved = stored(home, record.id)
    assert "waardering" not in saved.inherits
    assert "archiefvormer" in saved.inherits  # the others still come from the dossier
    assert saved.effective.waardering.code == "B"
    assert stored(home, dossier.id).effective.waardering.code == "N"

    # and back: use the dossier's value again
    again = editor.form.fields["waardering"]
    assert isinstance(again, InheritedField) and not again.is_inherited()
    again.toggle.setChecked(True)
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save()
    back = stored(home, record.id)
    assert "waardering" in back.inherits and back.effective.waardering.code == "N"


def test_bestand_metadata_is_read_only(editor: MetadataDialog, home: Path, record: Created) -> None:
    assert editor.form is not None
    table = editor.findChild(QAbstractItemView, "bestandenTable")
    assert table is not None
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    bestand = stored(home, record.id).bestanden[0]
    assert table.model().index(0, 0).data() == bestand.naam
    lines = [line.text() for line in editor.form.bestand_lines]
    assert lines[0] == bestand.naam
    assert lines[3:] == [
        bestand.checksum[0].algoritme.label,
        bestand.checksum[0].waarde,
        bestand.checksum[0].datum,
    ]
    assert all(line.isReadOnly() for line in editor.form.bestand_lines)
    assert "bestanden" not in editor.form.fields  # nothing of it reaches what is saved


def interactive(root: QWidget) -> list[QWidget]:
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractButton, QAbstractItemView, QTabBar)
    found: list[QWidget] = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.window() is not root:
            continue  # popups (completer lists) are windows of their own
        if isinstance(widget.parentWidget(), (QComboBox, QAbstractItemView)):
            continue  # Qt's own parts of a combo box or a table (corner button)
        found.append(widget)
    return found


def test_every_interactive_control_has_an_accessible_name(
    qtbot: QtBot, editor: MetadataDialog
) -> None:
    for name in ("trefwoord", "betrokkene", "gerelateerd_informatieobject"):
        repeat_field(editor, name).add_row()
    controls = interactive(editor)
    assert len(controls) > 60
    unnamed = [
        f"{type(w).__name__} {w.objectName()} {getattr(w, 'text', lambda: '')()}"
        for w in controls
        if not w.accessibleName()
    ]
    assert unnamed == []


def test_repeatable_rows_move_and_go_by_keyboard(qtbot: QtBot, editor: MetadataDialog) -> None:
    trefwoorden = repeat_field(editor, "trefwoord")
    for word in ("eerste", "tweede"):
        row = trefwoorden.add_row(focus=True)
        assert isinstance(row, TextEditor)
        qtbot.keyClicks(row.edit, word)
    second = trefwoorden.rows[1].editor
    assert isinstance(second, TextEditor)
    assert second.edit.accessibleName() == "Trefwoord 2"
    qtbot.keyClick(second.edit, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert trefwoorden.value() == ("tweede", "eerste")
    assert trefwoorden.rows[0].editor.path.endswith("/trefwoord[1]")
    qtbot.mouseClick(trefwoorden.rows[0].remove, Qt.MouseButton.LeftButton)
    assert trefwoorden.value() == ("eerste",)
    assert trefwoorden.rows[0].editor.path.endswith("/trefwoord")


def test_revert_puts_back_what_was_loaded(qtbot: QtBot, editor: MetadataDialog) -> None:
    type_into(qtbot, text_field(editor, "naam"), "Iets anders")
    assert editor.is_dirty() and editor.revert_button.isEnabled()
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert text_field(editor, "naam").text() == "notitie"
    assert not editor.is_dirty()
    assert QApplication.instance() is not None


def test_value_list_picker_searches_and_marks_own_values(
    qtbot: QtBot, editor: MetadataDialog
) -> None:
    assert editor.form is not None
    beperking = editor.form.fields["beperking_gebruik"]
    assert isinstance(beperking, InheritedField)
    beperking.toggle.setChecked(False)  # the record gets its own restriction
    rows = beperking.editor
    assert isinstance(rows, RepeatableEditor) and len(rows.rows) == 1
    row = rows.rows[0].editor
    assert isinstance(row, CompoundEditor)
    picker = row.children_by_field["type"]
    assert isinstance(picker, BegripPicker)

    type_into(qtbot, picker.edit, "persoonsgegevens")
    shown = picker.model.stringList()
    assert shown and all("persoonsgegevens" in fold(s) for s in shown)
    assert picker.note.text() == "eigen waarde"  # the typed text is no concept (yet)
    picker.completer.activated.emit(shown[0])
    chosen = picker.value()
    assert chosen is not None and chosen.code is not None
    assert picker.note.text() == ""

    popup = picker.completer.popup()
    assert popup is not None
    popup.hide()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)  # the keyboard opens the whole list
    assert picker.popup_shown()
    assert len(picker.model.stringList()) > len(shown)
    popup.hide()

    type_into(qtbot, picker.edit, "Afspraak met de aanvrager")
    assert picker.note.text() == "eigen waarde"
    own = picker.value()
    assert own == model.Begrip(
        "Afspraak met de aanvrager", None, model.Verwijzing("Begrippenlijst Beperkingen MDTO")
    )


def test_a_dossier_edit_reaches_the_records_that_inherit(
    qtbot: QtBot, record: Created, dossier: Created, window: MainWindow, home: Path
) -> None:
    assert window.current_dossier_id() == dossier.id
    window.record_panel.select_rows([0])  # a record is selected, but the focus is on dossiers
    window.dossier_panel.view.setFocus()
    assert window.dossier_panel.view.hasFocus()
    qtbot.keyClick(window.dossier_panel.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(MetadataDialog)
    assert dialog is not None
    assert window.edit_metadata() is dialog  # asked again: the same window, raised
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=WAIT_MS)
    assert dialog.view is not None and dialog.view.object_id == dossier.id
    assert dialog.form is not None
    waardering = dialog.form.fields["waardering"]
    assert isinstance(waardering, ClosedBegripPicker)  # a dossier inherits nothing
    waardering.combo.setCurrentIndex(waardering.combo.findText("Blijvend te bewaren (B)"))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    dialog.close()
    settle(qtbot, window)

    shown = MetadataDialog(window.ops, record.id, window)
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.form is not None, timeout=WAIT_MS)
    assert shown.form is not None
    inherited = shown.form.fields["waardering"]
    assert isinstance(inherited, InheritedField) and inherited.is_inherited()
    picker = inherited.editor
    assert isinstance(picker, ClosedBegripPicker)
    assert picker.combo.currentText() == "Blijvend te bewaren (B)"
    assert stored(home, record.id).effective.waardering.code == "B"
    shown.close()


def test_a_stale_version_offers_to_load_again(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path
) -> None:
    ws = services.open_workspace(home)  # someone else saves in between
    try:
        theirs = load_metadata(ws, record.id)
        save_metadata(
            ws,
            record.id,
            dataclasses.replace(theirs.own, naam="Door een collega aangepast"),
            theirs.inherits,
            expected_version=theirs.version,
        )
    finally:
        ws.close()
    type_into(qtbot, text_field(editor, "naam"), "Mijn wijziging")
    editor.save()
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "staleMetadata") is not None)
    box = editor.findChild(QMessageBox, "staleMetadata")
    assert box is not None and record.kenmerk in box.text()
    assert stored(home, record.id).own.naam == "Door een collega aangepast"
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert text_field(editor, "naam").text() == "Door een collega aangepast"
    assert not editor.is_dirty()


def test_the_last_save_can_be_undone_as_a_new_audited_change(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path
) -> None:
    original = stored(home, record.id).own.naam
    assert not editor.undo_button.isEnabled()  # nothing saved here yet
    naam = text_field(editor, "naam")
    type_into(qtbot, naam, "Verkeerd overgenomen titel")
    assert not editor.undo_button.isEnabled()  # unsaved edits: revert is for those
    naam.setFocus()
    save_with_ctrl_s(qtbot, editor)
    assert stored(home, record.id).own.naam == "Verkeerd overgenomen titel"
    assert editor.undo_button.isEnabled() and editor.undo_action.isEnabled()
    assert editor.undo_button.text() == "&Laatste opslag ongedaan maken"
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        qtbot.keyClick(naam, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.AltModifier)  # fmt: skip
    assert stored(home, record.id).own.naam == original
    assert text_field(editor, "naam").text() == original
    assert editor.status.text() == "De laatste opslag is ongedaan gemaakt."
    assert not editor.undo_button.isEnabled()  # one step back, not a history
    ws = services.open_workspace(home)
    try:  # both steps are in the audit trail: the undo is a change like any other
        with ws.readers() as session:
            actions = session.scalars(
                select(AuditEvent.action).where(AuditEvent.object_id == record.id)
            ).all()
    finally:
        ws.close()
    assert actions.count("metadata.changed") == 2


def test_an_undo_over_someone_elses_newer_save_is_refused(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path
) -> None:
    naam = text_field(editor, "naam")
    type_into(qtbot, naam, "Eerste versie")
    naam.setFocus()
    save_with_ctrl_s(qtbot, editor)
    ws = services.open_workspace(home)  # a colleague saves after us
    try:
        theirs = load_metadata(ws, record.id)
        save_metadata(ws, record.id, dataclasses.replace(theirs.own, naam="Van een collega"),
                      theirs.inherits, expected_version=theirs.version)  # fmt: skip
    finally:
        ws.close()
    editor.undo_button.click()
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "staleMetadata") is not None)
    box = editor.findChild(QMessageBox, "staleMetadata")
    assert box is not None
    assert stored(home, record.id).own.naam == "Van een collega"  # not undone over it
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert text_field(editor, "naam").text() == "Van een collega"
    assert not editor.undo_button.isEnabled()  # read again: nothing of ours to undo


def _close_directly(home: Path, record_id: str) -> None:
    ws = services.open_workspace(home)  # the closed state alone matters here
    try:
        with ws.sessions() as session, session.begin():
            row = session.get(Informatieobject, record_id)
            assert row is not None
            row.status = "closed"
    finally:
        ws.close()


def test_a_closed_record_is_read_only_without_the_records_manager_role(
    qtbot: QtBot, home: Path, record: Created, window: MainWindow
) -> None:
    _close_directly(home, record.id)
    ws = services.open_workspace(home)
    try:  # roles granted, and not to the window's user
        ws.actor = "beheer"
        roles.grant(ws, "iemand.anders", "records_manager")
    finally:
        ws.close()
    dialog = MetadataDialog(window.ops, record.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=WAIT_MS)
    assert dialog.form is not None
    assert all(not field.isEnabled() for field in dialog.form.fields.values())
    assert not dialog.save_action.isEnabled() and not dialog.save_button.isEnabled()
    assert "alleen-lezen" in dialog.heading.text()


def test_a_records_manager_may_edit_a_closed_record_and_is_told_so(
    qtbot: QtBot, home: Path, record: Created, window: MainWindow
) -> None:
    _close_directly(home, record.id)  # single seat: the one user is records manager
    dialog = MetadataDialog(window.ops, record.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=WAIT_MS)
    assert dialog.form is not None
    assert any(field.isEnabled() for field in dialog.form.fields.values())
    qtbot.waitUntil(dialog.save_action.isEnabled, timeout=WAIT_MS)
    assert "archiefbeheerder" in dialog.heading.text()


def test_a_language_switch_keeps_the_edits(
    qtbot: QtBot, editor: MetadataDialog, window: MainWindow
) -> None:
    type_into(qtbot, text_field(editor, "naam"), "Nog niet opgeslagen")
    window.set_language("en")
    assert editor.form is not None
    assert editor.form.tabs.tabText(0) == "&1 Identification"
    assert editor.save_button.text() == "&Save"
    assert text_field(editor, "naam").text() == "Nog niet opgeslagen"
    assert text_field(editor, "naam").accessibleName() == "Name"
    assert editor.is_dirty() and editor.dirty_label.text() == "Unsaved changes"
    window.set_language("nl")
    assert editor.form.tabs.tabText(0) == "&1 Identificatie"


def test_the_archive_creator_offers_the_municipalities(
    qtbot: QtBot, editor: MetadataDialog
) -> None:
    assert editor.form is not None
    field = editor.form.fields["archiefvormer"]
    assert isinstance(field, InheritedField)
    field.toggle.setChecked(False)
    rows = field.editor
    assert isinstance(rows, RepeatableEditor)
    creator = rows.rows[0].editor
    assert isinstance(creator, CompoundEditor)
    naam = creator.children_by_field["naam"]
    assert isinstance(naam, TextEditor) and isinstance(naam.edit, QLineEdit)
    completer = naam.edit.completer()
    assert completer is not None
    type_into(qtbot, naam.edit, "Schiedam")
    completer.activated.emit("gemeente Schiedam")
    assert rows.value() == (
        model.Verwijzing(
            "gemeente Schiedam", model.Identificatie("gm0606", "TOOI register Gemeenten compleet")
        ),
    )


def test_alt_up_moves_the_innermost_row(qtbot: QtBot) -> None:
    field = next(f for f in model.declared(model.Informatieobject) if f.name == "beperking_gebruik")
    rows = make_editor(field, "/MDTO/informatieobject/beperkingGebruik", "Beperking gebruik")
    qtbot.addWidget(rows)
    overig = model.Begrip("Overig", None, model.Verwijzing("Begrippenlijst Beperkingen MDTO"))
    docs = (model.Verwijzing("Besluit A"), model.Verwijzing("Besluit B"))
    first = model.BeperkingGebruik(overig, "eerste", docs)
    second = model.BeperkingGebruik(overig, "tweede")
    rows.set_value((first, second))
    assert isinstance(rows, RepeatableEditor)
    outer = rows.rows[0].editor
    assert isinstance(outer, CompoundEditor)
    inner = outer.children_by_field["documentatie"]
    assert isinstance(inner, RepeatableEditor)
    assert inner.rows[1].editor.path.endswith(
        "/beperkingGebruik[1]/beperkingGebruikDocumentatie[2]"
    )
    target = inner.rows[1].editor.focus_target()
    qtbot.keyClick(target, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert inner.value() == (docs[1], docs[0])  # the documents swapped …
    assert [b.nadere_beschrijving for b in rows.value()] == ["eerste", "tweede"]  # … not these
    qtbot.keyClick(outer.focus_target(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [b.nadere_beschrijving for b in rows.value()] == ["tweede", "eerste"]


def test_every_missing_required_element_is_named_at_its_field(
    qtbot: QtBot, dossier: Created, window: MainWindow, home: Path
) -> None:
    dialog = MetadataDialog(window.ops, dossier.id, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=WAIT_MS)
    form = dialog.form
    assert form is not None
    waardering = form.fields["waardering"]
    assert isinstance(waardering, ClosedBegripPicker)
    waardering.combo.setCurrentIndex(0)  # "(kies)": no appraisal
    for name in ("archiefvormer", "beperking_gebruik"):
        rows = repeat_field(dialog, name)
        qtbot.mouseClick(rows.rows[0].remove, Qt.MouseButton.LeftButton)
        assert rows.value() == ()
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        pass
    for name in ("waardering", "archiefvormer", "beperking_gebruik"):
        assert "verplicht" in form.problem_labels[name].text(), name
    dialog.save()
    assert "Niet opgeslagen" in dialog.status.text()
    assert dialog.view is not None
    assert stored(home, dossier.id).version == dialog.view.version  # nothing saved
    dialog.revert()
    dialog.close()


def test_the_inherited_value_is_told_to_a_screen_reader(editor: MetadataDialog) -> None:
    assert editor.form is not None
    field = editor.form.fields["archiefvormer"]
    assert isinstance(field, InheritedField) and not field.editor.isEnabled()
    assert field.toggle.accessibleDescription() == (
        "Waarde van het dossier: gemeente Rotterdam, gm0599, TOOI register Gemeenten compleet"
    )


def test_alt_and_a_number_open_a_group(qtbot: QtBot, editor: MetadataDialog) -> None:
    assert editor.form is not None
    tabs = editor.form.tabs
    assert tabs.currentIndex() == 0
    naam = text_field(editor, "naam")
    qtbot.keyClick(naam, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    assert tabs.currentIndex() == 6
    qtbot.keyClick(tabs, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert tabs.currentIndex() == 2


def test_another_identifier_is_saved_after_ours(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path
) -> None:
    identifiers = repeat_field(editor, "identificatie")
    assert identifiers.rows == []  # ours is shown read-only above the list
    row = identifiers.add_row(focus=True)
    assert isinstance(row, CompoundEditor)
    kenmerk, bron = row.children_by_field["kenmerk"], row.children_by_field["bron"]
    assert isinstance(kenmerk, TextEditor) and isinstance(bron, TextEditor)
    qtbot.keyClicks(kenmerk.edit, "Z-2026-0417")
    qtbot.keyClicks(bron.edit, "Zaaksysteem")
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save()
    assert stored(home, record.id).own.identificatie == (
        model.Identificatie(record.kenmerk, "RecordsDesk"),
        model.Identificatie("Z-2026-0417", "Zaaksysteem"),
    )
    assert [r.editor.value() for r in repeat_field(editor, "identificatie").rows] == [
        model.Identificatie("Z-2026-0417", "Zaaksysteem")
    ]


def test_closing_with_unsaved_changes_asks_first(qtbot: QtBot, editor: MetadataDialog) -> None:
    type_into(qtbot, text_field(editor, "naam"), "Nog niet opgeslagen")
    editor.close()
    box = editor.findChild(QMessageBox, "discardMetadata")
    assert box is not None and editor.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible() and editor.is_dirty()
    editor.close()
    again = [b for b in editor.findChildren(QMessageBox, "discardMetadata") if b.isVisible()]
    assert len(again) == 1
    again[0].button(QMessageBox.StandardButton.Discard).click()
    assert not editor.isVisible()


def test_only_the_value_lists_the_organisation_offers_are_offered(
    qtbot: QtBot, home: Path, record: Created, request: pytest.FixtureRequest
) -> None:
    ws = services.open_workspace(home)
    try:
        set_setting(ws, "mdto.lists", "beperking-gebruik,event")
    finally:
        ws.close()
    window = request.getfixturevalue("window")
    row = window.records.row_of(record.id)
    assert row is not None
    window.record_panel.select_rows([row])
    window.record_panel.view.setFocus()
    qtbot.keyClick(window.record_panel.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(MetadataDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.form is not None, timeout=WAIT_MS)
    assert dialog.form is not None
    beperking = dialog.form.fields["beperking_gebruik"]
    assert isinstance(beperking, InheritedField)
    beperking.toggle.setChecked(False)
    rows = beperking.editor
    assert isinstance(rows, RepeatableEditor)
    added = rows.add_row()  # a row added after the form was built offers the same lists
    for editor in (rows.rows[0].editor, added):
        assert isinstance(editor, CompoundEditor)
        picker = editor.children_by_field["type"]
        assert isinstance(picker, BegripPicker)
        assert [lijst.key for lijst in picker.lists] == ["beperking-gebruik"]
    waardering = dialog.form.fields["waardering"]
    assert isinstance(waardering, InheritedField)
    assert isinstance(waardering.editor, ClosedBegripPicker), "a closed list is always offered"
    dialog.revert()
    dialog.close()


def test_a_document_type_is_a_classificatie_in_its_own_list_completed_as_typed(
    qtbot: QtBot, editor: MetadataDialog, record: Created, home: Path, window: MainWindow
) -> None:
    classificaties = repeat_field(editor, "classificatie")
    qtbot.mouseClick(classificaties.add_button, Qt.MouseButton.LeftButton)
    row = classificaties.rows[0].editor
    assert isinstance(row, FreeBegripEditor)
    type_into(qtbot, row.label_edit, "Factuur")
    completer = row.list_edit.completer()
    assert completer is not None, "RecordsDesk's own lists are offered"
    row.list_edit.setFocus()
    qtbot.keyClicks(row.list_edit, "docu")
    qtbot.waitUntil(lambda: completer.popup().isVisible(), timeout=WAIT_MS)
    assert completer.currentCompletion() == "Documenttypen RecordsDesk"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert row.list_edit.text() == "Documenttypen RecordsDesk"
    save_with_ctrl_s(qtbot, editor)
    settle(qtbot, window)
    ws = services.open_workspace(home)
    try:
        with ws.readers() as session:
            found = session.get(Informatieobject, record.id)
            assert found is not None and found.documenttype == "Factuur"
            assert found.classificatie is None, "not the ordering scheme's classificatie"
    finally:
        ws.close()
