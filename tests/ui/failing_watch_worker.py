"""A drop-folder worker that fails on purpose, for tests/ui/test_watcher.py.

``RD_TEST_BREAK=open``: the data folder cannot be opened (a UserError);
``RD_TEST_BREAK=watch``: watching fails unexpectedly (a RuntimeError). Then the
real worker (:mod:`recordsdesk.workers.watch`) runs, so the error crosses to the
window exactly as a real one does.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from recordsdesk import services
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.intake import runner
from recordsdesk.workers import watch


def refuse_to_open(*_args: object, **_kwargs: object) -> NoReturn:
    raise UserError(N_("The data folder is not open."))


def break_watch(*_args: object, **_kwargs: object) -> NoReturn:
    raise RuntimeError("disk on fire")


if __name__ == "__main__":
    if os.environ.get("RD_TEST_BREAK") == "open":
        services.open_workspace = refuse_to_open  # type: ignore[assignment]
    else:
        runner.watch = break_watch  # type: ignore[assignment]
    raise SystemExit(watch.main(sys.argv[1:]))
