"""The audit trail: hash-chained, append-only in the database itself (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import select, text

from recordsdesk import audit
from recordsdesk.db.models import AuditEvent
from recordsdesk.services import Workspace, create_dossier, file_paths, verify
from tests.core.samples import write


@pytest.fixture
def trail(ws: Workspace, src: Path) -> list[AuditEvent]:
    """A workspace with five audit rows: three dossiers, two filed records."""
    kenmerken = [create_dossier(ws, f"Dossier {i}").kenmerk for i in range(3)]
    file_paths(ws, kenmerken[1], [write(src / "a.txt", b"a\n"), write(src / "b.txt", b"b\n")])
    with ws.sessions() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _chain(ws: Workspace) -> list[audit.ChainProblem]:
    with ws.sessions() as session:
        return audit.verify_chain(session)


def _drop_guards(ws: Workspace) -> None:
    """What an attacker with DDL rights would do first."""
    with ws.engine.begin() as connection:
        if ws.engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_event_no_update"))
            connection.execute(text("DROP TRIGGER audit_event_no_delete"))
        else:
            connection.execute(text("DROP TRIGGER audit_event_no_change ON audit_event"))


def test_every_row_is_chained_to_its_predecessor(ws: Workspace, trail: list[AuditEvent]) -> None:
    assert [row.action for row in trail] == ["dossier.create"] * 3 + ["record.file"] * 2
    assert trail[0].prev_hash == audit.GENESIS
    for previous, row in itertools.pairwise(trail):
        assert row.prev_hash == previous.hash
    for row in trail:
        assert row.hash == audit.compute_hash(
            row.prev_hash, row.at, row.actor, row.action, row.object_type, row.object_id,
            row.details,
        )  # fmt: skip
    assert _chain(ws) == []
    report = verify(ws)
    assert report.intact and report.audit_problems == ()


def test_the_hash_depends_on_every_field() -> None:
    base = ("0" * 64, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "a", "b", "c", "d", "{}")
    reference = audit.compute_hash(*base)
    changed = [
        ("1" * 64, *base[1:]),
        (base[0], base[1] + dt.timedelta(microseconds=1), *base[2:]),
        (*base[:2], "x", *base[3:]),
        (*base[:3], "x", *base[4:]),
        (*base[:4], "x", *base[5:]),
        (*base[:5], None, base[6]),
        (*base[:6], '{"x":1}'),
    ]
    assert all(audit.compute_hash(*fields) != reference for fields in changed)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET actor = 'mallory' WHERE seq = 2",
        "UPDATE audit_event SET details = '{}'",
        "DELETE FROM audit_event WHERE seq = 3",
        "DELETE FROM audit_event",
    ],
)
def test_the_database_refuses_update_and_delete_on_the_audit_table(
    ws: Workspace, trail: list[AuditEvent], statement: str
) -> None:
    with pytest.raises(sqlalchemy.exc.DBAPIError) as caught, ws.engine.begin() as connection:
        connection.execute(text(statement))
    assert "append-only" in str(caught.value)
    with ws.sessions() as session:
        after = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    assert [(r.seq, r.hash, r.actor, r.details) for r in after] == [
        (r.seq, r.hash, r.actor, r.details) for r in trail
    ]
    assert _chain(ws) == []


@pytest.mark.postgres
def test_postgresql_also_refuses_truncate(home: Path, pg_url: str) -> None:
    from recordsdesk.services import open_workspace

    ws = open_workspace(home, db_url=pg_url)
    try:
        create_dossier(ws, "Dossier")
        with pytest.raises(sqlalchemy.exc.DBAPIError) as caught, ws.engine.begin() as connection:
            connection.execute(text("TRUNCATE audit_event"))
        assert "append-only" in str(caught.value)
        with ws.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 1
    finally:
        ws.close()


def test_a_changed_row_is_detected_once_the_guards_are_dropped(
    ws: Workspace, trail: list[AuditEvent]
) -> None:
    _drop_guards(ws)
    target = trail[2].seq
    with ws.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_event SET actor = 'mallory' WHERE seq = :seq"), {"seq": target}
        )
    problems = _chain(ws)
    assert [(p.seq, p.reason) for p in problems] == [(target, "content does not match its hash")]
    report = verify(ws)
    assert not report.intact
    assert any(str(target) in line for line in report.audit_problems)


def test_a_removed_row_is_detected_once_the_guards_are_dropped(
    ws: Workspace, trail: list[AuditEvent]
) -> None:
    _drop_guards(ws)
    with ws.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": trail[1].seq})
    problems = _chain(ws)
    assert [(p.seq, p.reason) for p in problems] == [(trail[2].seq, "previous hash does not match")]
    assert not verify(ws).intact


def test_a_forged_row_appended_without_the_chain_is_detected(
    ws: Workspace, trail: list[AuditEvent]
) -> None:
    # INSERT stays allowed (append-only), so the chain is what catches a forgery.
    with ws.sessions() as session, session.begin():
        session.add(
            AuditEvent(
                at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                actor="mallory",
                action="dossier.create",
                object_type="informatieobject",
                object_id=None,
                details="{}",
                prev_hash=audit.GENESIS,
                hash="f" * 64,
            )
        )
    reasons = {p.reason for p in _chain(ws)}
    assert reasons == {"previous hash does not match", "content does not match its hash"}
    assert not verify(ws).intact
