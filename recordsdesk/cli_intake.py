"""The command line's intake verbs: ``dropfolder``, ``watch`` and ``inbox``.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
intake services as the desktop window.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.intake import folders, inbox, runner
from recordsdesk.intake.stability import DEFAULT_QUIET_PERIOD
from recordsdesk.scan.states import DEFAULT_PROFILE
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken

INTAKE_COMMANDS = ("dropfolder", "watch", "inbox")


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add the intake verbs to the top-level sub-parsers."""
    drop = commands.add_parser("dropfolder", help=_("manage the watched drop folders"))
    drop_cmds = drop.add_subparsers(dest="drop_command", metavar=_("action"), required=True)
    add = drop_cmds.add_parser("add", help=_("watch a folder"))
    add.add_argument("path", type=Path, metavar="PATH")
    add.add_argument("--dossier", metavar="KENMERK", help=_("default dossier for its files"))
    add.add_argument("--recursive", action="store_true", help=_("include subfolders"))
    add.add_argument(
        "--polling", action="store_true", help=_("poll instead of events (network shares)")
    )
    add.add_argument(
        "--after",
        choices=("keep", "move", "delete"),
        default="move",
        help=_("what happens to an original once it is safely stored (default: move)"),
    )
    add.add_argument(
        "--document-type", metavar=_("TYPE"), help=_("default document type for its files")
    )
    add.add_argument(
        "--woo-category",
        metavar=_("CATEGORY"),
        help=_("default Woo information category (name, TOOI code or article)"),
    )
    add.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar=_("PATTERN"),
        help=_("also ignore files matching this pattern (repeatable), e.g. '*.bak'"),
    )
    add.add_argument(
        "--scan",
        action="store_true",
        help=_("a scanner's folder: split its batches at separator sheets, OCR, check quality"),
    )
    add.add_argument(
        "--profile",
        metavar=_("NAME"),
        help=_("the scan profile for its batches (with --scan; default: standaard)"),
    )
    json_flag(add)
    json_flag(drop_cmds.add_parser("list", help=_("list the drop folders")))
    remove = drop_cmds.add_parser("remove", help=_("stop watching a folder"))
    remove.add_argument("path", type=Path, metavar="PATH")

    watch = commands.add_parser("watch", help=_("bring new files from the drop folders in"))
    watch.add_argument(
        "--once", action="store_true", help=_("process what is there now, then stop")
    )
    watch.add_argument(
        "--quiet-period",
        type=float,
        default=DEFAULT_QUIET_PERIOD,
        metavar="SECONDS",
        help=_("how long a file must stay unchanged before it is taken"),
    )

    box = commands.add_parser("inbox", help=_("list and handle inbox items"))
    box_cmds = box.add_subparsers(dest="inbox_command", metavar=_("action"), required=True)
    listing = box_cmds.add_parser("list", help=_("list the inbox"))
    listing.add_argument("--all", action="store_true", help=_("include filed and discarded"))
    json_flag(listing)
    file_cmd = box_cmds.add_parser("file", help=_("file inbox items into a dossier"))
    file_cmd.add_argument("ids", nargs="+", metavar="ID")
    file_cmd.add_argument(
        "--dossier",
        metavar="KENMERK",
        help=_("the dossier (default: the drop folder's default dossier)"),
    )
    json_flag(file_cmd)
    attach = box_cmds.add_parser(
        "attach", help=_("add a duplicate to the record that already holds its content")
    )
    attach.add_argument("id", metavar="ID")
    json_flag(attach)
    retry = box_cmds.add_parser("retry", help=_("try a quarantined item again"))
    retry.add_argument("id", metavar="ID")
    discard = box_cmds.add_parser("discard", help=_("take an item out of the inbox"))
    discard.add_argument("id", metavar="ID")


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.command == "dropfolder":
        return _dropfolder(ws, args)
    if args.command == "watch":
        return _watch(ws, args)
    return _inbox(ws, args)


def _dropfolder(ws: Workspace, args: argparse.Namespace) -> int:
    if args.drop_command == "add":
        if args.profile is not None and not args.scan:
            raise UserError(N_("--profile is for a scanner's folder: add --scan."))
        info = folders.add_drop_folder(
            ws,
            args.path,
            args.dossier,
            args.recursive,
            args.polling,
            args.after,
            document_type=args.document_type,
            woo_category=args.woo_category,
            ignore=args.ignore,
            scan_profile=(args.profile or DEFAULT_PROFILE) if args.scan else None,
        )
        _emit(info.to_json()) if args.json else print(info.path)
    elif args.drop_command == "list":
        listed = folders.list_drop_folders(ws)
        if args.json:
            _emit([f.to_json() for f in listed])
        for f in [] if args.json else listed:
            print(f"{f.path}\t{f.after_intake}\t{f.dossier_kenmerk or '-'}")
    else:
        folders.remove_drop_folder(ws, args.path)
    return 0


def _watch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.once:
        touched = runner.process_once(ws, quiet_period=args.quiet_period)
        print(_("{count} files taken in or resumed.").format(count=len(touched)))
        from recordsdesk.services import scan_batches  # the scan machinery: only when used

        for outcome in scan_batches.process_pending(ws):
            print(_("{name}: {records} records from {pages} pages.").format(
                name=outcome.name, records=len(outcome.parts), pages=outcome.pages))  # fmt: skip
        return 0
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: stop.set())
    print(_("Watching the drop folders; stop with Ctrl+C."), flush=True)
    # scanned batches are taken apart beside intake, so OCR never holds new files up
    cancel = CancelToken()
    scans = threading.Thread(target=_take_apart_batches, args=(ws, stop, cancel), daemon=True)
    scans.start()
    runner.watch(ws, stop, quiet_period=args.quiet_period, on_item=lambda i: print(i, flush=True))
    cancel.cancel()  # an OCR run in progress stops; its batch is taken apart next time
    scans.join()
    print(_("Stopped."))
    return 0


def _take_apart_batches(ws: Workspace, stop: threading.Event, cancel: CancelToken) -> None:
    """Take apart the scanner folders' batches until ``stop`` (``services.scan_loop``),
    once there is a scanner folder (until then the scan machinery is not loaded)."""
    if not folders.wait_for_scanner_folder(ws, stop):
        return
    from recordsdesk.services.scan_loop import take_apart_until  # the scan machinery

    def done(outcome: Any) -> None:
        print(_("{name}: {records} records from {pages} pages.").format(
            name=outcome.name, records=len(outcome.parts), pages=outcome.pages),
            flush=True)  # fmt: skip

    def problem(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    take_apart_until(ws, stop, cancel, done=done, problem=problem)


def _inbox(ws: Workspace, args: argparse.Namespace) -> int:
    if args.inbox_command == "list":
        items = inbox.list_inbox(ws, include_done=args.all)
        if args.json:
            _emit([i.to_json() for i in items])
        for i in [] if args.json else items:
            print(f"{i.id}\t{i.state}\t{i.name}\t{i.reason or ''}")
    elif args.inbox_command == "file":
        result = inbox.file_items(ws, args.ids, args.dossier)
        if args.json:
            _emit({"records": [{"id": r.id, "kenmerk": r.kenmerk} for r in result.records]})
        for record in [] if args.json else result.records:
            print(record.kenmerk)
    elif args.inbox_command == "attach":
        joined = inbox.add_to_existing_record(ws, args.id)
        if args.json:
            _emit({"record": {"id": joined.id, "kenmerk": joined.kenmerk}})
        else:
            print(joined.kenmerk)
    elif args.inbox_command == "retry":
        from recordsdesk.intake import pipeline

        source = inbox.reopen_for_retry(ws, args.id)
        folder = next((f for f in folders.list_drop_folders(ws) if f.path in source.parents), None)
        if folder is not None:
            pipeline.resume_item(ws, folder, args.id, source)
        states = [i.state for i in inbox.list_inbox(ws, include_done=True) if i.id == args.id]
        # withdrawn: the file turned out to be another file or vanished meanwhile
        print(states[0] if states else _("withdrawn"))
    else:
        inbox.discard_item(ws, args.id)
    return 0
