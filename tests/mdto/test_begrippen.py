"""MDTO value lists and the TOOI municipality register, on the shipped resource files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recordsdesk.mdto import begrippen, tooi
from recordsdesk.mdto.begrippen import BegrippenDataError, Begrippenlijst, Concept
from recordsdesk.mdto.model import Begrip, Identificatie, Verwijzing

NA_KEYS = (
    "aggregatieniveau",
    "waardering",
    "event",
    "relatie-informatieobject",
    "relatie-betrokkene",
    "beperking-gebruik",
    "checksum-algoritme",
)
NHA_KEYS = (
    "openbaarheid-aw1995",
    "openbaarheid-aw2021",
    "openbaarheid-woo",
    "persoonsgegevens-avg",
    "triggers",
    "intellectueel-eigendom-auteurswet",
    "intellectueel-eigendom-creative-commons",
    "intellectueel-eigendom-databankwet",
    "intellectueel-eigendom-rights-statements",
    "intellectueel-eigendom-software-licenties",
    "intellectueel-eigendom-naburige-rechten",
)

# The concepts domain-mdto.md section 5.2 lists, per list.
NA_CONCEPTS = {
    "aggregatieniveau": {"Archief", "Serie", "Dossier", "Archiefstuk"},
    "event": {
        "Creatie",
        "Ontvangst",
        "Verzending",
        "Opname",
        "Digitalisering",
        "Vervanging",
        "Bevriezing",
        "Conversie",
        "Export",
        "Import",
        "Kopie",
        "Migratie",
        "Vernietigen",
        "Overbrenging",
        "Uitplaatsing",
        "Wijziging",
        "Publicatie",
        "Accordering",
        "Validatie Handtekening",
    },
    "relatie-informatieobject": {
        "Heeft Versie",
        "Wordt aangehaald door",
        "Is vervangen door",
        "Is vereist door",
        "Is een versie van",
        "Refereert aan",
        "Vervangt",
        "Heeft nodig",
    },
    "relatie-betrokkene": {"Belanghebbende", "Indiener", "Rechthebbende"},
    "beperking-gebruik": {"Geen beperking", "Nader te bepalen", "Overig"},
    "checksum-algoritme": {"SHA-224", "SHA-256", "SHA-384", "SHA-512"},
}


def labels(lijst: Begrippenlijst) -> set[str]:
    return {begrip.label for begrip in lijst.concepts}


def test_registry_has_every_list_with_stable_keys() -> None:
    assert tuple(lijst.key for lijst in begrippen.lists()) == (
        "aggregatieniveau",
        "event",
        "waardering",
        "relatie-betrokkene",
        "relatie-informatieobject",
        "beperking-gebruik",
        "checksum-algoritme",
        *NHA_KEYS,
    )
    assert {lijst.key for lijst in begrippen.lists()} == {*NA_KEYS, *NHA_KEYS}
    with pytest.raises(KeyError):
        begrippen.get("no-such-list")


def test_lookups_are_cached() -> None:
    assert begrippen.lists() is begrippen.lists()
    assert begrippen.get("waardering") is begrippen.get("waardering")
    assert tooi.municipality("gm0599") is tooi.municipality("gm0599")
    assert tooi.municipalities() is tooi.municipalities()


def test_waardering_is_closed_with_exactly_b_v_n() -> None:
    waardering = begrippen.get("waardering")
    assert waardering.closed
    assert waardering.name == "Begrippenlijst Waarderingen MDTO"
    assert [(b.code, b.label) for b in waardering.concepts] == [
        ("B", "Blijvend te bewaren"),
        ("V", "Tijdelijk te bewaren"),
        ("N", "Nader te bepalen"),
    ]
    assert waardering.check("Tijdelijk te bewaren", "V") is None
    assert waardering.check("Tijdelijk te bewaren") is None
    assert waardering.check("X", "X") == begrippen.NOT_IN_CLOSED_LIST
    assert not waardering.accepts("X", "X")
    assert waardering.check("Blijvend te bewaren", "V") == begrippen.CODE_LABEL_MISMATCH
    assert not waardering.accepts("Blijvend te bewaren", "V")
    assert waardering.check("blijvend te bewaren", "B") == begrippen.CODE_LABEL_MISMATCH


@pytest.mark.parametrize("key", sorted(NA_CONCEPTS))
def test_na_lists_are_open_and_hold_the_documented_concepts(key: str) -> None:
    lijst = begrippen.get(key)
    assert not lijst.closed
    assert labels(lijst) == NA_CONCEPTS[key]
    assert lijst.name.startswith("Begrippenlijst ") and lijst.name.endswith(" MDTO")
    assert all(b.list_name == lijst.name for b in lijst.concepts)


def test_names_are_the_ones_the_na_examples_use() -> None:
    assert begrippen.get("event").name == "Begrippenlijst EventTypeLijst MDTO"
    assert begrippen.get("beperking-gebruik").name == "Begrippenlijst Beperkingen MDTO"
    assert begrippen.get("checksum-algoritme").name == "Begrippenlijst ChecksumAlgoritme MDTO"
    assert begrippen.find_by_name("Begrippenlijst Aggregatieniveaus MDTO") is begrippen.get(
        "aggregatieniveau"
    )
    assert begrippen.find_by_name("Ministerie IenW zaaksysteem begrippenlijst") is None


def test_open_lists_accept_unknown_values_with_a_note() -> None:
    event = begrippen.get("event")
    assert event.check("Bevriezing") is None
    assert event.check("Bevriezing", "BEV") is None  # NA gives it no code to contradict
    assert event.check("Scannen door leverancier") == begrippen.OWN_VALUE
    assert event.accepts("Scannen door leverancier", "EIGEN-1")
    aw1995 = begrippen.get("openbaarheid-aw1995")
    assert aw1995.check("openbaar (Archiefwet 1995)", "Openbaarheid/AW1995/Openbaar/1.0") is None
    mismatch = aw1995.check("openbaar (Archiefwet 1995)", "Openbaarheid/AW1995/NietBeoordeeld/1.0")
    assert mismatch == begrippen.CODE_LABEL_MISMATCH
    assert aw1995.accepts("openbaar (Archiefwet 1995)", "Openbaarheid/AW1995/NietBeoordeeld/1.0")


@pytest.mark.parametrize("key", ["event", "waardering"])
def test_a_label_is_always_required(key: str) -> None:
    lijst = begrippen.get(key)
    assert lijst.check("  ", "B") == begrippen.LABEL_MISSING
    assert not lijst.accepts("", None)


def test_codes_and_labels_are_unique_within_each_list() -> None:
    for lijst in begrippen.lists():
        codes = [b.code for b in lijst.concepts if b.code is not None]
        assert len(codes) == len(set(codes)), lijst.key
        assert len(labels(lijst)) == len(lijst.concepts), lijst.key
        assert lijst.concepts, lijst.key


def test_duplicates_are_refused_when_a_list_is_built() -> None:
    one = Concept("Een", "1", None, "L")
    with pytest.raises(ValueError, match="occurs twice"):
        Begrippenlijst("k", "L", False, (one, Concept("Een", "2", None, "L")), "test")
    with pytest.raises(ValueError, match="occurs twice"):
        Begrippenlijst("k", "L", False, (one, Concept("Twee", "1", None, "L")), "test")


def test_nha_archiefwet_1995_has_its_eight_concepts() -> None:
    aw1995 = begrippen.get("openbaarheid-aw1995")
    assert aw1995.name == "Begrippenlijst Openbaarheid Archiefwet 1995 (Noord-Hollands Archief)"
    assert not aw1995.closed
    prefix = "Openbaarheid/AW1995/"
    assert {b.code for b in aw1995.concepts} == {
        f"{prefix}{suffix}/1.0"
        for suffix in (
            "BeperktOpenbaar-Levenssfeer",
            "BeperktOpenbaar-Staatsbelang",
            "BeperktOpenbaar-Benadeling",
            "BeperktOpenbaar-BijzonderePersoonsgegevens",
            "BeperktOpenbaar-Particulier",
            "Openbaar",
            "Openbaar-Milieu",
            "NietBeoordeeld",
        )
    }
    levenssfeer = aw1995.by_code(f"{prefix}BeperktOpenbaar-Levenssfeer/1.0")
    assert levenssfeer is not None
    assert levenssfeer.label.startswith("beperkt openbaar; eerbiediging")
    assert aw1995.by_label(levenssfeer.label) is levenssfeer
    assert aw1995.by_label(levenssfeer.label.upper()) is None
    assert aw1995.by_label_ignoring_case(levenssfeer.label.upper()) is levenssfeer


def test_nha_data_is_kept_verbatim_except_the_documented_label_erratum() -> None:
    aw2021 = begrippen.get("openbaarheid-aw2021")
    kroon = aw2021.by_code("Openbaarheid/AW2021/BeperktOpenbaar-EenheidKroon/1.0")
    assert kroon is not None
    assert kroon.label == "beperkt openbaar; eenheid van de Kroon (Archiefwet 2021)"
    # Upstream codes with a stray space are identifiers: kept as they are.
    auteurswet = begrippen.get("intellectueel-eigendom-auteurswet")
    assert auteurswet.by_code("IntellectueelEigendom/Auteurswet/Voorbehoud-OpenbareMacht /1.0")


def test_search_is_case_and_accent_insensitive() -> None:
    aw1995 = begrippen.get("openbaarheid-aw1995")
    found = aw1995.search("beperkt openbaar")
    assert len(found) == 5
    assert all(b.label.startswith("beperkt openbaar;") for b in found)
    assert [b.code for b in aw1995.search("NIETBEOORDEELD")] == [
        "Openbaarheid/AW1995/NietBeoordeeld/1.0"
    ]
    # No shipped concept contains "beëindiging"; "financiële" is the same case.
    assert begrippen.fold("beëindiging") == begrippen.fold("Beeindiging") == "beeindiging"
    woo = begrippen.get("openbaarheid-woo")
    assert [b.code for b in woo.search("financiele")] == [
        "Openbaarheid/WOO/NietOpenbaar-EconomischBelang/1.0"
    ]
    # Matches in the definition count too, after those in the label.
    assert begrippen.get("event").search("scannen")[0].label == "Digitalisering"
    assert len(aw1995.search("")) == 8
    assert aw1995.search("geen-zo-woord") == ()


def test_search_puts_label_matches_first() -> None:
    event = begrippen.get("event")
    found = [b.label for b in event.search("import")]
    assert found[0] == "Import"


def test_a_broken_resource_file_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(BegrippenDataError, match=r"kapot\.json"):
        begrippen._read_json(broken)
    with pytest.raises(BegrippenDataError, match=r"missing\.json"):
        begrippen._read_json(tmp_path / "missing.json")
    wrong = tmp_path / "triggers.json"
    wrong.write_text('[{"begripCode": "T/1.0", "begripLabel": ""}]', encoding="utf-8")
    with pytest.raises(BegrippenDataError, match=r"triggers\.json"):
        begrippen._load_nha(wrong, "triggers", "Triggers")


def test_rotterdam_is_a_current_municipality() -> None:
    rotterdam = tooi.municipality("gm0599")
    assert rotterdam is not None
    assert rotterdam.label == "gemeente Rotterdam"
    assert rotterdam.gemeentecode == "0599"
    assert rotterdam.current
    assert rotterdam.end is None
    assert tooi.municipality("0599") is rotterdam
    assert tooi.municipality(" GM0599 ") is rotterdam
    assert tooi.municipality("gm9999") is None
    assert rotterdam.archiefvormer() == Verwijzing(
        "gemeente Rotterdam", Identificatie("gm0599", "TOOI register Gemeenten compleet")
    )


def test_a_concept_becomes_an_mdto_begrip_with_its_list_name() -> None:
    v = begrippen.get("waardering").by_code("V")
    assert v is not None
    assert v.to_begrip() == Begrip(
        "Tijdelijk te bewaren", "V", Verwijzing("Begrippenlijst Waarderingen MDTO")
    )


def test_an_ended_municipality_is_only_there_while_it_existed() -> None:
    appingedam = tooi.municipality("gm0003")
    assert appingedam is not None
    assert appingedam.label == "gemeente Appingedam"
    assert appingedam.end == dt.date(2020, 12, 31)
    assert not appingedam.current
    assert appingedam not in tooi.municipalities(on=dt.date(2024, 1, 1))
    assert appingedam in tooi.municipalities(on=dt.date(2020, 6, 1))
    assert appingedam in tooi.municipalities()
    # Its successor, Eemsdelta, began the next day.
    eemsdelta = tooi.municipality("gm1979")
    assert eemsdelta is not None and eemsdelta.begin == dt.date(2021, 1, 1)
    assert eemsdelta not in tooi.municipalities(on=dt.date(2020, 12, 31))


def test_number_of_municipalities_is_plausible() -> None:
    # Register version 4 (zichtdatum 2022-12-22) includes the 1 January 2023
    # reorganisation and knows no later change: 342 gemeenten from that day on
    # (checked 2026-11-29), 344 on 31 December 2022, 605 in all.
    assert len(tooi.municipalities(on=dt.date(2024, 1, 1))) == 342
    assert len(tooi.municipalities(on=dt.date(2026, 11, 29))) == 342
    assert len(tooi.municipalities(on=dt.date(2022, 12, 31))) == 344
    assert sum(g.current for g in tooi.municipalities()) == 342
    assert len(tooi.municipalities()) == 605


def test_municipalities_are_sorted_by_name() -> None:
    current = tooi.municipalities(on=dt.date(2024, 1, 1))
    assert current[0].label == "gemeente Aa en Hunze"
    assert current[-1].label == "gemeente Zwolle"
    names = [g.sort_name for g in current]
    assert names == sorted(names)
    bosch = tooi.municipality("gm0796")
    assert bosch is not None and bosch.label == "gemeente 's-Hertogenbosch"
    order = [g.label for g in current]
    # Filed under H as the register sorts it, not first because of the apostrophe.
    assert order.index("gemeente Hengelo") < current.index(bosch) < order.index("gemeente Heusden")
