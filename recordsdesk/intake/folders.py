"""Drop folders: which folders are watched, and how their files are treated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.changes import Changes
from recordsdesk.db.models import AFTER_INTAKE, DropFolder, Informatieobject
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.services.dossiers import DOSSIER, find_by_kenmerk
from recordsdesk.services.workspace import Workspace

PROCESSED_FOLDER = "verwerkt"


@dataclass(frozen=True)
class DropFolderInfo:
    id: str
    path: Path
    dossier_kenmerk: str | None
    recursive: bool
    polling: bool
    after_intake: str  # keep | move | delete

    @property
    def processed_dir(self) -> Path:
        """Where originals go after intake when ``after_intake`` is ``move``."""
        return self.path / PROCESSED_FOLDER

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": str(self.path),
            "dossier": self.dossier_kenmerk,
            "recursive": self.recursive,
            "polling": self.polling,
            "after": self.after_intake,
        }


def add_drop_folder(
    ws: Workspace,
    path: Path,
    dossier_kenmerk: str | None = None,
    recursive: bool = False,
    polling: bool = False,
    after_intake: str = "move",
) -> DropFolderInfo:
    """Start watching ``path``; an existing folder, not inside the store."""
    folder = path.expanduser().resolve()
    if not folder.is_dir():
        raise UserError(N_("Not a folder: {path}"), {"path": str(path)})
    if after_intake not in AFTER_INTAKE:
        raise UserError(N_("Unknown choice after intake: {value}"), {"value": after_intake})
    if folder == ws.layout.root or ws.layout.root in folder.parents:
        raise UserError(
            N_("A drop folder cannot be inside the RecordsDesk data folder: {path}"),
            {"path": str(folder)},
        )
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        existing = session.scalar(select(DropFolder).where(DropFolder.path == str(folder)))
        if existing is not None and existing.active:
            raise UserError(
                N_("This folder is already a drop folder: {path}"), {"path": str(folder)}
            )
        dossier_id = None
        if dossier_kenmerk:
            dossier_id = find_by_kenmerk(session, dossier_kenmerk, DOSSIER).id
        row = existing or DropFolder(id=str(uuid.uuid4()), path=str(folder), created_at=now)
        row.dossier_id = dossier_id
        row.recursive = recursive
        row.polling = polling
        row.after_intake = after_intake
        row.active = True
        session.add(row)
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="dropfolder.add",
            object_type="drop_folder",
            object_id=row.id,
            details={"path": str(folder), "after": after_intake, "dossier": dossier_kenmerk},
        )
        return _info(session, row)


def list_drop_folders(ws: Workspace) -> list[DropFolderInfo]:
    with ws.readers() as session:
        rows = session.scalars(
            select(DropFolder).where(DropFolder.active.is_(True)).order_by(DropFolder.path)
        ).all()
        return [_info(session, row) for row in rows]


def remove_drop_folder(ws: Workspace, path: Path) -> Changes:
    """Stop watching; files already in the inbox stay there."""
    folder = str(path.expanduser().resolve())
    with ws.sessions() as session, session.begin():
        row = session.scalar(
            select(DropFolder).where(DropFolder.path == folder, DropFolder.active.is_(True))
        )
        if row is None:
            raise NotFoundError(N_("Not a drop folder: {path}"), {"path": str(path)})
        row.active = False
        audit.append(
            session,
            at=ws.clock(),
            actor=ws.actor,
            action="dropfolder.remove",
            object_type="drop_folder",
            object_id=row.id,
            details={"path": folder},
        )
    return Changes(audit=True)


def _info(session: Session, row: DropFolder) -> DropFolderInfo:
    kenmerk = None
    if row.dossier_id:
        dossier = session.get(Informatieobject, row.dossier_id)
        kenmerk = dossier.kenmerk if dossier else None
    return DropFolderInfo(
        id=row.id,
        path=Path(row.path),
        dossier_kenmerk=kenmerk,
        recursive=row.recursive,
        polling=row.polling,
        after_intake=row.after_intake,
    )
