"""The append-only, hash-chained audit trail.

Every mutation writes its audit events in its own transaction. Each row's
``hash`` is the SHA-256 of its predecessor's hash and its own canonical
content, so changing, removing or reordering a row breaks the chain at that
point; :func:`verify_chain` finds it. The database refuses UPDATE and DELETE
on the table (triggers, see the migrations).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from recordsdesk.db.models import AuditEvent

GENESIS = "0" * 64
# Arbitrary constant: the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK = 0x5244_4155


def _utc_naive(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def compute_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | None,
    details: str,
) -> str:
    canonical = json.dumps(
        [
            prev_hash,
            _utc_naive(at).isoformat(timespec="microseconds"),
            actor,
            action,
            object_type,
            object_id,
            details,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | None,
    details: Mapping[str, Any],
) -> AuditEvent:
    """Add one audit row to the session's transaction, chained to the last one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    session.flush()
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    prev_hash = last or GENESIS
    # Microsecond precision is what both databases keep, so the hash is reproducible.
    at = _utc_naive(at).replace(tzinfo=dt.UTC)
    payload = json.dumps(dict(details), ensure_ascii=False, sort_keys=True, default=str)
    row = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=payload,
        prev_hash=prev_hash,
        hash=compute_hash(prev_hash, at, actor, action, object_type, object_id, payload),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(session: Session) -> list[ChainProblem]:
    """Walk the whole trail; every break is reported (empty list: intact)."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for row in rows:
        if row.prev_hash != expected_prev:
            problems.append(ChainProblem(row.seq, "previous hash does not match"))
        recomputed = compute_hash(
            row.prev_hash,
            row.at,
            row.actor,
            row.action,
            row.object_type,
            row.object_id,
            row.details,
        )
        if recomputed != row.hash:
            problems.append(ChainProblem(row.seq, "content does not match its hash"))
        expected_prev = row.hash
    return problems
