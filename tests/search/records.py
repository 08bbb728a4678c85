"""Dossiers and records for the search tests, made through the real services.

Filing through ``file_paths`` stores the file but extracts no text (intake
does that), so :func:`file_text` also writes the ``content_text`` row intake
would write for the file's content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from pathlib import Path

from sqlalchemy import insert, update

from recordsdesk.db.models import ContentText, Informatieobject, table_of
from recordsdesk.search import service
from recordsdesk.search.results import SearchFilters, SearchResults
from recordsdesk.services import Workspace, create_dossier, file_paths

_numbers = itertools.count()


def file_text(
    ws: Workspace,
    folder: Path,
    dossier: str,
    name: str,
    text: str,
    *,
    method: str = "txt",
) -> str:
    """File a document called ``name`` whose extracted text is ``text``; its kenmerk."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{next(_numbers)}-{name}.txt"
    path.write_text(f"{name}\n{path.name}\n", encoding="utf-8")  # unique content
    [record] = file_paths(ws, dossier, [path]).records
    put_text(ws, hashlib.sha256(path.read_bytes()).hexdigest(), text, method=method)
    return record.kenmerk


def put_text(ws: Workspace, sha256: str, text: str, *, method: str = "txt") -> None:
    """The ``content_text`` row for content ``sha256``, as intake writes it."""
    with ws.sessions() as session, session.begin():
        session.execute(
            insert(table_of(ContentText)),
            [
                {
                    "sha256": sha256,
                    "text": text,
                    "needs_ocr": not text,
                    "method": method,
                    "truncated": False,
                    "extracted_at": ws.clock(),
                }
            ],
        )


def dossier(ws: Workspace, title: str, omschrijving: str | None = None) -> str:
    return create_dossier(ws, title, omschrijving).kenmerk


def set_columns(ws: Workspace, kenmerk: str, **values: object) -> None:
    """Change an object's columns as an edit would (one transaction)."""
    with ws.sessions() as session, session.begin():
        session.execute(
            update(Informatieobject).where(Informatieobject.kenmerk == kenmerk).values(**values)
        )


def find(
    ws: Workspace, text: str, *, filters: SearchFilters | None = None, **options: int
) -> SearchResults:
    """Search in a writing session (so pending entries are indexed first), committed."""
    with ws.sessions() as session, session.begin():
        return service.search(session, text, filters=filters, **options)


def kenmerken(found: SearchResults) -> set[str]:
    return {hit.kenmerk for group in found.groups for hit in group.hits}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
