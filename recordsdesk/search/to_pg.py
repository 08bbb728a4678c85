"""Compile a query tree to PostgreSQL full-text conditions for the central index.

The central index is the table ``search_document`` with the tsvector columns
``tsv_all, tsv_titel, tsv_dossier, tsv_categorie, tsv_afzender``, built with
the text search configuration ``rd_dutch`` (:mod:`pg_config`), which folds
diacritics and stems Dutch itself. The columns must not be NULL (an empty text
gives an empty tsvector): an exclusion on a NULL column would drop the row.

Each tree becomes ``column @@ to_tsquery('rd_dutch', :text)`` conditions. The
tsquery text is built from the folded words only, each quoted as a lexeme
(``'word'``, prefix ``'word':*``, phrase ``'a' <-> 'b'``), and always travels as
a bound parameter. Parts of the tree that search the same column are merged into
one tsquery (``a b -c`` is one ``tsv_all @@ ...``, so one GIN index scan);
parts on different columns are combined with ``and_``/``or_``/``not_``. A prefix
matches lexemes starting with its stem or with the prefix itself (see _query);
so does a field word, like in the local index (``titel:sloop`` finds
"Sloopmelding"), while a plain word matches its stem exactly.

Build the tsvectors from :func:`normalise.pg_words`, not from the raw text, so
PostgreSQL splits words as the query compiler does ("Z-2024-001", "5.1.2").
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
_SIMPLE_SQL: ColumnElement[Any] = literal_column("'simple'::regconfig")


def where_clause(node: Node, columns: Mapping[str, ColumnElement[Any]]) -> ColumnElement[bool]:
    """The condition a row must meet; ``columns`` maps COLUMN_KEYS to tsvector columns."""
    key = _column_of(node)
    if key is not None:
        return columns[key].bool_op("@@")(_query(node))
    if isinstance(node, Not):
        return not_(where_clause(node.node, columns))
    assert isinstance(node, (AllOf, AnyOf))  # leaves always search one column
    by_column: dict[str, list[Node]] = {}
    others: list[ColumnElement[bool]] = []
    for child in node.nodes:
        child_key = _column_of(child)
        if child_key is None:
            others.append(where_clause(child, columns))
        else:
            by_column.setdefault(child_key, []).append(child)
    every = isinstance(node, AllOf)
    conditions: list[ColumnElement[bool]] = [
        columns[k].bool_op("@@")(_combine(v, every)) for k, v in by_column.items()
    ]
    conditions.extend(others)
    return and_(*conditions) if every else or_(*conditions)


def headline_query(node: Node) -> str | None:
    """tsquery text for ``ts_headline``: any positive word or phrase of the query.

    A prefix is stemmed here like any word (``sloop*`` marks "slop..." words).
    """
    parts = [_tsquery(leaf) for leaf in _positive_leaves(node)]
    return " | ".join(f"({p})" for p in parts) if parts else None


def _column_of(node: Node) -> str | None:
    """The column key when every leaf of ``node`` searches the same column."""
    if isinstance(node, (Word, Phrase)):
        return ALL
    if isinstance(node, Field):
        return node.name
    if isinstance(node, Not):
        return _column_of(node.node)
    keys = {_column_of(n) for n in node.nodes}
    return keys.pop() if len(keys) == 1 else None


def _query(node: Node) -> ColumnElement[Any]:
    """The tsquery of a one-column ``node``: text where possible, prefixes apart.

    rd_dutch stems a prefix as if it were a word ("sloop" -> "slop", which
    misses "sloopmelding" -> "sloopmeld"), so a prefix also searches its
    unstemmed (already folded) form through the ``simple`` configuration.
    """
    if _prefix_free(node):
        return _to_tsquery(_text(node))
    if isinstance(node, (Word, Field)):
        prefix = _tsquery(node)
        simple = func.to_tsquery(_SIMPLE_SQL, bindparam(None, prefix, type_=Text))
        return func.tsquery_or(_to_tsquery(prefix), simple)
    if isinstance(node, Not):
        return func.tsquery_not(_query(node.node))
    assert isinstance(node, (AllOf, AnyOf))
    return _combine(node.nodes, isinstance(node, AllOf))


def _combine(nodes: tuple[Node, ...] | list[Node], every: bool) -> ColumnElement[Any]:
    """AND (``every``) or OR of one-column nodes; the prefix-free ones as one text."""
    texts = [f"({_text(n)})" for n in nodes if _prefix_free(n)]
    parts = [_to_tsquery((" & " if every else " | ").join(texts))] if texts else []
    parts.extend(_query(n) for n in nodes if not _prefix_free(n))
    combined = parts[0]
    for part in parts[1:]:
        combined = (func.tsquery_and if every else func.tsquery_or)(combined, part)
    return combined


def _to_tsquery(query: str) -> ColumnElement[Any]:
    return func.to_tsquery(_CONFIG_SQL, bindparam(None, query, type_=Text))


def _prefix_free(node: Node) -> bool:
    if isinstance(node, Word):
        return not node.prefix
    if isinstance(node, Phrase):
        return True
    if isinstance(node, Field):  # a field word is a prefix too, see _tsquery
        return isinstance(node.node, Phrase)
    if isinstance(node, Not):
        return _prefix_free(node.node)
    return all(_prefix_free(n) for n in node.nodes)


def _text(node: Node) -> str:
    """tsquery text of a prefix-free, one-column node."""
    if isinstance(node, (Word, Phrase, Field)):
        return _tsquery(node)
    if isinstance(node, Not):
        return f"!({_text(node.node)})"
    joiner = " & " if isinstance(node, AllOf) else " | "
    return joiner.join(f"({_text(n)})" for n in node.nodes)


def _tsquery(node: Word | Phrase | Field) -> str:
    if isinstance(node, Field) and isinstance(node.node, Word):
        # As in the local index: a field word finds the field's words that start
        # with its stem ("titel:sloop" finds "Sloopmelding" and "slopen").
        return _lexeme(node.node.text) + ":*"
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
