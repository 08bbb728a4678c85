"""Is a dossier complete? What a Woo searcher must know before relying on it.

:func:`dossier_completeness` lists every reason a dossier as found may not be the
whole story, each with what it concerns:

* the dossier is still open (records may still be added);
* changes to it wait in an outbox: on this workstation (its own ``change_log``),
  or, read in the central archive, on a workstation that said so at its last
  sync (``workstation_dossier``, reported by :mod:`recordsdesk.archive.sync.engine`);
* a mail names an attachment that was not stored with it (on the workstation that
  took it in: the inbox does not travel);
* a record refers (MDTO ``gerelateerdInformatieobject``) to an object in another
  dossier, or to one the archive does not hold;
* inbox items from a drop folder that files into this dossier still wait (idem);
* a bestand's content is missing from the store, or failed the last fixity run
  (:data:`recordsdesk.services.verify.DAMAGED`);
* a scan has no text layer and no OCR derivative: its text cannot be searched;
* records the reader may not see (the central archive's row-level security): only
  their number, never their names.

Reading only: one read transaction; nothing is changed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from recordsdesk.archive.sync.rows import IN_CHUNK
from recordsdesk.db.models import (
    Bestand,
    ChangeLog,
    ContentObject,
    ContentText,
    DropFolder,
    Event,
    InboxItem,
    Informatieobject,
    WorkstationDossier,
)
from recordsdesk.i18n import N_
from recordsdesk.mdto import stored
from recordsdesk.services import dossiers
from recordsdesk.services.verify import DAMAGED
from recordsdesk.services.workspace import Workspace

_WAITING = ("seen", "stable", "claimed", "stored", "ready", "quarantined")


@dataclass(frozen=True)
class Reason:
    """One reason, by code (stable, for scripts) and message (a msgid with params)."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "params": self.params}


@dataclass(frozen=True)
class Completeness:
    kenmerk: str
    naam: str
    status: str
    records: int  # records the reader sees
    hidden: int  # records in the dossier the reader may not see
    reasons: tuple[Reason, ...]

    @property
    def complete(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        return {
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "status": self.status,
            "complete": self.complete,
            "records": self.records,
            "hidden": self.hidden,
            "reasons": [r.to_json() for r in self.reasons],
        }


def dossier_completeness(
    ws: Workspace, typed_kenmerk: str, *, central: bool = False
) -> Completeness:
    """The completeness of the dossier ``typed_kenmerk``; see the module contract.

    ``central``: ``ws`` is the central archive itself (``recordsdesk --central``):
    its ``change_log`` is the change feed, not an outbox, and what waits on
    workstations is what they reported; content is checked in the central store.
    """
    with ws.readers() as session:
        dossier = dossiers.find_by_kenmerk(session, typed_kenmerk, ("Dossier",))
        records = list(
            session.execute(
                select(Informatieobject.id, Informatieobject.kenmerk, Informatieobject.mdto)
                .where(Informatieobject.parent_id == dossier.id)
                .order_by(Informatieobject.kenmerk)
            )
        )
        ids = [r.id for r in records]
        reasons: list[Reason] = []
        if dossier.status == "open":
            reasons.append(Reason("open", N_("The dossier is still open: records may be added.")))
        if central:
            reasons += _pending_on_workstations(session, dossier.id)
        else:  # the outbox, inbox and a mail's intake facts live on the workstation only
            reasons += _pending_here(session, [dossier.id, *ids])
            reasons += _missing_attachments(session, ids)
            reasons += _inbox(session, dossier.id)
        reasons += _related(session, dossier.id, [(r.kenmerk, r.mdto) for r in records])
        reasons += _content(ws, session, ids, central=central)
        hidden = _hidden(session, dossier.id, len(ids))
        if hidden:
            reasons.append(
                Reason(
                    "hidden",
                    N_("{count} records in this dossier are not visible to you."),
                    {"count": hidden},
                )
            )
        return Completeness(
            dossier.kenmerk, dossier.naam, dossier.status, len(ids), hidden, tuple(reasons)
        )


def _chunks(values: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield list(values[start : start + IN_CHUNK])


def _pending_here(session: Session, object_ids: Sequence[str]) -> list[Reason]:
    """Outbox entries for the dossier, its records and their bestanden and events."""
    keys = set(object_ids)
    for chunk in _chunks(list(object_ids)):
        keys.update(
            session.scalars(select(Bestand.id).where(Bestand.informatieobject_id.in_(chunk)))
        )
        keys.update(session.scalars(select(Event.id).where(Event.informatieobject_id.in_(chunk))))
    forms = sorted({*keys, *(uuid.UUID(k).hex for k in keys)})
    count = 0
    for chunk in _chunks(forms):
        count += (
            session.scalar(
                select(func.count(func.distinct(ChangeLog.entity_id))).where(
                    ChangeLog.entity_id.in_(chunk)
                )
            )
            or 0
        )
    if not count:
        return []
    return [
        Reason(
            "pending_here",
            N_(
                "{count} changes to this dossier on this workstation have not reached the "
                "central archive yet."
            ),
            {"count": count},
        )
    ]


def _pending_on_workstations(session: Session, dossier_id: str) -> list[Reason]:
    rows = session.execute(
        select(WorkstationDossier)
        .where(WorkstationDossier.dossier_id == dossier_id, WorkstationDossier.pending_changes > 0)
        .order_by(WorkstationDossier.station_id)
    ).scalars()
    return [
        Reason(
            "pending_elsewhere",
            N_(
                "Workstation {station} ({actor}) had {count} changes to this dossier not yet "
                "sent at its last sync ({at})."
            ),
            {
                "station": row.station_id,
                "actor": row.actor,
                "count": row.pending_changes,
                "at": row.reported_at.isoformat(timespec="minutes"),
            },
        )
        for row in rows
    ]


def _missing_attachments(session: Session, record_ids: Sequence[str]) -> list[Reason]:
    """A mail's facts list its attachments; each should be a bestand of its record."""
    reasons: list[Reason] = []
    for chunk in _chunks(list(record_ids)):
        items = session.execute(
            select(InboxItem.record_id, InboxItem.facts, Informatieobject.kenmerk)
            .join(Informatieobject, Informatieobject.id == InboxItem.record_id)
            .where(InboxItem.record_id.in_(chunk), InboxItem.facts.is_not(None))
        ).all()
        for record_id, facts_text, kenmerk in items:
            facts = json.loads(facts_text or "{}")
            if not isinstance(facts.get("mail"), dict):
                continue
            names = set(
                session.scalars(
                    select(Bestand.original_name).where(Bestand.informatieobject_id == record_id)
                )
            )
            for part in facts.get("parts", []):
                name = str(part.get("name") or "")
                if not part.get("size") or (name and name not in names):
                    reasons.append(
                        Reason(
                            "attachment_missing",
                            N_(
                                "The mail {record} has an attachment that is not in the "
                                "dossier: {name}."
                            ),
                            {"record": kenmerk, "name": name or "?"},
                        )
                    )
    return reasons


def _related(
    session: Session, dossier_id: str, records: Sequence[tuple[str, str | None]]
) -> list[Reason]:
    """MDTO references from the records to objects outside this dossier or not held."""
    wanted: list[tuple[str, str]] = []
    for kenmerk, document in records:
        if not document:
            continue
        for related in stored.loads(document).meta.gerelateerd_informatieobject:
            named = related.verwijzing.identificatie
            wanted.append((kenmerk, named.kenmerk if named else related.verwijzing.naam))
    found: dict[str, tuple[str | None, str | None]] = {}
    targets = sorted({t for _, t in wanted})
    for chunk in _chunks(targets):
        for row in session.execute(
            select(
                Informatieobject.kenmerk,
                Informatieobject.id,
                Informatieobject.parent_id,
                Informatieobject.aggregatieniveau,
            ).where(Informatieobject.kenmerk.in_(chunk))
        ):
            home = row.id if row.aggregatieniveau != "Archiefstuk" else row.parent_id
            parent = session.get(Informatieobject, home) if home else None
            found[row.kenmerk] = (home, parent.kenmerk if parent else None)
    reasons: list[Reason] = []
    for kenmerk, target in wanted:
        if target not in found:
            reasons.append(
                Reason(
                    "related_missing",
                    N_("{record} refers to {target}, which this archive does not hold."),
                    {"record": kenmerk, "target": target},
                )
            )
        elif found[target][0] != dossier_id:
            reasons.append(
                Reason(
                    "related_elsewhere",
                    N_("{record} refers to {target}, which is in another dossier ({dossier})."),
                    {"record": kenmerk, "target": target, "dossier": found[target][1] or "?"},
                )
            )
    return reasons


def _inbox(session: Session, dossier_id: str) -> list[Reason]:
    count = session.scalar(
        select(func.count())
        .select_from(InboxItem)
        .join(DropFolder, DropFolder.id == InboxItem.drop_folder_id)
        .where(DropFolder.dossier_id == dossier_id, InboxItem.state.in_(_WAITING))
    )
    if not count:
        return []
    return [
        Reason(
            "inbox_waiting",
            N_("{count} items in the inbox are meant for this dossier and are not filed yet."),
            {"count": count},
        )
    ]


def _content(
    ws: Workspace, session: Session, record_ids: Sequence[str], *, central: bool
) -> list[Reason]:
    """Missing or damaged content, and scans whose text cannot be searched."""
    damaged = set(json.loads(ws.setting(session, DAMAGED, "[]")))
    reasons: list[Reason] = []
    for chunk in _chunks(list(record_ids)):
        rows = session.execute(
            select(
                Bestand.id,
                Bestand.sha256,
                Bestand.size,
                Bestand.role,
                Bestand.original_name,
                Bestand.derived_from_id,
                Informatieobject.kenmerk,
                ContentText.needs_ocr,
            )
            .join(Informatieobject, Informatieobject.id == Bestand.informatieobject_id)
            .outerjoin(ContentText, ContentText.sha256 == Bestand.sha256)
            .where(Bestand.informatieobject_id.in_(chunk))
            .order_by(Informatieobject.kenmerk, Bestand.created_at)
        ).all()
        present = _present(ws, session, rows, central=central)
        # a derivative counts once its own text is known to be there (OCR or a text layer)
        derived_from = {
            r.derived_from_id for r in rows if r.derived_from_id and r.needs_ocr is False
        }
        for row in rows:
            where = {"record": row.kenmerk, "name": row.original_name}
            if row.sha256 not in present:
                reasons.append(
                    Reason(
                        "content_missing",
                        N_("The content of {record} ({name}) is missing from the store."),
                        where,
                    )
                )
            elif row.sha256 in damaged:
                reasons.append(
                    Reason(
                        "fixity_failed",
                        N_("The content of {record} ({name}) failed the last fixity check."),
                        where,
                    )
                )
            if row.needs_ocr and row.role == "original" and row.id not in derived_from:
                reasons.append(
                    Reason(
                        "ocr_missing",
                        N_(
                            "{record} ({name}) is a scan without a text layer: its text cannot "
                            "be searched until OCR has run."
                        ),
                        where,
                    )
                )
    return reasons


def _present(ws: Workspace, session: Session, rows: Sequence[Any], *, central: bool) -> set[str]:
    shas = sorted({r.sha256 for r in rows})
    if not central:
        return {sha for sha in shas if ws.objects.exists(sha)}
    found: set[str] = set()
    for chunk in _chunks(shas):
        found.update(
            session.scalars(select(ContentObject.sha256).where(ContentObject.sha256.in_(chunk)))
        )
    return found


def _hidden(session: Session, dossier_id: str, visible: int) -> int:
    """Records the reader may not see: on PostgreSQL with enforcement, the database
    counts them (``rd_children_count``, which tells a number, never a name)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return 0
    installed = session.scalar(
        text("SELECT to_regprocedure('rd_children_count(uuid)') IS NOT NULL")
    )
    if not installed:
        return 0
    total = session.scalar(text("SELECT rd_children_count(CAST(:d AS uuid))"), {"d": dossier_id})
    return max(int(total or 0) - visible, 0)
