"""Fixtures for the intake tests: a real workspace, a drop folder, a fake clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from recordsdesk.intake import runner
from recordsdesk.services import Workspace, open_workspace


class FakeClock:
    """The one thing faked: the monotonic clock of the stability tracker."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    """An empty folder outside the home, to be made a drop folder."""
    folder = tmp_path / "scanner"
    folder.mkdir()
    return folder


@pytest.fixture
def intake(ws: Workspace) -> Callable[[], list[str]]:
    """``process_once`` with the default 2 s quiet period on a fake clock (no sleeps)."""

    def run() -> list[str]:
        clock = FakeClock()
        return runner.process_once(ws, quiet_period=2.0, clock=clock, sleep=clock.sleep)

    return run
