"""Frozen views of stored data: what crosses into the CLI and the UI.

Never ORM instances or sessions: these are safe to hand to another thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from recordsdesk.changes import Changes

if TYPE_CHECKING:
    from recordsdesk.services.holds import HoldInfo


@dataclass(frozen=True)
class Created:
    id: str
    kenmerk: str
    changes: Changes


@dataclass(frozen=True)
class FileInfo:
    id: str
    name: str
    safe_name: str
    sha256: str
    size: int
    mime: str
    puid: str | None
    role: str
    filed_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "safe_name": self.safe_name,
            "sha256": self.sha256,
            "size": self.size,
            "mime": self.mime,
            "puid": self.puid,
            "role": self.role,
        }


@dataclass(frozen=True)
class RecordRow:
    """One line of a dossier's record list."""

    id: str
    kenmerk: str
    title: str
    filed_at: dt.datetime
    file_count: int
    mime: str | None
    size: int


@dataclass(frozen=True)
class ArchivalDetail:
    """What every informatieobject shows, whatever its level (MDTO core fields)."""

    id: str
    kenmerk: str
    title: str
    omschrijving: str | None
    status: str
    waardering: str
    archiefvormer: str
    beperking_gebruik: str
    created_at: dt.datetime
    created_by: str

    def archival_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kenmerk": self.kenmerk,
            "title": self.title,
            "omschrijving": self.omschrijving,
            "status": self.status,
            "waardering": self.waardering,
            "archiefvormer": self.archiefvormer,
            "beperkingGebruik": self.beperking_gebruik,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
        }


@dataclass(frozen=True)
class RecordDetail(ArchivalDetail):
    dossier_kenmerk: str
    files: tuple[FileInfo, ...]
    holds: tuple[HoldInfo, ...] = ()  # active legal holds binding it (through its dossier)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.archival_json(),
            "files": [f.to_json() for f in self.files],
            "holds": [h.to_json() for h in self.holds],
        }


@dataclass(frozen=True)
class DossierRow:
    """One line of the dossier list."""

    id: str
    kenmerk: str
    title: str
    status: str
    record_count: int
    created_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kenmerk": self.kenmerk,
            "title": self.title,
            "status": self.status,
            "records": self.record_count,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class DossierDetail(ArchivalDetail):
    classificatie: str | None
    records: tuple[RecordDetail, ...]
    holds: tuple[HoldInfo, ...] = ()  # active legal holds: its own and a Serie's above it

    def to_json(self) -> dict[str, Any]:
        return {
            **self.archival_json(),
            "classificatie": self.classificatie,
            "holds": [h.to_json() for h in self.holds],
            "records": [r.to_json() for r in self.records],
        }


@dataclass(frozen=True)
class Damage:
    sha256: str
    reason: str
    files: tuple[str, ...]  # "<record kenmerk>/<file name>" of every bestand using it

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "reason": self.reason, "files": list(self.files)}


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    damaged: tuple[Damage, ...]
    audit_problems: tuple[str, ...]
    # Objects no bestand refers to (left by a refused action): harmless, not damage.
    unreferenced: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.damaged and not self.audit_problems

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "intact": self.intact,
            "damaged": [d.to_json() for d in self.damaged],
            "audit_problems": list(self.audit_problems),
            "unreferenced": list(self.unreferenced),
        }
