"""Shared set-up for the destruction and transfer list tests: real dossiers with real
files, classified, closed and due; three people with their roles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.services import Workspace, create_dossier, file_paths
from recordsdesk.services import disposal as lists
from recordsdesk.services.closing import classify, close
from recordsdesk.services.roles import grant

OPENED = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
AUTHOR, REVIEWER, ARCHIVIST = "anna.records", "piet.proces", "ria.archief"


def people(ws: Workspace) -> None:
    """anna compiles (records manager), piet reviews, ria approves."""
    ws.actor = AUTHOR
    grant(ws, AUTHOR, "records_manager")
    grant(ws, REVIEWER, "process_owner")
    grant(ws, ARCHIVIST, "archivist")


def closed_dossier(
    ws: Workspace, folder: Path, title: str, *, nummer: str = "1.5", contents: tuple[str, ...] = ()
) -> str:
    """A dossier with one record per text in ``contents``, classified under ``nummer``
    (1.5: V, P1Y) and closed on 2024-02-29, so due on 2025-02-28."""
    ws.clock = lambda: OPENED
    kenmerk = create_dossier(ws, title).kenmerk
    paths = []
    for n, text in enumerate(contents or (f"inhoud van {title}",)):
        path = folder / f"{title.replace(' ', '-')}-{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    file_paths(ws, kenmerk, paths)
    ws.clock = lambda: NOW
    actor, ws.actor = ws.actor, AUTHOR
    classify(ws, kenmerk, nummer)
    close(ws, kenmerk, on=dt.date(2024, 2, 29))
    ws.actor = actor
    return kenmerk


def as_user(ws: Workspace, user: str) -> Workspace:
    ws.actor = user
    return ws


def approve_whole(ws: Workspace, list_id: str) -> None:
    """Take a fresh list through review and approval without changes."""
    lists.submit(as_user(ws, AUTHOR), list_id, reviewer=REVIEWER)
    lists.review(as_user(ws, REVIEWER), list_id)
    lists.submit(as_user(ws, AUTHOR), list_id)
    lists.approve(as_user(ws, ARCHIVIST), list_id)
    ws.actor = AUTHOR


def hashes_of(ws: Workspace, kenmerk: str) -> set[str]:
    """The content hashes of every bestand of the dossier's records."""
    with ws.readers() as session:
        dossier = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        return set(
            session.scalars(
                select(Bestand.sha256)
                .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
                .where(Informatieobject.parent_id == dossier.id)
            )
        )
