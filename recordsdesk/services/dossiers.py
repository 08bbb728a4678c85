"""Dossiers and their records: create, list, show, and lazy rows for views."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from recordsdesk import audit, kenmerk
from recordsdesk.changes import Changes
from recordsdesk.db.models import Bestand, Event, Informatieobject, StoreSetting
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.services import holds  # holds imports find_by_kenmerk: module, not names
from recordsdesk.services.dto import (
    Created,
    DossierDetail,
    DossierRow,
    FileInfo,
    RecordDetail,
    RecordRow,
)
from recordsdesk.services.organisation import organisation
from recordsdesk.services.workspace import Workspace

MAX_TITLE = 500
DOSSIER = "Dossier"
RECORD = "Archiefstuk"


def clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise UserError(N_("A title is required."))
    if len(cleaned) > MAX_TITLE:
        raise UserError(
            N_("The title is too long ({length} characters; at most {limit})."),
            {"length": len(cleaned), "limit": MAX_TITLE},
        )
    return cleaned


def create_dossier(ws: Workspace, title: str, omschrijving: str | None = None) -> Created:
    """Create an open dossier; one transaction with its Creatie event and audit row."""
    naam = clean_title(title)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        dossier = new_object(session, ws, now, DOSSIER, naam, omschrijving=omschrijving)
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="dossier.create",
            object_type="informatieobject",
            object_id=dossier.id,
            details={"kenmerk": dossier.kenmerk, "naam": naam},
        )
        return Created(dossier.id, dossier.kenmerk, Changes(dossiers=frozenset({dossier.id})))


def new_object(
    session: Session,
    ws: Workspace,
    now: dt.datetime,
    level: str,
    naam: str,
    *,
    parent_id: str | None = None,
    omschrijving: str | None = None,
    waardering: str = "N",
) -> Informatieobject:
    """A new open Archief, Serie or Dossier with the organisation's defaults and its MDTO
    event Creatie, added to the caller's transaction (flushed; the caller audits)."""
    org = organisation(session)
    row = Informatieobject(
        id=str(uuid.uuid4()),
        kenmerk=ws.next_kenmerk(session, "D"),
        aggregatieniveau=level,
        parent_id=parent_id,
        naam=naam,
        omschrijving=(omschrijving or "").strip() or None,
        identificatie_bron=org.identificatie_bron,
        waardering=waardering,
        archiefvormer=org.archiefvormer,
        beperking_gebruik=org.beperking_gebruik,
        status="open",
        created_at=now,
        created_by=ws.actor,
        updated_at=now,
    )
    session.add(row)
    session.add(
        Event(
            id=str(uuid.uuid4()),
            informatieobject_id=row.id,
            event_type="Creatie",
            event_tijd=now,
            verantwoordelijke_actor=ws.actor,
        )
    )
    session.flush()
    return row


def remembered_serie(
    session: Session, ws: Workspace, now: dt.datetime, setting_key: str, naam: str
) -> Informatieobject:
    """The store's Serie ``naam`` whose id the store setting ``setting_key`` remembers,
    made (waardering B) and remembered now if there is none (or it is gone). For the
    app's own archival documents: verklaringen van vernietiging, vervangingsverslagen."""
    setting = session.get(StoreSetting, setting_key)
    found = session.get(Informatieobject, setting.value) if setting is not None else None
    if found is not None:
        return found
    serie = new_object(session, ws, now, "Serie", naam, waardering="B")
    if setting is None:
        session.add(StoreSetting(key=setting_key, value=serie.id))
    else:
        setting.value = serie.id
    return serie


def find_by_kenmerk(session: Session, typed: str, level: str | tuple[str, ...]) -> Informatieobject:
    """The object with this kenmerk at ``level`` (or one of several levels); a clear
    error otherwise."""
    wanted = kenmerk.normalise(typed)
    levels = (level,) if isinstance(level, str) else level
    found = session.scalar(
        select(Informatieobject).where(
            Informatieobject.kenmerk == wanted, Informatieobject.aggregatieniveau.in_(levels)
        )
    )
    if found is None:
        if not kenmerk.is_valid(wanted):
            raise NotFoundError(
                N_("No dossier with kenmerk {kenmerk}: this is not a valid kenmerk, check it."),
                {"kenmerk": typed},
            )
        raise NotFoundError(N_("No dossier with kenmerk {kenmerk}."), {"kenmerk": typed})
    return found


# -- reading: ids first, rows on demand (views page through large lists) -----


def dossier_ids(ws: Workspace) -> list[str]:
    """All dossier ids, newest first."""
    with ws.readers() as session:
        query = (
            select(Informatieobject.id)
            .where(Informatieobject.aggregatieniveau == DOSSIER)
            .order_by(Informatieobject.created_at.desc(), Informatieobject.kenmerk.desc())
        )
        return list(session.scalars(query))


def dossier_rows(ws: Workspace, ids: Sequence[str]) -> dict[str, DossierRow]:
    if not ids:
        return {}
    counts = (
        select(Informatieobject.parent_id, func.count().label("n"))
        .where(Informatieobject.parent_id.in_(ids))
        .group_by(Informatieobject.parent_id)
        .subquery()
    )
    query = (
        select(Informatieobject, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.parent_id == Informatieobject.id)
        .where(Informatieobject.id.in_(ids))
    )
    with ws.readers() as session:
        return {
            obj.id: DossierRow(obj.id, obj.kenmerk, obj.naam, obj.status, int(n), obj.created_at)
            for obj, n in session.execute(query)
        }


def list_dossiers(ws: Workspace) -> list[DossierRow]:
    ids = dossier_ids(ws)
    rows = dossier_rows(ws, ids)
    return [rows[i] for i in ids]


def record_ids(ws: Workspace, dossier_id: str) -> list[str]:
    """The dossier's records in filing order."""
    with ws.readers() as session:
        query = (
            select(Informatieobject.id)
            .where(Informatieobject.parent_id == dossier_id)
            .order_by(Informatieobject.created_at, Informatieobject.kenmerk)
        )
        return list(session.scalars(query))


def record_rows(ws: Workspace, ids: Sequence[str]) -> dict[str, RecordRow]:
    if not ids:
        return {}
    with ws.readers() as session:
        records = session.scalars(select(Informatieobject).where(Informatieobject.id.in_(ids)))
        files = session.scalars(
            select(Bestand).where(Bestand.informatieobject_id.in_(ids)).order_by(Bestand.created_at)
        ).all()
        by_record: dict[str, list[Bestand]] = {}
        for bestand in files:
            by_record.setdefault(bestand.informatieobject_id, []).append(bestand)
        rows = {}
        for rec in records:
            own = by_record.get(rec.id, [])
            first = own[0] if own else None
            rows[rec.id] = RecordRow(
                id=rec.id,
                kenmerk=rec.kenmerk,
                title=rec.naam,
                filed_at=rec.created_at,
                file_count=len(own),
                mime=first.mime if first else None,
                size=sum(b.size for b in own),
            )
        return rows


def _file_info(bestand: Bestand) -> FileInfo:
    return FileInfo(
        id=bestand.id,
        name=bestand.original_name,
        safe_name=bestand.safe_name,
        sha256=bestand.sha256,
        size=bestand.size,
        mime=bestand.mime,
        puid=bestand.puid,
        role=bestand.role,
        filed_at=bestand.created_at,
    )


def _record_detail(
    record: Informatieobject, dossier_kenmerk: str, held: tuple[holds.HoldInfo, ...] = ()
) -> RecordDetail:
    return RecordDetail(
        id=record.id,
        kenmerk=record.kenmerk,
        title=record.naam,
        omschrijving=record.omschrijving,
        status=record.status,
        waardering=record.waardering,
        archiefvormer=record.archiefvormer,
        beperking_gebruik=record.beperking_gebruik,
        dossier_kenmerk=dossier_kenmerk,
        created_at=record.created_at,
        created_by=record.created_by,
        files=tuple(_file_info(b) for b in record.bestanden),
        holds=held,
    )


def record_detail(ws: Workspace, record_id: str) -> RecordDetail:
    with ws.readers() as session:
        record = session.get(Informatieobject, record_id)
        if record is None or record.aggregatieniveau != RECORD:
            raise NotFoundError(N_("This record no longer exists."))
        parent = session.get(Informatieobject, record.parent_id) if record.parent_id else None
        held = holds.binding(session, record)
        return _record_detail(record, parent.kenmerk if parent else "", held)


def show_dossier(ws: Workspace, typed_kenmerk: str) -> DossierDetail:
    with ws.readers() as session:
        dossier = find_by_kenmerk(session, typed_kenmerk, DOSSIER)
        return _dossier_detail(session, dossier)


def dossier_detail(ws: Workspace, dossier_id: str) -> DossierDetail:
    with ws.readers() as session:
        dossier = session.get(Informatieobject, dossier_id)
        if dossier is None:
            raise NotFoundError(N_("This dossier no longer exists."))
        return _dossier_detail(session, dossier)


def _dossier_detail(session: Session, dossier: Informatieobject) -> DossierDetail:
    records = session.scalars(
        select(Informatieobject)
        .where(Informatieobject.parent_id == dossier.id)
        .order_by(Informatieobject.created_at, Informatieobject.kenmerk)
        .options(selectinload(Informatieobject.bestanden))
    ).all()
    held = holds.binding(session, dossier)  # the records are bound by the same holds
    return DossierDetail(
        id=dossier.id,
        kenmerk=dossier.kenmerk,
        title=dossier.naam,
        omschrijving=dossier.omschrijving,
        status=dossier.status,
        waardering=dossier.waardering,
        archiefvormer=dossier.archiefvormer,
        beperking_gebruik=dossier.beperking_gebruik,
        classificatie=dossier.classificatie,
        created_at=dossier.created_at,
        created_by=dossier.created_by,
        records=tuple(_record_detail(r, dossier.kenmerk, held) for r in records),
        holds=held,
    )
