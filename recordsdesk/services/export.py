"""Export of a dossier as MDTO XML: one file per object, every file checked.

Contract of :func:`export_mdto`:

* Writes ``OUT/<kenmerk>/``: ``<kenmerk>.mdto.xml`` for the dossier, one
  ``<kenmerk>.mdto.xml`` per record and ``<bestand id>.bestand.mdto.xml`` per
  stored file, values materialised on every level (MDTO has no inheritance at
  exchange time).
* Every file is checked against the official XSD and the rules beyond it
  (:mod:`recordsdesk.mdto.rules`) as it is written. If any file has a problem,
  nothing is left behind and the report lists *every* problem with its file
  and element path. Otherwise the folder appears complete or not at all: it is
  written under a temporary name and renamed into place.
* Records are read a chunk at a time and written one after the other, so the
  memory needed does not grow with the size of the dossier.
* The export is recorded as an MDTO event ``Export`` on the dossier (so the
  next export carries it) and as one audit row, in one transaction.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from recordsdesk import audit
from recordsdesk.db.models import Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.mdto import mapping, rules, schema, xmlio
from recordsdesk.mdto.model import Bestand as MdtoBestand
from recordsdesk.mdto.model import Identificatie, Verwijzing
from recordsdesk.mdto.model import Informatieobject as MdtoInformatieobject
from recordsdesk.services.dossiers import find_by_kenmerk
from recordsdesk.services.workspace import Workspace

CHUNK = 500  # records read per session


@dataclass(frozen=True)
class ExportProblem:
    file: str
    problem: schema.Problem


@dataclass(frozen=True)
class ExportReport:
    """``folder`` is the written export (None when refused); ``objects`` the files written."""

    folder: Path | None
    objects: int
    problems: list[ExportProblem] = field(default_factory=list)


def export_mdto(ws: Workspace, typed_kenmerk: str, out: Path) -> ExportReport:
    """Write the dossier ``typed_kenmerk`` as MDTO XML under ``out``; see the module contract."""
    with ws.readers() as session:
        dossier = find_by_kenmerk(session, typed_kenmerk, "Dossier")
        dossier_id, kenmerk = dossier.id, dossier.kenmerk
    target = out / kenmerk
    if target.exists():
        raise UserError(
            N_("{path} already exists; choose another folder or remove it first."),
            {"path": str(target)},
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        temp = out / f".{kenmerk}.partial-{uuid.uuid4().hex[:8]}"
        temp.mkdir()
    except OSError as exc:
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": exc.strerror or type(exc).__name__},
        ) from None
    problems: list[ExportProblem] = []
    written = 0
    try:
        for name, obj in _objects(ws, dossier_id):
            element = xmlio.to_element(obj)
            # checked as built (the tree, not the file read back: the bytes are
            # lxml's serialisation of exactly this tree)
            found = [*schema.validate_element(element), *rules.check(obj)]
            (temp / name).write_bytes(xmlio.serialise(element))
            written += 1
            problems += [ExportProblem(name, p) for p in found]
        if problems:
            shutil.rmtree(temp, ignore_errors=True)
            return ExportReport(None, written, problems)
        os.replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        # an MDTO event of its own: later exports of the dossier carry it
        session.add(
            Event(
                id=str(uuid.uuid4()),
                informatieobject_id=dossier_id,
                event_type="Export",
                event_tijd=now,
                verantwoordelijke_actor=ws.actor,
                resultaat=f"MDTO {schema.VERSION}: {written} bestanden",
            )
        )
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="mdto.exported",
            object_type="informatieobject",
            object_id=dossier_id,
            details={"folder": str(target), "objects": written},
        )
    return ExportReport(target, written)


Named = tuple[str, MdtoInformatieobject | MdtoBestand]


def _objects(ws: Workspace, dossier_id: str) -> Iterator[Named]:
    """(file name, MDTO object) for the dossier, then each record and its files.

    Records are loaded a chunk at a time with their files and events (one query
    each per chunk); the dossier's bevatOnderdeel needs only each record's name
    and kenmerk, read as columns.
    """
    with ws.readers() as session:
        [dossier] = _load(session, [dossier_id])
        rows = session.execute(
            select(
                Informatieobject.id,
                Informatieobject.naam,
                Informatieobject.kenmerk,
                Informatieobject.identificatie_bron,
            )
            .where(Informatieobject.parent_id == dossier_id)
            .order_by(Informatieobject.kenmerk)
        ).all()
        record_ids = [row.id for row in rows]
        children = [
            Verwijzing(row.naam, Identificatie(row.kenmerk, row.identificatie_bron)) for row in rows
        ]
        yield (
            f"{dossier.kenmerk}.mdto.xml",
            mapping.informatieobject(
                dossier,
                parent=None,
                children=children,
                bestanden=list(dossier.bestanden),
                events=_events(session, [dossier.id]).get(dossier.id, []),
            ),
        )
        for bestand in dossier.bestanden:
            yield f"{bestand.id}.bestand.mdto.xml", mapping.bestand(bestand, dossier)
    del children, rows
    for start in range(0, len(record_ids), CHUNK):
        chunk = record_ids[start : start + CHUNK]
        with ws.readers() as session:
            parent = session.get(Informatieobject, dossier_id)
            assert parent is not None
            events = _events(session, chunk)
            for record in _load(session, chunk):
                yield (
                    f"{record.kenmerk}.mdto.xml",
                    mapping.informatieobject(
                        record,
                        parent=parent,
                        children=[],
                        bestanden=list(record.bestanden),
                        events=events.get(record.id, []),
                    ),
                )
                for bestand in record.bestanden:
                    yield f"{bestand.id}.bestand.mdto.xml", mapping.bestand(bestand, record)


def _load(session: Session, ids: Sequence[str]) -> list[Informatieobject]:
    """The objects ``ids`` with their files, in the order of ``ids``."""
    rows = session.scalars(
        select(Informatieobject)
        .where(Informatieobject.id.in_(ids))
        .options(selectinload(Informatieobject.bestanden))
    ).all()
    order = {i: n for n, i in enumerate(ids)}
    return sorted(rows, key=lambda row: order[row.id])


def _events(session: Session, ids: Sequence[str]) -> dict[str, list[Event]]:
    """The events of the objects ``ids``, oldest first, by object id (one query)."""
    found: dict[str, list[Event]] = {}
    query = (
        select(Event).where(Event.informatieobject_id.in_(ids)).order_by(Event.event_tijd, Event.id)
    )
    for event in session.scalars(query):
        found.setdefault(event.informatieobject_id, []).append(event)
    return found
