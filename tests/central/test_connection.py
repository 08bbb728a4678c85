"""Pointing a workstation at the central archive: URLs, the keyring, connecting, errors.

Real SQLite and real PostgreSQL (``pg_url``); the keyring is tests/support's
in-memory backend unless a test sets another. The password prompt is exercised
against a minimal PostgreSQL-protocol server that asks for a password (the test
cluster trusts every login, so it never asks).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from sqlalchemy import func, select, text

from recordsdesk import i18n
from recordsdesk.archive.central import credentials
from recordsdesk.archive.central.connection import (
    SETTING_KEY,
    central_engine,
    central_status,
    configured_url,
    set_central,
)
from recordsdesk.archive.central.reach import parse_url
from recordsdesk.archive.central.setup import init_central
from recordsdesk.db.migrate import current_revision, head_revision
from recordsdesk.db.models import AuditEvent, StoreSetting
from recordsdesk.errors import UserError
from recordsdesk.i18n import translate_error
from recordsdesk.services import Workspace, open_workspace
from tests.central.pgwire import PasswordServer
from tests.support.memkeyring import MemoryKeyring

SECRET = "Zq8-unique-s3cret-7731"


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file backend of that name (not installed here)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a plaintext backend must never be handed a password")

    def delete_password(self, service: str, username: str) -> None:
        return None


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def use_backend() -> Iterator[Callable[[KeyringBackend], None]]:
    before = keyring.get_keyring()

    def choose(backend: KeyringBackend) -> None:
        keyring.set_keyring(backend)

    yield choose
    keyring.set_keyring(before)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "home")
    yield workspace
    workspace.close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A TCP port bound but not listening: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _setting(ws: Workspace) -> str | None:
    with ws.readers() as session:
        return session.scalar(select(StoreSetting.value).where(StoreSetting.key == SETTING_KEY))


def _audit_rows(ws: Workspace) -> int:
    with ws.readers() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


# -- the keyring -----------------------------------------------------------------------------


def test_the_memory_backend_of_the_tests_is_usable(memory: MemoryKeyring) -> None:
    status = credentials.keyring_status()
    assert status.usable and status.reason is None
    assert status.backend == "tests.support.memkeyring.MemoryKeyring"


@pytest.mark.parametrize(
    ("backend", "reason_word"),
    [
        (fail.Keyring(), "no keyring"),
        (null.Keyring(), "switched off"),
        (PlaintextKeyring(), "unencrypted"),
    ],
)
def test_backends_that_keep_nothing_safe_are_not_usable(
    use_backend: Callable[[KeyringBackend], None], backend: KeyringBackend, reason_word: str
) -> None:
    use_backend(backend)
    status = credentials.keyring_status()
    assert not status.usable
    assert status.reason is not None and reason_word in status.reason
    with pytest.raises(UserError) as refused:
        credentials.store_password("postgresql://bob@db.example:5432/archief", SECRET)
    assert "will then ask for it each time" in refused.value.english()
    assert refused.value.details[0].msgid == status.reason
    assert credentials.stored_password("postgresql://bob@db.example:5432/archief") is None


def test_a_chainer_is_judged_by_the_backend_it_writes_to(
    use_backend: Callable[[KeyringBackend], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_backend(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert not credentials.keyring_status().usable
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextKeyring(), MemoryKeyring()])
    assert not credentials.keyring_status().usable
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [MemoryKeyring()])
    status = credentials.keyring_status()
    assert status.usable and "MemoryKeyring" in status.backend


def test_store_read_and_forget_under_a_key_without_password(memory: MemoryKeyring) -> None:
    url = "postgresql+psycopg://bob:other@db.example/archief"
    assert credentials.credential_key(url) == "bob@db.example:5432/archief"
    credentials.store_password(url, SECRET)
    assert memory.get_password(credentials.SERVICE, "bob@db.example:5432/archief") == SECRET
    assert credentials.stored_password("postgresql://bob@db.example:5432/archief") == SECRET
    assert credentials.forget_password(url) is True
    assert credentials.stored_password(url) is None
    assert credentials.forget_password(url) is False


# -- URLs ------------------------------------------------------------------------------------


def test_urls_are_normalised_and_lose_their_password(tmp_path: Path) -> None:
    pg = parse_url(f"postgresql://bob:{SECRET}@db.example:6432/archief?sslmode=require")
    assert pg.text == "postgresql+psycopg://bob@db.example:6432/archief?sslmode=require"
    assert pg.password == SECRET and pg.where == "db.example:6432/archief"
    assert parse_url("postgresql+psycopg://db.example/archief").user == "-"
    option = parse_url(f"postgresql://bob@db.example/archief?password={SECRET}&sslmode=require")
    assert option.text == "postgresql+psycopg://bob@db.example/archief?sslmode=require"
    assert option.password == SECRET
    with pytest.raises(UserError, match="sslpassword"):
        parse_url(f"postgresql://bob@db.example/archief?sslpassword={SECRET}")
    relative = parse_url("sqlite:///central.sqlite")
    assert relative.is_sqlite and Path(relative.url.database or "").is_absolute()


@pytest.mark.parametrize(
    "raw",
    [
        "ftp://bob:Zq8-unique-s3cret-7731@files.example/x",
        "garbage",
        "",
        "sqlite://",
        "postgresql+psycopg2://bob@db/archief",
        "mysql://bob@db/archief",
        "postgresql://bob@db.example",
    ],
)
def test_other_urls_are_refused_without_showing_a_password(raw: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_url(raw)
    assert "is not a central archive URL" in refused.value.english()
    assert SECRET not in translate_error(refused.value)


def test_a_refused_url_stores_nothing(ws: Workspace) -> None:
    rows = _audit_rows(ws)
    with pytest.raises(UserError):
        set_central(ws, f"ftp://bob:{SECRET}@files.example/x", test=False)
    assert _setting(ws) is None and _audit_rows(ws) == rows


# -- SQLite central archives -------------------------------------------------------------------


def test_the_embedded_default_is_migrated_on_first_use(ws: Workspace) -> None:
    assert configured_url(ws).text == f"sqlite:///{ws.layout.central_db}"
    assert central_status(ws).reachable and not ws.layout.central_db.exists()
    engine = central_engine(ws)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    status = central_status(ws)
    assert status.embedded and status.reachable and status.revision == head_revision()


def test_set_stores_the_url_with_one_audit_row(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "share" / "central.sqlite"
    path.parent.mkdir()
    report = init_central(f"sqlite:///{path}")
    assert report.migrated and report.before is None and not report.enforced
    rows = _audit_rows(ws)
    info = set_central(ws, f"sqlite:///{path}")
    assert info.url == f"sqlite:///{path}" and not info.embedded and info.reachable
    assert _setting(ws) == info.url and _audit_rows(ws) == rows + 1
    with ws.readers() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last is not None and last.action == "setting.changed" and info.url in last.details
    engine = central_engine(ws)
    engine.dispose()
    again = init_central(f"sqlite:///{path}")
    assert again.already_at_head and again.before == head_revision()


def test_a_sqlite_file_that_is_not_there_or_not_set_up_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="central init"):
        set_central(ws, f"sqlite:///{tmp_path / 'nothing.sqlite'}")
    assert not (tmp_path / "nothing.sqlite").exists()
    with pytest.raises(UserError, match="has no password"):
        set_central(ws, f"sqlite:///{tmp_path / 'x.sqlite'}", password=SECRET, test=False)
    assert _setting(ws) is None


# -- PostgreSQL ------------------------------------------------------------------------------


def test_a_password_is_refused_without_a_safe_keyring_and_nothing_stored(
    ws: Workspace, use_backend: Callable[[KeyringBackend], None], closed_port: int
) -> None:
    use_backend(fail.Keyring())
    rows = _audit_rows(ws)
    with pytest.raises(UserError) as refused:
        set_central(ws, f"postgresql://bob@127.0.0.1:{closed_port}/archief", password=SECRET)
    assert "ask for it each time" in refused.value.english()
    assert "has no keyring" in refused.value.details[0].english()
    assert "has no keyring" in translate_error(refused.value)
    assert _setting(ws) is None and _audit_rows(ws) == rows


def test_unreachable_is_a_clear_message_without_the_password(
    ws: Workspace, memory: MemoryKeyring, closed_port: int
) -> None:
    url = f"postgresql://bob@127.0.0.1:{closed_port}/archief"
    with pytest.raises(UserError) as refused:
        set_central(ws, url, password=SECRET)
    message = translate_error(refused.value)
    assert f"127.0.0.1:{closed_port}/archief" in message and SECRET not in message
    assert _setting(ws) is None and credentials.stored_password(url) is None
    set_central(ws, url, password=SECRET, test=False)  # the user insists: stored, untested
    assert _setting(ws) == f"postgresql+psycopg://bob@127.0.0.1:{closed_port}/archief"
    assert credentials.stored_password(url) == SECRET
    with pytest.raises(UserError) as again:
        central_engine(ws).dispose()
    assert "Cannot reach" in again.value.english() and SECRET not in translate_error(again.value)
    status = central_status(ws)
    assert status.reachable is False and status.password_stored and status.problem


@pytest.mark.postgres
def test_set_refuses_a_database_that_was_never_initialised(
    ws: Workspace, memory: MemoryKeyring, pg_url: str
) -> None:
    with pytest.raises(UserError, match="recordsdesk central init"):
        set_central(ws, pg_url, password=SECRET)
    assert _setting(ws) is None and credentials.stored_password(pg_url) is None


@pytest.mark.postgres
def test_set_and_connect_to_an_initialised_postgresql_archive(
    ws: Workspace, memory: MemoryKeyring, pg_url: str
) -> None:
    report = init_central(pg_url)
    assert report.migrated and report.enforced and report.head == head_revision()
    assert init_central(pg_url).already_at_head
    info = set_central(ws, pg_url, password=SECRET)
    assert info.reachable and info.revision == head_revision() and info.password_stored
    assert _setting(ws) == parse_url(pg_url).text and SECRET not in (_setting(ws) or "")
    assert credentials.stored_password(pg_url) == SECRET
    engine = central_engine(ws)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
    status = central_status(ws)
    assert status.reachable and status.problem is None and not status.embedded


# -- asking for a password -------------------------------------------------------------------


@pytest.fixture
def password_server() -> Iterator[PasswordServer]:
    server = PasswordServer()
    yield server
    server.close()


def test_asks_when_the_server_wants_a_password_and_the_keyring_has_none(
    ws: Workspace, memory: MemoryKeyring, password_server: PasswordServer
) -> None:
    url = f"postgresql://bob@127.0.0.1:{password_server.port}/archief"
    set_central(ws, url, test=False)
    reasons: list[str] = []

    def ask(reason: str) -> str | None:
        reasons.append(reason)
        return "typed-once" if len(reasons) == 1 else None

    with pytest.raises(UserError) as refused:
        central_engine(ws, ask).dispose()
    assert password_server.received == ["typed-once"]
    assert "none is kept in the keyring" in reasons[0]
    assert "refused the password of bob" in reasons[1]
    assert "typed-once" not in translate_error(refused.value)
    assert credentials.stored_password(url) is None  # an answer is never stored


def test_the_keyring_password_goes_first_and_a_refusal_asks(
    ws: Workspace, memory: MemoryKeyring, password_server: PasswordServer
) -> None:
    url = f"postgresql://bob@127.0.0.1:{password_server.port}/archief"
    set_central(ws, url, password=SECRET, test=False)
    reasons: list[str] = []

    def ask(reason: str) -> str | None:
        reasons.append(reason)
        return None

    with pytest.raises(UserError) as refused:
        central_engine(ws, ask).dispose()
    assert password_server.received == [SECRET]
    assert len(reasons) == 1 and "refused the password" in reasons[0]
    assert "refused the login of bob" in refused.value.english()
    assert SECRET not in translate_error(refused.value)


def test_without_a_password_or_a_way_to_ask_the_message_says_what_to_do(
    ws: Workspace, memory: MemoryKeyring, password_server: PasswordServer
) -> None:
    set_central(ws, f"postgresql://bob@127.0.0.1:{password_server.port}/archief", test=False)
    with pytest.raises(UserError, match="--password-stdin"):
        central_engine(ws).dispose()
    assert password_server.received == []
