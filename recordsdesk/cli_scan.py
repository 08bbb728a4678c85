"""The command line's scan verbs: ``separator-sheet`` and ``scan`` (process, list, retry,
sample, approve, reject, rescan, replace).

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
service as the desktop window (:mod:`recordsdesk.services.scanning`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.scan.states import STATE_TEXT
from recordsdesk.services.workspace import Workspace

SCAN_COMMANDS = ("separator-sheet", "scan")
MAX_PAGES = 100_000  # a page list longer than this is a typing error


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``separator-sheet`` and ``scan process|list`` to the top-level sub-parsers."""
    sheet = commands.add_parser(
        "separator-sheet",
        help=_("print a separator sheet that starts a record in a scanned batch"),
    )
    sheet.add_argument("--dossier", metavar="KENMERK", help=_("file the record into this dossier"))
    sheet.add_argument("--document-type", metavar="T", help=_("the record's document type"))
    sheet.add_argument("--title", metavar="T", help=_("the record's title"))
    sheet.add_argument(
        "--pages", type=int, metavar="N", help=_("the number of pages expected after the sheet")
    )
    sheet.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help=_("the PDF to write")
    )
    json_flag(sheet)
    scan = commands.add_parser("scan", help=_("scanned batches from scanner folders"))
    verbs = scan.add_subparsers(dest="scan_command", metavar=_("scan command"), required=True)
    json_flag(verbs.add_parser("process", help=_("take apart the batches that wait (OCR, split)")))
    json_flag(verbs.add_parser("list", help=_("the scanned batches, newest first")))
    retry = verbs.add_parser("retry", help=_("take apart again a scan that stopped with a reason"))
    retry.add_argument("item", metavar="ID")
    sample = verbs.add_parser("sample", help=_("draw the random sample of pages to check"))
    sample.add_argument("batch", metavar="BATCH")
    approve = verbs.add_parser(
        "approve", help=_("approve a batch's quality check: the evidence that the paper may go")
    )
    approve.add_argument("batch", metavar="BATCH")
    approve.add_argument(
        "--sampled", metavar="PAGES", help=_("the sampled pages you checked, e.g. 3,7,12")
    )
    approve.add_argument("--note", help=_("a remark for the record"))
    json_flag(approve)
    reject = verbs.add_parser("reject", help=_("reject a batch (to be scanned again)"))
    reject.add_argument("batch", metavar="BATCH")
    reject.add_argument("--note", required=True, help=_("why, e.g. which pages to rescan"))
    rescan = verbs.add_parser("rescan", help=_("ask for pages of a batch to be scanned again"))
    rescan.add_argument("batch", metavar="BATCH")
    rescan.add_argument(
        "--pages", required=True, metavar="PAGES", help=_("the pages, e.g. 3,7,12 or 4-6")
    )
    rescan.add_argument("--note", default="", help=_("what is wrong with them"))
    replace = verbs.add_parser(
        "replace", help=_("put the re-scanned pages in the place of the pages asked for")
    )
    replace.add_argument("batch", metavar="BATCH")
    replace.add_argument(
        "file", type=Path, metavar="FILE", help=_("the re-scan: the pages in the order asked for")
    )
    json_flag(replace)
    _add_profile_commands(verbs, json_flag)


def _add_profile_commands(verbs: Any, json_flag: Any) -> None:
    profile = verbs.add_parser("profile", help=_("the scan profiles: list, show, set, remove"))
    actions = profile.add_subparsers(dest="profile_command", metavar=_("profile command"),
                                     required=True)  # fmt: skip
    json_flag(actions.add_parser("list", help=_("the scan profiles' names")))
    show = actions.add_parser("show", help=_("a scan profile's settings"))
    show.add_argument("name", metavar="NAME")
    json_flag(show)
    remove = actions.add_parser("remove", help=_("remove a scan profile no folder uses"))
    remove.add_argument("name", metavar="NAME")
    change = actions.add_parser(
        "set", help=_("make or change a scan profile (settings not given stay as they are)")
    )
    change.add_argument("name", metavar="NAME")
    change.add_argument("--languages", metavar="L", help=_("OCR languages, e.g. nld or nld,eng"))
    change.add_argument("--dpi", type=int, help=_("the resolution the scanner is set to"))
    change.add_argument("--colour-mode", choices=("bw", "grey", "colour"),
                        help=_("the colour mode the scanner is set to"))  # fmt: skip
    change.add_argument("--min-confidence", type=int, metavar="N",
                        help=_("flag pages OCR reads with less confidence (0-100)"))  # fmt: skip
    change.add_argument("--blank-share", type=float, metavar="F",
                        help=_("a page with marks on less of it than this is blank"))  # fmt: skip
    change.add_argument("--max-skew", type=float, metavar="DEGREES",
                        help=_("flag pages skewed more than this"))  # fmt: skip
    change.add_argument(
        "--sample-size",
        type=int,
        metavar="N",
        help=_("approve by checking a random sample of N pages (0: no sampling)"),
    )
    for flag, text in (
        ("rotate", N_("turn pages scanned sideways or upside down")),
        ("deskew", N_("straighten skewed pages (slow)")),
        ("remove-blank", N_("leave blank pages out of the records")),
        ("duplex-collation", N_("a simplex feeder's two passes: odd pages, then even reversed")),
        ("split-on-sheets", N_("start a new record at each separator sheet")),
    ):
        change.add_argument(f"--{flag}", action=argparse.BooleanOptionalAction, help=_(text))
    json_flag(change)


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.command == "scan":
        return _scan(ws, args)
    from recordsdesk.services import scanning  # the scan machinery: only when used

    fields = scanning.make_separator_sheet(
        ws,
        args.out,
        dossier=args.dossier,
        documenttype=args.document_type,
        titel=args.title,
        pages=args.pages,
    )
    if args.json:
        data = {
            "file": str(args.out),
            "dossier": fields.dossier,
            "documenttype": fields.documenttype,
            "titel": fields.titel,
            "pages": fields.pages,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_("Separator sheet written to {path}.").format(path=args.out))
    return 0


def _scan(ws: Workspace, args: argparse.Namespace) -> int:
    from recordsdesk.services import scan_batches

    if args.scan_command in ("sample", "approve", "reject"):
        return _review(ws, args)
    if args.scan_command in ("rescan", "replace"):
        return _rescan(ws, args)
    if args.scan_command == "profile":
        return _profile(ws, args)
    if args.scan_command == "retry":
        scan_batches.retry_batch(ws, args.item)
        print(_("It is taken apart again on the next run."))
        return 0
    if args.scan_command == "list":
        batches = scan_batches.list_batches(ws)
        if args.json:
            print(json.dumps([b.to_json() for b in batches], ensure_ascii=False, indent=2))
        for b in [] if args.json else batches:
            print(
                f"{b.id}\t{_(STATE_TEXT[b.state])}\t{b.pages}\t{b.records}\t{b.flagged_pages}\t{b.name}"
            )
        return 0
    outcomes = scan_batches.process_pending(ws, progress=_progress(args.json))
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)  # past the progress line
    if args.json:
        data = [{"batch": o.batch_id, "name": o.name, "pages": o.pages,
                 "flagged_pages": o.flagged_pages,
                 "records": [{"item": p.item_id, "pages": [i + 1 for i in p.pages],
                              "dossier": p.dossier, "filed_as": p.filed_as, "reason": p.reason}
                             for p in o.parts]} for o in outcomes]  # fmt: skip
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for outcome in outcomes:
        print(_("{name}: {records} records from {pages} pages, {flagged} pages flagged.").format(
            name=outcome.name, records=len(outcome.parts), pages=outcome.pages,
            flagged=outcome.flagged_pages))  # fmt: skip
        for part in outcome.parts:
            where = part.filed_as or part.reason or _("in the inbox")
            print(f"  {part.number}\t{part.pages[0] + 1}-{part.pages[-1] + 1}\t{where}")
    if not outcomes:
        print(_("No scanned batches wait."))
    return 0


def _progress(quiet: bool) -> Any:
    def report(done: int, total: int, label: str) -> None:
        if not quiet and sys.stderr.isatty():
            print(f"\r{_(label)} {done}/{total}", end="", file=sys.stderr, flush=True)

    return report


def _review(ws: Workspace, args: argparse.Namespace) -> int:
    from recordsdesk.services import scan_review

    if args.scan_command == "sample":
        print(", ".join(map(str, scan_review.sample_pages(ws, args.batch))))
        return 0
    if args.scan_command == "reject":
        scan_review.reject_batch(ws, args.batch, args.note)
        print(_("Batch rejected."))
        return 0
    sampled = page_list(args.sampled) if args.sampled else []
    approval = scan_review.approve_batch(ws, args.batch, note=args.note, sampled=sampled)
    if args.json:
        print(json.dumps({"batch": approval.batch_id, "report_dossier": approval.report_dossier,
                          "destroy_paper_after": approval.destroy_paper_after.isoformat(),
                          "records": approval.records}, indent=2))  # fmt: skip
    else:
        print(_("Approved: {records} records; report in dossier {kenmerk}; the paper may be "
                "destroyed after {date}.").format(records=approval.records,
                kenmerk=approval.report_dossier,
                date=approval.destroy_paper_after.isoformat()))  # fmt: skip
    return 0


def _rescan(ws: Workspace, args: argparse.Namespace) -> int:
    from recordsdesk.services import scan_rescan

    if args.scan_command == "rescan":
        pages = page_list(args.pages)
        scan_rescan.request_rescan(ws, args.batch, pages, args.note)
        print(_("Pages {pages} are to be scanned again; then: recordsdesk scan replace {batch} "
                "FILE").format(pages=", ".join(map(str, sorted(set(pages)))),
                               batch=args.batch))  # fmt: skip
        return 0
    done = scan_rescan.replace_pages(ws, args.batch, args.file, progress=_progress(args.json))
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)  # past the progress line
    if args.json:
        print(json.dumps({"batch": done.batch_id, "pages": list(done.pages),
                          "records": list(done.records), "flagged_pages": done.flagged_pages},
                         ensure_ascii=False, indent=2))  # fmt: skip
    else:
        print(_("Pages {pages} replaced ({flagged} flagged); records made again: {records}. "
                "The batch is under review again.").format(
            pages=", ".join(map(str, done.pages)), flagged=done.flagged_pages,
            records=", ".join(done.records) or "-"))  # fmt: skip
    return 0


def page_list(text: str) -> list[int]:
    """Page numbers as a user types them: ``3,7,12`` or ``4-6`` or both (``1,4-6``)."""
    pages: list[int] = []
    for piece in text.replace(" ", "").split(","):
        first, dash, last = piece.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise UserError(
                N_("Give pages as numbers separated by commas, or a range: 3,7,12 or 4-6.")
            )
        low, high = int(first), int(last if dash else first)
        if high - low > MAX_PAGES or len(pages) > MAX_PAGES:
            raise UserError(N_("That is more pages than a batch can have."))
        pages += range(low, high + 1)
    return pages


_SETTINGS = ("languages", "dpi", "colour_mode", "min_confidence", "blank_share", "max_skew",
             "sample_size", "rotate", "deskew", "remove_blank", "duplex_collation",
             "split_on_sheets")  # fmt: skip


def _profile(ws: Workspace, args: argparse.Namespace) -> int:
    from recordsdesk.services import scan_profiles

    if args.profile_command == "list":
        names = scan_profiles.profile_names(ws)
        print(json.dumps(names, ensure_ascii=False) if args.json else "\n".join(names))
        return 0
    if args.profile_command == "remove":
        scan_profiles.remove_profile(ws, args.name)
        print(_("Scan profile {name} removed.").format(name=args.name))
        return 0
    if args.profile_command == "show":
        shown = scan_profiles.profile(ws, args.name)
    else:
        changes = {k: getattr(args, k) for k in _SETTINGS if getattr(args, k) is not None}
        if "languages" in changes:
            changes["languages"] = tuple(p for p in changes["languages"].split(",") if p)
        shown = scan_profiles.changed_profile(ws, args.name, changes)
        scan_profiles.save_profile(ws, args.name, shown)
    settings = json.loads(shown.to_json())
    if args.json:
        print(json.dumps({"name": args.name.strip(), **settings}, ensure_ascii=False, indent=2))
    else:
        for key, value in settings.items():
            shown_value = ",".join(value) if isinstance(value, list) else value
            print(f"{key.replace('_', '-')}\t{shown_value}")
    return 0
