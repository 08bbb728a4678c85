"""Fixtures for the Woo tests: a real workspace (SQLite and PostgreSQL) on a fixed day,
dossiers with real files filed through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recordsdesk.db.models import AuditEvent, Hold, Informatieobject
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace

NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

MakeDossier = Callable[..., tuple[str, list[str]]]


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    workspace.clock = lambda: NOW
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def make_dossier(ws: Workspace, tmp_path: Path) -> MakeDossier:
    """(dossier kenmerk, record kenmerken): a dossier with one record per text."""
    counter = iter(range(1_000_000))

    def make(title: str, *texts: str) -> tuple[str, list[str]]:
        kenmerk = create_dossier(ws, title).kenmerk
        if not texts:
            return kenmerk, []
        paths = []
        for text in texts:
            path = tmp_path / f"doc-{next(counter)}.txt"
            path.write_text(f"{title}: {text}\n", encoding="utf-8")
            paths.append(path)
        records = file_paths(ws, kenmerk, paths).records
        return kenmerk, [r.kenmerk for r in records]

    return make


def row(ws: Workspace, kenmerk: str) -> Informatieobject:
    with ws.readers() as session:
        found = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        session.expunge(found)
        return found


def active_holds(ws: Workspace, kenmerk: str) -> list[Hold]:
    """The active holds placed on the object itself."""
    with ws.readers() as session:
        query = (
            select(Hold)
            .join(Informatieobject, Hold.informatieobject_id == Informatieobject.id)
            .where(Informatieobject.kenmerk == kenmerk, Hold.lifted_at.is_(None))
        )
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def audit_actions(ws: Workspace) -> list[str]:
    with ws.readers() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def audit_count(ws: Workspace) -> int:
    with ws.readers() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def set_status(ws: Workspace, kenmerk: str, status: str) -> None:
    """Setup only: mark an object (and its records) destroyed or transferred directly."""
    with ws.sessions() as session, session.begin():
        obj = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        obj.status = status
        for child in session.scalars(
            select(Informatieobject).where(Informatieobject.parent_id == obj.id)
        ):
            child.status = status
