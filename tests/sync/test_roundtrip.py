"""Round trips between two workstations and one central archive (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, update

from recordsdesk import audit
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.archive.sync.outbox import status
from recordsdesk.db.models import AuditEvent, Bestand, ContentObject, Informatieobject
from recordsdesk.services import Workspace, open_workspace
from tests.sync.support import dossier_with_files, outbox, snapshot

Station = Callable[[str], Workspace]


def test_two_workstations_see_each_others_dossiers(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a, b = station("a"), station("b")
    ka = dossier_with_files(a, tmp_path / "in-a", "Subsidie Zuidplein", 2)
    kb = dossier_with_files(b, tmp_path / "in-b", "Kapvergunning Kralingen", 1)

    first = sync_once(a, central)
    assert first.ok, first.problems
    assert first.pushed >= 1 + 2 + 2  # the dossier, two records, two bestanden (and events)
    assert outbox(a) == 0
    assert sync_once(b, central).ok
    assert sync_once(a, central).ok

    central_view = snapshot(central.engine)
    assert snapshot(a.engine) == central_view == snapshot(b.engine)
    kenmerken = {v[0] for v in central_view["objects"].values()}  # type: ignore[attr-defined]
    assert {ka, kb} <= kenmerken
    # content arrived whole on the other workstation, and verifies there
    for ws in (a, b):
        with ws.readers() as session:
            for sha in session.scalars(select(Bestand.sha256)):
                assert ws.objects.check(sha) is None
    with central.engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(ContentObject))
    assert stored == 3


def test_the_audit_trail_goes_up_once_and_the_central_chain_holds(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a = station("a")
    dossier_with_files(a, tmp_path / "in", "Bezwaar WOZ", 1)
    sync_once(a, central)
    sync_once(a, central)
    with a.readers() as session:
        local = session.scalar(select(func.count()).select_from(AuditEvent))
    with central.engine.connect() as connection:
        origins = connection.scalars(
            select(AuditEvent.origin).where(AuditEvent.origin.is_not(None))
        ).all()
    assert len(origins) == local == len(set(origins))
    from sqlalchemy.orm import Session

    with Session(central.engine) as session:
        assert audit.verify_chain(session) == []


def test_a_restored_backup_pushing_its_old_outbox_duplicates_nothing(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a = station("a")
    dossier_with_files(a, tmp_path / "in", "Bouwvergunning Delfshaven", 2)
    backup = tmp_path / "backup.sqlite"
    source, target = sqlite3.connect(a.layout.local_db), sqlite3.connect(backup)
    source.backup(target)
    source.close()
    target.close()
    assert sync_once(a, central).ok
    before = snapshot(central.engine)
    a.close()
    shutil.copyfile(backup, a.layout.local_db)
    for suffix in ("-wal", "-shm"):
        Path(f"{a.layout.local_db}{suffix}").unlink(missing_ok=True)
    restored = open_workspace(a.layout.root)
    try:
        assert outbox(restored) > 0
        report = sync_once(restored, central)
        assert report.ok, report.problems
        assert report.conflicts == 0
        assert snapshot(central.engine) == before
        assert outbox(restored) == 0
        with central.engine.connect() as connection:
            origins = connection.scalars(
                select(AuditEvent.origin).where(AuditEvent.origin.is_not(None))
            ).all()
        assert len(origins) == len(set(origins))
    finally:
        restored.close()


def test_a_record_filed_offline_into_a_dossier_closed_centrally_is_refused_with_the_reason(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a = station("a")
    kenmerk = dossier_with_files(a, tmp_path / "in", "Handhaving", 1)
    assert sync_once(a, central).ok
    with central.engine.begin() as connection:
        connection.execute(
            update(Informatieobject)
            .where(Informatieobject.kenmerk == kenmerk)
            .values(status="closed", version=Informatieobject.version + 1)
        )
    dossier_with_files_into(a, kenmerk, tmp_path / "later")
    report = sync_once(a, central)
    assert not report.ok
    messages = " ".join(p.message() for p in report.problems)
    assert kenmerk in messages
    assert status(a).pending_changes > 0  # kept, not lost: it waits for a decision
    with central.engine.connect() as connection:
        records = connection.scalar(
            select(func.count())
            .select_from(Informatieobject)
            .where(Informatieobject.aggregatieniveau == "Archiefstuk")
        )
    assert records == 1


def dossier_with_files_into(ws: Workspace, kenmerk: str, folder: Path) -> None:
    from recordsdesk.services import file_paths
    from tests.core.samples import pdf_bytes

    folder.mkdir()
    path = folder / "late.pdf"
    path.write_bytes(pdf_bytes("filed while offline"))
    file_paths(ws, kenmerk, [path])


def test_each_dossier_says_whether_it_is_synced_or_how_much_waits(
    central: Central, station: Station, tmp_path: Path
) -> None:
    from recordsdesk.archive.sync.outbox import object_states

    a = station("a")
    kenmerk = dossier_with_files(a, tmp_path / "in", "Leerlingenvervoer", 2)
    with a.readers() as session:
        dossier_id = session.scalar(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        )
        sizes = session.scalars(select(Bestand.size)).all()
    assert dossier_id is not None
    before = object_states(a, [dossier_id])[dossier_id]
    assert before.state == "pending"
    assert before.pending >= 1 + 2 + 2  # the dossier, its records, their files
    assert before.pending_bytes == sum(sizes)
    assert status(a).pending_bytes == sum(sizes)
    sync_once(a, central)
    after = object_states(a, [dossier_id])[dossier_id]
    assert (after.state, after.pending, after.pending_bytes) == ("synced", 0, 0)
