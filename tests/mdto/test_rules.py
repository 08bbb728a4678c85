"""Checks beyond the XSD: each rule has a failing and a passing case, with the path.

The failing cases are valid against XSD 1.0.1 (asserted), so each test also shows
why the rule is needed on top of the schema.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
import zlib
from pathlib import Path
from typing import TypeVar

import pygfried
import pytest

from recordsdesk.i18n import set_language
from recordsdesk.mdto import rules, xmlio
from recordsdesk.mdto.model import (
    BeperkingGebruik,
    Bestand,
    DekkingInTijd,
    Identificatie,
    Informatieobject,
    Verwijzing,
)
from recordsdesk.mdto.schema import Problem, validate
from recordsdesk.resources import resource_path
from tests.mdto.samples import begrip, full_bestand, full_informatieobject

io_ = full_informatieobject
Obj = TypeVar("Obj", Informatieobject, Bestand)
CONTENT = b"%PDF-1.7 de inhoud"
STORED = rules.StoredFacts(
    size=len(CONTENT), digests={"sha256": hashlib.sha256(CONTENT).hexdigest()}
)


def valid_but(obj: Obj) -> Obj:
    """The object is valid against the XSD: the rule, not the schema, must catch it."""
    assert validate(xmlio.to_bytes(obj)) == [], "the case must pass the XSD"
    return obj


def msgids(problems: list[Problem]) -> list[str]:
    return [p.msgid for p in problems]


def fitting_bestand() -> Bestand:
    sha = full_bestand().checksum[0]
    good = dataclasses.replace(sha, waarde=hashlib.sha256(CONTENT).hexdigest())
    return dataclasses.replace(full_bestand(), omvang=len(CONTENT), checksum=(good,))


def test_the_full_samples_have_no_problems() -> None:
    assert rules.check(io_()) == []
    assert rules.check(fitting_bestand(), STORED) == []


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
    problems = rules.check(obj)
    paths = {p.path for p in problems if p.msgid == rules.EMPTY_TEXT}
    assert paths == {
        "/MDTO/informatieobject/naam",
        "/MDTO/informatieobject/trefwoord[2]",
        "/MDTO/informatieobject/identificatie/identificatieBron",
    }


def test_a_negative_size_and_a_size_unlike_the_stored_file() -> None:
    negative = valid_but(dataclasses.replace(fitting_bestand(), omvang=-1))
    assert msgids(rules.check(negative)) == [rules.NEGATIVE_SIZE]
    other = dataclasses.replace(fitting_bestand(), omvang=len(CONTENT) + 1)
    [problem] = rules.check(other, STORED)
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
    problems = [p for p in rules.check(obj) if p.msgid == rules.END_BEFORE_BEGIN]
    assert bool(problems) is wrong
    if wrong:
        assert problems[0].path == "/MDTO/informatieobject/dekkingInTijd/dekkingInTijdEinddatum"


def test_a_bewaartermijn_only_with_waardering_v() -> None:
    blijvend = begrip("Blijvend te bewaren", "B", "Begrippenlijst Waarderingen MDTO")
    obj = valid_but(dataclasses.replace(io_(), waardering=blijvend))
    assert msgids(rules.check(obj)) == [rules.TERM_WITHOUT_V]
    without = dataclasses.replace(io_(), waardering=blijvend, bewaartermijn=None)
    assert rules.check(without) == []
    assert io_().bewaartermijn is not None and rules.check(io_()) == []  # V with a termijn


def test_waardering_is_a_closed_list() -> None:
    other = begrip("Te vernietigen", "X", "Begrippenlijst Waarderingen MDTO")
    obj = valid_but(dataclasses.replace(io_(), waardering=other, bewaartermijn=None))
    [problem] = rules.check(obj)
    assert problem.msgid == rules.NOT_IN_CLOSED_LIST
    assert problem.path == "/MDTO/informatieobject/waardering/begripCode"


def test_overig_needs_a_description() -> None:
    bare = BeperkingGebruik(begrip("Overig"))
    obj = valid_but(dataclasses.replace(io_(), beperking_gebruik=(bare,)))
    [problem] = rules.check(obj)
    assert problem.msgid == rules.OVERIG_UNDESCRIBED
    described = BeperkingGebruik(begrip("Overig"), "Persoonsgegevens van derden.")
    assert rules.check(dataclasses.replace(io_(), beperking_gebruik=(described,))) == []


def test_a_checksum_unlike_the_stored_file_and_one_that_cannot_be_checked() -> None:
    good = fitting_bestand()
    sha = good.checksum[0]
    wrong = dataclasses.replace(sha, waarde="0" * 64)
    md5 = dataclasses.replace(sha, algoritme=begrip("MD5"), waarde="0" * 32)
    obj = dataclasses.replace(good, checksum=(sha, wrong, md5))
    problems = rules.check(obj, STORED)
    assert [(p.msgid, p.path) for p in problems] == [
        (rules.CHECKSUM_DIFFERS, "/MDTO/bestand/checksum[2]/checksumWaarde"),
        (rules.CHECKSUM_UNVERIFIABLE, "/MDTO/bestand/checksum[3]/checksumAlgoritme"),
    ]
    spelled = dataclasses.replace(sha, algoritme=begrip("SHA256"))  # accepted on import
    assert rules.check(dataclasses.replace(good, checksum=(spelled,)), STORED) == []


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


# Rule 7: the PRONOM identifier. The list of PUIDs ships as resources/mdto/pronom-puids.txt;
# siegfried (in pygfried) has no API that lists them, so it is derived from the signature file
# embedded in pygfried's library, and the test below fails when an upgrade changes that file.
# Regenerate with:
#   .venv/bin/python -c "from tests.mdto.test_rules import puid_file_text as t; \
#     open('resources/mdto/pronom-puids.txt', 'w').write(t())"


def siegfried_formats() -> dict[str, str]:
    """The PUIDs in the default.sig embedded in pygfried's library, with their format names.

    A siegfried signature file is the magic ``sf\\x00\\xff``, two version bytes and a
    raw-deflate stream; strings in it carry a 2-byte little-endian length, which
    tells a real PUID from digits that only happen to follow one. A format's record
    is its PUID followed by its name, version, MIME type and class; elsewhere a PUID
    is followed by another PUID (priority lists). A PUID without a record gets "".
    """
    library = Path(pygfried.__file__).read_bytes()
    start = library.find(b"sf\x00\xff" + bytes([1, 11]))
    assert start > 0, "no siegfried 1.11 signature file in pygfried's library"
    data = zlib.decompressobj(-15).decompress(library[start + 6 :])
    found: dict[str, str] = {}
    for match in re.finditer(rb"(?:x-)?fmt/[0-9]+", data):
        (length,) = struct.unpack("<H", data[match.start() - 2 : match.start()])
        if length != match.end() - match.start():
            continue
        puid = match.group().decode()
        (size,) = struct.unpack("<H", data[match.end() : match.end() + 2])
        raw = data[match.end() + 2 : match.end() + 2 + size]
        name = raw.decode("utf-8", errors="replace")
        plausible = 0 < size <= 200 and name.isprintable() and not _PUID_TEXT.fullmatch(name)
        if plausible and not found.get(puid):
            found[puid] = name
        else:
            found.setdefault(puid, "")
    return found


_PUID_TEXT = re.compile(r"(?:[a-z]+-)?(?:x-)?fmt/[0-9]+")


def siegfried_puids() -> frozenset[str]:
    return frozenset(siegfried_formats())


def puid_order(puid: str) -> tuple[bool, int]:
    return puid.startswith("x-"), int(puid.rpartition("/")[2])


def puid_file_text() -> str:
    formats = siegfried_formats()
    details = pygfried.identify(str(Path(__file__)), detailed=True)["identifiers"][0]["details"]
    return (
        "\n".join(
            [
                f"# PRONOM identifiers (PUIDs) in default.sig of siegfried {pygfried.version()}",
                f"# signature: {details}",
                "# Derived from the signature file embedded in pygfried; see SOURCE.md.",
                "# One line a PUID: the PUID, a tab, and PRONOM's format name (empty if unknown).",
                *(f"{p}\t{formats[p]}" for p in sorted(formats, key=puid_order)),
            ]
        )
        + "\n"
    )


def test_the_shipped_puid_list_is_the_installed_siegfrieds() -> None:
    shipped = resource_path("mdto", rules.PUID_FILE).read_text(encoding="utf-8")
    assert shipped == puid_file_text(), "siegfried changed: regenerate pronom-puids.txt"
    assert len(rules.known_puids()) > 2000  # all of PRONOM, not a fragment
    assert {"fmt/17", "fmt/354", "x-fmt/18", "fmt/950"} <= rules.known_puids()
    assert rules.puid_signature().startswith("DROID_SignatureFile_V")
    assert rules.pronom_name("fmt/17") == "Acrobat PDF 1.3 - Portable Document Format"
    assert rules.pronom_name("fmt/412") == "Microsoft Word for Windows"
    assert rules.pronom_name("fmt/99999") is None
    named = [p for p in rules.known_puids() if rules.pronom_name(p)]
    assert len(named) > 0.95 * len(rules.known_puids())


def test_a_puid_from_real_identification_is_known(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    puid = pygfried.identify(str(pdf))
    assert puid and puid.startswith("fmt/")
    assert puid in rules.known_puids()


def formaat(code: str | None, lijst: str = "PRONOM-register") -> Bestand:
    return valid_but(
        dataclasses.replace(fitting_bestand(), bestandsformaat=begrip("PDF/A-1b", code, lijst))
    )


@pytest.mark.parametrize(
    ("code", "lijst", "expected"),
    [
        ("fmt/354", "PRONOM-register", None),
        ("x-fmt/18", "PRONOM", None),
        (" fmt/95 ", "PRONOM Technical Registry", None),
        ("fmt/99999", "PRONOM-register", rules.PUID_UNKNOWN),
        ("x-fmt/9999", "pronom register", rules.PUID_UNKNOWN),
        ("fmt/0", "PRONOM-register", rules.PUID_MALFORMED),
        ("fmt 354", "PRONOM-register", rules.PUID_MALFORMED),
        ("application/pdf", "The National Archives PRONOM", rules.PUID_MALFORMED),
        (None, "PRONOM-register", rules.PUID_MISSING),
        ("application/pdf", "IANA Media types", None),  # not PRONOM: not checked here
        (None, "IANA Media types", None),
    ],
)
def test_a_pronom_format_needs_a_known_puid(
    code: str | None, lijst: str, expected: str | None
) -> None:
    problems = rules.check(formaat(code, lijst), STORED)
    if expected is None:
        assert problems == []
    else:
        [problem] = problems
        assert problem.msgid == expected
        assert problem.path == "/MDTO/bestand/bestandsformaat/begripCode"
