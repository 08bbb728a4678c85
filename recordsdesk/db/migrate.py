"""Create or upgrade a database to the schema this version knows.

Contract:

* A database whose revision this version does not know (written by a newer
  RecordsDesk) is refused with :class:`StoreVersionError` before anything is
  written to it.
* Before an existing SQLite file is upgraded, a consistent copy goes into the
  backup folder (SQLite's online backup API, so WAL content is included).
* A database already at :data:`HEAD` is recognised by one query, without
  loading alembic and the migration scripts (a third of a second that every
  command and every window start would otherwise pay); alembic is imported only
  when there is something to do or to report.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from recordsdesk.errors import StoreVersionError, UserError
from recordsdesk.i18n import N_

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest revision in ``migrations/versions``; tests/core/test_migrations.py checks
#: that alembic finds the same head, so a new migration cannot be forgotten here.
HEAD = "0021"


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def _at_head(engine: Engine) -> bool:
    """Whether the database's one alembic revision is :data:`HEAD` (one query; a
    database without the table, or with any other content in it, is not)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no such table: new, or not ours
        return False
    return [tuple(row) for row in rows] == [(HEAD,)]


def _newer_version(revision: str) -> StoreVersionError:
    return StoreVersionError(
        N_(
            "This database was made by a newer version of RecordsDesk "
            "(schema {revision}); it was left untouched. Update RecordsDesk."
        ),
        {"revision": revision},
    )


def _not_ours(where: str) -> UserError:
    return UserError(
        N_(
            "The database {path} is damaged or is not a RecordsDesk database; "
            "it was left untouched."
        ),
        {"path": where},
    )


def check_sqlite_file(path: Path) -> None:
    """Refuse, without writing a byte, a file we must not open for writing.

    Opening for writing is not harmless: switching to WAL rewrites the header.
    So before that, the file is read (read-only) and refused when it is not
    SQLite, holds another application's tables, or has a schema from a newer
    RecordsDesk. A missing or empty file is fine (a new store).
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise _not_ours(str(path))
    # Without a WAL file, "immutable" reads without creating -wal/-shm files; with
    # one, its content must be seen (and the side files exist already).
    has_wal = path.with_name(path.name + "-wal").exists()
    options = "mode=ro" if has_wal else "mode=ro&immutable=1"
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if tables and "alembic_version" not in tables:
            raise _not_ours(str(path))
        if tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if row and row[0] != HEAD and row[0] not in known_revisions():
                raise _newer_version(row[0])
    except sqlite3.DatabaseError:
        raise _not_ours(str(path)) from None
    finally:
        connection.close()


def upgrade(engine: Engine, backup_dir: Path | None = None) -> bool:
    """Bring ``engine``'s database to the head revision; True when it changed."""
    if _at_head(engine):
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise _newer_version(current)
    if current is None and inspect(engine).get_table_names():
        raise _not_ours(engine.url.render_as_string(hide_password=True))
    if current is not None and backup_dir is not None:
        _backup_sqlite(engine, backup_dir, current)
    config = _config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        if sqlite:
            # SQLite's way to rebuild a table others point at (sqlite.org/lang_altertable,
            # "other kinds of table schema changes"): keys off outside the transaction,
            # migrate, check every key, commit. A broken key rolls everything back.
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
    return True


def _backup_sqlite(engine: Engine, backup_dir: Path, revision: str) -> None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        return
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{Path(database).stem}-{stamp}-{revision}.sqlite"
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
