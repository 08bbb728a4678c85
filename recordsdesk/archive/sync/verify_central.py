"""Fixity of the central archive: every central bestand's content, and the audit chain.

The same report as a workstation's ``recordsdesk verify``
(:class:`~recordsdesk.services.dto.VerifyReport`), so the front ends show both
alike: content missing or damaged in the central store (database chunks or the
content directory), each with the dossier/record names that use it; content no
bestand refers to any more (harmless); breaks in the central hash chain.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from recordsdesk.archive.sync.central import Central
from recordsdesk.services.dto import VerifyReport
from recordsdesk.services.verify import fixity
from recordsdesk.tasks import CancelToken, Progress, no_progress


def verify_central(
    central: Central, progress: Progress = no_progress, cancel: CancelToken | None = None
) -> VerifyReport:
    with Session(central.reader) as session:
        return fixity(
            session,
            lambda sha, _size: central.blobs.check(sha),
            lambda: (name for name, _size in central.blobs.names()),
            progress,
            cancel,
        )
