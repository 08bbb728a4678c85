"""Drop folders: which folders are watched, and how their files are treated."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Sequence
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
from recordsdesk.woo import find_informatiecategorie

PROCESSED_FOLDER = "verwerkt"


@dataclass(frozen=True)
class DropFolderInfo:
    id: str
    path: Path
    dossier_kenmerk: str | None
    recursive: bool
    polling: bool
    after_intake: str  # keep | move | delete
    document_type: str | None = None
    informatiecategorie: str | None = None  # TOOI URI of the Woo information category
    ignore: tuple[str, ...] = ()  # the user's own litter patterns (fnmatch, any case)
    scan_profile: str | None = None  # a scanner's folder: the profile its batches are read with

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
            "document_type": self.document_type,
            "woo_category": self.informatiecategorie,
            "scan_profile": self.scan_profile,
            "ignore": list(self.ignore),
        }


def add_drop_folder(
    ws: Workspace,
    path: Path,
    dossier_kenmerk: str | None = None,
    recursive: bool = False,
    polling: bool = False,
    after_intake: str = "move",
    document_type: str | None = None,
    woo_category: str | None = None,
    ignore: Sequence[str] = (),
    scan_profile: str | None = None,
) -> DropFolderInfo:
    """Start watching ``path``; an existing folder, not inside the store.

    ``woo_category`` names a Woo information category (see
    :func:`recordsdesk.woo.find_informatiecategorie`); ``ignore`` adds litter
    patterns (``*.bak``, ``scan_tmp*``) to the built-in ones. ``scan_profile``
    makes it a scanner's folder: its files are scanned batches, read with that
    profile (which must exist; ``standaard`` always does).
    """
    folder = path.expanduser().resolve()
    if not folder.is_dir():
        raise UserError(N_("Not a folder: {path}"), {"path": str(path)})
    if after_intake not in AFTER_INTAKE:
        raise UserError(N_("Unknown choice after intake: {value}"), {"value": after_intake})
    category = find_informatiecategorie(woo_category).uri if woo_category else None
    patterns = [p.strip() for p in ignore if p.strip()]
    for pattern in patterns:
        if "/" in pattern or "\\" in pattern:
            raise UserError(
                N_("An ignore pattern matches file names, not paths: {pattern}"),
                {"pattern": pattern},
            )
    kind = " ".join(document_type.split())[:200] if document_type else None
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
        if scan_profile is not None:
            from recordsdesk.services.scan_profiles import profile_named

            profile_named(ws, session, scan_profile)  # refuses an unknown name
        row = existing or DropFolder(id=str(uuid.uuid4()), path=str(folder), created_at=now)
        row.dossier_id = dossier_id
        row.recursive = recursive
        row.polling = polling
        row.after_intake = after_intake
        row.document_type = kind or None
        row.informatiecategorie = category
        row.ignore_patterns = json.dumps(patterns, ensure_ascii=False) if patterns else None
        row.scan_profile = scan_profile
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
            details={
                "path": str(folder),
                "after": after_intake,
                "dossier": dossier_kenmerk,
                "scan_profile": scan_profile,
            },
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
        document_type=row.document_type,
        informatiecategorie=row.informatiecategorie,
        ignore=tuple(json.loads(row.ignore_patterns)) if row.ignore_patterns else (),
        scan_profile=row.scan_profile,
    )


def wait_for_scanner_folder(ws: Workspace, stop: threading.Event, pause: float = 2.0) -> bool:
    """Wait until a scanner folder exists (True) or ``stop`` is set (False).

    A watcher's scan thread waits here first, so a workstation without a scanner
    folder never loads the scan machinery (Pillow, pdfium, zxing, ocrmypdf): one
    light query every ``pause`` seconds.
    """
    query = select(DropFolder.id).where(DropFolder.scan_profile.is_not(None)).limit(1)
    while not stop.is_set():
        try:
            with ws.readers() as session:
                if session.scalar(query) is not None:
                    return True
        except Exception:  # the store went away for a moment: look again later
            logging.getLogger("recordsdesk.intake").debug("no scanner folders read", exc_info=True)
        stop.wait(pause)
    return False
