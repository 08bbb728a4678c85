"""A push page applied in one central transaction with few round trips.

:class:`Page` holds what push would otherwise ask row by row: the central rows the
page names (read and locked at once), the states of the objects its rows hang under
(for the archival rules, kept current as the page writes), and the new rows waiting
to go as one executemany per entity. :func:`central_row` and :func:`write` work with
a page or, when ``page`` is None (the row-by-row fallback after a refusal), directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from recordsdesk.archive.sync import rows
from recordsdesk.db.models import Informatieobject


@dataclass
class Page:
    """A page applied in one transaction, with fewer round trips: the central rows it
    names are read (and locked) at once, so are the states of the objects its rows
    hang under (kept current as the page writes them), and new rows wait in
    ``inserts``; any other write sends the waiting rows first, so every statement
    sees what the page wrote before it, as row by row."""

    there: dict[str, dict[str, rows.Row]]
    states: dict[str, tuple[str, str] | None]
    inserts: rows.Inserts = field(default_factory=rows.Inserts)

    @classmethod
    def read(cls, connection: Connection, items: list[rows.Item]) -> Page:
        objects = rows.ENTITIES["informatieobject"]
        refs = set()
        for item in items:
            if item.local is not None and item.entity.name in ("bestand", "event"):
                refs.add(item.local["informatieobject_id"])
            elif item.local is not None and item.entity is objects:
                refs.add(item.local["parent_id"])
        wanted = sorted(objects.canonical(str(r)) for r in refs if r is not None)
        states: dict[str, tuple[str, str] | None] = dict.fromkeys(wanted)
        for start in range(0, len(wanted), rows.IN_CHUNK):
            for key, status, kenmerk in connection.execute(
                select(
                    Informatieobject.id, Informatieobject.status, Informatieobject.kenmerk
                ).where(Informatieobject.id.in_(wanted[start : start + rows.IN_CHUNK]))
            ):
                states[objects.canonical(str(key))] = (status, kenmerk)
        return cls(rows.fetch_page(connection, items, lock=True), states)

    def flush(self, connection: Connection) -> None:
        self.inserts.flush(connection)


def central_row(
    connection: Connection, entity: rows.Entity, key: str, page: Page | None
) -> dict[str, Any] | None:
    if page is not None:
        return page.there[entity.name].get(key)
    return rows.fetch(connection, entity, [key], lock=True).get(key)


def write(
    connection: Connection,
    entity: rows.Entity,
    key: str,
    row: rows.Row,
    page: Page | None,
    new: bool,
) -> None:
    """Insert (``new``) or update one row; through the page's waiting rows if any."""
    if new and page is not None:
        page.inserts.add(connection, entity, row)
    elif new:
        rows.insert_row(connection, entity, row)
    else:
        if page is not None:
            page.flush(connection)
        rows.update_row(connection, entity, key, row)
    if page is not None and entity.name == "informatieobject":
        page.states[key] = (row["status"], row["kenmerk"])
