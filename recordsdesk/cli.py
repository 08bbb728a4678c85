"""Headless front end: ``recordsdesk`` on the command line.

Calls the same services as the desktop window. Exit codes: 0 done; 1
``verify`` found damage; 2 a user error (one line per problem, no traceback);
70 an internal error (the traceback goes to the log file, not the screen).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import multiprocessing
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from recordsdesk import __version__, i18n
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.paths import HomeLayout, default_home

if TYPE_CHECKING:
    from recordsdesk import services

EXIT_OK, EXIT_DAMAGE, EXIT_USER, EXIT_BUG = 0, 1, 2, 70
log = logging.getLogger("recordsdesk.cli")

#: Which ``cli_*`` module adds and runs each top-level command, in the order of
#: ``--help``. A run imports only its own command's module: every module pulls in
#: its services, and a script calling ``recordsdesk`` hundreds of times should not
#: wait for all of them each time. (``tests/cli/test_cli_lazy.py`` checks this table
#: against the modules' own lists.)
COMMAND_MODULES: dict[str, str] = {
    "dossier": "cli_records",
    "file": "cli_records",
    "verify": "cli_records",
    "export": "cli_records",
    "import": "cli_records",
    "dropfolder": "cli_intake",
    "watch": "cli_intake",
    "inbox": "cli_intake",
    "settings": "cli_settings",
    "selectielijst": "cli_retention",
    "hold": "cli_holds",
    "retention": "cli_closing",
    "destruction": "cli_disposal",
    "transfer": "cli_disposal",
    "role": "cli_roles",
    "audit": "cli_audit",
    "central": "cli_central",
    "sync": "cli_sync",
    "separator-sheet": "cli_scan",
    "scan": "cli_scan",
    "search": "cli_search",
    "saved-search": "cli_search",
    "woo": "cli_woo",
}
#: Global options that take a value (so the command is not mistaken for one).
_VALUED_OPTIONS = ("--home", "--lang")


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"recordsdesk.{name}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"{self.prog}: {_('error')}: {message}\n")


def command_in(argv: Sequence[str]) -> str | None:
    """The top-level command ``argv`` asks for, or None (help, a typo, none at all)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _VALUED_OPTIONS:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (with one of COMMAND_MODULES' commands) the global
    options and that command's module only, for a run that will not need the others."""
    parser = _Parser(prog="recordsdesk", description=_("RecordsDesk records management"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"RecordsDesk {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        help=_("data folder (default: RECORDSDESK_HOME or the user data dir)"),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of messages"))
    parser.add_argument(
        "--central",
        dest="in_central",
        action="store_true",
        help=_("work in the central archive itself (records managers: retention, holds, lists)"),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("command"), required=True)
    modules = dict.fromkeys(COMMAND_MODULES.values())
    for name in [COMMAND_MODULES[command]] if command in COMMAND_MODULES else modules:
        _module(name).add_commands(commands, _json_flag)
    return parser


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))


def _dispatch(ws: services.Workspace, args: argparse.Namespace) -> int:
    return int(_module(COMMAND_MODULES[args.command]).dispatch(ws, args))


def run(args: argparse.Namespace) -> int:
    if args.command == "selectielijst":
        # reference data shipped with the app: no workspace
        return int(_module("cli_retention").dispatch(args))
    if args.in_central:
        if args.command in ("sync", "central"):
            raise UserError(N_("--central is for work in the central archive; {command} is not."),
                            {"command": args.command})  # fmt: skip
        settle = args.command != "verify"  # a check changes nothing, centrally either
        from recordsdesk import cli_sync

        return cli_sync.in_central(args.home, lambda ws: _dispatch(ws, args), settle=settle)
    from recordsdesk import services

    ws = services.open_workspace(args.home)
    try:
        return _dispatch(ws, args)
    finally:
        ws.close()


def _log_bug(home: Path | None) -> Path | None:
    try:
        logs = HomeLayout(home or default_home()).logs
        logs.mkdir(parents=True, exist_ok=True)
        target = logs / "cli-errors.log"
        with target.open("a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return target
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    # a frozen build starts the examination worker (intake) through this entry
    multiprocessing.freeze_support()
    i18n.set_language(i18n.language_from_environment())
    i18n.install_argparse_translation()
    raw = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in raw[:-1]:  # the language must be known before the parser speaks
        i18n.set_language(raw[raw.index("--lang") + 1])
    args = build_parser(command_in(raw)).parse_args(raw)
    try:
        return run(args)
    except UserError as error:
        print(f"recordsdesk: {i18n.translate_error(error)}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print(_("Interrupted; nothing half-done was kept."), file=sys.stderr)
        return 130
    except Exception as error:
        where = _log_bug(args.home)
        print(
            _("Internal error ({kind}); please report it. Details: {log}").format(
                kind=type(error).__name__, log=where or "-"
            ),
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    raise SystemExit(main())
