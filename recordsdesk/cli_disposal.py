"""The command line's ``destruction`` and ``transfer`` verbs: lists and their procedure.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
services as the desktop window (:mod:`recordsdesk.services.disposal`,
:mod:`recordsdesk.services.disposal_run`). The acting user is the login, or
``RECORDSDESK_USER`` in the embedded single-seat store.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from recordsdesk.cli_closing import parse_day as _day
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.services import disposal, disposal_run
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import Progress

DISPOSAL_COMMANDS = ("destruction", "transfer")
_KIND = {"destruction": disposal.DESTRUCTION, "transfer": disposal.TRANSFER}


def _exclusion(text: str) -> tuple[str, str]:
    kenmerk, sep, reason = text.partition("=")
    if not sep or not kenmerk.strip() or not reason.strip():
        message = _("write an exclusion as KENMERK=REASON: {text}").format(text=text)
        raise argparse.ArgumentTypeError(message)
    return kenmerk.strip(), reason.strip()


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``destruction …`` and ``transfer …`` to the top-level sub-parsers."""
    helps = {
        "destruction": _("destruction lists (vernietigingslijsten)"),
        "transfer": _("transfer lists (overbrenging to the e-Depot)"),
    }
    for command, help_text in helps.items():
        parser = commands.add_parser(command, help=help_text)
        verbs = parser.add_subparsers(dest="list_command", metavar=_("command"), required=True)
        create = verbs.add_parser("create", help=_("compile a list of everything due"))
        create.add_argument("--name", required=True, help=_("the list's name"))
        create.add_argument("--on", type=_day, metavar="YYYY-MM-DD", help=_("default: today"))
        json_flag(create)
        json_flag(verbs.add_parser("list", help=_("the lists and their states")))
        show = verbs.add_parser("show", help=_("a list with its items"))
        _list_arg(show, json_flag, versioned=False)
        submit = verbs.add_parser("submit", help=_("hand the list to the reviewer or archivist"))
        submit.add_argument("--reviewer", help=_("who reviews (the process owner)"))
        _list_arg(submit, json_flag)
        review = verbs.add_parser("review", help=_("review: pass the list or exclude items"))
        _exclude_arg(review)
        _list_arg(review, json_flag)
        _list_arg(verbs.add_parser("approve", help=_("approve the list (archivist)")), json_flag)
        reject = verbs.add_parser("reject", help=_("send the list back to its author"))
        reject.add_argument("--reason", required=True)
        _exclude_arg(reject)
        _list_arg(reject, json_flag)
        decide = verbs.add_parser("decide", help=_("keep or remove an excluded item (author)"))
        decide.add_argument("kenmerk", metavar="KENMERK")
        choice = decide.add_mutually_exclusive_group(required=True)
        choice.add_argument("--keep", action="store_true")
        choice.add_argument("--remove", action="store_true")
        decide.add_argument("--reason", default="")
        _list_arg(decide, json_flag)
        execute = verbs.add_parser("execute", help=_("carry out an approved list (resumable)"))
        if command == "transfer":
            execute.add_argument("--out", type=Path, required=True, metavar=_("FOLDER"))
        _list_arg(execute, json_flag)
        abort = verbs.add_parser("abort", help=_("abort a list that is not being carried out"))
        abort.add_argument("--reason", required=True)
        _list_arg(abort, json_flag)
        if command == "transfer":
            confirm = verbs.add_parser(
                "confirm", help=_("record the receiving archive's confirmation")
            )
            confirm.add_argument("--reference", required=True, help=_("the archive's receipt"))
            _list_arg(confirm, json_flag)


def _exclude_arg(parser: Any) -> None:
    parser.add_argument(
        "--exclude", action="append", type=_exclusion, default=[], metavar="KENMERK=REASON",
        help=_("take an item out, with a reason (repeatable)"),
    )  # fmt: skip


def _list_arg(parser: Any, json_flag: Any, *, versioned: bool = True) -> None:
    parser.add_argument("list_id", metavar="LIST", help=_("the list's id (6 characters suffice)"))
    if versioned:
        parser.add_argument(
            "--if-version", type=int, dest="expected", metavar="N",
            help=_("refuse if the list changed since you saw version N"),
        )  # fmt: skip
    json_flag(parser)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    verb, kind = args.list_command, _KIND[args.command]
    expected = getattr(args, "expected", None)
    if verb not in ("create", "list"):
        _check_kind(ws, args, kind)
    if verb == "create":
        _show(disposal.create_list(ws, kind=kind, name=args.name, on=args.on), args.json)
    elif verb == "list":
        found = [i for i in disposal.all_lists(ws) if i.kind == kind]
        if args.json:
            print(json.dumps([i.to_json() for i in found], ensure_ascii=False, indent=2))
        elif not found:
            print(_("No lists."))
        for info in [] if args.json else found:
            print(f"{info.id[:8]}\t{info.state}\t{_count(info)}\t{info.naam}")
    elif verb == "show":
        _show(disposal.show(ws, args.list_id), args.json, items=True, ws=ws)
    elif verb == "submit":
        info = disposal.submit(ws, args.list_id, reviewer=args.reviewer, expected=expected)
        _show(info, args.json)
    elif verb == "review":
        excluded = dict(args.exclude)
        _show(disposal.review(ws, args.list_id, exclusions=excluded, expected=expected), args.json)
    elif verb == "approve":
        _show(disposal.approve(ws, args.list_id, expected=expected), args.json)
    elif verb == "reject":
        info = disposal.reject(
            ws, args.list_id, args.reason, exclusions=dict(args.exclude), expected=expected
        )
        _show(info, args.json)
    elif verb == "decide":
        info = disposal.decide(
            ws, args.list_id, args.kenmerk, keep=args.keep, reason=args.reason, expected=expected
        )
        _show(info, args.json)
    elif verb == "execute":
        report = disposal_run.execute(
            ws, args.list_id, out=getattr(args, "out", None), progress=_progress(args.json),
            expected=expected,
        )  # fmt: skip
        if args.json:
            data = {**report.list.to_json(), "done": report.done, "skipped": report.skipped,
                    "package": str(report.sip) if report.sip else None}  # fmt: skip
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            _show(report.list, False)
            if report.sip is not None:
                print(_("Transfer package: {path}").format(path=report.sip))
    elif verb == "abort":
        _show(disposal.abort(ws, args.list_id, args.reason, expected=expected), args.json)
    elif verb == "confirm":
        info = disposal_run.confirm_transfer(ws, args.list_id, args.reference, expected=expected)
        _show(info, args.json)
    return 0


def _check_kind(ws: Workspace, args: argparse.Namespace, kind: str) -> None:
    info = disposal.show(ws, args.list_id)
    if info.kind != kind:
        raise UserError(
            N_("{naam} is a list of another kind; use the command for {kind} lists."),
            {"naam": info.naam, "kind": info.kind},
        )


def _progress(quiet: bool) -> Progress:
    def report(done: int, total: int, _label: str) -> None:
        if not quiet and sys.stderr.isatty():
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    return report


#: item states in words (msgids)
ITEM_STATES = {
    "listed": N_("on the list"),
    "excluded": N_("excluded"),
    "kept": N_("kept"),
    "removed": N_("removed"),
    "skipped": N_("skipped"),
    "destroyed": N_("destroyed"),
    "transferred": N_("transferred"),
}


def _state(state: str) -> str:
    return _(ITEM_STATES[state]) if state in ITEM_STATES else state


def _count(info: disposal.ListInfo) -> str:
    return ", ".join(f"{_state(state)} {n}" for state, n in sorted(info.counts.items()))


def _show(
    info: disposal.ListInfo, as_json: bool, *, items: bool = False, ws: Workspace | None = None
) -> None:
    found = disposal.items(ws, info.id, limit=1_000_000) if items and ws is not None else []
    if as_json:
        data = info.to_json()
        if items:
            data["items"] = [i.to_json() for i in found]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print(f"{info.id}\t{info.kind}\t{info.state}\t{info.naam}")
    print("  " + _("version {version}; author {author}; reviewer {reviewer}; approved by "
                   "{approver}").format(version=info.version, author=info.author,
                                        reviewer=info.reviewer or "-",
                                        approver=info.approved_by or "-"))  # fmt: skip
    print("  " + _count(info))
    if info.last_reason:
        print("  " + _("last reason: {reason}").format(reason=info.last_reason))
    for item in found:
        note = f"\t{_(item.note) if item.state == 'skipped' else item.note}" if item.note else ""
        if item.held:
            note += "\t" + _("under a legal hold now")
        print(f"  {item.kenmerk}\t{_state(item.state)}\t{item.resultaat or '-'}\t{item.naam}{note}")
