"""xmlio copies repeated begrippen and verwijzingen from templates: same bytes as before.

The templates are a speed-up only (see ``recordsdesk/mdto/xmlio.py``): these
tests pin the bytes of a document with shared and tricky values, the bound on
the number of templates kept, and that threads writing at once get the same bytes.
"""

from __future__ import annotations

import threading

import pytest

from recordsdesk.mdto import model, schema, xmlio
from recordsdesk.mdto.model import Begrip, Identificatie, Verwijzing

LIST = Verwijzing("Begrippenlijst ChecksumAlgoritme MDTO")
TRICKY = 'R&D <afdeling> "Zuid" \'s\r\nregel\ttab ü € 😀'


def bestand(name: str, label: str = "SHA-256") -> model.Bestand:
    algoritme = Begrip(label, None, LIST)
    return model.Bestand(
        identificatie=(Identificatie(name, "RecordsDesk"),),
        naam=name,
        omvang=12,
        bestandsformaat=Begrip("application/pdf", "fmt/276", Verwijzing("PRONOM-register")),
        checksum=(model.Checksum(algoritme, "ab" * 32, "2026-11-29T06:00:00"),),
        is_representatie_van=Verwijzing("Brief", Identificatie("S-1", "RecordsDesk")),
    )


def expected(name: str, label: str) -> bytes:
    ns = schema.NAMESPACE
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<MDTO xmlns="{ns}" xmlns:xsi="{schema.XSI_NAMESPACE}" '
        f'xsi:schemaLocation="{ns} {schema.SCHEMA_LOCATION}"><bestand>'
        f"<identificatie><identificatieKenmerk>{name}</identificatieKenmerk>"
        "<identificatieBron>RecordsDesk</identificatieBron></identificatie>"
        f"<naam>{name}</naam><omvang>12</omvang>"
        "<bestandsformaat><begripLabel>application/pdf</begripLabel><begripCode>fmt/276"
        "</begripCode><begripBegrippenlijst><verwijzingNaam>PRONOM-register</verwijzingNaam>"
        "</begripBegrippenlijst></bestandsformaat>"
        f"<checksum><checksumAlgoritme><begripLabel>{label}</begripLabel>"
        "<begripBegrippenlijst><verwijzingNaam>Begrippenlijst ChecksumAlgoritme MDTO"
        "</verwijzingNaam></begripBegrippenlijst></checksumAlgoritme>"
        f"<checksumWaarde>{'ab' * 32}</checksumWaarde>"
        "<checksumDatum>2026-11-29T06:00:00</checksumDatum></checksum>"
        "<isRepresentatieVan><verwijzingNaam>Brief</verwijzingNaam><verwijzingIdentificatie>"
        "<identificatieKenmerk>S-1</identificatieKenmerk><identificatieBron>RecordsDesk"
        "</identificatieBron></verwijzingIdentificatie></isRepresentatieVan>"
        "</bestand></MDTO>"
    ).encode()


def test_shared_values_are_written_in_full_in_every_document() -> None:
    first, second = xmlio.to_bytes(bestand("een")), xmlio.to_bytes(bestand("twee"))
    assert first == expected("een", "SHA-256")
    assert second == expected("twee", "SHA-256")
    assert schema.validate(second) == []


def test_text_is_escaped_as_lxml_escapes_it_in_a_copied_template() -> None:
    escaped = 'R&amp;D &lt;afdeling&gt; "Zuid" \'s&#13;\nregel\ttab ü € 😀'
    for _ in range(2):  # built once, then copied
        assert xmlio.to_bytes(bestand("een", TRICKY)) == expected("een", escaped)
    back = xmlio.read(xmlio.to_bytes(bestand("een", TRICKY)))
    assert isinstance(back, model.Bestand)
    assert back.checksum[0].algoritme.label == TRICKY  # &#13; keeps the \r


def test_text_xml_cannot_hold_is_refused_also_in_a_template() -> None:
    with pytest.raises(ValueError, match="XML compatible"):
        xmlio.to_bytes(bestand("een", "nul\x00"))
    assert xmlio.to_bytes(bestand("een")) == expected("een", "SHA-256")


def test_templates_kept_are_bounded() -> None:
    for index in range(3 * xmlio._SUBTREES_MAX):
        label = f"algoritme {index}"
        assert xmlio.to_bytes(bestand("een", label)) == expected("een", label)
    assert 0 < len(xmlio._subtrees()) <= xmlio._SUBTREES_MAX


def test_threads_writing_at_once_get_the_same_bytes() -> None:
    objects = [bestand(f"b{index}", f"algoritme {index % 7}") for index in range(300)]
    wanted = [expected(f"b{index}", f"algoritme {index % 7}") for index in range(300)]
    results: list[list[bytes]] = []

    def write_all() -> None:
        results.append([xmlio.to_bytes(obj) for obj in objects])

    threads = [threading.Thread(target=write_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [wanted] * 4
