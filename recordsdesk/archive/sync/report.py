"""What a sync run did: counts for the progress line and ``--json``, and every problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from recordsdesk.i18n import _


@dataclass(frozen=True)
class Problem:
    """A row that did not go across, and why (a msgid with its parameters)."""

    entity: str
    key: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return _(self.msgid).format(**self.params)

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "id": self.key, "message": self.message()}


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    audit_sent: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "failed": self.failed,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
            "audit_sent": self.audit_sent,
            "problems": [p.to_json() for p in self.problems],
        }
