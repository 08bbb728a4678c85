"""Setting up a central archive: schema (Alembic) and, on PostgreSQL, its enforcement.

Contract: :func:`init_central` brings the database at ``url`` to this version's
schema head (creating it when empty, upgrading it when older; a newer or foreign
database is refused untouched), then on PostgreSQL installs the roles, grants,
row-level security and destroy function of :mod:`recordsdesk.archive.central.enforce`.
Every step is idempotent: a second run changes nothing and says "already at head".
The password is used for this run only; it is neither stored nor shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from recordsdesk.archive.central import reach
from recordsdesk.archive.central.credentials import stored_password
from recordsdesk.archive.central.reach import CentralUrl, parse_url
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import check_sqlite_file, current_revision, head_revision, upgrade
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_


@dataclass(frozen=True)
class InitReport:
    """What :func:`init_central` found and did (``url`` without password)."""

    url: str
    dialect: str
    before: str | None  # schema revision found; None: an empty database
    head: str
    migrated: bool  # False: it was already at head
    enforced: bool  # roles and policies installed (PostgreSQL only)

    @property
    def already_at_head(self) -> bool:
        return not self.migrated


def _engine(central: CentralUrl, password: str | None) -> Engine:
    if not central.is_sqlite:
        secret = password or central.password or stored_password(central.text)
        return reach.postgres_engine(central, secret, None)
    path = Path(central.url.database or "")
    if not path.parent.is_dir():
        raise UserError(
            N_("The folder {path} does not exist; create it first."), {"path": str(path.parent)}
        )
    check_sqlite_file(path)  # refuses a foreign or newer database before writing
    return make_engine(central.text)


def init_central(url: str, password: str | None = None, backups: Path | None = None) -> InitReport:
    """Create or upgrade the central archive at ``url``; see the module contract.

    Args:
        url: ``sqlite:///PATH`` or ``postgresql[+psycopg]://USER@HOST:PORT/DB``.
        password: for this run only (else one inside ``url``, else the keyring's,
            else none: Kerberos/GSSAPI or ``.pgpass``).
        backups: where a copy of an SQLite file goes before it is upgraded.

    Raises:
        UserError: a bad URL, an unreachable server, a refused login, a database
            that is not RecordsDesk's or is newer, or a failing step (its reason
            scrubbed of secrets).
    """
    central = parse_url(url)
    secrets = [password, central.password]
    engine = _engine(central, password)
    try:
        reach.probe(engine, central, secrets)
        try:
            before = current_revision(engine)
            migrated = upgrade(engine, backups)
            enforced = False
            if not central.is_sqlite:
                # imported here: the SQLite path never needs it (no roles there)
                from recordsdesk.archive.central import enforce

                enforce.install(engine)
                enforced = True
        except (DBAPIError, reach.psycopg_error()) as exc:
            why = reach.reason(exc, reach.secrets_of(engine, secrets))
            raise UserError(
                N_("Setting up the central archive {where} failed: {reason}"),
                {"where": central.where, "reason": why},
            ) from None
    finally:
        engine.dispose()
    return InitReport(
        url=central.text,
        dialect=central.dialect,
        before=before,
        head=head_revision(),
        migrated=migrated,
        enforced=enforced,
    )


def index_central(url: str, password: str | None = None, *, rebuild: bool = False) -> int:
    """Bring the central archive's search index up to date; the number of entries written.

    The index's owner's work (:mod:`recordsdesk.search.index`: a restricted login
    cannot tell a record it may not see from a deleted one), so run it with the
    login that ran ``central init``: on a schedule, or after a large sync. With
    ``rebuild`` every dossier and record is indexed again (entries stay searchable
    meanwhile). Credentials as for :func:`init_central`; failures are UserErrors.
    """
    from recordsdesk.search import index  # imported here: only this command needs it

    central = parse_url(url)
    secrets = [password, central.password]
    engine = _engine(central, password)
    try:
        reach.probe(engine, central, secrets)
        try:
            if rebuild:
                with engine.begin() as connection:
                    index.rebuild(connection)
            return index.catch_up(engine)
        except (DBAPIError, reach.psycopg_error()) as exc:
            why = reach.reason(exc, reach.secrets_of(engine, secrets))
            raise UserError(
                N_("Indexing the central archive {where} failed: {reason}"),
                {"where": central.where, "reason": why},
            ) from None
    finally:
        engine.dispose()
