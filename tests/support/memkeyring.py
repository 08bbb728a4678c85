"""In-memory keyring backend for tests.

Selected with ``PYTHON_KEYRING_BACKEND=tests.support.memkeyring.MemoryKeyring``
(tests/conftest.py sets that), so tests never touch a real vault or prompt.
Passwords live in the backend instance, i.e. for the process's keyring session.
"""

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]  # a classproperty in the base class

    def __init__(self) -> None:
        super().__init__()
        self._passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username!r} in {service!r}") from None
