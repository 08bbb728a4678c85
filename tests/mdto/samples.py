"""MDTO objects for tests: builders of begrippen, references and fully filled objects."""

from __future__ import annotations

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
