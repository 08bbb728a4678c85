"""Import of an MDTO package (``recordsdesk import mdto DIR``): all of it or nothing.

Contract of :func:`import_mdto`:

1. The package is read and checked completely first (:func:`recordsdesk.mdto.importer.scan`:
   paths, links, XML safety, schema, rules, content paired with its sidecar and
   hashed, hierarchy), and then checked against what this archive can hold
   (aggregatieniveau one of Archief/Serie/Dossier/Archiefstuk, an Archiefstuk
   part of another object, waardering B/V/N, the lengths of the columns
   derived from the metadata; :func:`recordsdesk.services.import_rows.fit`).
   If anything is wrong
   the report lists *every* problem, each with its file and element path, and
   nothing is written: not the database, not the object store (not even its
   temp area).
2. Only then is the content put into the object store as one durable batch
   (``store/batch.py``). Each file is hashed again while it is copied; a file
   that changed since it was checked refuses the whole import. A failure here
   leaves the database untouched.
3. Then one transaction writes everything: the informatieobjecten (parent
   first), their bestanden, their events as received and one MDTO ``Import``
   event per object, and one audit row. A failure rolls all of it back; content
   already stored is then unreferenced (``verify`` lists it), as with filing.

What the rows hold (kenmerken kept or new, identificaties, columns, bestand
ids, event times) is stated in :mod:`recordsdesk.services.import_rows`, which
makes them.

With ``metadata_only`` a bestand sidecar whose file is not in the package is not
a problem: it is checked, listed in the report as skipped and not imported (a
bestand row promises content in the store, which we do not have), so the
informatieobject's ``heeftRepresentatie`` to it is not kept either.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from recordsdesk import audit, names
from recordsdesk.changes import Changes
from recordsdesk.db.models import DEFAULT_BRON, Bestand, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.identify import FormatInfo, identify_many
from recordsdesk.mdto import importer, schema, stored
from recordsdesk.mdto.importer import Plan
from recordsdesk.mdto.package_walk import PackageProblem
from recordsdesk.services import import_rows
from recordsdesk.services.dossiers import RECORD
from recordsdesk.services.events import record_event
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import StoredObject

CHANGED = N_("{file} changed during the import; nothing was imported. Try again.")
NOT_A_FOLDER = N_("{path} is not a folder.")


@dataclass(frozen=True)
class ImportedObject:
    id: str
    kenmerk: str
    aggregatieniveau: str
    naam: str
    source: str  # its metadata file, relative to the package
    kept_kenmerk: bool  # True: the package's own RecordsDesk kenmerk


@dataclass(frozen=True)
class ImportReport:
    """What was imported, or (``problems`` not empty) why nothing was."""

    folder: Path
    objects: tuple[ImportedObject, ...] = ()
    bestanden: int = 0
    size: int = 0  # bytes of content in the package's bestanden
    skipped: tuple[str, ...] = ()  # bestand sidecars without content (metadata only)
    problems: tuple[PackageProblem, ...] = ()
    changes: Changes = field(default_factory=Changes)

    @property
    def imported(self) -> bool:
        return not self.problems


def import_mdto(ws: Workspace, folder: Path, *, metadata_only: bool = False) -> ImportReport:
    """Import the MDTO package in ``folder``; see the module contract."""
    if not folder.is_dir():
        raise UserError(NOT_A_FOLDER, {"path": str(folder)})
    found = importer.scan(folder, metadata_only=metadata_only)
    if found.plan is None:
        return ImportReport(folder, problems=found.problems)
    plan = found.plan
    levels: list[str] = []
    problems: list[PackageProblem] = []
    for obj in plan.objects:
        level, fit = import_rows.fit(obj)
        levels.append(level)
        problems += fit
    if problems:
        return ImportReport(folder, problems=tuple(problems))
    with ws.objects.batch() as batch:
        planned = list(plan.bestanden)
        for item in planned:
            staged = batch.stage(item.content)
            if (staged.sha256, staged.size) != (item.sha256, item.size):
                raise UserError(CHANGED, {"file": item.sidecar})
        objects = batch.commit()
        # one siegfried run for all of them (cheaper per file than one call each)
        formats = identify_many(
            [
                (obj.path, item.meta.naam, batch.scratch_path)
                for obj, item in zip(objects, planned, strict=True)
            ]
        )
    return _record(ws, plan, levels, list(zip(objects, formats, strict=True)))


# -- writing -------------------------------------------------------------------


def _record(
    ws: Workspace,
    plan: Plan,
    levels: Sequence[str],
    contents: Sequence[tuple[StoredObject, FormatInfo]],
) -> ImportReport:
    """Write every row in one transaction. Rows are flushed and let go of a chunk at a
    time, so the session does not hold the whole package (the plan already does)."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        kenmerken = import_rows.kenmerken(ws, session, plan, levels)
        bestand_ids = iter(import_rows.bestand_ids(session, plan))
        ids: list[str] = []
        imported: list[ImportedObject] = []
        content = iter(contents)
        files: list[str] = []
        size = 0
        moment = now
        for number, (obj, level, (given, kept)) in enumerate(
            zip(plan.objects, levels, kenmerken, strict=True), start=1
        ):
            meta = dataclasses.replace(
                obj.meta, identificatie=import_rows.ours_first(obj.meta, given)
            )
            row = Informatieobject(
                id=str(uuid.uuid4()),
                kenmerk=given,
                identificatie_bron=DEFAULT_BRON,
                aggregatieniveau=level,
                # parent first: its row is added (or flushed) before this one
                parent_id=ids[obj.parent] if obj.parent is not None else None,
                status="open",
                created_at=now,
                created_by=ws.actor,
                updated_at=now,
                mdto=stored.dumps(meta, ()),
            )
            import_rows.apply_columns(row, meta)
            session.add(row)
            ids.append(row.id)
            for item in obj.bestanden:
                stored_object, info = next(content)
                bestand_id = next(bestand_ids)
                received = dataclasses.replace(
                    item.meta, identificatie=import_rows.ours_first_bestand(item.meta, bestand_id)
                )
                moment += import_rows.STEP
                session.add(
                    Bestand(
                        id=bestand_id,
                        informatieobject=row,
                        sha256=stored_object.sha256,
                        size=stored_object.size,
                        mime=info.mime,
                        puid=info.puid,
                        original_name=names.display_name(item.meta.naam),
                        safe_name=names.safe_name(item.meta.naam),
                        role="original",
                        created_at=moment,
                        mdto=stored.dumps_bestand(received),
                    )
                )
                files.append(bestand_id)
                size += stored_object.size
            for event, at in zip(
                obj.meta.event, import_rows.event_times(obj.meta.event, now), strict=True
            ):
                session.add(import_rows.event_row(row, event, at))
            record_event(session, ws, row.id, "Import", now, f"MDTO {schema.VERSION}: {obj.source}")
            imported.append(ImportedObject(row.id, given, level, row.naam, obj.source, kept))
            if number % import_rows.CHUNK == 0:
                session.flush()
                session.expunge_all()
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="mdto.imported",
            object_type="informatieobject",
            object_id=ids[0],
            details={
                "folder": str(plan.folder),
                "objects": len(ids),
                "bestanden": len(files),
                "top": [
                    i.kenmerk
                    for i, o in zip(imported, plan.objects, strict=True)
                    if o.parent is None
                ],
                "skipped": list(plan.skipped),
            },
        )
        session.flush()
    changes = Changes(
        dossiers=frozenset(i.id for i in imported if i.aggregatieniveau != RECORD),
        records=frozenset(i.id for i in imported if i.aggregatieniveau == RECORD),
        files=frozenset(files),
        audit=True,
    )
    return ImportReport(plan.folder, tuple(imported), len(files), size, plan.skipped, (), changes)


def report_lines(report: ImportReport) -> list[str]:
    """The report's problems as lines ``file: path: message`` (current language)."""
    return [
        ": ".join(part for part in (p.file, p.problem.path, p.problem.text()) if part)
        for p in report.problems
    ]


__all__ = ["ImportReport", "ImportedObject", "import_mdto", "report_lines"]
