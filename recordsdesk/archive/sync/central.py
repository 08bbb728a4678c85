"""The central archive as the sync engine sees it: a database and a content store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from recordsdesk.archive.sync.blobs import BlobStore, DatabaseBlobs, DirectoryBlobs
from recordsdesk.db.models import Bestand, StoreSetting

# central setting: a content-addressed directory (a file share) instead of database chunks
CONTENT_DIRECTORY = "central.content_directory"


@dataclass
class Central:
    engine: Engine
    blobs: BlobStore

    @classmethod
    def open(cls, engine: Engine, content_dir: Path | None = None) -> Central:
        """Content in the central database (the default), or in a content-addressed
        directory: ``content_dir``, else the central setting :data:`CONTENT_DIRECTORY`."""
        if content_dir is None:
            with engine.execution_options(read_only=True).connect() as connection:
                chosen = connection.scalar(
                    select(StoreSetting.value).where(StoreSetting.key == CONTENT_DIRECTORY)
                )
            content_dir = Path(chosen) if chosen else None
        blobs: BlobStore = DirectoryBlobs(content_dir) if content_dir else DatabaseBlobs(engine)
        return cls(engine, blobs)

    @property
    def reader(self) -> Engine:
        """For reads: takes no write lock (SQLite: plain BEGIN, see db.engine)."""
        return self.engine.execution_options(read_only=True)

    def forget_unused(self, hashes: Iterable[str]) -> None:
        """Drop content that no central bestand refers to any more (after destruction)."""
        for sha in sorted(set(hashes)):
            with self.reader.connect() as connection:
                used = connection.scalar(select(Bestand.id).where(Bestand.sha256 == sha).limit(1))
            if used is None:
                self.blobs.forget(sha)
