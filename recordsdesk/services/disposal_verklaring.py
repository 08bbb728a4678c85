"""Filing the verklaring van vernietiging of a carried-out destruction list.

Contract of :func:`file_verklaring`: the list's dossier in the Serie
"Verklaringen van vernietiging" (created once per store) gets two records, the
verklaring as PDF/A and the same items as CSV, both with waardering B. It is
safe to call again after a crash: the dossier is remembered on the list in the
transaction that creates it, and a dossier that already holds its records is
left alone, so the verklaring is filed exactly once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recordsdesk import audit, i18n
from recordsdesk.db.models import (
    DisposalItem,
    DisposalList,
    Informatieobject,
)
from recordsdesk.pdfa import write_pdfa
from recordsdesk.retention import verklaring
from recordsdesk.services.dossiers import DOSSIER, new_object, remembered_serie
from recordsdesk.services.filing import file_paths
from recordsdesk.services.organisation import organisation
from recordsdesk.services.workspace import Workspace

SERIE_NAAM = "Verklaringen van vernietiging"
_SERIE_SETTING = "verklaring_serie_id"
_NOT_DESTROYED = ("skipped", "removed", "excluded")


def file_verklaring(ws: Workspace, list_key: str) -> str:
    """File the verklaring of ``list_key``; returns the kenmerk of its dossier."""
    dossier_kenmerk, has_records = _dossier(ws, list_key)
    if has_records:
        return dossier_kenmerk
    with tempfile.TemporaryDirectory(dir=ws.layout.root, prefix=".verklaring-") as folder:
        pdf = Path(folder) / "verklaring-van-vernietiging.pdf"
        table = Path(folder) / "verklaring-van-vernietiging.csv"
        with ws.readers() as session:
            facts = _facts(session, ws, list_key)
            write_pdfa(
                verklaring.document(
                    facts,
                    _lines(session, list_key, ("destroyed",)),
                    _lines(session, list_key, _NOT_DESTROYED),
                ),
                pdf,
            )
            verklaring.write_csv(_lines(session, list_key, None), table)
        filed = file_paths(ws, dossier_kenmerk, [pdf, table])
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        for created in filed.records:
            record = session.get(Informatieobject, created.id)
            assert record is not None
            record.waardering, record.updated_at = "B", now
    return dossier_kenmerk


def _dossier(ws: Workspace, list_key: str) -> tuple[str, bool]:
    """The list's verklaring dossier (made now if missing) and whether it has records."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = session.get(DisposalList, list_key, with_for_update=True)
        assert row is not None
        if row.outcome_dossier_id is not None:
            dossier = session.get(Informatieobject, row.outcome_dossier_id)
            assert dossier is not None
            count = session.scalar(
                select(func.count())
                .select_from(Informatieobject)
                .where(Informatieobject.parent_id == dossier.id)
            )
            return dossier.kenmerk, bool(count)
        serie = remembered_serie(session, ws, now, _SERIE_SETTING, SERIE_NAAM)
        naam = f"Verklaring van vernietiging – {row.naam}"[:500]
        dossier = new_object(session, ws, now, DOSSIER, naam, parent_id=serie.id, waardering="B")
        row.outcome_dossier_id = dossier.id
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="disposal.verklaring_dossier",
            object_type="disposal_list",
            object_id=row.id,
            details={"dossier": dossier.kenmerk, "serie": serie.kenmerk},
        )
        return dossier.kenmerk, False


def _facts(session: Session, ws: Workspace, list_key: str) -> verklaring.Facts:
    row = session.get(DisposalList, list_key)
    assert row is not None

    def count(states: tuple[str, ...]) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(DisposalItem)
                .where(DisposalItem.list_id == list_key, DisposalItem.state.in_(states))
            )
            or 0
        )

    years = session.scalars(
        select(DisposalItem.selectielijst_jaar)
        .where(DisposalItem.list_id == list_key, DisposalItem.selectielijst_jaar.is_not(None))
        .distinct()
    ).all()
    return verklaring.Facts(
        list_id=row.id,
        naam=row.naam,
        archiefvormer=organisation(session).archiefvormer,
        author=row.author,
        created_at=row.created_at,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        executed_by=row.executed_by or ws.actor,
        executed_at=ws.clock(),
        destroyed=count(("destroyed",)),
        not_destroyed=count(_NOT_DESTROYED),
        selectielijsten=sorted(int(y) for y in years if y is not None),
    )


def _lines(
    session: Session, list_key: str, states: tuple[str, ...] | None
) -> Iterator[verklaring.Line]:
    """The items in list order, read in pages (a list may hold 100,000 items)."""
    dutch = i18n.translations("nl")
    after = 0
    while True:
        query = (
            select(DisposalItem)
            .where(DisposalItem.list_id == list_key, DisposalItem.position > after)
            .order_by(DisposalItem.position)
            .limit(2000)
        )
        if states is not None:
            query = query.where(DisposalItem.state.in_(states))
        page = session.scalars(query).all()
        if not page:
            return
        for item in page:
            reason = None
            if item.state == "skipped" and item.outcome_reason:
                reason = dutch.gettext(item.outcome_reason)
            elif item.state != "destroyed":
                reason = item.decision_reason or item.exclusion_reason
            yield verklaring.Line(
                item.kenmerk, item.naam, item.selectielijst_jaar, item.resultaat_nummer,
                item.gesloten_op, item.archiefactiedatum, item.state == "destroyed", reason,
                item.done_at,
            )  # fmt: skip
        after = page[-1].position
        session.expunge_all()
