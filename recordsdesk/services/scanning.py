"""Scanned paper, the services the front ends call: separator sheets.

A sheet names the dossier the record after it is filed into; the dossier must
exist here and be open when the sheet is made, so a sheet printed today does
not send every record to the inbox tomorrow. (Whether it is still open when the
batch is scanned is checked again then.)
"""

from __future__ import annotations

from pathlib import Path

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.scan.sheet import SheetFields, write_sheet
from recordsdesk.services.dossiers import DOSSIER, find_by_kenmerk
from recordsdesk.services.workspace import Workspace


def make_separator_sheet(
    ws: Workspace,
    out: Path,
    *,
    dossier: str | None = None,
    documenttype: str | None = None,
    titel: str | None = None,
    pages: int | None = None,
) -> SheetFields:
    """Write a separator sheet for these fields as a PDF/A-2b file at ``out``.

    Returns the fields as printed (the dossier's kenmerk normalised). Raises
    ``UserError`` for an unknown or closed dossier, a field too long for the
    code, a page count out of range, or a file that cannot be written; ``out``
    is then left as it was.
    """
    title: str | None = None
    if dossier is not None:
        with ws.readers() as session:
            found = find_by_kenmerk(session, dossier, DOSSIER)
            if found.status != "open":
                raise UserError(
                    N_("Dossier {kenmerk} is not open; a separator sheet for it would send "
                       "every record to the inbox."),
                    {"kenmerk": found.kenmerk},
                )  # fmt: skip
            dossier, title = found.kenmerk, found.naam
    fields = SheetFields(dossier=dossier, documenttype=documenttype, titel=titel, pages=pages)
    if out.is_dir():
        raise UserError(N_("{path} is a folder; give the name of the PDF to write."),
                        {"path": str(out)})  # fmt: skip
    try:
        write_sheet(fields, out, created=ws.clock(), author=ws.actor, dossier_title=title)
    except OSError as error:
        raise UserError(
            N_("Cannot write {path}: {reason}"), {"path": str(out), "reason": error.strerror}
        ) from error
    return fields
