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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from recordsdesk.db.models import AuditEvent, table_of

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
    origin: str | None = None,
) -> str:
    """The row's hash. ``origin`` (a workstation's row pushed to the central archive)
    is covered only when set, so rows without one hash as they always did."""
    fields = [
        prev_hash,
        _utc_naive(at).isoformat(timespec="microseconds"),
        actor,
        action,
        object_type,
        object_id,
        details,
    ]
    if origin is not None:
        fields.append(origin)
    canonical = json.dumps(
        fields,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One audit fact to append: who did what to which object, and details."""

    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str | None
    details: Mapping[str, Any]
    origin: str | None = None  # "<station>:<seq>:<hash[:16]>" of a workstation row sent centrally


def append(
    session: Session,
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | None,
    details: Mapping[str, Any],
) -> None:
    """Add one audit row to the session's transaction, chained to the last one."""
    append_many(session, [Entry(at, actor, action, object_type, object_id, details)])


def append_many(session: Session, entries: Sequence[Entry]) -> None:
    """Add audit rows, in order, to the session's transaction, chained to the last one.

    On PostgreSQL an advisory lock held until commit serialises writers, so two
    transactions never chain to the same predecessor; SQLite transactions
    already hold the write lock (``BEGIN IMMEDIATE``).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    session.flush()
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    prev_hash = last or GENESIS
    rows: list[dict[str, Any]] = []
    for entry in entries:
        # Microsecond precision is what both databases keep, so the hash is reproducible.
        at = _utc_naive(entry.at).replace(tzinfo=dt.UTC)
        payload = json.dumps(dict(entry.details), ensure_ascii=False, sort_keys=True, default=str)
        digest = compute_hash(
            prev_hash,
            at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            payload,
            entry.origin,
        )
        rows.append(
            {
                "at": at,
                "actor": entry.actor,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "details": payload,
                "prev_hash": prev_hash,
                "hash": digest,
                "origin": entry.origin,
            }
        )
        prev_hash = digest
    # One executemany without RETURNING: the rows are inserted one after the
    # other in list order, so ``seq`` follows the chain (verify_chain would
    # report it if it ever did not). No ORM objects: a round of intake appends
    # thousands of rows, and nobody needs them back.
    if rows:
        session.execute(insert(table_of(AuditEvent)), rows)


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
            row.origin,
        )
        if recomputed != row.hash:
            problems.append(ChainProblem(row.seq, "content does not match its hash"))
        expected_prev = row.hash
    return problems
