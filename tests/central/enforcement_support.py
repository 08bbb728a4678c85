"""Shared set-up of the central enforcement tests: an enforced central archive with
seeded dossiers and a login per person, and plain-SQL helpers (connect as a person,
expect a refusal)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from recordsdesk import audit
from recordsdesk.archive.central import enforce
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import upgrade
from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace
from recordsdesk.services import disposal as lists
from tests.retention.disposal_support import (
    AUTHOR,
    NOW,
    approve_whole,
    as_user,
    closed_dossier,
    people,
)

#: login -> (role, department) granted through enforce.grant
PEOPLE: dict[str, list[tuple[str, str | None]]] = {
    "alice": [("filer", "Burgerzaken")],
    "bob": [("filer", "Ruimte")],
    "rita": [("records_manager", None)],
    "ada": [("archivist", None)],
    "wim": [("woo_searcher", None)],
    "rob": [("woo_searcher", None), ("restricted", None)],
    "adam": [("admin", None)],
}


@dataclass
class Central:
    ws: Workspace  # the installing superuser's workspace (seeding, checking)
    engine: Engine
    url: str
    logins: dict[str, str]  # person -> their login on this cluster
    ids: dict[str, str]  # what -> informatieobject id (and "list", "serie")

    def connect(self, person: str) -> psycopg.Connection[Any]:
        """Plain psycopg as that person's login, autocommit like psql."""
        parts = make_url(self.url)
        return psycopg.connect(
            host=parts.host, port=parts.port, dbname=parts.database,
            user=self.logins[person], autocommit=True,
        )  # fmt: skip

    def superuser(self) -> psycopg.Connection[Any]:
        parts = make_url(self.url)
        return psycopg.connect(
            host=parts.host, port=parts.port, dbname=parts.database, user="postgres",
            autocommit=True,
        )  # fmt: skip

    def chain_intact(self) -> bool:
        with self.ws.readers() as session:
            return audit.verify_chain(session) == []


def object_row(ws: Workspace, kenmerk: str) -> Informatieobject:
    with ws.readers() as session:
        return session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()


def dossier_with_file(ws: Workspace, folder: Path, title: str) -> str:
    kenmerk = create_dossier(ws, title, omschrijving=f"over {title}").kenmerk
    path = folder / f"{title.replace(' ', '-')}.txt"
    path.write_text(f"de inhoud van {title} {uuid.uuid4()}", encoding="utf-8")
    file_paths(ws, kenmerk, [path])
    return object_row(ws, kenmerk).id


@contextmanager
def enforced_central(installer: str, pg_url: str, tmp_path: Path) -> Iterator[Central]:
    """A migrated, enforced central archive with dossiers of two departments, a restricted
    one, a closed one, an approved destruction list (its dossier in a Serie), and logins.

    Installed by the superuser, or (``installer`` "owner") by a login with CREATEROLE that is
    no superuser and owns the tables: the production set-up."""
    suffix = make_url(pg_url).database.removeprefix("rd_test_")  # type: ignore[union-attr]
    logins = {person: f"{person}_{suffix}" for person in PEOPLE}
    superuser = pg_url.replace("postgresql+psycopg", "postgresql")
    installer_url, made = pg_url, list[str]()
    engine: Engine | None = None
    ws: Workspace | None = None
    try:
        with psycopg.connect(superuser, autocommit=True) as admin:
            if installer == "owner":
                owner = sql.Identifier(f"owner_{suffix}")
                admin.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE").format(owner))
                made.append(f"owner_{suffix}")
                admin.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(owner))
                # search needs the trusted extension unaccent: CREATE on the database
                # (the archive's owner usually owns it; docs/design/central.md)
                database = sql.Identifier(str(make_url(pg_url).database))
                admin.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(database, owner))
                parts = make_url(pg_url).set(username=f"owner_{suffix}")
                installer_url = parts.render_as_string(hide_password=False)
        engine = make_engine(installer_url)
        upgrade(engine)
        enforce.install(engine)
        with psycopg.connect(superuser, autocommit=True) as admin:
            for person, login in logins.items():
                admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
                made.append(login)
                for role, department in PEOPLE[person]:
                    enforce.grant(engine, login, role, department)
        ws = open_workspace(tmp_path / "home", db_url=installer_url)
        ws.clock = lambda: NOW
        ids = seed(ws, tmp_path)
        yield Central(ws, engine, pg_url, logins, ids)
    finally:
        if ws is not None:
            ws.close()
        if engine is not None:
            engine.dispose()
        with psycopg.connect(superuser, autocommit=True) as admin:
            for login in reversed(made):  # roles are cluster-wide: leave none behind
                name = sql.Identifier(login)
                admin.execute(sql.SQL("DROP OWNED BY {}").format(name))  # the owner's tables
                admin.execute(sql.SQL("DROP ROLE {}").format(name))


def seed(ws: Workspace, folder: Path) -> dict[str, str]:
    people(ws)
    doomed = closed_dossier(ws, folder, "Subsidie vernietigen")
    with ws.sessions() as session, session.begin():  # put it in a Serie
        serie = Informatieobject(
            id=str(uuid.uuid4()), kenmerk=ws.next_kenmerk(session, "D"),
            aggregatieniveau="Serie", naam="Subsidies", archiefvormer="gm0599",
            created_at=NOW, created_by=AUTHOR, updated_at=NOW,
        )  # fmt: skip
        session.add(serie)
        session.flush()
        row = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == doomed)
        ).one()
        row.parent_id = serie.id
        ids = {"serie": serie.id, "serie_kenmerk": serie.kenmerk, "doomed": row.id}
    ids["list"] = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL 1").id
    approve_whole(ws, ids["list"])
    ids["alice"] = dossier_with_file(ws, folder, "Paspoort Jansen")
    ids["bob"] = dossier_with_file(ws, folder, "Bouwvergunning Dorpsstraat")
    ids["restricted"] = dossier_with_file(ws, folder, "Klacht over medewerker")
    ids["closed"] = object_row(ws, closed_dossier(ws, folder, "Paspoort afgesloten")).id
    with ws.sessions() as session, session.begin():
        for key, department, beperking in (
            ("alice", "Burgerzaken", "Geen beperking"),
            ("bob", "Ruimte", "Openbaar"),
            ("restricted", "Burgerzaken", "Persoonsgegevens art. 5.1 Woo"),
            ("closed", "Burgerzaken", "Nader te bepalen"),
        ):
            found = session.get(Informatieobject, ids[key])
            assert found is not None
            found.department, found.beperking_gebruik = department, beperking
        for key in ("alice", "restricted", "closed", "doomed"):
            record = session.scalars(
                select(Informatieobject).where(Informatieobject.parent_id == ids[key])
            ).first()
            assert record is not None
            ids[f"{key}_record"] = record.id
            ids[f"{key}_sha"] = session.scalars(
                select(Bestand.sha256).where(Bestand.informatieobject_id == record.id)
            ).one()
    return ids


def refused(conn: psycopg.Connection[Any], statement: str, *params: Any) -> str:
    """Run a statement that must be refused; the refusal's message."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        conn.execute(statement, params or None)
    return str(caught.value)


def new_object(parent: str | None, naam: str) -> tuple[Any, ...]:
    return (str(uuid.uuid4()), f"T-{uuid.uuid4().hex[:10]}", "Archiefstuk", parent, naam)


INSERT_OBJECT = (
    "INSERT INTO informatieobject (id, kenmerk, aggregatieniveau, parent_id, naam, "
    "identificatie_bron, waardering, archiefvormer, beperking_gebruik, status, created_at, "
    "created_by, updated_at, version) VALUES (%s, %s, %s, %s, %s, 'RecordsDesk', 'N', "
    "'gm0599', 'Geen beperking', 'open', now(), 'psql', now(), 1)"
)
INSERT_BESTAND = (
    "INSERT INTO bestand (id, informatieobject_id, sha256, size, mime, original_name, "
    "safe_name, role, created_at) VALUES (%s, %s, repeat('a', 64), 1, 'text/plain', 'x.txt', "
    "'x.txt', 'original', now())"
)
VISIBLE = "SELECT count(*) FROM informatieobject WHERE id = %s"


def sees(conn: psycopg.Connection[Any], object_id: str) -> bool:
    row = conn.execute(VISIBLE, (object_id,)).fetchone()
    assert row is not None
    return bool(row[0])


BOTH_INSTALLERS = pytest.mark.parametrize("central", ["superuser", "owner"], indirect=True)


def object_naam(central: Central, object_id: str) -> str:
    with central.ws.readers() as session:
        row = session.get(Informatieobject, object_id)
        assert row is not None
        return row.naam
