"""A reader worker that fails on purpose, for tests/ui/test_reader.py.

``RD_TEST_BREAK=open`` (or unset): the data folder cannot be opened (a UserError); then
the real worker (:mod:`recordsdesk.workers.reader`) runs, so the error crosses to the
window exactly as a real one does. ``RD_TEST_BREAK=crash``: it ends at once, before it
is ready, without a word (as a reader killed while it loads). ``RD_TEST_BREAK=hang``: it
never gets ready (nor reads its stdin).
"""

from __future__ import annotations

import os
import sys
import time
from typing import NoReturn

from recordsdesk import services
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.workers import reader


def refuse_to_open(*_args: object, **_kwargs: object) -> NoReturn:
    raise UserError(N_("The data folder is not open."))


if __name__ == "__main__":
    if os.environ.get("RD_TEST_BREAK") == "crash":
        os._exit(3)
    if os.environ.get("RD_TEST_BREAK") == "hang":
        time.sleep(600)
    services.open_workspace = refuse_to_open  # type: ignore[assignment]
    raise SystemExit(reader.main(sys.argv[1:]))
