"""The change set every mutation returns, so views refresh only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """Ids (UUID strings) of what a mutation touched."""

    dossiers: frozenset[str] = field(default_factory=frozenset)
    records: frozenset[str] = field(default_factory=frozenset)
    files: frozenset[str] = field(default_factory=frozenset)
    audit: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            dossiers=self.dossiers | other.dossiers,
            records=self.records | other.records,
            files=self.files | other.files,
            audit=self.audit or other.audit,
        )

    @property
    def empty(self) -> bool:
        return not (self.dossiers or self.records or self.files or self.audit)
