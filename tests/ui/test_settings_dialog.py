"""Bestand › Instellingen (Ctrl+,): the declared settings in one form, saved at once."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from recordsdesk.db.models import AuditEvent
from recordsdesk.services import organisation
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import WAIT_MS, settle
from tests.ui.test_accessibility_tree import problems

pytestmark = pytest.mark.gui


def _open(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is not None, timeout=WAIT_MS)
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    settle(qtbot, window)
    return dialog


def test_every_declared_setting_has_a_named_field(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    assert set(dialog.editors) == {item.key for item in organisation.SETTINGS}
    archiefvormer = dialog.editors["mdto.archiefvormer"]
    assert isinstance(archiefvormer, QComboBox)
    assert archiefvormer.currentText() == "gemeente Rotterdam (gm0599)"
    assert problems(dialog, descriptions=True) == []
    dialog.tabs.setCurrentIndex(1)
    assert problems(dialog, descriptions=True) == []
    dialog.reject()


def test_saving_stores_the_changes_in_one_go_and_refuses_bad_values_whole(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _open(qtbot, window)
    archiefvormer = dialog.editors["mdto.archiefvormer"]
    term, bron = (
        dialog.editors["retention.overbrengingstermijn"],
        dialog.editors["mdto.identificatie_bron"],
    )
    assert isinstance(archiefvormer, QComboBox) and isinstance(term, QLineEdit)
    assert isinstance(bron, QLineEdit)
    archiefvormer.setCurrentIndex(archiefvormer.findData("gm0363"))  # Amsterdam
    term.setText("tien jaar")  # not ISO 8601
    bron.setText("Gemeente Amsterdam, DMS")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox) is not None, timeout=WAIT_MS)
    box = dialog.findChild(QMessageBox)
    assert box is not None and dialog.isVisible()
    box.close()
    ws = window.ops.workspace
    assert ws is not None
    assert organisation.get_setting(ws, "mdto.archiefvormer").value == "gm0599"  # nothing saved

    term.setText("P10Y")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):  # saved, then closed
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    saved = {value.spec.key: value.value for value in organisation.settings(ws)}
    assert saved["mdto.archiefvormer"] == "gm0363"
    assert saved["retention.overbrengingstermijn"] == "P10Y"
    assert saved["mdto.identificatie_bron"] == "Gemeente Amsterdam, DMS"
    with ws.readers() as session:
        changed = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "setting.changed")
        ).all()
    # one audit row per changed setting, nothing for the rest
    assert sorted(json.loads(d)["key"] for d in changed) == [
        "mdto.archiefvormer", "mdto.identificatie_bron", "retention.overbrengingstermijn"
    ]  # fmt: skip
