"""Legal holds: several per dossier, on a Serie for everything under it, lifted with a record.

Real workspaces on SQLite and PostgreSQL (the ``ws`` fixture).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recordsdesk.db.models import AuditEvent, Hold, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.services import (
    Workspace,
    create_dossier,
    file_paths,
    open_workspace,
    record_detail,
    show_dossier,
)
from recordsdesk.services.holds import held_ids, held_lookup, holds_on, lift_hold, place_hold
from tests.core.samples import pdf_bytes, write


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


def serie_with_dossier(ws: Workspace) -> tuple[str, str]:
    """(serie kenmerk, dossier kenmerk): a Serie row made directly (import makes them)."""
    dossier = create_dossier(ws, "Bezwaar parkeervergunning")
    with ws.sessions() as session, session.begin():
        row = session.get(Informatieobject, dossier.id)
        assert row is not None
        serie = Informatieobject(
            id=str(uuid.uuid4()),
            kenmerk=ws.next_kenmerk(session, "D"),
            aggregatieniveau="Serie",
            naam="Bezwaarschriften 2026",
            archiefvormer=row.archiefvormer,
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
        )
        session.add(serie)
        session.flush()
        row.parent_id = serie.id
        serie_kenmerk = serie.kenmerk
    return serie_kenmerk, dossier.kenmerk


def audit_count(ws: Workspace) -> int:
    with ws.readers() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_several_holds_each_with_reason_who_and_when(ws: Workspace) -> None:
    kenmerk = create_dossier(ws, "Omgevingsvergunning Coolsingel 40").kenmerk
    first = place_hold(ws, kenmerk, "Woo-verzoek 2026-041")
    second = place_hold(ws, kenmerk.lower(), "  Beroep   rechtbank  ")
    found = holds_on(ws, kenmerk)
    assert [h.reason for h in found] == ["Woo-verzoek 2026-041", "Beroep rechtbank"]
    assert {h.id for h in found} == {first.id, second.id}
    assert all(h.placed_by == ws.actor and h.active and not h.inherited for h in found)
    lifted = lift_hold(ws, first.id, "Woo-besluit verzonden")
    assert not lifted.active and lifted.lifted_by == ws.actor
    assert [h.id for h in holds_on(ws, kenmerk)] == [second.id]
    assert len(holds_on(ws, kenmerk, include_lifted=True)) == 2, "a lifted hold is kept"
    with ws.readers() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-3:] == ["hold.placed", "hold.placed", "hold.lifted"]


def test_a_hold_on_a_serie_binds_its_dossiers_and_their_records(
    ws: Workspace, tmp_path: Path
) -> None:
    serie, dossier = serie_with_dossier(ws)
    result = file_paths(ws, dossier, [write(tmp_path / "bezwaar.pdf", pdf_bytes("bezwaar"))])
    record = result.records[0]
    hold = place_hold(ws, serie, "Rechtszaak gemeente/X")
    [on_dossier] = holds_on(ws, dossier)
    assert on_dossier.id == hold.id and on_dossier.inherited and on_dossier.kenmerk == serie
    assert [h.id for h in holds_on(ws, record.kenmerk)] == [hold.id]
    with ws.readers() as session:
        ids = dict(session.execute(select(Informatieobject.kenmerk, Informatieobject.id)).all())
        assert held_ids(session, [ids[dossier], record.id]) == {ids[dossier], record.id}
    lift_hold(ws, hold.id, "Uitspraak onherroepelijk")
    with ws.readers() as session:
        assert held_ids(session, [ids[dossier], record.id]) == set()


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda ws, k, r: place_hold(ws, k, "   "), "needs a reason"),
        (lambda ws, k, r: place_hold(ws, k, "x" * 2001), "too long"),
        (lambda ws, k, r: place_hold(ws, r, "Woo"), "is a record"),
        (lambda ws, k, r: place_hold(ws, "D-ZZZZZZ-11", "Woo"), "No dossier"),
        (lambda ws, k, r: lift_hold(ws, str(uuid.uuid4()), "klaar"), "No hold"),
        (lambda ws, k, r: lift_hold(ws, "geen-id", "klaar"), "No hold"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    ws: Workspace,
    tmp_path: Path,
    action: Callable[[Workspace, str, str], object],
    message: str,
) -> None:
    kenmerk = create_dossier(ws, "Subsidie").kenmerk
    record = file_paths(ws, kenmerk, [write(tmp_path / "a.pdf", pdf_bytes("a"))]).records[0]
    before = audit_count(ws)
    with pytest.raises(UserError) as refused:
        action(ws, kenmerk, record.kenmerk)
    assert message in refused.value.english()
    assert audit_count(ws) == before
    with ws.readers() as session:
        assert session.scalar(select(func.count()).select_from(Hold)) == 0


def test_lifting_twice_is_refused(ws: Workspace) -> None:
    kenmerk = create_dossier(ws, "Handhaving").kenmerk
    hold = place_hold(ws, kenmerk, "Handhavingszaak")
    lift_hold(ws, hold.id, "Afgerond")
    with pytest.raises(UserError, match="already lifted"):
        lift_hold(ws, hold.id, "Nog eens")


def test_asking_about_an_unknown_kenmerk_is_a_clear_error(ws: Workspace) -> None:
    with pytest.raises(NotFoundError):
        holds_on(ws, "D-ZZZZZZ-11")


def test_audit_rows_name_the_hold_and_the_reason(ws: Workspace) -> None:
    kenmerk = create_dossier(ws, "Bouwvergunning").kenmerk
    hold = place_hold(ws, kenmerk, "Woo-verzoek 2026-077")
    with ws.readers() as session:
        row = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert row is not None and row.action == "hold.placed"
    assert json.loads(row.details) == {
        "hold": hold.id,
        "kenmerk": kenmerk,
        "reason": "Woo-verzoek 2026-077",
    }


def test_holds_appear_with_the_dossier_and_its_records(ws: Workspace, tmp_path: Path) -> None:
    serie, dossier = serie_with_dossier(ws)
    file_paths(ws, dossier, [write(tmp_path / "bezwaar.pdf", pdf_bytes("bezwaar"))])
    own = place_hold(ws, dossier, "Woo-verzoek 2026-041")
    above = place_hold(ws, serie, "Rechtszaak")
    detail = show_dossier(ws, dossier)
    assert [h.id for h in detail.holds] == [own.id, above.id]
    assert [h["reason"] for h in detail.to_json()["holds"]] == [
        "Woo-verzoek 2026-041",
        "Rechtszaak",
    ]
    [record] = detail.records
    assert {h.id for h in record.holds} == {own.id, above.id}
    assert {h.id for h in record_detail(ws, record.id).holds} == {own.id, above.id}
    lift_hold(ws, own.id, "Besluit verzonden")
    assert [h.id for h in show_dossier(ws, dossier).holds] == [above.id]


def test_the_lookup_for_many_dossiers_agrees_with_walking_each_lineage(ws: Workspace) -> None:
    """Archief > Serie > Dossier > sub-dossier, and a dossier directly in the Archief:
    whatever is held, the in-memory lookup (due list, list creation) says what walking
    each lineage says, and hands the sub-dossier to the walk."""
    serie, dossier = serie_with_dossier(ws)
    loose = create_dossier(ws, "Los dossier").kenmerk
    inner = create_dossier(ws, "Deeldossier").kenmerk
    with ws.sessions() as session, session.begin():
        rows = {r.kenmerk: r for r in session.scalars(select(Informatieobject))}
        archief = Informatieobject(
            id=str(uuid.uuid4()), kenmerk=ws.next_kenmerk(session, "D"),
            aggregatieniveau="Archief", naam="Archief gemeente", archiefvormer="gm0599",
            created_at=rows[serie].created_at, created_by="t", updated_at=rows[serie].created_at,
        )  # fmt: skip
        session.add(archief)
        session.flush()
        rows[serie].parent_id = archief.id
        rows[loose].parent_id = archief.id
        rows[inner].parent_id = rows[dossier].id
        archief_kenmerk = archief.kenmerk
    dossiers = [dossier, loose, inner]

    def compare() -> set[str]:
        with ws.readers() as session:
            found = {
                r.kenmerk: (r.id, r.parent_id)
                for r in session.scalars(
                    select(Informatieobject).where(Informatieobject.kenmerk.in_(dossiers))
                )
            }
            walked = held_ids(session, [i for i, _ in found.values()])
            lookup = held_lookup(session)
            for kenmerk, (object_id, parent_id) in found.items():
                answer = lookup.is_held(object_id, parent_id)
                if kenmerk == inner:
                    assert answer in (True, None)  # parent is a dossier: the walk decides
                    answer = answer or object_id in held_ids(session, [object_id])
                assert answer == (object_id in walked), kenmerk
            return {k for k, (i, _) in found.items() if i in walked}

    assert compare() == set()
    on_dossier = place_hold(ws, dossier, "Bezwaar")
    assert compare() == {dossier, inner}
    lift_hold(ws, on_dossier.id, "Afgehandeld")
    on_archief = place_hold(ws, archief_kenmerk, "Rampenonderzoek")
    assert compare() == {dossier, loose, inner}
    lift_hold(ws, on_archief.id, "Afgerond")
    place_hold(ws, serie, "Woo-verzoek")
    assert compare() == {dossier, inner}
