"""Destruction only through rd_destroy, the issue-5 workflows run with a records
manager's own login against the enforced central archive, and sync with each user's own
login delivering only what they may see. PostgreSQL only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from recordsdesk.archive.central import enforce
from recordsdesk.archive.sync.central import Central as SyncCentral
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.db.migrate import upgrade
from recordsdesk.db.models import Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.disposal_run import confirm_transfer, execute
from recordsdesk.services.holds import lift_hold, place_hold
from recordsdesk.services.organisation import set_setting
from tests.central.enforcement_support import (
    BOTH_INSTALLERS,
    Central,
    dossier_with_file,
    enforced_central,
    object_row,
    refused,
)
from tests.retention.disposal_support import (
    ARCHIVIST,
    AUTHOR,
    NOW,
    approve_whole,
    as_user,
    closed_dossier,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def central(request: pytest.FixtureRequest, pg_url: str, tmp_path: Path) -> Iterator[Central]:
    """See enforced_central; parametrised "owner": installed by a non-superuser owner."""
    with enforced_central(getattr(request, "param", "superuser"), pg_url, tmp_path) as made:
        yield made


@BOTH_INSTALLERS
def test_destruction_only_through_rd_destroy_with_approval_four_eyes_and_no_hold(
    central: Central,
) -> None:
    ids, ws = central.ids, central.ws
    destroy = "SELECT rd_destroy(%s, %s)"
    args = (ids["list"], ids["doomed"])
    for person in ("alice", "ada", "wim", "adam"):
        with central.connect(person) as conn:
            assert "permission denied" in refused(conn, destroy, *args)
    set_approver = "UPDATE disposal_list SET approved_by = %s WHERE id = %s"
    with central.connect("rita") as rita, central.superuser() as root:
        assert "only an archivist" in refused(rita, set_approver, "iemand", ids["list"])
        root.execute(set_approver, (None, ids["list"]))
        assert "not been approved" in refused(rita, destroy, *args)
        root.execute(set_approver, (AUTHOR, ids["list"]))
        assert "four eyes" in refused(rita, destroy, *args)
        root.execute(set_approver, (ARCHIVIST, ids["list"]))
        hold = place_hold(as_user(ws, AUTHOR), ids["serie_kenmerk"], "Rechtszaak 2026/31")
        assert "legal hold" in refused(rita, destroy, *args)
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
        assert "not on list" in refused(rita, destroy, ids["list"], ids["alice"])
    assert central.chain_intact()


@BOTH_INSTALLERS
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


def test_unreferenced_central_content_goes_only_through_rd_forget_content(
    central: Central,
) -> None:
    orphan, used = "f" * 64, central.ids["alice_sha"]
    with central.superuser() as root:
        for digest in (orphan, used):
            root.execute(
                "INSERT INTO content_object (sha256, size, chunk_count, verified_at) "
                "VALUES (%s, 1, 1, now()) ON CONFLICT DO NOTHING", (digest,),
            )  # fmt: skip
            root.execute(
                "INSERT INTO content_chunk (sha256, idx, size, chunk_sha256, data) "
                "VALUES (%s, 0, 1, %s, 'x') ON CONFLICT DO NOTHING", (digest, digest),
            )  # fmt: skip
    forget = "SELECT rd_forget_content(%s)"
    with central.connect("alice") as alice:
        assert "permission denied" in refused(alice, forget, orphan)
        refused(alice, "DELETE FROM content_chunk WHERE sha256 = %s", orphan)
    with central.connect("rita") as rita:
        assert rita.execute(forget, (used,)).fetchone() == (False,), "a bestand refers to it"
        assert rita.execute(forget, (orphan,)).fetchone() == (True,)
    with central.superuser() as root:
        left = "SELECT count(*) FROM content_chunk WHERE sha256 = %s"
        assert root.execute(left, (orphan,)).fetchone() == (0,)
        assert root.execute(left, (used,)).fetchone() == (1,)


def test_a_workstation_clock_ahead_cannot_destroy_early(central: Central, tmp_path: Path) -> None:
    """Due by the workstation's clock, not by the server's: rd_destroy refuses, the client
    says so in words, nothing is destroyed and a later run can resume."""
    with central.superuser() as root:  # due in ten days, by the server's date
        root.execute(
            "UPDATE informatieobject SET archiefactiedatum = current_date + 10 WHERE id = %s",
            (central.ids["doomed"],),
        )
    parts = make_url(central.url).set(username=central.logins["rita"])
    ws = open_workspace(tmp_path / "rita", db_url=parts.render_as_string(hide_password=False))
    ws.clock, ws.actor = (lambda: NOW + dt.timedelta(days=3650)), AUTHOR  # years ahead
    try:
        with pytest.raises(UserError, match=r"central archive refused.*due"):
            execute(ws, central.ids["list"])
    finally:
        ws.close()
    with central.superuser() as root:
        assert root.execute(
            "SELECT count(*) FROM bestand WHERE sha256 = %s", (central.ids["doomed_sha"],)
        ).fetchone() == (1,)
        assert root.execute(
            "SELECT state FROM disposal_item WHERE object_id = %s", (central.ids["doomed"],)
        ).fetchone() == ("listed",)
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
    dossier = object_row(ws, kenmerk).id
    with central.connect("rita") as rita:  # not yet carried out: refused
        assert "not an approved destruction list" in refused(
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
            open_one = dossier_with_file(alice, tmp_path, "Paspoort Jansen")
            secret = dossier_with_file(alice, tmp_path, "Klacht over medewerker")
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
