"""Woo requests: numbers and dates, a scope held by legal holds, documents streamed in
inventory order, closing with a besluit (real workspaces on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from recordsdesk.archive.woo.assessments import assess
from recordsdesk.archive.woo.requests import (
    add_to_scope,
    close_request,
    create_request,
    documents_in_scope,
    implied_besluit,
    list_requests,
    parse_besluit,
    remove_from_scope,
    show_request,
)
from recordsdesk.archive.woo.scope import document_page
from recordsdesk.db.models import AuditEvent, Hold, Informatieobject, WooScope
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace, file_paths
from recordsdesk.services import disposal as lists
from recordsdesk.services.disposal_run import execute
from recordsdesk.services.dossiers import new_object
from recordsdesk.services.holds import holds_on
from recordsdesk.services.roles import grant
from tests.retention.disposal_support import AUTHOR, approve_whole, as_user, closed_dossier, people
from tests.woo.conftest import (
    TODAY,
    MakeDossier,
    active_holds,
    audit_actions,
    audit_count,
    row,
    set_status,
)


def request(ws: Workspace, nummer: str = "2026-041") -> str:
    create_request(ws, nummer, "Bouwplannen Coolsingel", dt.date(2026, 11, 20))
    return nummer


def test_a_request_decides_within_four_weeks_by_default(ws: Workspace) -> None:
    made = create_request(ws, " 2026-041 ", "  Bouwplannen   Coolsingel ", dt.date(2026, 11, 2))
    assert (made.nummer, made.onderwerp) == ("2026-041", "Bouwplannen Coolsingel")
    assert made.besluit_uiterlijk == dt.date(2026, 11, 30) and made.status == "open"
    later = create_request(ws, "2026-042", "Subsidies", TODAY, dt.date(2027, 1, 15))
    assert later.besluit_uiterlijk == dt.date(2027, 1, 15)
    assert [r.nummer for r in list_requests(ws)] == ["2026-041", "2026-042"]
    assert show_request(ws, "2026-041").documents == 0
    assert audit_actions(ws)[-2:] == ["woo.request_created", "woo.request_created"]


@pytest.mark.parametrize(
    ("nummer", "onderwerp", "ontvangen", "uiterlijk", "message"),
    [
        ("2026-041", "Nog eens", dt.date(2026, 11, 1), None, "already exists"),
        ("  ", "Onderwerp", TODAY, None, "needs a number"),
        ("2026 043", "Onderwerp", TODAY, None, "no spaces"),
        ("x" * 41, "Onderwerp", TODAY, None, "at most 40"),
        ("2026-044", "   ", TODAY, None, "needs a subject"),
        ("2026-045", "Later", TODAY + dt.timedelta(days=1), None, "in the future"),
        ("2026-046", "Omgekeerd", TODAY, TODAY - dt.timedelta(days=1), "lies before"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(
    ws: Workspace,
    nummer: str,
    onderwerp: str,
    ontvangen: dt.date,
    uiterlijk: dt.date | None,
    message: str,
) -> None:
    request(ws)
    before = audit_count(ws)
    with pytest.raises(UserError, match=message):
        create_request(ws, nummer, onderwerp, ontvangen, uiterlijk)
    assert [r.nummer for r in list_requests(ws)] == ["2026-041"]
    assert audit_count(ws) == before


def test_the_number_is_unique_whatever_its_case(ws: Workspace) -> None:
    create_request(ws, "WOO-2026-7", "Eerste", TODAY)
    with pytest.raises(UserError, match="already exists"):
        create_request(ws, "woo-2026-7", "Tweede", TODAY)
    assert show_request(ws, "woo-2026-7").onderwerp == "Eerste"


def test_scope_holds_a_dossier_and_a_record_through_its_dossier(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    nummer = request(ws)
    dossier, records = make_dossier("Bouw Coolsingel 40", "aanvraag", "advies")
    other, [loose] = make_dossier("Bezwaren 2026", "bezwaar")
    change = add_to_scope(ws, nummer, [dossier, loose.lower(), records[0]])
    assert change.added == (dossier, loose, records[0]) and len(change.holds_placed) == 2
    [on_dossier] = active_holds(ws, dossier)
    [on_other] = active_holds(ws, other)
    assert on_dossier.reason == "Woo-verzoek 2026-041: Bouwplannen Coolsingel"
    assert [h.id for h in holds_on(ws, loose)] == [on_other.id], "a record is held by its dossier"
    with ws.readers() as session:
        holds_of_rows = dict(
            session.execute(
                select(Informatieobject.kenmerk, WooScope.hold_id).join(
                    Informatieobject, WooScope.informatieobject_id == Informatieobject.id
                )
            ).all()
        )
    assert holds_of_rows == {dossier: on_dossier.id, loose: on_other.id, records[0]: on_dossier.id}
    again = add_to_scope(ws, nummer, [dossier, records[0]])
    assert again.added == () and again.already == (dossier, records[0]) and not again.holds_placed
    assert len(active_holds(ws, dossier)) == 1, "adding twice is harmless"
    info = show_request(ws, nummer)
    assert [i.kenmerk for i in info.scope] == sorted([dossier, loose, records[0]])
    assert info.documents == 3, "a record named and in a dossier in scope counts once"
    assert audit_actions(ws).count("woo.scope_added") == 3


def test_a_bad_kenmerk_adds_nothing_and_names_every_problem(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    nummer = request(ws)
    good, _ = make_dossier("Goed", "a")
    gone, _ = make_dossier("Vernietigd", "b")
    set_status(ws, gone, "destroyed")
    before = audit_count(ws)
    with pytest.raises(UserError) as refused:
        add_to_scope(ws, nummer, [good, "D-ZZZZZZ-11", gone])
    assert "2 objects cannot be" in refused.value.english()
    problems = [d.english() for d in refused.value.details]
    assert "D-ZZZZZZ-11" in problems[0] and "destroyed or transferred" in problems[1]
    assert show_request(ws, nummer).scope == () and active_holds(ws, good) == []
    assert audit_count(ws) == before
    with pytest.raises(UserError, match="at least one"):
        add_to_scope(ws, nummer, ["  "])
    with pytest.raises(UserError, match="No Woo request"):
        add_to_scope(ws, "2099-1", [good])


def test_a_held_dossier_is_not_destroyed_until_the_request_is_closed(
    ws: Workspace, tmp_path: Path
) -> None:
    people(ws)  # anna: records manager, who also handles the Woo requests here
    held = closed_dossier(ws, tmp_path, "Onder Woo-verzoek")
    free = closed_dossier(ws, tmp_path, "Vrij")
    received = dt.date(2026, 11, 20)
    create_request(ws, "2026-050", "Coolsingel", received)
    add_to_scope(ws, "2026-050", [held])
    listed = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="Eerste")
    assert [i.kenmerk for i in lists.items(ws, listed.id)] == [free], "held: left off the list"
    approve_whole(ws, listed.id)
    create_request(ws, "2026-051", "Na goedkeuring", received)  # comes in after approval
    add_to_scope(ws, "2026-051", [free])
    report = execute(as_user(ws, AUTHOR), listed.id)
    assert (report.done, report.skipped) == (0, 1)
    assert row(ws, free).status == "closed" and row(ws, held).status == "closed"
    for nummer in ("2026-050", "2026-051"):  # closing lifts the holds
        for document in list(documents_in_scope(ws, nummer)):
            assess(ws, nummer, document.kenmerk, "openbaar")
        assert close_request(ws, nummer, "openbaarmaking").status == "closed"
    assert active_holds(ws, held) == [] and active_holds(ws, free) == []
    again = lists.create_list(ws, kind="destruction", name="Na de besluiten")
    assert held in {i.kenmerk for i in lists.items(ws, again.id)}


def test_removing_lifts_the_hold_only_when_nothing_else_of_the_request_needs_it(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    nummer = request(ws)
    other = request(ws, "2026-099")
    dossier, records = make_dossier("Coolsingel", "a", "b")
    add_to_scope(ws, nummer, [dossier, records[0]])
    add_to_scope(ws, other, [dossier])
    assess(ws, nummer, records[1], "niet openbaar", gronden="5.1.2e")
    assess(ws, nummer, records[0], "openbaar")
    out = remove_from_scope(ws, nummer, dossier)
    assert out.removed == (dossier,) and out.holds_lifted == ()
    assert out.assessments_dropped == (records[1],), "b left the scope with its dossier"
    assert [d.kenmerk for d in documents_in_scope(ws, nummer)] == [records[0]]
    assert len(active_holds(ws, dossier)) == 2, "a's scope row still needs this request's hold"
    last = remove_from_scope(ws, nummer, records[0])
    assert len(last.holds_lifted) == 1 and last.assessments_dropped == (records[0],)
    [remaining] = active_holds(ws, dossier)
    assert remaining.reason.startswith("Woo-verzoek 2026-099"), "the other request still holds"
    with pytest.raises(UserError, match="not in the scope"):
        remove_from_scope(ws, nummer, dossier)
    with ws.readers() as session:
        details = session.scalars(
            select(AuditEvent.details)
            .where(AuditEvent.action == "woo.scope_removed")
            .order_by(AuditEvent.seq)
        ).first()
    assert details is not None
    assert json.loads(details)["assessments_dropped"] == [
        {"kenmerk": records[1], "beoordeling": "niet_openbaar"}
    ]


def test_documents_come_each_once_in_inventory_order_a_page_at_a_time(
    ws: Workspace, make_dossier: MakeDossier, tmp_path: Path
) -> None:
    nummer = request(ws)
    first, first_records = make_dossier("Eerste", "a", "b", "c")
    second, second_records = make_dossier("Tweede", "d", "e")
    third, third_records = make_dossier("Derde", "f")
    with ws.sessions() as session, session.begin():  # a dossier inside the first one
        parent = session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == first)
        ).one()
        inner = new_object(session, ws, ws.clock(), "Dossier", "Deeldossier", parent_id=parent.id)
        inner_kenmerk = inner.kenmerk
    paths = [tmp_path / "deel-1.txt", tmp_path / "deel-2.txt"]
    for n, path in enumerate(paths):
        path.write_text(f"deeldossier {n}\n", encoding="utf-8")
    inner_records = [r.kenmerk for r in file_paths(ws, inner_kenmerk, paths).records]
    add_to_scope(ws, nummer, [first, second_records[1], third_records[0], first_records[0]])
    expected = sorted(
        [(first, k) for k in first_records]
        + [(second, second_records[1]), (third, third_records[0])]
        + [(inner_kenmerk, k) for k in inner_records]
    )
    assert [d.position for d in documents_in_scope(ws, nummer)] == expected
    assert [d.position for d in documents_in_scope(ws, nummer, page=2)] == expected
    page = document_page(ws, nummer, after=expected[2], limit=2)
    assert [d.position for d in page] == expected[3:5]
    set_status(ws, second, "transferred")
    assert second not in {d.dossier_kenmerk for d in documents_in_scope(ws, nummer)}


def test_a_large_scope_streams_by_pages(ws: Workspace, make_dossier: MakeDossier) -> None:
    """2,500 records in one dossier (rows inserted directly: setup, not the subject)."""
    nummer = request(ws)
    dossier, _ = make_dossier("Groot dossier")
    parent = row(ws, dossier)
    with ws.sessions() as session, session.begin():
        session.execute(
            insert(Informatieobject),
            [
                {
                    "id": str(uuid.uuid4()),
                    "kenmerk": f"S-GROOT-{n:05d}",
                    "aggregatieniveau": "Archiefstuk",
                    "parent_id": parent.id,
                    "naam": f"stuk {n}",
                    "archiefvormer": parent.archiefvormer,
                    "status": "open",
                    "created_at": parent.created_at,
                    "created_by": "test",
                    "updated_at": parent.created_at,
                }
                for n in range(2500)
            ],
        )
    add_to_scope(ws, nummer, [dossier])
    seen = [d.kenmerk for d in documents_in_scope(ws, nummer, page=1000)]
    assert seen == [f"S-GROOT-{n:05d}" for n in range(2500)]
    assert show_request(ws, nummer).documents == 2500


def test_closing_needs_every_document_assessed_and_the_besluit_they_make(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    nummer = request(ws)
    dossier, records = make_dossier("Coolsingel", "a", "b")
    with pytest.raises(UserError, match="only possible besluit is geen_documenten"):
        close_request(ws, nummer, "openbaarmaking")
    add_to_scope(ws, nummer, [dossier])
    with pytest.raises(UserError, match="2 documents in scope are not assessed"):
        close_request(ws, nummer, "openbaarmaking")
    with pytest.raises(UserError, match="cannot be geen_documenten"):
        close_request(ws, nummer, "Geen documenten aangetroffen")
    assess(ws, nummer, records[0], "openbaar")
    assess(ws, nummer, records[1], "reeds openbaar", publieke_link="https://open.overheid.nl/x")
    with pytest.raises(UserError, match="make the besluit openbaarmaking"):
        close_request(ws, nummer, "gedeeltelijke openbaarmaking")
    with pytest.raises(UserError, match="Unknown besluit"):
        close_request(ws, nummer, "misschien")
    assert show_request(ws, nummer).status == "open" and len(active_holds(ws, dossier)) == 1
    closed = close_request(ws, nummer, "Openbaarmaking")
    assert (closed.status, closed.besluit) == ("closed", "openbaarmaking")
    assert closed.counts == {"openbaar": 1, "reeds_openbaar": 1} and closed.unassessed == 0
    assert active_holds(ws, dossier) == []
    assert audit_actions(ws)[-2:] == ["hold.lifted", "woo.request_closed"]
    for refused in (
        lambda: add_to_scope(ws, nummer, [dossier]),
        lambda: remove_from_scope(ws, nummer, dossier),
        lambda: assess(ws, nummer, records[0], "openbaar"),
        lambda: close_request(ws, nummer, "openbaarmaking"),
    ):
        with pytest.raises(UserError, match="is closed"):
            refused()


def test_an_empty_request_closes_with_geen_documenten(ws: Workspace) -> None:
    nummer = request(ws)
    closed = close_request(ws, nummer, "geen_documenten")
    assert (closed.status, closed.besluit, closed.documents) == ("closed", "geen_documenten", 0)


def test_only_a_records_manager_lifts_the_holds_when_closing(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    nummer = request(ws)
    dossier, [record] = make_dossier("Coolsingel", "a")
    grant(ws, "anna.records", "records_manager")  # roles are enforced from now on
    ws.actor = "wim.woo"
    add_to_scope(ws, nummer, [dossier])  # placing a hold only protects: anyone
    assess(ws, nummer, record, "openbaar")
    with pytest.raises(UserError, match="records_manager"):
        close_request(ws, nummer, "openbaarmaking")
    with pytest.raises(UserError, match="records_manager"):
        remove_from_scope(ws, nummer, dossier)
    assert show_request(ws, nummer).status == "open" and len(active_holds(ws, dossier)) == 1
    ws.actor = "anna.records"
    assert close_request(ws, nummer, "openbaarmaking").status == "closed"


def test_besluit_words_and_what_assessments_imply() -> None:
    assert parse_besluit(" gedeeltelijke  Openbaarmaking") == "gedeeltelijke_openbaarmaking"
    assert parse_besluit("geen documenten aangetroffen") == "geen_documenten"
    assert implied_besluit({"reeds_openbaar": 2}) == "reeds_openbaar"
    assert implied_besluit({"openbaar": 1, "reeds_openbaar": 2}) == "openbaarmaking"
    assert implied_besluit({"niet_openbaar": 3}) == "geen_openbaarmaking"
    assert implied_besluit({"niet_openbaar": 1, "reeds_openbaar": 1}) == (
        "gedeeltelijke_openbaarmaking"
    )
    assert implied_besluit({"deels_openbaar": 1}) == "gedeeltelijke_openbaarmaking"


def test_a_hold_lifted_by_hand_is_not_lifted_again_on_closing(
    ws: Workspace, make_dossier: MakeDossier
) -> None:
    from recordsdesk.services.holds import lift_hold

    nummer = request(ws)
    dossier, [record] = make_dossier("Coolsingel", "a")
    add_to_scope(ws, nummer, [dossier])
    [hold] = active_holds(ws, dossier)
    lift_hold(ws, hold.id, "Door de rechter opgeheven")
    assess(ws, nummer, record, "openbaar")
    assert close_request(ws, nummer, "openbaarmaking").status == "closed"
    with ws.readers() as session:
        kept = session.get(Hold, hold.id)
        assert kept is not None and kept.lift_reason == "Door de rechter opgeheven"
