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
