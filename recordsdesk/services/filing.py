"""Filing files into a dossier: one record (archiefstuk) and one bestand per file.

Contract of :func:`file_paths` (one user action):

1. Every path is checked first; if any is unusable (missing, a folder, empty,
   unreadable) the whole action is refused with every problem listed, and
   nothing is stored.
2. Each file is copied into the object store's temp area while it is hashed
   (one read). A file that vanishes or changes meanwhile, a full disk, or a
   cancel refuses the whole action: the temp files go, the database is not
   touched. Then all objects are made durable and put in place as one batch
   (``store/batch.py``), and only then identified and recorded.
3. Content already filed in the same dossier is refused (the error names the
   existing record). The same content in another dossier is allowed: a new
   record, but the content is stored once.
4. All records, bestanden, events and audit rows are written in one
   transaction, so either every file is filed or none is.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit, names
from recordsdesk.changes import Changes
from recordsdesk.db.models import Bestand, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.identify import FormatInfo, identify
from recordsdesk.services.dossiers import DOSSIER, RECORD, find_by_kenmerk
from recordsdesk.services.dto import Created
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import StoredObject
from recordsdesk.tasks import CancelToken, Progress, no_progress


@dataclass(frozen=True)
class FilingResult:
    records: tuple[Created, ...]
    changes: Changes


@dataclass(frozen=True)
class StoredFile:
    """Content already durably in the object store, ready to become a record."""

    name: str
    stored: StoredObject
    info: FormatInfo
    # A mail: its attachments become further bestanden of the same record, and
    # its subject, sender, recipients and date the record's description.
    attachments: tuple[StoredFile, ...] = ()
    # copies made from this file (e.g. a repaired PDF): (bestand role, content)
    derived: tuple[tuple[str, StoredFile], ...] = ()
    title: str | None = None
    description: str | None = None
    date: dt.date | None = None
    # TOOI URI of the Woo information category (e.g. the drop folder's); else the dossier's
    woo_informatiecategorie: str | None = None
    # the kind of document (e.g. the drop folder's "Factuur"); never taken from the dossier
    documenttype: str | None = None


def preflight(paths: Sequence[Path]) -> list[int]:
    """Sizes of ``paths``; raises one ``UserError`` listing every unusable path."""
    problems: list[UserError] = []
    sizes: list[int] = []
    for path in paths:
        try:
            info = path.stat()
        except FileNotFoundError:
            problems.append(UserError(N_("File not found: {path}"), {"path": str(path)}))
            continue
        except OSError as exc:
            problems.append(
                UserError(
                    N_("Cannot read {path}: {reason}"), {"path": str(path), "reason": exc.strerror}
                )
            )
            continue
        if stat.S_ISDIR(info.st_mode):
            problems.append(UserError(N_("Not a file but a folder: {path}"), {"path": str(path)}))
        elif not stat.S_ISREG(info.st_mode):
            problems.append(UserError(N_("Not a regular file: {path}"), {"path": str(path)}))
        elif info.st_size == 0:
            problems.append(UserError(N_("The file is empty: {path}"), {"path": str(path)}))
        elif not os.access(path, os.R_OK):
            problems.append(UserError(N_("No permission to read: {path}"), {"path": str(path)}))
        sizes.append(info.st_size)
    if problems:
        raise UserError(
            N_("Nothing was filed: {count} of the files cannot be used."),
            {"count": len(problems)},
            details=problems,
        )
    return sizes


def file_paths(
    ws: Workspace,
    dossier_kenmerk: str,
    paths: Sequence[Path],
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> FilingResult:
    """File ``paths`` into the dossier; see the module contract."""
    if not paths:
        raise UserError(N_("No files given."))
    with ws.readers() as session:
        dossier = find_by_kenmerk(session, dossier_kenmerk, DOSSIER)
        _require_open(dossier)
        dossier_id = dossier.id
    sizes = preflight(paths)
    prepared = _store_all(ws, paths, sizes, progress, cancel)
    if cancel is not None:
        cancel.raise_if_cancelled()
    return _record_all(ws, dossier_id, prepared)


def _require_open(dossier: Informatieobject) -> None:
    if dossier.status != "open":
        raise UserError(
            N_("Dossier {kenmerk} is not open; no records can be added."),
            {"kenmerk": dossier.kenmerk},
        )


def _store_all(
    ws: Workspace,
    paths: Sequence[Path],
    sizes: Sequence[int],
    progress: Progress,
    cancel: CancelToken | None,
) -> list[StoredFile]:
    """Copy every file into the store as one durable batch, then identify them."""
    total = sum(sizes)
    done = 0
    with ws.objects.batch() as batch:
        for path, size in zip(paths, sizes, strict=True):
            label = names.display_name(path.name)

            def report(copied: int, _expected: int, _label: str, base: int = done) -> None:
                progress(base + copied, total, label)  # noqa: B023 - called within this iteration

            batch.stage(path, report, cancel)
            done += size
        if cancel is not None:
            cancel.raise_if_cancelled()
        stored = batch.commit()
        prepared = [
            StoredFile(path.name, obj, identify(obj.path, path.name, batch.scratch_path))
            for path, obj in zip(paths, stored, strict=True)
        ]
    progress(total, total, "")
    return prepared


def record_stored(
    ws: Workspace,
    dossier_kenmerk: str,
    files: Sequence[StoredFile],
    in_same_transaction: Callable[[Session, Sequence[Created]], None] | None = None,
) -> FilingResult:
    """File content that is already stored (e.g. from the inbox) into a dossier.

    Same rules as :func:`file_paths` from step 3 on. ``in_same_transaction``
    runs inside the filing transaction with the new records, so a caller's own
    bookkeeping (the inbox item becoming ``filed``) commits with them or not at all.
    """
    if not files:
        raise UserError(N_("No files given."))
    with ws.readers() as session:
        dossier_id = find_by_kenmerk(session, dossier_kenmerk, DOSSIER).id
    return _record_all(ws, dossier_id, files, in_same_transaction)


def _record_all(
    ws: Workspace,
    dossier_id: str,
    prepared: Sequence[StoredFile],
    in_same_transaction: Callable[[Session, Sequence[Created]], None] | None = None,
) -> FilingResult:
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        dossier = session.get(Informatieobject, dossier_id)
        assert dossier is not None  # checked above; rows are never deleted
        _require_open(dossier)
        _refuse_duplicates(session, dossier, prepared)
        kenmerken = ws.next_kenmerken(session, "S", len(prepared))
        rows = [
            _record_rows(ws, dossier, item, kenmerk, now)
            for item, kenmerk in zip(prepared, kenmerken, strict=True)
        ]
        session.add_all([row for record_rows in rows for row in record_rows])
        session.flush()
        audit.append_many(session, [_audit_entry(ws, dossier, rec, now) for rec in rows])
        created = tuple(Created(r[0].id, r[0].kenmerk, Changes()) for r in rows)
        if in_same_transaction is not None:
            in_same_transaction(session, created)
        ids = frozenset(c.id for c in created)
        return FilingResult(
            created, Changes(dossiers=frozenset({dossier_id}), records=ids, audit=True)
        )


def _refuse_duplicates(
    session: Session, dossier: Informatieobject, prepared: Sequence[StoredFile]
) -> None:
    hashes = [p.stored.sha256 for p in prepared]
    existing = session.execute(
        select(Bestand.sha256, Informatieobject.kenmerk)
        .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
        .where(Informatieobject.parent_id == dossier.id, Bestand.sha256.in_(hashes))
    ).all()
    known = {sha: kenmerk for sha, kenmerk in existing}
    problems: list[UserError] = []
    seen: dict[str, str] = {}
    for item in prepared:
        sha = item.stored.sha256
        if sha in known:
            problems.append(
                UserError(
                    N_("{name} is already in this dossier as record {kenmerk}."),
                    {"name": names.display_name(item.name), "kenmerk": known[sha]},
                )
            )
        elif sha in seen:
            problems.append(
                UserError(
                    N_("{name} has the same content as {other}."),
                    {"name": names.display_name(item.name), "other": seen[sha]},
                )
            )
        seen.setdefault(sha, names.display_name(item.name))
    if problems:
        raise UserError(
            N_("Nothing was filed: the same content would be in dossier {kenmerk} twice."),
            {"kenmerk": dossier.kenmerk},
            details=problems,
        )


def _record_rows(
    ws: Workspace, dossier: Informatieobject, item: StoredFile, kenmerk: str, now: dt.datetime
) -> tuple[Informatieobject, Bestand, Event]:
    """The record (inheriting the dossier's archival values), its bestand and event."""
    record = Informatieobject(
        id=str(uuid.uuid4()),
        kenmerk=kenmerk,
        aggregatieniveau=RECORD,
        parent_id=dossier.id,
        naam=(item.title or names.title_from_name(item.name))[:500],
        omschrijving=item.description,
        dekking_begin=item.date,
        dekking_eind=item.date,
        identificatie_bron=dossier.identificatie_bron,
        waardering=dossier.waardering,
        bewaartermijn=dossier.bewaartermijn,
        informatiecategorie=dossier.informatiecategorie,
        archiefvormer=dossier.archiefvormer,
        activiteit=dossier.activiteit,
        beperking_gebruik=dossier.beperking_gebruik,
        woo_informatiecategorie=item.woo_informatiecategorie or dossier.woo_informatiecategorie,
        documenttype=item.documenttype,
        status="open",
        created_at=now,
        created_by=ws.actor,
        updated_at=now,
    )
    bestand = _bestand(record, item, "original", now)
    for role, copy in item.derived:
        _bestand(record, copy, role, now, derived_from=bestand)
    for part in item.attachments:
        _bestand(record, part, "original", now)
    event = Event(
        id=str(uuid.uuid4()),
        informatieobject=record,
        event_type="Opname",
        event_tijd=now,
        verantwoordelijke_actor=ws.actor,
        resultaat=f"sha256:{item.stored.sha256}",
    )
    return record, bestand, event


def _bestand(
    record: Informatieobject,
    file: StoredFile,
    role: str,
    now: dt.datetime,
    derived_from: Bestand | None = None,
) -> Bestand:
    """A bestand of ``record`` for stored content (joins the record's session with it)."""
    return Bestand(
        id=str(uuid.uuid4()),
        informatieobject=record,
        sha256=file.stored.sha256,
        size=file.stored.size,
        mime=file.info.mime,
        puid=file.info.puid,
        original_name=names.display_name(file.name),
        safe_name=names.safe_name(file.name),
        role=role,
        derived_from_id=derived_from.id if derived_from is not None else None,
        created_at=now,
    )


def _audit_entry(
    ws: Workspace,
    dossier: Informatieobject,
    rows: tuple[Informatieobject, Bestand, Event],
    now: dt.datetime,
) -> audit.Entry:
    record, bestand, _event = rows
    return audit.Entry(
        at=now,
        actor=ws.actor,
        action="record.file",
        object_type="informatieobject",
        object_id=record.id,
        details={
            "kenmerk": record.kenmerk,
            "dossier": dossier.kenmerk,
            "bestand": bestand.id,
            "sha256": bestand.sha256,
            "size": bestand.size,
            "name": bestand.original_name,
        },
    )
