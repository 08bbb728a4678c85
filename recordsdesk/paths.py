"""Where a RecordsDesk home lives and what is inside it.

The home is the per-user data folder (platformdirs) unless ``--home DIR`` or
``RECORDSDESK_HOME`` says otherwise; tests and the frozen-build smoke test use
the override. Layout::

    local.sqlite      the working store (SQLite, WAL)
    central.sqlite    the embedded central archive (single seat)
    objects/ab/cd/…   content-addressed file store
    objects/tmp/      temp files, on the same file system for atomic renames
    backups/          copies of the database taken before each migration
    logs/
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_HOME = "RECORDSDESK_HOME"


def default_home() -> Path:
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("RecordsDesk", appauthor=False))


@dataclass(frozen=True)
class HomeLayout:
    root: Path

    @property
    def local_db(self) -> Path:
        return self.root / "local.sqlite"

    @property
    def central_db(self) -> Path:
        return self.root / "central.sqlite"

    @property
    def objects(self) -> Path:
        return self.root / "objects"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def local_url(self) -> str:
        return f"sqlite:///{self.local_db}"

    @property
    def central_url(self) -> str:
        return f"sqlite:///{self.central_db}"

    def create(self) -> None:
        for folder in (self.root, self.objects, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
