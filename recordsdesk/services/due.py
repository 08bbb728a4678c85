"""The due list (issue 5, point 4): closed dossiers whose archiefactiedatum has passed.

Contract of :func:`due`: on a given day (default today), every closed dossier
whose archiefactiedatum is on or before it, split into destruction candidates
(waardering V) and transfer candidates (B). Dossiers that are held (by a hold
of their own or of a Serie above them) are not candidates: they are listed
apart with their holds' reasons, and so are closed dossiers whose
archiefactiedatum is still open (with the reason). Read-only; rows are read in
kenmerk order a chunk at a time, so the memory needed does not depend on how
many dossiers the archive holds, only on how many are due.

Each item also carries what the UI filters on: the procestype (the first part
of the result's number) and the naam of the Serie the dossier is directly in
(``None`` when it is in none). The Serie stands in for the department, which
is not modelled until the central archive issue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session, aliased

from recordsdesk.db.models import Hold, Informatieobject
from recordsdesk.services.holds import HeldLookup, held_ids, held_lookup
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken

CHUNK = 2000
_DOSSIER = "Dossier"
_SERIE = "Serie"


class DueItem(NamedTuple):
    """One dossier on the due list (immutable: safe to hand to another thread; a
    named tuple because a due list holds 100,000 of them and these are cheap to make)."""

    kenmerk: str
    naam: str
    waardering: str
    resultaat: str | None  # "2020 11.1.2"
    gesloten_op: dt.date | None
    archiefactiedatum: dt.date | None
    note: str | None = None  # why it is not a candidate (holds, or why the date is open)
    procestype: int | None = None  # 11 for result 11.1.2; None when not classified
    serie: str | None = None  # naam of the Serie the dossier is directly in
    object_id: str | None = None  # the dossier's id (the UI selects it; not in the JSON)

    def to_json(self) -> dict[str, Any]:
        return {
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "waardering": self.waardering,
            "resultaat": self.resultaat,
            "gesloten_op": self.gesloten_op.isoformat() if self.gesloten_op else None,
            "archiefactiedatum": (
                self.archiefactiedatum.isoformat() if self.archiefactiedatum else None
            ),
            "note": self.note,
            "procestype": self.procestype,
            "serie": self.serie,
        }


@dataclass(frozen=True)
class DueList:
    on: dt.date
    destroy: list[DueItem] = field(default_factory=list)
    transfer: list[DueItem] = field(default_factory=list)
    held: list[DueItem] = field(default_factory=list)
    undetermined: list[DueItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "destroy": [i.to_json() for i in self.destroy],
            "transfer": [i.to_json() for i in self.transfer],
            "held": [i.to_json() for i in self.held],
            "undetermined": [i.to_json() for i in self.undetermined],
        }


def due(
    ws: Workspace,
    on: dt.date | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    cancel: CancelToken | None = None,
) -> DueList:
    """The due list on ``on`` (default: today); see the module contract.

    ``progress`` is called after each chunk with the number of dossiers read so far
    (from the calling thread); ``cancel`` is checked between chunks (raises
    :class:`~recordsdesk.tasks.Cancelled`).
    """
    day = on or ws.clock().astimezone().date()
    result = DueList(day)
    read = 0
    with ws.readers() as session:
        lookup = held_lookup(session)  # once: holds are few, dossiers many
        for chunk in _chunks(session, day):
            if cancel is not None:
                cancel.raise_if_cancelled()
            held = _held(session, lookup, chunk)
            reasons = _hold_reasons(session, held) if held else {}
            for row in chunk:
                if row.archiefactiedatum is None:
                    result.undetermined.append(_item(row, row.archiefactie_open))
                elif row.id in held:
                    result.held.append(_item(row, reasons.get(row.id)))
                elif row.waardering == "B":
                    result.transfer.append(_item(row))
                else:
                    result.destroy.append(_item(row))
            read += len(chunk)
            if progress is not None:
                progress(read)
    return result


def _chunks(session: Session, day: dt.date) -> Iterator[list[Row]]:
    parent = aliased(Informatieobject)
    columns = (
        # in the order of Row's fields
        Informatieobject.kenmerk,
        Informatieobject.naam,
        Informatieobject.waardering,
        Informatieobject.selectielijst_jaar,
        Informatieobject.resultaat_nummer,
        Informatieobject.gesloten_op,
        Informatieobject.archiefactiedatum,
        Informatieobject.archiefactie_open,
        parent.naam.label("parent_naam"),
        parent.aggregatieniveau.label("parent_niveau"),
        # the ids as stored, made canonical by _canonical: far cheaper than a UUID
        # object per value (two per row, 100,000 rows)
        type_coerce(Informatieobject.id, String).label("raw_id"),
        type_coerce(Informatieobject.parent_id, String).label("raw_parent"),
    )
    after = ""
    connection = session.connection()  # Core rows: no ORM loading per row
    while True:
        chunk = connection.execute(
            select(*columns)
            .outerjoin(parent, parent.id == Informatieobject.parent_id)
            .where(
                Informatieobject.status == "closed",
                Informatieobject.aggregatieniveau == _DOSSIER,
                (Informatieobject.archiefactiedatum <= day)
                | Informatieobject.archiefactiedatum.is_(None),
                Informatieobject.kenmerk > after,
            )
            .order_by(Informatieobject.kenmerk)
            .limit(CHUNK)
        ).all()
        if not chunk:
            return
        yield [Row(*r[:10], _canonical(r[10]) or "", _canonical(r[11])) for r in chunk]
        after = chunk[-1].kenmerk


class Row(NamedTuple):
    """A selected dossier, in the order of the columns (unpacked once, read by name)."""

    kenmerk: str
    naam: str
    waardering: str
    selectielijst_jaar: int | None
    resultaat_nummer: str | None
    gesloten_op: dt.date | None
    archiefactiedatum: dt.date | None
    archiefactie_open: str | None
    parent_naam: str | None
    parent_niveau: str | None
    id: str
    parent_id: str | None


def _canonical(value: object) -> str | None:
    """A stored UUID as the canonical text the rest of the code uses: SQLite keeps 32
    hex digits, PostgreSQL hands out uuid objects."""
    if value is None:
        return None
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def _held(session: Session, lookup: HeldLookup, chunk: list[Row]) -> set[str]:
    held: set[str] = set()
    unsure: list[str] = []
    for row in chunk:
        answer = lookup.is_held(row.id, row.parent_id)
        if answer:
            held.add(row.id)
        elif answer is None:
            unsure.append(row.id)
    if unsure:  # a dossier inside another dossier: walk its lineage
        held |= held_ids(session, unsure)
    return held


def _hold_reasons(session: Session, held: set[str]) -> dict[str, str]:
    """Per held dossier, the reasons of the active holds on it (its own; a Serie's
    hold shows as held without repeating the reason per dossier)."""
    found: dict[str, list[str]] = {}
    query = select(Hold.informatieobject_id, Hold.reason).where(
        Hold.lifted_at.is_(None), Hold.informatieobject_id.in_(list(held))
    )
    for object_id, reason in session.execute(query):
        found.setdefault(object_id, []).append(reason)
    return {k: "; ".join(v) for k, v in found.items()}


def _item(row: Row, note: str | None = None) -> DueItem:
    resultaat = f"{row.selectielijst_jaar} {row.resultaat_nummer}" if row.resultaat_nummer else None
    return DueItem(
        row.kenmerk,
        row.naam,
        row.waardering,
        resultaat,
        row.gesloten_op,
        row.archiefactiedatum,
        note,
        _procestype(row.resultaat_nummer),
        row.parent_naam if row.parent_niveau == _SERIE else None,
        row.id,
    )


def _procestype(nummer: str | None) -> int | None:
    head = (nummer or "").split(".", 1)[0]
    return int(head) if head.isdigit() else None
