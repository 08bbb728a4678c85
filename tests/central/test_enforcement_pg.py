"""The central archive's enforcement, proven the way a user with psql would try it: each
person connects with their own login and plain SQL, and the database refuses what their
role may not do (recordsdesk.archive.central.enforce). PostgreSQL only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url

from recordsdesk import audit
from recordsdesk.archive.central import enforce
from recordsdesk.archive.central.enforce_sql import ALL_ROLES
from recordsdesk.archive.sync.central import Central as SyncCentral
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import upgrade
from recordsdesk.db.models import Bestand, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.disposal_run import confirm_transfer, execute
from recordsdesk.services.holds import lift_hold, place_hold
from recordsdesk.services.organisation import set_setting
from tests.retention.disposal_support import (
    ARCHIVIST,
    AUTHOR,
    NOW,
    approve_whole,
    as_user,
    closed_dossier,
    people,
)

pytestmark = pytest.mark.postgres

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


def _object(ws: Workspace, kenmerk: str) -> Informatieobject:
    with ws.readers() as session:
        return session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()


def _dossier_with_file(ws: Workspace, folder: Path, title: str) -> str:
    kenmerk = create_dossier(ws, title, omschrijving=f"over {title}").kenmerk
    path = folder / f"{title.replace(' ', '-')}.txt"
    path.write_text(f"de inhoud van {title} {uuid.uuid4()}", encoding="utf-8")
    file_paths(ws, kenmerk, [path])
    return _object(ws, kenmerk).id


@pytest.fixture
def central(request: pytest.FixtureRequest, pg_url: str, tmp_path: Path) -> Iterator[Central]:
    """A migrated, enforced central archive with dossiers of two departments, a restricted
    one, a closed one, an approved destruction list (its dossier in a Serie), and logins.

    Installed by the superuser, or (parameter "owner") by a login with CREATEROLE that is
    no superuser and owns the tables: the production set-up."""
    suffix = make_url(pg_url).database.removeprefix("rd_test_")  # type: ignore[union-attr]
    logins = {person: f"{person}_{suffix}" for person in PEOPLE}
    superuser = pg_url.replace("postgresql+psycopg", "postgresql")
    installer_url, made = pg_url, list[str]()
    engine: Engine | None = None
    ws: Workspace | None = None
    try:
        with psycopg.connect(superuser, autocommit=True) as admin:
            if getattr(request, "param", "superuser") == "owner":
                owner = sql.Identifier(f"owner_{suffix}")
                admin.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE").format(owner))
                made.append(f"owner_{suffix}")
                admin.execute(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(owner))
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
        ids = _seed(ws, tmp_path)
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


_BOTH_INSTALLERS = pytest.mark.parametrize("central", ["superuser", "owner"], indirect=True)


def _seed(ws: Workspace, folder: Path) -> dict[str, str]:
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
    ids["alice"] = _dossier_with_file(ws, folder, "Paspoort Jansen")
    ids["bob"] = _dossier_with_file(ws, folder, "Bouwvergunning Dorpsstraat")
    ids["restricted"] = _dossier_with_file(ws, folder, "Klacht over medewerker")
    ids["closed"] = _object(ws, closed_dossier(ws, folder, "Paspoort afgesloten")).id
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


def _refused(conn: psycopg.Connection[Any], statement: str, *params: Any) -> str:
    """Run a statement that must be refused; the refusal's message."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        conn.execute(statement, params or None)
    return str(caught.value)


def _new_object(parent: str | None, naam: str) -> tuple[Any, ...]:
    return (str(uuid.uuid4()), f"T-{uuid.uuid4().hex[:10]}", "Archiefstuk", parent, naam)


_INSERT_OBJECT = (
    "INSERT INTO informatieobject (id, kenmerk, aggregatieniveau, parent_id, naam, "
    "identificatie_bron, waardering, archiefvormer, beperking_gebruik, status, created_at, "
    "created_by, updated_at, version) VALUES (%s, %s, %s, %s, %s, 'RecordsDesk', 'N', "
    "'gm0599', 'Geen beperking', 'open', now(), 'psql', now(), 1)"
)
_INSERT_BESTAND = (
    "INSERT INTO bestand (id, informatieobject_id, sha256, size, mime, original_name, "
    "safe_name, role, created_at) VALUES (%s, %s, repeat('a', 64), 1, 'text/plain', 'x.txt', "
    "'x.txt', 'original', now())"
)
_VISIBLE = "SELECT count(*) FROM informatieobject WHERE id = %s"


def _sees(conn: psycopg.Connection[Any], object_id: str) -> bool:
    row = conn.execute(_VISIBLE, (object_id,)).fetchone()
    assert row is not None
    return bool(row[0])


@_BOTH_INSTALLERS
def test_a_filer_sees_and_writes_only_their_departments_dossiers(central: Central) -> None:
    ids = central.ids
    with central.connect("alice") as alice, central.connect("bob") as bob:
        assert _sees(alice, ids["alice"]) and _sees(alice, ids["alice_record"])
        assert not _sees(bob, ids["alice"])
        assert not _sees(bob, ids["alice_record"]), "a record is hidden with its dossier"
        assert _sees(bob, ids["bob"]) and _sees(bob, ids["serie"])
        assert bob.execute(
            "SELECT count(*) FROM bestand WHERE informatieobject_id = %s", (ids["alice_record"],)
        ).fetchone() == (0,)
        changed = bob.execute(
            "UPDATE informatieobject SET naam = 'gekaapt' WHERE id = %s", (ids["alice"],)
        )
        assert changed.rowcount == 0
        message = _refused(bob, _INSERT_OBJECT, *_new_object(ids["alice"], "ondergeschoven"))
        assert "row-level security" in message
        _refused(bob, _INSERT_BESTAND, str(uuid.uuid4()), ids["alice_record"])
        alice.execute(_INSERT_OBJECT, _new_object(ids["alice"], "een nieuw stuk"))
    assert _object_naam(central, ids["alice"]) == "Paspoort Jansen"
    assert central.chain_intact()


def _object_naam(central: Central, object_id: str) -> str:
    with central.ws.readers() as session:
        row = session.get(Informatieobject, object_id)
        assert row is not None
        return row.naam


def test_restricted_dossiers_only_for_the_named_role(central: Central) -> None:
    ids = central.ids
    with central.superuser() as root:  # content of the restricted dossier, also in chunks
        root.execute(
            "INSERT INTO content_text (sha256, text, needs_ocr, method, truncated, "
            "extracted_at) VALUES (%s, 'geheim', false, 'plain', false, now()) "
            "ON CONFLICT DO NOTHING", (ids["restricted_sha"],),
        )  # fmt: skip
        root.execute(
            "INSERT INTO content_object (sha256, size, chunk_count, verified_at) "
            "VALUES (%s, 1, 0, now())", (ids["restricted_sha"],),
        )  # fmt: skip
    dossiers = "SELECT id::text FROM informatieobject WHERE aggregatieniveau = 'Dossier'"
    text_of = "SELECT count(*) FROM content_text WHERE sha256 = %s"
    object_of = "SELECT count(*) FROM content_object WHERE sha256 = %s"
    with central.connect("wim") as wim, central.connect("rob") as rob:
        seen = {row[0] for row in wim.execute(dossiers)}
        assert {ids["alice"], ids["bob"], ids["closed"]} <= seen, "every department"
        assert ids["restricted"] not in seen
        assert not _sees(wim, ids["restricted_record"])
        assert wim.execute(text_of, (ids["restricted_sha"],)).fetchone() == (0,)
        assert wim.execute(object_of, (ids["restricted_sha"],)).fetchone() == (0,)
        assert ids["restricted"] in {row[0] for row in rob.execute(dossiers)}
        assert _sees(rob, ids["restricted_record"])
        assert rob.execute(text_of, (ids["restricted_sha"],)).fetchone() == (1,)
        assert rob.execute(object_of, (ids["restricted_sha"],)).fetchone() == (1,)
        _refused(wim, "UPDATE informatieobject SET naam = 'x' WHERE id = %s", ids["alice"])
    with central.connect("alice") as alice:  # her department, but not the named role
        assert not _sees(alice, ids["restricted"])
        assert _sees(alice, ids["closed"])


def test_a_restriction_high_up_hides_everything_under_it(central: Central) -> None:
    """A restricted Serie four levels above a record (deeper than the parent view looks)."""
    chain: list[str] = []
    with central.superuser() as root:
        for naam in ("Vertrouwelijk", "Deelserie", "Onderdeel", "Dossier", "Stuk"):
            row = _new_object(chain[-1] if chain else None, naam)
            root.execute(_INSERT_OBJECT, row)
            chain.append(row[0])
        root.execute(
            "UPDATE informatieobject SET beperking_gebruik = 'Vertrouwelijk' WHERE id = %s",
            (chain[0],),
        )
    with central.connect("wim") as wim, central.connect("rob") as rob:
        assert [_sees(wim, key) for key in chain] == [False] * 5
        assert [_sees(rob, key) for key in chain] == [True] * 5


def test_nobody_changes_or_removes_audit_rows(central: Central) -> None:
    with central.superuser() as root:
        before = root.execute("SELECT count(*), max(hash) FROM audit_event").fetchone()
        assert before is not None and before[0] > 0
    for person in ("alice", "rita", "ada", "wim", "rob", "adam"):
        with central.connect(person) as conn:
            _refused(conn, "UPDATE audit_event SET actor = 'niemand'")
            _refused(conn, "DELETE FROM audit_event")
            _refused(conn, "TRUNCATE audit_event")
            assert conn.execute("SELECT count(*) FROM audit_event").fetchone() == before[:1]
    with central.superuser() as root:  # not even the owner: the triggers of migration 0001
        for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event",
                          "TRUNCATE audit_event"):  # fmt: skip
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                root.execute(statement)
        assert root.execute("SELECT count(*), max(hash) FROM audit_event").fetchone() == before
    assert central.chain_intact()


def test_the_catalogue_grants_no_role_a_delete_or_an_audit_change(central: Central) -> None:
    check = "SELECT has_table_privilege(%s, %s, %s)"
    with central.superuser() as root:
        for role in ALL_ROLES:
            for table in ("bestand", "informatieobject", "event", "content_text",
                          "content_object", "content_chunk", "audit_event", "hold"):  # fmt: skip
                for privilege in ("DELETE", "TRUNCATE"):
                    assert root.execute(check, (role, table, privilege)).fetchone() == (False,)
            assert root.execute(check, (role, "audit_event", "UPDATE")).fetchone() == (False,)
            assert root.execute(check, (role, "change_log", "INSERT")).fetchone() == (False,)
    for person in PEOPLE:
        with central.connect(person) as conn:
            _refused(conn, "DELETE FROM bestand")


def test_a_closed_dossier_changes_only_through_a_records_manager(central: Central) -> None:
    ids = central.ids
    with central.connect("alice") as alice:
        assert _sees(alice, ids["closed"])
        update = "UPDATE informatieobject SET naam = 'anders' WHERE id = %s"
        assert "records manager" in _refused(alice, update, ids["closed"])
        _refused(alice, update, ids["closed_record"])
        _refused(alice, _INSERT_OBJECT, *_new_object(ids["closed"], "nagekomen"))
        _refused(alice, _INSERT_BESTAND, str(uuid.uuid4()), ids["closed_record"])
        event = (
            "INSERT INTO event (id, informatieobject_id, event_type, event_tijd) "
            "VALUES (%s, %s, 'Wijziging', now())"
        )
        _refused(alice, event, str(uuid.uuid4()), ids["closed"])
        closing = "UPDATE informatieobject SET status = 'closed' WHERE id = %s"
        assert "closing" in _refused(alice, closing, ids["alice"])
        alice.execute(update, (ids["alice"],))  # her open dossier she may change
    with central.connect("rita") as rita:
        assert rita.execute(update, (ids["closed"],)).rowcount == 1
        rita.execute(_INSERT_OBJECT, _new_object(ids["closed"], "nagekomen door rita"))
    assert _object_naam(central, ids["closed"]) == "anders"
    assert central.chain_intact()


def test_a_filer_places_a_hold_but_only_a_records_manager_lifts_it(central: Central) -> None:
    hold_id = str(uuid.uuid4())
    lift = "UPDATE hold SET lifted_at = now(), lifted_by = 'psql', lift_reason = 'klaar' "
    with central.connect("alice") as alice:
        alice.execute(
            "INSERT INTO hold (id, informatieobject_id, reason, placed_by, placed_at) "
            "VALUES (%s, %s, 'Woo-verzoek', 'alice', now())", (hold_id, central.ids["closed"]),
        )  # fmt: skip
        assert "only a records manager" in _refused(alice, lift + "WHERE id = %s", hold_id)
        _refused(alice, "UPDATE hold SET informatieobject_id = %s WHERE id = %s",
                 central.ids["alice"], hold_id)  # fmt: skip
        alice.execute("UPDATE hold SET reason = 'Woo-verzoek 2026-12' WHERE id = %s", (hold_id,))
    with central.connect("bob") as bob:  # not his department: he does not even see it
        assert bob.execute(lift + "WHERE id = %s", (hold_id,)).rowcount == 0
    with central.connect("rita") as rita:
        assert rita.execute(lift + "WHERE id = %s", (hold_id,)).rowcount == 1


@_BOTH_INSTALLERS
def test_destruction_only_through_rd_destroy_with_approval_four_eyes_and_no_hold(
    central: Central,
) -> None:
    ids, ws = central.ids, central.ws
    destroy = "SELECT rd_destroy(%s, %s)"
    args = (ids["list"], ids["doomed"])
    for person in ("alice", "ada", "wim", "adam"):
        with central.connect(person) as conn:
            assert "permission denied" in _refused(conn, destroy, *args)
    set_approver = "UPDATE disposal_list SET approved_by = %s WHERE id = %s"
    with central.connect("rita") as rita, central.superuser() as root:
        assert "only an archivist" in _refused(rita, set_approver, "iemand", ids["list"])
        root.execute(set_approver, (None, ids["list"]))
        assert "not been approved" in _refused(rita, destroy, *args)
        root.execute(set_approver, (AUTHOR, ids["list"]))
        assert "four eyes" in _refused(rita, destroy, *args)
        root.execute(set_approver, (ARCHIVIST, ids["list"]))
        hold = place_hold(as_user(ws, AUTHOR), ids["serie_kenmerk"], "Rechtszaak 2026/31")
        assert "legal hold" in _refused(rita, destroy, *args)
        assert root.execute("SELECT count(*) FROM bestand WHERE sha256 = %s",
                            (ids["doomed_sha"],)).fetchone() == (1,)  # fmt: skip
        lift_hold(as_user(ws, AUTHOR), hold.id, "Rechtszaak geschikt")
        unused = rita.execute(destroy, args).fetchone()
        assert unused == ([ids["doomed_sha"]],)
        family = (ids["doomed"], ids["doomed_record"])
        in_family = "SELECT count(*) FROM bestand WHERE informatieobject_id = ANY(%s::uuid[])"
        assert root.execute(in_family, (list(family),)).fetchone() == (0,)
        kept = root.execute(
            "SELECT kenmerk, naam, omschrijving FROM informatieobject WHERE id = ANY(%s::uuid[])",
            (list(family),),
        ).fetchall()
        assert len(kept) == 2 and all(k and n and o is None for k, n, o in kept)
        assert "not on list" in _refused(rita, destroy, ids["list"], ids["alice"])
    assert central.chain_intact()


@_BOTH_INSTALLERS
def test_a_records_manager_carries_out_a_list_with_the_client(
    central: Central, tmp_path: Path
) -> None:
    """The destruction workflow of issue 5, run with rita's own login: the client's
    disposal_run goes through rd_destroy and the grants suffice for the whole of it."""
    parts = make_url(central.url).set(username=central.logins["rita"])
    ws = open_workspace(tmp_path / "rita", db_url=parts.render_as_string(hide_password=False))
    ws.clock, ws.actor = (lambda: NOW), AUTHOR
    try:
        report = execute(ws, central.ids["list"])
    finally:
        ws.close()
    assert report.finished and (report.done, report.skipped) == (1, 0)
    assert report.list.state == "vernietigd"
    with central.superuser() as root:
        assert root.execute(
            "SELECT count(*) FROM bestand WHERE sha256 = %s", (central.ids["doomed_sha"],)
        ).fetchone() == (0,)
        assert root.execute(
            "SELECT status FROM informatieobject WHERE id = %s", (central.ids["doomed"],)
        ).fetchone() == ("destroyed",)
    assert central.chain_intact()


def test_a_records_manager_confirms_a_transfer_with_the_client(
    central: Central, tmp_path: Path
) -> None:
    """Content leaves after a confirmed transfer through rd_destroy too (its transfer case)."""
    ws = central.ws
    set_setting(as_user(ws, AUTHOR), "retention.overbrengingstermijn", "P1Y")
    kenmerk = closed_dossier(ws, tmp_path, "Raadsbesluit", nummer="1.1.1")
    key = lists.create_list(as_user(ws, AUTHOR), kind="transfer", name="Overbrenging").id
    approve_whole(ws, key)
    dossier = _object(ws, kenmerk).id
    with central.connect("rita") as rita:  # not yet carried out: refused
        assert "not an approved destruction list" in _refused(
            rita, "SELECT rd_destroy(%s, %s)", key, dossier
        )
    parts = make_url(central.url).set(username=central.logins["rita"])
    rita_ws = open_workspace(ws.layout.root, db_url=parts.render_as_string(hide_password=False))
    rita_ws.clock, rita_ws.actor = (lambda: NOW), AUTHOR
    out = tmp_path / "e-depot"
    out.mkdir()
    try:
        assert execute(rita_ws, key, out=out).list.state == "uitgevoerd"
        assert confirm_transfer(rita_ws, key, "NHA-ontvangst 2026-77").state == "overgebracht"
    finally:
        rita_ws.close()
    with central.superuser() as root:
        assert root.execute(
            "SELECT count(*) FROM bestand b JOIN informatieobject i "
            "ON i.id = b.informatieobject_id WHERE i.parent_id = %s", (dossier,),
        ).fetchone() == (0,)  # fmt: skip
        assert root.execute(
            "SELECT status FROM informatieobject WHERE id = %s", (dossier,)
        ).fetchone() == ("transferred",)
    assert central.chain_intact()


def test_workstations_sync_only_what_their_users_may_see(pg_url: str, tmp_path: Path) -> None:
    """The sync engine with each user's own login: alice's dossier reaches the central
    archive; once it belongs to her department, bob's workstation does not receive it,
    wim's does; a restricted one reaches only rob's."""
    engine = make_engine(pg_url)
    upgrade(engine)
    enforce.install(engine)
    suffix = make_url(pg_url).database.removeprefix("rd_test_")  # type: ignore[union-attr]
    people = {"alice": ("filer", "Burgerzaken"), "bob": ("filer", "Ruimte"),
              "wim": ("woo_searcher", None), "rob": ("restricted", None)}  # fmt: skip
    superuser = pg_url.replace("postgresql+psycopg", "postgresql")
    made: list[str] = []
    try:
        with psycopg.connect(superuser, autocommit=True) as admin:
            for person, (role, department) in people.items():
                made.append(f"{person}_{suffix}")
                admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(made[-1])))
                enforce.grant(engine, made[-1], role, department)
        enforce.grant(engine, f"rob_{suffix}", "woo_searcher")
        home = {person: tmp_path / person for person in people}
        alice = open_workspace(home["alice"])
        try:
            open_one = _dossier_with_file(alice, tmp_path, "Paspoort Jansen")
            secret = _dossier_with_file(alice, tmp_path, "Klacht over medewerker")
            assert _sync(alice, pg_url, f"alice_{suffix}")["failed"] == 0
        finally:
            alice.close()
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE informatieobject SET department = 'Burgerzaken', "
                     "beperking_gebruik = CASE WHEN id = :s THEN 'Vertrouwelijk' "
                     "ELSE beperking_gebruik END WHERE id IN (:o, :s)"),
                {"o": open_one, "s": secret},
            )  # fmt: skip
        received = {}
        for person in ("bob", "wim", "rob"):
            ws = open_workspace(home[person])
            try:
                assert _sync(ws, pg_url, f"{person}_{suffix}")["failed"] == 0
                with ws.readers() as session:
                    received[person] = set(session.scalars(select(Informatieobject.id)))
            finally:
                ws.close()
        assert open_one not in received["bob"] and secret not in received["bob"]
        assert open_one in received["wim"] and secret not in received["wim"]
        assert {open_one, secret} <= received["rob"]
    finally:
        engine.dispose()
        with psycopg.connect(superuser, autocommit=True) as admin:
            for login in made:
                admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def _sync(ws: Workspace, pg_url: str, login: str) -> dict[str, Any]:
    url = make_url(pg_url).set(username=login).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        return sync_once(ws, SyncCentral.open(engine)).to_json()
    finally:
        engine.dispose()


def test_install_twice_is_harmless_and_repairs_drift(central: Central) -> None:
    snapshot = (
        "SELECT (SELECT array_agg(g ORDER BY g) FROM (SELECT grantee || ':' || table_name "
        "|| ':' || privilege_type AS g FROM information_schema.role_table_grants "
        "WHERE grantee LIKE 'rd\\_%%') AS grants), (SELECT array_agg(p ORDER BY p) FROM "
        "(SELECT tablename || policyname || coalesce(qual, '') || coalesce(with_check, '') "
        "AS p FROM pg_policies) AS policies), (SELECT array_agg(tgname::text ORDER BY "
        "tgname) FROM pg_trigger WHERE NOT tgisinternal)"
    )
    with central.superuser() as root:
        before = root.execute(snapshot).fetchone()
        root.execute("GRANT DELETE ON bestand TO rd_filer")
        enforce.install(central.engine)
        enforce.install(central.engine)
        assert root.execute(snapshot).fetchone() == before
    with central.connect("alice") as alice:
        _refused(alice, "DELETE FROM bestand")
        assert _sees(alice, central.ids["alice"])


def test_grant_and_revoke_check_their_names(central: Central) -> None:
    alice = central.logins["alice"]
    with pytest.raises(UserError, match="Unknown role"):
        enforce.grant(central.engine, alice, "superuser")
    with pytest.raises(UserError, match="not a valid"):
        enforce.grant(central.engine, 'x"; DROP TABLE bestand; --', "filer")
    with pytest.raises(UserError, match="no database login"):
        enforce.grant(central.engine, f"nobody_{uuid.uuid4().hex[:8]}", "filer")
    enforce.revoke(central.engine, alice, "filer", "Burgerzaken")
    with central.connect("alice") as conn:
        _refused(conn, "SELECT count(*) FROM informatieobject")
    enforce.grant(central.engine, alice, "rd_filer")
    with central.connect("alice") as conn:
        assert not _sees(conn, central.ids["alice"]), "no longer in Burgerzaken"
        assert _sees(conn, central.ids["serie"])
    assert central.chain_intact()


def test_enforcement_needs_postgresql(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'central.sqlite'}")
    try:
        with pytest.raises(UserError, match="needs PostgreSQL"):
            enforce.install(engine)
    finally:
        engine.dispose()
