"""The query language: every construct parses to its tree, bad input to a clear QueryError."""

from __future__ import annotations

import datetime
import random

import pytest

from recordsdesk import i18n
from recordsdesk.errors import UserError
from recordsdesk.search.normalise import STOP_WORDS, fold, pg_words, stem, stems, tokens
from recordsdesk.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    AllOf,
    AnyOf,
    DateRange,
    Field,
    Not,
    Phrase,
    Query,
    QueryError,
    Word,
    parse,
)

D = datetime.date


def test_folding_and_stemming() -> None:
    assert fold("Café FINANCIËLE Ĳssel") == "cafe financiele ijssel"
    assert tokens("e-mail; art.5.1.2 snake_case (NEAR") == [
        "e",
        "mail",
        "art",
        "5",
        "1",
        "2",
        "snake",
        "case",
        "near",
    ]
    assert stem("vergunningen") == stem("vergunning")
    assert stem(fold("financiële")) == stem("financiele")
    # The Porter variant (as PostgreSQL's dutch_stem): no ge- stripping.
    assert stem("gemeente") != stem("mening")
    assert stems("Vergunningen voor het Café") == "vergunn vor het caf"
    assert pg_words("Z-2024-001, art. 5.1.2a; info@gemeente.nl") == (
        "z 2024 001 art 5 1 2a info gemeente nl"
    )
    assert {"de", "het", "een", "en", "van"} <= STOP_WORDS
    assert "niet" not in STOP_WORDS


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("vergunning", Word("vergunning")),
        ("Vergunningen BOUW", AllOf((Word("vergunningen"), Word("bouw")))),
        ("café", Word("cafe")),
        ('"niet openbaar"', Phrase(("niet", "openbaar"))),
        ("\u201eniet openbaar\u201d", Phrase(("niet", "openbaar"))),
        ('"Vergunning"', Phrase(("vergunning",))),
        ("bouw -sloop", AllOf((Word("bouw"), Not(Word("sloop"))))),
        ('bouw -"oude tekst"', AllOf((Word("bouw"), Not(Phrase(("oude", "tekst")))))),
        ("bouw -titel:concept", AllOf((Word("bouw"), Not(Field("titel", Word("concept")))))),
        ("bouw OR sloop", AnyOf((Word("bouw"), Word("sloop")))),
        ("a b OR c", AllOf((Word("a"), AnyOf((Word("b"), Word("c")))))),
        ("a OR b OR c d", AllOf((AnyOf((Word("a"), Word("b"), Word("c"))), Word("d")))),
        ("vergun*", Word("vergun", prefix=True)),
        ("VE*", Word("ve", prefix=True)),
        ("titel:besluit", Field("titel", Word("besluit"))),
        ("Dossier:Z-2024", Field("dossier", Phrase(("z", "2024")))),
        ("categorie:advies*", Field("categorie", Word("advies", prefix=True))),
        ('afzender:"J. de Vries"', Field("afzender", Phrase(("j", "de", "vries")))),
        ("titel:de", Field("titel", Word("de"))),
        ("e-mail", Phrase(("e", "mail"))),
        ("bouw OR de", Word("bouw")),
        ("(bouw) ^sloop", AllOf((Word("bouw"), Word("sloop")))),
        ("zie bijlage: besluit", AllOf((Word("zie"), Word("bijlage"), Word("besluit")))),
        ("or and not", AllOf((Word("or"), Word("and"), Word("not")))),
    ],
)
def test_constructs(text: str, node: object) -> None:
    assert parse(text).node == node


def test_stop_words_are_dropped_and_reported() -> None:
    query = parse("de vergunning van het café")
    assert query == Query(AllOf((Word("vergunning"), Word("cafe"))), (), ("de", "van", "het"))
    assert parse('"de vergunning"').dropped == ()
    assert parse("de vergunning de OR het").dropped == ("de", "het")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("datum:2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("datum:2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("datum:2024-03-05", D(2024, 3, 5), D(2024, 3, 5)),
        ("datum:2024-01..2024-06", D(2024, 1, 1), D(2024, 6, 30)),
        ("datum:..2024-06", None, D(2024, 6, 30)),
        ("datum:2024-01..", D(2024, 1, 1), None),
        ("datum:01-03-2024..31-03-2024", D(2024, 3, 1), D(2024, 3, 31)),
        ("datum:5-3-2024", D(2024, 3, 5), D(2024, 3, 5)),
        ("datum:02-2023", D(2023, 2, 1), D(2023, 2, 28)),
        ("datum:2023..2024-03-05", D(2023, 1, 1), D(2024, 3, 5)),
    ],
)
def test_dates(text: str, start: D | None, end: D | None) -> None:
    assert parse(text) == Query(None, (DateRange(start, end),), ())


def test_dates_beside_words() -> None:
    query = parse("bouw datum:2024 datum:..2024-06")
    assert query.node == Word("bouw")
    assert query.dates == (
        DateRange(D(2024, 1, 1), D(2024, 12, 31)),
        DateRange(None, D(2024, 6, 30)),
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("", "Type something"),
        ("   ", "Type something"),
        ("; ( ) ^", "Type something"),
        ("de het een", "Only common words (de het een)"),
        ("-bouw", "only excludes (-bouw)"),
        ("-bouw -titel:sloop datum:2024", "only excludes (-bouw -titel:sloop)"),
        ('"niet openbaar', 'before "niet openbaar" is not closed'),
        ('bouw "', "at the end of the query is not closed"),
        ('"a" "b" "c', 'before "c" is not closed'),
        ("*", "A * on its own"),
        ("bouw *", "A * on its own"),
        ("-*", "A * on its own"),
        ("v*", "v*: put at least 2 letters"),
        ("titel:v*", "titel:v*: put at least 2 letters"),
        ("*vergun", "*vergun: a * can only end a word"),
        ("ver*gun", "a * can only end a word"),
        ("vergun**", "a * can only end a word"),
        ("e-ma*", "e-ma*: a * can only follow one single word"),
        ("col:x", "Unknown field col:. Known fields: titel:, dossier:, categorie:, afzender:"),
        ("titel:", "titel: needs a value"),
        ("titel:;", "titel: needs a value"),
        ("datum:", "Not a date: "),
        ("datum:..", "Not a date: .."),
        ("datum:2024-13", "Not a date: 2024-13"),
        ("datum:2023-02-29", "Not a date: 2023-02-29"),
        ("datum:31-02-2024", "Not a date: 31-02-2024"),
        ("datum:gisteren", "Not a date: gisteren"),
        ("datum:2024..2025..2026", "Not a date"),
        ("datum:2024-06..2024-01", "The date range 2024-06..2024-01 ends before it starts"),
        ("-datum:2024", "datum: cannot be excluded"),
        ("datum:2024 OR bouw", "datum: cannot be part of an OR"),
        ("bouw OR -sloop", "An exclusion (-sloop) cannot be part of an OR"),
        ("OR bouw", "OR needs a search term on both sides"),
        ("bouw OR", "OR needs a search term on both sides"),
        ("bouw OR OR sloop", "OR needs a search term on both sides"),
        ("bouw AND sloop", "Leave out AND"),
        ("bouw NOT sloop", "Use a minus sign"),
        ("x" * (MAX_QUERY_CHARS + 1), f"at most {MAX_QUERY_CHARS} characters"),
        (" ".join(["bouw"] * (MAX_TERMS + 1)), f"at most {MAX_TERMS}, this one has"),
        ('"' + " ".join(["a"] * (MAX_TERMS + 1)) + '"', "too many terms"),
    ],
)
def test_malformed_queries_name_the_problem(text: str, named: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert isinstance(caught.value, UserError)
    assert named in caught.value.english()


def test_messages_are_in_dutch_by_default() -> None:
    before = i18n.current_language()
    try:
        i18n.set_language("nl")
        with pytest.raises(QueryError) as caught:
            parse("col:x")
        assert i18n.translate_error(caught.value) == (
            "Onbekend veld col:. Bekende velden: titel:, dossier:, categorie:, afzender:, datum:."
        )
    finally:
        i18n.set_language(before)


def test_at_the_limits() -> None:
    assert isinstance(parse("x" * MAX_QUERY_CHARS).node, Word)
    assert isinstance(parse(" ".join(["bouw"] * MAX_TERMS)).node, AllOf)


def test_a_ten_thousand_character_query_is_refused_quickly() -> None:
    text = ('"a (NEAR b* OR ' * 700)[:10_000]
    with pytest.raises(QueryError, match="too long: at most 1000 characters, this one has 10000"):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE informatieobject; --",
        "x' OR '1'='1",
        "bouw) OR (1=1",
        "NEAR(bouw sloop, 2)",
        "^bouw",
        "{titel body}",
        "rowid",
        "bouw + sloop",
        "\\x00 \x00 %s %(x)s ?",
        "stems -- / /",
        "NEAR(a:b)",
    ],
)
def test_injection_strings_become_plain_words(text: str) -> None:
    node = parse(text).node
    assert node is not None
    for leaf in _leaves(node):
        words = leaf.words if isinstance(leaf, Phrase) else (leaf.text,)
        assert all(w.isalnum() for w in words), leaf


@pytest.mark.parametrize(
    "text", ['"; DROP TABLE search_fts', "titel: x", "stems:x", 'NEAR("a', "/* x */"]
)
def test_injection_strings_that_are_malformed_give_a_query_error(text: str) -> None:
    with pytest.raises(QueryError):
        parse(text)


def test_random_mixes_of_syntax_give_a_query_or_a_query_error() -> None:
    pieces = ['"', "-", "*", ":", "(", ")", "^", ".", "..", " ", "OR", "AND", "titel", "de", "x"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        try:
            node = parse(text).node
        except QueryError:
            continue
        for leaf in _leaves(node) if node is not None else ():
            assert all(w.isalnum() for w in getattr(leaf, "words", (getattr(leaf, "text", ""),)))


def _leaves(node: object) -> list[Word | Phrase]:
    if isinstance(node, (Word, Phrase)):
        return [node]
    if isinstance(node, Field):
        return [node.node]
    if isinstance(node, Not):
        return _leaves(node.node)
    assert isinstance(node, (AllOf, AnyOf))
    return [leaf for child in node.nodes for leaf in _leaves(child)]
