"""Building and refreshing the full-text index (tables of migration 0015).

Triggers mark every dossier or record whose searchable content changed in
``search_pending`` (same transaction as the change); :func:`refresh` turns
marks into index entries, a batch at a time.

What an entry holds: :mod:`.entries`.

SQLite: ``search_fts`` (FTS5) plus ``stems`` (:func:`normalise.stems` of
titel, body and afzender; the title's stems :data:`tokens.TITLE_BOOST` times, so a
title match ranks higher), ``search_row`` giving each object its FTS rowid;
ids in the FTS table are stored as SQLite stores uuids (32 hex digits), so
they join ``informatieobject`` directly. Rowids are grouped by dossier: each
group (a dossier, or a record without one) has a *slot* ``s >= 1``; the
group's own entry has rowid ``s << SLOT_BITS`` (its ``search_row`` row is
reserved as soon as a record of it is indexed) and its records
``s << SLOT_BITS | n`` (n >= 1). So a search groups hits by ``rowid >>
SLOT_BITS`` without reading their stored text, and reads one dossier's hits
as a rowid range. A record that moves to another dossier gets a rowid in the
new slot when it is indexed again (the move marks it). An index written
before the slots (rowids below ``1 << SLOT_BITS``) is marked for a rebuild by
the next refresh. PostgreSQL: ``search_document`` with
tsvectors made by the server (``rd_dutch``) from :func:`normalise.pg_words`;
``tsv_all`` (what a plain word searches) holds titel (weight A), afzender (C)
and body (D), the same text as ``stems`` locally: a dossier's name is found
through the dossier's own entry, and ``-sloop`` does not drop every record of
a dossier called "Sloop".

Concurrency: on SQLite a refresh runs in a writing transaction (which holds
the write lock from its start). On PostgreSQL only one refresh runs at a time
(a transaction-level advisory lock; another caller skips), and only a login
that bypasses row-level security on the index (its owner) refreshes, because a
restricted login cannot tell a record it may not see from a deleted one. A
mark is removed only with the ``seq`` it had when read.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    bindparam,
    delete,
    func,
    select,
    text,
)
from sqlalchemy import Uuid as UuidType
from sqlalchemy.orm import Session

from recordsdesk.db.models import Informatieobject, table_of
from recordsdesk.search.entries import INDEXED_LEVELS, Entry, build_entries
from recordsdesk.search.index_pg import write_postgresql
from recordsdesk.search.tokens import stems_column

BATCH = 1000  # objects per batch (and per transaction in catch_up)
IN_MEMORY = 100  # entries built at a time: at most 100 x MAX_TEXT characters of text
SLOT_BITS = 32  # SQLite rowid = group slot << SLOT_BITS | number within the slot
_IN_SLOT = (1 << SLOT_BITS) - 1
_LOCK = 0x5244_5358  # advisory lock key of the PostgreSQL refresh ("RDSX")

_IO = table_of(Informatieobject)
_meta = MetaData()
PENDING = Table(
    "search_pending",
    _meta,
    Column("object_id", UuidType(as_uuid=False), primary_key=True),
    Column("seq", Integer, nullable=False),
)
ROWS = Table(  # SQLite only
    "search_row",
    _meta,
    Column("rowid", Integer, primary_key=True),
    Column("object_id", UuidType(as_uuid=False), nullable=False),
)


def _connection(target: Session | Connection) -> Connection:
    return target.connection() if isinstance(target, Session) else target


def may_refresh(target: Session | Connection) -> bool:
    """Whether this transaction may write the index (see the module docstring).

    False in a read-only session (``Workspace.readers``): searching there
    never waits for a writer, and reports what is still pending instead.
    """
    connection = _connection(target)
    if connection.get_execution_options().get("read_only", False):
        return False
    if connection.dialect.name == "sqlite":
        return True
    owner = connection.scalar(
        text(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') OR r.rolbypassrls "
            "OR r.rolsuper FROM pg_class c, pg_roles r "
            "WHERE c.oid = 'search_document'::regclass AND r.rolname = current_user"
        )
    )
    return bool(owner)


def pending_count(target: Session | Connection) -> int:
    """How many dossiers and records wait to be (re)indexed."""
    return int(_connection(target).scalar(select(func.count()).select_from(PENDING)) or 0)


def refresh(target: Session | Connection, limit: int | None = None, batch: int = BATCH) -> int:
    """Index up to ``limit`` (None: all) pending objects inside the caller's transaction.

    Returns how many marks were handled (0 when :func:`may_refresh` says no, or
    when another PostgreSQL refresh holds the lock). The caller commits.
    """
    connection = _connection(target)
    if not may_refresh(connection):
        return 0
    if connection.dialect.name == "postgresql" and not connection.scalar(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK}
    ):
        return 0
    if (
        connection.dialect.name == "sqlite"
        and connection.scalar(select(PENDING.c.object_id).limit(1)) is None
        and connection.scalar(select(ROWS.c.rowid).where(ROWS.c.rowid < 1 << SLOT_BITS).limit(1))
    ):
        rebuild(connection)  # entries of before the slots: each is written again in its slot
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        marks = connection.execute(select(PENDING.c.object_id, PENDING.c.seq).limit(size)).all()
        if not marks:
            break
        _index_batch(connection, [(m.object_id, m.seq) for m in marks])
        done += len(marks)
    return done


def catch_up(engine: Engine, batch: int = BATCH) -> int:
    """Index everything pending, one transaction per batch (a rebuild, a first start)."""
    total = 0
    while True:
        with engine.begin() as connection:
            done = refresh(connection, limit=batch, batch=batch)
        total += done
        if done == 0:
            return total


def rebuild(target: Session | Connection) -> int:
    """Mark every dossier and record, and every entry, for indexing again.

    Entries stay searchable until each is replaced; entries of objects that no
    longer exist are removed by the refresh. Returns the number of marks.
    """
    connection = _connection(target)
    levels = ", ".join(f"'{level}'" for level in INDEXED_LEVELS)  # constants
    indexed = "search_row" if connection.dialect.name == "sqlite" else "search_document"
    connection.execute(
        text(
            "INSERT INTO search_pending (object_id) "  # noqa: S608 - constants only
            f"SELECT id FROM informatieobject WHERE aggregatieniveau IN ({levels}) "
            f"UNION SELECT object_id FROM {indexed} WHERE true "
            "ON CONFLICT (object_id) DO UPDATE SET seq = search_pending.seq + 1"
        )
    )
    return pending_count(connection)


def optimize(target: Session | Connection) -> None:
    """Merge the FTS5 index's segments (after a large catch-up; SQLite only)."""
    connection = _connection(target)
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))


# -- one batch -------------------------------------------------------------------------


def _index_batch(connection: Connection, marks: Sequence[tuple[str, int]]) -> None:
    all_ids = [object_id for object_id, _seq in marks]
    if connection.dialect.name == "sqlite":
        all_ids = _in_rowid_order(connection, all_ids)
    for start in range(0, len(all_ids), IN_MEMORY):  # bounded memory: texts are large
        ids = all_ids[start : start + IN_MEMORY]
        entries = build_entries(connection, ids)
        if connection.dialect.name == "sqlite":
            _write_sqlite(connection, ids, entries)
        else:
            write_postgresql(connection, ids, entries)
    connection.execute(
        delete(PENDING).where(
            PENDING.c.object_id == bindparam("oid", type_=UuidType(as_uuid=False)),
            PENDING.c.seq == bindparam("s"),
        ),
        [{"oid": object_id, "s": seq} for object_id, seq in marks],
    )


def _in_rowid_order(connection: Connection, ids: list[str]) -> list[str]:
    """``ids`` about in the order of their rowids-to-be: group by group, a group's own
    entry first. FTS5 writes a transaction's rows in one go only while rowids ascend
    (a lower rowid flushes what it holds), so this keeps a build from flushing per row.
    """
    objects = connection.execute(
        select(_IO.c.id, _IO.c.aggregatieniveau, _IO.c.parent_id).where(_IO.c.id.in_(ids))
    ).all()
    group = {o.id: o.id if o.aggregatieniveau == "Dossier" else o.parent_id or o.id
             for o in objects}  # fmt: skip
    rows = connection.execute(
        select(ROWS.c.object_id, ROWS.c.rowid).where(ROWS.c.object_id.in_({*ids, *group.values()}))
    ).all()
    rowid = {r.object_id: r.rowid for r in rows}
    last = 1 << 62

    def key(object_id: str) -> tuple[int, str, int]:
        g = group.get(object_id, object_id)
        opening = rowid.get(g, last)
        slot = opening >> SLOT_BITS if opening & _IN_SLOT == 0 else last
        own = rowid.get(object_id, last)
        return (slot, g, 0 if object_id == g else own if own >> SLOT_BITS == slot else last)

    return sorted(ids, key=key)


# -- writing ---------------------------------------------------------------------------


def _hex(object_id: str | None) -> str | None:
    """A uuid as SQLite stores it (what the FTS table keeps, so it joins directly)."""
    return None if object_id is None else object_id.replace("-", "")


def _write_sqlite(connection: Connection, ids: Sequence[str], entries: Sequence[Entry]) -> None:
    """Replace the entries of ``ids``; each entry's rowid lies in its group's slot."""
    known: dict[str, int] = dict(
        connection.execute(
            select(ROWS.c.object_id, ROWS.c.rowid).where(ROWS.c.object_id.in_(ids))
        ).all()
    )
    if known:
        connection.execute(
            text("DELETE FROM search_fts WHERE rowid = :r"), [{"r": r} for r in known.values()]
        )
    kept = {e.object_id for e in entries}
    gone = [object_id for object_id in known if object_id not in kept]
    if gone:
        _forget(connection, {o: known[o] for o in gone})
    slots = _slots(connection, {e.dossier_id or e.object_id for e in entries}, known)
    tops: dict[int, int] = {}
    moved: list[dict[str, object]] = []
    fresh: list[dict[str, object]] = []
    rowids: dict[str, int] = {}
    for e in entries:
        slot = slots[e.dossier_id or e.object_id]
        old = known.get(e.object_id)
        if e.object_id == (e.dossier_id or e.object_id):
            rowid = slot << SLOT_BITS  # a group's own entry opens its slot
        elif old is not None and old >> SLOT_BITS == slot and old & _IN_SLOT:
            rowid = old
        else:
            rowid = _next_in_slot(connection, slot, tops)
        rowids[e.object_id] = rowid
        if old is None:
            fresh.append({"rowid": rowid, "object_id": e.object_id})
        elif old != rowid:
            moved.append({"r": rowid, "oid": e.object_id})
    if moved:
        connection.execute(
            ROWS.update()
            .where(ROWS.c.object_id == bindparam("oid", type_=UuidType(as_uuid=False)))
            .values(rowid=bindparam("r")),
            moved,
        )
    if fresh:
        connection.execute(ROWS.insert(), fresh)
    if not entries:
        return
    connection.execute(
        text(
            "INSERT INTO search_fts (rowid, titel, dossier, categorie, afzender, body, stems, "
            "object_id, dossier_id) VALUES (:rowid, :titel, :dossier, :categorie, :afzender, "
            ":body, :stems, :object_id, :dossier_id)"
        ),
        [
            {
                "rowid": rowids[e.object_id],
                "titel": e.titel,
                "dossier": e.dossier,
                "categorie": e.categorie,
                "afzender": e.afzender,
                "body": e.body,
                "stems": stems_column(e),
                "object_id": _hex(e.object_id),
                "dossier_id": _hex(e.dossier_id),
            }
            for e in sorted(entries, key=lambda e: rowids[e.object_id])
        ],
    )


def _forget(connection: Connection, gone: dict[str, int]) -> None:
    """Drop the rows of objects no longer indexed; a slot's opening row stays while the
    slot holds other entries (their group keeps its slot)."""
    drop = []
    for object_id, rowid in gone.items():
        if rowid & _IN_SLOT == 0 and connection.scalar(
            select(ROWS.c.rowid)
            .where(ROWS.c.rowid > rowid, ROWS.c.rowid <= rowid | _IN_SLOT)
            .limit(1)
        ):
            continue
        drop.append(object_id)
    if drop:
        connection.execute(delete(ROWS).where(ROWS.c.object_id.in_(drop)))


def _slots(connection: Connection, groups: set[str], known: dict[str, int]) -> dict[str, int]:
    """The slot of each group: its opening row's, else a new one (opening row reserved).

    A group whose row is no opening row (an old store, or an object that was a
    record and is now a dossier) moves to a new slot: its entry is removed and
    marked, so it is written again there.
    """
    rows = connection.execute(
        select(ROWS.c.object_id, ROWS.c.rowid).where(ROWS.c.object_id.in_(groups))
    ).all()
    slots = {r.object_id: r.rowid >> SLOT_BITS for r in rows if r.rowid & _IN_SLOT == 0}
    slots = {g: s for g, s in slots.items() if s > 0}
    misplaced = {r.object_id: r.rowid for r in rows if r.object_id not in slots}
    missing = sorted(groups - slots.keys())
    if not missing:
        return slots
    top = int(connection.scalar(select(func.coalesce(func.max(ROWS.c.rowid), 0))) or 0)
    slot = top >> SLOT_BITS
    for group in missing:
        slot += 1
        slots[group] = slot
        if group in misplaced:
            connection.execute(
                ROWS.update().where(ROWS.c.object_id == group).values(rowid=slot << SLOT_BITS)
            )
            if group not in known:  # its entry is not being written in this batch
                connection.execute(
                    text("DELETE FROM search_fts WHERE rowid = :r"), {"r": misplaced[group]}
                )
                connection.execute(
                    text(
                        "INSERT INTO search_pending (object_id) VALUES (:oid) "
                        "ON CONFLICT (object_id) DO UPDATE SET seq = search_pending.seq + 1"
                    ).bindparams(bindparam("oid", type_=UuidType(as_uuid=False))),
                    {"oid": group},
                )
            if group in known:
                known[group] = slot << SLOT_BITS
        else:
            connection.execute(ROWS.insert(), {"rowid": slot << SLOT_BITS, "object_id": group})
            known[group] = slot << SLOT_BITS  # reserved: its entry, if written, goes there
    return slots


def _next_in_slot(connection: Connection, slot: int, tops: dict[int, int]) -> int:
    top = tops.get(slot)
    if top is None:
        first = slot << SLOT_BITS
        top = int(
            connection.scalar(
                select(func.max(ROWS.c.rowid)).where(
                    ROWS.c.rowid >= first, ROWS.c.rowid <= first | _IN_SLOT
                )
            )
            or first
        )
    if top & _IN_SLOT == _IN_SLOT:
        raise RuntimeError(f"search index: slot {slot} is full")  # 4 billion entries
    tops[slot] = top + 1
    return top + 1
