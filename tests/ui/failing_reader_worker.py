"""A reader worker that cannot open the data folder, for tests/ui/test_reader.py: then
the real worker (:mod:`recordsdesk.workers.reader`) runs, so the error crosses to the
window exactly as a real one does."""

from __future__ import annotations

import sys
from typing import NoReturn

from recordsdesk import services
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.workers import reader


def refuse_to_open(*_args: object, **_kwargs: object) -> NoReturn:
    raise UserError(N_("The data folder is not open."))


if __name__ == "__main__":
    services.open_workspace = refuse_to_open  # type: ignore[assignment]
    raise SystemExit(reader.main(sys.argv[1:]))
