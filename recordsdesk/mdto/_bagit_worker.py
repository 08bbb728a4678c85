"""BagIt work for :mod:`recordsdesk.mdto.sip`, run in a worker process only.

bagit-python ``chdir()``s into the bag while it works. That is harmless in a
process of its own and wrong in the GUI's (other threads resolve relative
paths), so these functions are only ever called through a spawned process
(:func:`recordsdesk.mdto.sip.make_bag`, :func:`recordsdesk.mdto.sip.validate_bag`).
This module imports nothing of ours, so the worker starts quickly.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import bagit  # type: ignore[import-untyped]

PAKBON = "pakbon.xml"
ALGORITHMS = ["sha256"]


def _quiet() -> None:
    # bagit logs every file it moves; the caller reports problems itself
    logger = logging.getLogger("bagit")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False


def make(folder: str, pakbon: str, info: dict[str, str]) -> None:
    """Make ``folder`` a bag (its content becomes ``data/``, sha256 manifests), then move
    the file ``pakbon`` in as the tag file :data:`PAKBON` and rewrite the tag manifest."""
    _quiet()
    bagit.make_bag(folder, bag_info=dict(info), processes=1, checksums=ALGORITHMS)
    os.replace(pakbon, Path(folder) / PAKBON)
    bagit.Bag(folder).save(processes=1, manifests=False)
    _sync_tags(folder)


def _sync_tags(folder: str) -> None:
    """The tag files bagit wrote, made durable (bagit does not fsync)."""
    for path in Path(folder).iterdir():
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def validate(folder: str) -> list[str]:
    """bagit's full validation of ``folder``: every problem as text (empty: valid)."""
    _quiet()
    try:
        bagit.Bag(folder).validate(processes=1)
    except bagit.BagValidationError as error:
        return [str(detail) for detail in error.details] or [str(error)]
    except bagit.BagError as error:
        return [str(error)]
    return []
