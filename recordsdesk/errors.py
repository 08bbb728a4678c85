"""Typed errors: a ``UserError`` is the user's to fix, anything else is a bug.

A ``UserError`` carries an English message template (the gettext msgid) and its
parameters; front ends translate it with :func:`recordsdesk.i18n.translate_error`.
``details`` lists every problem when several were found at once (validation
reports all of them, not the first one only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class RecordsDeskError(Exception):
    """Base of every error RecordsDesk raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as it is (a UserError's msgid, params and details, any subclass's own
        # fields), whatever the subclass's __init__ takes: a worker process's error
        # reaches the window as itself, translatable
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


def _rebuilt(
    cls: type[RecordsDeskError], args: tuple[Any, ...], state: dict[str, Any]
) -> RecordsDeskError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UserError(RecordsDeskError):
    """Bad input or a refused action: shown to the user, never a traceback.

    Args:
        msgid: English message template with ``{name}`` placeholders; also the
            gettext key, so it must be a literal at the raise site (``N_``).
        params: values for the placeholders.
        details: further lines, each already a complete (untranslated) message
            or another ``UserError``.
    """

    def __init__(
        self,
        msgid: str,
        params: Mapping[str, Any] | None = None,
        details: Sequence[UserError] = (),
    ) -> None:
        self.msgid = msgid
        self.params = dict(params or {})
        self.details = list(details)
        super().__init__(self.english())

    def english(self) -> str:
        """The message in the source language (for logs and tests)."""
        return self.msgid.format(**self.params)


class NotFoundError(UserError):
    """A kenmerk, id or path that does not exist."""


class SourceMissingError(NotFoundError):
    """A file to be stored is not (or no longer) there."""


class SourceChangedError(UserError):
    """A file changed while it was being read; nothing was kept of it."""


class StoreVersionError(UserError):
    """The database was written by a newer RecordsDesk; we refuse to touch it."""


class IntegrityError(RecordsDeskError):
    """Stored content no longer matches its checksum (damage, not user error)."""

    def __init__(self, sha256: str, reason: str) -> None:
        self.sha256 = sha256
        self.reason = reason
        super().__init__(f"object {sha256}: {reason}")
