"""The CLI's commands on dossiers and records: ``dossier``, ``file``, ``verify``,
``export`` and ``import`` (the verbs ``dossier classify|close|reopen|completeness``
come from ``cli_closing`` and ``cli_completeness``)."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from recordsdesk import services
from recordsdesk.i18n import _

EXIT_OK, EXIT_DAMAGE, EXIT_USER = 0, 1, 2  # as in recordsdesk.cli, which imports us
RECORD_COMMANDS = ("dossier", "file", "verify", "export", "import")
#: The modules that add verbs to ``dossier`` (besides create, list and show).
DOSSIER_MODULES = ("cli_closing", "cli_completeness")


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add RECORD_COMMANDS to the top-level sub-parsers."""
    _add_dossier(commands, json_flag)
    _add_files(commands, json_flag)
    _add_import(commands, json_flag)


def _add_dossier(commands: Any, json_flag: Any) -> None:
    dossier = commands.add_parser("dossier", help=_("create, list and show dossiers"))
    dossier_cmds = dossier.add_subparsers(
        dest="dossier_command", metavar=_("action"), required=True
    )
    create = dossier_cmds.add_parser("create", help=_("create a dossier"))
    create.add_argument("--title", required=True, help=_("title (MDTO naam)"))
    create.add_argument("--description", help=_("description (MDTO omschrijving)"))
    json_flag(create)
    json_flag(dossier_cmds.add_parser("list", help=_("list all dossiers")))
    show = dossier_cmds.add_parser("show", help=_("show a dossier with its records"))
    show.add_argument("kenmerk")
    json_flag(show)
    for name in DOSSIER_MODULES:
        importlib.import_module(f"recordsdesk.{name}").add_dossier_commands(dossier_cmds, json_flag)


def _add_files(commands: Any, json_flag: Any) -> None:
    file_cmd = commands.add_parser("file", help=_("file documents into a dossier"))
    file_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    file_cmd.add_argument("--dossier", required=True, metavar="KENMERK")
    json_flag(file_cmd)

    verify = commands.add_parser("verify", help=_("check every stored file (fixity)"))
    json_flag(verify)
    verify.add_argument(
        "--central", action="store_true", help=_("check the central archive instead")
    )
    export = commands.add_parser("export", help=_("export a dossier (MDTO XML)"))
    export_cmds = export.add_subparsers(
        dest="export_command", metavar=_("export command"), required=True
    )
    mdto = export_cmds.add_parser(
        "mdto", help=_("one MDTO XML file per object, each checked against the schema")
    )
    mdto.add_argument("kenmerk")
    mdto.add_argument("--out", required=True, type=Path, metavar="DIR")
    json_flag(mdto)
    sip = export_cmds.add_parser(
        "sip", help=_("an e-Depot transfer package (SIP, BagIt), verified after writing")
    )
    sip.add_argument("kenmerken", nargs="+", metavar="KENMERK")
    sip.add_argument("--out", required=True, type=Path, metavar="DIR")
    json_flag(sip)


def _add_import(commands: Any, json_flag: Any) -> None:
    importing = commands.add_parser("import", help=_("import an MDTO package"))
    import_cmds = importing.add_subparsers(
        dest="import_command", metavar=_("import command"), required=True
    )
    mdto = import_cmds.add_parser(
        "mdto", help=_("a folder of MDTO XML sidecars and their files, all checked first")
    )
    mdto.add_argument("folder", type=Path, metavar="DIR")
    mdto.add_argument(
        "--metadata-only",
        action="store_true",
        help=_("import the informatieobjecten even where a bestand's file is missing"),
    )
    json_flag(mdto)


def _import_mdto(ws: services.Workspace, args: argparse.Namespace) -> int:
    report = services.import_mdto(ws, args.folder, metadata_only=args.metadata_only)
    if args.json:
        _emit(
            {
                "imported": report.imported,
                "objects": [
                    {
                        "kenmerk": o.kenmerk,
                        "aggregatieniveau": o.aggregatieniveau,
                        "naam": o.naam,
                        "file": o.source,
                        "kept_kenmerk": o.kept_kenmerk,
                    }
                    for o in report.objects
                ],
                "bestanden": report.bestanden,
                "bytes": report.size,
                "skipped": list(report.skipped),
                "problems": [
                    {"file": p.file, "path": p.problem.path, "message": p.problem.text()}
                    for p in report.problems
                ],
            }
        )
    elif report.imported:
        for obj in report.objects:
            print(f"{obj.kenmerk}\t{obj.aggregatieniveau}\t{obj.naam}")
        for sidecar in report.skipped:
            print(_("skipped (no file; metadata only): {file}").format(file=sidecar))
        print(
            _("{objects} objects and {files} files imported from {folder}.").format(
                objects=len(report.objects), files=report.bestanden, folder=report.folder
            )
        )
    else:
        for found in report.problems:
            where = ": ".join(x for x in (found.file, found.problem.path) if x)
            print(f"{where}: {found.problem.text()}", file=sys.stderr)
        print(
            _("Nothing imported: {count} problems in {files} files (listed above).").format(
                count=len(report.problems), files=len({p.file for p in report.problems})
            ),
            file=sys.stderr,
        )
    return EXIT_OK if report.imported else EXIT_USER


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def dispatch(ws: services.Workspace, args: argparse.Namespace) -> int:
    """Run one of RECORD_COMMANDS (the dossier verbs of DOSSIER_MODULES included)."""
    if args.command == "dossier" and args.dossier_command == "create":
        created = services.create_dossier(ws, args.title, args.description)
        _emit({"id": created.id, "kenmerk": created.kenmerk}) if args.json else print(
            created.kenmerk
        )
    elif args.command == "dossier" and args.dossier_command == "list":
        rows = services.list_dossiers(ws)
        if args.json:
            _emit([row.to_json() for row in rows])
        for row in [] if args.json else rows:
            print(f"{row.kenmerk}\t{row.status}\t{row.record_count}\t{row.title}")
    elif args.command == "dossier" and args.dossier_command == "show":
        detail = services.show_dossier(ws, args.kenmerk)
        _emit(detail.to_json()) if args.json else _print_dossier(detail)
    elif args.command == "dossier":
        for name in DOSSIER_MODULES:
            handler = importlib.import_module(f"recordsdesk.{name}")
            if args.dossier_command in handler.DOSSIER_COMMANDS:
                return int(handler.dispatch(ws, args))
    elif args.command == "file":
        return _file(ws, args)
    elif args.command == "verify":
        return _verify(ws, args)
    elif args.command == "export" and args.export_command == "sip":
        return _export_sip(ws, args)
    elif args.command == "export":
        return _export_mdto(ws, args)
    elif args.command == "import":
        return _import_mdto(ws, args)
    return EXIT_OK


def _export_mdto(ws: services.Workspace, args: argparse.Namespace) -> int:
    report = services.export_mdto(ws, args.kenmerk, args.out)
    if args.json:
        _emit(
            {
                "folder": str(report.folder) if report.folder else None,
                "objects": report.objects,
                "problems": [
                    {"file": p.file, "path": p.problem.path, "message": p.problem.text()}
                    for p in report.problems
                ],
            }
        )
    elif report.folder is not None:
        print(
            _("{count} MDTO files written to {folder}; all valid.").format(
                count=report.objects, folder=report.folder
            )
        )
    else:
        for found in report.problems:
            print(f"{found.file}: {found.problem.path}: {found.problem.text()}", file=sys.stderr)
        print(
            _("Nothing exported: {count} problems in {files} files (listed above).").format(
                count=len(report.problems), files=len({p.file for p in report.problems})
            ),
            file=sys.stderr,
        )
    return EXIT_OK if report.folder is not None else EXIT_USER


def _export_sip(ws: services.Workspace, args: argparse.Namespace) -> int:
    report = services.export_sip(ws, args.kenmerken, args.out)
    if args.json:
        _emit(
            {
                "folder": str(report.folder) if report.folder else None,
                "delivery": report.delivery_id,
                "dossiers": report.dossiers,
                "informatieobjecten": report.informatieobjecten,
                "bestanden": report.bestanden,
                "size": report.size,
                "problems": [
                    {"file": p.file, "path": p.problem.path, "message": p.problem.text()}
                    for p in report.problems
                ],
            }
        )
    elif report.folder is not None:
        print(
            _(
                "SIP written to {folder} (informatieobjecten: {objects}, files: {files}, "
                "{size} bytes); checked and verified."
            ).format(
                folder=report.folder,
                objects=report.informatieobjecten,
                files=report.bestanden,
                size=report.size,
            )
        )
    else:
        for found in report.problems:
            where = f"{found.file}: {found.problem.path}" if found.problem.path else found.file
            print(f"{where}: {found.problem.text()}", file=sys.stderr)
        print(
            _("No SIP written; problems: {count} (listed above).").format(
                count=len(report.problems)
            ),
            file=sys.stderr,
        )
    return EXIT_OK if report.folder is not None else EXIT_USER


def _file(ws: services.Workspace, args: argparse.Namespace) -> int:
    result = services.file_paths(ws, args.dossier, args.paths)
    details = [services.record_detail(ws, created.id) for created in result.records]
    if args.json:
        _emit({"dossier": services.show_dossier(ws, args.dossier).kenmerk,
               "records": [d.to_json() for d in details]})  # fmt: skip
    else:
        for record in details:
            for info in record.files:
                print(f"{record.kenmerk}\t{info.sha256}\t{info.name}")
    return EXIT_OK


def _verify(ws: services.Workspace, args: argparse.Namespace) -> int:
    if args.central or args.in_central:
        from recordsdesk import cli_sync  # only here: it brings the sync machinery

        report = cli_sync.verify_central(ws, over_central=args.in_central)
    else:
        report = services.verify(ws)
    if args.json:
        _emit(report.to_json())
    else:
        for damage in report.damaged:
            for where in damage.files:
                print(_("DAMAGED {sha256} ({reason}): {file}").format(
                    sha256=damage.sha256, reason=_(damage.reason), file=where))  # fmt: skip
        for problem in report.audit_problems:
            print(_("AUDIT TRAIL BROKEN: {problem}").format(problem=problem))
        if report.unreferenced and (args.central or args.in_central):
            print(
                _(
                    "{count} objects in the central store belong to no bestand (content of "
                    "destroyed records, let go of by the next work in the central archive)."
                ).format(count=len(report.unreferenced))
            )
        elif report.unreferenced:
            print(
                _(
                    "{count} stored objects belong to no record here (fetched for work in the "
                    "central archive, or left by a refused action)."
                ).format(count=len(report.unreferenced))
            )
        if report.intact:
            print(_("{count} stored files checked; all intact.").format(count=report.checked))
        else:
            print(
                _("{count} stored files checked; {bad} damaged or missing.").format(
                    count=report.checked, bad=len(report.damaged)
                )
            )
    return EXIT_OK if report.intact else EXIT_DAMAGE


def _print_dossier(detail: Any) -> None:
    print(f"{detail.kenmerk}  {detail.title}")
    print(f"  {_('status')}: {detail.status}   waardering: {detail.waardering}")
    print(f"  archiefvormer: {detail.archiefvormer}")
    print(f"  beperkingGebruik: {detail.beperking_gebruik}")
    for hold in detail.holds:
        line = _("legal hold: {reason} (on {kenmerk} since {date}, by {who}; id {id})")
        print("  " + line.format(reason=hold.reason, kenmerk=hold.kenmerk, who=hold.placed_by,
                                 date=hold.placed_at.date().isoformat(), id=hold.id))  # fmt: skip
    for record in detail.records:
        print(f"  {record.kenmerk}  {record.title}")
        for info in record.files:
            puid = info.puid or "-"
            print(f"      {info.name}  {info.size} B  {info.mime}  {puid}  sha256:{info.sha256}")
