"""Headless front end: ``recordsdesk`` on the command line.

Calls the same services as the desktop window. Exit codes: 0 done; 1
``verify`` found damage; 2 a user error (one line per problem, no traceback);
70 an internal error (the traceback goes to the log file, not the screen).
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from recordsdesk import (
    __version__,
    cli_audit,
    cli_central,
    cli_closing,
    cli_completeness,
    cli_disposal,
    cli_holds,
    cli_intake,
    cli_retention,
    cli_roles,
    cli_scan,
    cli_search,
    cli_settings,
    cli_sync,
    cli_woo,
    i18n,
    services,
)
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.paths import HomeLayout, default_home

EXIT_OK, EXIT_DAMAGE, EXIT_USER, EXIT_BUG = 0, 1, 2, 70
log = logging.getLogger("recordsdesk.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"{self.prog}: {_('error')}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="recordsdesk", description=_("RecordsDesk records management"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"RecordsDesk {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--home",
        type=Path,
        metavar="DIR",
        help=_("data folder (default: RECORDSDESK_HOME or the user data dir)"),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of messages"))
    parser.add_argument(
        "--central",
        dest="in_central",
        action="store_true",
        help=_("work in the central archive itself (records managers: retention, holds, lists)"),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("command"), required=True)

    dossier = commands.add_parser("dossier", help=_("create, list and show dossiers"))
    dossier_cmds = dossier.add_subparsers(
        dest="dossier_command", metavar=_("action"), required=True
    )
    create = dossier_cmds.add_parser("create", help=_("create a dossier"))
    create.add_argument("--title", required=True, help=_("title (MDTO naam)"))
    create.add_argument("--description", help=_("description (MDTO omschrijving)"))
    _json_flag(create)
    _json_flag(dossier_cmds.add_parser("list", help=_("list all dossiers")))
    show = dossier_cmds.add_parser("show", help=_("show a dossier with its records"))
    show.add_argument("kenmerk")
    _json_flag(show)
    cli_closing.add_dossier_commands(dossier_cmds, _json_flag)
    cli_completeness.add_dossier_commands(dossier_cmds, _json_flag)

    file_cmd = commands.add_parser("file", help=_("file documents into a dossier"))
    file_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    file_cmd.add_argument("--dossier", required=True, metavar="KENMERK")
    _json_flag(file_cmd)

    verify = commands.add_parser("verify", help=_("check every stored file (fixity)"))
    _json_flag(verify)
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
    _json_flag(mdto)
    sip = export_cmds.add_parser(
        "sip", help=_("an e-Depot transfer package (SIP, BagIt), verified after writing")
    )
    sip.add_argument("kenmerken", nargs="+", metavar="KENMERK")
    sip.add_argument("--out", required=True, type=Path, metavar="DIR")
    _json_flag(sip)
    _add_import(commands)
    cli_intake.add_commands(commands, _json_flag)
    cli_settings.add_commands(commands, _json_flag)
    cli_retention.add_commands(commands, _json_flag)
    cli_holds.add_commands(commands, _json_flag)
    cli_closing.add_commands(commands, _json_flag)
    cli_disposal.add_commands(commands, _json_flag)
    cli_roles.add_commands(commands, _json_flag)
    cli_audit.add_commands(commands, _json_flag)
    cli_central.add_commands(commands, _json_flag)
    cli_sync.add_commands(commands, _json_flag)
    cli_scan.add_commands(commands, _json_flag)
    cli_search.add_commands(commands, _json_flag)
    cli_woo.add_commands(commands, _json_flag)
    return parser


def _add_import(commands: Any) -> None:
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
    _json_flag(mdto)


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


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def run(args: argparse.Namespace) -> int:
    if args.command in cli_retention.SELECTIELIJST_COMMANDS:
        return cli_retention.dispatch(args)  # reference data shipped with the app: no workspace
    if args.in_central:
        if args.command in ("sync", "central"):
            raise UserError(N_("--central is for work in the central archive; {command} is not."),
                            {"command": args.command})  # fmt: skip
        settle = args.command != "verify"  # a check changes nothing, centrally either
        return cli_sync.in_central(args.home, lambda ws: _dispatch(ws, args), settle=settle)
    ws = services.open_workspace(args.home)
    try:
        return _dispatch(ws, args)
    finally:
        ws.close()


def _dispatch(ws: services.Workspace, args: argparse.Namespace) -> int:
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
    elif args.command in cli_intake.INTAKE_COMMANDS:
        return cli_intake.dispatch(ws, args)
    elif args.command in cli_settings.SETTINGS_COMMANDS:
        return cli_settings.dispatch(ws, args)
    elif args.command in cli_scan.SCAN_COMMANDS:
        return cli_scan.dispatch(ws, args)
    elif args.command in cli_holds.HOLD_COMMANDS:
        return cli_holds.dispatch(ws, args)
    elif args.command == "dossier" and args.dossier_command in cli_completeness.DOSSIER_COMMANDS:
        return cli_completeness.dispatch(ws, args)
    elif args.command in cli_closing.RETENTION_COMMANDS or (
        args.command == "dossier" and args.dossier_command in cli_closing.DOSSIER_COMMANDS
    ):
        return cli_closing.dispatch(ws, args)
    elif args.command in cli_disposal.DISPOSAL_COMMANDS:
        return cli_disposal.dispatch(ws, args)
    elif args.command in cli_roles.ROLE_COMMANDS:
        return cli_roles.dispatch(ws, args)
    elif args.command in cli_audit.AUDIT_COMMANDS:
        return cli_audit.dispatch(ws, args)
    elif args.command in cli_central.CENTRAL_COMMANDS:
        return cli_central.dispatch(ws, args)
    elif args.command in cli_sync.SYNC_COMMANDS:
        return cli_sync.dispatch(ws, args)
    elif args.command in cli_search.SEARCH_COMMANDS:
        return cli_search.dispatch(ws, args)
    elif args.command in cli_woo.WOO_COMMANDS:
        return cli_woo.dispatch(ws, args)
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


def _log_bug(home: Path | None) -> Path | None:
    try:
        logs = HomeLayout(home or default_home()).logs
        logs.mkdir(parents=True, exist_ok=True)
        target = logs / "cli-errors.log"
        with target.open("a", encoding="utf-8") as handle:
            handle.write(traceback.format_exc() + "\n")
        return target
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    # a frozen build starts the examination worker (intake) through this entry
    multiprocessing.freeze_support()
    i18n.set_language(i18n.language_from_environment())
    i18n.install_argparse_translation()
    raw = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in raw[:-1]:  # the language must be known before the parser speaks
        i18n.set_language(raw[raw.index("--lang") + 1])
    args = build_parser().parse_args(raw)
    try:
        return run(args)
    except UserError as error:
        print(f"recordsdesk: {i18n.translate_error(error)}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print(_("Interrupted; nothing half-done was kept."), file=sys.stderr)
        return 130
    except Exception as error:
        where = _log_bug(args.home)
        print(
            _("Internal error ({kind}); please report it. Details: {log}").format(
                kind=type(error).__name__, log=where or "-"
            ),
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    raise SystemExit(main())
