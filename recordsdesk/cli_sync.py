"""The command line's ``sync`` verb: one sync run, the sync state, conflicts.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls
:mod:`recordsdesk.archive.sync`. ``recordsdesk sync`` runs once with a progress
line on standard error and exits non-zero when anything failed to go across
(the counts are in ``--json``: pushed, pulled, conflicts, failed). Conflicts
are not failures: they wait for the user's choice (``sync resolve``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recordsdesk.archive.central.connection import central_engine
from recordsdesk.archive.sync import conflicts
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.central_content import open_central_workspace, publish
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.archive.sync.outbox import status
from recordsdesk.archive.sync.verify_central import verify_central as check_central
from recordsdesk.cli_central import ask_on_terminal
from recordsdesk.i18n import _
from recordsdesk.services.dto import VerifyReport
from recordsdesk.services.workspace import Workspace, open_workspace

SYNC_COMMANDS = ("sync",)
EXIT_FAILED = 1


def add_commands(commands: Any, json_flag: Any) -> None:
    parser = commands.add_parser("sync", help=_("synchronise with the central archive"))
    json_flag(parser)
    verbs = parser.add_subparsers(dest="sync_command", metavar=_("sync command"))
    json_flag(verbs.add_parser("status", help=_("what is waiting to be synchronised")))
    json_flag(verbs.add_parser("conflicts", help=_("objects changed here and centrally")))
    resolve = verbs.add_parser("resolve", help=_("settle a conflict: keep mine or take theirs"))
    resolve.add_argument("conflict_id", metavar=_("CONFLICT"))
    resolve.add_argument("choice", choices=conflicts.CHOICES)


def in_central(home: Path | None, work: Callable[[Workspace], int], *, settle: bool = True) -> int:
    """``recordsdesk --central …``: run ``work`` on a workspace over the central archive
    (this workstation's login), then (``settle``) publish content made meanwhile (a
    verklaring) and let go of content nothing refers to any more (destruction)."""
    local = open_workspace(home)
    try:
        engine = central_engine(local, ask_on_terminal)
    finally:
        local.close()
    ws = open_central_workspace(home, engine)
    try:
        code = work(ws)
        if settle:
            publish(Central.open(engine), ws.objects)
        return code
    finally:
        ws.close()


def verify_central(ws: Workspace, *, over_central: bool = False) -> VerifyReport:
    """``recordsdesk verify --central``: the central archive's fixity and audit chain.

    ``recordsdesk --central verify`` (``over_central``: ``ws`` is already over the
    central archive) means the same: checking this workstation's store against every
    bestand of the central archive would call each file filed elsewhere missing."""
    if over_central:
        return check_central(Central.open(ws.engine))
    central = _central(ws)
    try:
        return check_central(central)
    finally:
        central.engine.dispose()


def _central(ws: Workspace) -> Central:
    return Central.open(central_engine(ws, ask_on_terminal))


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.sync_command == "status":
        return _status(ws, args.json)
    if args.sync_command == "conflicts":
        return _conflicts(ws, args.json)
    if args.sync_command == "resolve":
        central = _central(ws)
        try:
            view = conflicts.resolve(ws, central, args.conflict_id, args.choice)
        finally:
            central.engine.dispose()
        print(
            _("Conflict on {kenmerk} settled: {choice}.").format(
                kenmerk=view.kenmerk, choice=_choice(args.choice)
            )
        )
        return 0
    return _run(ws, args.json)


def _run(ws: Workspace, as_json: bool) -> int:
    central = _central(ws)
    interactive = sys.stderr.isatty() and not as_json

    def progress(done: int, total: int, label: str) -> None:
        if interactive:
            print(f"\r{_(label)}: {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        report = sync_once(ws, central, progress)
    finally:
        central.engine.dispose()
    if interactive:
        print(file=sys.stderr)
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(
            _("Sent {pushed}, received {pulled}, conflicts {conflicts}, failed {failed}.").format(
                pushed=report.pushed,
                pulled=report.pulled,
                conflicts=report.conflicts,
                failed=report.failed,
            )
        )
        for problem in report.problems:
            print(_("NOT SYNCHRONISED: {message}").format(message=problem.message()))
        if report.conflicts:
            print(_("Conflicts wait for your choice: recordsdesk sync conflicts"))
    return 0 if report.ok else EXIT_FAILED


def _status(ws: Workspace, as_json: bool) -> int:
    state = status(ws)
    if as_json:
        print(json.dumps(state.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(
        _(
            "Waiting: {changes} changes, {bytes} bytes of content; open conflicts: {conflicts}."
        ).format(
            changes=state.pending_changes, bytes=state.pending_bytes, conflicts=state.conflicts
        )
    )
    if state.last_at is None:
        print(_("Never synchronised."))
    else:
        print(
            _("Last sync: {when}.").format(
                when=state.last_at.astimezone().strftime("%d-%m-%Y %H:%M")
            )
        )
    return 0


def _conflicts(ws: Workspace, as_json: bool) -> int:
    found = conflicts.open_conflicts(ws)
    if as_json:
        print(json.dumps([c.to_json() for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(_("No conflicts."))
    for conflict in found:
        print(f"{conflict.id}  {conflict.kenmerk}  {conflict.naam}")
        for name in conflict.differing:
            print(
                "  "
                + _("{field}: mine {mine!r}, central {theirs!r}").format(
                    field=name, mine=conflict.local.get(name), theirs=conflict.central.get(name)
                )
            )
    return 0


def _choice(choice: str) -> str:
    return _("kept mine") if choice == "mine" else _("took the central version")
