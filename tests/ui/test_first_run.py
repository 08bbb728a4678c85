"""The first-run assistant: language, organisation, central archive, drop folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtWidgets import QMessageBox, QWizard

from recordsdesk.archive.central.connection import configured_url
from recordsdesk.db.models import AuditEvent
from recordsdesk.intake.folders import list_drop_folders
from recordsdesk.services import organisation, scan_profiles
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.first_run import FirstRunWizard
from recordsdesk.ui.mainwindow import MainWindow
from tests.ui.conftest import WAIT_MS, settle
from tests.ui.test_accessibility_tree import problems

pytestmark = pytest.mark.gui


def _open(qtbot: QtBot, window: MainWindow) -> FirstRunWizard:
    window.commands.first_run.trigger()  # Help › Assistent eerste gebruik…
    wizard = window.findChild(FirstRunWizard)
    assert wizard is not None and wizard.isVisible()
    return wizard


def test_the_steps_are_named_and_the_test_stores_nothing(
    qtbot: QtBot, window: MainWindow, home: Path, tmp_path: Path
) -> None:
    ws = window.ops.workspace
    assert ws is not None
    before = configured_url(ws)
    wizard = _open(qtbot, window)
    for _step in range(4):
        assert problems(wizard, descriptions=True) == [], wizard.currentPage().title()
        wizard.next()
    wizard.restart()
    wizard.next()
    wizard.next()  # the central archive
    wizard.central.setText(str(tmp_path / "nergens.sqlite"))
    wizard.test_button.click()
    qtbot.waitUntil(lambda: "Geen verbinding" in wizard.test_result.text(), timeout=WAIT_MS)
    assert "nergens.sqlite" in wizard.test_result.text()
    wizard.central.setText("")
    wizard.test_button.click()
    assert "Vul eerst het adres" in wizard.test_result.text()
    ws = window.ops.workspace
    assert ws is not None
    with ws.readers() as session:
        audit_before = len(session.scalars(select(AuditEvent.seq)).all())
    wizard.central.setText(str(home / "central.sqlite"))  # a test that succeeds
    wizard.test_button.click()
    qtbot.waitUntil(lambda: "Verbonden" in wizard.test_result.text(), timeout=WAIT_MS)
    assert configured_url(ws).text == before.text  # the address was not stored
    wizard.reject()  # cancelled: nothing stored, and not shown again
    assert all(value.is_default for value in organisation.settings(ws))
    with ws.readers() as session:
        assert len(session.scalars(select(AuditEvent.seq)).all()) == audit_before
    assert ui_settings.first_run_done(window.settings)


def test_finishing_stores_the_organisation_the_central_archive_and_a_drop_folder(
    qtbot: QtBot, window: MainWindow, home: Path, tmp_path: Path
) -> None:
    assert not ui_settings.first_run_done(window.settings)
    wizard = _open(qtbot, window)
    qtbot.waitUntil(lambda: wizard.archiefvormer.isEnabled(), timeout=WAIT_MS)  # filled in
    wizard.next()
    wizard.archiefvormer.setCurrentIndex(wizard.archiefvormer.findData("gm0363"))
    wizard.bron.setText("Zaaksysteem Amsterdam")
    wizard.next()
    embedded = home / "central.sqlite"  # the embedded central archive: tested, then set
    wizard.central.setText(str(embedded))
    wizard.test_button.click()
    qtbot.waitUntil(lambda: wizard.test_button.isEnabled(), timeout=WAIT_MS)
    assert "Verbonden" in wizard.test_result.text(), wizard.test_result.text()
    wizard.next()
    scanner = tmp_path / "Scanner"
    scanner.mkdir()
    wizard.folder.setText(str(scanner))
    with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    settle(qtbot, window)
    ws = window.ops.workspace
    assert ws is not None
    saved = {value.spec.key: value.value for value in organisation.settings(ws)}
    assert saved["mdto.archiefvormer"] == "gm0363"
    assert saved["mdto.identificatie_bron"] == "Zaaksysteem Amsterdam"
    assert configured_url(ws).url.database == str(embedded)
    assert [info.path for info in list_drop_folders(ws)] == [scanner]
    assert ui_settings.first_run_done(window.settings)
    assert "ingericht" in window.status_label.text()


def test_a_scanners_folder_gets_its_scan_profile_with_the_resolution_chosen(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = _open(qtbot, window)
    choice = wizard.scan
    qtbot.waitUntil(lambda: choice.scanner.isEnabled(), timeout=WAIT_MS)  # profiles read
    for _step in range(3):
        wizard.next()
    assert problems(wizard, descriptions=True) == []
    assert not choice.profile.isEnabled() and not choice.dpi.isEnabled()  # until checked
    assert choice.scanner.text().startswith("Deze map ontvangt de uitvoer van een &scanner")
    scanner = tmp_path / "Balie"
    scanner.mkdir()
    wizard.folder.setText(str(scanner))
    choice.scanner.setChecked(True)
    assert choice.profile.currentData() == "standaard" and choice.dpi.value() == 300
    assert choice.colour.currentText() == "grijstinten"
    choice.dpi.setValue(200)
    choice.colour.setCurrentIndex(choice.colour.findData("bw"))
    with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    settle(qtbot, window)
    ws = window.ops.workspace
    assert ws is not None
    [folder] = list_drop_folders(ws)
    assert (folder.path, folder.scan_profile) == (scanner, "standaard")
    stored = scan_profiles.profile(ws, "standaard")
    assert (stored.dpi, stored.colour_mode, stored.languages) == (200, "bw", ("nld",))


def test_a_bad_step_keeps_the_assistant_open_with_the_reason(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = _open(qtbot, window)
    for _step in range(3):
        wizard.next()
    wizard.folder.setText(str(tmp_path / "bestaat-niet"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.findChild(QMessageBox) is not None, timeout=WAIT_MS)
    assert wizard.isVisible()
    assert not ui_settings.first_run_done(window.settings)
    box = wizard.findChild(QMessageBox)
    assert box is not None
    box.close()
    wizard.reject()


def test_run_again_it_starts_from_what_is_stored(qtbot: QtBot, window: MainWindow) -> None:
    ws = window.ops.workspace
    assert ws is not None
    organisation.set_settings(ws, {"mdto.archiefvormer": "gm0363"})
    wizard = _open(qtbot, window)
    qtbot.waitUntil(lambda: wizard.loaded, timeout=WAIT_MS)
    assert wizard.archiefvormer.currentData() == "gm0363"  # not back to Rotterdam
    for _step in range(3):
        wizard.next()
    with qtbot.waitSignal(wizard.accepted, timeout=WAIT_MS):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert organisation.get_setting(ws, "mdto.archiefvormer").value == "gm0363"
