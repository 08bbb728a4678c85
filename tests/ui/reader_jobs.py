"""Read jobs for tests/ui/test_reader.py: module-level, so they pickle, and without Qt,
so the reader process loads them quickly."""

from __future__ import annotations

import os
import time

from sqlalchemy import func, select

from recordsdesk.db.models import Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.services import Workspace


def where(ws: Workspace) -> tuple[int, str, int]:
    """Which process ran the job, on which data folder, and how many objects it sees."""
    with ws.readers() as session:
        count = session.scalar(select(func.count()).select_from(Informatieobject)) or 0
    return os.getpid(), str(ws.layout.root), int(count)


CLOSED = N_("{kenmerk} is closed; its metadata can no longer be changed here.")


def refuse(ws: Workspace) -> None:
    raise UserError(CLOSED, {"kenmerk": "D-1"})


def language(ws: Workspace) -> str:
    """A message in the language the job ran in."""
    return _(CLOSED).format(kenmerk="D-1")


def slow_unless_in(ws: Workspace, pid: int) -> int:
    """Waits long in any process but ``pid`` (the test's: where the window answers)."""
    if os.getpid() != pid:
        time.sleep(120)
    return os.getpid()


def crash(ws: Workspace) -> None:
    """A bug in a job."""
    raise RuntimeError("disk on fire")
