"""Assessing documents of a Woo request, and the weigeringsgronden as data
(real workspaces on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from recordsdesk.archive.woo.assessments import (
    all_assessments,
    assess,
    assessments,
    parse_beoordeling,
)
from recordsdesk.archive.woo.gronden import format_gronden, parse_gronden, weigeringsgronden
from recordsdesk.archive.woo.requests import add_to_scope, create_request, show_request
from recordsdesk.db.models import AuditEvent
from recordsdesk.errors import UserError
from recordsdesk.services import Workspace
from tests.woo.conftest import MakeDossier, audit_count

NUMMER = "2026-041"
LINK = "https://open.overheid.nl/documenten/oep-123"


@pytest.fixture
def scoped(ws: Workspace, make_dossier: MakeDossier) -> dict[str, list[str]]:
    """A request with dossier A (2 records) and one record of dossier B in scope; dossier C
    (1 record) outside it."""
    create_request(ws, NUMMER, "Coolsingel", dt.date(2026, 11, 20))
    a, a_records = make_dossier("A", "a1", "a2")
    b, b_records = make_dossier("B", "b1", "b2")
    c, c_records = make_dossier("C", "c1")
    add_to_scope(ws, NUMMER, [a, b_records[1]])
    return {"a": [a, *a_records], "b": [b, *b_records], "c": [c, *c_records]}


def test_the_grounds_list_is_the_law() -> None:
    codes = [g.code for g in weigeringsgronden()]
    expected = [f"5.1.1{x}" for x in "abcde"] + [f"5.1.2{x}" for x in "abcdefghi"]
    assert codes == [*expected, "5.1.5", "5.2", "5.4"]
    absolute = {g.code for g in weigeringsgronden() if g.absoluut}
    assert absolute == {f"5.1.1{x}" for x in "abcde"}
    assert all(g.omschrijving and g.artikel.startswith("Woo art. 5.") for g in weigeringsgronden())


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("5.1.1c; 5.1.2e", ("5.1.1c", "5.1.2e")),
        ("5.1.2E,5.1.1C", ("5.1.1c", "5.1.2e")),
        (" 5.1.2 e ;; 5.2 , art. 5.4", ("5.1.2e", "5.2", "5.4")),
        ("5.1.2e; 5.1.2e", ("5.1.2e",)),
        ("", ()),
        (None, ()),
    ],
)
def test_grounds_are_read_as_people_type_them(typed: str | None, codes: tuple[str, ...]) -> None:
    assert parse_gronden(typed) == codes


def test_an_unknown_ground_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(UserError) as refused:
        parse_gronden("5.1.2e; 10.2e; 5.1.3")
    message = refused.value.english()
    assert "10.2e, 5.1.3" in message and "5.1.1a" in message and "5.4" in message
    assert format_gronden(("5.1.1c", "5.1.2e")) == "5.1.1c; 5.1.2e"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("openbaar", "openbaar"),
        ("Deels openbaar", "deels_openbaar"),
        ("niet_openbaar", "niet_openbaar"),
        (" reeds  OPENBAAR ", "reeds_openbaar"),
        ("partly public", "deels_openbaar"),
        ("not public", "niet_openbaar"),
    ],
)
def test_judgements_in_words(typed: str, value: str) -> None:
    assert parse_beoordeling(typed) == value


def test_assess_replaces_and_the_audit_keeps_old_and_new(
    ws: Workspace, scoped: dict[str, list[str]]
) -> None:
    record = scoped["a"][1]
    first = assess(ws, NUMMER, record, "niet openbaar", gronden="5.1.2E, 5.1.1c")
    assert (first.beoordeling, first.gronden) == ("niet_openbaar", "5.1.1c; 5.1.2e")
    again = assess(ws, NUMMER, record.lower(), "deels_openbaar", "5.1.2e", "  Namen weggelakt. ")
    assert (again.beoordeling, again.gronden, again.toelichting) == (
        "deels_openbaar",
        "5.1.2e",
        "Namen weggelakt.",
    )
    [only] = assessments(ws, NUMMER)
    assert only.kenmerk == record and only.beoordeling == "deels_openbaar"
    with ws.readers() as session:
        rows = session.scalars(
            select(AuditEvent.details)
            .where(AuditEvent.action == "woo.assessed")
            .order_by(AuditEvent.seq)
        ).all()
    last = json.loads(rows[-1])
    assert last["old"]["beoordeling"] == "niet_openbaar" and last["old"]["gronden"] == (
        "5.1.1c; 5.1.2e"
    )
    assert last["new"]["beoordeling"] == "deels_openbaar" and json.loads(rows[0])["old"] is None


def test_documents_in_scope_through_their_dossier_or_named_are_assessed(
    ws: Workspace, scoped: dict[str, list[str]]
) -> None:
    a, a1, a2 = scoped["a"]
    b, _b1, b2 = scoped["b"]
    assess(ws, NUMMER, b2, "reeds openbaar", publieke_link=LINK)
    assess(ws, NUMMER, a2, "openbaar", toelichting="Geen bezwaar.")
    assess(ws, NUMMER, a1, "niet_openbaar", gronden="5.1.2e")
    order = [(x.dossier_kenmerk, x.kenmerk) for x in all_assessments(ws, NUMMER)]
    assert order == sorted([(a, a1), (a, a2), (b, b2)]), "inventory order"
    page = assessments(ws, NUMMER, after=order[0], limit=1)
    assert [(x.dossier_kenmerk, x.kenmerk) for x in page] == [order[1]]
    reeds = next(x for x in all_assessments(ws, NUMMER) if x.kenmerk == b2)
    assert reeds.publieke_link == LINK and reeds.gronden is None
    info = show_request(ws, NUMMER)
    assert info.counts == {"openbaar": 1, "niet_openbaar": 1, "reeds_openbaar": 1}
    assert info.unassessed == 0


@pytest.mark.parametrize(
    ("which", "beoordeling", "kwargs", "message"),
    [
        ("a1", "deels openbaar", {}, "needs the weigeringsgronden"),
        ("a1", "niet_openbaar", {"gronden": " ; "}, "needs the weigeringsgronden"),
        ("a1", "openbaar", {"gronden": "5.1.2e"}, "withholds nothing"),
        ("a1", "reeds_openbaar", {"gronden": "5.1.2e", "publieke_link": LINK}, "nothing"),
        ("a1", "reeds_openbaar", {}, "needs the public link"),
        ("a1", "reeds_openbaar", {"publieke_link": "javascript:alert(1)"}, "usable public"),
        ("a1", "reeds_openbaar", {"publieke_link": "open.overheid.nl/x"}, "usable public"),
        ("a1", "openbaar", {"publieke_link": LINK}, "only to a document judged reeds"),
        ("a1", "misschien", {}, "Unknown beoordeling"),
        ("a1", "niet_openbaar", {"gronden": "5.1.9"}, "Unknown weigeringsgrond"),
        ("a1", "openbaar", {"toelichting": "x" * 10_001}, "too long"),
        ("b1", "openbaar", {}, "not in the scope"),
        ("c1", "openbaar", {}, "not in the scope"),
        ("a", "openbaar", {}, "is a dossier: assess its documents"),
    ],
)
def test_bad_assessments_are_refused_and_nothing_is_stored(
    ws: Workspace,
    scoped: dict[str, list[str]],
    which: str,
    beoordeling: str,
    kwargs: dict[str, str],
    message: str,
) -> None:
    names = {"a": scoped["a"][0], "a1": scoped["a"][1], "b1": scoped["b"][1]}
    names["c1"] = scoped["c"][1]
    before = audit_count(ws)
    with pytest.raises(UserError, match=message):
        assess(ws, NUMMER, names[which], beoordeling, **kwargs)
    assert assessments(ws, NUMMER) == [] and audit_count(ws) == before


def test_an_unknown_request_is_named(ws: Workspace, scoped: dict[str, list[str]]) -> None:
    with pytest.raises(UserError, match="No Woo request with number 2099-1"):
        assess(ws, "2099-1", scoped["a"][1], "openbaar")
