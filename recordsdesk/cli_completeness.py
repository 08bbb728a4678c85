"""The command line's ``dossier completeness``: is a dossier the whole story?

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
service as the desktop window (:mod:`recordsdesk.archive.completeness`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from recordsdesk.archive.completeness import dossier_completeness
from recordsdesk.i18n import _
from recordsdesk.services.workspace import Workspace

DOSSIER_COMMANDS = ("completeness",)


def add_dossier_commands(dossier_cmds: Any, json_flag: Any) -> None:
    """Add ``completeness`` to the ``dossier`` sub-parsers."""
    check = dossier_cmds.add_parser(
        "completeness", help=_("say whether a dossier is complete, and why not")
    )
    check.add_argument("kenmerk", metavar="KENMERK")
    json_flag(check)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    """Print the dossier's completeness; exit 0 whether complete or not (a finding,
    not a failure), non-zero only for bad input (raised as UserError)."""
    found = dossier_completeness(ws, args.kenmerk, central=bool(getattr(args, "in_central", False)))
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"{found.kenmerk}  {found.naam}")
    if found.complete:
        print(_("Complete: nothing known to be missing or waiting."))
    else:
        print(_("Not complete:"))
        for reason in found.reasons:
            print(f"  - {_(reason.message).format(**reason.params)}")
    print(_("{records} records visible to you").format(records=found.records))
    return 0
