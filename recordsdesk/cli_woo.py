"""The command line's ``woo`` verb: Woo requests, their scope, assessments, categories,
redaction areas and the export package.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
services as the desktop window (:mod:`recordsdesk.archive.woo`). Every refusal
is a ``UserError``: one clear line, exit code 2, nothing half-written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from recordsdesk.archive.woo import assessments, categories, redactions, requests
from recordsdesk.archive.woo.export import ExportRefused, ExportReport, export_package
from recordsdesk.archive.woo.gronden import weigeringsgronden
from recordsdesk.cli_closing import parse_day
from recordsdesk.i18n import _
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import Progress

WOO_COMMANDS = ("woo",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``woo request|assess|category|gronden|redact|redactions|unredact|export``."""
    parser = commands.add_parser("woo", help=_("Woo requests: scope, assessment, categories"))
    verbs = parser.add_subparsers(dest="woo_command", metavar=_("woo command"), required=True)
    request = verbs.add_parser("request", help=_("register and handle Woo requests"))
    actions = request.add_subparsers(dest="request_command", metavar=_("action"), required=True)
    create = actions.add_parser("create", help=_("register a Woo request"))
    create.add_argument("nummer", metavar=_("NUMBER"))
    create.add_argument("--onderwerp", required=True, help=_("subject of the request"))
    create.add_argument("--ontvangen", required=True, type=parse_day, metavar="YYYY-MM-DD",
                        help=_("date of receipt"))  # fmt: skip
    create.add_argument("--uiterlijk", type=parse_day, metavar="YYYY-MM-DD",
                        help=_("decide by (default: four weeks after receipt)"))  # fmt: skip
    json_flag(create)
    add = actions.add_parser("add", help=_("add dossiers or records to the scope (holds them)"))
    add.add_argument("nummer", metavar=_("NUMBER"))
    add.add_argument("kenmerken", nargs="+", metavar="KENMERK")
    json_flag(add)
    remove = actions.add_parser("remove", help=_("take a dossier or record out of the scope"))
    remove.add_argument("nummer", metavar=_("NUMBER"))
    remove.add_argument("kenmerk", metavar="KENMERK")
    json_flag(remove)
    show = actions.add_parser("show", help=_("a request with its scope and assessments"))
    show.add_argument("nummer", metavar=_("NUMBER"))
    json_flag(show)
    json_flag(actions.add_parser("list", help=_("all Woo requests")))
    close = actions.add_parser("close", help=_("close a request with its besluit (lifts holds)"))
    close.add_argument("nummer", metavar=_("NUMBER"))
    close.add_argument("--besluit", required=True, help=_("e.g. gedeeltelijke_openbaarmaking"))
    json_flag(close)
    assess = verbs.add_parser("assess", help=_("judge one document of a request"))
    assess.add_argument("nummer", metavar=_("NUMBER"))
    assess.add_argument("kenmerk", metavar="KENMERK")
    judgements = _("openbaar, deels_openbaar, niet_openbaar or reeds_openbaar")
    assess.add_argument("beoordeling", metavar=_("JUDGEMENT"), help=judgements)
    assess.add_argument("--gronden", help=_("weigeringsgronden, e.g. '5.1.1c; 5.1.2e'"))
    assess.add_argument("--toelichting", help=_("explanation"))
    assess.add_argument("--link", help=_("public link (for reeds_openbaar)"))
    json_flag(assess)
    category = verbs.add_parser("category", help=_("set the Woo information category"))
    category.add_argument("kenmerk", metavar="KENMERK")
    category.add_argument("category", metavar=_("CATEGORY"))
    json_flag(category)
    json_flag(verbs.add_parser("gronden", help=_("list the weigeringsgronden")))
    _add_export_commands(verbs, json_flag)


def _add_export_commands(verbs: Any, json_flag: Any) -> None:
    """``woo redact|redactions|unredact|export``."""
    redact = verbs.add_parser("redact", help=_("mark an area of a document to black out"))
    redact.add_argument("nummer", metavar=_("NUMBER"))
    redact.add_argument("kenmerk", metavar="KENMERK")
    redact.add_argument("--page", type=int, required=True, metavar="N", help=_("page (from 1)"))
    where = _("in PDF points of the page as shown, origin bottom left")
    redact.add_argument("--area", type=parse_area, required=True, metavar="X0,Y0,X1,Y1",
                        help=where)  # fmt: skip
    redact.add_argument("--grond", required=True, help=_("the weigeringsgrond, e.g. 5.1.2e"))
    redact.add_argument("--bestand", metavar="ID", help=_("another PDF of the record"))
    json_flag(redact)
    listed = verbs.add_parser("redactions", help=_("list the redaction areas of a request"))
    listed.add_argument("nummer", metavar=_("NUMBER"))
    listed.add_argument("kenmerk", nargs="?", metavar="KENMERK")
    json_flag(listed)
    unredact = verbs.add_parser("unredact", help=_("remove a redaction area"))
    unredact.add_argument("id", metavar="ID")
    json_flag(unredact)
    export = verbs.add_parser("export", help=_("write the Woo publication package"))
    export.add_argument("nummer", metavar=_("NUMBER"))
    export.add_argument("--out", type=Path, required=True, metavar=_("FOLDER"),
                        help=_("a new or empty folder"))  # fmt: skip
    json_flag(export)


def parse_area(text: str) -> tuple[float, float, float, float]:
    """``"72,690,200,715"`` -> four numbers (argparse type: a bad value exits 2)."""
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(n == n and abs(n) < 1e6 for n in numbers):
        raise argparse.ArgumentTypeError(
            _("expected four numbers X0,Y0,X1,Y1, got {value}").format(value=text)
        )
    return numbers[0], numbers[1], numbers[2], numbers[3]


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
    if args.woo_command == "request":
        return _request(ws, args)
    if args.woo_command in ("redact", "redactions", "unredact"):
        return _redactions(ws, args)
    if args.woo_command == "export":
        return _export(ws, args)
    if args.woo_command == "assess":
        done = assessments.assess(ws, args.nummer, args.kenmerk, args.beoordeling,
                                  args.gronden, args.toelichting, args.link)  # fmt: skip
        if args.json:
            _emit(done.to_json())
        else:
            print(_("{kenmerk} assessed: {beoordeling}").format(
                kenmerk=done.kenmerk, beoordeling=_line(done)))  # fmt: skip
    elif args.woo_command == "category":
        change = categories.set_woo_category(ws, args.kenmerk, args.category)
        if args.json:
            _emit(change.to_json())
        else:
            print(_("{kenmerk}: Woo category {naam}").format(kenmerk=change.kenmerk,
                                                             naam=change.naam))  # fmt: skip
    else:
        found = weigeringsgronden()
        if args.json:
            _emit([g.to_json() for g in found])
        for grond in [] if args.json else found:
            kind = _("absolute") if grond.absoluut else _("weighing of interests")
            print(f"{grond.code}\t{grond.artikel}\t{grond.omschrijving}\t({kind})")
    return 0


def _request(ws: Workspace, args: argparse.Namespace) -> int:
    command = args.request_command
    if command == "create":
        info = requests.create_request(ws, args.nummer, args.onderwerp, args.ontvangen,
                                       args.uiterlijk)  # fmt: skip
        _emit(info.to_json()) if args.json else _print_request(info)
    elif command in ("add", "remove"):
        change = (
            requests.add_to_scope(ws, args.nummer, args.kenmerken)
            if command == "add"
            else requests.remove_from_scope(ws, args.nummer, args.kenmerk)
        )
        if args.json:
            _emit({"nummer": change.nummer, "added": change.added, "already": change.already,
                   "removed": change.removed, "holds_placed": change.holds_placed,
                   "holds_lifted": change.holds_lifted,
                   "assessments_dropped": change.assessments_dropped})  # fmt: skip
        else:
            _print_change(change)
    elif command == "show":
        info = requests.show_request(ws, args.nummer)
        if args.json:
            data = info.to_json()
            data["assessments"] = [
                a.to_json() for a in assessments.all_assessments(ws, info.nummer)
            ]
            _emit(data)
        else:
            _print_request(info)
            for done in assessments.all_assessments(ws, info.nummer):
                print(f"  {done.dossier_kenmerk}\t{done.kenmerk}\t{_line(done)}\t{done.naam}")
    elif command == "list":
        found = requests.list_requests(ws)
        if args.json:
            _emit([info.to_json() for info in found])
        elif not found:
            print(_("No Woo requests."))
        for info in [] if args.json else found:
            print(f"{info.nummer}\t{_status(info)}\t{_date(info)}\t{info.documents}\t"
                  f"{info.onderwerp}")  # fmt: skip
    else:
        info = requests.close_request(ws, args.nummer, args.besluit)
        _emit(info.to_json()) if args.json else _print_request(info)
    return 0


def _redactions(ws: Workspace, args: argparse.Namespace) -> int:
    if args.woo_command == "redactions":
        found = redactions.list_redactions(ws, args.nummer, args.kenmerk)
        if args.json:
            _emit([r.to_json() for r in found])
        elif not found:
            print(_("No redaction areas."))
        for r in [] if args.json else found:
            print(f"{r.id}\t{r.kenmerk}\t{_('page')} {r.page}\t{_area(r)}\t{r.grond}")
        return 0
    if args.woo_command == "redact":
        x0, y0, x1, y1 = args.area
        done = redactions.add_redaction(ws, args.nummer, args.kenmerk, args.page, x0, y0, x1, y1,
                                        args.grond, bestand_id=args.bestand)  # fmt: skip
        message = _("redaction area {id} on {kenmerk}, page {page}: {area} ({grond})")
    else:
        done = redactions.remove_redaction(ws, args.id)
        message = _("redaction area {id} removed from {kenmerk}, page {page}: {area} ({grond})")
    if args.json:
        _emit(done.to_json())
    else:
        print(message.format(id=done.id, kenmerk=done.kenmerk, page=done.page, area=_area(done),
                             grond=done.grond))  # fmt: skip
    return 0


def _export(ws: Workspace, args: argparse.Namespace) -> int:
    try:
        report = export_package(ws, args.nummer, args.out, progress=_progress(args.json))
    except ExportRefused as refused:
        if sys.stderr.isatty() and not args.json:
            print(file=sys.stderr)
        if args.json:
            _emit(refused.report.to_json())
        raise
    if sys.stderr.isatty() and not args.json:
        print(file=sys.stderr)
    if args.json:
        _emit(report.to_json())
    else:
        _print_export(report)
    return 0


def _print_export(report: ExportReport) -> None:
    print(_("Woo package of {nummer} written to {out}").format(nummer=report.nummer,
                                                              out=report.out))  # fmt: skip
    print("  " + _("documents: {documents}, published: {published} (redacted: {redacted}), "
                   "not public: {withheld}, already public: {already}").format(
        documents=report.documents, published=report.published, redacted=report.redacted,
        withheld=report.withheld, already=report.already_public))  # fmt: skip
    for remark in report.remarks:
        print(f"  {remark.kenmerk}: {remark.text()}")


def _progress(quiet: bool) -> Progress:
    def report(done: int, total: int, label: str) -> None:
        if not quiet and sys.stderr.isatty():
            print(f"\r{done}/{total} {label}", end="", file=sys.stderr, flush=True)

    return report


def _area(r: redactions.RedactionInfo) -> str:
    return ",".join(f"{v:g}" for v in (r.x0, r.y0, r.x1, r.y1))


def _print_request(info: requests.RequestInfo) -> None:
    print(f"{info.nummer}  {info.onderwerp}")
    print("  " + _("status: {status}").format(status=_status(info)))
    print("  " + _("received {ontvangen}, decide by {uiterlijk}").format(
        ontvangen=info.ontvangen_op.isoformat(), uiterlijk=_date(info)))  # fmt: skip
    print("  " + _("documents in scope: {count}, not yet assessed: {open}").format(
        count=info.documents, open=info.unassessed))  # fmt: skip
    for item in info.scope:
        print(f"  {item.kenmerk}\t{item.aggregatieniveau}\t{item.naam}")


def _print_change(change: Any) -> None:
    for kenmerk in change.added:
        print(_("added to the scope of {nummer}: {kenmerk}").format(
            nummer=change.nummer, kenmerk=kenmerk))  # fmt: skip
    for kenmerk in change.already:
        print(_("already in the scope: {kenmerk}").format(kenmerk=kenmerk))
    for kenmerk in change.removed:
        print(_("taken out of the scope of {nummer}: {kenmerk}").format(
            nummer=change.nummer, kenmerk=kenmerk))  # fmt: skip
    if change.holds_placed or change.holds_lifted:
        print(_("legal holds placed: {placed}, lifted: {lifted}").format(
            placed=len(change.holds_placed), lifted=len(change.holds_lifted)))  # fmt: skip
    if change.assessments_dropped:
        print(_("assessments dropped (no longer in scope): {kenmerken}").format(
            kenmerken=", ".join(change.assessments_dropped)))  # fmt: skip


def _line(done: assessments.AssessmentInfo) -> str:
    parts = [done.beoordeling, done.gronden or "", done.publieke_link or ""]
    return " ".join(p for p in parts if p)


def _status(info: requests.RequestInfo) -> str:
    if info.status == "open":
        return _("open")
    return _("closed ({besluit})").format(besluit=info.besluit or "-")


def _date(info: requests.RequestInfo) -> str:
    return info.besluit_uiterlijk.isoformat() if info.besluit_uiterlijk else "-"


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
