"""Fixity: re-hash every stored object the database refers to, and walk the audit chain."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.errors import IntegrityError, NotFoundError
from recordsdesk.i18n import N_
from recordsdesk.services.dto import Damage, VerifyReport
from recordsdesk.services.workspace import Workspace
from recordsdesk.tasks import CancelToken, Progress, no_progress

#: store setting: the hashes of the content the last ``verify`` found missing or damaged
DAMAGED = "fixity.damaged"


def verify(
    ws: Workspace, progress: Progress = no_progress, cancel: CancelToken | None = None
) -> VerifyReport:
    """Check every referenced object (missing, wrong size, wrong hash) and the audit chain.

    Every problem is reported, not only the first; progress is in bytes. Objects
    in the store that no bestand refers to are listed too (they do no harm and
    do not make the report fail).
    """
    with ws.readers() as session:
        report = fixity(session, ws.objects.check, ws.objects.iter_names, progress, cancel)
    # kept for a dossier's completeness (recordsdesk.archive.completeness): content that
    # failed is named there until a later run finds it intact
    with ws.sessions() as session, session.begin():
        ws.put_setting(session, DAMAGED, json.dumps(sorted(d.sha256 for d in report.damaged)))
    return report


def fixity(
    session: Session,
    check: Callable[[str, int], str | None],
    stored: Callable[[], Iterable[str]],
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> VerifyReport:
    """The report for the store behind ``check`` (the reason an object is not intact,
    or None) and ``stored`` (every object name it holds), read in ``session``: the
    workstation's object store, or the central archive's content store."""
    rows = session.execute(
        select(Bestand.sha256, Bestand.size, Informatieobject.kenmerk, Bestand.original_name)
        .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
        .order_by(Bestand.sha256)
    ).all()
    chain = audit.verify_chain(session)
    users: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for sha, size, kenmerk, name in rows:
        users.setdefault(sha, []).append(f"{kenmerk}/{name}")
        sizes[sha] = size
    total = sum(sizes.values())
    done = 0
    damaged: list[Damage] = []
    for sha, size in sizes.items():
        if cancel is not None:
            cancel.raise_if_cancelled()
        problem = check(sha, size)
        if problem:
            damaged.append(Damage(sha, problem, tuple(users[sha])))
        done += size
        progress(done, total, sha)
    return VerifyReport(
        checked=len(sizes),
        damaged=tuple(damaged),
        audit_problems=tuple(f"audit_event {p.seq}: {p.reason}" for p in chain),
        unreferenced=tuple(name for name in stored() if name not in sizes),
    )


def verified_file(ws: Workspace, bestand_id: str) -> tuple[Path, str, str]:
    """Path, MIME type and name of a bestand's object, after checking its hash.

    For previews and exports: a damaged object raises ``IntegrityError`` and is
    never shown as if it were the original. Over the central archive, content this
    workstation lacks is fetched first (the object store's source).
    """
    with ws.readers() as session:
        bestand = session.get(Bestand, bestand_id)
        if bestand is None:
            raise NotFoundError(N_("This file no longer exists."))
        sha, size, mime, name = bestand.sha256, bestand.size, bestand.mime, bestand.original_name
    path = ws.objects.verified_path(sha, size)
    return path, mime, name


__all__ = ["IntegrityError", "verified_file", "verify"]
