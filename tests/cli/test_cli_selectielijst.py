"""``recordsdesk selectielijst list|show|check`` through the real command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run

Cli = Callable[..., Run]


def test_list_groups_results_by_procestype_in_dutch(cli: Cli, home: Path) -> None:
    listed = cli("selectielijst", "list")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0] == "1. Instellen en inrichten organisatie"
    assert lines[1] == "  1.1\tIngericht\tvernietigen na 10 jaar (V)"
    assert "    1.1.1\tIngericht: Inrichten of wijzigen met een organisatie brede impact\t" in (
        listed.out
    )
    assert "blijvend bewaren (B)" in lines[2]
    for row in (
        (
            "7.1.20",
            "Verwerkt: Vervallen: dit is resultaat 19.1.19 geworden",
            "vervallen (nu 19.1.19)",
        ),
        (
            "19.1.17",
            "Verwerkt: Ondersteuningsverklaring kandidatenlijst",
            "vernietigen na 0 dagen (V)",
        ),
        (
            "7.1.21",
            "Verwerkt: Bescheiden tbv opmaken akte uit de Burgerlijke Stand",
            "vernietigen na 1 jaar en 6 maanden (V)",
        ),
    ):
        assert "    " + "\t".join(row) in lines, row
    assert lines[-1] == "346 resultaten van de Selectielijst 2020."
    assert sum(1 for line in lines if line.startswith(" ")) == 346
    assert list(home.iterdir()) == []  # reference data: no workspace is opened or created


def test_list_json_for_one_procestype(cli: Cli) -> None:
    listed = cli("selectielijst", "list", "--procestype", "29", "--json")
    assert listed.code == 0, listed.err
    data = json.loads(listed.out)
    assert data["jaar"] == 2020
    assert [t["nummer"] for t in data["procestypen"]] == [29]
    assert data["procestypen"][0]["naam"] == "Aangifte doen"
    assert [r["volledig_nummer"] for r in data["resultaten"]] == ["29.1", "29.2"]
    first = data["resultaten"][0]
    assert set(first) == {
        "jaar",
        "volledig_nummer",
        "procestype",
        "generiek",
        "generiek_nummer",
        "naam",
        "omschrijving",
        "herkomst",
        "waardering",
        "mdto_waardering",
        "bewaartermijn",
        "procestermijn",
        "procestermijn_weergave",
        "procestermijn_opmerking",
        "toelichting",
        "taakgebieden",
        "withdrawn",
        "replaced_by",
    }
    assert (first["procestype"], first["generiek"], first["withdrawn"]) == (29, True, False)
    everything = json.loads(cli("selectielijst", "list", "--json").out)
    assert len(everything["procestypen"]) == 29 and len(everything["resultaten"]) == 346
    withdrawn = [r["volledig_nummer"] for r in everything["resultaten"] if r["withdrawn"]]
    assert withdrawn == ["7.1.20", "19.1.13"]


def test_list_search(cli: Cli) -> None:
    found = cli("selectielijst", "list", "--search", "rijbewijs fraude")
    assert found.code == 0, found.err
    assert found.out.splitlines() == [
        "7. Aangiften behandelen",
        "    7.1.24\tVerwerkt: Fraude melding rijbewijs\tvernietigen na 1 jaar (V)",
        "1 resultaat van de Selectielijst 2020.",
    ]


def test_show_prints_the_full_text(cli: Cli) -> None:
    shown = cli("selectielijst", "show", "11.1.2")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0] == "Resultaat 11.1.2 van de Selectielijst 2020"
    text = "\n".join(" ".join(line.split()) for line in lines)
    for expected in (
        "Procestype: 11. Toestemming verlenen",
        "Generiek resultaat: 11.1 Verleend",
        "Naam: Verleend",
        "Omschrijving: Toestemming voor een afgebakende periode",
        "Waardering: vernietigen na 1 jaar (V)",
        "Bewaartermijn: 1 jaar (P1Y)",
        "Procestermijn: De tijdens het proces vast te leggen datum",
        "Herkomst: Risicoanalyse",
        "Toelichting: Eenmalige collectevergunning",
    ):
        assert expected in text, expected
    zero = cli("selectielijst", "show", "19.2.1")
    assert zero.code == 0 and "0 dagen (P0D)" in zero.out


def test_show_json(cli: Cli) -> None:
    shown = cli("selectielijst", "show", "1.1", "--year", "2020", "--json")
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    assert (data["jaar"], data["volledig_nummer"], data["generiek"]) == (2020, "1.1", True)
    assert (data["waardering"], data["mdto_waardering"], data["bewaartermijn"]) == (
        "vernietigen",
        "V",
        "P10Y",
    )
    assert data["procestype_naam"] == "Instellen en inrichten organisatie"
    assert data["specifieke_resultaten"] == ["1.1.1", "1.1.2", "1.1.3"]
    p0d = json.loads(cli("selectielijst", "show", "19.1.19", "--json").out)
    assert (p0d["bewaartermijn"], p0d["generiek_nummer"]) == ("P0D", "19.1")


def test_a_withdrawn_result_is_shown_as_such(cli: Cli) -> None:
    shown = cli("selectielijst", "show", "7.1.20")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[0] == "Resultaat 7.1.20 van de Selectielijst 2020 - VERVALLEN"
    assert "vervallen (nu 19.1.19)" in shown.out
    data = json.loads(cli("selectielijst", "show", "19.1.13", "--json").out)
    assert (data["withdrawn"], data["waardering"], data["replaced_by"]) == (True, None, "4.1.14")


def test_a_withdrawn_result_cannot_be_chosen(cli: Cli) -> None:
    refused = cli("selectielijst", "check", "7.1.20")
    assert refused.code == 2 and refused.out == ""
    assert refused.err_lines == [
        "recordsdesk: Resultaat 7.1.20 van de Selectielijst 2020 is vervallen (Vervallen: dit "
        "is resultaat 19.1.19 geworden) en kan niet worden gekozen; kies in plaats daarvan 19.1.19."
    ]
    other = cli("selectielijst", "check", "19.1.13")
    assert other.code == 2 and "kies in plaats daarvan 4.1.14" in other.err
    fine = cli("selectielijst", "check", "19.1.19")
    assert fine.code == 0, fine.err
    assert fine.out.strip() == (
        "19.1.19 (Verwerkt: Gegevens over personen bij wie een reisdocument moet worden "
        "geweigerd of ingehouden) van de Selectielijst 2020 kan worden gekozen."
    )


def test_unknown_numbers_and_years_are_refused_without_a_traceback(cli: Cli) -> None:
    for args, message in (
        (("show", "99.1"), "recordsdesk: Selectielijst 2020 heeft geen resultaat 99.1."),
        (("check", "11.1.99"), "recordsdesk: Selectielijst 2020 heeft geen resultaat 11.1.99."),
        (
            ("show", "1.1", "--year", "2017"),
            "recordsdesk: Er is geen Selectielijst 2017; beschikbaar: 2020.",
        ),
        (
            ("list", "--procestype", "30"),
            "recordsdesk: Selectielijst 2020 heeft geen procestype 30.",
        ),
    ):
        refused = cli("selectielijst", *args)
        assert refused.code == 2, args
        assert refused.err_lines == [message]
        assert "Traceback" not in refused.err


def test_english_on_request(cli: Cli) -> None:
    shown = cli("--lang", "en", "selectielijst", "show", "1.1.1")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[0] == "Result 1.1.1 of the Selectielijst 2020"
    assert "keep permanently (B)" in shown.out
    refused = cli("--lang", "en", "selectielijst", "check", "19.1.13")
    assert refused.err_lines == [
        "recordsdesk: Result 19.1.13 of the Selectielijst 2020 is withdrawn (Vervallen) and "
        "cannot be chosen; choose 4.1.14 instead."
    ]
