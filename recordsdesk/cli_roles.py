"""The command line's ``role`` verb: who holds which role in this store.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls
:mod:`recordsdesk.services.roles`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from recordsdesk.db.models import ROLES
from recordsdesk.i18n import _
from recordsdesk.services import roles
from recordsdesk.services.workspace import Workspace

ROLE_COMMANDS = ("role",)


def add_commands(commands: Any, json_flag: Any) -> None:
    parser = commands.add_parser("role", help=_("roles of the users of this store"))
    verbs = parser.add_subparsers(dest="role_command", metavar=_("role command"), required=True)
    for verb, help_text in (
        ("grant", _("give a user a role")),
        ("revoke", _("take a role from a user")),
    ):
        sub = verbs.add_parser(verb, help=help_text)
        sub.add_argument("user", metavar=_("USER"))
        sub.add_argument("role", metavar=_("ROLE"), help=", ".join(ROLES))
    json_flag(verbs.add_parser("list", help=_("who holds which role")))


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.role_command == "grant":
        for made in roles.grant(ws, args.user, args.role):
            print(_("{user} now has the role {role}.").format(user=made.user, role=made.role))
    elif args.role_command == "revoke":
        roles.revoke(ws, args.user, args.role)
        print(_("{user} no longer has the role {role}.").format(user=args.user, role=args.role))
    else:
        found = roles.grants(ws)
        if args.json:
            print(json.dumps([g.to_json() for g in found], ensure_ascii=False, indent=2))
        elif not found:
            print(_("No roles granted: single-seat mode, the one user acts in every role."))
        for grant in [] if args.json else found:
            print(f"{grant.user}\t{grant.role}\t{grant.granted_by}")
    return 0
