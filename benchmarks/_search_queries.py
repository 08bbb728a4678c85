"""The 100 queries of the ``search`` workload, and how each is timed: ours and bare.

:func:`make_queries` draws a fixed mix (seeded) from the generator's vocabulary:
single common, mid-frequency and rare words, inflected forms, two or three words,
"phrases", OR, -exclusions, prefix*, fields (titel:, dossier:, afzender:,
categorie:), datum: ranges with words, and spellings without the diacritics of
words that have them ("cafe" for "café").

A runner times one query two ways on the same store:

* ours: ``recordsdesk.search.service.search(session, q, page=0, page_size=20)``
  in a writing session committed afterwards, as ``recordsdesk search`` does (the
  refresh finds nothing pending; snippets, grouping by dossier and the totals
  included);
* bare: the same compiled condition in a plain statement on the driver's own
  connection, nothing of ours around it. SQLite: ``SELECT rowid, bm25(search_fts,
  <our column weights>) AS s FROM search_fts WHERE search_fts MATCH ? ORDER BY s
  LIMIT 20`` with ``to_fts5``'s MATCH text; PostgreSQL: ``SELECT object_id,
  ts_rank_cd(tsv_all, to_tsquery('rd_dutch', …)) AS s FROM search_document WHERE
  <to_pg.where_clause> ORDER BY s DESC LIMIT 20``. A query with ``datum:`` joins
  ``informatieobject`` for the date condition in both.

:meth:`Runner.check` is the sanity check (untimed): our total must equal the bare
count and our best hit's score the bare first row's, else the workload fails.
"""

from __future__ import annotations

import math
import random
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks._search_text import FUNCTION_WORDS, SURNAMES, vocabulary

SEED = 7
PAGE_SIZE = 20
WEIGHTS = "10.0, 5.0, 3.0, 3.0, 1.0, 1.0"  # service.BM25_WEIGHTS, written out for the bare SQL


def make_queries(dossiers: int) -> list[tuple[str, str]]:
    """(kind, query) pairs: the fixed mix of 100 queries for a store of ``dossiers``."""
    rnd = random.Random(SEED)
    content = [w for w in vocabulary()[len(FUNCTION_WORDS) :] if w.isalpha()]

    def pick(lo: int, hi: int, k: int) -> list[str]:
        return [content[i] for i in rnd.sample(range(lo, min(hi, len(content))), k)]

    out: list[tuple[str, str]] = []
    out += [("word, common", w) for w in pick(0, 60, 9)]
    out += [("word, mid", w) for w in pick(300, 1200, 9)]
    numbers = rnd.sample(range(1, dossiers + 1), min(3, dossiers))
    single = [s for s in SURNAMES if " " not in s]
    out += [("word, rare", f"{n:06d}") for n in numbers]
    out += [("word, rare", s) for s in rnd.sample(single, 3)]
    out += [("word, rare", w) for w in pick(2500, 4000, 27 - len(out))]
    inflected = ("vergunningen", "aanvragen", "besluiten", "bezwaren", "meldingen",
                 "evenementen", "subsidies")  # fmt: skip
    out += [("inflected", w) for w in inflected]
    for n in range(12):
        if n < 4:
            words = pick(0, 60, 1) + pick(300, 1200, 1)
        elif n < 8:
            words = pick(100, 800, 2)
        else:
            words = pick(0, 60, 2) + pick(200, 1200, 1)
        out.append(("and", " ".join(words)))
    phrases = ['"melding openbare ruimte"', '"burgemeester de withstraat"',
               '"met vriendelijke groet"']  # fmt: skip
    function = [w for w in FUNCTION_WORDS[:12] if w != "te"]
    phrases += [f'"{rnd.choice(function)} {w}"' for w in pick(0, 100, 3)]
    phrases += [f'"{a} {b}"' for a, b in zip(pick(0, 40, 3), pick(0, 40, 3), strict=True)]
    out += [("phrase", p) for p in phrases]
    for n in range(8):
        words = pick(300, 1500, 3 if n >= 6 else 2)
        if n < 2:
            words[0] = pick(0, 60, 1)[0]
        out.append(("or", " OR ".join(words)))
    for n in range(8):
        positive = pick(0, 60, 1) if n < 4 else pick(100, 600, 1)
        out.append(("exclude", f"{positive[0]} -{pick(0, 80, 1)[0]}"))
    prefixes = ("vergun*", "parkeer*", "subsid*", "evene*", "handhav*", "omgev*", "bezwa*",
                "sloop*")  # fmt: skip
    out += [("prefix", p) for p in prefixes]
    fields = [f"titel:{w}" for w in pick(0, 300, 3)]
    fields += ["dossier:kerkstraat", "dossier:havenkade", "afzender:jansen", "afzender:visser"]
    fields += ["categorie:advies"]
    out += [("field", f) for f in fields]
    dates = ["datum:2020", "datum:2018-03..2018-09", "datum:..2017-06", "datum:2024-01..",
             "datum:2021-05", "datum:2019..2020"]  # fmt: skip
    for n, date in enumerate(dates):
        words = pick(0, 60, 1) if n < 3 else pick(200, 800, 2)
        out.append(("datum", f"{' '.join(words)} {date}"))
    diacritics = ("cafe", "financiele", "reunie", "coordinatie", "clienten", "enquete",
                  "geinformeerd")  # fmt: skip
    out += [("no diacritics", w) for w in diacritics]
    return out


# (query, the same with its diacritics / in another form) that must find the same
SAME_HITS = (("cafe", "café"), ("financiele", "financiële"), ("reunie", "reünie"),
             ("coordinatie", "coördinatie"), ("vergunningen", "vergunning"),
             ("evenementen", "evenement"))  # fmt: skip


@dataclass
class Timings:
    ours: list[list[float]] = field(default_factory=list)  # per query, per round (seconds)
    bare: list[list[float]] = field(default_factory=list)


def nearest_rank(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Runner:
    """Times ours and bare on one store; subclasses give the bare statement."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.orm import sessionmaker

        from recordsdesk.db.engine import make_engine

        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.prepared: dict[str, tuple[str, Any]] = {}

    def close(self) -> None:
        self.engine.dispose()

    def ours(self, query: str) -> tuple[float, Any]:
        from recordsdesk.search.service import search

        start = time.perf_counter()
        with self.sessions() as session, session.begin():
            found = search(session, query, page=0, page_size=PAGE_SIZE)
        return time.perf_counter() - start, found

    def bare(self, query: str) -> tuple[float, list[Any]]:
        sql, params = self.prepared[query]
        start = time.perf_counter()
        rows = self._run(sql, params)
        return time.perf_counter() - start, rows

    def prepare(self, query: str) -> None:
        """Compile the bare statement (untimed)."""
        from recordsdesk.search.query import parse

        parsed = parse(query)
        assert parsed.node is not None  # every query of the mix has words
        self.prepared[query] = self._statement(parsed, count=False)
        self.prepared["count:" + query] = self._statement(parsed, count=True)

    def count(self, query: str) -> int:
        sql, params = self.prepared["count:" + query]
        return int(self._run(sql, params)[0][0])

    def check(self, query: str) -> list[str]:
        """Problems with our answer to ``query``, compared with the bare one."""
        _seconds, found = self.ours(query)
        _seconds, rows = self.bare(query)
        expected = self.count(query)
        problems = []
        if found.total != expected:
            problems.append(f"{query!r}: ours found {found.total}, bare {expected}")
        if expected and not found.groups:
            problems.append(f"{query!r}: no groups on the first page")
        if found.groups and rows:
            best, first = found.groups[0].hits[0].score, self._score(rows[0])
            if not math.isclose(best, first, rel_tol=1e-6, abs_tol=1e-9):
                problems.append(f"{query!r}: best score {best}, bare first {first}")
        if len(found.groups) != min(PAGE_SIZE, found.dossier_count):
            problems.append(f"{query!r}: {len(found.groups)} groups on the first page")
        return problems

    # -- per backend -------------------------------------------------------------------
    def _run(self, sql: str, params: Any) -> list[Any]:
        raise NotImplementedError

    def _statement(self, parsed: Any, count: bool) -> tuple[str, Any]:
        raise NotImplementedError

    def _score(self, row: Any) -> float:
        raise NotImplementedError


class SqliteRunner(Runner):
    def __init__(self, url: str, path: Path) -> None:
        super().__init__(url)
        self.raw = sqlite3.connect(path, isolation_level=None)

    def close(self) -> None:
        self.raw.close()
        super().close()

    def _run(self, sql: str, params: Any) -> list[Any]:
        return self.raw.execute(sql, params).fetchall()

    def _statement(self, parsed: Any, count: bool) -> tuple[str, Any]:
        from recordsdesk.search.to_fts5 import to_fts5

        params: list[Any] = [to_fts5(parsed.node)]
        join, where = "", ""
        if parsed.dates:
            join = " JOIN informatieobject i ON i.id = search_fts.object_id"
            first = "coalesce(i.dekking_begin, i.dekking_eind, date(i.created_at))"
            last = "coalesce(i.dekking_eind, i.dekking_begin, date(i.created_at))"
            for days in parsed.dates:
                if days.end is not None:
                    where += f" AND {first} <= ?"
                    params.append(days.end.isoformat())
                if days.start is not None:
                    where += f" AND {last} >= ?"
                    params.append(days.start.isoformat())
        if count:
            return f"SELECT count(*) FROM search_fts{join} WHERE search_fts MATCH ?{where}", params
        return (
            f"SELECT search_fts.rowid, bm25(search_fts, {WEIGHTS}) AS s FROM search_fts{join} "
            f"WHERE search_fts MATCH ?{where} ORDER BY s LIMIT {PAGE_SIZE}",
            params,
        )

    def _score(self, row: Any) -> float:
        return -float(row[1])


class PgRunner(Runner):
    def __init__(self, url: str) -> None:
        import psycopg

        from benchmarks._sync_build import plain_dsn

        super().__init__(url)
        self.raw = psycopg.connect(plain_dsn(url), autocommit=True)

    def close(self) -> None:
        self.raw.close()
        super().close()

    def _run(self, sql: str, params: Any) -> list[Any]:
        return self.raw.execute(sql, params).fetchall()

    def _statement(self, parsed: Any, count: bool) -> tuple[str, Any]:
        from sqlalchemy import Column, MetaData, Table, func, literal, literal_column, select
        from sqlalchemy import Uuid as UuidType
        from sqlalchemy.dialects.postgresql import TSVECTOR

        from recordsdesk.db.models import Informatieobject, table_of
        from recordsdesk.search import to_pg
        from recordsdesk.search.results import date_condition

        io = table_of(Informatieobject)
        names = to_pg.TSVECTOR_COLUMNS
        doc = Table("search_document", MetaData(), Column("object_id", UuidType(as_uuid=False)),
                    *(Column(n, TSVECTOR) for n in names.values()))  # fmt: skip
        columns = {key: doc.c[name] for key, name in names.items()}
        ranking = to_pg.headline_query(parsed.node)
        tsquery = func.to_tsquery(literal_column("'rd_dutch'::regconfig"), literal(ranking))
        score = func.ts_rank_cd(doc.c.tsv_all, tsquery).label("s")
        head = select(func.count()) if count else select(doc.c.object_id, score)
        statement = head.select_from(doc).where(to_pg.where_clause(parsed.node, columns))
        if parsed.dates:
            statement = statement.join_from(doc, io, io.c.id == doc.c.object_id)
            with self.engine.connect() as connection:  # for its dialect only
                statement = statement.where(
                    *(date_condition(connection, days, io) for days in parsed.dates)
                )
        if not count:
            statement = statement.order_by(score.desc()).limit(PAGE_SIZE)
        compiled = statement.compile(dialect=self.engine.dialect)
        return compiled.string, compiled.params

    def _score(self, row: Any) -> float:
        return float(row[1])


def time_queries(runner: Runner, queries: Sequence[str], rounds: int) -> Timings:
    """A warm-up round, then ``rounds`` rounds; ours and bare alternate who goes first."""
    timings = Timings([[] for _ in queries], [[] for _ in queries])
    for round_ in range(rounds + 1):
        for n, query in enumerate(queries):
            if (round_ + n) % 2:
                ours, _found = runner.ours(query)
                bare, _rows = runner.bare(query)
            else:
                bare, _rows = runner.bare(query)
                ours, _found = runner.ours(query)
            if round_:
                timings.ours[n].append(ours)
                timings.bare[n].append(bare)
    return timings
