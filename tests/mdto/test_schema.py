"""MDTO 1.0.1 validation: official examples pass, bad input yields Problems, never exceptions."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk import i18n
from recordsdesk.mdto import schema
from recordsdesk.mdto.schema import Problem, validate
from recordsdesk.resources import resource_path

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "mdto" / "examples"
BESTAND = EXAMPLES / "MDTO-XML 1.0.1 Voorbeeld Bestand.xml"
DOSSIER = EXAMPLES / "MDTO-XML 1.0.1 Voorbeeld Dossier Informatieobject.xml"
NS = 'xmlns="https://www.nationaalarchief.nl/mdto"'

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE MDTO [\n <!ENTITY a0 "lol">\n'
    + "".join(f' <!ENTITY a{i} "{f"&a{i - 1};" * 10}">\n' for i in range(1, 10))
    + f"]>\n<MDTO {NS}><bestand>&a9;</bestand></MDTO>\n"
).encode()
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE MDTO [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    f"<MDTO {NS}><bestand><naam>&x;</naam></bestand></MDTO>\n"
).encode()


@pytest.fixture
def dutch() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("nl")
    try:
        yield
    finally:
        i18n.set_language(before)


def write(tmp_path: Path, data: bytes, name: str = "object.mdto.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def msgids(problems: list[Problem]) -> list[str]:
    return [p.msgid for p in problems]


def all_text(problems: list[Problem]) -> str:
    return "\n".join(f"{p.path} {p.english()} {p.params}" for p in problems)


def test_schema_ships_and_loads_once() -> None:
    assert resource_path("mdto", schema.XSD_NAME).is_file()
    assert schema.load_schema() is schema.load_schema()
    assert schema.SCHEMA_LOCATION == "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.xml")), ids=lambda p: p.stem)
def test_official_examples_are_valid(example: Path) -> None:
    assert validate(example) == []
    assert validate(example.read_bytes()) == []


def test_four_official_examples_are_present() -> None:
    assert len(list(EXAMPLES.glob("*.xml"))) == 4


def test_missing_required_element_is_reported_where_it_should_be(tmp_path: Path) -> None:
    data = re.sub(rb"<naam>[^<]*</naam>", b"", DOSSIER.read_bytes(), count=1)
    problems = validate(write(tmp_path, data))
    assert msgids(problems) == [schema.SCHEMA_VIOLATION]
    # The schema flags the element found in naam's place and names naam as expected.
    assert problems[0].path == "/MDTO/informatieobject/aggregatieniveau"
    assert "naam" in problems[0].params["detail"]
    assert "{https://" not in problems[0].params["detail"]  # namespace noise removed
    assert problems[0].line == 9


def test_wrong_typed_value_is_reported(tmp_path: Path) -> None:
    data = BESTAND.read_bytes().replace(b"<omvang>57727859</omvang>", b"<omvang>55MB</omvang>")
    problems = validate(write(tmp_path, data))
    assert msgids(problems) == [schema.SCHEMA_VIOLATION]
    assert problems[0].path == "/MDTO/bestand/omvang"
    assert "55MB" in problems[0].params["detail"]


def test_negative_omvang_is_valid_under_1_0_1() -> None:
    # xs:integer in 1.0.1 (only the unofficial 1.0.2 draft requires non-negative):
    # catching -1 is the app's job, not the schema's.
    data = BESTAND.read_bytes().replace(b"<omvang>57727859</omvang>", b"<omvang>-1</omvang>")
    assert validate(data) == []


def test_several_errors_are_all_reported() -> None:
    data = (
        BESTAND.read_bytes()
        .replace(b"<omvang>57727859</omvang>", b"<omvang>groot</omvang>")
        .replace(b"<checksumDatum>2025-02-18T15:24:18", b"<checksumDatum>2025-02-18")
    )
    problems = validate(data)
    assert [(p.path, p.line) for p in problems] == [
        ("/MDTO/bestand/omvang", 9),
        ("/MDTO/bestand/checksum/checksumDatum", 25),
    ]
    assert set(msgids(problems)) == {schema.SCHEMA_VIOLATION}


def test_repeated_elements_get_a_position(tmp_path: Path) -> None:
    data = (
        DOSSIER.read_bytes()
        .replace(b"</identificatie>", b"</identificatie><identificatie/>", 1)
        .replace(
            b"<identificatie/>",
            b"<identificatie><identificatieBron>x</identificatieBron></identificatie>",
        )
    )
    problems = validate(data)
    assert [p.path for p in problems] == [
        "/MDTO/informatieobject/identificatie[2]/identificatieBron"
    ]


def test_not_well_formed_xml(tmp_path: Path) -> None:
    problems = validate(write(tmp_path, b"<MDTO><bestand></MDTO>"))
    assert msgids(problems) == [schema.NOT_WELL_FORMED]
    assert problems[0].line == 1
    assert msgids(validate(b"")) == [schema.NOT_WELL_FORMED]
    assert msgids(validate(b"\xff\xfe garbage")) == [schema.NOT_WELL_FORMED]


def test_root_outside_the_mdto_namespace_is_refused() -> None:
    problems = validate(b'<MDTO xmlns="urn:other"><bestand/></MDTO>')
    assert msgids(problems) == [schema.NOT_MDTO]
    assert problems[0].params["root"] == "{urn:other}MDTO"
    assert msgids(validate(b"<MDTO/>")) == [schema.NOT_MDTO]


@pytest.mark.parametrize("version", ["1.0", "1.0.2"])
def test_another_mdto_version_is_named(version: str) -> None:
    data = DOSSIER.read_bytes().replace(b"MDTO-XML1.0.1.xsd", f"MDTO-XML{version}.xsd".encode())
    problems = validate(data)
    assert msgids(problems) == [schema.OTHER_VERSION]
    assert problems[0].params["found"] == version
    assert problems[0].params["expected"] == "1.0.1"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    start = time.monotonic()
    problems = validate(write(tmp_path, BILLION_LAUGHS))
    assert time.monotonic() - start < 2
    assert msgids(problems) == [schema.HAS_DOCTYPE]
    assert "lollol" not in all_text(problems)


def test_xxe_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    problems = validate(write(tmp_path, XXE))
    assert msgids(problems) == [schema.HAS_DOCTYPE]
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        first_line = passwd.read_text(encoding="utf-8", errors="replace").splitlines()[0]
        assert first_line not in all_text(problems)
    assert "root:" not in all_text(problems)


def test_external_dtd_is_refused() -> None:
    data = b'<!DOCTYPE MDTO SYSTEM "http://127.0.0.1:9/x.dtd">' + f"<MDTO {NS}/>".encode()
    assert msgids(validate(data)) == [schema.HAS_DOCTYPE]


def test_input_over_the_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    # Not XML at all: had it been parsed, the answer would be "not well-formed".
    big = write(tmp_path, b"\0" * 2048)
    problems = validate(big, max_bytes=1024)
    assert msgids(problems) == [schema.TOO_LARGE]
    assert msgids(validate(b"\0" * 2048, max_bytes=1024)) == [schema.TOO_LARGE]
    assert validate(BESTAND, max_bytes=BESTAND.stat().st_size) == []


def test_unreadable_input_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    assert msgids(validate(tmp_path / "missing.xml")) == [schema.UNREADABLE]
    assert msgids(validate(tmp_path)) == [schema.UNREADABLE]


@pytest.mark.usefixtures("dutch")
def test_problem_reads_in_dutch() -> None:
    data = DOSSIER.read_bytes().replace(b"MDTO-XML1.0.1.xsd", b"MDTO-XML1.0.xsd")
    (problem,) = validate(data)
    assert problem.text() == (
        "Dit bestand vermeldt MDTO-versie 1.0 "
        "(https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.xsd); "
        "RecordsDesk controleert MDTO-versie 1.0.1."
    )
    (violation,) = validate(BESTAND.read_bytes().replace(b"<omvang>57727859", b"<omvang>groot"))
    assert violation.text().startswith("Voldoet niet aan het schema van MDTO 1.0.1: ")
