"""Helpers for sync tests: filing real files, comparing stores."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine, func, select

from recordsdesk.db.models import Bestand, ChangeLog, Informatieobject
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace
from tests.core.samples import pdf_bytes


def dossier_with_files(ws: Workspace, folder: Path, title: str, count: int = 2) -> str:
    """A dossier with ``count`` real PDF records; returns its kenmerk."""
    created = create_dossier(ws, title)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{title}-{n}.pdf"
        path.write_bytes(pdf_bytes(f"{title} document {n}"))
        paths.append(path)
    file_paths(ws, created.kenmerk, paths)
    return created.kenmerk


def home_with_a_dossier(
    home: Path, folder: Path, title: str = "Aanvraag gehandicaptenparkeerkaart"
) -> Path:
    """A workstation's home with one dossier of two real PDF records; returns ``home``."""
    ws = open_workspace(home)
    try:
        dossier_with_files(ws, folder, title, 2)
    finally:
        ws.close()
    return home


def snapshot(engine: Engine) -> dict[str, object]:
    """What must be equal on both sides: objects and bestanden by id, with content hashes."""
    with engine.connect() as connection:
        objects = {
            str(r.id): (r.kenmerk, r.naam, r.status, r.omschrijving)
            for r in connection.execute(select(Informatieobject))
        }
        files = {
            str(r.id): (str(r.informatieobject_id), r.sha256, r.size)
            for r in connection.execute(select(Bestand))
        }
    return {"objects": objects, "files": files}


def outbox(ws: Workspace) -> int:
    with ws.readers() as session:
        return int(session.scalar(select(func.count()).select_from(ChangeLog)) or 0)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
