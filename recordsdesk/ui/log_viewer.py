"""Help › Logboek: the application's recent log lines, in the window.

What the service desk asks for first is what happened just before. The lines come
from the in-memory buffer (``errors.RingBufferHandler``: the last lines of this
session) and, when a data folder is open, the log file in its ``logs`` folder
(earlier sessions too, see :func:`install_log_file`). Nothing in a log line is a
credential: passwords and tokens are never logged (see the security rules).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import _
from recordsdesk.ui import errors

LOG_FILE = "recordsdesk.log"
LOG_FILE_BYTES = 1_000_000  # then rotated: three files of a megabyte at most
LOG_FILE_COUNT = 3
#: the viewer shows at most this many lines of the log file (its end)
FILE_LINES = 2_000

#: how a log entry (not a continuation line of one) begins: the formatter's asctime
ENTRY_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")

_file_handler: logging.Handler | None = None


def install_log_file(logs: Path) -> Path | None:
    """Log the ``recordsdesk`` logger (INFO and up) to ``logs/recordsdesk.log`` as
    well, rotating at a megabyte; once per process (a second data folder keeps the
    first file). Returns the file, or None when it cannot be written."""
    global _file_handler
    target = logs / LOG_FILE
    if _file_handler is not None:
        return Path(getattr(_file_handler, "baseFilename", target))
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logging.getLogger("recordsdesk").addHandler(handler)
    _file_handler = handler
    return target


def log_file() -> Path | None:
    """The log file this process writes, if any."""
    name = getattr(_file_handler, "baseFilename", None)
    return Path(name) if name else None


def _tail(path: Path, lines: int) -> list[str]:
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - lines * 200))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return text.splitlines()[-lines:]


class LogViewer(QDialog):
    """The recent log lines, newest last; warnings and errors only when asked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logViewer")
        self.where = QLabel()
        self.where.setObjectName("logWhere")
        self.where.setWordWrap(True)
        self.problems_only = QCheckBox()
        self.problems_only.setObjectName("logProblemsOnly")
        self.problems_only.toggled.connect(lambda _on: self.reload())
        self.text = QPlainTextEdit()
        self.text.setObjectName("logText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.reload_button = QPushButton()
        self.reload_button.setObjectName("logReload")
        self.reload_button.clicked.connect(self.reload)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("logCopy")
        self.copy_button.clicked.connect(self.copy)
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("logFolder")
        self.folder_button.clicked.connect(self.open_folder)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.problems_only)
        row.addStretch(1)
        for button in (self.reload_button, self.copy_button, self.folder_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.resize(900, 520)
        self.retranslate()
        self.reload()

    def lines(self) -> list[str]:
        """The lines shown: the log file's end (else this session's buffer), filtered."""
        path = log_file()
        found = _tail(path, FILE_LINES) if path is not None else []
        found = found or list(errors.session_log_lines())
        return problems(found) if self.problems_only.isChecked() else found

    def reload(self) -> None:
        self.text.setPlainText("\n".join(self.lines()) or _("(no log lines yet)"))
        self.text.moveCursor(QTextCursor.MoveOperation.End)
        path = log_file()
        self.where.setText(
            _("Log file: {path}").format(path=path)
            if path is not None
            else _("No log file is written (no data folder open); these are this session's lines.")
        )
        self.folder_button.setEnabled(path is not None)

    def copy(self) -> None:
        """Copy what is shown, with the version, for the service desk."""
        QGuiApplication.clipboard().setText(errors.service_desk_text(self.text.toPlainText()))

    def open_folder(self) -> None:
        path = log_file()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Log"))
        self.setAccessibleName(_("Log"))
        self.setAccessibleDescription(_("The recent log lines of RecordsDesk, newest last"))
        self.problems_only.setText(_("Only &warnings and errors"))
        self.problems_only.setAccessibleDescription(_("Hide the lines that are information only"))
        self.text.setAccessibleName(_("Log lines"))
        self.text.setAccessibleDescription(_("Read-only; select text to copy a part"))
        self.reload_button.setText(_("&Read again"))
        self.reload_button.setAccessibleDescription(_("Show the lines written since"))
        self.copy_button.setText(_("&Copy for the service desk"))
        self.copy_button.setAccessibleDescription(
            _("Copy the lines shown, with the version, to the clipboard")
        )
        self.folder_button.setText(_("Open log &folder"))
        self.folder_button.setAccessibleDescription(_("Show the log files in the file manager"))
        self.where.setAccessibleName(self.where.text())
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleDescription(_("Close the log (Esc)"))


def problems(lines: list[str]) -> list[str]:
    """The entries of ``lines`` at WARNING or above, each with its continuation lines
    (a traceback): an entry starts with its date, a continuation does not."""
    kept: list[str] = []
    keep = False
    for line in lines:
        if ENTRY_START.match(line):
            keep = any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))
        if keep:
            kept.append(line)
    return kept


def show_log(parent: QWidget) -> LogViewer:
    """Open the log viewer (raised if it is open)."""
    for found in parent.findChildren(LogViewer):  # kept when closed: shown again
        found.reload()
        found.show()
        found.raise_()
        found.activateWindow()
        return found
    viewer = LogViewer(parent)
    viewer.show()
    return viewer
