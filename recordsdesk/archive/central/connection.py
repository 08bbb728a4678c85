"""Where a workstation's central archive is, and connecting to it.

Contract:

* The central URL lives in the working store's ``store_setting`` under
  :data:`SETTING_KEY`, never with a password. Without the setting the central
  archive is the embedded SQLite file in the home (``HomeLayout.central_url``),
  single seat, migrated on first use.
* Accepted: ``sqlite:///PATH`` and ``postgresql+psycopg://…`` (``postgresql://``
  is normalised to it). Anything else is refused and nothing is stored.
* A password lives only in the keyring (:mod:`.credentials`). When the keyring is
  unusable or empty and the server asks for one, ``ask(reason)`` is called and the
  answer serves this engine only. With no password at all, libpq is free to log in
  with Kerberos/GSSAPI where the server offers it.
* No message or exception text carries a password: URLs are rendered without it
  and driver texts are scrubbed (:mod:`.reach`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine, select

from recordsdesk import audit
from recordsdesk.archive.central import reach
from recordsdesk.archive.central.credentials import (
    KeyringStatus,
    keyring_status,
    require_usable,
    store_password,
    stored_password,
)
from recordsdesk.archive.central.reach import CentralUrl, parse_url
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import check_sqlite_file, current_revision, upgrade
from recordsdesk.db.models import StoreSetting
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, translate_error
from recordsdesk.services.workspace import Workspace

SETTING_KEY = "central.url"
Ask = Callable[[str], str | None]


@dataclass(frozen=True)
class CentralInfo:
    """The central archive as a workstation sees it (never with a password).

    ``reachable`` is None when no connection was tried; ``problem`` is a
    translated message when it could not be reached or is not usable as is.
    """

    url: str
    embedded: bool
    dialect: str
    keyring: KeyringStatus
    password_stored: bool
    reachable: bool | None
    revision: str | None = None
    problem: str | None = None


def configured_url(ws: Workspace) -> CentralUrl:
    """The central URL of this workstation: the setting, or the embedded default."""
    with ws.readers() as session:
        value = session.scalar(select(StoreSetting.value).where(StoreSetting.key == SETTING_KEY))
    return parse_url(value or ws.layout.central_url)


def _is_embedded(ws: Workspace, central: CentralUrl) -> bool:
    return central.text == parse_url(ws.layout.central_url).text


def _open(ws: Workspace, central: CentralUrl, password: str | None, ask: Ask | None) -> Engine:
    """An engine on ``central`` whose database is at the head revision (embedded: migrated)."""
    if central.is_sqlite:
        path = Path(central.url.database or "")
        embedded = _is_embedded(ws, central)
        if not embedded and not path.is_file():
            raise UserError(
                N_(
                    "There is no central archive at {path}. Create it with: "
                    "recordsdesk central init {url}"
                ),
                {"path": str(path), "url": central.text},
            )
        check_sqlite_file(path)
        engine = make_engine(central.text)
        try:
            if embedded:  # single seat: nobody else to wait for, so migrate here
                upgrade(engine, ws.layout.backups)
            else:
                reach.require_head(engine, central)
        except BaseException:
            engine.dispose()
            raise
        return engine
    engine = reach.postgres_engine(central, password, ask)
    try:
        reach.probe(engine, central, [password])
        reach.require_head(engine, central)
    except BaseException:
        engine.dispose()
        raise
    return engine


def central_engine(ws: Workspace, ask: Ask | None = None) -> Engine:
    """The engine the sync engine works on; see the module contract.

    Raises:
        UserError: unreachable (host and database named, no secret), refused login,
            or a database that is not at this version's schema (run ``central init``).
    """
    central = configured_url(ws)
    password = None if central.is_sqlite else stored_password(central.text)
    return _open(ws, central, password, ask)


def set_central(
    ws: Workspace,
    url: str,
    password: str | None = None,
    test: bool = True,
    ask: Ask | None = None,
) -> CentralInfo:
    """Point this workstation at the central archive ``url``.

    A password (given, or inside ``url``) goes to the keyring; without a usable
    keyring it is refused with the reason and nothing is stored. With ``test`` the
    connection is tried first (SELECT 1, schema at head). Then the URL without
    password is stored with one audit row. ``ask`` may supply a password for the
    test only (not stored).
    """
    central = parse_url(url)
    secret = password if password else central.password
    if secret and central.is_sqlite:
        raise UserError(N_("An SQLite central archive has no password; leave it out."))
    if central.text == parse_url(reach.render(ws.engine.url)).text:
        raise UserError(N_("That is this workstation's own working store, not a central archive."))
    if secret:
        require_usable()  # before anything is tried or stored
    revision = None
    if test:
        engine = _open(ws, central, secret, ask)
        try:
            revision = current_revision(engine)
        finally:
            engine.dispose()
    if secret:
        store_password(central.text, secret)
    with ws.sessions() as session, session.begin():
        row = session.get(StoreSetting, SETTING_KEY)
        old = row.value if row is not None else None
        if row is None:
            session.add(StoreSetting(key=SETTING_KEY, value=central.text))
        else:
            row.value = central.text
        session.flush()
        audit.append(
            session,
            at=ws.clock(),
            actor=ws.actor,
            action="setting.changed",
            object_type="setting",
            object_id=None,
            details={"key": SETTING_KEY, "old": old, "new": central.text},
        )
    return CentralInfo(
        url=central.text,
        embedded=_is_embedded(ws, central),
        dialect=central.dialect,
        keyring=keyring_status(),
        password_stored=bool(secret) or _has_password(central),
        reachable=True if test else None,
        revision=revision,
    )


def test_central(ws: Workspace, url: str, password: str | None = None) -> str | None:
    """Try the central archive ``url`` without storing any setting or password (a
    first-run assistant's "test the connection"): its schema revision, or a UserError
    that says what is wrong (unreachable, refused login, not at this version's
    schema). The embedded archive (``HOME/central.sqlite``) is made or upgraded, as
    its first sync would; any other is only read."""
    central = parse_url(url)
    if central.text == parse_url(reach.render(ws.engine.url)).text:
        raise UserError(N_("That is this workstation's own working store, not a central archive."))
    engine = _open(ws, central, password or central.password, None)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def _has_password(central: CentralUrl) -> bool:
    return not central.is_sqlite and stored_password(central.text) is not None


def central_status(ws: Workspace) -> CentralInfo:
    """The central archive for display: tries to connect, never asks, never raises
    for an unreachable server (``reachable`` False and ``problem`` say why)."""
    central = configured_url(ws)
    embedded = _is_embedded(ws, central)
    info = CentralInfo(
        url=central.text,
        embedded=embedded,
        dialect=central.dialect,
        keyring=keyring_status(),
        password_stored=_has_password(central),
        reachable=None,
    )
    if embedded and not Path(central.url.database or "").exists():
        # made (and migrated) on first use; looking must not create it
        return replace(info, reachable=True)
    try:
        engine = _plain_engine(central)
    except UserError as error:
        return replace(info, reachable=False, problem=translate_error(error))
    try:
        reach.probe(engine, central, [])
        info = replace(info, reachable=True, revision=current_revision(engine))
        if not embedded:
            reach.require_head(engine, central)
    except UserError as error:
        return replace(info, reachable=bool(info.reachable), problem=translate_error(error))
    finally:
        engine.dispose()
    return info


def _plain_engine(central: CentralUrl) -> Engine:
    """An engine for looking only: no migration, no prompt, the stored password if any."""
    if central.is_sqlite:
        path = Path(central.url.database or "")
        if not path.is_file():
            raise UserError(N_("There is no database at {path}."), {"path": str(path)})
        check_sqlite_file(path)
        return make_engine(central.text)
    return reach.postgres_engine(central, stored_password(central.text), None)
