"""Workload ``retention``: the due list and a destruction list over 1,000,000 closed dossiers.

Cases (issue 5, "Done when" point 3; see benchmarks/README.md, "Workload ``retention``"):

* ``due list``: one ``due(ws, on=DAY)`` call on a working store (SQLite, the embedded
  store) that holds 1,000,000 closed dossiers, of which about 100,000 V and a few
  thousand B are due on ``DAY``, a few hundred are held (one hold on a Serie among
  them) and a few hundred have an open archiefactiedatum. Target: < 5 s.
  Baseline, same run, same file: the plainest SQL that selects the same candidate rows
  (same columns, same ``WHERE``, ``ORDER BY kenmerk``), fetched whole with the raw
  ``sqlite3`` module. The baseline's row count must equal the number of rows the due
  list shows (a sanity check, not a timing assertion).
* ``destruction list``: ``recordsdesk.services.disposal.create_list(ws,
  kind="destruction", name="Bench", on=DAY)`` on a fresh copy of the same store.
  Target: < 30 s. Baseline: ``INSERT INTO t SELECT id …`` of the same ids (V, due, not
  held by a hold of their own or of their parent) into a temp table with ``sqlite3``;
  for information also into an ordinary table, committed with ``synchronous=FULL``.
  Until ``disposal.create_list`` exists this case prints "not available yet".
* ``rss``: peak resident set size of a child process (``benchmarks/_retention_rss_child.py``)
  running ``due()`` (then ``create_list``, when it exists) on the 1,000,000-dossier store
  and on a 500,000-dossier store with the *same* due dossiers (the other store holds
  fewer dossiers that are not due yet). The due list's contract is that memory depends
  on how many dossiers are due, not on how many the archive holds, so "flat" means the
  1,000,000 peak is at most 10 % above the 500,000 peak.

Populating is not timed (its time is printed). The stores are built once per process
and kept as database files in the work dir, so every timed run starts from the same
state; ``RECORDSDESK_BENCH_CACHE=DIR`` also keeps them between processes (keyed on the
sizes and the database schema).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import (
    Config,
    Row,
    Workload,
    log,
    median,
    profile_summary,
    sync_all,
    work_dir,
)

#: the benchmark day: fixed, so that the same dossiers are due in every run
DAY = dt.date(2026, 11, 29)
DUE_TARGET_S = 5.0
LIST_TARGET_S = 30.0
FLAT_TARGET = 0.10  # peak RSS on the big store at most 10 % above the small store's
CHUNK = 10_000  # rows per INSERT executemany, one transaction each
CACHE_ENV = "RECORDSDESK_BENCH_CACHE"
FORMAT = 1  # bump when the generated data changes (part of the cache key)
OPEN_REASON = "The brondatum is a date the records manager enters; none entered yet."
REASONS = (
    "Woo-verzoek 2026-{n:04d}: de stukken zijn opgevraagd",
    "Bezwaar- en beroepsprocedure loopt (zaak {n})",
    "Verzoek Nationale ombudsman {n}",
    "Onderzoek accountant jaarrekening, dossier {n}",
    "Aansprakelijkstelling: bewaren tot de zaak is afgewikkeld ({n})",
)
SERIE_HOLD_REASON = "Parlementaire enquête Stationsgebied: alle stukken van het project bewaren"
_EXECUTE = "<method 'execute' of 'sqlite3.Cursor' objects>"
_FETCHALL = "<method 'fetchall' of 'sqlite3.Cursor' objects>"
DUE_POINTS: tuple[tuple[str, str, str], ...] = (
    ("due (total)", "due.py", "due"),
    ("  _chunks (the candidate query, per chunk)", "due.py", "_chunks"),
    ("  held_ids (holds and parents, per chunk)", "holds.py", "held_ids"),
    ("  _hold_reasons", "due.py", "_hold_reasons"),
    ("  _item (one DueItem per row)", "due.py", "_item"),
    ("  sqlite3 Cursor.execute (SQLite's own work)", "~", _EXECUTE),
    ("  sqlite3 Cursor.fetchall", "~", _FETCHALL),
)
LIST_POINTS: tuple[tuple[str, str, str], ...] = (
    ("create_list (total)", "disposal.py", "create_list"),
    ("  _insert_candidates (INSERT ... SELECT)", "disposal.py", "_insert_candidates"),
    ("  _drop_held", "disposal.py", "_drop_held"),
    ("    held_ids (holds and parents)", "holds.py", "held_ids"),
    ("  _info (the result's counts)", "disposal.py", "_info"),
    ("  sqlite3 Cursor.execute (SQLite's own work)", "~", _EXECUTE),
    ("  sqlite3 Cursor.fetchall", "~", _FETCHALL),
    ("  Session.commit", "session.py", "commit"),
)


@dataclass(frozen=True)
class Sizes:
    """How big the stores are and how many dossiers of each kind the small one holds.

    The small store holds every due, held and undetermined dossier; the big one is the
    small one plus ``total - small`` more dossiers that are not due yet.
    """

    total: int
    small: int
    due_v: int  # V dossiers due on DAY (the Serie's and the held ones included)
    due_b: int
    undetermined: int  # closed, archiefactiedatum open
    serie_due: int  # due V dossiers in the held Serie
    serie_not_due: int
    held_due: int  # due dossiers with a hold of their own (V and B)
    held_not_due: int


FULL = Sizes(1_000_000, 500_000, 100_000, 3_000, 400, 200, 50, 250, 50)
QUICK = Sizes(2_000, 1_000, 200, 20, 5, 10, 5, 8, 2)


@dataclass
class Expected:
    """What the due list must show on DAY, counted while generating."""

    destroy: int = 0
    transfer: int = 0
    held: int = 0
    undetermined: int = 0
    held_kenmerken: list[str] = field(default_factory=list)
    serie_kenmerk: str = ""

    @property
    def rows(self) -> int:
        return self.destroy + self.transfer + self.held + self.undetermined


# ---------------------------------------------------------------- generating the store


STREETS = (
    "Coolsingel",
    "Meent",
    "Blaak",
    "Westersingel",
    "Kruiskade",
    "Goudsesingel",
    "Nieuwe Binnenweg",
    "Weena",
    "Schiekade",
    "Boezemweg",
)
SUBJECTS = (
    "Aanvraag",
    "Melding",
    "Bezwaar",
    "Verzoek",
    "Klacht",
    "Subsidie",
    "Handhavingsverzoek",
    "Vergunning",
)


def _minus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(low.toordinal(), high.toordinal()))


class Generator:
    """Dossier rows as ``recordsdesk.services.closing`` leaves them, made in bulk.

    Every row is a closed Dossier under one of 29 Series (one per procestype of the
    Selectielijst 2020) or under the extra Serie that carries a hold. V dossiers have
    a real V result with a bewaartermijn in whole years and ``archiefactiedatum =
    gesloten_op + bewaartermijn`` (afleidingswijze afgehandeld, brondatum = close
    date); B dossiers a real B result and ``archiefactiedatum = overbrengingsdatum =
    gesloten_op + P20Y``; undetermined ones a V result, afleidingswijze
    ander_datumkenmerk and the open reason closing stores.
    """

    def __init__(self, ws: Any, sizes: Sizes, seed: int = 5) -> None:
        from recordsdesk.retention import dates, selectielijst

        self.ws = ws
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.add = dates.add
        self.p20y = dates.parse_duration("P20Y")
        lijst = selectielijst.registry().get(2020)
        self.procestypen = {p.nummer: p.naam for p in lijst.procestypen}
        usable = [r for r in lijst.resultaten if not r.withdrawn]
        years = re.compile(r"^P(\d+)Y$")
        self.v_results = [
            (r, int(m.group(1)), dates.parse_duration(r.bewaartermijn or ""))
            for r in usable
            if r.mdto_waardering == "V" and (m := years.match(r.bewaartermijn or ""))
        ]
        self.v_short = [entry for entry in self.v_results if entry[1] <= 20]
        self.b_results = [r for r in usable if r.mdto_waardering == "B"]
        self.series: dict[int, str] = {}
        self.held_serie = ""
        self.expected = Expected()
        self.now = dt.datetime(2026, 11, 29, 6, 0, tzinfo=dt.UTC)

    # The kinds: d = due V, b = due B, u = undetermined, s / t = in the held Serie (due
    # V / not due), h / c / g = a hold of its own (due V / due B / not due), n = not due.
    def small_kinds(self) -> list[str]:
        s = self.sizes
        held_b = s.held_due // 10
        kinds = (
            ["d"] * (s.due_v - s.serie_due - (s.held_due - held_b))
            + ["b"] * (s.due_b - held_b)
            + ["u"] * s.undetermined
            + ["s"] * s.serie_due
            + ["t"] * s.serie_not_due
            + ["h"] * (s.held_due - held_b)
            + ["c"] * held_b
            + ["g"] * s.held_not_due
        )
        kinds += ["n"] * (s.small - len(kinds))
        self.rng.shuffle(kinds)
        return kinds

    def insert_series(self) -> None:
        from sqlalchemy import insert

        from recordsdesk import kenmerk
        from recordsdesk.db.models import Informatieobject, StoreSetting, table_of

        rows = []
        with self.ws.sessions() as session, session.begin():
            names = [(n, f"{n}. {naam}") for n, naam in sorted(self.procestypen.items())]
            names.append((0, "Project Stationsgebied 1998-2012"))
            first = int(session.get(StoreSetting, "next_sequence").value)
            for offset, (nummer, naam) in enumerate(names):
                row_id = str(uuid.uuid4())
                rows.append(
                    self._base(row_id, kenmerk.make("D", self.ws.station, first + offset))
                    | {
                        "aggregatieniveau": "Serie",
                        "naam": naam,
                        "status": "open",
                        "waardering": "N",
                    }
                )
                if nummer:
                    self.series[nummer] = row_id
                else:
                    self.held_serie = row_id
                    self.expected.serie_kenmerk = rows[-1]["kenmerk"]
            session.execute(insert(table_of(Informatieobject)), rows)
            session.get(StoreSetting, "next_sequence").value = str(first + len(rows))

    def _base(self, row_id: str, kenmerk_: str) -> dict[str, Any]:
        return {
            "id": row_id,
            "kenmerk": kenmerk_,
            "identificatie_bron": "RecordsDesk",
            "aggregatieniveau": "Dossier",
            "parent_id": None,
            "naam": "",
            "omschrijving": None,
            "dekking_begin": None,
            "dekking_eind": None,
            "classificatie": None,
            "informatiecategorie": None,
            "waardering": "N",
            "bewaartermijn": None,
            "archiefactiedatum": None,
            "archiefvormer": "Gemeente Rotterdam",
            "activiteit": None,
            "beperking_gebruik": "Nader te bepalen",
            "status": "closed",
            "created_at": self.now,
            "created_by": "benchmark@recordsdesk",
            "updated_at": self.now,
            "version": 1,
            "selectielijst_jaar": None,
            "resultaat_nummer": None,
            "afleidingswijze": None,
            "gesloten_op": None,
            "brondatum": None,
            "overbrengingsdatum": None,
            "archiefactie_open": None,
            "mdto": None,
        }

    def dossier(self, kind: str, sequence: int) -> dict[str, Any]:
        from recordsdesk import kenmerk

        rng = self.rng
        row = self._base(str(uuid.uuid4()), kenmerk.make("D", self.ws.station, sequence))
        due = kind in "dbushc"
        waardering = "B" if kind in "bc" or (kind in "ng" and rng.random() < 0.25) else "V"
        open_day = dt.date(1986, 1, 1)
        if kind == "u":
            result, _years, _term = rng.choice(self.v_results)
            closed = _between(rng, dt.date(2015, 1, 1), DAY)
            row |= {
                "afleidingswijze": "ander_datumkenmerk",
                "archiefactie_open": OPEN_REASON,
                "bewaartermijn": result.bewaartermijn,
            }
            self.expected.undetermined += 1
        elif waardering == "V":
            result, years, term = rng.choice(self.v_short if due else self.v_results)
            edge = _minus_years(DAY, years)
            if due:
                closed = _between(rng, max(open_day, _minus_years(edge, 15)), edge)
            else:
                closed = _between(rng, max(open_day, edge + dt.timedelta(days=1)), DAY)
            row |= {
                "afleidingswijze": "afgehandeld",
                "brondatum": closed,
                "bewaartermijn": result.bewaartermijn,
                "archiefactiedatum": self.add(closed, term),
            }
        else:
            result = rng.choice(self.b_results)
            edge = _minus_years(DAY, 20)
            if due:
                closed = _between(rng, open_day, edge)
            else:
                closed = _between(rng, edge + dt.timedelta(days=1), DAY)
            transfer = self.add(closed, self.p20y)
            row |= {
                "afleidingswijze": "afgehandeld",
                "brondatum": closed,
                "archiefactiedatum": transfer,
                "overbrengingsdatum": transfer,
            }
        aad = row["archiefactiedatum"]
        if aad is not None and (aad <= DAY) != due:  # the generator's own check
            raise RuntimeError(f"kind {kind}: archiefactiedatum {aad} is wrong for DAY {DAY}")
        if kind in "st":
            row["parent_id"] = self.held_serie
        else:
            row["parent_id"] = self.series[result.procestype]
        if kind in "shc":
            self.expected.held += 1
        elif kind == "b":
            self.expected.transfer += 1
        elif kind == "d":
            self.expected.destroy += 1
        if kind in "hcg":
            self.expected.held_kenmerken.append(row["kenmerk"])
        opened = closed - dt.timedelta(days=rng.randint(14, 900))
        subject = SUBJECTS[sequence % len(SUBJECTS)]
        street = STREETS[sequence % len(STREETS)]
        procestype = self.procestypen[result.procestype]
        row |= {
            "naam": f"{subject} {street} {sequence % 400 + 1}: {procestype.lower()}",
            "dekking_begin": opened,
            "dekking_eind": closed,
            "informatiecategorie": result.volledig_nummer,
            "waardering": waardering,
            "selectielijst_jaar": 2020,
            "resultaat_nummer": result.volledig_nummer,
            "gesloten_op": closed,
            "created_at": dt.datetime.combine(opened, dt.time(9, 15), dt.UTC),
            "updated_at": dt.datetime.combine(closed, dt.time(16, 40), dt.UTC),
        }
        return row

    def insert_dossiers(self, kinds: list[str]) -> None:
        """One transaction per :data:`CHUNK` rows; the kenmerk counter moves with them."""
        from sqlalchemy import insert

        from recordsdesk.db.models import Informatieobject, StoreSetting, table_of

        table = table_of(Informatieobject)
        for start in range(0, len(kinds), CHUNK):
            with self.ws.sessions() as session, session.begin():
                setting = session.get(StoreSetting, "next_sequence")
                first = int(setting.value)
                part = kinds[start : start + CHUNK]
                rows = [self.dossier(kind, first + i) for i, kind in enumerate(part)]
                session.execute(insert(table), rows)
                setting.value = str(first + len(rows))

    def place_holds(self) -> None:
        from recordsdesk.services.holds import place_hold

        place_hold(self.ws, self.expected.serie_kenmerk, SERIE_HOLD_REASON)
        for index, typed in enumerate(self.expected.held_kenmerken):
            reason = REASONS[index % len(REASONS)].format(n=index + 1)
            place_hold(self.ws, typed, reason)


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the database file, so that the file alone is the whole store."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def restore(snapshot: Path, home: Path) -> Path:
    """A home whose database is a fresh copy of ``snapshot``; returns the home."""
    from recordsdesk.paths import HomeLayout

    layout = HomeLayout(home)
    layout.root.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{layout.local_db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(snapshot, layout.local_db)
    return home


def _cache_key(sizes: Sizes) -> str:
    from recordsdesk.db.migrate import head_revision

    text = f"{FORMAT}/{sizes}/{DAY}/{head_revision()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Stores:
    small: Path  # database file: every due dossier, ``sizes.small`` dossiers in all
    big: Path  # the small one plus ``total - small`` dossiers not due yet
    expected: Expected
    seconds: float  # populating (0 when taken from the cache)
    detail: str


def build_stores(config: Config, work: Path, sizes: Sizes) -> Stores:
    """The two database files, generated (untimed) or taken from the cache."""
    from recordsdesk.paths import HomeLayout
    from recordsdesk.services.workspace import open_workspace

    cache_dir = os.environ.get(CACHE_ENV)
    key = _cache_key(sizes)
    if cache_dir:
        cached = Path(cache_dir) / f"retention-{key}"
        if (cached / "expected.json").exists():
            expected = Expected(**json.loads((cached / "expected.json").read_text()))
            log(config, f"stores taken from the cache {cached}")
            made = (cached / "detail.txt").read_text().strip()
            detail = f"not in this run: stores taken from {cached} (when made: {made})"
            return Stores(cached / "small.sqlite", cached / "big.sqlite", expected, 0.0, detail)
    home = work / "populate-home"
    ws = open_workspace(home)
    started = time.perf_counter()
    generator = Generator(ws, sizes)
    try:
        generator.insert_series()
        generator.insert_dossiers(generator.small_kinds())
        rows_s = time.perf_counter() - started
        generator.place_holds()
        holds_s = time.perf_counter() - started - rows_s
    finally:
        ws.close()
    db = HomeLayout(home).local_db
    _checkpoint(db)
    small = work / "small.sqlite"
    shutil.copyfile(db, small)
    log(
        config,
        f"populated {sizes.small:,} dossiers in {rows_s:.1f} s, "
        f"{len(generator.expected.held_kenmerken) + 1} holds in {holds_s:.1f} s",
    )
    more_started = time.perf_counter()
    ws = open_workspace(home)
    generator.ws = ws
    try:
        generator.insert_dossiers(["n"] * (sizes.total - sizes.small))
    finally:
        ws.close()
    _checkpoint(db)
    big = work / "big.sqlite"
    shutil.copyfile(db, big)
    shutil.rmtree(home)
    seconds = time.perf_counter() - started
    log(
        config,
        f"populated {sizes.total - sizes.small:,} more in {time.perf_counter() - more_started:.1f}"
        f" s; stores {small.stat().st_size / 1e6:.0f} MB and {big.stat().st_size / 1e6:.0f} MB",
    )
    detail = (
        f"rows {rows_s:.1f} s for {sizes.small:,} + "
        f"{time.perf_counter() - more_started:.1f} s for {sizes.total - sizes.small:,}, "
        f"holds {holds_s:.1f} s; files {small.stat().st_size / 1e6:.0f} MB and "
        f"{big.stat().st_size / 1e6:.0f} MB"
    )
    if cache_dir:
        cached = Path(cache_dir) / f"retention-{key}"
        cached.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(small, cached / "small.sqlite")
        shutil.copyfile(big, cached / "big.sqlite")
        fields = dict(vars(generator.expected))
        (cached / "detail.txt").write_text(f"{seconds:.1f} s: {detail}\n")
        (cached / "expected.json").write_text(json.dumps(fields))
        log(config, f"stores cached in {cached}")
    return Stores(small, big, generator.expected, seconds, detail)


# ---------------------------------------------------------------- due list

CANDIDATES_SQL = (
    "SELECT id, kenmerk, naam, waardering, selectielijst_jaar, resultaat_nummer, gesloten_op, "
    "archiefactiedatum, archiefactie_open FROM informatieobject "
    "WHERE status = 'closed' AND aggregatieniveau = 'Dossier' "
    "AND (archiefactiedatum <= ? OR archiefactiedatum IS NULL) ORDER BY kenmerk"
)


def baseline_due(db: Path) -> tuple[float, float, int]:
    """(wall, CPU seconds, rows) of the plain candidate query, fetched whole with ``sqlite3``."""
    start, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(CANDIDATES_SQL, (DAY.isoformat(),)).fetchall()
    finally:
        connection.close()
    return time.perf_counter() - start, time.process_time() - cpu, len(rows)


def ours_due(ws: Any, profiler: cProfile.Profile | None = None) -> tuple[float, float, Any]:
    """(wall, CPU seconds, the due list) of one ``due(ws, on=DAY)``."""
    from recordsdesk.services.due import due

    if profiler is not None:
        profiler.enable()
    start, cpu = time.perf_counter(), time.process_time()
    result = due(ws, on=DAY)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
    return seconds, cpu, result


def _check_due(result: Any, expected: Expected, baseline_rows: int) -> str:
    """The due list's counts against what was generated (a sanity check, not a timing)."""
    found = (
        len(result.destroy),
        len(result.transfer),
        len(result.held),
        len(result.undetermined),
    )
    wanted = (expected.destroy, expected.transfer, expected.held, expected.undetermined)
    if found != wanted or sum(found) != baseline_rows:
        raise RuntimeError(
            f"due list (destroy, transfer, held, undetermined) = {found}, generated {wanted}, "
            f"plain query {baseline_rows} rows"
        )
    return (
        f"{found[0]:,} to destroy, {found[1]:,} to transfer, {found[2]:,} held, "
        f"{found[3]:,} undetermined"
    )


def _measure_due(config: Config, work: Path, stores: Stores, sizes: Sizes) -> list[Row]:
    from recordsdesk.services.workspace import open_workspace

    home = restore(stores.big, work / "due-home")
    db = home / "local.sqlite"
    runs = 1 if config.quick else config.runs_small
    ours: list[float] = []
    ours_cpu: list[float] = []
    baselines: list[float] = []
    baselines_cpu: list[float] = []
    shown = ""
    rows = baseline_due(db)[2]  # untimed: the count the due list is checked against
    ws = open_workspace(home)
    try:

        def run_ours(index: int) -> None:
            nonlocal shown
            seconds, cpu, result = ours_due(ws)
            ours.append(seconds)
            ours_cpu.append(cpu)
            shown = _check_due(result, stores.expected, rows)
            del result
            log(config, f"run {index + 1}/{runs}: due() {seconds:.3f} s (CPU {cpu:.3f} s)")

        def run_baseline(index: int) -> None:
            seconds, cpu, found = baseline_due(db)
            baselines.append(seconds)
            baselines_cpu.append(cpu)
            log(config, f"run {index + 1}/{runs}: plain query {seconds:.3f} s ({found:,} rows)")

        contenders: list[Callable[[int], None]] = [run_baseline, run_ours]
        for index in range(runs):
            for contender in contenders if index % 2 == 0 else contenders[::-1]:
                contender(index)
        notes = [
            f"retention: {sizes.total:,} closed dossiers, due on {DAY}: {shown}; ours = "
            "due(ws, on=DAY); baseline = one plain SELECT of the same candidate rows "
            "(same columns and WHERE, ORDER BY kenmerk) with sqlite3, fetchall; "
            f"median of {runs} runs each, alternating",
        ]
        if config.profile:
            profiler = cProfile.Profile()
            seconds, _cpu, _result = ours_due(ws, profiler)
            notes.append(f"profile: one extra untimed due() under cProfile took {seconds:.3f} s")
            notes.extend(profile_summary(profiler, DUE_POINTS, 44))
            notes.extend(_query_plan(db))
    finally:
        ws.close()
        shutil.rmtree(home)  # each copy of the big store is about 0.6 GB
    ours_s, base_s = median(ours), median(baselines)
    case = f"due list, {sizes.total} dossiers"
    return [
        Row(
            workload="retention",
            case=case,
            unit="s",
            ours=ours_s,
            baseline=base_s,
            baseline_label="plain SELECT (sqlite3)",
            target=f"< {DUE_TARGET_S:g} s",
            met=ours_s < DUE_TARGET_S,
            runs_ours=ours,
            runs_baseline=baselines,
            notes=notes,
        ),
        Row(
            workload="retention",
            case=f"{case}, CPU time",
            unit="s",
            ours=median(ours_cpu),
            baseline=median(baselines_cpu),
            baseline_label="plain SELECT (sqlite3)",
            target="(info)",
            met=None,
            runs_ours=ours_cpu,
            runs_baseline=baselines_cpu,
            notes=[
                "retention: CPU time = this process's user + system time over the same runs "
                "(the sqlite3 module runs SQLite in this process); less sensitive than wall "
                "time to other jobs on the machine"
            ],
        ),
    ]


def _query_plan(db: Path) -> list[str]:
    """SQLite's plan for the due list's chunk query (as due.py issues it) and the baseline's."""
    chunk = (
        "SELECT id FROM informatieobject WHERE status = 'closed' AND aggregatieniveau = "
        "'Dossier' AND (archiefactiedatum <= ? OR archiefactiedatum IS NULL) AND kenmerk > ? "
        "ORDER BY kenmerk LIMIT 2000"
    )
    connection = sqlite3.connect(db)
    try:
        lines = []
        for label, sql, args in (
            ("due chunk query", chunk, (DAY.isoformat(), "")),
            ("plain query", CANDIDATES_SQL, (DAY.isoformat(),)),
        ):
            plan = connection.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
            lines.append(f"plan: {label}: " + "; ".join(str(step[-1]) for step in plan))
        return lines
    finally:
        connection.close()


# ---------------------------------------------------------------- destruction list


def create_list_function() -> Callable[..., Any] | None:
    """``disposal.create_list``, or None while it does not exist yet."""
    try:
        from recordsdesk.services import disposal  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    function = getattr(disposal, "create_list", None)
    return function if callable(function) else None


def item_count(created: Any) -> int | None:
    """How many items ``create_list`` reports, when its result says (else None)."""
    for name in ("counts", "items", "count", "item_count", "size"):
        value = getattr(created, name, None)
        if isinstance(value, int):
            return value
        if isinstance(value, Mapping):  # items per state
            return sum(int(n) for n in value.values())
        if isinstance(value, list | tuple):
            return len(value)
    return None


HELD_FILTER = (
    "NOT EXISTS (SELECT 1 FROM hold WHERE hold.lifted_at IS NULL AND "
    "hold.informatieobject_id IN (informatieobject.id, informatieobject.parent_id))"
)
DESTROY_SQL = (
    "SELECT id FROM informatieobject WHERE status = 'closed' AND aggregatieniveau = 'Dossier' "
    f"AND waardering = 'V' AND archiefactiedatum <= ? AND {HELD_FILTER} ORDER BY kenmerk"
)


def baseline_list(db: Path, durable: bool) -> tuple[float, int]:
    """(seconds, rows) of ``INSERT INTO t SELECT`` the ids to destroy (temp or durable table)."""
    start = time.perf_counter()
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        if durable:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
        table = "bench_list" if durable else "temp.bench_list"
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(f"CREATE TABLE {table} (position INTEGER PRIMARY KEY, id TEXT)")
        cursor = connection.execute(f"INSERT INTO {table} (id) {DESTROY_SQL}", (DAY.isoformat(),))
        rows = cursor.rowcount
        connection.execute("COMMIT")
    finally:
        connection.close()
    return time.perf_counter() - start, rows


def ours_list(
    ws: Any, create_list: Callable[..., Any], profiler: cProfile.Profile | None = None
) -> tuple[float, Any]:
    if profiler is not None:
        profiler.enable()
    start = time.perf_counter()
    created = create_list(ws, kind="destruction", name="Bench", on=DAY)
    seconds = time.perf_counter() - start
    if profiler is not None:
        profiler.disable()
    return seconds, created


def _measure_list(config: Config, work: Path, stores: Stores, sizes: Sizes) -> list[Row]:
    from recordsdesk.services.workspace import open_workspace

    create_list = create_list_function()
    if create_list is None:
        log(config, "destruction list: not available yet (no disposal.create_list)")
        return []
    runs = 1 if config.quick else config.runs_big
    ours: list[float] = []
    baselines: list[float] = []
    durables: list[float] = []
    counts: set[int | None] = set()
    for index in range(runs):
        # each contender gets a fresh copy of the store: the list is written into it
        for label in ("temp", "durable", "ours") if index % 2 == 0 else ("ours", "durable", "temp"):
            home = restore(stores.big, work / f"list-home-{label}")
            sync_all()
            if label == "ours":
                ws = open_workspace(home)
                try:
                    seconds, created = ours_list(ws, create_list)
                finally:
                    ws.close()
                ours.append(seconds)
                counts.add(item_count(created))
                log(config, f"run {index + 1}/{runs}: create_list {seconds:.3f} s")
            else:
                seconds, rows = baseline_list(home / "local.sqlite", durable=label == "durable")
                (durables if label == "durable" else baselines).append(seconds)
                if rows != stores.expected.destroy:
                    raise RuntimeError(
                        f"baseline list has {rows} ids, expected {stores.expected.destroy}"
                    )
                log(config, f"run {index + 1}/{runs}: INSERT … SELECT ({label}) {seconds:.3f} s")
            shutil.rmtree(home)
    count = next(iter(counts)) if len(counts) == 1 else None
    if count is not None and count != stores.expected.destroy:
        raise RuntimeError(f"create_list made {count} items, expected {stores.expected.destroy}")
    shown = f"{count:,} items" if count is not None else "item count not reported by its result"
    notes = [
        f"retention: destruction list on {DAY} ({shown}; {stores.expected.destroy:,} V dossiers "
        "due and not held); ours = disposal.create_list on a fresh copy of the store; baseline "
        "= INSERT INTO a temp table SELECT the same ids (V, due, no active hold on the dossier "
        f"or its parent) with sqlite3; median of {runs} runs each, alternating",
    ]
    if config.profile:
        home = restore(stores.big, work / "list-home-profile")
        ws = open_workspace(home)
        try:
            profiler = cProfile.Profile()
            seconds, _created = ours_list(ws, create_list, profiler)
        finally:
            ws.close()
            shutil.rmtree(home)
        notes.append(f"profile: one extra untimed create_list under cProfile took {seconds:.3f} s")
        notes.extend(profile_summary(profiler, LIST_POINTS, 44))
    ours_s = median(ours)
    return [
        Row(
            workload="retention",
            case=f"destruction list, {stores.expected.destroy} items",
            unit="s",
            ours=ours_s,
            baseline=median(baselines),
            baseline_label="INSERT … SELECT, temp table",
            target=f"< {LIST_TARGET_S:g} s",
            met=ours_s < LIST_TARGET_S,
            runs_ours=ours,
            runs_baseline=baselines,
            notes=notes,
        ),
        Row(
            workload="retention",
            case=f"destruction list, {stores.expected.destroy} items",
            unit="s",
            ours=ours_s,
            baseline=median(durables),
            baseline_label="INSERT … SELECT, table, FULL sync",
            target="(info)",
            met=None,
            runs_ours=ours,
            runs_baseline=durables,
        ),
    ]


# ---------------------------------------------------------------- memory


def _rss_child(home: Path, with_list: bool) -> dict[str, Any]:
    sync_all()
    command = [sys.executable, "-m", "benchmarks._retention_rss_child", str(home), DAY.isoformat()]
    output = subprocess.run(
        [*command, "list"] if with_list else command,
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def _measure_rss(config: Config, work: Path, stores: Stores, sizes: Sizes) -> list[Row]:
    with_list = create_list_function() is not None
    found = {}
    for label, snapshot in (("small", stores.small), ("big", stores.big)):
        home = restore(snapshot, work / f"rss-home-{label}")
        found[label] = _rss_child(home, with_list)
        shutil.rmtree(home)
        if found[label]["due_rows"] != stores.expected.rows:
            raise RuntimeError(
                f"rss child's due list has {found[label]['due_rows']} rows, "
                f"expected {stores.expected.rows}"
            )
    mb = 1e6
    small, big = found["small"], found["big"]
    log(
        config,
        f"rss: due() on {sizes.small:,} peak {small['after_due'] / mb:.1f} MB, on "
        f"{sizes.total:,} {big['after_due'] / mb:.1f} MB",
    )
    rows = [
        Row(
            workload="retention",
            case=f"rss due, {sizes.total} vs {sizes.small}",
            unit="MB",
            ours=big["after_due"] / mb,
            baseline=small["after_due"] / mb,
            baseline_label=f"peak on {sizes.small} dossiers",
            target=f"<= +{FLAT_TARGET:.0%}",
            met=big["after_due"] <= small["after_due"] * (1 + FLAT_TARGET),
            runs_ours=[big["after_due"] / mb],
            runs_baseline=[small["after_due"] / mb],
            notes=[
                f"rss: child after imports + open workspace {small['after_open'] / mb:.1f} MB "
                f"({big['after_open'] / mb:.1f} MB); due() on {sizes.small:,} dossiers adds "
                f"{(small['after_due'] - small['after_open']) / mb:+.1f} MB "
                f"({small['due_seconds']:.2f} s), on {sizes.total:,} "
                f"{(big['after_due'] - big['after_open']) / mb:+.1f} MB "
                f"({big['due_seconds']:.2f} s); both stores hold the same "
                f"{stores.expected.rows:,} due rows, the big one {sizes.total - sizes.small:,} "
                "more not due yet; flat means peak(big) <= peak(small) + "
                f"{FLAT_TARGET:.0%}",
            ],
        )
    ]
    if with_list:
        rows.append(
            Row(
                workload="retention",
                case=f"rss due + list, {sizes.total} vs {sizes.small}",
                unit="MB",
                ours=big["peak"] / mb,
                baseline=small["peak"] / mb,
                baseline_label=f"peak on {sizes.small} dossiers",
                target=f"<= +{FLAT_TARGET:.0%}",
                met=big["peak"] <= small["peak"] * (1 + FLAT_TARGET),
                runs_ours=[big["peak"] / mb],
                runs_baseline=[small["peak"] / mb],
                notes=[
                    f"rss: create_list after due() in the same child: "
                    f"{small['list_seconds']:.2f} s and {big['list_seconds']:.2f} s"
                ],
            )
        )
    return rows


def run(config: Config) -> list[Row]:
    sizes = QUICK if config.quick else FULL
    with work_dir(config, "retention") as work:
        log(config, f"work dir {work}")
        stores = build_stores(config, work, sizes)
        rows = _measure_due(config, work, stores, sizes)
        rows[0].notes.append(
            f"retention: populating (untimed) took {stores.seconds:.1f} s: {stores.detail}"
        )
        listed = _measure_list(config, work, stores, sizes)
        rows.extend(listed)
        if not listed:
            rows[0].notes.append(
                "retention: destruction list (disposal.create_list): not available yet"
            )
        rows.extend(_measure_rss(config, work, stores, sizes))
    return rows


WORKLOAD = Workload(
    name="retention",
    description="due list and a destruction list over 1,000,000 closed dossiers vs plain SQL",
    run=run,
)
