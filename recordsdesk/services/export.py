"""Export of a dossier (or a Serie or Archief with everything under it) as MDTO XML:
one file per object, every file checked.

Contract of :func:`export_mdto`:

* Writes ``OUT/<kenmerk>/``: ``<kenmerk>.mdto.xml`` for the dossier, one
  ``<kenmerk>.mdto.xml`` per record and ``<bestand id>.bestand.mdto.xml`` per
  stored file, values materialised on every level (MDTO has no inheritance at
  exchange time).
* Every file is checked against the official XSD, the rules beyond it
  (:mod:`recordsdesk.mdto.rules`) and the per-object rules of the receiving
  archive's profile (setting ``mdto.profile``, :mod:`recordsdesk.mdto.profiles`)
  as it is written. A profile's rules across a whole delivery (NHA: every
  chain starts at an Archief) are not applied: one dossier is not a delivery.
  If any file has a problem, nothing is left behind and the report lists
  *every* problem with its file and element path. Otherwise the folder appears
  complete or not at all: it is written under a temporary name, flushed to
  disk, and renamed into place.
  A failing write (a full disk) is a :class:`UserError`, with nothing left.
* Records are read a chunk at a time and written one after the other, so the
  memory needed does not grow with the size of the dossier.
* The export is recorded as an MDTO event ``Export`` on the dossier (so the
  next export carries it) and as one audit row, in one transaction.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import Row, Select, func, select, true
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.db.models import Bestand, Event, Informatieobject, table_of
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.mdto import mapping, profiles, rules, schema, xmlio
from recordsdesk.mdto.model import Bestand as MdtoBestand
from recordsdesk.mdto.model import Identificatie, Verwijzing
from recordsdesk.mdto.model import Informatieobject as MdtoInformatieobject
from recordsdesk.services import _export_worker
from recordsdesk.services.dossiers import find_by_kenmerk
from recordsdesk.services.organisation import archive_profile
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import durability

CHUNK = 500  # records read per session


@dataclass(frozen=True)
class ExportProblem:
    file: str
    problem: schema.Problem


@dataclass(frozen=True)
class ExportReport:
    """``folder`` is the written export (None when refused); ``objects`` the files written."""

    folder: Path | None
    objects: int
    problems: list[ExportProblem] = field(default_factory=list)


def export_mdto(ws: Workspace, typed_kenmerk: str, out: Path) -> ExportReport:
    """Write the dossier ``typed_kenmerk`` as MDTO XML under ``out``; see the module contract."""
    with ws.readers() as session:
        top = find_by_kenmerk(session, typed_kenmerk, _CONTAINERS)
        dossier_id, kenmerk = top.id, top.kenmerk
    target = out / kenmerk
    if target.exists():
        raise UserError(
            N_("{path} already exists; choose another folder or remove it first."),
            {"path": str(target)},
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        temp = out / f".{kenmerk}.partial-{uuid.uuid4().hex[:8]}"
        temp.mkdir()
    except OSError as exc:
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": exc.strerror or type(exc).__name__},
        ) from None
    profile = archive_profile(ws)
    try:
        split = _split_point(ws, dossier_id)
        if split is None:
            with Folder(temp) as folder:
                written, problems = write_objects(folder, _objects(ws, dossier_id), profile)
        else:
            # the records after ``split`` in a second process: the export is CPU-bound
            # Python, and a workstation has more than one core. spawn, never fork: the
            # GUI has threads (the intake's examiner and the SIP's bagit do the same).
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                second = pool.submit(
                    _export_worker.export_part,
                    ws.engine.url.render_as_string(hide_password=False),
                    dossier_id,
                    split,
                    str(temp),
                    profile.name,
                )
                with Folder(temp) as folder:
                    written, problems = write_objects(
                        folder, _objects(ws, dossier_id, until=split), profile
                    )
                    more, found = second.result()  # inside: the flush covers its files
                written += more
                problems += found
        if problems:
            shutil.rmtree(temp, ignore_errors=True)
            return ExportReport(None, written, problems)
        os.replace(temp, target)
        durability.flush(out, directories=[out])
    except OSError as exc:  # a full disk, a removed folder: the user's to fix
        shutil.rmtree(temp, ignore_errors=True)
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": exc.strerror or type(exc).__name__},
        ) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        # an MDTO event of its own: later exports of the dossier carry it
        session.add(
            Event(
                id=str(uuid.uuid4()),
                informatieobject_id=dossier_id,
                event_type="Export",
                event_tijd=now,
                verantwoordelijke_actor=ws.actor,
                resultaat=f"MDTO {schema.VERSION}: {written} bestanden",
            )
        )
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="mdto.exported",
            object_type="informatieobject",
            object_id=dossier_id,
            details={"folder": str(target), "objects": written},
        )
    return ExportReport(target, written)


def write_objects(
    folder: Folder, items: Iterator[Named | _Streamed], profile: profiles.Profile
) -> tuple[int, list[ExportProblem]]:
    """Write ``items`` into ``folder``, each checked as built: (files written, problems)."""
    problems: list[ExportProblem] = []
    written = 0
    for item in items:
        if isinstance(item, _Streamed):
            name, found = item.name, _write_streamed(folder, item)
            found += profile.check(item.obj)
        else:
            name, obj = item
            element = xmlio.to_element(obj)
            # checked as built (the tree, not the file read back: the bytes are
            # lxml's serialisation of exactly this tree)
            found = [
                *schema.validate_element(element),
                *rules.check(obj),
                *profile.check(obj),
            ]
            folder.write(name, xmlio.serialise(element))
        written += 1
        problems += [ExportProblem(name, p) for p in found]
    return written, problems


#: what starting the second process costs, in records exported meanwhile by the first (a
#: spawned Python with lxml, SQLAlchemy and the XSD loaded: about a second here)
STARTUP_RECORDS = 1200
#: the second process is started only when it gets at least this many records
SPLIT_AT = 250
#: set to 0 to export in one process whatever the size
WORKERS_VARIABLE = "RECORDSDESK_EXPORT_WORKERS"


def _split_point(ws: Workspace, top_id: str) -> str | None:
    """The kenmerk after which a second process exports the records, or None: a small
    dossier (starting a process would cost more than it saves), one that holds
    containers (a Serie: one process), one core, or the second process switched off.

    The first process takes more than half: it works while the second one starts, so
    both finish about together when the first has ``STARTUP_RECORDS`` more.
    """
    if os.environ.get(WORKERS_VARIABLE, "").strip() == "0" or (os.cpu_count() or 1) < 2:
        return None
    with ws.readers() as session:
        parts = select(_OBJECTS.c.kenmerk).where(_OBJECTS.c.parent_id == top_id)
        count = session.scalar(select(func.count()).select_from(parts.subquery())) or 0
        nested = session.scalar(
            select(func.count())
            .select_from(_OBJECTS)
            .where(_OBJECTS.c.parent_id == top_id, _OBJECTS.c.aggregatieniveau.in_(_CONTAINERS))
        )
        first = (count + STARTUP_RECORDS) // 2
        if count - first < SPLIT_AT or nested:
            return None
        middle: str | None = session.scalar(
            parts.order_by(_OBJECTS.c.kenmerk).offset(first - 1).limit(1)
        )
        return middle


class Folder:
    """Writes files into one folder, then makes them durable.

    ``write(name, data)`` creates or replaces a file. Leaving the block without an
    error flushes the files and the folder to disk (one ``syncfs`` on Linux), so
    a folder renamed into place afterwards is complete even after a power cut.

    Files are opened relative to the folder's descriptor where the platform
    allows it, so the kernel does not resolve the whole path again for each of
    thousands of files (half the cost of a small file's write here). A writer
    thread was tried (creating a file mostly waits for the kernel): contention
    for the GIL made the export 10-20% slower here, so the writes stay inline.
    """

    _FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.names: list[str] = []

    def __enter__(self) -> Folder:
        if os.open in os.supports_dir_fd:
            self.fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        return self

    def __exit__(self, kind: type[BaseException] | None, *_exc: object) -> None:
        try:
            if kind is None:
                durability.flush(
                    self.path,
                    files=[self.path / name for name in self.names],
                    directories=[self.path],
                )
        finally:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None

    def write(self, name: str, data: bytes) -> None:
        self.names.append(name)
        self._write(name, data)

    def open(self, name: str) -> BinaryIO:
        """A new file ``name`` to write into (the caller closes it)."""
        self.names.append(name)
        if self.fd is None:
            return (self.path / name).open("wb")
        return os.fdopen(os.open(name, self._FLAGS, 0o666, dir_fd=self.fd), "wb")

    def _write(self, name: str, data: bytes) -> None:
        if self.fd is None:
            (self.path / name).write_bytes(data)
            return
        fd = os.open(name, self._FLAGS, 0o666, dir_fd=self.fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


Named = tuple[str, MdtoInformatieobject | MdtoBestand]


@dataclass(frozen=True)
class _Streamed:
    """The dossier's own document: ``obj`` without its bevatOnderdeel, which
    ``children()`` yields one reference at a time (``count`` in all)."""

    name: str
    obj: MdtoInformatieobject
    count: int
    children: Callable[[], Iterator[Verwijzing]]


_OBJECTS = table_of(Informatieobject)
_BESTANDEN = table_of(Bestand)
_EVENTS = table_of(Event)
_STREAMED = "bevat_onderdeel"
_REFERENCE_PATH = "/MDTO/informatieobject/bevatOnderdeel"


def objects(ws: Workspace, dossier_id: str) -> Iterator[Named]:
    """(file name, MDTO object) of everything the export of ``dossier_id`` writes, in its
    order, each object complete: the dossier with all its references, so memory grows
    with the dossier here (the export itself streams them). For the SIP, which lays
    the same objects out differently, and for the benchmark's baseline."""
    for item in _objects(ws, dossier_id):
        if isinstance(item, _Streamed):
            children = tuple(item.children())
            yield item.name, dataclasses.replace(item.obj, bevat_onderdeel=children)
        else:
            yield item


def _write_streamed(folder: Folder, item: _Streamed) -> list[schema.Problem]:
    """Write the dossier's document with its references streamed, then check it:
    the schema while reading the file back (flat memory), the rules on the
    document without references and on each reference as it is written."""
    problems: list[schema.Problem] = []

    def checked() -> Iterator[Verwijzing]:
        for index, reference in enumerate(item.children(), start=1):
            where = _REFERENCE_PATH + (f"[{index}]" if item.count > 1 else "")
            problems.extend(rules.check_reference(reference, where))
            yield reference

    with folder.open(item.name) as out:
        xmlio.write_streamed(out, item.obj, _STREAMED, checked())
    problems += rules.check(item.obj)
    problems += schema.validate_own_file(folder.path / item.name)
    return problems


#: levels whose objects contain others: their documents list their parts (streamed)
_CONTAINERS = ("Archief", "Serie", "Dossier")


def _objects(
    ws: Workspace, top_id: str, *, until: str | None = None
) -> Iterator[Named | _Streamed]:
    """The exported object's document (streamed), its files, then every object under
    it with its files, depth first (a Serie's dossiers each followed by their records).

    Rows are read as plain columns (SQLAlchemy Core), not as ORM objects: the
    mapping reads only column values (its contract: pure functions over loaded
    rows, no relationships), and ORM objects made reading 10,000 objects about
    0.4 s slower (2.1 s instead of 1.7 s of CPU, mapping included). The parts of
    an object come a chunk at a time, in kenmerk order (keyset: nothing is held
    for the chunks still to come), with their files and events (one query each
    per chunk); a container's bevatOnderdeel needs only each part's name and
    kenmerk, streamed from one query while its document is written.
    """
    with ws.readers() as session:
        top = _as_object(session.execute(_select_objects([top_id])).one())
        parent = (
            _as_object(session.execute(_select_objects([top.parent_id])).one())
            if top.parent_id
            else None
        )
        files = _bestanden(session, [top_id]).get(top_id, [])
        events = _events(session, [top_id]).get(top_id, [])
        yield _container(ws, session, top, parent, files, events)
    for bestand in files:
        yield f"{bestand.id}.bestand.mdto.xml", mapping.bestand(bestand, top)
    yield from _parts(ws, top, until=until)


def part_objects(ws: Any, top_id: str, after: str) -> Iterator[Named | _Streamed]:
    """The objects under ``top_id`` after the kenmerk ``after`` (the second process's
    share of an export); ``ws`` needs only ``readers``."""
    with ws.readers() as session:
        top = _as_object(session.execute(_select_objects([top_id])).one())
    yield from _parts(ws, top, after=after)


def _container(
    ws: Workspace,
    session: Session,
    row: Informatieobject,
    parent: Informatieobject | None,
    files: Sequence[Bestand],
    events: Sequence[Event],
) -> _Streamed:
    """The streamed document of ``row``, whose parts are listed as they are read."""
    count = session.scalar(
        select(func.count()).select_from(_OBJECTS).where(_OBJECTS.c.parent_id == row.id)
    )

    def children() -> Iterator[Verwijzing]:
        query = (
            select(_OBJECTS.c.naam, _OBJECTS.c.kenmerk, _OBJECTS.c.identificatie_bron)
            .where(_OBJECTS.c.parent_id == row.id)
            .order_by(_OBJECTS.c.kenmerk)
            .execution_options(yield_per=CHUNK)  # a server-side cursor where there is one
        )
        with ws.readers() as reader:
            for part in reader.execute(query):
                yield Verwijzing(part.naam, Identificatie(part.kenmerk, part.identificatie_bron))

    obj = mapping.informatieobject(row, parent=parent, children=[], bestanden=files, events=events)
    return _Streamed(f"{row.kenmerk}.mdto.xml", obj, count or 0, children)


def _parts(
    ws: Any, container: Informatieobject, *, after: str = "", until: str | None = None
) -> Iterator[Named | _Streamed]:
    """Every object under ``container`` with its files, depth first; only those whose
    kenmerk comes after ``after`` and, with ``until``, not after ``until``."""
    while True:
        nested: list[tuple[Informatieobject, list[Bestand], _Streamed]] = []
        with ws.readers() as session:
            chunk = list(
                session.scalars(
                    select(_OBJECTS.c.id)
                    .where(
                        _OBJECTS.c.parent_id == container.id,
                        _OBJECTS.c.kenmerk > after,
                        _OBJECTS.c.kenmerk <= until if until is not None else true(),
                    )
                    .order_by(_OBJECTS.c.kenmerk)
                    .limit(CHUNK)
                )
            )
            if not chunk:
                return
            records = [_as_object(row) for row in session.execute(_select_objects(chunk))]
            files = _bestanden(session, chunk)
            events = _events(session, chunk)
            records.sort(key=lambda record: record.kenmerk)
            for record in records:
                if record.aggregatieniveau in _CONTAINERS:
                    found = files.get(record.id, [])
                    evented = events.get(record.id, [])
                    nested.append(
                        (record, found, _container(ws, session, record, container, found, evented))
                    )
        after = records[-1].kenmerk
        containers = {row.id: (found, streamed) for row, found, streamed in nested}
        for record in records:
            bestanden = files.get(record.id, [])
            if record.id in containers:
                found, streamed = containers[record.id]
                yield streamed
                for bestand in found:
                    yield f"{bestand.id}.bestand.mdto.xml", mapping.bestand(bestand, record)
                yield from _parts(ws, record)
                continue
            yield (
                f"{record.kenmerk}.mdto.xml",
                mapping.informatieobject(
                    record,
                    parent=container,
                    children=[],
                    bestanden=bestanden,
                    events=events.get(record.id, []),
                ),
            )
            for bestand in bestanden:
                yield f"{bestand.id}.bestand.mdto.xml", mapping.bestand(bestand, record)


def _select_objects(ids: Sequence[str]) -> Select[Any]:
    return select(_OBJECTS).where(_OBJECTS.c.id.in_(ids))


# A Core row has an attribute for every column, with the column's name and
# type processing (aware UTC datetimes, dates): all the mapping reads of a row.
def _as_object(row: Row[Any]) -> Informatieobject:
    return cast(Informatieobject, row)


def _as_bestand(row: Row[Any]) -> Bestand:
    return cast(Bestand, row)


def _as_event(row: Row[Any]) -> Event:
    return cast(Event, row)


def _bestanden(session: Session, ids: Sequence[str]) -> dict[str, list[Bestand]]:
    """The files of the objects ``ids`` by object id, in the relationship's order
    (``Informatieobject.bestanden``: by ``created_at``), one query."""
    found: dict[str, list[Bestand]] = {}
    query = (
        select(_BESTANDEN)
        .where(_BESTANDEN.c.informatieobject_id.in_(ids))
        .order_by(_BESTANDEN.c.created_at)
    )
    for row in session.execute(query):
        found.setdefault(row.informatieobject_id, []).append(_as_bestand(row))
    return found


def _events(session: Session, ids: Sequence[str]) -> dict[str, list[Event]]:
    """The events of the objects ``ids``, oldest first, by object id (one query)."""
    found: dict[str, list[Event]] = {}
    query = (
        select(_EVENTS)
        .where(_EVENTS.c.informatieobject_id.in_(ids))
        .order_by(_EVENTS.c.event_tijd, _EVENTS.c.id)
    )
    for row in session.execute(query):
        found.setdefault(row.informatieobject_id, []).append(_as_event(row))
    return found
