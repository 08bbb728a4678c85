"""Fixtures for the core tests: a real workspace on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk.services import Workspace, create_dossier, open_workspace
from recordsdesk.store import ObjectStore


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    """A workspace in ``home`` whose database is ``db_url`` (runs on both backends)."""
    workspace = open_workspace(home, db_url=db_url)
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def dossier(ws: Workspace) -> str:
    """Kenmerk of a fresh open dossier in ``ws``."""
    return create_dossier(ws, "Omgevingsvergunning Coolsingel 40").kenmerk


@pytest.fixture
def store(tmp_path: Path) -> ObjectStore:
    return ObjectStore(tmp_path / "objects")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """A folder for source files, outside the home."""
    folder = tmp_path / "src"
    folder.mkdir()
    return folder
