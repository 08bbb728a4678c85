"""Create or upgrade a database to the schema this version knows.

Contract:

* A database whose revision this version does not know (written by a newer
  RecordsDesk) is refused with :class:`StoreVersionError` before anything is
  written to it.
* Before an existing SQLite file is upgraded, a consistent copy goes into the
  backup folder (SQLite's online backup API, so WAL content is included).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from recordsdesk.errors import StoreVersionError
from recordsdesk.i18n import N_

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, backup_dir: Path | None = None) -> bool:
    """Bring ``engine``'s database to the head revision; True when it changed."""
    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return False
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise StoreVersionError(
            N_(
                "This database was made by a newer version of RecordsDesk "
                "(schema {revision}); it was left untouched. Update RecordsDesk."
            ),
            {"revision": current},
        )
    if current is not None and backup_dir is not None:
        _backup_sqlite(engine, backup_dir, current)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
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
