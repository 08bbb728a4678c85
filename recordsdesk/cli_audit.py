"""The command line's ``audit`` verb: the audit trail of a dossier or a list as CSV.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls
:mod:`recordsdesk.services.audit_export`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from recordsdesk.archive.central.connection import central_engine
from recordsdesk.audit import ChainProblem, verify_chain
from recordsdesk.cli_central import ask_on_terminal
from recordsdesk.db.models import AuditEvent
from recordsdesk.i18n import N_, _
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
    verify = verbs.add_parser("verify", help=_("check the audit trail's hash chain"))
    verify.add_argument(
        "--central", action="store_true", help=_("also check the central archive's trail")
    )
    json_flag(verify)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.audit_command == "verify":
        return _verify(ws, args)
    count = export_audit(ws, args.out, kenmerk=args.dossier, list_id=args.list_id)
    print(_("{count} audit events written to {path}.").format(count=count, path=args.out))
    return 0


# the reasons audit.verify_chain gives, marked for translation
_REASONS = (N_("previous hash does not match"), N_("content does not match its hash"))


def _walk(engine: Engine) -> tuple[int, list[ChainProblem]]:
    # one snapshot for the count and the walk; reading takes no write lock on SQLite
    options: dict[str, Any] = {"read_only": True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with Session(engine.execution_options(**options)) as session, session.begin():
        rows = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return rows, verify_chain(session)


def _verify(ws: Workspace, args: argparse.Namespace) -> int:
    """Walk the working store's chain (and the central one): exit 1 at any break."""
    results = {"working": _walk(ws.engine)}
    if args.central:
        engine = central_engine(ws, ask_on_terminal)
        try:
            results["central"] = _walk(engine)
        finally:
            engine.dispose()
    if args.json:
        data = {
            store: {
                "rows": rows,
                "intact": not problems,
                "breaks": [{"seq": p.seq, "reason": _(p.reason)} for p in problems],
            }
            for store, (rows, problems) in results.items()
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    names = {"working": _("working store"), "central": _("central archive")}
    for store, (rows, problems) in [] if args.json else results.items():
        for problem in problems:
            print(_("{store}: BROKEN at seq {seq}: {reason}").format(
                store=names[store], seq=problem.seq, reason=_(problem.reason)))  # fmt: skip
        if problems:
            print(_("{store}: audit trail broken ({count} breaks in {rows} rows).").format(
                store=names[store], count=len(problems), rows=rows))  # fmt: skip
        else:
            print(_("{store}: audit trail intact ({rows} rows).").format(
                store=names[store], rows=rows))  # fmt: skip
    return 1 if any(problems for _rows, problems in results.values()) else 0
