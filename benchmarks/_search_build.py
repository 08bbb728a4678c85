"""Set-up for the ``search`` workload (untimed) and the bare index-build baselines (timed).

* :func:`build_stores` fills one or more migrated, empty stores (SQLite and/or
  PostgreSQL) with the same dossiers and records in one pass over the text
  generator (:mod:`benchmarks._search_text`): Core ``INSERT`` ``executemany``
  of ``informatieobject`` (dossiers and records, with dates, a Woo category on
  most dossiers and a "Van:" omschrijving on some records), ``content_text``
  (the record's text) and an original ``bestand`` pointing at it. The store's
  own triggers (migration 0015) mark every dossier and record in
  ``search_pending``, so the indexer finds everything, as after a rebuild.
* :func:`bare_index_sqlite` and :func:`bare_index_postgresql`: the baseline of the
  index build, the same text indexed with nothing of ours: one FTS5 table
  (``unicode61 remove_diacritics 2``) filled by one ``INSERT … SELECT`` from
  ``content_text``; centrally ``to_tsvector('rd_dutch', text)`` into a table with
  a GIN index, by one ``INSERT … SELECT``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._search_text import TextGenerator
from benchmarks._sync_build import NOW, _object, plain_dsn

STATION = "BENCH0"
CHUNK_DOSSIERS = 50  # dossiers per transaction while building


@dataclass(frozen=True)
class Sizes:
    records: int
    per_dossier: int
    words: int  # words of generated text per record

    @property
    def dossiers(self) -> int:
        return -(-self.records // self.per_dossier)

    @property
    def objects(self) -> int:
        """What the index holds: every dossier and every record."""
        return self.records + self.dossiers


@dataclass
class BuildReport:
    seconds: float = 0.0
    text_bytes: int = 0


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated(url: str) -> None:
    """Bring an empty database to the schema head."""
    from recordsdesk.db.engine import make_engine
    from recordsdesk.db.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def build_stores(urls: Sequence[str], sizes: Sizes) -> BuildReport:
    """Fill every store in ``urls`` with the same generated dossiers and records."""
    from sqlalchemy import insert

    from recordsdesk import kenmerk
    from recordsdesk.db.engine import make_engine
    from recordsdesk.db.models import Bestand, ContentText, Informatieobject, table_of
    from recordsdesk.woo import informatiecategorieen

    start = time.perf_counter()
    categories = [c.uri for c in informatiecategorieen()]
    tables = [table_of(m) for m in (Informatieobject, ContentText, Bestand)]
    names = [{c.name for c in t.columns} for t in tables]
    engines = [make_engine(url) for url in urls]
    generator = TextGenerator(sizes.words)
    report = BuildReport()
    sequence = 1
    made = 0
    try:
        while made < sizes.records:
            rows: tuple[list[dict[str, Any]], ...] = ([], [], [])
            for _ in range(CHUNK_DOSSIERS):
                if made >= sizes.records:
                    break
                dossier = generator.dossier(made // sizes.per_dossier + 1, len(categories))
                dossier_id = str(uuid.uuid4())
                row = _object(
                    dossier_id, kenmerk.make("D", STATION, sequence), "Dossier", None, dossier.naam
                )
                sequence += 1
                row.update(dekking_begin=dossier.start, dekking_eind=None)
                row["woo_informatiecategorie"] = (
                    categories[dossier.category] if dossier.category is not None else None
                )
                rows[0].append(row)
                for _n in range(min(sizes.per_dossier, sizes.records - made)):
                    record = generator.record(dossier)
                    record_id = str(uuid.uuid4())
                    row = _object(
                        record_id,
                        kenmerk.make("S", STATION, sequence),
                        "Archiefstuk",
                        dossier_id,
                        record.titel,
                    )
                    sequence += 1
                    row.update(
                        dekking_begin=record.day,
                        dekking_eind=record.day,
                        omschrijving=record.omschrijving,
                        woo_informatiecategorie=None,
                    )
                    rows[0].append(row)
                    data = record.text.encode()
                    report.text_bytes += len(data)
                    sha = hashlib.sha256(data).hexdigest()
                    rows[1].append(
                        {
                            "sha256": sha,
                            "text": record.text,
                            "needs_ocr": False,
                            "method": "text",
                            "truncated": False,
                            "extracted_at": NOW,
                        }
                    )
                    rows[2].append(
                        {
                            "id": str(uuid.uuid4()),
                            "informatieobject_id": record_id,
                            "sha256": sha,
                            "size": len(data),
                            "mime": "text/plain",
                            "puid": None,
                            "original_name": f"stuk-{made + 1}.txt",
                            "safe_name": f"stuk-{made + 1}.txt",
                            "role": "original",
                            "derived_from_id": None,
                            "created_at": NOW,
                            "mdto": None,
                        }
                    )
                    made += 1
            for engine in engines:
                with engine.begin() as connection:
                    for table, wanted, chunk in zip(tables, names, rows, strict=True):
                        part = [{k: v for k, v in r.items() if k in wanted} for r in chunk]
                        connection.execute(insert(table), part)
    finally:
        for engine in engines:
            engine.dispose()
    report.seconds = time.perf_counter() - start
    return report


def bare_index_sqlite(database: Path, scratch: Path) -> tuple[float, int]:
    """Seconds to FTS5-index every ``content_text`` of ``database`` into a scratch file."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("ATTACH DATABASE ? AS bare", (str(scratch),))
        connection.execute(
            "CREATE VIRTUAL TABLE bare.fts USING fts5(body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
        start = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO bare.fts (body) SELECT text FROM main.content_text")
        connection.execute("COMMIT")
        seconds = time.perf_counter() - start
        rows = connection.execute("SELECT count(*) FROM bare.fts").fetchone()[0]
        connection.execute("DETACH DATABASE bare")
    finally:
        connection.close()
    scratch.unlink()
    return seconds, int(rows)


def bare_index_postgresql(url: str) -> tuple[float, int]:
    """Seconds to ``to_tsvector`` every ``content_text`` into a GIN-indexed scratch table."""
    import psycopg

    with psycopg.connect(plain_dsn(url), autocommit=True) as connection:
        connection.execute("CREATE TABLE bare_doc (sha256 text PRIMARY KEY, tsv tsvector)")
        connection.execute("CREATE INDEX bare_doc_tsv ON bare_doc USING gin (tsv)")
        start = time.perf_counter()
        connection.execute(
            "INSERT INTO bare_doc SELECT sha256, to_tsvector('rd_dutch', text) FROM content_text"
        )
        seconds = time.perf_counter() - start
        row = connection.execute("SELECT count(*) FROM bare_doc").fetchone()
        connection.execute("DROP TABLE bare_doc")
    return seconds, int(row[0]) if row else 0


def analyse_postgresql(url: str) -> None:
    """``VACUUM ANALYZE`` (untimed): a central server's autovacuum would have done it."""
    import psycopg

    with psycopg.connect(plain_dsn(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def index_counts(url: str) -> tuple[int, int]:
    """(entries in the index, marks still pending) of a store."""
    from sqlalchemy import text

    from recordsdesk.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            table = "search_fts" if engine.dialect.name == "sqlite" else "search_document"
            entries = connection.scalar(text(f"SELECT count(*) FROM {table}"))
            pending = connection.scalar(text("SELECT count(*) FROM search_pending"))
    finally:
        engine.dispose()
    return int(entries or 0), int(pending or 0)


def first_day_range() -> tuple[dt.date, dt.date]:
    from benchmarks._search_text import DAYS, FIRST_DAY

    return FIRST_DAY, FIRST_DAY + dt.timedelta(days=DAYS + 180)
