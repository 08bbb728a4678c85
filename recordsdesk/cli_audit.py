"""The command line's ``audit`` verb: the audit trail of a dossier or a list as CSV.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls
:mod:`recordsdesk.services.audit_export`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.services.audit_export import export_audit
from recordsdesk.services.workspace import Workspace

AUDIT_COMMANDS = ("audit",)


def add_commands(commands: Any, json_flag: Any) -> None:
    parser = commands.add_parser("audit", help=_("the audit trail"))
    verbs = parser.add_subparsers(dest="audit_command", metavar=_("audit command"), required=True)
    export = verbs.add_parser(
        "export", help=_("write the audit trail of a dossier or a list as CSV")
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--dossier", metavar="KENMERK")
    which.add_argument("--list", dest="list_id", metavar=_("LIST"))
    export.add_argument("--out", type=Path, required=True, metavar=_("FILE"))


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    count = export_audit(ws, args.out, kenmerk=args.dossier, list_id=args.list_id)
    print(_("{count} audit events written to {path}.").format(count=count, path=args.out))
    return 0
