"""Reaching a central database: URL checks, the PostgreSQL login, and errors without secrets.

Contract:

* :func:`parse_url` accepts ``sqlite:///PATH`` (made absolute) and
  ``postgresql[+psycopg]://…`` (normalised to ``+psycopg``), splits off the
  password, and refuses anything else with a message that shows the URL with any
  password masked.
* :func:`postgres_engine` logs in with the given password, or with none (so libpq
  may use Kerberos/GSSAPI or ``.pgpass``); when the server then asks for a
  password and ``ask`` is given, ``ask(reason)`` supplies one for this engine only.
* Every error raised here is a :class:`UserError` naming host and database; driver
  texts are scrubbed of the passwords in play and of anything URL- or DSN-shaped
  that could hold one.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from recordsdesk.archive.central.credentials import keyring_status
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import current_revision, head_revision, known_revisions
from recordsdesk.errors import StoreVersionError, UserError
from recordsdesk.i18n import N_, _

CONNECT_TIMEOUT_S = 10
MAX_ASKS = 3
_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}
_URL_USERINFO = re.compile(r"(//[^/@\s:]*):[^@\s]*@")
_DSN_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class CentralUrl:
    """A checked central URL; ``url`` carries no password, ``password`` the one given."""

    url: URL
    password: str | None

    @property
    def text(self) -> str:
        return render(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def where(self) -> str:
        """Host, port and database (or the file) for messages."""
        if self.is_sqlite:
            return self.url.database or ""
        return f"{self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"

    @property
    def user(self) -> str:
        return self.url.username or "-"


def without_password(url: URL) -> URL:
    """``url`` with no password (``URL.set(password=None)`` would keep it: None means
    "unchanged" there)."""
    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )


def render(url: URL) -> str:
    """``url`` as text without its password."""
    return without_password(url).render_as_string(hide_password=False)


def mask(raw: str) -> str:
    """``raw`` with anything that looks like a password in a URL or DSN replaced by ***."""
    return _DSN_PASSWORD.sub(r"\1***", _URL_USERINFO.sub(r"\1:***@", raw))


def scrub(message: str, secrets: Iterable[str | None]) -> str:
    """A driver's message fit to show: one line, no secret, no URL password."""
    cleaned = " ".join(part.strip() for part in message.splitlines() if part.strip())
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                cleaned = cleaned.replace(form, "***")
    return mask(cleaned)[:400]


def parse_url(raw: str) -> CentralUrl:
    """Check and normalise a central URL; see the module contract."""
    refused = UserError(
        N_(
            "{url} is not a central archive URL. Use sqlite:///PATH or "
            "postgresql://USER@HOST:PORT/DATABASE."
        ),
        {"url": mask(raw.strip()) or '""'},
    )
    try:
        parsed = make_url(raw.strip())
    except (ArgumentError, ValueError):
        raise refused from None
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None or not parsed.database or parsed.database == ":memory:":
        raise refused
    password = parsed.password if isinstance(parsed.password, str) else None
    # libpq also takes secrets as options (?password=…, ?sslpassword=…): never kept
    secret_options = [key for key in parsed.query if "password" in key.lower()]
    if any(key != "password" for key in secret_options):
        raise UserError(
            N_("Leave passwords out of the URL's options ({options}): they would be kept with it."),
            {"options": ", ".join(secret_options)},
        )
    if "password" in parsed.query:
        given = parsed.query["password"]
        password = password or (given if isinstance(given, str) else given[0])
        parsed = parsed.difference_update_query(["password"])
    parsed = without_password(parsed.set(drivername=driver))
    if driver == "sqlite":
        parsed = parsed.set(database=str(Path(parsed.database or "").expanduser().resolve()))
    return CentralUrl(parsed, password or None)


class _Login:
    """The do_connect hook: the password to use, and asking for one when wanted."""

    def __init__(
        self, central: CentralUrl, password: str | None, ask: Callable[[str], str | None] | None
    ) -> None:
        self.central = central
        self.password = password
        self.ask = ask

    def connect(self, dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        import psycopg  # PostgreSQL only: not loaded for the embedded SQLite archive

        cparams.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        for attempt in range(MAX_ASKS + 1):
            if self.password:
                cparams["password"] = self.password
            try:
                return dialect.connect(*cargs, **cparams)
            except psycopg.OperationalError as exc:
                if self.ask is None or attempt == MAX_ASKS or not _wants_password(exc):
                    raise
                answer = self.ask(self._reason(exc))
                if not answer:
                    raise
                self.password = answer
        raise AssertionError("unreachable")  # the loop returns or raises

    def _reason(self, exc: Exception) -> str:
        where, user = self.central.where, self.central.user
        if self.password and "authentication failed" in str(exc).lower():
            return _("{where} refused the password of {user}; enter it again.").format(
                where=where, user=user
            )
        if not keyring_status().usable:
            return _(
                "{where} asks for the password of {user}. This computer has no safe keyring "
                "to keep it in, so it is asked each time."
            ).format(where=where, user=user)
        return _("{where} asks for the password of {user}; none is kept in the keyring.").format(
            where=where, user=user
        )


_logins: weakref.WeakKeyDictionary[Engine, _Login] = weakref.WeakKeyDictionary()


def _wants_password(exc: Exception) -> bool:
    message = str(exc).lower()
    return "no password supplied" in message or "password authentication failed" in message


def postgres_engine(
    central: CentralUrl, password: str | None, ask: Callable[[str], str | None] | None
) -> Engine:
    """An engine on a PostgreSQL central archive; the password never enters its URL."""
    engine = make_engine(central.text)
    login = _Login(central, password, ask)
    event.listen(engine, "do_connect", login.connect)
    _logins[engine] = login
    return engine


def secrets_of(engine: Engine, extra: Iterable[str | None]) -> list[str | None]:
    """``extra`` and the password ``engine`` logs in with (to scrub from messages)."""
    login = _logins.get(engine)
    return [*extra, login.password if login is not None else None]


def reason(exc: BaseException, secrets: Iterable[str | None]) -> str:
    """The driver's own words for ``exc`` (not SQLAlchemy's wrapping), scrubbed."""
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return scrub(str(original) or type(original).__name__, secrets)


def failed(exc: BaseException, central: CentralUrl, secrets: Iterable[str | None]) -> UserError:
    """The user's message for a driver error while reaching ``central``."""
    reason_ = reason(exc, secrets)
    params = {"where": central.where, "user": central.user, "url": central.text}
    if "no password supplied" in reason_.lower():
        return UserError(
            N_(
                "The central archive {where} wants a password for {user} and none was given. "
                "Store it with: recordsdesk central set {url} --password-stdin"
            ),
            params,
        )
    if "authentication failed" in reason_.lower():
        return UserError(
            N_("The central archive {where} refused the login of {user}: {reason}"),
            {**params, "reason": reason_},
        )
    return UserError(
        N_("Cannot reach the central archive {where}: {reason}"), {**params, "reason": reason_}
    )


def psycopg_error() -> type[Exception]:
    """psycopg's base error, imported when a central archive is reached (not at start-up:
    most commands never talk to PostgreSQL)."""
    import psycopg

    return psycopg.Error


def probe(engine: Engine, central: CentralUrl, secrets: Iterable[str | None]) -> None:
    """Connect and run ``SELECT 1``; a failure becomes a :class:`UserError`."""
    driver_error = psycopg_error()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DBAPIError, driver_error) as exc:
        raise failed(exc, central, secrets_of(engine, secrets)) from None


def require_head(engine: Engine, central: CentralUrl) -> None:
    """Refuse a central database that is not at this version's schema."""
    driver_error = psycopg_error()
    try:
        revision = current_revision(engine)
    except (DBAPIError, driver_error) as exc:
        raise failed(exc, central, secrets_of(engine, [])) from None
    head = head_revision()
    if revision == head:
        return
    params = {"where": central.where, "url": central.text, "revision": revision, "head": head}
    if revision is not None and revision not in known_revisions():
        raise StoreVersionError(
            N_(
                "The central archive {where} was made by a newer version of RecordsDesk "
                "(schema {revision}). Update RecordsDesk."
            ),
            params,
        )
    if revision is None:
        raise UserError(
            N_(
                "{where} is not set up as a RecordsDesk central archive. "
                "Set it up with: recordsdesk central init {url}"
            ),
            params,
        )
    raise UserError(
        N_(
            "The central archive {where} has schema {revision}; this version needs {head}. "
            "Upgrade it with: recordsdesk central init {url}"
        ),
        params,
    )
