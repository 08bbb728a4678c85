"""The central archive's password or token: only ever in the operating system's keyring.

Contract:

* Secrets go through :mod:`keyring` (Windows Credential Locker, macOS Keychain,
  Secret Service) under the service :data:`SERVICE` and a user key made from the
  database URL without its password (``user@host:port/dbname``). Nothing here
  writes a secret anywhere else, logs it or puts it in an exception text.
* A backend that does not keep secrets safely is not *usable*: keyring's
  ``fail`` and ``null`` backends, a chainer with no real backend behind it, and
  any backend that stores passwords unencrypted (keyrings.alt's
  ``PlaintextKeyring`` and its kind). There is no plaintext fallback: without a
  usable backend :func:`store_password` refuses and the app asks each time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import keyring
import keyring.errors
from keyring.backends import chainer, fail, null
from sqlalchemy.engine import URL, make_url

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_

SERVICE = "RecordsDesk central archive"
log = logging.getLogger(__name__)

_NO_BACKEND = N_(
    "This computer has no keyring to keep the password in (Windows Credential Locker, "
    "macOS Keychain or Secret Service)."
)
_SWITCHED_OFF = N_("The keyring is switched off on this computer (keyring's null backend).")
_PLAINTEXT = N_(
    "The keyring backend on this computer keeps passwords unencrypted in a file; "
    "RecordsDesk does not use it."
)
# Words in a backend's class or module name that mean "kept in the clear".
_UNSAFE_WORDS = ("plaintext", "uncrypted", "unencrypted", "cleartext")


@dataclass(frozen=True)
class KeyringStatus:
    """Whether secrets can be kept: ``reason`` (a msgid) says why not."""

    usable: bool
    backend: str
    reason: str | None = None


def _name(backend: Any) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def _unsafe(backend: Any) -> bool:
    """True for a backend that keeps secrets in the clear (judged by its class lineage)."""
    for kind in type(backend).__mro__:
        name = f"{kind.__module__}.{kind.__qualname__}".lower()
        if any(word in name for word in _UNSAFE_WORDS):
            return True
        # keyrings.alt's file backends: only the Encrypted one encrypts.
        if kind.__module__.startswith("keyrings.alt.file") and kind.__name__.endswith("Keyring"):
            return "encrypted" not in type(backend).__name__.lower()
    return False


def _judge(backend: Any) -> KeyringStatus:
    name = _name(backend)
    if isinstance(backend, fail.Keyring):
        return KeyringStatus(False, name, _NO_BACKEND)
    if isinstance(backend, null.Keyring):
        return KeyringStatus(False, name, _SWITCHED_OFF)
    if _unsafe(backend):
        return KeyringStatus(False, name, _PLAINTEXT)
    return KeyringStatus(True, name)


def keyring_status() -> KeyringStatus:
    """The keyring backend in force and whether it may hold the central password.

    A chainer writes to its first (highest-priority) backend, so that one is judged.
    """
    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return KeyringStatus(False, _name(backend), _NO_BACKEND)
        first = _judge(chained[0])
        return KeyringStatus(first.usable, f"{_name(backend)} ({first.backend})", first.reason)
    return _judge(backend)


def credential_key(url: str | URL) -> str:
    """The keyring user key for a database URL: ``user@host:port/dbname``, no password."""
    parsed = make_url(url) if isinstance(url, str) else url
    port = parsed.port or (5432 if parsed.get_backend_name() == "postgresql" else "")
    return f"{parsed.username or ''}@{parsed.host or ''}:{port}/{parsed.database or ''}"


def _keyring_failed(exc: Exception) -> UserError:
    # The text of a keyring error names the backend's trouble (locked, no D-Bus),
    # never the secret passed to it.
    return UserError(
        N_("The keyring refused the request: {reason}"),
        {"reason": str(exc) or type(exc).__name__},
    )


def require_usable() -> None:
    """Refuse (UserError, the reason as a detail) when the keyring may not hold a secret."""
    status = keyring_status()
    if not status.usable:
        assert status.reason is not None
        raise UserError(
            N_(
                "The password was not stored: there is no safe keyring on this computer "
                "({backend}). Point at the central archive without a password; "
                "RecordsDesk will then ask for it each time it connects."
            ),
            {"backend": status.backend},
            details=[UserError(status.reason)],
        )


def store_password(url: str | URL, secret: str) -> None:
    """Keep ``secret`` for ``url`` in the keyring.

    Raises:
        UserError: no usable keyring (the reason as a detail), or the keyring refused.
    """
    require_usable()
    try:
        keyring.set_password(SERVICE, credential_key(url), secret)
    except keyring.errors.KeyringError as exc:
        raise _keyring_failed(exc) from None


def stored_password(url: str | URL) -> str | None:
    """The secret kept for ``url``, or None (none kept, or no usable keyring).

    A keyring that fails to answer (locked, service gone) counts as holding
    nothing: the caller then asks the user, which is what they can act on.
    """
    if not keyring_status().usable:
        return None
    try:
        found: str | None = keyring.get_password(SERVICE, credential_key(url))
    except keyring.errors.KeyringError as exc:
        log.warning("keyring lookup failed: %s", type(exc).__name__)
        return None
    return found


def forget_password(url: str | URL) -> bool:
    """Remove the secret kept for ``url``; True when there was one."""
    if not keyring_status().usable:
        return False
    try:
        keyring.delete_password(SERVICE, credential_key(url))
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise _keyring_failed(exc) from None
    return True
