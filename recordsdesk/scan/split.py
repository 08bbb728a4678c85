"""Split a scanned batch into records at its separator sheets.

``plan_parts`` decides, from what each page is, which pages form which record;
``write_parts`` copies those pages into one PDF per record. The batch file is
only read: its pages are copied as they are (the scanner's image streams byte
for byte), so each part is lossless and the original stays the evidence.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from recordsdesk.scan.sheet import Sheet
from recordsdesk.store.durability import fsync_path, remove_quietly


@dataclass(frozen=True)
class Part:
    """One record's pages of a batch (0-based page indexes, in order).

    ``sheet`` is the separator sheet in front of them, ``None`` for pages
    before the first sheet (or a batch without sheets); ``sheet_page`` is
    that sheet's page index.
    """

    pages: tuple[int, ...]
    sheet: Sheet | None = None
    sheet_page: int | None = None


def plan_parts(pages: Sequence[Sheet | None]) -> list[Part]:
    """The records a batch whose pages are ``pages`` (a sheet or ``None`` each) holds.

    Every sheet starts a new record and is not part of any. A sheet with no
    pages after it before the next sheet (two sheets in a row, a sheet as the
    last page) makes no record: an empty record is never made. A batch with no
    sheets is one record; a batch of only sheets none.
    """
    parts: list[Part] = []
    current: list[int] = []
    sheet: Sheet | None = None
    sheet_page: int | None = None
    for index, found in enumerate(pages):
        if found is None:
            current.append(index)
            continue
        if current:
            parts.append(Part(tuple(current), sheet, sheet_page))
        current, sheet, sheet_page = [], found, index
    if current:
        parts.append(Part(tuple(current), sheet, sheet_page))
    return parts


def write_parts(batch: Path, parts: Sequence[Part], folder: Path) -> list[Path]:
    """Write each part's pages of the PDF ``batch`` to a file of its own in ``folder``.

    The files are named ``part-001.pdf`` and on, one per part in order, each
    written to a temp file, fsynced and renamed, so a crash leaves whole files
    or none. ``batch`` is opened read-only and never changed. Raises
    ``pikepdf.PdfError`` for a batch that cannot be read and ``OSError`` when a
    file cannot be written.
    """
    written: list[Path] = []
    with pikepdf.open(batch) as source:
        for number, part in enumerate(parts, start=1):
            target = folder / f"part-{number:03d}.pdf"
            temp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
            try:
                with pikepdf.new() as out:
                    out.pages.extend(source.pages[index] for index in part.pages)
                    with open(temp, "xb") as stream:
                        out.save(stream, deterministic_id=True)
                        stream.flush()
                        os.fsync(stream.fileno())
                os.replace(temp, target)
            except BaseException:
                remove_quietly(temp)
                raise
            written.append(target)
    fsync_path(folder)
    return written
