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
  omschrijving) is one of its hits. ``total`` counts hits on all pages.
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

import uuid
from collections.abc import Sequence
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
    type_coerce,
)
from sqlalchemy import Uuid as UuidType
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session

from recordsdesk.db.models import Informatieobject, table_of
from recordsdesk.search import index, to_fts5, to_pg
from recordsdesk.search.pg_config import CONFIG
from recordsdesk.search.query import Node, Query, parse
from recordsdesk.search.results import (
    DossierGroup,
    Hit,
    SearchFilters,
    SearchResults,
    date_condition,
)
from recordsdesk.search.snippet import ELLIPSIS, END, START, Terms, snippet

REFRESH_LIMIT = 500  # objects indexed before a search, at most (about a third of a second)
HITS_PER_GROUP = 3  # each shown hit costs a snippet
MAX_PAGE_SIZE = 200
BM25_WEIGHTS = (10.0, 5.0, 3.0, 3.0, 1.0, 1.0)  # titel dossier categorie afzender body stems
HEADLINE = (f"StartSel={START}, StopSel={END}, MaxWords=30, MinWords=12, MaxFragments=2, "
            f"FragmentDelimiter=\" {ELLIPSIS} \"")  # fmt: skip

_IO = table_of(Informatieobject)
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
    if refresh_limit > 0:
        index.refresh(connection, limit=refresh_limit)
    pending = index.pending_count(connection)
    sqlite = connection.dialect.name == "sqlite"
    hits = (_fts_hits if sqlite else _pg_hits)(query.node, conditions)
    rows = connection.execute(_page_statement(hits, page, page_size, hits_per_group)).all()
    if rows:
        total, groups_total = int(rows[0].total), int(rows[0].ngroups)
    else:
        every = hits.subquery()
        counted = connection.execute(
            select(func.count(), func.count(every.c.did.distinct())).select_from(every)
        ).one()
        total, groups_total = int(counted[0]), int(counted[1])
    details = (_fts_details if sqlite else _pg_details)(connection, query.node, rows)
    dossiers = _dossiers(connection, [_uuid(r.did) for r in rows])
    groups: dict[str, list[Hit]] = {}
    counts: dict[str, int] = {}
    for row in rows:
        did = _uuid(row.did)
        counts[did] = int(row.n)
        if row.key in details:
            kenmerk, naam, level, shown = details[row.key]
            groups.setdefault(did, []).append(Hit(kenmerk, naam, level, shown, float(row.score)))
    return SearchResults(
        total=total,
        dossier_count=groups_total,
        groups=tuple(
            DossierGroup(*dossiers.get(did, ("", "")), hits=tuple(found), hit_count=counts[did])
            for did, found in groups.items()
        ),
        pending=pending,
        dropped=query.dropped,
        page=page,
        page_size=page_size,
    )


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
    if connection.dialect.name == "sqlite":
        key: ColumnElement[Any] = type_coerce(_FTS.c.object_id, UuidType(as_uuid=False))
        statement = select(key.label("object_id"))
        if query.node is not None:
            statement = statement.where(_fts_match(query.node))
        base: Table = _FTS
    else:
        statement = select(_DOC.c.object_id.label("object_id"))
        if query.node is not None:
            statement = statement.where(_pg_match(query.node))
        base = _DOC
    if conditions:
        statement = statement.join_from(base, _IO, _IO.c.id == base.c.object_id)
        statement = statement.where(*conditions)
    return statement


def _fts_match(node: Node) -> ColumnElement[bool]:
    table: ColumnElement[Any] = literal_column("search_fts")
    return table.op("MATCH")(bindparam("q", to_fts5.to_fts5(node)))


def _pg_match(node: Node) -> ColumnElement[bool]:
    columns = {key: _DOC.c[name] for key, name in to_pg.TSVECTOR_COLUMNS.items()}
    return to_pg.where_clause(node, columns)


def _uuid(value: Any) -> str:
    return str(uuid.UUID(str(value)))


def _fts_hits(node: Node | None, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    table: ColumnElement[Any] = literal_column("search_fts")
    if node is None:
        score: ColumnElement[Any] = literal(0.0)
    else:
        score = -func.bm25(table, *(literal(w) for w in BM25_WEIGHTS))
    statement = select(
        _FTS.c.rowid.label("key"), _FTS.c.dossier_id.label("did"), score.label("score")
    )
    if node is not None:
        statement = statement.where(table.op("MATCH")(bindparam("q", to_fts5.to_fts5(node))))
    if conditions:
        statement = statement.join_from(_FTS, _IO, _IO.c.id == _FTS.c.object_id)
        statement = statement.where(*conditions)
    return statement


def _pg_hits(node: Node | None, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    columns = {key: _DOC.c[name] for key, name in to_pg.TSVECTOR_COLUMNS.items()}
    ranking = to_pg.headline_query(node) if node is not None else None
    score: ColumnElement[Any] = literal(0.0)
    if ranking is not None:
        tsquery = func.to_tsquery(literal_column(f"'{CONFIG}'::regconfig"), literal(ranking))
        score = func.ts_rank_cd(columns[to_pg.ALL], tsquery)
    statement = select(
        _DOC.c.object_id.label("key"), _DOC.c.dossier_id.label("did"), score.label("score")
    )
    if node is not None:
        statement = statement.where(to_pg.where_clause(node, columns))
    if conditions:
        statement = statement.join_from(_DOC, _IO, _IO.c.id == _DOC.c.object_id)
        statement = statement.where(*conditions)
    return statement


def _page_statement(hits: Select[Any], page: int, size: int, per_group: int) -> Select[Any]:
    """One statement: the page's dossiers (best first) with their best hits and the totals."""
    found = hits.cte("hits")
    per_dossier = (
        select(found.c.did, func.max(found.c.score).label("best"), func.count().label("n"))
        .group_by(found.c.did)
        .subquery("per_dossier")
    )
    chosen = (
        select(
            per_dossier,
            func.count().over().label("ngroups"),
            func.sum(per_dossier.c.n).over().label("total"),
        )
        .order_by(per_dossier.c.best.desc(), per_dossier.c.did)
        .limit(size)
        .offset(page * size)
        .cte("chosen")
    )
    ranked = (
        select(
            found,
            func.row_number()
            .over(partition_by=found.c.did, order_by=(found.c.score.desc(), found.c.key))
            .label("rn"),
        )
        .where(found.c.did.in_(select(chosen.c.did)))
        .subquery("ranked")
    )
    return (
        select(
            chosen.c.did,
            chosen.c.best,
            chosen.c.n,
            chosen.c.ngroups,
            chosen.c.total,
            ranked.c.key,
            ranked.c.score,
        )
        .join_from(chosen, ranked, ranked.c.did == chosen.c.did)
        .where(ranked.c.rn <= per_group)
        .order_by(chosen.c.best.desc(), chosen.c.did, ranked.c.rn)
    )


Detail = tuple[str, str, str, str]  # kenmerk, naam, aggregatieniveau, snippet


def _fts_details(
    connection: Connection, node: Node | None, rows: Sequence[Any]
) -> dict[Any, Detail]:
    if not rows:
        return {}
    terms = Terms(node)
    statement = (
        select(_FTS.c.rowid, _IO.c.kenmerk, _IO.c.naam, _IO.c.aggregatieniveau, _FTS.c.body)
        .join_from(_FTS, _IO, _IO.c.id == _FTS.c.object_id)
        .where(_FTS.c.rowid.in_([r.key for r in rows]))
    )
    return {
        r.rowid: (r.kenmerk, r.naam, r.aggregatieniveau, snippet(r.body or "", terms))
        for r in connection.execute(statement)
    }


def _pg_details(
    connection: Connection, node: Node | None, rows: Sequence[Any]
) -> dict[Any, Detail]:
    if not rows:
        return {}
    wanted = to_pg.headline_query(node) if node is not None else None
    if wanted is None:
        shown: ColumnElement[Any] = func.left(_DOC.c.body, 200)
    else:
        config: ColumnElement[Any] = literal_column(f"'{CONFIG}'::regconfig")
        tsquery = func.to_tsquery(config, literal(wanted))
        shown = func.ts_headline(config, _DOC.c.body, tsquery, literal(HEADLINE))
    statement = (
        select(_DOC.c.object_id, _IO.c.kenmerk, _IO.c.naam, _IO.c.aggregatieniveau, shown)
        .join_from(_DOC, _IO, _IO.c.id == _DOC.c.object_id)
        .where(_DOC.c.object_id.in_([r.key for r in rows]))
    )
    return {
        r[0]: (r.kenmerk, r.naam, r.aggregatieniveau, " ".join(str(r[4] or "").split()))
        for r in connection.execute(statement)
    }


def _dossiers(connection: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    found = connection.execute(
        select(_IO.c.id, _IO.c.kenmerk, _IO.c.naam).where(_IO.c.id.in_(sorted(set(ids))))
    )
    return {r.id: (r.kenmerk, r.naam) for r in found}
