"""The second process of a large export (see :mod:`recordsdesk.services.export`).

:func:`export_part` runs in a spawned process: it opens the database read-only
with its own engine, writes the records after a kenmerk into the export's temp
folder exactly as the first process writes the others, flushes them to disk,
and returns how many files it wrote and every problem it found. It never
renames, deletes or records anything: the first process decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from recordsdesk.db.engine import make_engine, read_only_factory
from recordsdesk.mdto import profiles

if TYPE_CHECKING:
    from recordsdesk.services.export import ExportProblem


@dataclass
class _Readers:
    """What the export's readers need of a workspace: read-only sessions."""

    readers: sessionmaker[Session]


def export_part(
    url: str, top_id: str, after: str, folder: str, profile_name: str
) -> tuple[int, list[ExportProblem]]:
    """Write the objects under ``top_id`` after kenmerk ``after`` into ``folder``."""
    from recordsdesk.services import export  # import cycle: export starts this process

    engine = make_engine(url)
    try:
        readers = _Readers(read_only_factory(engine))
        with export.Folder(Path(folder)) as target:
            return export.write_objects(
                target, export.part_objects(readers, top_id, after), profiles.get(profile_name)
            )
    finally:
        engine.dispose()
