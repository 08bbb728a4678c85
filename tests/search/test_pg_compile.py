"""Compiled queries against real PostgreSQL full text with the rd_dutch configuration."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from recordsdesk.search.normalise import pg_words
from recordsdesk.search.pg_config import CONFIG, create_config
from recordsdesk.search.query import QueryError, parse
from recordsdesk.search.to_pg import TSVECTOR_COLUMNS, headline_query, where_clause
from tests.search.test_fts5_compile import DOCS

pytestmark = pytest.mark.postgres

FIELDS = ("titel", "dossier", "categorie", "afzender", "body")

metadata = MetaData()
search_document = Table(
    "search_document",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),
    *(Column(name, Text, nullable=False) for name in FIELDS),
    *(Column(column, TSVECTOR, nullable=False) for column in TSVECTOR_COLUMNS.values()),
    prefixes=["TEMPORARY"],
)
COLUMNS = {key: search_document.c[column] for key, column in TSVECTOR_COLUMNS.items()}


@pytest.fixture
def db(pg_url: str) -> Iterator[Connection]:
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        create_config(connection)
        create_config(connection)  # idempotent
        metadata.create_all(connection)
        for key, values in DOCS.items():
            row = dict(zip(FIELDS, values, strict=True))
            words = {f: func.to_tsvector(CONFIG, pg_words(row[f])) for f in FIELDS}
            vectors = {f"tsv_{f}": words[f] for f in FIELDS[:4]}
            everything: ColumnElement[Any] = words["titel"]
            for field in FIELDS[1:]:  # || keeps phrases from spanning two fields
                everything = everything.op("||")(words[field])
            connection.execute(
                search_document.insert().values(key=key, **row, **vectors, tsv_all=everything)
            )
        yield connection
    engine.dispose()


def test_a_database_owner_without_superuser_rights_creates_the_config(pg_url: str) -> None:
    role = f"rd_owner_{uuid.uuid4().hex[:12]}"
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        database = connection.scalar(text("SELECT current_database()"))
        connection.execute(text(f"CREATE ROLE {role} NOSUPERUSER"))
        connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO {role}'))
        try:
            connection.execute(text(f"SET ROLE {role}"))
            create_config(connection)
            create_config(connection)
            owner = connection.scalar(
                text("SELECT cfgowner::regrole::text FROM pg_ts_config WHERE cfgname = :n"),
                {"n": CONFIG},
            )
            assert owner == role
            same = (
                "SELECT to_tsvector(:c, 'Vergunningen café') = to_tsvector(:c, 'vergunning cafe')"
            )
            assert connection.scalar(text(same), {"c": CONFIG}) is True
        finally:
            connection.execute(text("RESET ROLE"))
            connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER'))
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
    engine.dispose()


def search(db: Connection, query: str) -> list[str]:
    """Keys of the matching documents, best ts_rank first."""
    node = parse(query).node
    assert node is not None
    tsquery = func.to_tsquery(CONFIG, headline_query(node) or "")
    rank = func.ts_rank(search_document.c.tsv_all, tsquery)
    rows = db.execute(
        select(search_document.c.key)
        .where(where_clause(node, COLUMNS))
        .order_by(rank.desc(), search_document.c.key)
    )
    return list(rows.scalars())


def found(db: Connection, query: str) -> set[str]:
    return set(search(db, query))


def test_the_configuration_folds_and_stems_dutch(db: Connection) -> None:
    def lexemes(words: str) -> str:
        return str(db.scalar(text("SELECT to_tsvector(:c, :t)::text"), {"c": CONFIG, "t": words}))

    assert lexemes("Café") == lexemes("cafe")
    assert lexemes("financiële") == lexemes("financiele")
    assert lexemes("vergunningen") == lexemes("vergunning")
    assert lexemes("niet") == "'niet':1"  # no stop words: "niet openbaar" keeps its meaning


def test_dutch_stemming(db: Connection) -> None:
    assert found(db, "verleende") == {"vergunning"}
    assert found(db, "schuren") == {"sloop"}
    # Also in categorie "Vergunningen en ontheffingen": tsv_all holds every field.
    assert found(db, "vergunningen") == {"vergunning", "sloop", "cafe"}


def test_diacritics(db: Connection) -> None:
    assert found(db, "cafe") == {"cafe"}
    assert found(db, "CAFÉ") == {"cafe"}
    assert found(db, "financiele") == {"financien"}
    assert found(db, '"financiele steun"') == {"financien"}


def test_phrases_keep_their_order(db: Connection) -> None:
    assert found(db, '"niet openbaar"') == {"cafe"}
    assert found(db, '"openbaar niet"') == {"financien"}
    assert found(db, '"de raad sprak"') == {"lang"}
    assert found(db, '"raad de sprak"') == set()
    assert found(db, "Z-2024-001") == {"vergunning"}


def test_exclusion(db: Connection) -> None:
    assert found(db, "verleend -sloop") == {"vergunning"}
    assert found(db, 'openbaar -"niet openbaar"') == {"financien"}
    assert found(db, "parkeren -titel:verslag -afzender:jansen") == {"plan"}


def test_or_binds_tighter_than_and(db: Connection) -> None:
    assert found(db, "cafe OR schuur") == {"cafe", "sloop"}
    assert found(db, "vergunning cafe OR schuur") == {"sloop", "cafe"}
    assert found(db, "aanbouw OR steun titel:verleend OR afzender:financien") == {
        "vergunning",
        "financien",
    }
    assert found(db, "niet titel:sloopmelding OR steun") == {"sloop", "financien"}


def test_prefix(db: Connection) -> None:
    # rd_dutch alone would stem the prefix "sloop" to "slop" and miss "sloopmelding".
    assert found(db, "sloop*") == {"sloop", "financien"}
    assert found(db, "vergunninge*") == {"vergunning", "sloop", "cafe"}
    assert found(db, "bestemm*") == {"plan"}
    assert found(db, "terras*") == {"cafe"}
    assert found(db, "Financ*") == {"financien"}
    assert found(db, "omgev*") == {"vergunning"}


def test_fields(db: Connection) -> None:
    assert found(db, "titel:vergunningen") == {"vergunning"}
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


def test_ranking_and_headline(db: Connection) -> None:
    assert search(db, "parkeren") == ["plan", "lang"]
    node = parse('parkeren "het bestemmingsplan" -groen').node
    assert node is not None
    assert headline_query(node) == "('parkeren') | ('het' <-> 'bestemmingsplan')"
    tsquery = func.to_tsquery(CONFIG, headline_query(node))
    headline = db.scalar(
        select(func.ts_headline(CONFIG, search_document.c.body, tsquery)).where(
            search_document.c.key == "plan"
        )
    )
    assert isinstance(headline, str)
    assert "<b>bestemmingsplan</b>" in headline and "<b>parkeren</b>" in headline
    only_excluded = parse("a -b").node
    assert only_excluded is not None and headline_query(only_excluded) == "('a')"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("'; DROP TABLE search_document; --", set()),
        ("x' OR '1'='1", set()),
        ("schuur) OR (1=1", {"sloop"}),
        ("NEAR(sloop schuur, 5)", set()),
        ("sloop & !schuur |", {"sloop"}),
        ("tsv_all:x", set()),
        ("sloop <-> schuur", {"sloop"}),
        ("'sloop':* \\' \\\\", {"sloop", "financien"}),
        ("rowid", set()),
        ("or and not near", set()),
    ],
)
def test_injection_is_plain_words(db: Connection, query: str, expected: set[str]) -> None:
    assert found(db, query) == expected
    assert db.scalar(select(func.count()).select_from(search_document)) == len(DOCS)


@pytest.mark.parametrize("query", ['"; DROP TABLE search_document', "x:*", "tsquery:x", "*"])
def test_injection_that_is_malformed_is_a_query_error(db: Connection, query: str) -> None:
    with pytest.raises(QueryError):
        search(db, query)


def test_every_parsable_mix_of_syntax_is_a_valid_condition(db: Connection) -> None:
    pieces = ['"', "-", "*", ":", "'", "!", "&", "|", " ", "OR", "titel", "sloop", "ve", "\\"]
    rng = random.Random(13)
    compiled = 0
    for _ in range(300):
        query = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
        try:
            node = parse(query).node
        except QueryError:
            continue
        if node is not None:
            db.execute(select(func.count()).where(where_clause(node, COLUMNS)))
            compiled += 1
    assert compiled > 30
