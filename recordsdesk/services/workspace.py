"""A workspace: one working store (database + object store) opened for use.

:func:`open_workspace` is the composition root shared by the CLI and the UI:
it creates the home layout, refuses databases from newer versions, migrates
(with a backup), makes sure the store has a station id, and clears temp
files left by a crash.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from recordsdesk import kenmerk
from recordsdesk.db.engine import make_engine, read_only_factory, session_factory
from recordsdesk.db.migrate import check_sqlite_file, upgrade
from recordsdesk.db.models import StoreSetting
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.paths import HomeLayout, default_home
from recordsdesk.store import ObjectStore


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_actor() -> str:
    """Who acts: ``RECORDSDESK_USER`` when set (the embedded single-seat store has no
    login; tests act as different people this way), else user@host."""
    chosen = " ".join(os.environ.get("RECORDSDESK_USER", "").split())
    if chosen:
        return chosen[:200]
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or passwd
        user = "onbekend"
    return f"{user}@{socket.gethostname()}"


@dataclass
class Workspace:
    layout: HomeLayout
    engine: Engine
    sessions: sessionmaker[Session]  # units of work that write
    readers: sessionmaker[Session]  # reads: never wait for a writer (SQLite WAL)
    objects: ObjectStore
    station: str
    actor: str = field(default_factory=default_actor)
    clock: Callable[[], dt.datetime] = utc_now

    def setting(self, session: Session, key: str, default: str) -> str:
        value = session.scalar(select(StoreSetting.value).where(StoreSetting.key == key))
        return default if value is None else value

    def put_setting(self, session: Session, key: str, value: str) -> None:
        """Store a per-store fact inside the caller's transaction (no audit row: for
        bookkeeping such as sync cursors, not for the organisation's settings)."""
        setting = session.get(StoreSetting, key)
        if setting is None:
            session.add(StoreSetting(key=key, value=value))
        else:
            setting.value = value
        session.flush()

    def next_kenmerk(self, session: Session, kind: str) -> str:
        """Issue the next kenmerk inside the caller's transaction (row locked)."""
        return self.next_kenmerken(session, kind, 1)[0]

    def next_kenmerken(self, session: Session, kind: str, count: int) -> list[str]:
        """Issue ``count`` consecutive kenmerken inside the caller's transaction."""
        row = session.execute(
            select(StoreSetting).where(StoreSetting.key == "next_sequence").with_for_update()
        ).scalar_one()
        first = int(row.value)
        row.value = str(first + count)
        return [kenmerk.make(kind, self.station, n) for n in range(first, first + count)]

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(
    home: Path | None = None, db_url: str | None = None, engine: Engine | None = None
) -> Workspace:
    """Open (creating or upgrading as needed) the working store in ``home``.

    Args:
        home: the home folder; defaults to ``RECORDSDESK_HOME`` or the user data dir.
        db_url: database URL instead of ``home/local.sqlite`` (tests run the
            same store on PostgreSQL this way).
        engine: an engine instead (the central archive, whose login the caller
            made; records managers work in it directly). Disposed on close.

    Raises:
        StoreVersionError: the database is from a newer RecordsDesk.
    """
    layout = HomeLayout(home if home is not None else default_home())
    try:
        layout.create()
    except OSError as exc:
        raise UserError(
            N_("Cannot use the data folder {path}: {reason}"),
            {"path": str(layout.root), "reason": exc.strerror or str(exc)},
        ) from None
    if db_url is None and engine is None:
        check_sqlite_file(layout.local_db)
    if engine is None:
        engine = make_engine(db_url or layout.local_url)
    try:
        upgrade(engine, layout.backups)
        sessions = session_factory(engine)
        station = _ensure_station(sessions)
    except DatabaseError as exc:
        engine.dispose()
        if engine.dialect.name != "sqlite":
            raise
        raise UserError(
            N_(
                "The database {path} is damaged or is not a RecordsDesk database; "
                "it was left untouched."
            ),
            {"path": str(layout.local_db)},
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    objects = ObjectStore(layout.objects)
    objects.cleanup_temp()
    return Workspace(layout, engine, sessions, read_only_factory(engine), objects, station)


def _ensure_station(sessions: sessionmaker[Session]) -> str:
    with sessions() as session, session.begin():
        station = session.get(StoreSetting, "station_id")
        if station is None:
            station = StoreSetting(key="station_id", value=kenmerk.new_station_id())
            session.add(station)
            session.add(StoreSetting(key="next_sequence", value="1"))
        return station.value
