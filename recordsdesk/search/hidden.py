"""How many results of a search the searcher may not see: a number, never a title.

A Woo decision must be able to say that documents exist which this searcher
could not judge (issue 7, access restrictions). The central archive's
row-level security shows a login only the index entries of objects it may
see; the SECURITY DEFINER function ``rd_search_count(tsquery)`` (installed with
the enforcement, :mod:`recordsdesk.archive.central.enforce_sql`) counts every
entry whose ``tsv_all`` matches, hidden ones included.

Contract of :func:`hidden_count`:

* SQLite (a workstation's own store): ``0``; it holds only what its user filed
  or synced, all of it visible to them.
* PostgreSQL with the enforcement installed: the entries matching the query's
  *words* (all of them, as ``rd_search_count`` counts) minus those this login
  sees, in one statement (one snapshot). Dates (``datum:``) and filters do not
  narrow it: what a hidden object's dates or columns are is not told, so the
  number is "hidden results for these words", at least as many as hidden
  results of the whole query.
* ``None`` (unknown) when the words cannot be counted that way: a query with
  a field term (``titel:``...), alone or beside plain words, searches other
  columns than ``tsv_all``; a query of dates only has no words.
* PostgreSQL without the enforcement (a central archive used by its owner
  only): ``0``, everything is visible.

This module reads a Connection and never imports the services or archive layers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, column, func, select, table, text
from sqlalchemy.orm import Session

from recordsdesk.search import to_pg
from recordsdesk.search.query import Query, parse

_INSTALLED = text("SELECT to_regprocedure('rd_search_count(tsquery)') IS NOT NULL")
_DOC = table(to_pg.TABLE, column(to_pg.TSVECTOR_COLUMNS[to_pg.ALL]))


def hidden_count(target: Session | Connection, query: str | Query) -> int | None:
    """Results of ``query``'s words this login may not see; see the module contract.

    ``query`` is the text as typed or a parsed query (QueryError when malformed).
    """
    parsed = parse(query) if isinstance(query, str) else query
    connection = target.connection() if isinstance(target, Session) else target
    if connection.dialect.name == "sqlite":
        return 0
    if not connection.scalar(_INSTALLED):  # a central archive used by its owner alone
        return 0
    wanted = _tsquery(parsed)
    if wanted is None:
        return None
    tsv = _DOC.c[to_pg.TSVECTOR_COLUMNS[to_pg.ALL]]
    seen = select(func.count()).select_from(_DOC).where(tsv.bool_op("@@")(wanted))
    every = func.rd_search_count(wanted)
    difference = connection.scalar(select(every - seen.scalar_subquery()))
    return max(0, int(difference or 0))


def _tsquery(query: Query) -> Any:
    """The tsquery of the query's words when they all search ``tsv_all``; else None.

    The same tsquery the search itself compiles (:func:`to_pg.where_clause` for a
    one-column tree), so "seen" here is exactly what the search lists.
    """
    node = query.node
    if node is None or to_pg._column_of(node) != to_pg.ALL:
        return None
    return to_pg._query(node)
