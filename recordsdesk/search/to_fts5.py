"""Compile a query tree to an SQLite FTS5 MATCH expression for the local index.

The index is the FTS5 table ``search_fts`` with the columns ``titel, dossier,
categorie, afzender, body, stems`` and ``tokenize = 'unicode61 remove_diacritics 2'``.
The text columns hold the original text (for snippets; FTS5 folds case and
diacritics itself); ``stems`` holds :func:`normalise.stems` of titel, body and
afzender, so a plain word is searched by its Dutch stem there:

* plain word -> ``stems : "stem"`` ("vergunningen" finds "vergunning");
* prefix ``vergun*`` -> the folded prefix in every text column;
* phrase -> the folded words one after the other in a text column (unstemmed);
* field word -> in that column, its *stem as a prefix* (the columns are not
  stemmed, so ``titel:vergunningen`` looks for titles with a word starting with
  "vergunn"; also with the word itself as prefix where the stem is no prefix
  of it); a field prefix or phrase is searched as written;
* exclusions -> FTS5's binary NOT: ``(positives) NOT (neg1 OR neg2)``.

Every word is emitted as an FTS5 string with ``"`` doubled, and column names
come from constants only, so no user text can become FTS5 syntax.
"""

from __future__ import annotations

from recordsdesk.search.normalise import stem
from recordsdesk.search.query import AnyOf, Field, Node, Not, Phrase, Word

TABLE = "search_fts"
TEXT_COLUMNS = ("titel", "dossier", "categorie", "afzender", "body")
STEMS_COLUMN = "stems"
COLUMNS = (*TEXT_COLUMNS, STEMS_COLUMN)
TOKENIZE = "unicode61 remove_diacritics 2"

_ALL_TEXT = "{" + " ".join(TEXT_COLUMNS) + "}"


def create_table_sql(name: str = TABLE) -> str:
    """``CREATE VIRTUAL TABLE`` for the index (``name`` must be a trusted identifier).

    Prefix indexes of 2 to 4 characters keep ``vergun*`` from scanning the
    whole term list.
    """
    columns = ", ".join(COLUMNS)
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5({columns},"
        f" tokenize = '{TOKENIZE}', prefix = '2 3 4')"
    )


def to_fts5(node: Node) -> str:
    """The MATCH expression for ``node``.

    Raises ``ValueError`` for trees :func:`query.parse` never builds: an
    exclusion with nothing positive beside it, or one inside an OR.
    """
    if isinstance(node, Not):
        raise ValueError("an exclusion needs a positive term beside it")
    if isinstance(node, Word):
        if node.prefix:
            return f"{_ALL_TEXT} : {_string(node.text)}*"
        return f"{STEMS_COLUMN} : {_string(stem(node.text))}"
    if isinstance(node, Phrase):
        if not node.words:
            raise ValueError("an empty phrase")
        return f"{_ALL_TEXT} : {_phrase(node.words)}"
    if isinstance(node, Field):
        return _field(node)
    if isinstance(node, AnyOf):
        if any(isinstance(n, Not) for n in node.nodes):
            raise ValueError("an exclusion cannot be part of an OR")
        return " OR ".join(f"({to_fts5(n)})" for n in node.nodes)
    positives = [n for n in node.nodes if not isinstance(n, Not)]
    negatives = [n.node for n in node.nodes if isinstance(n, Not)]
    if not positives:
        raise ValueError("an exclusion needs a positive term beside it")
    expression = " AND ".join(f"({to_fts5(n)})" for n in positives)
    if negatives:
        excluded = " OR ".join(f"({to_fts5(n)})" for n in negatives)
        expression = f"({expression}) NOT ({excluded})"
    return expression


def _field(node: Field) -> str:
    if node.name not in TEXT_COLUMNS:
        raise ValueError(f"not a text field: {node.name!r}")
    inner = node.node
    if isinstance(inner, Phrase):
        if not inner.words:
            raise ValueError("an empty phrase")
        return f"{node.name} : {_phrase(inner.words)}"
    if inner.prefix:
        return f"{node.name} : {_string(inner.text)}*"
    root = stem(inner.text)
    if inner.text.startswith(root):
        return f"{node.name} : {_string(root)}*"
    # Some stems are no prefix of their word ("sloop" -> "slop"): both, then
    # "titel:sloop" finds "Sloopmelding" and "slopen".
    return f"{node.name} : ({_string(root)}* OR {_string(inner.text)}*)"


def _phrase(words: tuple[str, ...]) -> str:
    # FTS5 tokenizes a string into a phrase; "+" joins the parts explicitly.
    return " + ".join(_string(w) for w in words)


def _string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
