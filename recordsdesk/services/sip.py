"""Export of dossiers as an e-Depot transfer package (SIP), verified before it appears.

Contract of :func:`export_sip`:

* Writes one package ``OUT/sip-<kenmerk>`` (``sip-<kenmerk>-<n>-dossiers`` for
  several dossiers), laid out as :mod:`recordsdesk.mdto.sip` describes: a
  folder per aggregation level, each with its informatieobject sidecar, each
  stored file beside its ``.bestand.mdto.xml``, a pakbon, and BagIt sha256
  manifests. The objects are those of ``export mdto`` (the same iterator,
  values materialised on every level); names are made safe, the original name
  stays in ``naam``.
* Content is copied from the object store in chunks (never read whole) while
  it is hashed; a stored object that is missing or no longer matches its
  checksum refuses the package. Over the central archive (the store has a
  source), the dossiers' content that is not here is fetched first, all of it
  at once; what the central archive cannot provide refuses the package, named
  per file.
* Everything is checked as it is written (XSD and rules, checksum and omvang
  against the bytes copied), bagged in a worker process, then verified from
  disk (:func:`recordsdesk.mdto.sip_verify.verify`: re-read, re-hash, re-validate,
  and bagit's own validation). Only then is it made durable and renamed into
  place: the package appears complete or not at all. With any problem nothing
  is left, and the report lists *every* problem with its file; a failing write
  (a full disk) is a ``UserError``, also with nothing left.
* Each exported dossier gets an MDTO event ``Export`` and an audit row, in one
  transaction, after the package is in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, Select, func, or_, select

from recordsdesk import __version__, audit
from recordsdesk.db.models import Bestand, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.mdto import mapping, rules, schema, sip, sip_layout, sip_verify, xmlio
from recordsdesk.mdto.model import Bestand as MdtoBestand
from recordsdesk.mdto.model import Informatieobject as MdtoInformatieobject
from recordsdesk.mdto.pakbon import Delivery, Pakbon, Totals
from recordsdesk.mdto.schema import Problem
from recordsdesk.services.dossiers import DOSSIER, find_by_kenmerk
from recordsdesk.services.export import ExportProblem, objects
from recordsdesk.services.organisation import archive_profile
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import durability
from recordsdesk.tasks import CancelToken, Progress, no_progress

STORED_MISSING = N_("The stored content of {name} is missing (sha256 {sha256}).")
STORED_DAMAGED = N_(
    "The stored content of {name} is damaged: it no longer matches its checksum {sha256}."
)


@dataclass(frozen=True)
class SipReport:
    """``folder`` is the package (None when refused); counts are of what was written."""

    folder: Path | None
    dossiers: int
    informatieobjecten: int
    bestanden: int
    size: int
    delivery_id: str
    problems: list[ExportProblem] = field(default_factory=list)


@dataclass(frozen=True)
class _Dossier:
    id: str
    kenmerk: str


def export_sip(
    ws: Workspace,
    kenmerken: Sequence[str],
    out: Path,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> SipReport:
    """Write the dossiers ``kenmerken`` as one SIP under ``out``; see the module contract.

    ``progress(done, total, label)`` counts the objects written (informatieobjecten
    and bestanden); bagging and verifying follow as one last step each.

    Raises:
        UserError: no kenmerk, an unknown kenmerk (all are listed), the package
            folder exists already, or ``out`` cannot be written.
        Cancelled: ``cancel`` was set; nothing is left and nothing recorded.
    """
    dossiers = _find(ws, kenmerken)
    name = f"sip-{dossiers[0].kenmerk}"
    if len(dossiers) > 1:
        name += f"-{len(dossiers)}-dossiers"
    target = out / name
    if target.exists():
        raise UserError(
            N_("{path} already exists; choose another folder or remove it first."),
            {"path": str(target)},
        )
    tag = uuid.uuid4().hex[:8]
    temp = out / f".{name}.partial-{tag}"
    pakbon_file = out / f".{name}.pakbon-{tag}.xml"
    try:
        out.mkdir(parents=True, exist_ok=True)
        temp.mkdir()
    except OSError as exc:
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": exc.strerror or type(exc).__name__},
        ) from None
    now = ws.clock()
    delivery = Delivery(
        id=str(uuid.uuid4()),
        title=_title(dossiers),
        created=mapping.local_time(now),
        source=f"RecordsDesk {__version__}",
    )
    writer = _Writer(ws, temp, sip_layout.Layout(name), progress, cancel)
    try:
        writer.total = _count(ws, [d.id for d in dossiers]) + 2
        if ws.objects.source is not None:
            writer.total += 1
            writer.step(_("Fetching content from the central archive"))
            _fetch_content(ws, [d.id for d in dossiers])
        with Pakbon(pakbon_file, delivery) as pakbon:
            writer.pakbon = pakbon
            for dossier in dossiers:
                writer.write_dossier(dossier.id)
        totals = pakbon.totals
        problems = writer.problems
        if not problems:
            with sip.bag_worker() as worker:
                info = _bag_info(delivery, delivery.created[:10])
                writer.step("BagIt")
                problems = _package_problems(sip.make_bag(temp, pakbon_file, info, worker))
                if not problems:
                    writer.step(name)
                    problems = _package_problems(sip_verify.verify(temp, name, worker))
        if problems:
            _remove(temp, pakbon_file)
            return SipReport(
                None, len(dossiers), totals.informatieobjecten, totals.bestanden,
                totals.size, delivery.id, problems,
            )  # fmt: skip
        durability.flush(temp, _files(temp), _folders(temp))
        os.replace(temp, target)
        durability.flush(out, (), [out])
    except OSError as exc:  # writing the package: a full disk, a share that went away
        _remove(temp, pakbon_file)
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": exc.strerror or type(exc).__name__},
        ) from None
    except BaseException:
        _remove(temp, pakbon_file)
        raise
    _record(ws, dossiers, target, delivery.id, totals)
    return SipReport(
        target, len(dossiers), totals.informatieobjecten, totals.bestanden, totals.size,
        delivery.id,
    )  # fmt: skip


def _fetch_content(ws: Workspace, dossier_ids: Sequence[str]) -> None:
    """Bring the dossiers' content that is not here from the store's source in one go
    (grouped, two flushes per group, not per file). Content the source cannot provide
    is left for the copy, which names each such file; a store that cannot be written
    is a ``UserError``."""
    _records, owners = _members(dossier_ids)
    with ws.readers() as session:
        query = select(Bestand.sha256, Bestand.size).where(owners)
        wanted = {sha: size for sha, size in session.execute(query)}
    try:
        ws.objects.ensure(wanted)
    except UserError:
        pass  # each file it concerns is named by the copy
    except OSError as exc:
        raise UserError(
            N_("Cannot store the content fetched from the central archive in {path}: {reason}"),
            {"path": str(ws.objects.root), "reason": exc.strerror or type(exc).__name__},
        ) from None


def _count(ws: Workspace, dossier_ids: Sequence[str]) -> int:
    """How many objects the dossiers hold: themselves, their records, all their bestanden."""
    records, owners = _members(dossier_ids)
    with ws.readers() as session:
        objects = len(dossier_ids) + (
            session.scalar(select(func.count()).select_from(records.subquery())) or 0
        )
        files = session.scalar(select(func.count(Bestand.id)).where(owners)) or 0
    return objects + files


def _members(dossier_ids: Sequence[str]) -> tuple[Select[str], ColumnElement[bool]]:
    """The dossiers' records (a query of their ids), and the condition for every bestand
    of the dossiers or their records."""
    records = select(Informatieobject.id).where(Informatieobject.parent_id.in_(dossier_ids))
    owners = or_(
        Bestand.informatieobject_id.in_(dossier_ids),
        Bestand.informatieobject_id.in_(records),
    )
    return records, owners


def _find(ws: Workspace, kenmerken: Sequence[str]) -> list[_Dossier]:
    """The dossiers in the order given, each once; every unknown kenmerk in one error."""
    if not kenmerken:
        raise UserError(N_("No dossiers given."))
    found: dict[str, _Dossier] = {}
    problems: list[UserError] = []
    with ws.readers() as session:
        for typed in kenmerken:
            try:
                row = find_by_kenmerk(session, typed, DOSSIER)
            except UserError as error:
                problems.append(error)
                continue
            found.setdefault(row.id, _Dossier(row.id, row.kenmerk))
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise UserError(
            N_("Nothing exported: {count} of the kenmerken cannot be used."),
            {"count": len(problems)},
            details=problems,
        )
    return list(found.values())


def _title(dossiers: Sequence[_Dossier]) -> str:
    # archival metadata is Dutch whatever the language of the screen
    shown = ", ".join(d.kenmerk for d in dossiers)
    return f"Overdracht van {len(dossiers)} dossier{'s' if len(dossiers) > 1 else ''}: {shown}"


def _bag_info(delivery: Delivery, day: str) -> dict[str, str]:
    return {
        "Bagging-Date": day,
        "External-Identifier": delivery.id,
        "External-Description": delivery.title,
        "Bag-Software-Agent": f"{delivery.source} (bagit-python)",
    }


class _Writer:
    """Writes the objects of dossiers into the payload folder, collecting every problem."""

    def __init__(
        self,
        ws: Workspace,
        root: Path,
        layout: sip_layout.Layout,
        progress: Progress,
        cancel: CancelToken | None,
    ) -> None:
        self.ws = ws
        self.root = root
        self.layout = layout
        self.progress = progress
        self.cancel = cancel
        self.pakbon: Pakbon | None = None
        self.profile = archive_profile(ws)  # the receiving archive's per-object rules
        self.problems: list[ExportProblem] = []
        self.done = 0
        self.total = 0

    def step(self, label: str) -> None:
        """One more object (or phase) done: report it, and stop here if cancelled."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        self.done += 1
        self.progress(self.done, max(self.total, self.done), label)

    def write_dossier(self, dossier_id: str) -> None:
        dossier_folder: sip_layout.Folder | None = None
        current: sip_layout.Folder | None = None
        pending: list[MdtoBestand] = []
        for _name, obj in objects(self.ws, dossier_id):
            self.step(obj.naam)
            if isinstance(obj, MdtoBestand):
                pending.append(obj)
                continue
            self._write_bestanden(current, pending)
            pending = []
            parent = self.layout.root if dossier_folder is None else dossier_folder
            current = self._write_informatieobject(parent, obj)
            if dossier_folder is None:
                dossier_folder = current
        self._write_bestanden(current, pending)

    def _write_informatieobject(
        self, parent: sip_layout.Folder, obj: MdtoInformatieobject
    ) -> sip_layout.Folder | None:
        wanted = obj.identificatie[0].kenmerk if obj.identificatie else obj.naam
        try:
            folder = self.layout.folder(parent, wanted)
        except sip_layout.LayoutError as error:
            self.problems.append(ExportProblem(f"{sip.PAYLOAD}/{parent.path}", error.problem))
            return None
        (self.root / folder.path).mkdir()
        self._write_sidecar(folder.sidecar, obj, None)
        assert self.pakbon is not None
        self.pakbon.informatieobject(folder, obj)
        return folder

    def _write_bestanden(
        self, folder: sip_layout.Folder | None, bestanden: list[MdtoBestand]
    ) -> None:
        if folder is None:
            return  # its informatieobject could not be placed; already reported
        # a deterministic order, so name clashes resolve the same way every time
        for obj in sorted(bestanden, key=lambda b: (b.naam, sip.sha256_of(b) or "")):
            try:
                path = self.layout.file(folder, obj.naam)
            except sip_layout.LayoutError as error:
                self.problems.append(ExportProblem(f"{sip.PAYLOAD}/{folder.path}", error.problem))
                continue
            facts = self._copy(path, obj)
            if facts is not None:
                digest, size = facts
                stored = rules.StoredFacts(size, {"sha256": digest})
                self._write_sidecar(path + sip.BESTAND_SUFFIX, obj, stored)
                assert self.pakbon is not None
                self.pakbon.bestand(path, obj, digest, size)

    def _copy(self, path: str, obj: MdtoBestand) -> tuple[str, int] | None:
        """Copy the stored content of ``obj`` to ``path``; its (sha256, size), or None
        with the problem recorded."""
        where = f"{sip.PAYLOAD}/{path}"
        sha256 = sip.sha256_of(obj)
        if sha256 is None:
            self.problems.append(ExportProblem(where, Problem(sip.NO_SHA256)))
            return None
        try:
            # over the central archive, content filed elsewhere is fetched first
            handle = self.ws.objects.readable_path(sha256, obj.omvang).open("rb")
        except UserError as error:  # the central archive cannot provide it
            params = {k: str(v) for k, v in error.params.items()}
            self.problems.append(ExportProblem(where, Problem(error.msgid, params)))
            return None
        except (FileNotFoundError, ValueError):  # ValueError: not a SHA-256 object name
            missing = Problem(STORED_MISSING, {"name": obj.naam, "sha256": sha256})
            self.problems.append(ExportProblem(where, missing))
            return None
        except OSError as error:
            detail = error.strerror or type(error).__name__
            self.problems.append(
                ExportProblem(where, Problem(sip.UNREADABLE_FILE, {"detail": detail}))
            )
            return None
        with handle:
            # an OSError here is the target's (a full disk): the caller refuses the package
            digest, size = sip.copy_hashed(handle, self.root / path)
        if digest != sha256:
            damaged = Problem(STORED_DAMAGED, {"name": obj.naam, "sha256": sha256})
            self.problems.append(ExportProblem(where, damaged))
            return None
        return digest, size

    def _write_sidecar(
        self,
        path: str,
        obj: MdtoInformatieobject | MdtoBestand,
        stored: rules.StoredFacts | None,
    ) -> None:
        element = xmlio.to_element(obj)
        found = [
            *schema.validate_element(element),
            *rules.check(obj, stored=stored),
            *self.profile.check(obj),
        ]
        (self.root / path).write_bytes(xmlio.serialise(element))
        self.problems += [ExportProblem(f"{sip.PAYLOAD}/{path}", p) for p in found]


def _package_problems(found: Sequence[sip.PackageProblem]) -> list[ExportProblem]:
    return [ExportProblem(p.file, p.problem) for p in found]


def _files(root: Path) -> Iterator[Path]:
    for directory, _folders, files in os.walk(root):
        for name in files:
            yield Path(directory) / name


def _folders(root: Path) -> Iterator[Path]:
    for directory, _folders, _files in os.walk(root):
        yield Path(directory)


def _remove(temp: Path, pakbon: Path) -> None:
    shutil.rmtree(temp, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        pakbon.unlink()


def _record(
    ws: Workspace, dossiers: Sequence[_Dossier], target: Path, delivery_id: str, totals: Totals
) -> None:
    """The export as an MDTO event of each dossier and an audit row each (one transaction)."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        for dossier in dossiers:
            session.add(
                Event(
                    id=str(uuid.uuid4()),
                    informatieobject_id=dossier.id,
                    event_type="Export",
                    event_tijd=now,
                    verantwoordelijke_actor=ws.actor,
                    resultaat=f"MDTO-SIP {target.name}, pakbon {delivery_id}",
                )
            )
        session.flush()
        for dossier in dossiers:
            audit.append(
                session,
                at=now,
                actor=ws.actor,
                action="mdto.sip_exported",
                object_type="informatieobject",
                object_id=dossier.id,
                details={
                    "folder": str(target),
                    "delivery": delivery_id,
                    "informatieobjecten": totals.informatieobjecten,
                    "bestanden": totals.bestanden,
                    "size": totals.size,
                },
            )
