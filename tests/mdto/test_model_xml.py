"""MDTO objects to XML and JSON and back: nothing lost, schema order, valid output.

The official examples of the Nationaal Archief are the reference: read, written
again, they must give the same canonical XML. A fully filled object (every
element of XSD 1.0.1, every repeatable one twice) must survive XML and JSON.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.mdto import model, xmlio
from recordsdesk.mdto.model import (
    Begrip,
    BeperkingGebruik,
    Bestand,
    Betrokkene,
    Checksum,
    DekkingInTijd,
    Event,
    GerelateerdInformatieobject,
    Identificatie,
    Informatieobject,
    Raadpleeglocatie,
    Termijn,
    Verwijzing,
)
from recordsdesk.mdto.schema import SCHEMA_LOCATION, validate

EXAMPLES = sorted((Path(__file__).parents[1] / "data" / "mdto" / "examples").glob("*.xml"))


def canonical(data: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True, resolve_entities=False)
    return bytes(etree.tostring(etree.fromstring(data, parser), method="c14n"))


def begrip(label: str, code: str | None = None, lijst: str = "Begrippenlijst X") -> Begrip:
    return Begrip(label, code, Verwijzing(lijst))


def ref(naam: str, kenmerk: str | None = None) -> Verwijzing:
    return Verwijzing(naam, Identificatie(kenmerk, "RecordsDesk") if kenmerk else None)


def termijn() -> Termijn:
    return Termijn(begrip("Afsluiting"), "2024-01-31", "P10Y", "2034-01-31")


def full_informatieobject() -> Informatieobject:
    """Every element of an informatieobject, the repeatable ones twice."""
    return Informatieobject(
        identificatie=(Identificatie("ZK-2024-1", "RecordsDesk"), Identificatie("u-1", "UUID")),
        naam="Vergunning dakkapel Coolsingel 40",
        aggregatieniveau=begrip("Dossier", lijst="Begrippenlijst Aggregatieniveaus MDTO"),
        classificatie=(begrip("Omgevingsvergunning", "OV"), begrip("Bouwen", "B")),
        trefwoord=("dakkapel", "Coolsingel"),
        omschrijving=("Aanvraag en besluit.", "Met bezwaar."),
        raadpleeglocatie=(
            Raadpleeglocatie(fysiek=(ref("Depot Rotterdam", "D-1"),)),
            Raadpleeglocatie(online=("https://example.org/zk-2024-1",)),
        ),
        dekking_in_tijd=(
            DekkingInTijd(begrip("Looptijd"), "2024-01", "2024-12"),
            DekkingInTijd(begrip("Geldigheid"), "2024"),
        ),
        dekking_in_ruimte=(ref("Coolsingel 40", "0599010000000001"), ref("Rotterdam")),
        taal=("nl", "en"),
        event=(
            Event(begrip("Creatie"), "2024-01-02T10:00:00", ref("J. de Vries"), "Aangemaakt"),
            Event(begrip("Bevriezing"), "2024-12-31"),
        ),
        waardering=begrip("Tijdelijk te bewaren", "V", "Begrippenlijst Waarderingen MDTO"),
        bewaartermijn=termijn(),
        informatiecategorie=begrip("Omgevingsvergunning verlenen", "11.1.2"),
        is_onderdeel_van=(ref("Serie vergunningen", "S-1"), ref("Zaak", "Z-1")),
        bevat_onderdeel=(ref("Aanvraag", "R-1"), ref("Besluit", "R-2")),
        heeft_representatie=(ref("overzicht.pdf", "B-1"), ref("overzicht.docx", "B-2")),
        aanvullende_metagegevens=(ref("zgw.xml", "B-3"), ref("tmlo.xml", "B-4")),
        gerelateerd_informatieobject=(
            GerelateerdInformatieobject(ref("Eerdere aanvraag", "ZK-2020-9"), begrip("Vervangt")),
            GerelateerdInformatieobject(ref("Bezwaar", "ZK-2025-3"), begrip("Refereert aan")),
        ),
        archiefvormer=(ref("gemeente Rotterdam", "gm0599"), ref("gemeente Schiedam", "gm0606")),
        betrokkene=(
            Betrokkene(begrip("Indiener"), ref("A. Jansen")),
            Betrokkene(begrip("Belanghebbende"), ref("B. Bakker")),
        ),
        activiteit=ref("Omgevingsvergunning verlenen", "ACT-7"),
        beperking_gebruik=(
            BeperkingGebruik(
                begrip("Overig"),
                "Bevat persoonsgegevens van de aanvrager.",
                (ref("Besluit openbaarheid", "BO-1"), ref("Woo-besluit", "WB-2")),
                termijn(),
            ),
            BeperkingGebruik(begrip("Geen beperking")),
        ),
    )


def full_bestand() -> Bestand:
    sha = Begrip("SHA-256", None, Verwijzing("Begrippenlijst ChecksumAlgoritme MDTO"))
    return Bestand(
        identificatie=(Identificatie("B-1", "RecordsDesk"), Identificatie("u-2", "UUID")),
        naam="overzicht.pdf",
        omvang=123456,
        bestandsformaat=Begrip(
            "Acrobat PDF/A - Portable Document Format", "fmt/354", Verwijzing("PRONOM-register")
        ),
        checksum=(
            Checksum(sha, "ab" * 32, "2024-05-17T10:11:12"),
            Checksum(sha, "cd" * 32, "2025-05-17T10:11:12"),
        ),
        url_bestand="https://example.org/overzicht.pdf",
        is_representatie_van=ref("Vergunning dakkapel Coolsingel 40", "ZK-2024-1"),
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_official_examples_read_and_write_back_to_the_same_xml(path: Path) -> None:
    obj = xmlio.read(path)
    assert not isinstance(obj, list), obj
    written = xmlio.to_bytes(obj)
    assert validate(written) == []
    assert canonical(written) == canonical(path.read_bytes())
    assert model.from_json(type(obj), model.to_json(obj)) == obj


def test_four_official_examples_are_there() -> None:
    assert len(EXAMPLES) == 4


@pytest.mark.parametrize("make", [full_informatieobject, full_bestand])
def test_every_element_survives_xml_and_json(make: object) -> None:
    obj = make()  # type: ignore[operator]
    empty = [f.name for f in dataclasses.fields(obj) if getattr(obj, f.name) in (None, ())]
    assert empty == [], "the fixture must fill every element"
    written = xmlio.to_bytes(obj)
    assert validate(written) == [], validate(written)
    assert xmlio.read(written) == obj
    assert model.from_json(type(obj), model.to_json(obj)) == obj


def test_elements_are_written_in_schema_order_with_the_version_named() -> None:
    written = xmlio.to_bytes(full_informatieobject())
    root = etree.fromstring(written)
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
    assert root.get(xsi).split()[1] == SCHEMA_LOCATION
    names = [etree.QName(c).localname for c in root[0]]
    order = [f.metadata["mdto"] for f in model.declared(Informatieobject)]
    assert names == sorted(names, key=order.index)
    assert names[:2] == ["identificatie", "identificatie"] and names[-1] == "beperkingGebruik"


def test_an_invalid_document_gives_its_problems_not_an_object(tmp_path: Path) -> None:
    written = xmlio.to_bytes(dataclasses.replace(full_bestand(), checksum=()))
    problems = xmlio.read(written)
    assert isinstance(problems, list) and problems
    assert any("checksum" in p.english() for p in problems)


def test_json_that_does_not_fit_the_model_is_refused() -> None:
    tree = model.to_json(full_bestand())
    tree["onbekend"] = "x"
    with pytest.raises(ValueError, match="onbekend"):
        model.from_json(Bestand, tree)
