"""The command line's scan verbs: ``separator-sheet``.

Part of the headless front end (see :mod:`recordsdesk.cli`); calls the same
service as the desktop window (:mod:`recordsdesk.services.scanning`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from recordsdesk.i18n import _
from recordsdesk.services import scanning
from recordsdesk.services.workspace import Workspace

SCAN_COMMANDS = ("separator-sheet",)


def add_commands(commands: Any, json_flag: Any) -> None:
    """Add ``separator-sheet`` to the top-level sub-parsers."""
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


def dispatch(ws: Workspace, args: argparse.Namespace) -> int:
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
