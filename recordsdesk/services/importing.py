"""Import of an MDTO package (``recordsdesk import mdto DIR``): all of it or nothing.

Contract of :func:`import_mdto`:

1. The package is read and checked completely first (:func:`recordsdesk.mdto.importer.scan`:
   paths, links, XML safety, schema, rules, content paired with its sidecar and
   hashed, hierarchy), and then checked against what this archive can hold
   (aggregatieniveau one of Archief/Serie/Dossier/Archiefstuk, an Archiefstuk
   part of another object, waardering B/V/N, the lengths of the columns
   derived from the metadata). If anything is wrong
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

What the rows hold:

* ``informatieobject.mdto``: the metadata as received (``stored.dumps``, nothing
  inherited: MDTO materialises every value), with our identificatie first. An
  object keeps its kenmerk when the package is our own (an identificatie with
  bron ``RecordsDesk``, a valid kenmerk of the object's kind that is free here
  and that this store cannot issue itself later); otherwise it gets a new
  kenmerk (``D`` for Archief, Serie and Dossier, ``S`` for an Archiefstuk) and
  keeps the package's identificatie(s) after ours. The flat columns are
  derived from it (``stored.derive_columns``). Hierarchy and representations
  come from the rows (``parent_id``, the bestand rows), as for every object.
* ``bestand``: content from the store; ``mdto`` the bestand as received, with
  our identificatie (the row id) first, so ``heeftRepresentatie`` and the
  bestand's own identificatie agree in a later export. A bestand keeps its id
  when its identificatie is ours (bron ``RecordsDesk``, a free UUID).
  ``created_at`` steps by a microsecond in ``heeftRepresentatie`` order, which
  is the order an export writes them in.
* ``event``: each received event verbatim in ``mdto`` (its ``eventTijd`` may be a
  year or a date). ``event_tijd`` is the time it names (local time when it has
  no offset, as MDTO files are written), stepped by a microsecond where needed
  so that the received order is the stored order.

With ``metadata_only`` a bestand sidecar whose file is not in the package is not
a problem: it is checked, listed in the report as skipped and not imported (a
bestand row promises content in the store, which we do not have), so the
informatieobject's ``heeftRepresentatie`` to it is not kept either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from recordsdesk import audit, kenmerk, names
from recordsdesk.changes import Changes
from recordsdesk.db.models import (
    AGGREGATIENIVEAUS,
    DEFAULT_BEPERKING,
    DEFAULT_BRON,
    WAARDERINGEN,
    Bestand,
    Event,
    Informatieobject,
    table_of,
)
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.identify import FormatInfo, identify_many
from recordsdesk.mdto import begrippen, importer, mapping, model, schema, stored
from recordsdesk.mdto.importer import PackageProblem, Plan, PlannedObject
from recordsdesk.services.dossiers import RECORD
from recordsdesk.services.events import record_event
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import StoredObject

LEVEL_MISSING = N_(
    "The informatieobject has no aggregatieniveau; RecordsDesk needs one of {allowed}."
)
LEVEL_UNKNOWN = N_("The aggregatieniveau {value} cannot be kept here; RecordsDesk keeps {allowed}.")
LOOSE_RECORD = N_(
    "An Archiefstuk must be part of an object in the package (isOnderdeelVan); "
    "RecordsDesk keeps no loose archiefstukken."
)
WAARDERING_UNKNOWN = N_("The waardering {value} is not one of B, V or N.")
TOO_LONG = N_("{element} is {length} characters long; RecordsDesk keeps at most {limit} here.")
CHANGED = N_("{file} changed during the import; nothing was imported. Try again.")
NOT_A_FOLDER = N_("{path} is not a folder.")

# derived column -> the element it comes from (for the problem's path)
_COLUMN_ELEMENTS = {
    "naam": "naam",
    "classificatie": "classificatie/begripLabel",
    "informatiecategorie": "informatiecategorie/begripLabel",
    "bewaartermijn": "bewaartermijn/termijnLooptijd",
    "archiefvormer": "archiefvormer/verwijzingNaam",
    "activiteit": "activiteit/verwijzingNaam",
    "beperking_gebruik": "beperkingGebruik/beperkingGebruikType/begripLabel",
}
_STEP = dt.timedelta(microseconds=1)
CHUNK = 500  # objects flushed and let go of at a time
_PARTIAL_DATE = re.compile(r"^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?(Z|[+-]\d{2}:\d{2})?$")


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
        level, fit = _fit(obj)
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


# -- does it fit this archive? -------------------------------------------------


def _fit(obj: PlannedObject) -> tuple[str, list[PackageProblem]]:
    """The object's aggregatieniveau as we spell it, and what keeps it from our rows."""
    problems: list[PackageProblem] = []
    root = "/MDTO/informatieobject"
    allowed = ", ".join(AGGREGATIENIVEAUS)

    def problem(msgid: str, params: dict[str, str], path: str) -> None:
        problems.append(PackageProblem(obj.source, schema.Problem(msgid, params, path=path)))

    level = ""
    if obj.meta.aggregatieniveau is None:
        problem(LEVEL_MISSING, {"allowed": allowed}, f"{root}/aggregatieniveau")
    else:
        label = obj.meta.aggregatieniveau.label.strip()
        level = next((a for a in AGGREGATIENIVEAUS if a.casefold() == label.casefold()), "")
        if not level:
            problem(LEVEL_UNKNOWN, {"value": label, "allowed": allowed}, f"{root}/aggregatieniveau")
    if level == RECORD and obj.parent is None:
        problem(LOOSE_RECORD, {}, f"{root}/isOnderdeelVan")
    if _waardering(obj.meta) is None:
        shown = obj.meta.waardering.code or obj.meta.waardering.label
        problem(WAARDERING_UNKNOWN, {"value": shown}, f"{root}/waardering")
    table = table_of(Informatieobject)
    for column, value in stored.derive_columns(obj.meta).items():
        limit = getattr(table.c[column].type, "length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            element = _COLUMN_ELEMENTS.get(column, column)
            params = {"element": element, "length": str(len(value)), "limit": str(limit)}
            problem(TOO_LONG, params, f"{root}/{element}")
    return level, problems


def _waardering(meta: model.Informatieobject) -> str | None:
    """B, V or N: the begripCode, else the code its label has in the MDTO list."""
    code = (meta.waardering.code or "").strip()
    if code in WAARDERINGEN:
        return code
    found = begrippen.get("waardering").by_label_ignoring_case(meta.waardering.label.strip())
    return found.code if found is not None and found.code in WAARDERINGEN else None


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
        kenmerken = _kenmerken(ws, session, plan, levels)
        bestand_ids = iter(_bestand_ids(session, plan))
        ids: list[str] = []
        imported: list[ImportedObject] = []
        content = iter(contents)
        files: list[str] = []
        size = 0
        moment = now
        for number, (obj, level, (given, kept)) in enumerate(
            zip(plan.objects, levels, kenmerken, strict=True), start=1
        ):
            meta = dataclasses.replace(obj.meta, identificatie=_ours_first(obj.meta, given))
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
            _apply_columns(row, meta)
            session.add(row)
            ids.append(row.id)
            for item in obj.bestanden:
                stored_object, info = next(content)
                bestand_id = next(bestand_ids)
                received = dataclasses.replace(
                    item.meta, identificatie=_ours_first_bestand(item.meta, bestand_id)
                )
                moment += _STEP
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
            for event, at in zip(obj.meta.event, _event_times(obj.meta.event, now), strict=True):
                session.add(_event_row(row, event, at))
            record_event(session, ws, row.id, "Import", now, f"MDTO {schema.VERSION}: {obj.source}")
            imported.append(ImportedObject(row.id, given, level, row.naam, obj.source, kept))
            if number % CHUNK == 0:
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


def _kind(level: str) -> str:
    return "S" if level == RECORD else "D"


def _kenmerken(
    ws: Workspace, session: Session, plan: Plan, levels: Sequence[str]
) -> list[tuple[str, bool]]:
    """(kenmerk, kept) per object: its own RecordsDesk kenmerk where it may keep it."""
    wanted = [
        _own_kenmerk(obj.meta, _kind(level))
        for obj, level in zip(plan.objects, levels, strict=True)
    ]
    candidates = [k for k in wanted if k is not None]
    taken = _existing(session, Informatieobject.kenmerk, candidates)
    next_sequence = int(ws.setting(session, "next_sequence", "1"))
    keep = [
        k is not None and k not in taken and not _ours_to_issue(k, ws.station, next_sequence)
        for k in wanted
    ]
    fresh: dict[str, list[str]] = {}
    for kind in ("D", "S"):
        count = sum(
            1 for level, kept in zip(levels, keep, strict=True) if not kept and _kind(level) == kind
        )
        fresh[kind] = ws.next_kenmerken(session, kind, count) if count else []
    result = []
    for own, kept, level in zip(wanted, keep, levels, strict=True):
        if kept and own is not None:
            result.append((own, True))
        else:
            result.append((fresh[_kind(level)].pop(0), False))
    return result


def _own_kenmerk(meta: model.Informatieobject, kind: str) -> str | None:
    for ident in meta.identificatie:
        valid = ident.bron == DEFAULT_BRON and kenmerk.is_valid(ident.kenmerk)
        if valid and ident.kenmerk.startswith(f"{kind}-"):
            return ident.kenmerk
    return None


def _ours_to_issue(value: str, station: str, next_sequence: int) -> bool:
    """True for a kenmerk this store will issue itself later (same station, sequence
    not yet reached): keeping it would make a later dossier or record collide."""
    _kind_part, value_station, rest = value.split("-")
    return value_station == station and kenmerk.decode(rest[:-1]) >= next_sequence


def _ours_first(meta: model.Informatieobject, given: str) -> tuple[model.Identificatie, ...]:
    """Our identificatie first, then the package's others (ours once)."""
    ours = model.Identificatie(given, DEFAULT_BRON)
    others = tuple(i for i in meta.identificatie if i != ours)
    return (ours, *others)


def _bestand_ids(session: Session, plan: Plan) -> list[str]:
    """The id of each bestand, in ``plan.bestanden`` order: its own RecordsDesk id
    where it has one that is free here, else a new one."""
    wanted = [
        next(
            (
                i.kenmerk
                for i in item.meta.identificatie
                if i.bron == mapping.OWN_SOURCE and _is_uuid(i.kenmerk)
            ),
            None,
        )
        for item in plan.bestanden
    ]
    taken = _existing(session, Bestand.id, [v for v in wanted if v is not None])
    result: list[str] = []
    for own in wanted:
        if own is not None and own not in taken:
            taken.add(own)  # once: a second bestand with the same id gets a new one
            result.append(own)
        else:
            result.append(str(uuid.uuid4()))
    return result


def _existing(
    session: Session, column: InstrumentedAttribute[str], values: Sequence[str]
) -> set[str]:
    """The ``values`` already in ``column``, asked a chunk at a time (SQLite and
    PostgreSQL cap the parameters of one statement)."""
    found: set[str] = set()
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _ours_first_bestand(meta: model.Bestand, given: str) -> tuple[model.Identificatie, ...]:
    ours = model.Identificatie(given, mapping.OWN_SOURCE)
    return (ours, *(i for i in meta.identificatie if i != ours))


def _apply_columns(row: Informatieobject, meta: model.Informatieobject) -> None:
    for column, value in stored.derive_columns(meta).items():
        if column == "aggregatieniveau":
            continue  # ours, normalised above
        setattr(row, column, value)
    row.waardering = _waardering(meta) or "N"  # checked before: never the fallback
    if row.beperking_gebruik is None:  # the XSD requires one; defensive
        row.beperking_gebruik = DEFAULT_BEPERKING


def _event_row(row: Informatieobject, event: model.Event, at: dt.datetime) -> Event:
    actor = event.verantwoordelijke_actor.naam if event.verantwoordelijke_actor else None
    return Event(
        id=str(uuid.uuid4()),
        informatieobject=row,
        event_type=event.type.label[:60],  # a summary: the event itself is in mdto
        event_tijd=at,
        verantwoordelijke_actor=actor[:200] if actor else None,
        resultaat=event.resultaat,
        mdto=json.dumps(model.to_json(event), ensure_ascii=False, separators=(",", ":")),
    )


def _event_times(events: Iterable[model.Event], now: dt.datetime) -> list[dt.datetime]:
    """The time of each event, strictly increasing in the order received (see the
    module contract); an event without a readable time takes its predecessor's."""
    parsed = [_moment(e.tijd) for e in events]
    known = [p for p in parsed if p is not None]
    previous: dt.datetime | None = None
    result = []
    for moment in parsed:
        if moment is None:
            moment = previous or (known[0] if known else now)
        if previous is not None and moment <= previous:
            moment = previous + _STEP
        result.append(moment)
        previous = moment
    return result


def _moment(value: str | None) -> dt.datetime | None:
    """An ``xs:dateTime``, ``xs:date``, ``gYearMonth`` or ``gYear`` as a UTC moment;
    without an offset it is local time (how MDTO files are written)."""
    if not value:
        return None
    text = value.strip()
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            found = _PARTIAL_DATE.match(text)
            if found is None:
                return None
            year, month, day, zone = found.groups()
            moment = dt.datetime(int(year), int(month or 1), int(day or 1))
            if zone:
                offset = dt.datetime.fromisoformat(
                    f"2000-01-01T00:00:00{zone.replace('Z', '+00:00')}"
                )
                moment = moment.replace(tzinfo=offset.tzinfo)
        if moment.tzinfo is None:
            moment = moment.astimezone()
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def report_lines(report: ImportReport) -> list[str]:
    """The report's problems as lines ``file: path: message`` (current language)."""
    return [
        ": ".join(part for part in (p.file, p.problem.path, p.problem.text()) if part)
        for p in report.problems
    ]


__all__ = ["ImportReport", "ImportedObject", "import_mdto", "report_lines"]
