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

from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import Engine, select

from recordsdesk.archive.sync.blobs import upload
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.download import download_page
from recordsdesk.db.models import Bestand
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.store import ObjectStore

CANNOT_FETCH = N_(
    "The central archive cannot provide the content {sha256} ({reason}); "
    "the workstation that filed it may not have synchronised yet."
)


def open_central_workspace(home: Path | None, engine: Engine) -> Workspace:
    """A workspace over the central archive (``engine``, already logged in; disposed with
    the workspace) for this workstation's ``home``: its object store is the
    workstation's, with the central archive as its source, so every read of content
    that is not here yet (a preview, a redaction, a Woo package, an e-Depot package)
    fetches it first (see ``store.objects``). What is fetched stays in the workstation's
    store; ``verify`` there counts it among the objects no record of its own uses."""
    ws = open_workspace(home, engine=engine)
    ws.objects.source = fetcher(Central.open(engine), ws.objects)
    return ws


def fetcher(central: Central, objects: ObjectStore) -> Callable[[Mapping[str, int]], None]:
    """Brings objects (sha256 -> size, 0 when unknown: the size only groups the
    fetches) from ``central`` into ``objects``, as a pull does:
    each verified against its name and made durable. UserError names the first that the
    central archive lacks (not published by its workstation yet) or holds damaged;
    nothing damaged is kept."""

    def fetch(wanted: Mapping[str, int]) -> None:
        failed = download_page(central.blobs, objects, wanted).failed
        if failed:
            first = failed[min(failed)]
            # the reason is a msgid of its own ("missing"): said in the language of the moment
            raise UserError(CANNOT_FETCH, {"sha256": first.sha256, "reason": _(first.reason)})

    return fetch


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
