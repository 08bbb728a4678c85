"""What a search returns, and the filters that narrow it (see :mod:`.service`).

Date semantics (``datum:`` and :attr:`SearchFilters.date_from`/``date_to``): an
object covers the days from ``dekking_begin`` to ``dekking_eind`` (one of the
two alone: that day); with neither, the UTC day it was created (filed). It
matches a range when that period overlaps the range (both ends inclusive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, func, literal, select, true

from recordsdesk import kenmerk
from recordsdesk.db.models import AGGREGATIENIVEAUS, STATUSES, WAARDERINGEN
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.search.query import DateRange
from recordsdesk.woo import find_informatiecategorie


@dataclass(frozen=True)
class Hit:
    """One dossier or record found; ``snippet`` marks query words with « »."""

    kenmerk: str
    title: str
    aggregatieniveau: str
    snippet: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "kenmerk": self.kenmerk,
            "title": self.title,
            "aggregatieniveau": self.aggregatieniveau,
            "snippet": self.snippet,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class DossierGroup:
    """A dossier with its best hits; ``hit_count`` counts all of them."""

    kenmerk: str
    naam: str
    hits: tuple[Hit, ...]
    hit_count: int


@dataclass(frozen=True)
class SearchResults:
    total: int  # hits on all pages
    dossier_count: int  # dossiers on all pages
    groups: tuple[DossierGroup, ...]  # this page's dossiers, best first
    pending: int  # objects whose index entry is not up to date yet
    dropped: tuple[str, ...]  # stop words left out of the query
    page: int
    page_size: int

    def to_json(self) -> dict[str, Any]:
        """The shape of ``recordsdesk search --json``: groups, and the same hits flat."""
        return {
            "total": self.total,
            "dossiers": self.dossier_count,
            "pending": self.pending,
            "page": self.page,
            "page_size": self.page_size,
            "dropped": list(self.dropped),
            "groups": [
                {
                    "dossier": g.kenmerk,
                    "naam": g.naam,
                    "hit_count": g.hit_count,
                    "hits": [h.to_json() for h in g.hits],
                }
                for g in self.groups
            ],
            "results": [{"dossier": g.kenmerk, **h.to_json()} for g in self.groups for h in g.hits],
        }


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing on an object's own columns; None: no restriction.

    ``dossier``: a dossier's kenmerk (the dossier and its records).
    ``woo_categorie``: a Woo information category as :func:`find_informatiecategorie`
    accepts it (name, code, article or URI), on the object's own category.
    """

    dossier: str | None = None
    aggregatieniveau: str | None = None
    woo_categorie: str | None = None
    waardering: str | None = None
    beperking_gebruik: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def conditions(self, connection: Connection, io: Table) -> list[ColumnElement[bool]]:
        """SQL conditions on ``io`` (the informatieobject table); UserError for bad values."""
        out: list[ColumnElement[bool]] = []
        for name, allowed in (
            ("aggregatieniveau", AGGREGATIENIVEAUS),
            ("waardering", WAARDERINGEN),
            ("status", STATUSES),
        ):
            value = getattr(self, name)
            if value is None:
                continue
            if value not in allowed:
                raise UserError(
                    N_("Unknown {name} {value}; choose one of: {allowed}."),
                    {"name": name, "value": value, "allowed": ", ".join(allowed)},
                )
            out.append(io.c[name] == value)
        if self.beperking_gebruik is not None:
            out.append(io.c.beperking_gebruik == self.beperking_gebruik)
        if self.woo_categorie is not None:
            uri = find_informatiecategorie(self.woo_categorie).uri
            out.append(io.c.woo_informatiecategorie == uri)
        if self.dossier is not None:
            found = connection.execute(
                select(io.c.id).where(
                    io.c.kenmerk == kenmerk.normalise(self.dossier),
                    io.c.aggregatieniveau == "Dossier",
                )
            ).scalar()
            if found is None:
                raise NotFoundError(N_("No dossier with kenmerk {kenmerk}."),
                                {"kenmerk": self.dossier})  # fmt: skip
            out.append((io.c.id == found) | (io.c.parent_id == found))
        if self.date_from is not None or self.date_to is not None:
            out.append(date_condition(connection, DateRange(self.date_from, self.date_to), io))
        return out


def covered_days(connection: Connection, io: Table) -> tuple[ColumnElement[Any], ...]:
    """First and last day an object covers (module docstring), as SQL expressions."""
    if connection.dialect.name == "sqlite":
        created: ColumnElement[Any] = func.date(io.c.created_at)
    else:
        created = func.date(func.timezone("UTC", io.c.created_at))
    first = func.coalesce(io.c.dekking_begin, io.c.dekking_eind, created)
    last = func.coalesce(io.c.dekking_eind, io.c.dekking_begin, created)
    return first, last


def date_condition(connection: Connection, days: DateRange, io: Table) -> ColumnElement[bool]:
    """The object's period overlaps ``days`` (an open end does not restrict)."""
    first, last = covered_days(connection, io)
    parts: list[ColumnElement[bool]] = []
    if days.end is not None:
        parts.append(first <= _day(connection, days.end))
    if days.start is not None:
        parts.append(last >= _day(connection, days.start))
    return and_(*parts) if parts else true()


def _day(connection: Connection, day: dt.date) -> Any:
    # SQLite keeps dates as ISO text and date() returns text: compare as text there
    return literal(day.isoformat()) if connection.dialect.name == "sqlite" else literal(day)
