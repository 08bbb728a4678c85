"""Upgrading an existing store: data kept, a backup taken first (SQLite)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import _config, current_revision, head_revision
from recordsdesk.services import create_dossier, list_dossiers, open_workspace


def _make_store_at(url: str, revision: str) -> None:
    engine = make_engine(url)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_a_first_version_store_is_upgraded_after_a_backup_is_taken(
    home: Path,
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{home / 'local.sqlite'}"
    _make_store_at(url, "0001")
    engine = make_engine(url)
    assert current_revision(engine) == "0001"
    engine.dispose()

    # open_workspace upgrades it (this is what a user's first start of the new version does)
    ws = open_workspace(home)
    try:
        kenmerk = create_dossier(ws, "Na de upgrade").kenmerk
        assert current_revision(ws.engine) == head_revision()
        assert {"drop_folder", "inbox_item"} <= set(inspect(ws.engine).get_table_names())
        assert [row.kenmerk for row in list_dossiers(ws)] == [kenmerk]
    finally:
        ws.close()

    [backup] = sorted((home / "backups").iterdir())
    assert backup.name.endswith("-0001.sqlite")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
    assert "inbox_item" not in tables, "the backup must be the store as it was"


def test_data_station_and_counter_survive_an_upgrade(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{home / 'local.sqlite'}"
    _make_store_at(url, "0001")
    # the first version's own service code is the current one for these tables
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO store_setting (key, value) VALUES ('station_id', 'ABCDEF'),"
            " ('next_sequence', '5')"
        )
        connection.exec_driver_sql(
            "INSERT INTO informatieobject (id, kenmerk, identificatie_bron, aggregatieniveau,"
            " naam, waardering, archiefvormer, beperking_gebruik, status, created_at,"
            " created_by, updated_at, version) VALUES ('0b1c2d3e4f5061728394a5b6c7d8e9f0',"
            " 'D-ABCDEF-4X', 'RecordsDesk', 'Dossier', 'Van voor de upgrade', 'N',"
            " 'Gemeente Rotterdam', 'Nader te bepalen', 'open', '2026-01-02 03:04:05.000000',"
            " 'tester', '2026-01-02 03:04:05.000000', 1)"
        )
    engine.dispose()

    ws = open_workspace(home)
    try:
        assert ws.station == "ABCDEF"
        made = create_dossier(ws, "Dossier").kenmerk
        assert made.startswith("D-ABCDEF-5"), "the counter must carry on, never restart"
        titles = [row.title for row in list_dossiers(ws)]
        assert titles == ["Dossier", "Van voor de upgrade"]
    finally:
        ws.close()


def test_rebuilding_bestand_keeps_the_rows_that_point_at_it(home: Path, tmp_path: Path) -> None:
    """0005 rebuilds the bestand table on SQLite; inbox items and records point at it."""
    from sqlalchemy import select

    from recordsdesk.db.models import Bestand, InboxItem
    from recordsdesk.intake import runner
    from recordsdesk.intake.folders import add_drop_folder
    from recordsdesk.services import file_paths, verify
    from tests.core.samples import pdf_bytes, write

    url = f"sqlite:///{home / 'local.sqlite'}"
    # Data through today's services, then the schema taken back to 0004 with the
    # data in place, then opened as a user's first start of the new version would.
    ws = open_workspace(home)
    try:
        data = pdf_bytes("besluit")
        kenmerk = create_dossier(ws, "Voor de herbouw").kenmerk
        file_paths(ws, kenmerk, [write(tmp_path / "a.pdf", data)])
        drop = tmp_path / "scanner"
        drop.mkdir()
        write(drop / "kopie.pdf", data)
        add_drop_folder(ws, drop)
        runner.process_once(ws, quiet_period=0)
    finally:
        ws.close()
    engine = make_engine(url)
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        with connection.begin():
            config = _config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        raw.execute("PRAGMA foreign_keys=ON")
    assert current_revision(engine) == "0004"
    engine.dispose()

    ws = open_workspace(home)  # upgrades to head, rebuilding bestand
    try:
        assert current_revision(ws.engine) == head_revision()
        with ws.readers() as session:
            [item] = session.scalars(select(InboxItem)).all()
            bestand = session.get(Bestand, item.duplicate_of_bestand_id)
            assert item.state == "duplicate" and bestand is not None
            keys = session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert keys == 1, "foreign keys are enforced again after the migration"
        assert verify(ws).intact
    finally:
        ws.close()
