"""The search query language a Woo searcher learns in a minute.

Grammar (whitespace separates terms; every term is optional sign + atom)::

    vergunning bouw            both words (AND is the default)
    "niet openbaar"            exact phrase: these words, in this order, unstemmed
    -sloop  -"oude tekst"      exclude a word, a phrase or a field term
    bouw OR sloop              either; OR (upper case) binds tighter than AND:
                               a b OR c  =  a AND (b OR c)
    vergun*                    prefix (at least 2 letters before the *)
    titel:besluit              field: titel, dossier, categorie, afzender;
    afzender:"J. de Vries"       the value is a word, a prefix* or a "phrase"
    datum:2024-01..2024-06     date range (inclusive); also datum:2024,
                               datum:2024-03, datum:2024-03-05, datum:..2024-06,
                               datum:2024-01.., datum:01-03-2024..31-03-2024

Plain words are folded (case, diacritics) and, unless quoted or in a field,
stop words are left out (reported in ``Query.dropped``). Anything else the user
types, such as parentheses, ``^``, ``;`` or ``NEAR(``, is punctuation that only
separates words; a word that punctuation splits (``e-mail``) becomes a phrase.
So no user text ever reaches FTS5 or SQL as syntax: the compilers quote every
word. Malformed input raises :class:`QueryError` (a ``UserError``) that names the
problem; no other exception escapes :func:`parse`.
"""

from __future__ import annotations

import datetime
import re
from calendar import monthrange
from dataclasses import dataclass
from typing import TypeAlias

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.search.normalise import STOP_WORDS, fold, tokens

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
TEXT_FIELDS = ("titel", "dossier", "categorie", "afzender")
DATE_FIELD = "datum"
_ALL_FIELDS = (*TEXT_FIELDS, DATE_FIELD)

# Typographic quotes a Dutch word processor puts in pasted text count as '"'.
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
_FIELD = re.compile(r"^([^\W\d_]+):(.*)$", re.DOTALL)


class QueryError(UserError):
    """A query that cannot be searched; the message says what to change."""


@dataclass(frozen=True)
class Word:
    """One folded word; ``prefix`` matches every word that starts with it."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Folded words that must follow each other (not stemmed)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """A word or phrase that must occur in one field (a name in TEXT_FIELDS)."""

    name: str
    node: Word | Phrase


@dataclass(frozen=True)
class Not:
    """Exclude what ``node`` matches; only meaningful next to a positive term."""

    node: Node


@dataclass(frozen=True)
class AllOf:
    """Every node must match (AND)."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one node must match (OR)."""

    nodes: tuple[Node, ...]


Node: TypeAlias = Word | Phrase | Field | Not | AllOf | AnyOf


@dataclass(frozen=True)
class DateRange:
    """Inclusive date range; ``None`` is an open end."""

    start: datetime.date | None
    end: datetime.date | None


@dataclass(frozen=True)
class Query:
    """A parsed query: ``node`` is None when it only restricts dates.

    Every range in ``dates`` must hold (they combine with AND like words do).
    ``dropped`` lists the stop words left out, for a hint to the searcher.
    """

    node: Node | None
    dates: tuple[DateRange, ...]
    dropped: tuple[str, ...]


@dataclass
class _Term:
    raw: str
    negative: bool
    node: Node | None = None
    date: DateRange | None = None


_OR = object()


def parse(text: str) -> Query:
    """Parse what the searcher typed; raises :class:`QueryError` when malformed."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            N_("The query is too long: at most {limit} characters, this one has {length}."),
            {"limit": MAX_QUERY_CHARS, "length": len(text)},
        )
    dropped: list[str] = []  # stop words left out, in order, repeats too
    items = [_term(raw, dropped) if raw != "OR" else _OR for raw in _split(text)]
    terms = [item for item in items if isinstance(item, _Term)]
    count = sum(_size(t.node) + (t.date is not None) for t in terms) + len(dropped)
    if count > MAX_TERMS:
        raise QueryError(
            N_("The query has too many terms: at most {limit}, this one has {count}."),
            {"limit": MAX_TERMS, "count": count},
        )
    groups = _or_groups(items)
    dates = tuple(t.date for g in groups for t in g if t.date is not None)
    positives: list[Node] = []
    negatives: list[Node] = []
    for group in groups:
        nodes = [t.node for t in group if t.node is not None]
        if group[0].negative:
            negatives.extend(Not(n) for n in nodes)
        elif nodes:
            positives.append(nodes[0] if len(nodes) == 1 else AnyOf(tuple(nodes)))
    if not positives:
        if negatives:
            raise QueryError(
                N_("The query only excludes ({terms}); add at least one word to search for."),
                {"terms": " ".join(t.raw for g in groups for t in g if t.negative)},
            )
        if not dates:
            if dropped:
                raise QueryError(
                    N_(
                        "Only common words ({words}) were typed, and those are left out of"
                        ' every search. Add a more specific word, or put a phrase in "quotes".'
                    ),
                    {"words": " ".join(dict.fromkeys(dropped))},
                )
            raise QueryError(N_("Type something to search for."))
    nodes = positives + negatives
    node = None if not nodes else nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))
    return Query(node, dates, tuple(dict.fromkeys(dropped)))


def _split(text: str) -> list[str]:
    """Cut at whitespace outside quotes; a quote must be closed."""
    text = text.translate(_QUOTES)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        while i < n and not text[i].isspace():
            if text[i] == '"':
                close = text.find('"', i + 1)
                if close < 0:
                    after = text[i + 1 : i + 21].strip()
                    if not after:
                        raise QueryError(
                            N_("The quotation mark at the end of the query is not closed.")
                        )
                    raise QueryError(
                        N_('The quotation mark before "{text}" is not closed.'), {"text": after}
                    )
                i = close
            i += 1
        out.append(text[start:i])
    return out


def _term(raw: str, dropped: list[str]) -> _Term:
    if raw in ("AND", "NOT"):
        if raw == "AND":
            raise QueryError(N_("Leave out AND: all words must match anyway."))
        raise QueryError(N_("Use a minus sign to exclude a word, as in -sloop, instead of NOT."))
    negative = raw.startswith("-") and len(raw) > 1
    body = raw[1:] if negative else raw
    term = _Term(raw, negative)
    field = _FIELD.match(body)
    # "bijlage: besluit" is two words; "bijlage:besluit" an unknown field.
    if field and (field.group(2) or fold(field.group(1)) in _ALL_FIELDS):
        name, value = fold(field.group(1)), field.group(2)
        if name not in _ALL_FIELDS:
            raise QueryError(
                N_("Unknown field {field}:. Known fields: {fields}."),
                {"field": field.group(1), "fields": ", ".join(f"{f}:" for f in _ALL_FIELDS)},
            )
        if name == DATE_FIELD:
            if negative:
                raise QueryError(
                    N_("datum: cannot be excluded; give the range you want, as in datum:..2023-12.")
                )
            term.date = _date_range(value)
            return term
        atom = _atom(value, raw)
        if atom is None:
            raise QueryError(
                N_("{field}: needs a value right after the colon, as in {field}:vergunning."),
                {"field": name},
            )
        term.node = Field(name, atom)
        return term
    atom = _atom(body, raw)
    if isinstance(atom, Word) and not atom.prefix and atom.text in STOP_WORDS:
        dropped.append(atom.text)
        atom = None
    term.node = atom
    return term


def _atom(value: str, raw: str) -> Word | Phrase | None:
    """A word, prefix or phrase from one term's value; None if it holds no word."""
    if len(value) >= 2 and value[0] == value[-1] == '"' and value.count('"') == 2:
        quoted = tuple(tokens(value[1:-1]))
        return Phrase(quoted) if quoted else None
    words = tokens(value.replace('"', " "))
    if "*" in value:
        if not words:
            raise QueryError(
                N_(
                    "A * on its own searches for nothing; put at least 2 letters before it,"
                    " as in vergun*."
                )
            )
        if not value.endswith("*") or value.count("*") > 1:
            raise QueryError(N_("{term}: a * can only end a word, as in vergun*."), {"term": raw})
    if value.endswith("*"):
        if len(words) > 1:
            raise QueryError(
                N_("{term}: a * can only follow one single word, as in vergun*."), {"term": raw}
            )
        if len(words[0]) < 2:
            raise QueryError(
                N_("{term}: put at least 2 letters before the *, as in vergun*."), {"term": raw}
            )
        return Word(words[0], prefix=True)
    if not words:
        return None
    return Word(words[0]) if len(words) == 1 else Phrase(tuple(words))


def _or_groups(items: list[_Term | object]) -> list[list[_Term]]:
    """Join terms linked by OR into groups; the groups combine with AND."""
    groups: list[list[_Term]] = []
    joined = False
    for index, item in enumerate(items):
        if item is _OR:
            if joined or not groups or index == len(items) - 1:
                raise QueryError(N_("OR needs a search term on both sides, as in bouw OR sloop."))
            joined = True
        elif isinstance(item, _Term):
            if joined:
                groups[-1].append(item)
            else:
                groups.append([item])
            joined = False
    for group in groups:
        if len(group) > 1:
            for term in group:
                if term.date is not None:
                    raise QueryError(
                        N_("datum: cannot be part of an OR; give one range, as in datum:2024..2025")
                    )
                if term.negative:
                    raise QueryError(
                        N_("An exclusion ({term}) cannot be part of an OR."), {"term": term.raw}
                    )
    return groups


def _size(node: Node | None) -> int:
    """Number of words in a term (what MAX_TERMS limits)."""
    if isinstance(node, Word):
        return 1
    if isinstance(node, Phrase):
        return len(node.words)
    if isinstance(node, Field):
        return _size(node.node)
    return 0


_DAY_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_NL = re.compile(r"^(?:(\d{1,2})-)?(\d{1,2})-(\d{4})$")


def _date_range(value: str) -> DateRange:
    parts = value.split("..")
    if len(parts) > 2 or not any(parts):
        raise _bad_date(value)
    if len(parts) == 1:
        start, end = _period(parts[0], value)
        return DateRange(start, end)
    first = _period(parts[0], value)[0] if parts[0] else None
    last = _period(parts[1], value)[1] if parts[1] else None
    if first and last and last < first:
        raise QueryError(N_("The date range {value} ends before it starts."), {"value": value})
    return DateRange(first, last)


def _period(text: str, value: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a year, month or day written ISO or Dutch style."""
    iso = _DAY_ISO.match(text)
    nl = _DAY_NL.match(text)
    if iso:
        year, month, day = iso.group(1), iso.group(2), iso.group(3)
    elif nl:
        day, month, year = nl.group(1), nl.group(2), nl.group(3)
    else:
        raise _bad_date(value)
    try:
        y = int(year)
        if month is None:
            return datetime.date(y, 1, 1), datetime.date(y, 12, 31)
        m = int(month)
        if day is None:
            return datetime.date(y, m, 1), datetime.date(y, m, monthrange(y, m)[1])
        d = datetime.date(y, m, int(day))
        return d, d
    except (ValueError, OverflowError):
        raise _bad_date(value) from None


def _bad_date(value: str) -> QueryError:
    return QueryError(
        N_(
            "Not a date: {value}. Write a year (2024), a month (2024-03), a day (2024-03-05"
            " or 05-03-2024) or a range (2024-01..2024-06)."
        ),
        {"value": value},
    )
