"""What is synchronised, and how rows are read, compared and written on either side.

Sync is state-based: the outbox (``change_log``) says *which* rows changed; the
row's state at push time is what goes up. Each entity lists the columns that
travel; ``informatieobject.version`` is the central archive's own counter and
``central_version`` the workstation's memory of it, so neither travels.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from recordsdesk.db.models import (
    Bestand,
    ChangeLog,
    ContentText,
    Event,
    Hold,
    Informatieobject,
    SyncGuard,
    table_of,
)

Row = dict[str, Any]
_LOCAL_ONLY = frozenset({"central_version", "version"})
# a page of ids per IN (...) list: well under SQLite's and psycopg's parameter limits
IN_CHUNK = 500


@dataclass(frozen=True)
class Entity:
    name: str
    table: Table
    key: str
    uuid_key: bool

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.table.columns if c.name not in _LOCAL_ONLY]

    def canonical(self, raw: str) -> str:
        """The key as both databases accept it (SQLite keeps UUIDs as bare hex)."""
        return str(uuid.UUID(raw)) if self.uuid_key else raw


# in the order rows are applied: parents before what refers to them
ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity("informatieobject", table_of(Informatieobject), "id", True),
        Entity("content_text", table_of(ContentText), "sha256", False),
        Entity("bestand", table_of(Bestand), "id", True),
        Entity("event", table_of(Event), "id", True),
        Entity("hold", table_of(Hold), "id", True),
    )
}
ORDER = list(ENTITIES)


@dataclass
class Item:
    """One row named by a page of change entries (its last op wins)."""

    entity: Entity
    key: str
    op: str
    seqs: list[int] = field(default_factory=list)
    local: Row | None = None  # push: the local row's state when read


def changes_after(connection: Connection | Session, after: int, limit: int) -> list[Any]:
    """A page of the change log (outbox or change feed) after sequence number ``after``."""
    return list(
        connection.execute(
            select(ChangeLog.seq, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.op)
            .where(ChangeLog.seq > after)
            .order_by(ChangeLog.seq)
            .limit(limit)
        ).all()
    )


def collect(entries: Iterable[Any]) -> list[Item]:
    """One item per row named, parents' entities first, else in the order each row
    was first named (a parent is created before its children)."""
    items: dict[tuple[str, str], Item] = {}
    for entry in entries:
        entity = ENTITIES.get(entry.entity)
        if entity is None:
            continue
        key = entity.canonical(entry.entity_id)
        item = items.setdefault((entity.name, key), Item(entity, key, entry.op))
        item.op = entry.op
        item.seqs.append(entry.seq)
    return sorted(items.values(), key=lambda i: ORDER.index(i.entity.name))


def fetch(
    connection: Connection | Session, entity: Entity, ids: Iterable[str], *, lock: bool = False
) -> dict[str, Row]:
    """The rows with these keys, by canonical key (all columns)."""
    wanted = sorted(set(ids))
    found: dict[str, Row] = {}
    column = entity.table.c[entity.key]
    for start in range(0, len(wanted), IN_CHUNK):
        statement = select(entity.table).where(column.in_(wanted[start : start + IN_CHUNK]))
        if lock and _dialect(connection) == "postgresql":
            statement = statement.with_for_update()
        for row in connection.execute(statement).mappings():
            found[entity.canonical(str(row[entity.key]))] = dict(row)
    return found


def fetch_page(
    connection: Connection | Session, items: Iterable[Item], *, lock: bool = False
) -> dict[str, dict[str, Row]]:
    """The rows a page of items names, by entity name and canonical key (one query
    per entity and :data:`IN_CHUNK` keys, instead of one per row)."""
    page = list(items)
    return {
        entity.name: fetch(
            connection, entity, [i.key for i in page if i.entity is entity], lock=lock
        )
        for entity in ENTITIES.values()
    }


@dataclass
class Inserts:
    """New rows waiting to go as one executemany per entity, in the order added.

    The caller calls :meth:`flush` before any other write (and at the end), so
    every statement sees the rows added before it, as if they went one by one."""

    entity: Entity | None = None
    waiting: list[Row] = field(default_factory=list)

    def add(self, connection: Connection | Session, entity: Entity, row: Row) -> None:
        if self.entity is not entity:
            self.flush(connection)
            self.entity = entity
        self.waiting.append(row)

    def flush(self, connection: Connection | Session) -> None:
        if self.entity is not None and self.waiting:
            connection.execute(insert(self.entity.table), self.waiting)
        self.entity, self.waiting = None, []


def _dialect(connection: Connection | Session) -> str:
    if isinstance(connection, Session):
        return connection.get_bind().dialect.name
    return connection.dialect.name


def payload(entity: Entity, row: Mapping[str, Any]) -> Row:
    """The travelling columns of a row."""
    return {name: row[name] for name in entity.columns}


def same(entity: Entity, one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    return all(_norm(one[c]) == _norm(other[c]) for c in entity.columns)


def _norm(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def to_json(row: Mapping[str, Any]) -> str:
    """A row for showing side by side (a conflict): readable, stable."""
    return json.dumps(
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )


def fingerprint(entity: Entity, row: Mapping[str, Any]) -> str:
    """A digest of a row's travelling columns, equal on both sides for the same state."""
    state = to_json({c: _norm(row[c]) for c in entity.columns})
    return hashlib.sha256(state.encode()).hexdigest()


def insert_row(connection: Connection | Session, entity: Entity, row: Row) -> None:
    connection.execute(insert(entity.table), [row])


def update_row(connection: Connection | Session, entity: Entity, key: str, row: Row) -> None:
    values = {k: v for k, v in row.items() if k != entity.key}
    connection.execute(update(entity.table).where(entity.table.c[entity.key] == key).values(values))


def delete_row(connection: Connection | Session, entity: Entity, key: str) -> None:
    connection.execute(delete(entity.table).where(entity.table.c[entity.key] == key))


def guard(session: Session) -> None:
    """Writes from here to the end of the transaction stay out of the outbox."""
    session.execute(insert(table_of(SyncGuard)), [{"id": 1}])


def unguard(session: Session) -> None:
    session.execute(delete(table_of(SyncGuard)))
