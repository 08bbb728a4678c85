"""The ``sync`` workload's baselines: the same rows and bytes with plain psycopg ``COPY``.

* :func:`push_baseline` writes what the push writes centrally (informatieobject,
  bestand and event rows, content in ``content_chunk`` rows with each chunk's
  SHA-256, a ``content_object`` row per file) into a fresh, migrated database, one
  ``COPY`` per table and one transaction, reading each file from the workstation's
  object store and hashing its chunks on the way (as the push must).
* :func:`pull_baseline` reads the same rows and bytes back with ``COPY … TO STDOUT``:
  the rows into a plain SQLite file (``executemany``, one transaction; no indexes,
  no triggers) and each object's bytes into a file of its own.

Both return wall seconds. The central schema's triggers (the change feed) fire for
``COPY`` too, so ours and the baseline pay for the same database-side work.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path
from typing import Any

from benchmarks._sync_build import Built, plain_dsn

CHUNK_SIZE = 4 * 1024 * 1024  # recordsdesk.archive.sync.blobs.CHUNK_SIZE
_ROW_TABLES = ("informatieobject", "bestand", "event")


def _tables(built: Built) -> list[tuple[str, list[dict[str, Any]]]]:
    return [
        ("informatieobject", built.objects),
        ("bestand", built.bestanden),
        ("event", built.events),
    ]


def push_baseline(url: str, built: Built) -> float:
    import psycopg
    from psycopg import sql

    with psycopg.connect(plain_dsn(url)) as connection:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for table, rows in _tables(built):
                if not rows:
                    continue
                columns = list(rows[0])
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
            chunk_counts: list[tuple[str, int, int]] = []
            with cursor.copy(
                "COPY content_chunk (sha256, idx, size, chunk_sha256, data) "
                "FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["varchar", "int4", "int4", "varchar", "bytea"])
                for sha, size, path in built.content:
                    count = 0
                    with path.open("rb") as handle:
                        while data := handle.read(CHUNK_SIZE):
                            digest = hashlib.sha256(data).hexdigest()
                            copy.write_row([sha, count, len(data), digest, data])
                            count += 1
                    chunk_counts.append((sha, size, count))
            with cursor.copy(
                "COPY content_object (sha256, size, chunk_count, verified_at) FROM STDIN"
            ) as copy:
                for sha, size, count in chunk_counts:
                    copy.write_row([sha, size, count, "2026-11-29T08:00:00+00:00"])
        connection.commit()
        return time.perf_counter() - start


def pull_baseline(url: str, target: Path) -> tuple[float, int]:
    """Seconds, and the number of rows read (all three tables)."""
    import psycopg
    from psycopg import sql

    target.mkdir(parents=True)
    files = target / "objects"
    files.mkdir()
    local = sqlite3.connect(target / "plain.sqlite")
    rows_read = 0
    with psycopg.connect(plain_dsn(url)) as connection:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for table in _ROW_TABLES:
                cursor.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = %s ORDER BY ordinal_position",
                    [table],
                )
                columns = [r[0] for r in cursor.fetchall()]
                local.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
                statement = sql.SQL("COPY {} ({}) TO STDOUT").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                marks = ", ".join("?" * len(columns))
                with cursor.copy(statement) as copy:
                    batch: list[tuple[Any, ...]] = []
                    for row in copy.rows():
                        batch.append(row)
                        if len(batch) == 1000:
                            local.executemany(f"INSERT INTO {table} VALUES ({marks})", batch)
                            rows_read += len(batch)
                            batch = []
                    local.executemany(f"INSERT INTO {table} VALUES ({marks})", batch)
                    rows_read += len(batch)
            with cursor.copy(
                "COPY (SELECT sha256, idx, data FROM content_chunk ORDER BY sha256, idx) "
                "TO STDOUT (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["varchar", "int4", "bytea"])
                for sha, idx, data in copy.rows():
                    with (files / sha).open("ab" if idx else "wb") as handle:
                        handle.write(data)
        local.commit()
        seconds = time.perf_counter() - start
    local.close()
    return seconds, rows_read
