"""Errors shown to the user: one function for user errors, one dialog for bugs.

:func:`show_error` is the only way the UI reports a failure:

* a :class:`UserError` shows its translated message, with the details (every
  problem found, not only the first) underneath;
* an :class:`IntegrityError` says that stored content is damaged and was not
  used (it is not the user's fault, but not a program bug either);
* :class:`Cancelled` is not an error: nothing is shown;
* anything else is a bug and gets the crash dialog with the traceback and the
  last log lines.

Dialogs are opened without blocking (``open()``, not ``exec()``), so a worker's
error never nests an event loop and tests can look at the dialog.
"""

from __future__ import annotations

import collections
import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from recordsdesk import __version__
from recordsdesk.errors import IntegrityError, UserError
from recordsdesk.i18n import _, translate_error
from recordsdesk.tasks import Cancelled

log = logging.getLogger("recordsdesk.ui")

LOG_LINES = 200


class RingBufferHandler(logging.Handler):
    """Keeps the last log lines in memory for the crash dialog."""

    def __init__(self, capacity: int = LOG_LINES) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # logging must never raise
            self.handleError(record)


_ring = RingBufferHandler()

# A dialog without a parent is owned by Python alone: keep it referenced while it
# is open, or the garbage collector closes it the moment show_error returns.
_open_dialogs: set[QDialog] = set()


def _keep_open(dialog: QDialog) -> QDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.add(dialog)
    dialog.finished.connect(lambda _result: _open_dialogs.discard(dialog))
    dialog.open()
    return dialog


def install_log_buffer() -> None:
    """Attach the in-memory log buffer to the ``recordsdesk`` logger (once)."""
    logger = logging.getLogger("recordsdesk")
    if _ring not in logger.handlers:
        logger.addHandler(_ring)
        logger.setLevel(logging.INFO)


def user_message(exc: BaseException) -> tuple[str, str] | None:
    """(message, details) for errors that are not bugs; ``None`` for a bug."""
    if isinstance(exc, UserError):
        details = "\n".join(translate_error(d) for d in exc.details)
        return _(exc.msgid).format(**exc.params), details
    if isinstance(exc, IntegrityError):
        return (
            _(
                "A stored file is damaged or missing: its content no longer matches "
                "its checksum. It was not used."
            ),
            _("Object {sha256}: {reason}").format(sha256=exc.sha256, reason=exc.reason),
        )
    return None


def show_error(parent: QWidget | None, exc: BaseException) -> QDialog | None:
    """Show ``exc`` to the user; returns the (non-blocking) dialog, if any."""
    if isinstance(exc, Cancelled):
        return None
    known = user_message(exc)
    if known is None:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.error("unexpected error in a background job:\n%s", text)
        return show_crash_dialog(parent, text)
    message, details = known
    log.info("user error: %s", getattr(exc, "args", exc))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("RecordsDesk"))
    box.setText(message)
    if details:
        box.setInformativeText(details)
    box.setDetailedText(  # behind "Show Details…": what the service desk needs
        f"{type(exc).__name__}: {getattr(exc, 'msgid', '') or exc}\n"
        + "\n".join(session_log_lines()[-20:])
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setEscapeButton(QMessageBox.StandardButton.Ok)  # Esc and close() still close it
    copy = box.addButton(_("&Copy for the service desk"), QMessageBox.ButtonRole.ActionRole)
    copy.setObjectName("copyForServiceDesk")
    copy.setAccessibleDescription(_("Copy the message, its details and the version"))
    # it closes the box, as every button of a QMessageBox does: the text is copied first
    copy.clicked.connect(
        lambda: QGuiApplication.clipboard().setText(
            service_desk_text("\n\n".join(x for x in (message, details, box.detailedText()) if x))
        )
    )
    box.setAccessibleName(_("Error message"))
    box.setAccessibleDescription(message)
    box.setObjectName("userErrorBox")
    return _keep_open(box)


def session_log_lines() -> list[str]:
    """This session's last log lines (the in-memory buffer)."""
    return list(_ring.lines)


def service_desk_text(body: str) -> str:
    """``body`` headed by what the service desk asks first: version, platform, time."""
    import datetime as dt
    import platform

    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return f"RecordsDesk {__version__} · {platform.platform()} · {stamp}\n\n{body}\n"


class CrashDialog(QDialog):
    """A bug: what happened, the traceback and recent log lines, copyable."""

    def __init__(self, parent: QWidget | None, report: str) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(_("RecordsDesk: unexpected error"))
        self.setAccessibleName(_("Unexpected error"))
        intro = QLabel(
            _(
                "RecordsDesk ran into a program error. Your stored files are not affected: "
                "every change is saved in one step or not at all. Please send the text "
                "below to your application administrator."
            )
        )
        intro.setWordWrap(True)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Error report"))
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy to clipboard"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.setAccessibleName(_("Copy to clipboard"))
        copy.clicked.connect(self._copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())


def crash_report(text: str) -> str:
    recent = "\n".join(_ring.lines)
    return f"RecordsDesk {__version__}\n\n{text}\n{_('Recent log lines:')}\n{recent}"


def show_crash_dialog(parent: QWidget | None, text: str) -> QDialog:
    return _keep_open(CrashDialog(parent, crash_report(text)))


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    text = "".join(traceback.format_exception(kind, exc, tb))
    log.critical("uncaught exception:\n%s", text)
    sys.stderr.write(text)
    app = QApplication.instance()
    if isinstance(app, QApplication) and threading.current_thread() is threading.main_thread():
        show_crash_dialog(app.activeWindow(), text)


def install_excepthook() -> None:
    """Bugs raised in slots and event handlers go to the crash dialog, not to stderr only."""
    sys.excepthook = _excepthook
