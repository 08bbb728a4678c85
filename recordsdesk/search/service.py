"""Running a search: parse, bring the index up to date, rank, group by dossier.

Contract of :func:`search`:

* The query is parsed by :func:`query.parse`; a malformed one raises its
  :class:`~recordsdesk.search.query.QueryError` (a ``UserError``) before any
  SQL runs. Every user word reaches the database as a bound parameter.
* Pending index work is done first, at most ``refresh_limit`` objects, inside
  the caller's transaction (so pass a writing session and commit it; in a
  read-only session nothing is refreshed). ``SearchResults.pending`` says how
  many objects still wait, so a screen can say the index is being brought up
  to date: their old entries (or none) are what was searched.
* Results are grouped by dossier: one page is ``page_size`` dossiers, ordered
  by their best hit; each group shows up to ``hits_per_group`` hits, best
  first, and says how many it has. A dossier's own entry (its naam and
  omschrijving) is one of its hits. ``total`` counts hits on all pages and
  ``dossier_count`` their dossiers, both exact. Dossiers with equal best
  scores come in a fixed order (locally the order they were first indexed in,
  centrally by id).
* Cost (the first page of a query with N hits): one pass over the hits that
  scores and counts them per dossier (SQLite groups on the rowid's slot, see
  :mod:`.index`, so no stored text is read; PostgreSQL on ``dossier_id``),
  then the best hits of the page's dossiers only (a rowid range per dossier
  locally, the ``dossier_id`` index centrally), and the text of the shown hits
  only, for their snippets (made here, :mod:`.snippet`, on both stores).
* Scores: higher is better. Locally ``-bm25`` with column weights (titel 10,
  dossier 5, categorie and afzender 3, body and stems 1; the ``stems`` column
  repeats the title's stems, see :mod:`.index`); centrally ``ts_rank_cd`` over
  ``tsv_all`` (titel weighs most). Scores of the two stores are not comparable.
* Dates (``datum:`` and the filters' range): an object covers the days from
  ``dekking_begin`` to ``dekking_eind`` (one of them alone: that day); without
  either, the UTC day it was created (filed). It matches when that period
  overlaps the range. A query of dates only lists what matches, score 0.
* Filters narrow on the object's own columns (see :class:`SearchFilters`);
  counts per facet value are a later step.

This module reads a Session or Connection and never imports the services or
archive layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    bindparam,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import Uuid as UuidType
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session

from recordsdesk.db.models import Informatieobject, table_of
from recordsdesk.search import index, to_fts5, to_pg
from recordsdesk.search.entries import INDEXED_LEVELS
from recordsdesk.search.pg_config import CONFIG
from recordsdesk.search.query import Node, Query, parse
from recordsdesk.search.results import (
    DossierGroup,
    Hit,
    SearchFilters,
    SearchResults,
    date_condition,
)
from recordsdesk.search.snippet import Terms, snippet

REFRESH_LIMIT = 500  # objects indexed before a search, at most (about a third of a second)
HITS_PER_GROUP = 3  # each shown hit costs a snippet
MAX_PAGE_SIZE = 200
BM25_WEIGHTS = (10.0, 5.0, 3.0, 3.0, 1.0, 1.0)  # titel dossier categorie afzender body stems

_IO = table_of(Informatieobject)
_ROWS = index.ROWS
_meta = MetaData()
_FTS = Table(
    "search_fts",
    _meta,
    Column("rowid", Integer),
    Column("body", Text),
    Column("object_id", String),  # 32 hex digits, as SQLite keeps uuids
    Column("dossier_id", String),
)
_DOC = Table(
    "search_document",
    _meta,
    Column("object_id", UuidType(as_uuid=False)),
    Column("dossier_id", UuidType(as_uuid=False)),
    Column("body", Text),
    *(Column(name, TSVECTOR) for name in to_pg.TSVECTOR_COLUMNS.values()),
)


def search(
    target: Session | Connection,
    text: str,
    *,
    filters: SearchFilters | None = None,
    page: int = 0,
    page_size: int = 20,
    hits_per_group: int = HITS_PER_GROUP,
    refresh_limit: int = REFRESH_LIMIT,
) -> SearchResults:
    """Search dossiers and records; see the module contract."""
    query = parse(text)
    filters = filters or SearchFilters()
    page, page_size = max(0, page), min(max(1, page_size), MAX_PAGE_SIZE)
    connection = target.connection() if isinstance(target, Session) else target
    conditions = filters.conditions(connection, _IO)
    conditions.extend(date_condition(connection, r, _IO) for r in query.dates)
    sqlite = connection.dialect.name == "sqlite"
    pending = index.pending_count(connection)
    # without marks there is nothing to refresh (on PostgreSQL asking costs two queries);
    # locally refresh also renumbers an index of before the slots (see index.refresh)
    if (pending or sqlite) and refresh_limit > 0 and index.refresh(connection, refresh_limit):
        pending = index.pending_count(connection)
    found = (_fts_page if sqlite else _pg_page)(
        connection, query.node, conditions, page * page_size, page_size, hits_per_group
    )
    keys = [key for hits in found.hits.values() for key, _score in hits]
    details = (_fts_details if sqlite else _pg_details)(connection, query.node, keys)
    groups = []
    for group, count in found.groups:
        shown = [
            Hit(*details[key][:3], details[key][3], float(score))
            for key, score in found.hits.get(group, [])
            if key in details
        ]
        if shown:
            kenmerk, naam = found.dossiers.get(group, ("", ""))
            groups.append(DossierGroup(kenmerk, naam, hits=tuple(shown), hit_count=count))
    return SearchResults(
        total=found.total,
        dossier_count=found.dossier_count,
        groups=tuple(groups),
        pending=pending,
        dropped=query.dropped,
        page=page,
        page_size=page_size,
    )


@dataclass
class _Page:
    """One page's dossiers (group key, hit count), best first, with their best hits."""

    groups: list[tuple[Any, int]]
    hits: dict[Any, list[tuple[Any, float]]]  # group key -> (hit key, score), best first
    dossiers: dict[Any, tuple[str, str]]  # group key -> the dossier's kenmerk and naam
    total: int
    dossier_count: int


def matching(connection: Connection, query: Query, filters: SearchFilters | None) -> Select[Any]:
    """SELECT of the ids (column ``object_id``) of the indexed objects ``query`` finds.

    The query's text part, its dates and ``filters`` all apply, as in
    :func:`search`; no ORDER BY and no LIMIT, so it can be counted, grouped or
    used in ``IN``. The column reads as uuid strings on both stores and compares
    with ``informatieobject.id`` in SQL (on SQLite both are 32 hex digits). The
    index is not refreshed here. UserError for bad filter values.
    """
    conditions = (filters or SearchFilters()).conditions(connection, _IO)
    conditions.extend(date_condition(connection, r, _IO) for r in query.dates)
    if connection.dialect.name == "sqlite":  # ids from search_row: no text is read
        statement = select(_ROWS.c.object_id.label("object_id")).join_from(
            _ROWS, _IO, _IO.c.id == _ROWS.c.object_id
        )
        statement = statement.where(_IO.c.aggregatieniveau.in_(INDEXED_LEVELS), *conditions)
        if query.node is not None:
            statement = statement.join(_FTS, _FTS.c.rowid == _ROWS.c.rowid)
            statement = statement.where(_fts_match(query.node))
        return statement
    statement = select(_DOC.c.object_id.label("object_id"))
    if query.node is not None:
        statement = statement.where(_pg_match(query.node))
    if conditions:
        statement = statement.join_from(_DOC, _IO, _IO.c.id == _DOC.c.object_id)
        statement = statement.where(*conditions)
    return statement


def _fts_match(node: Node) -> ColumnElement[bool]:
    table: ColumnElement[Any] = literal_column("search_fts")
    return table.op("MATCH")(bindparam("q", to_fts5.to_fts5(node)))


def _pg_match(node: Node) -> ColumnElement[bool]:
    columns = {key: _DOC.c[name] for key, name in to_pg.TSVECTOR_COLUMNS.items()}
    return to_pg.where_clause(node, columns)


# -- SQLite: a hit's group is its rowid's slot (see index), so grouping reads no text ----

_SLOT: ColumnElement[Any] = literal_column(str(index.SLOT_BITS))  # a constant


def _bm25() -> ColumnElement[Any]:
    return -func.bm25(literal_column("search_fts"), *(literal(w) for w in BM25_WEIGHTS))


def _fts_hits(node: Node | None, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """(key, score) of every hit."""
    if node is None:  # dates or filters only: a listing, no text read
        return (
            select(_ROWS.c.rowid.label("key"), literal(0.0).label("score"))
            .join_from(_ROWS, _IO, _IO.c.id == _ROWS.c.object_id)
            .where(_IO.c.aggregatieniveau.in_(INDEXED_LEVELS), *conditions)
        )
    statement = select(_FTS.c.rowid.label("key"), _bm25().label("score")).where(_fts_match(node))
    if conditions:
        statement = (
            statement.join_from(_FTS, _ROWS, _ROWS.c.rowid == _FTS.c.rowid)
            .join(_IO, _IO.c.id == _ROWS.c.object_id)
            .where(*conditions)
        )
    return statement


def _fts_page(
    connection: Connection,
    node: Node | None,
    conditions: list[ColumnElement[bool]],
    offset: int,
    size: int,
    per_group: int,
) -> _Page:
    """One statement: the hits scored once (a CTE SQLite materialises: it is read twice),
    grouped on their slot; then the best hits of the page's groups from the CTE."""
    found = _fts_hits(node, conditions).cte("hits")
    slot = found.c.key.op(">>")(_SLOT)
    grouped = (
        select(slot.label("g"), func.max(found.c.score).label("best"), func.count().label("n"))
        .group_by(slot)
        .subquery("grouped")
    )
    chosen = (
        select(
            grouped,
            func.count().over().label("ngroups"),
            func.sum(grouped.c.n).over().label("total"),
        )
        .order_by(grouped.c.best.desc(), grouped.c.g)
        .limit(size)
        .offset(offset)
        .cte("chosen")
    )
    inside = (
        select(slot.label("g"), found.c.key, found.c.score)
        .where(slot.in_(select(chosen.c.g)))
        .subquery("inside")
    )
    rank = func.row_number().over(
        partition_by=inside.c.g, order_by=(inside.c.score.desc(), inside.c.key)
    )
    ranked = select(inside, rank.label("rn")).subquery("ranked")
    rows = connection.execute(
        select(
            chosen.c.g, chosen.c.n, chosen.c.ngroups, chosen.c.total, ranked.c.key, ranked.c.score
        )
        .join_from(chosen, ranked, ranked.c.g == chosen.c.g)
        .where(ranked.c.rn <= per_group)
        .order_by(chosen.c.best.desc(), chosen.c.g, ranked.c.rn)
    ).all()
    if not rows:
        return _empty_page(connection, found, slot)
    hits: dict[Any, list[tuple[Any, float]]] = {}
    counts: dict[Any, int] = {}
    for row in rows:
        counts[row.g] = int(row.n)
        hits.setdefault(row.g, []).append((row.key, float(row.score)))
    openings = {g << index.SLOT_BITS: g for g in counts}
    dossiers = {
        openings[r.rowid]: (r.kenmerk, r.naam)
        for r in connection.execute(
            select(_ROWS.c.rowid, _IO.c.kenmerk, _IO.c.naam)
            .join_from(_ROWS, _IO, _IO.c.id == _ROWS.c.object_id)
            .where(_ROWS.c.rowid.in_(list(openings)))
        )
    }
    return _Page(list(counts.items()), hits, dossiers, int(rows[0].total),
                 int(rows[0].ngroups))  # fmt: skip


def _empty_page(connection: Connection, every: Any, group: ColumnElement[Any]) -> _Page:
    """A page beyond the last: only the totals."""
    total, groups = connection.execute(
        select(func.count(), func.count(group.distinct())).select_from(every)
    ).one()
    return _Page([], {}, {}, int(total), int(groups))


Detail = tuple[str, str, str, str]  # kenmerk, naam, aggregatieniveau, snippet


def _fts_details(connection: Connection, node: Node | None, keys: list[Any]) -> dict[Any, Detail]:
    if not keys:
        return {}
    terms = Terms(node)
    statement = (
        select(_ROWS.c.rowid, _IO.c.kenmerk, _IO.c.naam, _IO.c.aggregatieniveau, _FTS.c.body)
        .join_from(_ROWS, _IO, _IO.c.id == _ROWS.c.object_id)
        .outerjoin(_FTS, _FTS.c.rowid == _ROWS.c.rowid)
        .where(_ROWS.c.rowid.in_(keys))
    )
    return {
        r.rowid: (r.kenmerk, r.naam, r.aggregatieniveau, snippet(r.body or "", terms))
        for r in connection.execute(statement)
    }


# -- PostgreSQL ---------------------------------------------------------------------------


def _pg_hits(node: Node | None, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """(key, g, score) of every hit: g is its dossier."""
    score: ColumnElement[Any] = literal(0.0)
    ranking = to_pg.headline_query(node) if node is not None else None
    if ranking is not None:
        tsquery = func.to_tsquery(literal_column(f"'{CONFIG}'::regconfig"), literal(ranking))
        score = func.ts_rank_cd(_DOC.c[to_pg.TSVECTOR_COLUMNS[to_pg.ALL]], tsquery)
    statement = select(
        _DOC.c.object_id.label("key"), _DOC.c.dossier_id.label("g"), score.label("score")
    )
    if node is not None:
        statement = statement.where(_pg_match(node))
    if conditions:
        statement = statement.join_from(_DOC, _IO, _IO.c.id == _DOC.c.object_id)
        statement = statement.where(*conditions)
    return statement


def _pg_page(
    connection: Connection,
    node: Node | None,
    conditions: list[ColumnElement[bool]],
    offset: int,
    size: int,
    per_group: int,
) -> _Page:
    every = _pg_hits(node, conditions).subquery("hits")
    grouped = (
        select(every.c.g, func.max(every.c.score).label("best"), func.count().label("n"))
        .group_by(every.c.g)
        .subquery("grouped")
    )
    rows = connection.execute(
        select(
            grouped.c.g,
            grouped.c.n,
            func.count().over().label("ngroups"),
            func.sum(grouped.c.n).over().label("total"),
        )
        .order_by(grouped.c.best.desc(), grouped.c.g)
        .limit(size)
        .offset(offset)
    ).all()
    if not rows:
        return _empty_page(connection, every, every.c.g)
    chosen = [r.g for r in rows]
    inside = _pg_hits(node, conditions).where(_DOC.c.dossier_id.in_(chosen)).subquery("inside")
    rank = func.row_number().over(
        partition_by=inside.c.g, order_by=(inside.c.score.desc(), inside.c.key)
    )
    ranked = select(inside, rank.label("rn")).subquery("ranked")
    hits: dict[Any, list[tuple[Any, float]]] = {}
    for r in connection.execute(
        select(ranked.c.g, ranked.c.key, ranked.c.score)
        .where(ranked.c.rn <= per_group)
        .order_by(ranked.c.g, ranked.c.rn)
    ):
        hits.setdefault(r.g, []).append((r.key, r.score))
    dossiers = {
        r.id: (r.kenmerk, r.naam)
        for r in connection.execute(
            select(_IO.c.id, _IO.c.kenmerk, _IO.c.naam).where(_IO.c.id.in_(chosen))
        )
    }
    return _Page([(r.g, int(r.n)) for r in rows], hits, dossiers, int(rows[0].total),
                 int(rows[0].ngroups))  # fmt: skip


def _pg_details(connection: Connection, node: Node | None, keys: list[Any]) -> dict[Any, Detail]:
    """Snippets made here as locally (ts_headline parses each whole text: slower)."""
    if not keys:
        return {}
    terms = Terms(node)
    statement = (
        select(_DOC.c.object_id, _IO.c.kenmerk, _IO.c.naam, _IO.c.aggregatieniveau, _DOC.c.body)
        .join_from(_DOC, _IO, _IO.c.id == _DOC.c.object_id)
        .where(_DOC.c.object_id.in_(keys))
    )
    return {
        r.object_id: (r.kenmerk, r.naam, r.aggregatieniveau, snippet(r.body or "", terms))
        for r in connection.execute(statement)
    }
