"""Compile a query tree to PostgreSQL full-text conditions for the central index.

The central index is the table ``search_document`` with the tsvector columns
``tsv_all, tsv_titel, tsv_dossier, tsv_categorie, tsv_afzender``, built with
the text search configuration ``rd_dutch`` (:mod:`pg_config`), which folds
diacritics and stems Dutch itself. The columns must not be NULL (build them from
``coalesce(text, '')``): an exclusion on a NULL column would drop the row.

Each tree becomes ``column @@ to_tsquery('rd_dutch', :text)`` conditions. The
tsquery text is built from the folded words only, each quoted as a lexeme
(``'word'``, prefix ``'word':*``, phrase ``'a' <-> 'b'``), and always travels as
a bound parameter. Parts of the tree that search the same column are merged into
one tsquery (``a b -c`` is one ``tsv_all @@ ...``, so one GIN index scan);
parts on different columns are combined with ``and_``/``or_``/``not_``.

PostgreSQL stems a prefix too (``vergunning*`` looks for lexemes starting with
the stem "vergunn"): the tsvectors hold stems only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, bindparam, func, literal_column, not_, or_

from recordsdesk.search.pg_config import CONFIG
from recordsdesk.search.query import AllOf, AnyOf, Field, Node, Not, Phrase, Word

TABLE = "search_document"
ALL = "all"
COLUMN_KEYS = (ALL, "titel", "dossier", "categorie", "afzender")
TSVECTOR_COLUMNS = {key: f"tsv_{key}" for key in COLUMN_KEYS}

_CONFIG_SQL: ColumnElement[Any] = literal_column(f"'{CONFIG}'::regconfig")


def where_clause(node: Node, columns: Mapping[str, ColumnElement[Any]]) -> ColumnElement[bool]:
    """The condition a row must meet; ``columns`` maps COLUMN_KEYS to tsvector columns."""
    single = _single(node)
    if single is not None:
        return _match(columns[single[0]], single[1])
    if isinstance(node, Not):
        return not_(where_clause(node.node, columns))
    assert isinstance(node, (AllOf, AnyOf))  # leaves always have a single column
    joiner = " & " if isinstance(node, AllOf) else " | "
    by_column: dict[str, list[str]] = {}
    others: list[ColumnElement[bool]] = []
    for child in node.nodes:
        part = _single(child)
        if part is None:
            others.append(where_clause(child, columns))
        else:
            by_column.setdefault(part[0], []).append(part[1])
    conditions = [_match(columns[k], joiner.join(v)) for k, v in by_column.items()]
    conditions.extend(others)
    return and_(*conditions) if isinstance(node, AllOf) else or_(*conditions)


def headline_query(node: Node) -> str | None:
    """tsquery text for ``ts_headline``: any positive word or phrase of the query."""
    parts = [_tsquery(leaf) for leaf in _positive_leaves(node)]
    return " | ".join(f"({p})" for p in parts) if parts else None


def tsquery_text(node: Node) -> str | None:
    """The tsquery text of ``node`` when it searches one column only, else None."""
    single = _single(node)
    return None if single is None else single[1]


def _match(column: ColumnElement[Any], query: str) -> ColumnElement[bool]:
    value = bindparam(None, query, type_=Text)
    return column.bool_op("@@")(func.to_tsquery(_CONFIG_SQL, value))


def _single(node: Node) -> tuple[str, str] | None:
    """(column key, tsquery text) when every leaf of ``node`` searches one column."""
    if isinstance(node, (Word, Phrase)):
        return ALL, _tsquery(node)
    if isinstance(node, Field):
        return node.name, _tsquery(node.node)
    if isinstance(node, Not):
        inner = _single(node.node)
        return None if inner is None else (inner[0], f"!({inner[1]})")
    parts = [_single(n) for n in node.nodes]
    keys = {p[0] for p in parts if p is not None}
    if not parts or None in parts or len(keys) != 1:
        return None
    joiner = " & " if isinstance(node, AllOf) else " | "
    return keys.pop(), joiner.join(f"({p[1]})" for p in parts if p is not None)


def _tsquery(node: Word | Phrase | Field) -> str:
    if isinstance(node, Field):
        return _tsquery(node.node)
    if isinstance(node, Word):
        return _lexeme(node.text) + (":*" if node.prefix else "")
    if not node.words:
        raise ValueError("an empty phrase")
    return " <-> ".join(_lexeme(w) for w in node.words)


def _lexeme(word: str) -> str:
    # A quoted lexeme: to_tsquery reads '' as a quote and \\ as a backslash.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _positive_leaves(node: Node) -> list[Word | Phrase | Field]:
    if isinstance(node, (Word, Phrase, Field)):
        return [node]
    if isinstance(node, Not):
        return []
    return [leaf for child in node.nodes for leaf in _positive_leaves(child)]
