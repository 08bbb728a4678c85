"""Start the desktop application: ``python -m recordsdesk`` and ``recordsdesk-gui``.

Composition root: arguments → language → display check → QApplication with
Qt's own translations → background executors → main window. The workspace is
opened by the window on the database worker, never on the GUI thread.

Exit codes: 0 normal end (or ``--smoke-test`` passed); 1 a step of the smoke
test failed (see ``recordsdesk.ui.smoke``); 2 bad arguments or no display; 3 the
smoke test timed out.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from recordsdesk import __version__, i18n
from recordsdesk.i18n import _
from recordsdesk.paths import HomeLayout
from recordsdesk.resources import resource_path
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.collector import MainThreadCollector
from recordsdesk.ui.errors import install_excepthook, install_log_buffer
from recordsdesk.ui.log_viewer import install_log_file
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops

EXIT_OK, EXIT_SMOKE_FAILED, EXIT_USAGE, EXIT_TIMEOUT = 0, 1, 2, 3
SMOKE_TIMEOUT_MS = 60_000

log = logging.getLogger("recordsdesk.ui.app")
#: the interpreter's thread switch interval in the window's process (see ``_run``)
GUI_SWITCH_INTERVAL_S = 0.0005


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recordsdesk-gui", description=_("RecordsDesk records management (desktop)")
    )
    parser.add_argument("--version", action="version", version=f"RecordsDesk {__version__}")
    parser.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        help=_("data folder (default: RECORDSDESK_HOME or the user data dir)"),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of the window"))
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_(
            "open the window and the data folder, file one generated document, verify the "
            "store, close again; exit 0 when all went well"
        ),
    )
    return parser


def display_problem(qt_args: Sequence[str] = ()) -> str | None:
    """Why Qt cannot show a window here, or ``None`` when it can (Linux only)."""
    if not sys.platform.startswith("linux") or "-platform" in qt_args:
        return None
    if any(os.environ.get(var) for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        return None
    return _(
        "RecordsDesk cannot open its window: there is no screen (neither DISPLAY nor "
        "WAYLAND_DISPLAY is set).\n"
        "On a machine without a screen, start it on a virtual one:\n"
        "    xvfb-run -a make run\n"
        "or without showing anything (for checks and scripts):\n"
        "    QT_QPA_PLATFORM=offscreen make run"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop application; returns the process exit code."""
    # a frozen build starts the examination worker (intake) through this entry
    multiprocessing.freeze_support()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    qsettings = ui_settings.default_settings()
    env_args = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(ui_settings.choose_language(_peek_lang(env_args), qsettings))
    i18n.install_argparse_translation()
    try:
        args, qt_args = build_parser().parse_known_args(env_args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    language = ui_settings.choose_language(args.lang, qsettings)
    i18n.set_language(language)
    if args.smoke_test and args.home is None:
        # it files a document: never into someone's real archive (and from there to the
        # central one)
        print(_("--smoke-test needs --home DIR: a throwaway data folder of its own."),
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE

    problem = display_problem(qt_args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    return _run(args, qt_args, language, qsettings)


def _peek_lang(argv: Sequence[str]) -> str | None:
    """``--lang`` before argparse runs, so even its messages use the right language."""
    for n, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
    return None


def _run(args: argparse.Namespace, qt_args: list[str], language: str, qsettings: QSettings) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ui_settings.ORGANIZATION)
    app.setApplicationName(ui_settings.APPLICATION)
    app.setApplicationDisplayName("RecordsDesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("nl.rotterdam.RecordsDesk")  # Wayland and Linux docks find the icon
    app.setWindowIcon(QIcon(str(resource_path("icons", "recordsdesk.png"))))
    ui_settings.apply_language(language)
    install_log_buffer()
    install_excepthook()
    collector = MainThreadCollector(app)  # before any worker thread starts
    # Every call between Qt and Python hands the interpreter lock over; while worker
    # threads compute, each hand-over waits up to the switch interval (5 ms by default),
    # and one paint of a list makes hundreds of them: seconds without a frame
    # (benchmark ``heartbeat``). A shorter interval bounds each wait.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)

    ops = Ops()
    # the log file lives in the data folder's logs/ (Help › Logboek shows it)
    ops.workspace_ready.connect(lambda root: install_log_file(HomeLayout(root).logs))
    window = MainWindow(ops, qsettings, args.home)
    window.preloaded.connect(collector.freeze)  # start-up's objects stay: out of sight
    # a smoke test that ends without saying how (the window closed otherwise) failed
    outcome = {"code": EXIT_SMOKE_FAILED if args.smoke_test else EXIT_OK}

    if args.smoke_test:
        from recordsdesk.ui.smoke import SmokeTest  # pikepdf: only the smoke test needs it now

        def finish(code: int, note: str) -> None:
            outcome["code"] = code
            window.close()
            app.exit(code)

        SmokeTest(window, ops, finish, SMOKE_TIMEOUT_MS)

    elif not ui_settings.first_run_done(qsettings):
        # a new user: the first-run assistant, once the data folder is open
        def first_run() -> None:
            from recordsdesk.ui.first_run import show_first_run

            show_first_run(window)

        window.ready.connect(first_run, Qt.ConnectionType.SingleShotConnection)
    window.show()
    window.start()
    code = app.exec()
    ops.shutdown()
    collector.uninstall()
    return outcome["code"] if args.smoke_test else code
