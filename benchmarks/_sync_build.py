"""Set-up for the ``sync`` workload (untimed): the workstation, the databases, the cluster.

* :func:`build_workstation` fills a fresh home the fast way: Core ``INSERT``
  ``executemany`` (the store's triggers put every row into the outbox, as filing
  does) and content written straight into the object store's layout.
* :func:`postgres_port` finds the PostgreSQL to measure against: ``RD_TEST_PG_PORT``
  (``make bench`` and ``make test`` run under ``scripts/pg-test-cluster.sh``), else a
  throwaway cluster of that script started for the run and stopped afterwards.
* :func:`fresh_database` makes an empty, migrated central database and drops it after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PG_ENV = "RD_TEST_PG_PORT"
REPO = Path(__file__).resolve().parent.parent
INSERT_CHUNK = 10_000
NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Sizes:
    records: int
    files: int  # records with one file each (spread evenly)
    per_dossier: int
    file_size: int

    @property
    def dossiers(self) -> int:
        return -(-self.records // self.per_dossier)


@dataclass
class Built:
    """What the workstation holds, by table, as the push writes it centrally."""

    station: str
    objects: list[dict[str, Any]] = field(default_factory=list)  # informatieobject rows
    bestanden: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    content: list[tuple[str, int, Path]] = field(default_factory=list)  # sha, size, file


def _object(
    row_id: str, kenmerk_: str, level: str, parent: str | None, naam: str
) -> dict[str, Any]:
    return {
        "id": row_id,
        "kenmerk": kenmerk_,
        "identificatie_bron": "RecordsDesk",
        "aggregatieniveau": level,
        "parent_id": parent,
        "naam": naam,
        "omschrijving": None,
        "dekking_begin": dt.date(2026, 11, 2),
        "dekking_eind": dt.date(2026, 11, 2),
        "classificatie": None,
        "informatiecategorie": None,
        "waardering": "N",
        "bewaartermijn": None,
        "archiefactiedatum": None,
        "archiefvormer": "Gemeente Rotterdam",
        "activiteit": None,
        "beperking_gebruik": "Openbaar",
        "status": "open",
        "created_at": NOW,
        "created_by": "benchmark@recordsdesk",
        "updated_at": NOW,
        "version": 1,
        "selectielijst_jaar": None,
        "resultaat_nummer": None,
        "afleidingswijze": None,
        "gesloten_op": None,
        "brondatum": None,
        "overbrengingsdatum": None,
        "archiefactie_open": None,
        "mdto": None,
        "central_version": None,
        "department": None,
    }


def build_workstation(home: Path, sizes: Sizes) -> Built:
    """A workstation whose outbox holds ``sizes.dossiers`` dossiers, ``sizes.records``
    records (an "Opname" event each) and ``sizes.files`` bestanden with distinct random
    content of ``sizes.file_size`` bytes. Returns the rows as they travel."""
    from sqlalchemy import insert

    from recordsdesk import kenmerk
    from recordsdesk.db.models import Bestand, Event, Informatieobject, StoreSetting, table_of
    from recordsdesk.services import open_workspace

    ws = open_workspace(home)
    built = Built(ws.station)
    try:
        with ws.sessions() as session, session.begin():
            first = int(ws.setting(session, "next_sequence", "1"))
        every = max(1, sizes.records // sizes.files) if sizes.files else 0
        sequence = first
        dossier_id = ""
        for n in range(sizes.records):
            if n % sizes.per_dossier == 0:
                dossier_id = str(uuid.uuid4())
                number = n // sizes.per_dossier + 1
                built.objects.append(
                    _object(
                        dossier_id,
                        kenmerk.make("D", ws.station, sequence),
                        "Dossier",
                        None,
                        f"Bench dossier {number}",
                    )
                )
                sequence += 1
            record_id = str(uuid.uuid4())
            built.objects.append(
                _object(
                    record_id,
                    kenmerk.make("S", ws.station, sequence),
                    "Archiefstuk",
                    dossier_id,
                    f"Stuk {n + 1}",
                )
            )
            sequence += 1
            result = None
            if every and n % every == 0 and len(built.bestanden) < sizes.files:
                sha, size, path = _content(ws.objects, sizes.file_size)
                built.content.append((sha, size, path))
                result = f"sha256:{sha}"
                built.bestanden.append(
                    {
                        "id": str(uuid.uuid4()),
                        "informatieobject_id": record_id,
                        "sha256": sha,
                        "size": size,
                        "mime": "application/octet-stream",
                        "puid": None,
                        "original_name": f"stuk-{n + 1}.bin",
                        "safe_name": f"stuk-{n + 1}.bin",
                        "role": "original",
                        "derived_from_id": None,
                        "created_at": NOW,
                        "mdto": None,
                    }
                )
            built.events.append(
                {
                    "id": str(uuid.uuid4()),
                    "informatieobject_id": record_id,
                    "event_type": "Opname",
                    "event_tijd": NOW,
                    "verantwoordelijke_actor": "benchmark@recordsdesk",
                    "resultaat": result,
                    "mdto": None,
                }
            )
        for model, rows in (
            (Informatieobject, built.objects),
            (Bestand, built.bestanden),
            (Event, built.events),
        ):
            table = table_of(model)
            names = {c.name for c in table.columns}
            for start in range(0, len(rows), INSERT_CHUNK):
                chunk = rows[start : start + INSERT_CHUNK]
                part = [{k: v for k, v in r.items() if k in names} for r in chunk]
                with ws.sessions() as session, session.begin():
                    session.execute(insert(table), part)
        with ws.sessions() as session, session.begin():
            counter = session.get(StoreSetting, "next_sequence")
            assert counter is not None  # every store has it
            counter.value = str(sequence)
    finally:
        ws.close()
    for row in built.objects:  # centrally: no local memory of a version, version 1
        del row["central_version"]
    return built


def _content(objects: Any, size: int) -> tuple[str, int, Path]:
    """Distinct random content put where the object store keeps it (no fsync: set-up)."""
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    path = Path(objects.path_for(sha))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o444)
    return sha, size, path


def clone_home(template: Path, target: Path) -> None:
    """A copy of a built home: the database copied, the (read-only) objects hard-linked."""
    subprocess.run(["cp", "-al", str(template), str(target)], check=True)
    for database in target.rglob("*.sqlite*"):
        copy = database.with_name(database.name + ".copy")
        subprocess.run(["cp", str(database), str(copy)], check=True)
        os.replace(copy, database)


@contextmanager
def postgres_port() -> Iterator[str]:
    """The port of a PostgreSQL to measure against (see the module contract)."""
    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    script = REPO / "scripts" / "pg-test-cluster.sh"
    waiter = "import os, sys; print(os.environ['RD_TEST_PG_PORT'], flush=True); sys.stdin.read()"
    process = subprocess.Popen(
        [str(script), sys.executable, "-c", waiter],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    port = process.stdout.readline().strip()
    try:
        if not port.isdigit():
            process.wait(timeout=60)
            error = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"could not start a PostgreSQL cluster: {error.strip()[-500:]}")
        yield port
    finally:
        process.stdin.close()  # the waiter ends, and the script stops the cluster
        process.wait(timeout=120)


def _admin(port: str) -> Any:
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=int(port), user="postgres", dbname="postgres", autocommit=True
    )


@contextmanager
def fresh_database(port: str, prefix: str) -> Iterator[str]:
    """An empty database brought to the schema head; yields its SQLAlchemy URL."""
    from psycopg import sql

    from recordsdesk.db.engine import make_engine
    from recordsdesk.db.migrate import upgrade

    name = f"rd_bench_{prefix}_{uuid.uuid4().hex[:10]}"
    with _admin(port) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with _admin(port) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def plain_dsn(url: str) -> str:
    """The libpq form of a ``postgresql+psycopg://`` URL (for the plain baselines)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_size(url: str) -> int:
    import psycopg

    with psycopg.connect(plain_dsn(url)) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0
