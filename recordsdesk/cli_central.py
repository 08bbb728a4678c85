"""The command line's ``central`` verb: set up a central archive and point this workstation at it.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls
:mod:`recordsdesk.archive.central`. A password is read from standard input
(``--password-stdin``, one line) or, on a terminal, asked without echo. There is
deliberately no ``--password`` option: it would end up in the shell's history and
in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from recordsdesk.archive.central import connection, reach
from recordsdesk.archive.central.credentials import keyring_status
from recordsdesk.archive.central.setup import index_central, init_central
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.services.workspace import Workspace

CENTRAL_COMMANDS = ("central",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``central init|set|show`` to the top-level sub-parsers."""
    parser = commands.add_parser("central", help=_("the central archive"))
    verbs = parser.add_subparsers(
        dest="central_command", metavar=_("central command"), required=True
    )
    init = verbs.add_parser(
        "init", help=_("create or upgrade a central archive (schema, roles, policies)")
    )
    init.add_argument("url", metavar="URL")
    _password_flag(init)
    chosen = verbs.add_parser("set", help=_("point this workstation at a central archive"))
    chosen.add_argument("url", metavar="URL")
    _password_flag(chosen)
    chosen.add_argument(
        "--no-test", action="store_true", help=_("store the URL without trying to connect")
    )
    json_flag(verbs.add_parser("show", help=_("the central archive this workstation uses")))
    indexing = verbs.add_parser(
        "index", help=_("bring the central search index up to date (as the archive's owner)")
    )
    indexing.add_argument("url", metavar="URL")
    _password_flag(indexing)
    indexing.add_argument("--rebuild", action="store_true", help=_("index everything again"))
    grant = verbs.add_parser(
        "grant", help=_("give a database login a role in the central archive (PostgreSQL)")
    )
    revoke = verbs.add_parser("revoke", help=_("take a role from a database login"))
    for verb in (grant, revoke):
        verb.add_argument("login", metavar=_("LOGIN"))
        roles = _("filer, records_manager, archivist, woo_searcher, admin or restricted")
        verb.add_argument("role", metavar=_("ROLE"), help=roles)
        verb.add_argument(
            "--department", metavar="D", help=_("also (or no longer) of department D")
        )


def _password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from the first line of standard input"),
    )


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.central_command == "init":
        return _init(ws, args)
    if args.central_command == "set":
        return _set(ws, args)
    if args.central_command in ("grant", "revoke"):
        return _membership(ws, args)
    if args.central_command == "index":
        return _index(args)
    return _show(ws, args.json)


def _stdin_password() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise UserError(N_("--password-stdin was given, but standard input held no password."))
    return line


def _prompted(central: reach.CentralUrl) -> str | None:
    prompt = _("Password of {user} for {where} (empty: none, e.g. Kerberos): ").format(
        user=central.user, where=central.where
    )
    return getpass.getpass(prompt) or None


def ask_on_terminal(reason: str) -> str | None:
    """An ``ask`` for :func:`connection.central_engine`: the reason, then a hidden prompt."""
    if not sys.stdin.isatty():
        return None
    print(reason, file=sys.stderr)
    return getpass.getpass(_("Password: ")) or None


def _init(ws: Workspace, args: argparse.Namespace) -> int:
    central = reach.parse_url(args.url)  # a bad URL is refused before any prompt
    password = None
    if args.password_stdin:
        password = _stdin_password()
    elif not central.is_sqlite and central.password is None and sys.stdin.isatty():
        password = _prompted(central)
    report = init_central(args.url, password, ws.layout.backups)
    if report.migrated:
        print(
            _("Central archive {url} set up: schema {before} -> {head}.").format(
                url=report.url, before=report.before or _("(empty)"), head=report.head
            )
        )
    else:
        print(
            _("Central archive {url} already at head ({head}); the schema was not changed.").format(
                url=report.url, head=report.head
            )
        )
    if report.enforced:
        print(_("Roles, grants and row-level security are in place."))
    return 0


def _index(args: argparse.Namespace) -> int:
    central = reach.parse_url(args.url)
    password = None
    if args.password_stdin:
        password = _stdin_password()
    elif not central.is_sqlite and central.password is None and sys.stdin.isatty():
        password = _prompted(central)
    written = index_central(args.url, password, rebuild=args.rebuild)
    print(
        _("Search index of {url} up to date: {count} entries written.").format(
            url=central.text, count=written
        )
    )
    return 0


def _set(ws: Workspace, args: argparse.Namespace) -> int:
    central = reach.parse_url(args.url)
    password = None
    keyring_usable = keyring_status().usable
    if args.password_stdin:
        password = _stdin_password()
    elif (
        not central.is_sqlite and central.password is None and keyring_usable and sys.stdin.isatty()
    ):
        password = _prompted(central)
    info = connection.set_central(
        ws, args.url, password, test=not args.no_test, ask=ask_on_terminal
    )
    print(_("This workstation now uses the central archive {url}.").format(url=info.url))
    if password or central.password:
        print(_("The password is kept in the keyring ({backend}).").format(
            backend=info.keyring.backend))  # fmt: skip
    if args.no_test:
        print(_("The connection was not tested."))
    return 0


def _show(ws: Workspace, as_json: bool) -> int:
    info = connection.central_status(ws)
    if as_json:
        data = {
            "url": info.url,
            "embedded": info.embedded,
            "dialect": info.dialect,
            "keyring": {
                "backend": info.keyring.backend,
                "usable": info.keyring.usable,
                "reason": _(info.keyring.reason) if info.keyring.reason else None,
            },
            "password_stored": info.password_stored,
            "reachable": info.reachable,
            "revision": info.revision,
            "problem": info.problem,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    kind = _("embedded, single seat") if info.embedded else info.dialect
    print(_("Central archive: {url} ({kind})").format(url=info.url, kind=kind))
    usable = _("usable") if info.keyring.usable else _("not usable")
    print(_("Keyring: {backend}, {usable}").format(backend=info.keyring.backend, usable=usable))
    if info.keyring.reason:
        print("  " + _(info.keyring.reason))
    if not info.embedded and info.dialect != "sqlite":
        stored = _("yes") if info.password_stored else _("no")
        print(_("Password kept in the keyring: {stored}").format(stored=stored))
    reachable = _("yes") if info.reachable else _("no")
    revision = info.revision or "-"
    print(_("Reachable: {reachable}; schema {revision}").format(
        reachable=reachable, revision=revision))  # fmt: skip
    if info.problem:
        print(info.problem)
    return 0


def _membership(ws: Workspace, args: argparse.Namespace) -> int:
    """Grant or revoke a role on the central archive this workstation uses."""
    engine = connection.central_engine(ws, ask_on_terminal)
    try:
        if engine.dialect.name != "postgresql":
            raise UserError(
                N_("Roles exist only in a PostgreSQL central archive; this one is {url}."),
                {"url": reach.render(engine.url)},
            )
        # imported here: only PostgreSQL central archives have roles
        from recordsdesk.archive.central import enforce

        if args.central_command == "grant":
            enforce.grant(engine, args.login, args.role, args.department)
            done = _("{login} now has the role {role}.")
        else:
            enforce.revoke(engine, args.login, args.role, args.department)
            done = _("{login} no longer has the role {role}.")
    finally:
        engine.dispose()
    print(done.format(login=args.login, role=args.role))
    if args.department:
        print(_("Department: {department}").format(department=args.department))
    return 0
