"""Saved searches: a query and its filters kept under a name, per user (issue 7, point 2).

Contracts:

* A saved search belongs to ``ws.actor`` (column ``owner``); every function sees
  only the current user's own. Names are trimmed, whitespace-collapsed, at most
  :data:`NAME_MAX` characters, and unique per owner regardless of case ("Bouw"
  and "bouw" are one name): saving a name again is refused with a message
  that says to forget the old one first, never silently overwritten.
* :func:`save_search` refuses a query that :func:`query.parse` refuses and
  filters that do not hold (an unknown dossier, waardering or category), so
  what is saved can be run. Filters are kept as :meth:`FacetFilters.to_json`.
* :func:`run_search` searches again with today's index: results reflect what is
  filed now, not what was found when saving.
* Not audited: a saved search is a personal convenience that changes no record,
  no metadata and no one's rights (the audit trail records what happens to
  records). Not synced: it stays in the store where it was saved.
* On the central archive the table is not granted to restricted logins (yet):
  they get a clear refusal instead of a database error.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from recordsdesk.db.models import Informatieobject, SavedSearch, table_of
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.search import service
from recordsdesk.search.facets import FacetFilters
from recordsdesk.search.query import parse
from recordsdesk.search.results import SearchResults
from recordsdesk.services.workspace import Workspace

NAME_MAX = 200
_REFUSED = "42501"  # PostgreSQL: insufficient_privilege


@dataclass(frozen=True)
class SavedSearchInfo:
    name: str
    query: str
    filters: FacetFilters
    created_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "filters": self.filters.to_json(),
            "created_at": self.created_at.isoformat(),
        }


def save_search(
    ws: Workspace, name: str, query: str, filters: FacetFilters | None = None
) -> SavedSearchInfo:
    """Keep ``query`` and ``filters`` as the current user's search ``name``."""
    name = _clean(name)
    parse(query)  # a malformed query is refused before anything is stored
    filters = filters or FacetFilters()
    row = SavedSearch(
        id=str(uuid.uuid4()),
        owner=ws.actor,
        name=name,
        query=query,
        filters=json.dumps(filters.to_json(), ensure_ascii=False, sort_keys=True),
        created_at=ws.clock(),
    )
    try:
        with _sessions(ws) as session, session.begin():
            filters.conditions(session.connection(), table_of(Informatieobject))
            existing = _lookup(session, ws.actor, name)
            if existing is not None:
                raise _taken(existing.name)
            session.add(row)
    except IntegrityError:  # saved at the same moment by another window
        raise _taken(name) from None
    return _info(row)


def list_searches(ws: Workspace) -> list[SavedSearchInfo]:
    """The current user's saved searches, by name."""
    with _sessions(ws, read=True) as session:
        rows = session.scalars(select(SavedSearch).where(SavedSearch.owner == ws.actor)).all()
        return sorted((_info(r) for r in rows), key=lambda s: (s.name.casefold(), s.name))


def get_search(ws: Workspace, name: str) -> SavedSearchInfo:
    """The current user's saved search ``name`` (any case); NotFoundError otherwise."""
    with _sessions(ws, read=True) as session:
        return _info(_require(session, ws.actor, name))


def forget_search(ws: Workspace, name: str) -> SavedSearchInfo:
    """Delete the current user's saved search ``name``; what it was."""
    with _sessions(ws) as session, session.begin():
        row = _require(session, ws.actor, name)
        info = _info(row)
        session.delete(row)
    return info


def run_search(
    ws: Workspace, name: str, *, page: int = 0, page_size: int = 20
) -> tuple[SavedSearchInfo, SearchResults]:
    """Search again with the saved query and filters (a writing session: see service)."""
    saved = get_search(ws, name)
    with ws.sessions() as session, session.begin():
        found = service.search(
            session, saved.query, filters=saved.filters, page=page, page_size=page_size
        )
    return saved, found


@contextmanager
def _sessions(ws: Workspace, *, read: bool = False) -> Iterator[Session]:
    """A session whose permission refusal (central archive) reads as a UserError."""
    try:
        with ws.readers() if read else ws.sessions() as session:
            yield session
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != _REFUSED:
            raise
        raise UserError(
            N_("Saved searches are not available to you in this archive (no permission).")
        ) from None


def _clean(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError(N_("A saved search needs a name."))
    if len(cleaned) > NAME_MAX:
        raise UserError(N_("The name is too long: at most {limit} characters."),
                        {"limit": NAME_MAX})  # fmt: skip
    return cleaned


def _lookup(session: Session, owner: str, name: str) -> SavedSearch | None:
    wanted = " ".join(name.split()).casefold()
    rows = session.scalars(select(SavedSearch).where(SavedSearch.owner == owner)).all()
    return next((r for r in rows if r.name.casefold() == wanted), None)


def _require(session: Session, owner: str, name: str) -> SavedSearch:
    found = _lookup(session, owner, name)
    if found is None:
        raise NotFoundError(N_("You have no saved search called {name}."), {"name": name})
    return found


def _taken(name: str) -> UserError:
    return UserError(
        N_("You already have a saved search called {name}; forget it first or choose another "
           "name."), {"name": name},
    )  # fmt: skip


def _info(row: SavedSearch) -> SavedSearchInfo:
    try:
        data = json.loads(row.filters or "{}")
        filters = FacetFilters.from_json(data if isinstance(data, dict) else {})
    except ValueError:  # written by hand or by a later version: no filters
        filters = FacetFilters()
    return SavedSearchInfo(row.name, row.query, filters, row.created_at)
