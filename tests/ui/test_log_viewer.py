"""Help › Logboek and the service-desk copy of a user error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from recordsdesk import __version__
from recordsdesk.errors import UserError
from recordsdesk.ui import errors, log_viewer
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.log_viewer import LogViewer, problems
from recordsdesk.ui.mainwindow import MainWindow
from tests.ui.conftest import WAIT_MS
from tests.ui.test_accessibility_tree import problems as unnamed

pytestmark = pytest.mark.gui


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """A log file of this test's own (the handler is per process; it is put back)."""
    before = log_viewer._file_handler
    log_viewer._file_handler = None
    errors.install_log_buffer()
    target = log_viewer.install_log_file(tmp_path / "logs")
    assert target is not None
    yield target
    handler = log_viewer._file_handler
    if handler is not None:
        logging.getLogger("recordsdesk").removeHandler(handler)
        handler.close()
    log_viewer._file_handler = before


def test_the_viewer_shows_the_log_files_end_and_filters_problems(
    qtbot: QtBot, log_file: Path
) -> None:
    logger = logging.getLogger("recordsdesk.test")
    logger.info("een regel ter informatie")
    try:
        raise ValueError("kapot")
    except ValueError:
        logger.exception("iets ging mis")
    viewer = LogViewer()
    qtbot.addWidget(viewer)
    viewer.show()
    shown = viewer.text.toPlainText()
    assert "een regel ter informatie" in shown and "ValueError: kapot" in shown
    assert str(log_file) in viewer.where.text()
    viewer.problems_only.setChecked(True)
    shown = viewer.text.toPlainText()
    assert "een regel ter informatie" not in shown
    assert "iets ging mis" in shown and "ValueError: kapot" in shown  # with its traceback
    viewer.copy()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"RecordsDesk {__version__}") and "iets ging mis" in copied
    assert unnamed(viewer, descriptions=True) == []


def test_problems_keep_the_continuation_lines_of_their_entries() -> None:
    lines = [
        "2026-11-30 10:00:00,001 INFO recordsdesk.x: fine",
        "2026-11-30 10:00:01,001 ERROR recordsdesk.x: broken",
        "Traceback (most recent call last):",
        "ValueError: no",
        "2026-11-30 10:00:02,001 INFO recordsdesk.x: fine again",
        "  an indented continuation of an INFO entry",
        "2026-11-30 10:00:03,001 WARNING recordsdesk.x: careful",
    ]
    assert problems(lines) == [lines[1], lines[2], lines[3], lines[6]]


def test_help_opens_the_viewer_once(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.findChild(LogViewer) is not None, timeout=WAIT_MS)
    window.commands.show_log.trigger()
    assert len(window.findChildren(LogViewer)) == 1
    viewer = window.findChildren(LogViewer)[0]
    viewer.close()
    window.commands.show_log.trigger()  # closed once, it comes back
    assert viewer.isVisible() and len(window.findChildren(LogViewer)) == 1
    for viewer in window.findChildren(LogViewer):
        viewer.close()


def test_a_user_error_has_details_and_a_copy_for_the_service_desk(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    box = show_error(parent, UserError("File not found: {path}", {"path": "/tmp/weg.pdf"}))
    assert isinstance(box, QMessageBox)
    assert "UserError: File not found: {path}" in box.detailedText()  # behind Show Details…
    copy = box.findChild(QPushButton, "copyForServiceDesk")
    assert copy is not None and copy.text() == "&Kopiëren voor de servicedesk"
    copy.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"RecordsDesk {__version__}")
    assert "/tmp/weg.pdf" in copied and "UserError" in copied
    box.close()
    box.deleteLater()
