"""Fixtures for sync: a central archive (SQLite file or PostgreSQL) and workstations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.central_content import open_central_workspace
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import upgrade
from recordsdesk.services import Workspace, open_workspace


@pytest.fixture
def central(db_url: str) -> Iterator[Central]:
    """An initialised central archive on each backend (content in its database)."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield Central.open(engine)
    engine.dispose()


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Callable[[str], Workspace]]:
    """Opens workstations by name (each its own home, SQLite working store)."""
    opened: list[Workspace] = []

    def make(name: str) -> Workspace:
        ws = open_workspace(tmp_path / name)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def elsewhere(db_url: str, tmp_path: Path) -> Iterator[Workspace]:
    """Workstation "b" working in the central archive (its own home, no documents)."""
    ws = open_central_workspace(tmp_path / "b", make_engine(db_url))
    try:
        yield ws
    finally:
        ws.close()
