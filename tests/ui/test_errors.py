"""show_error: user errors in words, damage explained, bugs in the crash dialog."""

from __future__ import annotations

import gc
import sys

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from recordsdesk.errors import IntegrityError, UserError
from recordsdesk.tasks import Cancelled
from recordsdesk.ui import errors
from recordsdesk.ui.errors import CrashDialog, show_error


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_user_error_shows_its_message_and_every_detail(parent: QWidget) -> None:
    error = UserError(
        "Nothing was filed: {count} of the files cannot be used.",
        {"count": 2},
        details=[
            UserError("File not found: {path}", {"path": "/tmp/a.pdf"}),
            UserError("The file is empty: {path}", {"path": "/tmp/b.txt"}),
        ],
    )
    box = show_error(parent, error)
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text().startswith("Nothing was filed: 2") or "2" in box.text()
    assert "/tmp/a.pdf" in box.informativeText() and "/tmp/b.txt" in box.informativeText()
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_damage_is_explained_not_reported_as_a_bug(parent: QWidget) -> None:
    box = show_error(parent, IntegrityError("ab" * 32, "checksum mismatch"))
    assert isinstance(box, QMessageBox)
    assert "beschadigd" in box.text()
    assert "checksum mismatch" in box.informativeText()
    box.close()


def test_an_error_without_a_parent_window_stays_open(qtbot: QtBot) -> None:
    show_error(None, UserError("A title is required."))
    gc.collect()
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "userErrorBox"]
    assert len(boxes) == 1 and boxes[0].isVisible()
    boxes[0].close()


def test_cancelling_is_not_an_error(parent: QWidget) -> None:
    assert show_error(parent, Cancelled("cancelled")) is None


def test_a_bug_gets_the_crash_dialog_with_the_traceback(parent: QWidget) -> None:
    try:
        raise ZeroDivisionError("oops")
    except ZeroDivisionError as exc:
        dialog = show_error(parent, exc)
    assert isinstance(dialog, CrashDialog) and dialog.isVisible()
    report = dialog.report.toPlainText()
    assert "Traceback" in report and "ZeroDivisionError: oops" in report
    assert "test_a_bug_gets_the_crash_dialog" in report
    dialog.close()


def test_the_excepthook_shows_uncaught_bugs(
    parent: QWidget, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored afterwards
    errors.install_excepthook()
    assert sys.excepthook is errors._excepthook
    try:
        raise KeyError("missing")
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert dialogs and "KeyError: 'missing'" in dialogs[-1].report.toPlainText()
    assert "KeyError" in capsys.readouterr().err
    for dialog in dialogs:
        dialog.close()
