"""Checks beyond the XSD: each rule has a failing and a passing case, with the path.

The failing cases are valid against XSD 1.0.1 (asserted), so each test also shows
why the rule is needed on top of the schema.
"""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from recordsdesk.i18n import set_language
from recordsdesk.mdto import rules, xmlio
from recordsdesk.mdto.model import (
    BeperkingGebruik,
    DekkingInTijd,
    Identificatie,
    Informatieobject,
    Verwijzing,
)
from recordsdesk.mdto.schema import validate
from tests.mdto.samples import begrip, full_bestand, full_informatieobject

io_ = full_informatieobject
CONTENT = b"%PDF-1.7 de inhoud"
STORED = rules.StoredFacts(
    size=len(CONTENT), digests={"sha256": hashlib.sha256(CONTENT).hexdigest()}
)


def valid_but(obj: object) -> object:
    """The object is valid against the XSD: the rule, not the schema, must catch it."""
    assert validate(xmlio.to_bytes(obj)) == [], "the case must pass the XSD"  # type: ignore[arg-type]
    return obj


def msgids(problems: list[rules.Problem]) -> list[str]:
    return [p.msgid for p in problems]


def fitting_bestand() -> object:
    sha = full_bestand().checksum[0]
    good = dataclasses.replace(sha, waarde=hashlib.sha256(CONTENT).hexdigest())
    return dataclasses.replace(full_bestand(), omvang=len(CONTENT), checksum=(good,))


def test_the_full_samples_have_no_problems() -> None:
    assert rules.check(io_()) == []
    assert rules.check(fitting_bestand(), STORED) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_empty_or_whitespace_text_is_reported_where_it_is(blank: str) -> None:
    obj = valid_but(
        dataclasses.replace(
            io_(),
            naam=blank,
            trefwoord=("dakkapel", blank),
            identificatie=(Identificatie("ZK-1", blank),),
        )
    )
    problems = rules.check(obj)  # type: ignore[arg-type]
    paths = {p.path for p in problems if p.msgid == rules.EMPTY_TEXT}
    assert paths == {
        "/MDTO/informatieobject/naam",
        "/MDTO/informatieobject/trefwoord[2]",
        "/MDTO/informatieobject/identificatie/identificatieBron",
    }


def test_a_negative_size_and_a_size_unlike_the_stored_file() -> None:
    negative = valid_but(dataclasses.replace(fitting_bestand(), omvang=-1))  # type: ignore[type-var]
    assert msgids(rules.check(negative)) == [rules.NEGATIVE_SIZE]  # type: ignore[arg-type]
    other = dataclasses.replace(fitting_bestand(), omvang=len(CONTENT) + 1)  # type: ignore[type-var]
    [problem] = rules.check(other, STORED)  # type: ignore[arg-type]
    assert problem.msgid == rules.SIZE_DIFFERS and problem.path == "/MDTO/bestand/omvang"


@pytest.mark.parametrize(
    ("begin", "end", "wrong"),
    [
        ("2024-05-17", "2024-05-16", True),
        ("2024", "2023-12", True),
        ("2024-05", "2024", False),  # 2024 can end on 31 December: not before May
        ("2024-05-17", "2024-05", False),
        ("2024", "2024", False),
    ],
)
def test_an_end_date_before_its_begin_date_at_any_granularity(
    begin: str, end: str, wrong: bool
) -> None:
    dekking = DekkingInTijd(begrip("Looptijd"), begin, end)
    obj = valid_but(dataclasses.replace(io_(), dekking_in_tijd=(dekking,)))
    problems = [p for p in rules.check(obj) if p.msgid == rules.END_BEFORE_BEGIN]  # type: ignore[arg-type]
    assert bool(problems) is wrong
    if wrong:
        assert problems[0].path == "/MDTO/informatieobject/dekkingInTijd/dekkingInTijdEinddatum"


def test_a_bewaartermijn_only_with_waardering_v() -> None:
    blijvend = begrip("Blijvend te bewaren", "B", "Begrippenlijst Waarderingen MDTO")
    obj = valid_but(dataclasses.replace(io_(), waardering=blijvend))
    assert msgids(rules.check(obj)) == [rules.TERM_WITHOUT_V]  # type: ignore[arg-type]
    without = dataclasses.replace(io_(), waardering=blijvend, bewaartermijn=None)
    assert rules.check(without) == []
    assert io_().bewaartermijn is not None and rules.check(io_()) == []  # V with a termijn


def test_waardering_is_a_closed_list() -> None:
    other = begrip("Te vernietigen", "X", "Begrippenlijst Waarderingen MDTO")
    obj = valid_but(dataclasses.replace(io_(), waardering=other, bewaartermijn=None))
    [problem] = rules.check(obj)  # type: ignore[arg-type]
    assert problem.msgid == rules.NOT_IN_CLOSED_LIST
    assert problem.path == "/MDTO/informatieobject/waardering/begripCode"


def test_overig_needs_a_description() -> None:
    bare = BeperkingGebruik(begrip("Overig"))
    obj = valid_but(dataclasses.replace(io_(), beperking_gebruik=(bare,)))
    [problem] = rules.check(obj)  # type: ignore[arg-type]
    assert problem.msgid == rules.OVERIG_UNDESCRIBED
    described = BeperkingGebruik(begrip("Overig"), "Persoonsgegevens van derden.")
    assert rules.check(dataclasses.replace(io_(), beperking_gebruik=(described,))) == []


def test_a_checksum_unlike_the_stored_file_and_one_that_cannot_be_checked() -> None:
    good = fitting_bestand()
    sha = good.checksum[0]  # type: ignore[attr-defined]
    wrong = dataclasses.replace(sha, waarde="0" * 64)
    md5 = dataclasses.replace(sha, algoritme=begrip("MD5"), waarde="0" * 32)
    obj = dataclasses.replace(good, checksum=(sha, wrong, md5))  # type: ignore[type-var]
    problems = rules.check(obj, STORED)  # type: ignore[arg-type]
    assert [(p.msgid, p.path) for p in problems] == [
        (rules.CHECKSUM_DIFFERS, "/MDTO/bestand/checksum[2]/checksumWaarde"),
        (rules.CHECKSUM_UNVERIFIABLE, "/MDTO/bestand/checksum[3]/checksumAlgoritme"),
    ]
    spelled = dataclasses.replace(sha, algoritme=begrip("SHA256"))  # accepted on import
    assert rules.check(dataclasses.replace(good, checksum=(spelled,)), STORED) == []  # type: ignore[type-var]


def test_a_cycle_in_is_onderdeel_van_is_found_once() -> None:
    def node(kenmerk: str, parent: str | None) -> Informatieobject:
        up = (Verwijzing(parent, Identificatie(parent, "RecordsDesk")),) if parent else ()
        return dataclasses.replace(
            io_(),
            identificatie=(Identificatie(kenmerk, "RecordsDesk"),),
            naam=kenmerk,
            is_onderdeel_van=up,
        )

    cycle = [node("A", "C"), node("B", "A"), node("C", "B"), node("D", None)]
    [problem] = rules.check_hierarchy(cycle)
    assert problem.msgid == rules.CYCLE
    assert problem.params["chain"].count("→") == 3
    assert rules.check_hierarchy([node("A", None), node("B", "A"), node("C", "B")]) == []


def test_a_problem_reads_in_dutch() -> None:
    obj = dataclasses.replace(io_(), naam=" ")
    [problem] = rules.check(obj)
    set_language("nl")
    try:
        assert problem.text() == "naam is leeg; MDTO staat geen lege waarden toe."
    finally:
        set_language("nl")
