"""``recordsdesk central init|set|show`` and ``recordsdesk audit verify`` in a real subprocess.

Secrets: the password is fed on standard input and must then appear in no file
under the home folder (database, WAL, logs); with keyring's ``fail`` backend it
is refused with the reason and nothing at all is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from recordsdesk.db.migrate import head_revision
from recordsdesk.services import create_dossier, open_workspace

SECRET = "Zq8-unique-s3cret-7731"
LANGUAGE_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "RECORDSDESK_LANG")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def cli(home: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Run:
    """``python -m recordsdesk.cli --lang en ARGS`` with ``stdin`` (a pipe, not a tty)."""
    environment = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    environment.update({"LANG": "C.UTF-8", "RECORDSDESK_HOME": str(home), **(env or {})})
    done = subprocess.run(
        [sys.executable, "-m", "recordsdesk.cli", "--lang", "en", *args],
        input=stdin.encode(),
        capture_output=True,
        env=environment,
        timeout=300,
        check=False,
    )
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A TCP port bound but not listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _settings(home: Path) -> dict[str, str]:
    with sqlite3.connect(home / "local.sqlite") as db:
        return dict(db.execute("SELECT key, value FROM store_setting").fetchall())


def _audit_count(home: Path) -> int:
    with sqlite3.connect(home / "local.sqlite") as db:
        return int(db.execute("SELECT count(*) FROM audit_event").fetchone()[0])


def _files_holding(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def _fresh(home: Path) -> Path:
    """The home with its working store made (so there is something to compare)."""
    open_workspace(home).close()
    return home


def test_without_a_safe_keyring_the_password_is_refused_and_nothing_written(
    home: Path, closed_port: int
) -> None:
    _fresh(home)
    rows = _audit_count(home)
    url = f"postgresql://bob@127.0.0.1:{closed_port}/archief"
    run = cli(home, "central", "set", url, "--password-stdin", stdin=SECRET + "\n",
              env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})  # fmt: skip
    assert run.code == 2, run
    assert "The password was not stored: there is no safe keyring" in run.err
    assert "This computer has no keyring to keep the password in" in run.err
    assert "ask for it each time" in run.err and "Traceback" not in run.err
    assert "central.url" not in _settings(home) and _audit_count(home) == rows
    assert _files_holding(home, SECRET) == []


@pytest.mark.parametrize("in_url", [False, True], ids=["stdin", "in-url"])
def test_after_set_the_password_is_in_no_file_and_the_url_has_none(
    home: Path, closed_port: int, in_url: bool
) -> None:
    _fresh(home)
    plain = f"postgresql://bob@127.0.0.1:{closed_port}/archief"
    url = f"postgresql://bob:{SECRET}@127.0.0.1:{closed_port}/archief" if in_url else plain
    args = ["central", "set", url, "--no-test"] + ([] if in_url else ["--password-stdin"])
    run = cli(home, *args, stdin="" if in_url else SECRET + "\n")
    assert run.code == 0, run
    assert "kept in the keyring (tests.support.memkeyring.MemoryKeyring)" in run.out
    assert SECRET not in run.out + run.err
    assert (
        _settings(home)["central.url"]
        == f"postgresql+psycopg://bob@127.0.0.1:{closed_port}/archief"
    )
    assert _files_holding(home, SECRET) == []
    show = cli(home, "central", "show", "--json")
    assert show.code == 0 and SECRET not in show.out
    shown = json.loads(show.out)
    assert shown["reachable"] is False and "Cannot reach" in shown["problem"]
    assert shown["keyring"]["usable"] is True and not shown["embedded"]


@pytest.mark.parametrize("bad", ["ftp://files.example/archief", "garbage"])
def test_bad_urls_are_refused_and_nothing_is_stored(home: Path, bad: str) -> None:
    _fresh(home)
    rows = _audit_count(home)
    run = cli(home, "central", "set", bad)
    assert run.code == 2
    assert f"{bad} is not a central archive URL. Use sqlite:///PATH or postgresql://" in run.err
    assert "central.url" not in _settings(home) and _audit_count(home) == rows
    assert cli(home, "central", "init", bad).code == 2


def test_unreachable_postgresql_is_a_clear_message(home: Path, closed_port: int) -> None:
    run = cli(home, "central", "set", f"postgresql://bob@127.0.0.1:{closed_port}/archief")
    assert run.code == 2 and "Traceback" not in run.err
    assert f"Cannot reach the central archive 127.0.0.1:{closed_port}/archief" in run.err
    assert "central.url" not in _settings(home)
    init = cli(home, "central", "init", f"postgresql://bob@127.0.0.1:{closed_port}/archief")
    assert init.code == 2 and "Cannot reach" in init.err and "Traceback" not in init.err
    cli(home, "central", "set", f"postgresql://bob@127.0.0.1:{closed_port}/archief", "--no-test")
    verify = cli(home, "audit", "verify", "--central")
    assert verify.code == 2 and "Cannot reach" in verify.err and "Traceback" not in verify.err


def test_init_on_a_sqlite_path_twice_then_set_and_show(home: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    first = cli(home, "central", "init", url)
    assert first.code == 0, first
    assert f"set up: schema (empty) -> {head_revision()}" in first.out
    second = cli(home, "central", "init", url)
    assert second.code == 0 and "already at head" in second.out
    chosen = cli(home, "central", "set", url)
    assert chosen.code == 0 and "now uses the central archive" in chosen.out
    shown = json.loads(cli(home, "central", "show", "--json").out)
    assert shown["url"] == url and shown["reachable"] and shown["revision"] == head_revision()
    text = cli(home, "central", "show")
    assert f"Central archive: {url} (sqlite)" in text.out and "Reachable: yes" in text.out


def test_set_on_a_sqlite_file_that_was_never_initialised(home: Path, tmp_path: Path) -> None:
    run = cli(home, "central", "set", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    assert run.code == 2 and "recordsdesk central init" in run.err
    assert not (tmp_path / "missing.sqlite").exists()


@pytest.mark.postgres
def test_set_against_a_database_that_was_never_initialised(home: Path, pg_url: str) -> None:
    run = cli(home, "central", "set", pg_url)
    assert run.code == 2, run
    assert "is not set up as a RecordsDesk central archive" in run.err
    assert "recordsdesk central init" in run.err and "Traceback" not in run.err
    assert "central.url" not in _settings(home)


@pytest.mark.postgres
def test_init_on_postgresql_twice_then_set_with_a_password(home: Path, pg_url: str) -> None:
    first = cli(home, "central", "init", pg_url, "--password-stdin", stdin=SECRET + "\n")
    assert first.code == 0, first
    assert "set up: schema (empty)" in first.out
    assert "Roles, grants and row-level security are in place." in first.out
    second = cli(home, "central", "init", pg_url)
    assert second.code == 0 and "already at head" in second.out, second
    chosen = cli(home, "central", "set", pg_url, "--password-stdin", stdin=SECRET + "\n")
    assert chosen.code == 0, chosen
    assert _files_holding(home, SECRET) == []
    verify = cli(home, "audit", "verify", "--central", "--json")
    assert verify.code == 0, verify
    assert json.loads(verify.out)["central"]["intact"] is True


def test_audit_verify_intact_then_broken(home: Path) -> None:
    ws = open_workspace(home)
    try:
        for n in range(3):
            create_dossier(ws, f"Dossier {n}")
    finally:
        ws.close()
    intact = cli(home, "audit", "verify")
    assert intact.code == 0, intact
    assert "working store: audit trail intact (3 rows)." in intact.out
    both = json.loads(cli(home, "audit", "verify", "--central", "--json").out)
    assert both["working"] == {"rows": 3, "intact": True, "breaks": []}
    assert both["central"]["intact"] is True
    with sqlite3.connect(home / "local.sqlite") as db:  # what an attacker with DDL rights does
        db.execute("DROP TRIGGER audit_event_no_update")
        seq = db.execute("SELECT seq FROM audit_event ORDER BY seq LIMIT 1 OFFSET 1").fetchone()[0]
        db.execute("UPDATE audit_event SET actor = 'someone else' WHERE seq = ?", (seq,))
    broken = cli(home, "audit", "verify")
    assert broken.code == 1, broken
    assert f"BROKEN at seq {seq}: content does not match its hash" in broken.out
    assert "audit trail broken (1 breaks in 3 rows)" in broken.out
    data = json.loads(cli(home, "audit", "verify", "--json").out)
    assert data["working"]["breaks"] == [{"seq": seq, "reason": "content does not match its hash"}]


@pytest.mark.postgres
def test_grant_and_revoke_a_role_on_the_central_archive(home: Path, pg_url: str) -> None:
    import uuid

    import psycopg
    from psycopg import sql

    login = f"login_{uuid.uuid4().hex[:10]}"
    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    assert cli(home, "central", "init", pg_url).code == 0
    assert cli(home, "central", "set", pg_url).code == 0
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
    try:
        granted = cli(home, "central", "grant", login, "filer", "--department", "Burgerzaken")
        assert granted.code == 0, granted
        assert f"{login} now has the role filer." in granted.out
        with psycopg.connect(dsn) as db:
            member = "SELECT pg_has_role(%s, 'rd_filer', 'MEMBER')"
            assert db.execute(member, (login,)).fetchone() == (True,)
            departments = db.execute(
                "SELECT department FROM user_department WHERE user_name = %s", (login,)
            ).fetchall()
            assert departments == [("Burgerzaken",)]
        revoked = cli(home, "central", "revoke", login, "filer")
        assert revoked.code == 0 and f"{login} no longer has the role filer." in revoked.out
        with psycopg.connect(dsn) as db:
            assert db.execute(member, (login,)).fetchone() == (False,)
        unknown = cli(home, "central", "grant", "nobody_here", "filer")
        assert unknown.code == 2 and "nobody_here" in unknown.err and "Traceback" not in unknown.err
    finally:
        # if still referenced somewhere it stays: the throwaway cluster goes anyway
        with psycopg.connect(dsn, autocommit=True) as db, contextlib.suppress(psycopg.Error):
            db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def test_roles_need_a_postgresql_central_archive(home: Path) -> None:
    run = cli(home, "central", "grant", "alice", "filer")  # the embedded SQLite default
    assert run.code == 2 and "Roles exist only in a PostgreSQL central archive" in run.err


def _on_terminal(home: Path, args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run the CLI on a pseudo-terminal, typing each answer after a password prompt."""
    import pty
    import select

    environment = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    environment.update({"LANG": "C.UTF-8", "RECORDSDESK_HOME": str(home)})
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its controlling tty, as in a shell
        os.execve(sys.executable, [sys.executable, "-m", "recordsdesk.cli", "--lang", "en",
                                   *args], environment)  # fmt: skip
    seen, answered = b"", 0
    while True:
        ready, _w, _x = select.select([fd], [], [], 120)
        assert ready, f"no output for 120 s; so far: {seen!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        prompts = seen.count(b"Password")
        if answered < min(prompts, len(answers)) and seen.rstrip().endswith(b":"):
            os.write(fd, answers[answered].encode() + b"\n")
            answered += 1
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_on_a_terminal_the_password_is_asked_without_echo(home: Path, closed_port: int) -> None:
    _fresh(home)
    url = f"postgresql://bob@127.0.0.1:{closed_port}/archief"
    code, screen = _on_terminal(home, ["central", "set", url, "--no-test"], [SECRET])
    assert code == 0, screen
    assert f"Password of bob for 127.0.0.1:{closed_port}/archief" in screen
    assert "The password is kept in the keyring" in screen
    assert SECRET not in screen  # not echoed
    assert _files_holding(home, SECRET) == []


def test_on_a_terminal_a_wanted_password_is_asked_with_the_reason(home: Path) -> None:
    from tests.central.pgwire import PasswordServer

    server = PasswordServer()
    try:
        url = f"postgresql://bob@127.0.0.1:{server.port}/archief"
        assert cli(home, "central", "set", url, "--no-test").code == 0
        code, screen = _on_terminal(home, ["audit", "verify", "--central"], ["typed-once", ""])
    finally:
        server.close()
    assert code == 2, screen
    assert "asks for the password of bob; none is kept in the keyring." in screen
    assert "refused the password of bob; enter it again." in screen
    assert server.received == ["typed-once"]
    assert "refused the login of bob" in screen and "typed-once" not in screen


def test_index_brings_the_central_search_index_up_to_date(home: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    assert cli(home, "central", "init", url).code == 0
    assert cli(home, "central", "set", url).code == 0
    from recordsdesk.db.engine import make_engine

    engine = make_engine(url)
    there = open_workspace(tmp_path / "in-central", engine=engine)
    try:
        create_dossier(there, "Sloopmelding Weena")
    finally:
        there.close()
        engine.dispose()
    indexed = cli(home, "central", "index", url)
    assert indexed.code == 0, indexed
    assert "1 entries written" in indexed.out
    found = cli(home, "--central", "search", "sloopmeldingen", "--json")
    assert found.code == 0, found
    result = json.loads(found.out)
    assert [g["naam"] for g in result["groups"]] == ["Sloopmelding Weena"]
    again = cli(home, "central", "index", url, "--rebuild")
    assert again.code == 0 and "1 entries written" in again.out
