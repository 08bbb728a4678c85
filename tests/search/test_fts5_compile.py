"""Compiled queries against a real SQLite FTS5 ``search_fts`` table with Dutch documents."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator

import pytest

from recordsdesk.search.normalise import stems
from recordsdesk.search.query import QueryError, parse
from recordsdesk.search.to_fts5 import COLUMNS, TABLE, create_table_sql, to_fts5

# key: (titel, dossier, categorie, afzender, body)
DOCS = {
    "vergunning": (
        "Vergunning verleend",
        "Z-2024-001 Bouw Hoofdstraat",
        "Besluiten",
        "Gemeente Rotterdam",
        "De omgevingsvergunning voor de bouw van een aanbouw is verleend.",
    ),
    "cafe": (
        "Terras café De Hoek",
        "Z-2024-002 Horeca",
        "Vergunningen en ontheffingen",
        "J. de Vries",
        "Het café vraagt een terrasvergunning aan. De stukken zijn niet openbaar.",
    ),
    "financien": (
        "Financiële verantwoording",
        "Z-2023-010 Subsidies",
        "Jaarverslagen",
        "Afdeling Financiën",
        "Financiële steun voor het buurthuis; openbaar, niet vertrouwelijk. Sloop later.",
    ),
    "sloop": (
        "Sloopmelding schuur",
        "Z-2024-003 Sloop",
        "Meldingen",
        "P. Jansen",
        "Melding van de sloop van een schuur; een vergunning is niet nodig.",
    ),
    "plan": (
        "Bestemmingsplan centrum",
        "Z-2022-100 Ruimtelijke ordening",
        "Raadsstukken",
        "Griffie",
        "Het bestemmingsplan staat parkeren toe. Parkeren, parkeren, parkeren: parkeren.",
    ),
    "lang": (
        "Verslag raadsvergadering",
        "Z-2022-101 Raad",
        "Vergaderstukken",
        "Griffie",
        "De raad sprak over veel onderwerpen, waaronder kort het parkeren. "
        + "Verder werd gesproken over groen, wegen, water en onderwijs. " * 20,
    ),
}


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.execute(create_table_sql())
    connection.execute("CREATE TABLE doc_key (rowid INTEGER PRIMARY KEY, key TEXT)")
    for key, (titel, dossier, categorie, afzender, body) in DOCS.items():
        cursor = connection.execute(
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
            (titel, dossier, categorie, afzender, body, stems(f"{titel} {body} {afzender}")),
        )
        connection.execute("INSERT INTO doc_key VALUES (?, ?)", (cursor.lastrowid, key))
    yield connection
    connection.close()


def search(db: sqlite3.Connection, text: str) -> list[str]:
    """Keys of the matching documents, best bm25 rank first."""
    node = parse(text).node
    assert node is not None
    rows = db.execute(
        f"SELECT k.key FROM {TABLE} f JOIN doc_key k ON k.rowid = f.rowid"
        f" WHERE {TABLE} MATCH ? ORDER BY bm25({TABLE}), k.key",
        (to_fts5(node),),
    )
    return [key for (key,) in rows]


def found(db: sqlite3.Connection, text: str) -> set[str]:
    return set(search(db, text))


def test_dutch_stemming(db: sqlite3.Connection) -> None:
    assert found(db, "vergunningen") == {"vergunning", "sloop"}
    assert found(db, "verleende") == {"vergunning"}
    assert found(db, "schuren") == {"sloop"}


def test_diacritics(db: sqlite3.Connection) -> None:
    assert found(db, "cafe") == {"cafe"}
    assert found(db, "CAFÉ") == {"cafe"}
    assert found(db, "financiele") == {"financien"}
    assert found(db, "financien") == {"financien"}
    assert found(db, '"financiele steun"') == {"financien"}


def test_phrases_keep_their_order(db: sqlite3.Connection) -> None:
    assert found(db, '"niet openbaar"') == {"cafe"}
    assert found(db, '"openbaar niet"') == {"financien"}
    assert found(db, '"de raad sprak"') == {"lang"}
    assert found(db, '"raad de sprak"') == set()
    assert found(db, "Z-2024-001") == {"vergunning"}  # split by punctuation: a phrase


def test_exclusion(db: sqlite3.Connection) -> None:
    assert found(db, "vergunning -sloop") == {"vergunning"}
    assert found(db, 'openbaar -"niet openbaar"') == {"financien"}
    assert found(db, "parkeren -titel:verslag -afzender:jansen") == {"plan"}


def test_or_binds_tighter_than_and(db: sqlite3.Connection) -> None:
    assert found(db, "cafe OR schuur") == {"cafe", "sloop"}
    assert found(db, "vergunning cafe OR schuur") == {"sloop"}
    assert found(db, "niet vergunning OR steun") == {"sloop", "financien"}


def test_prefix(db: sqlite3.Connection) -> None:
    assert found(db, "bestemm*") == {"plan"}
    assert found(db, "terras*") == {"cafe"}  # terras and terrasvergunning
    assert found(db, "Financ*") == {"financien"}
    assert found(db, "omgev*") == {"vergunning"}


def test_fields(db: sqlite3.Connection) -> None:
    assert found(db, "titel:vergunningen") == {"vergunning"}  # not "sloop", body only
    assert found(db, "titel:sloop*") == {"sloop"}
    assert found(db, "titel:sloop") == {"sloop"}  # stem "slop", title "Sloopmelding"
    assert found(db, "titel:verleende") == {"vergunning"}
    assert found(db, "dossier:horeca") == {"cafe"}
    assert found(db, "dossier:Z-2024-003") == {"sloop"}
    assert found(db, "categorie:vergunningen") == {"cafe"}
    assert found(db, 'categorie:"en ontheffingen"') == {"cafe"}
    assert found(db, "afzender:griffie") == {"plan", "lang"}
    assert found(db, 'afzender:"de vries"') == {"cafe"}
    assert found(db, "afzender:financien") == {"financien"}
    assert found(db, "gemeente") == {"vergunning"}  # afzender is in the stems too


def test_bm25_ranks_the_denser_document_first(db: sqlite3.Connection) -> None:
    assert search(db, "parkeren") == ["plan", "lang"]
    assert search(db, "parkeren OR groen") == ["lang", "plan"]  # groen: 20 times
    assert search(db, "parkeren OR raad") == ["plan", "lang"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'; DROP TABLE search_fts; --", set()),
        ("x' OR '1'='1", set()),
        ("schuur) OR (1=1", {"sloop"}),
        ("NEAR(sloop schuur, 5)", set()),
        ("^sloop", {"sloop", "financien"}),
        ("{titel body}", set()),
        ("stems", set()),
        ("sloop + schuur", {"sloop"}),
        ("rowid", set()),
        ("sloop -- /", {"sloop", "financien"}),
        ("or and not near", set()),
    ],
)
def test_injection_is_plain_words(db: sqlite3.Connection, text: str, expected: set[str]) -> None:
    assert found(db, text) == expected
    assert db.execute(f"SELECT count(*) FROM {TABLE}").fetchone() == (len(DOCS),)


@pytest.mark.parametrize("text", ['"; DROP TABLE search_fts', "stems:sloop", "col:x", "*"])
def test_injection_that_is_malformed_is_a_query_error(db: sqlite3.Connection, text: str) -> None:
    with pytest.raises(QueryError):
        search(db, text)


def test_every_parsable_mix_of_syntax_is_a_valid_match_expression(db: sqlite3.Connection) -> None:
    pieces = ['"', "-", "*", ":", "(", ")", "^", "+", " ", "OR", "NEAR", "titel", "sloop", "ve"]
    rng = random.Random(11)
    compiled = 0
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
        try:
            node = parse(text).node
        except QueryError:
            continue
        if node is not None:
            db.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?", (to_fts5(node),))
            compiled += 1
    assert compiled > 200  # the mix did exercise the compiler, not only the errors


def test_any_unicode_is_a_query_or_a_query_error_and_compiles(db: sqlite3.Connection) -> None:
    rng = random.Random(17)
    # NUL, lone surrogates (argv with undecodable bytes), combining marks, RTL and
    # zero-width marks, ligatures, CJK, emoji, and plain Latin.
    ranges = [(0, 0x7F), (0xC0, 0x24F), (0x300, 0x36F), (0x200B, 0x202E), (0xD800, 0xDFFF)]
    ranges += [(0xFB00, 0xFB06), (0x4E00, 0x4E20), (0x1F600, 0x1F610)]
    compiled = 0
    for _ in range(1500):
        text = "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randrange(1, 30)))
        try:
            node = parse(text).node
        except QueryError:
            continue
        if node is not None:
            db.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?", (to_fts5(node),))
            compiled += 1
    assert compiled > 300
