"""The inventory list (inventarislijst) of a Woo export, as CSV and as XLSX, written a row
at a time (a request of 50,000 documents never sits in memory).

Columns (domain notes section 4.3, the productierapport): ID, Document, Datum,
Bestandstype, Beoordeling, Beoordelingsgrond, Toelichting, Dossier kenmerk,
Publieke link. One row per document in scope, in inventory order (dossier
kenmerk, record kenmerk), published or not:

* ``ID``: the document's number in the package; a published document's file is
  ``documenten/<ID>.<ext>`` (so the ID is the published file's name without its
  extension) and its metadata ``diwoo/<ID>.xml`` and ``mdto/<ID>.xml``. It is the
  record's kenmerk, which is unique and safe as a file name.
* ``Datum``: the document's date (a mail's sent date), else the day it was filed.
* ``Beoordeling`` in words (``Deels openbaar``); ``Beoordelingsgrond`` as
  ``5.1.1c; 5.1.2e``; ``Publieke link``: the link of a reeds openbaar document,
  empty otherwise (a placeholder the publisher fills in for the others).

CSV dialect, for Excel as Dutch users open it: UTF-8 with a byte-order mark (so
Excel reads the accents), ``;`` between fields (the Dutch list separator, as the
decimal separator is a comma), CRLF line ends, fields quoted only when needed.
A value that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-`` or ``@``) gets a leading apostrophe in the CSV; in the XLSX every cell is
written as a string, so nothing is ever a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

CSV_NAME = "inventarislijst.csv"
XLSX_NAME = "inventarislijst.xlsx"
COLUMNS = (
    "ID",
    "Document",
    "Datum",
    "Bestandstype",
    "Beoordeling",
    "Beoordelingsgrond",
    "Toelichting",
    "Dossier kenmerk",
    "Publieke link",
)
WORDS = {
    "openbaar": "Openbaar",
    "deels_openbaar": "Deels openbaar",
    "niet_openbaar": "Niet openbaar",
    "reeds_openbaar": "Reeds openbaar",
}
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = (22, 60, 12, 14, 16, 22, 50, 22, 40)


@dataclass(frozen=True)
class Row:
    id: str
    document: str
    datum: dt.date | None
    bestandstype: str
    beoordeling: str  # openbaar, deels_openbaar, ...
    gronden: str | None
    toelichting: str | None
    dossier: str
    publieke_link: str | None

    def values(self) -> list[str]:
        return [
            self.id,
            self.document,
            self.datum.isoformat() if self.datum else "",
            self.bestandstype,
            WORDS.get(self.beoordeling, self.beoordeling),
            self.gronden or "",
            self.toelichting or "",
            self.dossier,
            self.publieke_link or "",
        ]


class InventoryWriter:
    """Writes both lists side by side; ``close()`` finishes them (the XLSX is saved then)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._csv: TextIO = (folder / CSV_NAME).open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._csv, delimiter=";", lineterminator="\r\n")
        self._writer.writerow(COLUMNS)
        # openpyxl is loaded here, not at start-up: only a Woo package writes a workbook
        from openpyxl import Workbook  # type: ignore[import-untyped]
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
        from openpyxl.styles import Font  # type: ignore[import-untyped]

        self._new_cell = WriteOnlyCell
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Inventarislijst")
        for index, width in enumerate(_WIDTHS):
            letter = chr(ord("A") + index)
            self._sheet.column_dimensions[letter].width = width
        self._sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        self._sheet.append([self._cell(name, bold) for name in COLUMNS])
        self.rows = 0
        self._saved = False

    def add(self, row: Row) -> None:
        values = row.values()
        self._writer.writerow([_csv_safe(value) for value in values])
        self._sheet.append([self._cell(value) for value in values])
        self.rows += 1

    def close(self) -> list[str]:
        """Finish both files; their names (relative to the folder)."""
        self._csv.close()
        self._sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{self.rows + 1}"
        self._saved = True
        self._book.save(self.folder / XLSX_NAME)
        return [CSV_NAME, XLSX_NAME]

    def abandon(self) -> None:
        """Close without finishing (a refused or cancelled export; also harmless after
        :meth:`close`): the sheet's writer is closed now, not when collected."""
        self._csv.close()
        if not self._saved:
            self._saved = True
            self._sheet.close()

    def _cell(self, value: str, font: Any = None) -> Any:
        cell = self._new_cell(self._sheet, value=_xlsx_text(value))
        cell.data_type = "s"  # a string, even when it starts with "=": never a formula
        if font is not None:
            cell.font = font
        return cell


def _csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _xlsx_text(value: str) -> str:
    """Characters an XLSX cell can hold (XML 1.0: no control characters bar tab/newline)."""
    return "".join(c for c in value if c >= " " or c in "\t\n\r")
