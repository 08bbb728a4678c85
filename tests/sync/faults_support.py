"""Helpers for the sync fault tests: the child process, changes made between kills,
and the invariants every fault must leave intact."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import random
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from recordsdesk import audit
from recordsdesk.archive.sync import blobs, rows
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.archive.sync.outbox import status
from recordsdesk.db.models import (
    AuditEvent,
    Bestand,
    ContentChunk,
    ContentObject,
    Informatieobject,
    SyncConflict,
)
from recordsdesk.services import Workspace, create_dossier, file_paths
from tests.core.samples import pdf_bytes
from tests.sync import sync_child
from tests.sync.support import outbox

SMALL_CHUNK = 64 * 1024
REAL_CHUNK = blobs.CHUNK_SIZE


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks in this process and in the children (which take this process's
    size), so small test files go up in several. The same size on both: the engine
    cannot resume an upload begun with chunks of another size (see docs/design)."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL_CHUNK)


def url_of(central: Central) -> str:
    return central.engine.url.render_as_string(hide_password=False)


@dataclass
class Outcome:
    """How a child run ended: killed, or its report (and what it sent)."""

    returncode: int
    report: dict[str, Any] | None
    chunks: list[tuple[str, int, int]]  # (sha256, idx, size) confirmed centrally
    counts: dict[str, int]
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


# one fork server per test session has imported the child's modules; each child is
# a fresh process forked from it (cheap), killed for real
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(["tests.sync.sync_child"])


class Child:
    """:func:`tests.sync.sync_child.run` syncing one workstation home, with a cue."""

    def __init__(self, home: Path, url: str, cue: str) -> None:
        """The child chunks content as this process does now: a resumed upload must not
        meet chunks of another size (see :func:`small_chunks`)."""
        self.pipe, theirs = _FORKS.Pipe()
        self.process = _FORKS.Process(
            target=sync_child.run,
            args=(str(home), url, cue, blobs.CHUNK_SIZE, theirs),
            daemon=True,
        )
        self.process.start()
        theirs.close()
        self.lines: list[str] = []

    def _next(self, timeout: float) -> str | None:
        if not self.pipe.poll(timeout):
            raise AssertionError(f"child silent for {timeout} s: {self.lines[-3:]}")
        try:
            line = str(self.pipe.recv())
        except EOFError:
            return None
        self.lines.append(line)
        return line

    def until(self, wanted: str, timeout: float = 120) -> str:
        """Read the child's lines up to one starting with ``wanted``."""
        while (line := self._next(timeout)) is not None:
            if line.startswith(wanted):
                return line
        self.process.join()
        raise AssertionError(
            f"child ended (exit {self.process.exitcode}) before {wanted!r}: {self.lines[-3:]}"
        )

    def go(self) -> None:
        self.pipe.send("go")

    def kill(self) -> Outcome:
        assert self.process.pid is not None
        os.kill(self.process.pid, signal.SIGKILL)
        return self.finish()

    def finish(self, timeout: float = 300) -> Outcome:
        while self._next(timeout) is not None:
            pass
        self.process.join(timeout)
        self.pipe.close()
        report = counts = None
        chunks = []
        errors = []
        for line in self.lines:
            word, _, rest = line.partition(" ")
            if word == "DONE":
                report = json.loads(rest)
            elif word == "COUNTS":
                counts = json.loads(rest)
            elif word == "CHUNK":
                sha, idx, size = rest.split()
                chunks.append((sha, int(idx), int(size)))
            elif word == "ERROR":
                errors.append(rest)
        code = self.process.exitcode
        assert code is not None
        return Outcome(code, report, chunks, counts or {}, "\n".join(errors))


def run_child(home: Path, url: str, cue: str) -> Outcome:
    outcome = Child(home, url, cue).finish()
    assert outcome.killed or outcome.returncode == 0, outcome.stderr
    return outcome


# --- what the workstations do between kills -------------------------------------------


@dataclass
class Expected:
    """What the tests made, to prove afterwards that nothing was lost."""

    names: dict[str, str] = field(default_factory=dict)  # kenmerk -> last naam
    shas: set[str] = field(default_factory=set)  # content filed


def new_dossier(
    ws: Workspace,
    folder: Path,
    title: str,
    expected: Expected,
    rng: random.Random,
    big: int = 0,
    pdfs: int | None = None,
) -> str:
    """A dossier with ``pdfs`` PDFs (by default one or two) and, if ``big``, a scan of
    ``big`` bytes."""
    kenmerk = create_dossier(ws, title).kenmerk
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(rng.randint(1, 2) if pdfs is None else pdfs):
        path = folder / f"{title}-{n}.pdf"
        path.write_bytes(pdf_bytes(f"{title} {n} {rng.random()}"))
        paths.append(path)
    if big:
        path = folder / f"{title}-scan.bin"
        path.write_bytes(rng.randbytes(big))
        paths.append(path)
    result = file_paths(ws, kenmerk, paths)
    expected.names[kenmerk] = title
    with ws.readers() as session:
        expected.shas |= set(
            session.scalars(
                select(Bestand.sha256)
                .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
                .where(Informatieobject.parent_id == _id_of(session, kenmerk))
            )
        )
    assert result is not None
    return kenmerk


def _id_of(session: Session, kenmerk: str) -> str:
    found = session.scalar(select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk))
    assert found is not None
    return found


def rename(ws: Workspace, kenmerk: str, naam: str, expected: Expected) -> None:
    """A metadata edit as the services make it: ORM, one transaction."""
    with ws.sessions() as session, session.begin():
        row = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()
        row.naam = naam
    expected.names[kenmerk] = naam


# --- the invariants ------------------------------------------------------------------


def sync_to_the_end(central: Central, stations: list[Workspace]) -> None:
    """Sync every workstation until each has pushed and pulled everything."""
    for _ in range(2):
        for ws in stations:
            report = sync_once(ws, central)
            assert report.ok, [p.message() for p in report.problems]


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def synced_rows(engine: Engine) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Every synchronised row by entity and id: its travelling columns, normalised."""
    found: dict[str, dict[str, tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for entity in rows.ENTITIES.values():
            found[entity.name] = {
                entity.canonical(str(row[entity.key])): tuple(_norm(row[c]) for c in entity.columns)
                for row in connection.execute(select(entity.table)).mappings()
            }
    return found


def versions(engine: Engine, column: Any) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            rows.ENTITIES["informatieobject"].canonical(str(key)): value
            for key, value in connection.execute(select(Informatieobject.id, column))
        }


def _difference(ws: Workspace, entity: str, here: Any, there: Any) -> str:
    columns = rows.ENTITIES[entity].columns
    keys = set(here[entity]) ^ set(there[entity])
    if keys:
        return f"{ws.station}: {entity} only on one side: {sorted(keys)}"
    for key, mine in here[entity].items():
        theirs = there[entity][key]
        if mine != theirs:
            changed = {c: (m, t) for c, m, t in zip(columns, mine, theirs, strict=True) if m != t}
            return f"{ws.station}: {entity} {key} differs (here, central): {changed}"
    return ""


def _audit_rows(found: Iterable[AuditEvent]) -> set[tuple[Any, ...]]:
    def moment(at: dt.datetime) -> dt.datetime:
        return at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at

    return {(moment(r.at), r.actor, r.action, r.object_id, r.details) for r in found}


def assert_invariants(
    central: Central, stations: list[Workspace], expected: Expected, restored: bool = False
) -> None:
    """Central = local for everything synced, no duplicates, every hash verified, the
    audit chains intact and every local audit row central (exactly those, unless a
    workstation was ``restored`` from a backup: then the central archive also keeps
    what the lost future sent), outboxes empty, no conflicts, nothing lost."""
    there = synced_rows(central.engine)
    for ws in stations:
        here = synced_rows(ws.engine)
        for entity in rows.ENTITIES:
            assert here[entity] == there[entity], _difference(ws, entity, here, there)
        # each workstation knows the central version of each object it has
        assert versions(ws.engine, Informatieobject.central_version) == versions(
            central.engine, Informatieobject.version
        ), ws.station
        assert outbox(ws) == 0 and status(ws).pending_changes == 0, ws.station
        with ws.readers() as session:
            assert not session.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            ), f"{ws.station}: a conflict although nobody edited the same object twice"
            assert audit.verify_chain(session) == [], ws.station
            local_audit = _audit_rows(session.execute(select(AuditEvent)).scalars())
            for sha in session.scalars(select(Bestand.sha256).distinct()):
                assert ws.objects.check(sha) is None, f"{ws.station}: {sha}"
        with Session(central.engine) as session:
            sent = _audit_rows(
                session.scalars(select(AuditEvent).where(AuditEvent.origin.like(f"{ws.station}:%")))
            )
        lost = local_audit - sent
        assert not lost, f"{ws.station}: audit rows not central: {sorted(lost)[:3]}"
        if not restored:
            assert len(sent) == len(local_audit), f"{ws.station}: audit rows extra centrally"
    objects = there["informatieobject"]
    naam_at = rows.ENTITIES["informatieobject"].columns.index("naam")
    kenmerk_at = rows.ENTITIES["informatieobject"].columns.index("kenmerk")
    central_names = {row[kenmerk_at]: row[naam_at] for row in objects.values()}
    assert len(central_names) == len(objects), "a kenmerk twice centrally"
    for kenmerk, naam in expected.names.items():
        assert central_names.get(kenmerk) == naam, f"{kenmerk} lost or stale"
    with central.engine.connect() as connection:
        origins = connection.scalars(
            select(AuditEvent.origin).where(AuditEvent.origin.is_not(None))
        ).all()
        assert len(origins) == len(set(origins)), "an audit row twice centrally"
        chunk_keys = connection.execute(select(ContentChunk.sha256, ContentChunk.idx)).all()
        assert len(chunk_keys) == len(set(chunk_keys)), "a chunk twice"
        complete = set(connection.scalars(select(ContentObject.sha256)))
        used = set(connection.scalars(select(Bestand.sha256)))
    if isinstance(central.blobs, blobs.DirectoryBlobs):  # a file share instead of chunk rows
        assert not chunk_keys and not complete
        complete = {sha for sha, _ in central.blobs.names()}
        assert not list(central.blobs.partial.iterdir()), "an upload left unfinished"
    assert expected.shas <= used, "filed content missing centrally"
    assert complete == used, "content complete centrally is exactly what bestanden use"
    assert {sha for sha, _ in chunk_keys} <= complete, "an upload left unfinished"
    for sha in used:
        assert central.blobs.check(sha) is None, sha
    with Session(central.engine) as session:
        assert audit.verify_chain(session) == []
