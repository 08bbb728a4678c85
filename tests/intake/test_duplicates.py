"""What the user can do with a duplicate: discard it, file it anyway, or let it join
the record that already holds the content (real files and database, SQLite and
PostgreSQL; only the tracker's clock is faked)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recordsdesk.db.models import AuditEvent, Event, InboxItem, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import set_language
from recordsdesk.intake import inbox
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import Workspace, create_dossier, file_paths, verify
from tests.core.samples import pdf_bytes, write

Intake = Callable[[], list[str]]


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_language("nl")


def count(ws: Workspace, model: type) -> int:
    with ws.readers() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def filed_then_dropped_again(
    ws: Workspace, drop: Path, tmp_path: Path, intake: Intake
) -> tuple[str, str]:
    """A PDF filed into a dossier, then the same content dropped: (record kenmerk, item id)."""
    data = pdf_bytes("besluit")
    kenmerk = create_dossier(ws, "Bezwaar Jansen").kenmerk
    [record] = file_paths(ws, kenmerk, [write(tmp_path / "elders" / "besluit.pdf", data)]).records
    write(drop / "besluit (kopie).pdf", data)
    add_drop_folder(ws, drop)
    intake()
    [item] = inbox.list_inbox(ws)
    assert item.state == "duplicate" and item.sha256 == hashlib.sha256(data).hexdigest()
    return record.kenmerk, item.id


def test_a_duplicate_joins_the_record_that_holds_its_content_without_a_new_record(
    ws: Workspace, drop: Path, tmp_path: Path, intake: Intake
) -> None:
    record_kenmerk, item_id = filed_then_dropped_again(ws, drop, tmp_path, intake)
    records_before = count(ws, Informatieobject)
    audit_before = count(ws, AuditEvent)

    joined = inbox.add_to_existing_record(ws, item_id)

    assert joined.kenmerk == record_kenmerk
    assert count(ws, Informatieobject) == records_before, "no new record"
    assert count(ws, AuditEvent) == audit_before + 1
    with ws.readers() as session:
        item = session.get(InboxItem, item_id)
        assert item is not None and item.state == "filed" and item.record_id == joined.id
        events = session.scalars(
            select(Event).where(
                Event.informatieobject_id == joined.id, Event.event_type == "Ontvangst"
            )
        ).all()
    assert len(events) == 1 and "besluit (kopie).pdf" in (events[0].resultaat or "")
    assert inbox.list_inbox(ws) == []
    assert verify(ws).intact


def test_a_duplicate_of_content_only_waiting_in_the_inbox_cannot_join_a_record(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    write(drop / "a.txt", b"twee keer\n")
    write(drop / "b.txt", b"twee keer\n")
    add_drop_folder(ws, drop)
    intake()
    [duplicate] = [i for i in inbox.list_inbox(ws) if i.state == "duplicate"]

    with pytest.raises(UserError) as refused:
        inbox.add_to_existing_record(ws, duplicate.id)

    assert "already filed" in refused.value.english()
    [after] = [i for i in inbox.list_inbox(ws) if i.id == duplicate.id]
    assert after.state == "duplicate", "a refusal changes nothing"


def test_a_duplicate_cannot_join_a_record_in_a_closed_dossier(
    ws: Workspace, drop: Path, tmp_path: Path, intake: Intake
) -> None:
    record_kenmerk, item_id = filed_then_dropped_again(ws, drop, tmp_path, intake)
    with ws.sessions() as session, session.begin():
        record = session.scalar(
            select(Informatieobject).where(Informatieobject.kenmerk == record_kenmerk)
        )
        assert record is not None and record.parent_id is not None
        dossier = session.get(Informatieobject, record.parent_id)
        assert dossier is not None
        dossier.status = "closed"  # closing dossiers is the records managers' issue

    with pytest.raises(UserError):
        inbox.add_to_existing_record(ws, item_id)

    [item] = inbox.list_inbox(ws)
    assert item.state == "duplicate"
