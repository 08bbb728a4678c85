"""The verklaring van vernietiging: what it says, as a PDF/A document and as CSV.

Article 8 of the Archiefbesluit 1995 asks for a statement of every destruction
with a specification of what was destroyed. This module only shapes the
content from facts handed in (no database): :func:`document` for the PDF/A
writer (:mod:`recordsdesk.pdfa`), :func:`write_csv` for the same items as a
table. The text is Dutch whatever the user's language: it is an archival
document of a Dutch municipality, filed with waardering B.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from recordsdesk.pdfa import Column, Document, Heading, Paragraph, Table

CSV_HEADER = (
    "kenmerk",
    "naam",
    "selectielijst",
    "resultaat",
    "gesloten_op",
    "archiefactiedatum",
    "uitkomst",
    "reden",
    "datum",
)


@dataclass(frozen=True)
class Line:
    """One item of the list as the verklaring reports it."""

    kenmerk: str
    naam: str
    selectielijst_jaar: int | None
    resultaat_nummer: str | None
    gesloten_op: dt.date | None
    archiefactiedatum: dt.date | None
    destroyed: bool
    reason: str | None  # Dutch, for items not destroyed
    done_at: dt.datetime | None


@dataclass(frozen=True)
class Facts:
    """Who did what, when, for the list the verklaring is about."""

    list_id: str
    naam: str
    archiefvormer: str
    author: str
    created_at: dt.datetime
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    executed_by: str
    executed_at: dt.datetime
    destroyed: int
    not_destroyed: int
    selectielijsten: Sequence[int]


def document(facts: Facts, destroyed: Iterable[Line], not_destroyed: Iterable[Line]) -> Document:
    """The PDF/A document; ``destroyed`` may be a generator (lists hold 100,000 items)."""
    lijsten = ", ".join(str(j) for j in facts.selectielijsten) or "-"
    intro = (
        f"Archiefvormer: {facts.archiefvormer}\n"
        f"Vernietigingslijst: {facts.naam} (id {facts.list_id})\n"
        f"Grondslag: Archiefwet 1995 en Archiefbesluit 1995 (artikelen 6 tot en met 8); "
        f"Selectielijst gemeenten en intergemeentelijke organen {lijsten}.\n"
        f"Vernietigd: {facts.destroyed} dossiers. Niet vernietigd: {facts.not_destroyed}."
    )
    steps = (
        f"Opgesteld door {facts.author} op {_moment(facts.created_at)}.\n"
        f"Beoordeeld door {facts.reviewed_by or '-'} op {_moment(facts.reviewed_at)}.\n"
        f"Geaccordeerd door {facts.approved_by or '-'} op {_moment(facts.approved_at)}.\n"
        f"Uitgevoerd door {facts.executed_by} op {_moment(facts.executed_at)}."
    )
    columns = (
        Column("Kenmerk", 0.17),  # the widest kenmerk (D-WWWWWW-WWW) on one line
        Column("Naam", 0.29),
        Column("Resultaat", 0.12),
        Column("Gesloten", 0.14),
        Column("Actiedatum", 0.14),
        Column("Vernietigd", 0.14),
    )
    blocks: list[Heading | Paragraph | Table] = [
        Heading("Verklaring van vernietiging"),
        Paragraph(intro),
        Heading("Verloop"),
        Paragraph(steps),
        Heading("Vernietigde dossiers"),
        Table(columns, (_row(line) for line in destroyed)),
    ]
    if facts.not_destroyed:
        reasons = (Column("Kenmerk", 0.17), Column("Naam", 0.41), Column("Reden", 0.42))
        blocks += [
            Heading("Niet vernietigd"),
            Table(reasons, ((ln.kenmerk, ln.naam, ln.reason or "") for ln in not_destroyed)),
        ]
    return Document(
        title=f"Verklaring van vernietiging – {facts.naam}",
        author=facts.executed_by,
        subject=f"Vernietigingslijst {facts.list_id}",
        created=facts.executed_at,
        blocks=blocks,
    )


def write_csv(lines: Iterable[Line], out: Path) -> None:
    """Every item as CSV (UTF-8 with BOM, semicolons: what Dutch spreadsheets open
    right), written atomically: temp file, fsync, rename."""
    temp = out.with_name(f".{out.name}.part")
    try:
        with temp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(CSV_HEADER)
            writer.writerows(_csv_rows(lines))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)


def _csv_rows(lines: Iterable[Line]) -> Iterator[list[str]]:
    for line in lines:
        yield [
            line.kenmerk,
            line.naam,
            str(line.selectielijst_jaar or ""),
            line.resultaat_nummer or "",
            _day(line.gesloten_op),
            _day(line.archiefactiedatum),
            "vernietigd" if line.destroyed else "niet vernietigd",
            line.reason or "",
            line.done_at.astimezone().date().isoformat() if line.done_at else "",
        ]


def _row(line: Line) -> tuple[str, ...]:
    resultaat = ""
    if line.resultaat_nummer:
        resultaat = f"{line.selectielijst_jaar} {line.resultaat_nummer}"
    done = _dutch(line.done_at.astimezone().date()) if line.done_at else ""
    return (
        line.kenmerk,
        line.naam,
        resultaat,
        _dutch(line.gesloten_op),
        _dutch(line.archiefactiedatum),
        done,
    )


def _dutch(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _moment(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    local = moment.astimezone()
    return local.strftime("%d-%m-%Y %H:%M")
