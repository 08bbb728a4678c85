"""The command line's retention verbs on dossiers: ``dossier classify|close|reopen`` and
``retention undetermined|due``.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
service as the desktop window (:mod:`recordsdesk.services.closing`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.services import closing, due
from recordsdesk.services.workspace import Workspace

DOSSIER_COMMANDS = ("classify", "close", "reopen")
RETENTION_COMMANDS = ("retention",)


def parse_day(text: str) -> dt.date:
    """An argparse type: a date as YYYY-MM-DD, or a clear message."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        message = _("not a date (YYYY-MM-DD): {text}").format(text=text)
        raise argparse.ArgumentTypeError(message) from None


def add_dossier_commands(dossier_cmds: Any, json_flag: Any) -> None:
    """Add ``classify``, ``close`` and ``reopen`` to the ``dossier`` sub-parsers."""
    classify = dossier_cmds.add_parser(
        "classify", help=_("classify a dossier under a Selectielijst result")
    )
    classify.add_argument("kenmerk", metavar="KENMERK")
    classify.add_argument("--resultaat", required=True, metavar=_("NUMBER"))
    classify.add_argument("--jaar", type=int, metavar=_("YEAR"))
    close = dossier_cmds.add_parser(
        "close", help=_("close a dossier and derive its archiefactiedatum")
    )
    close.add_argument("kenmerk", metavar="KENMERK")
    close.add_argument("--date", type=parse_day, metavar="YYYY-MM-DD", help=_("default: today"))
    close.add_argument(
        "--afleidingswijze", metavar=_("RULE"), help=_("how the brondatum is derived")
    )
    close.add_argument("--procestermijn", metavar="P…", help=_("for the rule termijn, e.g. P5Y"))
    close.add_argument(
        "--datum", type=parse_day, metavar="YYYY-MM-DD", help=_("for the rule ander_datumkenmerk")
    )
    json_flag(close)
    reopen = dossier_cmds.add_parser("reopen", help=_("open a closed dossier again"))
    reopen.add_argument("kenmerk", metavar="KENMERK")
    reopen.add_argument("--reason", required=True, help=_("why (it goes into the audit trail)"))


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``retention undetermined`` to the top-level sub-parsers."""
    parser = commands.add_parser("retention", help=_("retention lists"))
    verbs = parser.add_subparsers(
        dest="retention_command", metavar=_("retention command"), required=True
    )
    json_flag(
        verbs.add_parser(
            "undetermined", help=_("closed dossiers whose archiefactiedatum is still open")
        )
    )
    due_cmd = verbs.add_parser(
        "due", help=_("dossiers due for destruction or transfer (held ones apart)")
    )
    due_cmd.add_argument("--on", type=parse_day, metavar="YYYY-MM-DD", help=_("default: today"))
    json_flag(due_cmd)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.command == "retention" and args.retention_command == "due":
        _print_due(due.due(ws, args.on), args.json)
    elif args.command == "retention":
        found = closing.undetermined(ws)
        if args.json:
            print(json.dumps([_undetermined(u) for u in found], ensure_ascii=False, indent=2))
        for item in [] if args.json else found:
            day = item.gesloten_op.isoformat() if item.gesloten_op else "-"
            print(f"{item.kenmerk}\t{day}\t{item.naam}\t{_(item.reason) if item.reason else ''}")
        if not args.json and not found:
            print(_("No dossiers waiting for their archiefactiedatum."))
    elif args.dossier_command == "classify":
        nummer = closing.classify(ws, args.kenmerk, args.resultaat, args.jaar)
        print(_("{kenmerk} is classified under result {nummer}.").format(
            kenmerk=args.kenmerk, nummer=nummer))  # fmt: skip
    elif args.dossier_command == "close":
        done = closing.close(ws, args.kenmerk, on=args.date, afleidingswijze=args.afleidingswijze,
                             procestermijn=args.procestermijn, datum=args.datum)  # fmt: skip
        if args.json:
            print(json.dumps(_closed(done), ensure_ascii=False, indent=2))
        elif done.archiefactiedatum is not None:
            print(_("{kenmerk} closed on {date}: waardering {w}, archiefactiedatum {due}.").format(
                kenmerk=done.kenmerk, date=done.gesloten_op.isoformat(), w=done.waardering,
                due=done.archiefactiedatum.isoformat()))  # fmt: skip
        else:
            line = _("{kenmerk} closed on {date}; its archiefactiedatum is still open: {why}")
            print(line.format(kenmerk=done.kenmerk, date=done.gesloten_op.isoformat(),
                              why=_(done.open_reason or "")))  # fmt: skip
    else:
        closing.reopen(ws, args.kenmerk, args.reason)
        print(_("{kenmerk} is open again.").format(kenmerk=args.kenmerk))
    return 0


def _print_due(found: due.DueList, as_json: bool) -> None:
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return
    groups = (
        (_("To destroy (V)"), found.destroy),
        (_("To transfer (B)"), found.transfer),
        (_("Held (not destroyed or transferred)"), found.held),
        (_("Archiefactiedatum still open"), found.undetermined),
    )
    print(_("Due on {date}:").format(date=found.on.isoformat()))
    for title, items in groups:
        print(f"{title}: {len(items)}")
        for item in items:
            day = item.archiefactiedatum.isoformat() if item.archiefactiedatum else "-"
            note = f"\t{_(item.note)}" if item.note else ""
            print(f"  {item.kenmerk}\t{day}\t{item.resultaat or '-'}\t{item.naam}{note}")


def _closed(done: closing.Closed) -> dict[str, Any]:
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day is not None else None

    return {
        "kenmerk": done.kenmerk,
        "waardering": done.waardering,
        "gesloten_op": done.gesloten_op.isoformat(),
        "brondatum": iso(done.brondatum),
        "archiefactiedatum": iso(done.archiefactiedatum),
        "overbrengingsdatum": iso(done.overbrengingsdatum),
        "open": done.open_reason,
    }


def _undetermined(item: closing.Undetermined) -> dict[str, Any]:
    return {
        "kenmerk": item.kenmerk,
        "naam": item.naam,
        "gesloten_op": item.gesloten_op.isoformat() if item.gesloten_op else None,
        "reason": _(item.reason) if item.reason else None,
    }
