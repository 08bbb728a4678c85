"""Shared pytest setup for the whole suite.

Only environment and fixtures here: no application imports, so collection works
whatever state the ``recordsdesk`` package is in.
"""

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# First, before anything imports Qt (none of the imports above does): without a
# platform and without DISPLAY, Qt aborts the whole pytest process. setdefault, so
# QT_QPA_PLATFORM=xcb (e.g. under xvfb-run) still wins.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent

# Per-session XDG directories, so platformdirs, keyring and friends never write
# into the real home directory. Set at import time (not in a fixture) because
# modules may resolve these paths when they are imported during collection.
_xdg_root = Path(tempfile.mkdtemp(prefix="rd-test-xdg-"))
atexit.register(shutil.rmtree, _xdg_root, ignore_errors=True)
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    _dir = _xdg_root / _name.removeprefix("XDG_").removesuffix("_HOME").lower()
    _dir.mkdir()
    os.environ[_name] = str(_dir)

# One Tesseract thread per OCR'd page. pytest-xdist already runs one test process per
# core; Tesseract's own OpenMP threads on top of that oversubscribe the cores, and
# OpenMP threads that wait for a core spin on it: the OCR tests ran up to seven times
# slower side by side than alone (ocrmypdf's default is a thread per spare core, as
# suits one OCR on an idle machine; that is what the app does and the benchmarks time).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Headless Linux has no usable keyring; use the in-memory one from tests/support.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memkeyring.MemoryKeyring")

# keyring imports that backend by name, also in subprocesses the tests start (e.g.
# the CLI). pytest puts the repo root on sys.path only in this process, so pass it
# on through PYTHONPATH too, or such subprocesses die on ModuleNotFoundError.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
)

PG_ENV = "RD_TEST_PG_PORT"


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty PostgreSQL database, dropped afterwards.

    Needs the throwaway cluster of scripts/pg-test-cluster.sh (``make test`` starts
    it), found through $RD_TEST_PG_PORT. Without it the test is skipped, except
    under CI, where it fails: CI must never silently skip the PostgreSQL tests.
    """
    port = os.environ.get(PG_ENV)
    if not port:
        reason = "PostgreSQL not available: run through make test"
        if _running_in_ci():
            pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
        pytest.skip(reason)

    import psycopg  # here, not at the top: only PostgreSQL tests need it
    from psycopg import sql

    name = f"rd_test_{uuid.uuid4().hex[:16]}"
    admin = {
        "host": "127.0.0.1",
        "port": int(port),
        "user": "postgres",
        "dbname": "postgres",
        "autocommit": True,  # CREATE/DROP DATABASE cannot run inside a transaction
        "connect_timeout": 10,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
    finally:
        # FORCE: a test that leaked a connection must not make teardown fail.
        with psycopg.connect(**admin) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLAlchemy URL of an empty database; each test using it runs once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'store.sqlite').as_posix()}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty RecordsDesk home directory ($RECORDSDESK_HOME points at it)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("RECORDSDESK_HOME", str(path))
    return path
