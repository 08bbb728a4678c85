"""Destruction lists: compiling, the four-eyes procedure, no lost update, execution with a
live re-check, residual metadata and the verklaring van vernietiging."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select

from recordsdesk import audit
from recordsdesk.db.models import (
    AuditEvent,
    Bestand,
    ContentText,
    DisposalItem,
    Event,
    Informatieobject,
)
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.closing import reopen
from recordsdesk.services.disposal_run import execute
from recordsdesk.services.holds import place_hold
from tests.retention.disposal_support import (
    ARCHIVIST,
    AUTHOR,
    NOW,
    REVIEWER,
    approve_whole,
    as_user,
    closed_dossier,
    hashes_of,
    people,
)


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    workspace.clock = lambda: NOW
    yield workspace
    workspace.close()


def _row(ws: Workspace, kenmerk: str) -> Informatieobject:
    with ws.readers() as session:
        return session.scalars(
            select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
        ).one()


def test_the_whole_procedure_with_exclusions_and_a_rejected_round(
    ws: Workspace, tmp_path: Path
) -> None:
    people(ws)
    one, two, three, four = (closed_dossier(ws, tmp_path, f"Project {n}") for n in range(4))
    listed = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL 2026-01")
    assert listed.state == "concept" and listed.counts == {"listed": 4}
    key = listed.id[:8]  # a prefix of the id is enough

    lists.submit(ws, key, reviewer=REVIEWER)
    back = lists.review(as_user(ws, REVIEWER), key, exclusions={two: "Loopt nog bezwaar"})
    assert back.state == "wijzigingen_gevraagd"
    with pytest.raises(UserError, match="wait for your decision"):
        lists.submit(as_user(ws, AUTHOR), key)
    lists.decide(ws, key, two, keep=True, reason="Bezwaar is afgehandeld")
    assert lists.submit(ws, key).state == "ter_beoordeling"
    assert lists.review(as_user(ws, REVIEWER), key).state == "beoordeeld"
    assert lists.submit(as_user(ws, AUTHOR), key).state == "ter_accordering"
    rejected = lists.reject(
        as_user(ws, ARCHIVIST), key, "Eén dossier hoort bij een Woo-verzoek",
        exclusions={three: "Woo-verzoek 2026-041"},
    )  # fmt: skip
    assert rejected.state == "wijzigingen_gevraagd"
    lists.decide(as_user(ws, AUTHOR), key, three, keep=False)
    lists.submit(ws, key)
    lists.review(as_user(ws, REVIEWER), key)
    lists.submit(as_user(ws, AUTHOR), key)
    approved = lists.approve(as_user(ws, ARCHIVIST), key)
    assert approved.state == "geaccordeerd"
    assert (approved.author, approved.reviewed_by, approved.approved_by) == (
        AUTHOR, REVIEWER, ARCHIVIST,
    )  # fmt: skip

    gone = hashes_of(ws, one) | hashes_of(ws, two) | hashes_of(ws, four)
    kept = hashes_of(ws, three)
    report = execute(as_user(ws, AUTHOR), key)
    assert report.finished and (report.done, report.skipped) == (3, 0)
    assert report.list.state == "vernietigd"
    assert report.list.counts == {"destroyed": 3, "removed": 1}
    for sha in gone:
        assert not ws.objects.exists(sha)
    for sha in kept:
        assert ws.objects.exists(sha) and ws.objects.check(sha) is None
    _assert_residual(ws, one, listed.id)
    assert _row(ws, three).status == "closed"
    with ws.readers() as session:
        assert audit.verify_chain(session) == []
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"disposal.created", "disposal.geaccordeerd", "disposal.item_destroyed",
            "disposal.vernietigd"} <= actions  # fmt: skip
    _assert_verklaring(ws, report.list.id, destroyed={one, two, four}, not_destroyed={three})


def _assert_residual(ws: Workspace, kenmerk: str, list_id: str) -> None:
    dossier = _row(ws, kenmerk)
    assert dossier.status == "destroyed" and dossier.naam.startswith("Project")
    assert (dossier.selectielijst_jaar, dossier.resultaat_nummer) == (2020, "1.5")
    assert dossier.gesloten_op == dt.date(2024, 2, 29)
    assert dossier.archiefactiedatum == dt.date(2025, 2, 28)
    assert dossier.mdto is None and dossier.omschrijving is None
    with ws.readers() as session:
        children = select(Informatieobject.id).where(Informatieobject.parent_id == dossier.id)
        family = [dossier.id, *session.scalars(children)]
        assert len(family) == 2, "the record stays as a tombstone"
        assert session.scalar(
            select(func.count()).select_from(Bestand).where(
                Bestand.informatieobject_id.in_(family))) == 0  # fmt: skip
        events = session.execute(
            select(Event.event_type, Event.resultaat).where(
                Event.informatieobject_id == dossier.id)).all()  # fmt: skip
    assert ("Vernietiging" in {e for e, _ in events}) and any(
        list_id in (r or "") for _, r in events
    ), "the destruction event names the list"


def _assert_verklaring(
    ws: Workspace, list_id: str, *, destroyed: set[str], not_destroyed: set[str]
) -> None:
    with ws.readers() as session:
        serie = session.scalars(
            select(Informatieobject).where(
                Informatieobject.aggregatieniveau == "Serie",
                Informatieobject.naam == "Verklaringen van vernietiging",
            )
        ).one()
        dossier = session.scalars(
            select(Informatieobject).where(Informatieobject.parent_id == serie.id)
        ).one()
        records = session.scalars(
            select(Informatieobject).where(Informatieobject.parent_id == dossier.id)
        ).all()
        files = {
            b.safe_name: b.sha256
            for b in session.scalars(
                select(Bestand).where(Bestand.informatieobject_id.in_([r.id for r in records]))
            )
        }
    assert {r.waardering for r in records} == {"B"} and len(records) == 2
    pdf_name = next(n for n in files if n.endswith(".pdf"))
    pdf_path = ws.objects.verified_path(files[pdf_name])
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    for kenmerk in destroyed | not_destroyed:
        assert kenmerk in text
    for who in (AUTHOR, REVIEWER, ARCHIVIST):
        assert who in text
    assert "Verklaring van vernietiging" in text and list_id in text
    csv_name = next(n for n in files if n.endswith(".csv"))
    rows = list(
        csv.DictReader(
            io.StringIO(ws.objects.verified_path(files[csv_name]).read_text("utf-8-sig")),
            delimiter=";",
        )
    )
    outcome = {r["kenmerk"]: r["uitkomst"] for r in rows}
    assert outcome == {
        **{k: "vernietigd" for k in destroyed},
        **{k: "niet vernietigd" for k in not_destroyed},
    }


def test_nobody_judges_their_own_list(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    closed_dossier(ws, tmp_path, "Eigen werk")
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
    with pytest.raises(UserError, match="cannot review their own"):
        lists.submit(ws, key, reviewer=AUTHOR)
    lists.submit(ws, key, reviewer=REVIEWER)
    with pytest.raises(UserError, match="needs the role process_owner"):
        lists.review(ws, key)
    from recordsdesk.services.roles import grant

    grant(as_user(ws, AUTHOR), AUTHOR, "process_owner")  # a role is not a licence
    with pytest.raises(UserError, match="cannot review it"):
        lists.review(ws, key)
    lists.review(as_user(ws, REVIEWER), key)
    lists.submit(as_user(ws, AUTHOR), key)
    with pytest.raises(UserError, match="needs the role archivist"):
        lists.approve(as_user(ws, AUTHOR), key)
    # even an author who is also an archivist cannot approve their own list
    grant(as_user(ws, AUTHOR), AUTHOR, "archivist")
    with pytest.raises(UserError, match="four eyes"):
        lists.approve(ws, key)
    assert lists.show(ws, key).state == "ter_accordering"


def test_an_unapproved_list_is_not_carried_out(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    kenmerk = closed_dossier(ws, tmp_path, "Nog niet goedgekeurd")
    content = hashes_of(ws, kenmerk)
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
    for state_change in (lambda: None, lambda: lists.submit(ws, key, reviewer=REVIEWER)):
        state_change()
        with pytest.raises(UserError, match="only an approved list"):
            execute(as_user(ws, AUTHOR), key)
    assert _row(ws, kenmerk).status == "closed"
    assert all(ws.objects.exists(sha) for sha in content)


def test_a_stale_view_is_refused_not_overwritten(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    a = closed_dossier(ws, tmp_path, "Eerste")
    b = closed_dossier(ws, tmp_path, "Tweede")
    listed = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL")
    seen = listed.version
    # a second records manager (the same author account on another workstation)
    other = open_workspace(ws.layout.root, db_url=str(ws.engine.url.render_as_string(False)))
    try:
        other.clock, other.actor = ws.clock, AUTHOR
        lists.decide(other, listed.id, a, keep=False, expected=seen)
    finally:
        other.close()
    with pytest.raises(UserError, match="changed by someone else"):
        lists.decide(ws, listed.id, b, keep=False, expected=seen)
    info = lists.show(ws, listed.id)
    assert info.counts == {"removed": 1, "listed": 1} and info.version == seen + 1


def test_creating_leaves_out_held_busy_and_not_due_dossiers(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    due = closed_dossier(ws, tmp_path, "Vervallen")
    held = closed_dossier(ws, tmp_path, "Onder bewaarplicht")
    place_hold(as_user(ws, AUTHOR), held, "Rechtszaak 2026/17")
    blijvend = closed_dossier(ws, tmp_path, "Blijvend", nummer="1.1.1")
    first = lists.create_list(ws, kind="destruction", name="Eerste")
    assert [i.kenmerk for i in lists.items(ws, first.id)] == [due]
    with pytest.raises(UserError, match="Nothing is due"):
        lists.create_list(ws, kind="destruction", name="Tweede")  # the only one is busy
    with pytest.raises(UserError, match="Nothing is due"):
        lists.create_list(ws, kind="destruction", name="Te vroeg", on=dt.date(2025, 2, 27))
    lists.abort(ws, first.id, "Verkeerde datum")
    again = lists.create_list(ws, kind="destruction", name="Opnieuw")
    assert [i.kenmerk for i in lists.items(ws, again.id)] == [due], "aborted lists free items"
    assert blijvend not in {i.kenmerk for i in lists.items(ws, again.id)}


def test_the_live_check_takes_off_what_changed_after_approval(
    ws: Workspace, tmp_path: Path
) -> None:
    people(ws)
    stays, reopened, held, fine = (
        closed_dossier(ws, tmp_path, name) for name in ("Blijft", "Heropend", "Vastgehouden", "Weg")
    )
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
    approve_whole(ws, key)
    reopen(as_user(ws, AUTHOR), reopened, "Nieuw bezwaar ingediend")
    place_hold(ws, held, "Woo-verzoek 2026-099")
    shown = {i.kenmerk: i.held for i in lists.items(ws, key)}
    assert shown == {stays: False, reopened: False, held: True, fine: False}, "holds show"
    with ws.sessions() as session, session.begin():  # changed since listed (version)
        row = session.scalars(select(Informatieobject).where(Informatieobject.kenmerk == stays))
        row.one().naam = "Blijft (hernoemd)"
    report = execute(as_user(ws, AUTHOR), key)
    assert (report.done, report.skipped) == (1, 3)
    notes = {i.kenmerk: (i.state, i.note) for i in lists.items(ws, key)}
    assert notes == {
        stays: ("skipped", "changed since it was listed"),
        reopened: ("skipped", "no longer closed"),
        held: ("skipped", "under a legal hold"),
        fine: ("destroyed", None),
    }
    for kenmerk in (stays, reopened, held):
        assert _row(ws, kenmerk).status in ("open", "closed")
        assert all(ws.objects.exists(sha) for sha in hashes_of(ws, kenmerk))


def test_content_shared_with_another_dossier_survives(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    shared = "hetzelfde besluit in twee dossiers"
    gone = closed_dossier(ws, tmp_path, "Weg", contents=(shared, "alleen hier"))
    closed_dossier(ws, tmp_path, "Blijvend", nummer="1.1.1", contents=(shared,))
    both = hashes_of(ws, gone)
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
    approve_whole(ws, key)
    execute(as_user(ws, AUTHOR), key)
    with ws.readers() as session:
        remaining = set(session.scalars(select(Bestand.sha256)))
        texts = set(session.scalars(select(ContentText.sha256)))
    survivors = {sha for sha in both if ws.objects.exists(sha)}
    assert len(both) == 2 and len(survivors) == 1 and survivors <= remaining
    assert (both - survivors).isdisjoint(texts), "extracted text of destroyed content is gone"


def test_executing_twice_does_nothing_twice(ws: Workspace, tmp_path: Path) -> None:
    people(ws)
    closed_dossier(ws, tmp_path, "Eenmaal")
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
    approve_whole(ws, key)
    execute(ws, key)
    with pytest.raises(UserError, match="only an approved list"):
        execute(ws, key)
    with ws.readers() as session:
        destroyed = session.scalar(
            select(func.count()).select_from(DisposalItem).where(DisposalItem.state == "destroyed")
        )
        events = session.scalar(
            select(func.count()).select_from(Event).where(Event.event_type == "Vernietiging")
        )
    assert (destroyed, events) == (1, 1)
