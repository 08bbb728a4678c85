"""Fixity of the central archive: every central bestand's content, and the audit chain.

The same report as a workstation's ``recordsdesk verify``
(:class:`~recordsdesk.services.dto.VerifyReport`), so the front ends show both
alike: content missing or damaged in the central store (database chunks or the
content directory), each with the dossier/record names that use it; content no
bestand refers to any more (harmless); breaks in the central hash chain.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.archive.sync.central import Central
from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.services.dto import Damage, VerifyReport
from recordsdesk.tasks import CancelToken, Progress, no_progress


def verify_central(
    central: Central, progress: Progress = no_progress, cancel: CancelToken | None = None
) -> VerifyReport:
    with Session(central.reader) as session:
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
        problem = central.blobs.check(sha)
        if problem:
            damaged.append(Damage(sha, problem, tuple(users[sha])))
        done += size
        progress(done, total, sha)
    return VerifyReport(
        checked=len(sizes),
        damaged=tuple(damaged),
        audit_problems=tuple(f"audit_event {p.seq}: {p.reason}" for p in chain),
        unreferenced=tuple(name for name, _size in central.blobs.names() if name not in sizes),
    )
