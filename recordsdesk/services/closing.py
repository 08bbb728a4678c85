"""Classifying a dossier under the Selectielijst, closing it and reopening it (issue 5).

Contracts:

* :func:`classify` stores the result (jaar + volledig nummer, never a UUID) on an
  open dossier and sets what follows from it: waardering (B/V), bewaartermijn
  (for V), informatiecategorie (the result number) and, where the list fixes it,
  the afleidingswijze. Records that inherit these follow. A withdrawn or unknown
  result is refused.
* :func:`close` freezes a classified dossier and its records (status ``closed``:
  filing and metadata saves refuse) and derives brondatum, archiefactiedatum and,
  for B, the transfer date (:func:`recordsdesk.retention.dates.derive`). When the
  date cannot be derived yet the dossier still closes, with the archiefactiedatum
  open and the reason kept: it is on the "to be determined" list
  (:func:`undetermined`). The close date may be neither in the future nor before
  the opening date. MDTO event *Bevriezing* and an audit row, one transaction.
* :func:`reopen` opens a closed dossier again with a reason (audited, MDTO event
  *Wijziging*); the derived dates are cleared. Classify, close and reopen
  need the role records manager (:mod:`recordsdesk.services.roles`; in single-seat
  mode the one user holds every role).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.mdto import mapping, stored
from recordsdesk.mdto.model import Begrip, Termijn, Verwijzing
from recordsdesk.retention import dates, selectielijst
from recordsdesk.services import organisation, roles
from recordsdesk.services.dossiers import find_by_kenmerk
from recordsdesk.services.events import record_event
from recordsdesk.services.metadata import fix_inherits, refresh_child
from recordsdesk.services.workspace import Workspace

DOSSIER = "Dossier"
SETTING_OVERBRENGING = "retention.overbrengingstermijn"


@dataclass(frozen=True)
class Closed:
    """What closing derived (safe to hand to another thread)."""

    kenmerk: str
    waardering: str
    gesloten_op: dt.date
    brondatum: dt.date | None
    archiefactiedatum: dt.date | None
    overbrengingsdatum: dt.date | None
    open_reason: str | None  # msgid: why the archiefactiedatum is still open


@dataclass(frozen=True)
class Undetermined:
    kenmerk: str
    naam: str
    gesloten_op: dt.date | None
    reason: str  # msgid


def classify(ws: Workspace, typed_kenmerk: str, nummer: str, jaar: int | None = None) -> str:
    """Classify the open dossier under result ``nummer``; returns the result's number."""
    year = jaar if jaar is not None else selectielijst.latest()
    result = selectielijst.choosable(year, nummer.strip())
    waardering = result.mdto_waardering or "N"
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        dossier = find_by_kenmerk(session, typed_kenmerk, DOSSIER)
        _require_open(dossier)
        records = fix_inherits(session, dossier)
        dossier.selectielijst_jaar, dossier.resultaat_nummer = result.jaar, result.volledig_nummer
        allowed = dates.rules_for_procestermijn(result.procestermijn)
        dossier.afleidingswijze = next(iter(allowed)).value if len(allowed) == 1 else None
        bewaartermijn = result.bewaartermijn if waardering == "V" else None
        _set(dossier, waardering, bewaartermijn, result.volledig_nummer)
        effective = mapping.effective_metadata(dossier, None)
        for record in records:
            refresh_child(record, effective)
        dossier.updated_at = now
        session.flush()
        record_event(
            session, ws, dossier.id, "Wijziging", now,
            f"Geclassificeerd: Selectielijst {result.jaar} {result.volledig_nummer}",
        )  # fmt: skip
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="dossier.classified",
            object_type="informatieobject",
            object_id=dossier.id,
            details={"kenmerk": dossier.kenmerk, "jaar": result.jaar, "resultaat": nummer},
        )
    return result.volledig_nummer


def close(
    ws: Workspace,
    typed_kenmerk: str,
    *,
    on: dt.date | None = None,
    afleidingswijze: str | None = None,
    procestermijn: str | None = None,
    datum: dt.date | None = None,
) -> Closed:
    """Close the dossier; see the module contract. ``procestermijn`` (an ISO 8601
    duration) is for the rule ``termijn``, ``datum`` for ``ander_datumkenmerk``."""
    now = ws.clock()
    today = now.astimezone().date()
    closed_on = on or today
    with ws.sessions() as session, session.begin():
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        dossier = find_by_kenmerk(session, typed_kenmerk, DOSSIER)
        _require_open(dossier)
        if dossier.resultaat_nummer is None or dossier.selectielijst_jaar is None:
            raise UserError(
                N_("{kenmerk} is not classified yet: classify it under a Selectielijst result."),
                {"kenmerk": dossier.kenmerk},
            )
        result = selectielijst.resultaat(dossier.selectielijst_jaar, dossier.resultaat_nummer)
        dates.check_close_date(
            closed_on, opened_on=dossier.created_at.astimezone().date(), today=today
        )
        rule = _rule(dossier, result, afleidingswijze)
        parent = session.get(Informatieobject, dossier.parent_id) if dossier.parent_id else None
        derived = dates.derive(
            rule,
            closed_on=closed_on,
            waardering="B" if result.mdto_waardering == "B" else "V",
            bewaartermijn=dates.parse_duration(result.bewaartermijn)
            if result.bewaartermijn
            else None,
            overbrengingstermijn=dates.parse_duration(
                organisation.setting_value(session, SETTING_OVERBRENGING)
            ),
            procestermijn=dates.parse_duration(procestermijn) if procestermijn else None,
            datum=datum,
            parent_closed_on=parent.gesloten_op if parent is not None else None,
        )
        pending = derived.pending
        dossier.afleidingswijze = rule.value
        dossier.gesloten_op = closed_on
        dossier.brondatum = derived.brondatum
        dossier.archiefactiedatum = derived.archiefactiedatum
        dossier.overbrengingsdatum = derived.overbrengingsdatum
        dossier.archiefactie_open = pending.msgid if pending is not None else None
        dossier.status = "closed"
        dossier.updated_at = now
        for record in _records(session, dossier):
            record.status = "closed"
        session.flush()
        record_event(session, ws, dossier.id, "Bevriezing", now, _summary(derived))
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="dossier.closed",
            object_type="informatieobject",
            object_id=dossier.id,
            details={
                "kenmerk": dossier.kenmerk,
                "gesloten_op": closed_on.isoformat(),
                "afleidingswijze": rule.value,
                "archiefactiedatum": _iso(derived.archiefactiedatum),
                "open": pending.english() if pending is not None else None,
            },
        )
        return Closed(
            dossier.kenmerk,
            derived.waardering,
            closed_on,
            derived.brondatum,
            derived.archiefactiedatum,
            derived.overbrengingsdatum,
            pending.msgid if pending is not None else None,
        )


def reopen(ws: Workspace, typed_kenmerk: str, reason: str) -> None:
    """Open a closed dossier again; see the module contract."""
    text = " ".join(reason.split())
    if not text:
        raise UserError(N_("Reopening needs a reason; it goes into the audit trail."))
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        dossier = find_by_kenmerk(session, typed_kenmerk, DOSSIER)
        if dossier.status != "closed":
            raise UserError(
                N_("{kenmerk} is not closed; there is nothing to reopen."),
                {"kenmerk": dossier.kenmerk},
            )
        before = _iso(dossier.archiefactiedatum)
        dossier.status = "open"
        dossier.gesloten_op = dossier.brondatum = None
        dossier.archiefactiedatum = dossier.overbrengingsdatum = None
        dossier.archiefactie_open = None
        dossier.updated_at = now
        for record in _records(session, dossier):
            record.status = "open"
        session.flush()
        record_event(session, ws, dossier.id, "Wijziging", now, f"Heropend: {text}")
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="dossier.reopened",
            object_type="informatieobject",
            object_id=dossier.id,
            details={"kenmerk": dossier.kenmerk, "reason": text, "archiefactiedatum": before},
        )


def undetermined(ws: Workspace) -> list[Undetermined]:
    """Closed dossiers whose archiefactiedatum is still open, with the reason."""
    with ws.readers() as session:
        rows = session.execute(
            select(
                Informatieobject.kenmerk,
                Informatieobject.naam,
                Informatieobject.gesloten_op,
                Informatieobject.archiefactie_open,
            )
            .where(
                Informatieobject.status == "closed",
                Informatieobject.aggregatieniveau == DOSSIER,
                Informatieobject.archiefactiedatum.is_(None),
            )
            .order_by(Informatieobject.gesloten_op, Informatieobject.kenmerk)
        ).all()
    return [Undetermined(r.kenmerk, r.naam, r.gesloten_op, r.archiefactie_open or "") for r in rows]


def _require_open(dossier: Informatieobject) -> None:
    if dossier.status != "open":
        raise UserError(
            N_("{kenmerk} is closed; reopen it first (records manager, with a reason)."),
            {"kenmerk": dossier.kenmerk},
        )


def _rule(
    dossier: Informatieobject, result: selectielijst.Resultaat, chosen: str | None
) -> dates.BrondatumRule:
    allowed = dates.rules_for_procestermijn(result.procestermijn)
    wanted = chosen or dossier.afleidingswijze
    if wanted is None:
        if result.mdto_waardering == "B":
            return dates.BrondatumRule.AFGEHANDELD  # Open Zaak's default for blijvend bewaren
        raise UserError(
            N_(
                "Result {nummer} ({procestermijn}) needs to know how its brondatum is "
                "derived; choose one of: {allowed}."
            ),
            {
                "nummer": result.volledig_nummer,
                "procestermijn": result.procestermijn_weergave or "-",
                "allowed": ", ".join(sorted(r.value for r in allowed)),
            },
        )
    try:
        rule = dates.BrondatumRule(wanted.strip().lower())
    except ValueError:
        raise UserError(
            N_("{rule} is not an afleidingswijze; choose one of: {allowed}."),
            {"rule": wanted, "allowed": ", ".join(r.value for r in dates.BrondatumRule)},
        ) from None
    if rule not in allowed:
        raise UserError(
            N_("Result {nummer} does not allow {rule}; choose one of: {allowed}."),
            {
                "nummer": result.volledig_nummer,
                "rule": rule.value,
                "allowed": ", ".join(sorted(r.value for r in allowed)),
            },
        )
    return rule


def _set(
    dossier: Informatieobject, waardering: str, bewaartermijn: str | None, categorie: str
) -> None:
    """The classification's values on the dossier: its columns and, when its metadata
    was edited, the stored MDTO document they are derived from."""
    dossier.waardering = waardering
    dossier.bewaartermijn = bewaartermijn
    dossier.informatiecategorie = categorie
    if dossier.mdto is None:
        return
    own = stored.loads(dossier.mdto)
    meta = dataclasses.replace(
        own.meta,
        waardering=mapping.concept("waardering", waardering),
        bewaartermijn=Termijn(looptijd=bewaartermijn) if bewaartermijn else None,
        informatiecategorie=Begrip(categorie, None, Verwijzing(mapping.INFORMATIECATEGORIE_LIST)),
    )
    dossier.mdto = stored.dumps(meta, own.inherits)


def _records(session: Session, dossier: Informatieobject) -> Sequence[Informatieobject]:
    return session.scalars(
        select(Informatieobject).where(Informatieobject.parent_id == dossier.id)
    ).all()


def _summary(derived: dates.Derived) -> str:
    parts = [f"waardering {derived.waardering}"]
    if derived.archiefactiedatum is not None:
        parts.append(f"archiefactiedatum {derived.archiefactiedatum.isoformat()}")
    else:
        parts.append("archiefactiedatum nog te bepalen")
    return ", ".join(parts)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
