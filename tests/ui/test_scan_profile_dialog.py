"""The scan profile dialog through the real widgets (offscreen), in Dutch: a new profile
is made from the default's settings, a value the service refuses keeps the dialog open."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from recordsdesk import services
from recordsdesk.errors import UserError
from recordsdesk.i18n import translate_error
from recordsdesk.services import scan_profiles
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.scan_batches import ScanBatchesView
from recordsdesk.ui.views.scan_profiles import ScanProfileDialog
from tests.ui.conftest import WAIT_MS


def test_make_a_profile_in_the_dialog(qtbot: QtBot, window: MainWindow, home: Path) -> None:
    window.tools.scan_batches_action.trigger()
    view = window.findChild(ScanBatchesView)
    assert view is not None and view.profiles_button.text() == "Scanpro&fielen…"
    view.profiles_button.click()
    dialog = view.findChild(ScanProfileDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.languages.text() == "nld", timeout=WAIT_MS)
    assert dialog.name.currentText() == "standaard" and dialog.dpi.value() == 300
    for widget in (dialog.name, dialog.languages, dialog.dpi, dialog.colour_mode,
                   dialog.min_confidence, *dialog.switches.values()):  # fmt: skip
        assert widget.accessibleName()

    dialog.name.setEditText("balie 2e verdieping")
    dialog.languages.setText("nld, eng")
    dialog.dpi.setValue(200)
    dialog.colour_mode.setCurrentIndex(dialog.colour_mode.findData("bw"))
    dialog.sample_size.setValue(12)
    dialog.switches["duplex_collation"].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    ws = services.open_workspace(home)
    try:
        assert scan_profiles.profile_names(ws) == ["standaard", "balie 2e verdieping"]
        saved = scan_profiles.profile(ws, "balie 2e verdieping")
        assert saved.languages == ("nld", "eng") and saved.dpi == 200
        assert saved.colour_mode == "bw" and saved.sample_size == 12 and saved.duplex_collation
        assert saved.rotate and saved.split_on_sheets  # the default's, as shown
    finally:
        ws.close()


def test_a_refused_value_keeps_the_dialog_open(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.tools.scan_batches_action.trigger()
    view = window.findChild(ScanBatchesView)
    assert view is not None
    view.profiles_button.click()
    dialog = view.findChild(ScanProfileDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.languages.text() == "nld", timeout=WAIT_MS)
    shown: list[BaseException] = []
    import recordsdesk.ui.errors as errors

    monkeypatch.setattr(errors, "show_error", lambda _parent, exc: shown.append(exc))
    dialog.languages.setText("nl-2")  # not a Tesseract language code
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert isinstance(shown[0], UserError)
    assert (
        translate_error(shown[0]) == "Een scanprofiel heeft een of meer OCR-talen nodig, zoals nld."
    )
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
