"""Schema and migrations: head on creation, models == migrations, refusals leave files alone."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from recordsdesk.db.migrate import HEAD, current_revision, head_revision
from recordsdesk.db.models import Base
from recordsdesk.errors import StoreVersionError, UserError
from recordsdesk.services import Workspace, create_dossier, open_workspace
from tests.core.samples import pdf_bytes


def _digest_folder(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_fresh_database_is_at_head(ws: Workspace) -> None:
    assert current_revision(ws.engine) == head_revision()
    tables = set(inspect(ws.engine).get_table_names())
    assert {"informatieobject", "bestand", "event", "audit_event", "store_setting"} <= tables


def test_models_and_migrations_agree(ws: Workspace) -> None:
    with ws.engine.connect() as connection:
        # the search index (migration 0015) is defined in its migration only: FTS5 and tsvector
        ours = lambda name, kind, _: not (kind == "table" and str(name).startswith("search_"))  # noqa: E731
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": ours}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_reopening_at_head_does_not_migrate_or_back_up(home: Path) -> None:
    first = open_workspace(home)
    create_dossier(first, "Dossier")
    first.close()
    second = open_workspace(home)
    second.close()
    assert list((home / "backups").iterdir()) == []


def test_the_head_known_without_alembic_is_alembics_head() -> None:
    assert head_revision() == HEAD, "a new migration: set migrate.HEAD to its revision"


def test_opening_a_store_at_head_loads_no_alembic(home: Path) -> None:
    open_workspace(home).close()  # made and migrated
    probe = (
        "import sys; from pathlib import Path; from recordsdesk.services import open_workspace;"
        f"open_workspace(Path({str(home)!r})).close();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def _stamp_newer(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()


def test_a_sqlite_database_from_a_newer_version_is_refused_and_left_byte_for_byte(
    home: Path,
) -> None:
    ws = open_workspace(home)
    kenmerk = create_dossier(ws, "Van de nieuwe versie").kenmerk
    ws.close()
    database = home / "local.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = _digest_folder(home)

    with pytest.raises(StoreVersionError) as caught:
        open_workspace(home)

    assert "9999" in caught.value.english()
    assert "newer version" in caught.value.english()
    assert _digest_folder(home) == before, "the refused database (or its folder) was changed"
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("9999",)
        ]
        assert connection.execute(
            "SELECT count(*) FROM informatieobject WHERE kenmerk = ?", (kenmerk,)
        ).fetchone() == (1,)
    finally:
        connection.close()


@pytest.mark.postgres
def test_a_postgresql_database_from_a_newer_version_is_refused_and_left_alone(
    home: Path, pg_url: str
) -> None:
    ws = open_workspace(home, db_url=pg_url)
    create_dossier(ws, "Van de nieuwe versie")
    ws.close()
    _stamp_newer(pg_url)
    engine = create_engine(pg_url)

    def snapshot() -> tuple[object, ...]:
        with engine.connect() as connection:
            return (
                connection.execute(text("SELECT version_num FROM alembic_version")).all(),
                connection.execute(text("SELECT * FROM informatieobject ORDER BY id")).all(),
                connection.execute(text("SELECT * FROM audit_event ORDER BY seq")).all(),
                connection.execute(text("SELECT * FROM store_setting ORDER BY key")).all(),
            )

    try:
        before = snapshot()
        with pytest.raises(StoreVersionError):
            open_workspace(home, db_url=pg_url)
        assert snapshot() == before
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "content",
    [
        b"Dit is geen database maar een notitie.\n" * 20,
        os.urandom(8192),
        pdf_bytes("verkeerd bestand"),
        b"SQLite format 3\x00" + os.urandom(4096),  # the right magic, garbage after it
    ],
    ids=["text", "random", "pdf", "corrupt-sqlite"],
)
def test_a_file_that_is_not_a_database_is_refused_cleanly_and_left_unchanged(
    home: Path, content: bytes
) -> None:
    database = home / "local.sqlite"
    database.write_bytes(content)

    with pytest.raises(UserError) as caught:
        open_workspace(home)

    assert not isinstance(caught.value, StoreVersionError)
    assert str(database) in caught.value.english()
    assert database.read_bytes() == content
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("local.sqlite")) == [
        "local.sqlite"
    ], "no -wal/-shm files may be created next to a refused file"


def test_another_applications_sqlite_database_is_refused_and_left_unchanged(
    home: Path,
) -> None:
    """A home pointed at a folder that already holds someone else's local.sqlite."""
    database = home / "local.sqlite"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Jansen', '010-1234567')")
    connection.commit()
    connection.close()
    before = database.read_bytes()

    with pytest.raises(UserError):
        open_workspace(home)

    assert database.read_bytes() == before
