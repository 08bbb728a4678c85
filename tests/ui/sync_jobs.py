"""Jobs for the sync worker in tests/ui/test_sync_worker.py: module-level functions,
so they travel to the worker process pickled, as the window's own jobs do."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_


def dossier_count(ws: Any, central: Any) -> tuple[int, str]:
    """Something read on both sides: this workstation's dossiers, the central's dialect."""
    from recordsdesk.services import list_dossiers

    return len(list_dossiers(ws)), central.engine.dialect.name


def refuse(ws: Any, central: Any, name: str) -> None:
    raise UserError(N_("There is no scan profile named {name}."), {"name": name})


def wait_for(ws: Any, central: Any, flag: str) -> None:
    """Write ``flag`` (the test knows the worker is at work), then sleep until killed."""
    Path(flag).write_text("at work", encoding="utf-8")
    time.sleep(600)
