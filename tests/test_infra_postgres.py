"""Smoke tests for the test infrastructure itself (conftest fixtures + the cluster).

Under CI=true without the cluster of scripts/pg-test-cluster.sh these must fail,
not skip.
"""

import pytest
from sqlalchemy import create_engine, text


def _scalar(url: str, query: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(query)).scalar_one()
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_pg_url_is_a_fresh_database_with_dutch_text_search(pg_url: str) -> None:
    assert pg_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    assert _scalar(pg_url, "select 1") == 1
    # initdb -T dutch; every new database inherits it from the cluster config.
    assert _scalar(pg_url, "show default_text_search_config") == "pg_catalog.dutch"
    assert _scalar(pg_url, "select count(*) from pg_tables where schemaname = 'public'") == 0


def test_db_url_covers_sqlite_and_postgresql(db_url: str, request: pytest.FixtureRequest) -> None:
    backend = request.node.callspec.params["db_url"]
    prefix = {"sqlite": "sqlite:///", "postgresql": "postgresql+psycopg://"}[backend]
    assert db_url.startswith(prefix)
    # Only the PostgreSQL variant carries the marker, so `-m "not postgres"` works.
    assert (request.node.get_closest_marker("postgres") is not None) == (backend == "postgresql")
    assert _scalar(db_url, "select 1") == 1
