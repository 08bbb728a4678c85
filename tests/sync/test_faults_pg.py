"""Faults only PostgreSQL can have: the server restarted in the middle of a sync, the
central database read-only, credentials revoked mid-sync. Each ends in a clear
problem in the report (never a traceback), nothing lost locally, and the next sync
after the fault converges with every invariant intact."""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import make_url

from recordsdesk.archive.central import enforce
from recordsdesk.archive.sync.blobs import DatabaseBlobs
from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import upgrade
from recordsdesk.i18n import _
from recordsdesk.services import Workspace
from tests.support.pg_private import private_cluster
from tests.sync.faults_support import (
    Child,
    Expected,
    assert_invariants,
    new_dossier,
    rename,
    small_chunks,  # noqa: F401 (autouse)
    sync_to_the_end,
    synced_rows,
    url_of,
)
from tests.sync.support import outbox

Station = Callable[[str], Workspace]
LOST = _("The connection to the central archive was lost: {reason}").split("{")[0]

pytestmark = pytest.mark.postgres


@pytest.fixture
def central(pg_url: str) -> Iterator[Central]:
    engine = make_engine(pg_url)
    upgrade(engine)
    yield Central.open(engine)
    engine.dispose()


@pytest.fixture
def own_central(pg_url: str) -> Iterator[Central]:
    """A central archive on a cluster of this test's own (tests.support.pg_private): the
    test restarts the server, which must not cut other tests' connections. ``pg_url``
    only so that the test is skipped, or fails under CI, as the other PostgreSQL tests."""
    del pg_url
    with private_cluster() as (url, _data):
        engine = make_engine(url)
        upgrade(engine)
        yield Central.open(engine)
        engine.dispose()


def _superuser(central: Central) -> psycopg.Connection[tuple[object, ...]]:
    url = url_of(central).replace("postgresql+psycopg", "postgresql")
    return psycopg.connect(url, autocommit=True)


def _restart(central: Central) -> None:
    """pg_ctl restart of ``central``'s cluster (its data directory asked of the server;
    pg_ctl runs as the cluster's owner); only ever a private one (``own_central``)."""
    with _superuser(central) as admin:
        row = admin.execute("SHOW data_directory").fetchone()
    assert row is not None
    data = Path(str(row[0]))
    postgres = (data / "postmaster.opts").read_text().split()[0].strip('"')
    pg_ctl = str(Path(postgres).with_name("pg_ctl"))
    owner = data.stat().st_uid
    command = [pg_ctl, "-D", str(data), "-l", str(data.parent / "server.log"), "-m", "fast"]
    if owner != os.getuid():
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(
        [*command, "-w", "-t", "60", "restart"],
        cwd=data.parent,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _two_with_work(
    station: Station, tmp_path: Path, expected: Expected, seed: int
) -> tuple[Workspace, Workspace]:
    rng = random.Random(seed)
    a, b = station("a"), station("b")
    for n in range(2):
        new_dossier(a, tmp_path / f"a{n}", f"Zaak A{n}", expected, rng, big=200_000)
        new_dossier(b, tmp_path / f"b{n}", f"Zaak B{n}", expected, rng, big=150_000)
    return a, b


def _problems(outcome_report: dict[str, object] | None) -> str:
    assert outcome_report is not None
    problems = outcome_report["problems"]
    assert isinstance(problems, list) and problems, "a fault must be reported"
    return " ".join(str(p["message"]) for p in problems)


def test_postgresql_restarted_in_the_middle_of_a_sync(
    own_central: Central, station: Station, tmp_path: Path
) -> None:
    central = own_central
    expected = Expected()
    a, b = _two_with_work(station, tmp_path, expected, 2)
    url = url_of(central)
    assert Child(a.layout.root, url, "none").finish().report is not None
    for ws, cue in ((b, "pause:central-commit:3"), (a, "pause:download:1")):
        child = Child(ws.layout.root, url, cue)  # b mid-push; a mid-download of b's work
        child.until("PAUSED")
        _restart(central)
        child.go()
        outcome = child.finish()
        assert outcome.returncode == 0, outcome.stderr
        assert LOST in _problems(outcome.report)
        assert Child(b.layout.root, url, "none").finish().report is not None
    central.engine.dispose()  # its pooled connections died with the server
    sync_to_the_end(central, [a, b])
    assert_invariants(central, [a, b], expected)


def test_a_read_only_central_archive_is_a_clear_problem_and_loses_nothing(
    central: Central, station: Station, tmp_path: Path
) -> None:
    expected = Expected()
    a, b = _two_with_work(station, tmp_path, expected, 4)
    sync_to_the_end(central, [a, b])
    rename(a, next(iter(expected.names)), "Zaak A0 herzien", expected)
    new_dossier(a, tmp_path / "late", "Zaak A9", expected, random.Random(9), big=150_000)
    waiting = outbox(a)
    before = synced_rows(central.engine)
    database = sql.Identifier(str(make_url(url_of(central)).database))
    with _superuser(central) as admin:
        admin.execute(
            sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on").format(database)
        )
    central.engine.dispose()  # new sessions only: the setting applies from the next login
    report = sync_once(a, central)
    assert not report.ok
    assert "read-only" in " ".join(p.message() for p in report.problems)
    assert outbox(a) == waiting, "nothing left the outbox"
    assert synced_rows(central.engine) == before
    with _superuser(central) as admin:
        admin.execute("SET default_transaction_read_only = off")  # this session only
        admin.execute(
            sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = off").format(database)
        )
    central.engine.dispose()
    sync_to_the_end(central, [a, b])
    assert_invariants(central, [a, b], expected)


@pytest.fixture
def login(central: Central) -> Iterator[str]:
    """A filer's own database login on the enforced central archive."""
    enforce.install(central.engine)
    name = f"filer_{make_url(url_of(central)).database}"
    with _superuser(central) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
    enforce.grant(central.engine, name, "filer")
    yield name
    central.engine.dispose()
    with _superuser(central) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name]
        )
        admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def test_credentials_revoked_mid_sync(
    central: Central, login: str, station: Station, tmp_path: Path
) -> None:
    expected = Expected()
    a, b = _two_with_work(station, tmp_path, expected, 7)
    as_filer = make_url(url_of(central)).set(username=login).render_as_string(False)
    filer_engine = make_engine(as_filer)
    filer = Central(filer_engine, DatabaseBlobs(filer_engine))
    child = Child(a.layout.root, as_filer, "pause:central-commit:3")
    child.until("PAUSED")
    who = sql.Identifier(login)
    with _superuser(central) as admin:
        admin.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(who))
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [login]
        )
    child.go()
    outcome = child.finish()
    assert outcome.returncode == 0, outcome.stderr
    assert LOST in _problems(outcome.report)
    assert outbox(a) > 0, "what did not go across waits in the outbox"
    refused = sync_once(b, filer)  # while revoked: a clear problem, not a traceback
    assert not refused.ok and "not permitted to log in" in refused.problems[0].message()
    with _superuser(central) as admin:
        admin.execute(sql.SQL("ALTER ROLE {} LOGIN").format(who))
    try:
        sync_to_the_end(filer, [a, b])
    finally:
        filer_engine.dispose()
    assert_invariants(central, [a, b], expected)
