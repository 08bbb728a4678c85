"""The central archive's enforcement, proven the way a user with psql would try it: each
person connects with their own login and plain SQL, and the database refuses what their
role may not do (recordsdesk.archive.central.enforce). PostgreSQL only. Destruction and
sync: test_enforcement_destroy_pg.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from recordsdesk.archive.central import enforce
from recordsdesk.archive.central.enforce_sql import ALL_ROLES
from recordsdesk.db.engine import make_engine
from recordsdesk.errors import UserError
from tests.central.enforcement_support import (
    BOTH_INSTALLERS,
    INSERT_BESTAND,
    INSERT_OBJECT,
    PEOPLE,
    Central,
    enforced_central,
    new_object,
    object_naam,
    refused,
    sees,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def central(request: pytest.FixtureRequest, pg_url: str, tmp_path: Path) -> Iterator[Central]:
    """See enforced_central; parametrised "owner": installed by a non-superuser owner."""
    with enforced_central(getattr(request, "param", "superuser"), pg_url, tmp_path) as made:
        yield made


@BOTH_INSTALLERS
def test_a_filer_sees_and_writes_only_their_departments_dossiers(central: Central) -> None:
    ids = central.ids
    with central.connect("alice") as alice, central.connect("bob") as bob:
        assert sees(alice, ids["alice"]) and sees(alice, ids["alice_record"])
        assert not sees(bob, ids["alice"])
        assert not sees(bob, ids["alice_record"]), "a record is hidden with its dossier"
        assert sees(bob, ids["bob"]) and sees(bob, ids["serie"])
        assert bob.execute(
            "SELECT count(*) FROM bestand WHERE informatieobject_id = %s", (ids["alice_record"],)
        ).fetchone() == (0,)
        changed = bob.execute(
            "UPDATE informatieobject SET naam = 'gekaapt' WHERE id = %s", (ids["alice"],)
        )
        assert changed.rowcount == 0
        message = refused(bob, INSERT_OBJECT, *new_object(ids["alice"], "ondergeschoven"))
        assert "row-level security" in message
        refused(bob, INSERT_BESTAND, str(uuid.uuid4()), ids["alice_record"])
        alice.execute(INSERT_OBJECT, new_object(ids["alice"], "een nieuw stuk"))
    assert object_naam(central, ids["alice"]) == "Paspoort Jansen"
    assert central.chain_intact()


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
        assert not sees(wim, ids["restricted_record"])
        assert wim.execute(text_of, (ids["restricted_sha"],)).fetchone() == (0,)
        assert wim.execute(object_of, (ids["restricted_sha"],)).fetchone() == (0,)
        assert ids["restricted"] in {row[0] for row in rob.execute(dossiers)}
        assert sees(rob, ids["restricted_record"])
        assert rob.execute(text_of, (ids["restricted_sha"],)).fetchone() == (1,)
        assert rob.execute(object_of, (ids["restricted_sha"],)).fetchone() == (1,)
        refused(wim, "UPDATE informatieobject SET naam = 'x' WHERE id = %s", ids["alice"])
    with central.connect("alice") as alice:  # her department, but not the named role
        assert not sees(alice, ids["restricted"])
        assert sees(alice, ids["closed"])


def test_a_restriction_high_up_hides_everything_under_it(central: Central) -> None:
    """A restricted Serie four levels above a record (deeper than the parent view looks)."""
    chain: list[str] = []
    with central.superuser() as root:
        for naam in ("Vertrouwelijk", "Deelserie", "Onderdeel", "Dossier", "Stuk"):
            row = new_object(chain[-1] if chain else None, naam)
            root.execute(INSERT_OBJECT, row)
            chain.append(row[0])
        root.execute(
            "UPDATE informatieobject SET beperking_gebruik = 'Vertrouwelijk' WHERE id = %s",
            (chain[0],),
        )
    with central.connect("wim") as wim, central.connect("rob") as rob:
        assert [sees(wim, key) for key in chain] == [False] * 5
        assert [sees(rob, key) for key in chain] == [True] * 5


def test_nobody_changes_or_removes_audit_rows(central: Central) -> None:
    with central.superuser() as root:
        before = root.execute("SELECT count(*), max(hash) FROM audit_event").fetchone()
        assert before is not None and before[0] > 0
    for person in ("alice", "rita", "ada", "wim", "rob", "adam"):
        with central.connect(person) as conn:
            refused(conn, "UPDATE audit_event SET actor = 'niemand'")
            refused(conn, "DELETE FROM audit_event")
            refused(conn, "TRUNCATE audit_event")
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
            refused(conn, "DELETE FROM bestand")


def test_a_closed_dossier_changes_only_through_a_records_manager(central: Central) -> None:
    ids = central.ids
    with central.connect("alice") as alice:
        assert sees(alice, ids["closed"])
        update = "UPDATE informatieobject SET naam = 'anders' WHERE id = %s"
        assert "records manager" in refused(alice, update, ids["closed"])
        refused(alice, update, ids["closed_record"])
        refused(alice, INSERT_OBJECT, *new_object(ids["closed"], "nagekomen"))
        refused(alice, INSERT_BESTAND, str(uuid.uuid4()), ids["closed_record"])
        event = (
            "INSERT INTO event (id, informatieobject_id, event_type, event_tijd) "
            "VALUES (%s, %s, 'Wijziging', now())"
        )
        refused(alice, event, str(uuid.uuid4()), ids["closed"])
        closing = "UPDATE informatieobject SET status = 'closed' WHERE id = %s"
        assert "closing" in refused(alice, closing, ids["alice"])
        alice.execute(update, (ids["alice"],))  # her open dossier she may change
    with central.connect("rita") as rita:
        assert rita.execute(update, (ids["closed"],)).rowcount == 1
        rita.execute(INSERT_OBJECT, new_object(ids["closed"], "nagekomen door rita"))
    assert object_naam(central, ids["closed"]) == "anders"
    assert central.chain_intact()


def test_a_filer_places_a_hold_but_only_a_records_manager_lifts_it(central: Central) -> None:
    hold_id = str(uuid.uuid4())
    lift = "UPDATE hold SET lifted_at = now(), lifted_by = 'psql', lift_reason = 'klaar' "
    with central.connect("alice") as alice:
        alice.execute(
            "INSERT INTO hold (id, informatieobject_id, reason, placed_by, placed_at) "
            "VALUES (%s, %s, 'Woo-verzoek', 'alice', now())", (hold_id, central.ids["closed"]),
        )  # fmt: skip
        assert "only a records manager" in refused(alice, lift + "WHERE id = %s", hold_id)
        refused(alice, "UPDATE hold SET informatieobject_id = %s WHERE id = %s",
                 central.ids["alice"], hold_id)  # fmt: skip
        alice.execute("UPDATE hold SET reason = 'Woo-verzoek 2026-12' WHERE id = %s", (hold_id,))
    with central.connect("bob") as bob:  # not his department: he does not even see it
        assert bob.execute(lift + "WHERE id = %s", (hold_id,)).rowcount == 0
    with central.connect("rita") as rita:
        assert rita.execute(lift + "WHERE id = %s", (hold_id,)).rowcount == 1


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
        refused(alice, "DELETE FROM bestand")
        assert sees(alice, central.ids["alice"])


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
        refused(conn, "SELECT count(*) FROM informatieobject")
    enforce.grant(central.engine, alice, "rd_filer")
    with central.connect("alice") as conn:
        assert not sees(conn, central.ids["alice"]), "no longer in Burgerzaken"
        assert sees(conn, central.ids["serie"])
    assert central.chain_intact()


def test_enforcement_needs_postgresql(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'central.sqlite'}")
    try:
        with pytest.raises(UserError, match="needs PostgreSQL"):
            enforce.install(engine)
    finally:
        engine.dispose()
