"""Content of work done directly in the central archive (records managers).

A records manager's retention work runs on a workspace over the central
database (``recordsdesk --central …``): rows are written there directly and
reach the workstations through the change feed. Content takes another road:
what that work stores (a verklaring van vernietiging) lands in the records
manager's own object store, and what destruction removes is still in the
central content store. :func:`publish` settles both afterwards: content that a
central bestand refers to and the central store lacks is uploaded (verified
whole, like any upload), and central content nothing refers to any more is let
go of. Until it ran, a workstation that pulls such a bestand reports its
content as not yet receivable and keeps its cursor, so nothing is skipped.
"""

from __future__ import annotations

from sqlalchemy import select

from recordsdesk.archive.sync.blobs import upload
from recordsdesk.archive.sync.central import Central
from recordsdesk.db.models import Bestand
from recordsdesk.store import ObjectStore


def publish(central: Central, objects: ObjectStore) -> tuple[int, int]:
    """Upload missing referenced content from ``objects``; forget unreferenced content.

    Returns (objects uploaded, objects forgotten)."""
    with central.reader.connect() as connection:
        referenced = {
            r.sha256: r.size
            for r in connection.execute(select(Bestand.sha256, Bestand.size).distinct())
        }
    stored = {name for name, _size in central.blobs.names()}
    sent = 0
    for sha, size in sorted(referenced.items()):
        if sha not in stored and objects.exists(sha):
            upload(central.blobs, objects, sha, size)
            sent += 1
    gone = stored - referenced.keys()
    central.forget_unused(gone)
    return sent, len(gone)
