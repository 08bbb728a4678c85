"""Facet counts over what a query finds, and the filters a facet value becomes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk.errors import UserError
from recordsdesk.retention import selectielijst
from recordsdesk.search.facets import FACETS, FacetCounts, FacetFilters, facet_counts
from recordsdesk.search.results import SearchFilters
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.woo import informatiecategorieen
from tests.search.records import day, dossier, file_text, find, set_columns


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    try:
        yield workspace
    finally:
        workspace.close()


def counts(
    ws: Workspace,
    text: str,
    filters: SearchFilters | None = None,
    top: int = 20,
    only: tuple[str, ...] | None = None,
) -> dict[str, FacetCounts]:
    find(ws, text, filters=filters)  # brings the index up to date
    with ws.readers() as session:
        return facet_counts(session, text, filters, top=top, only=only)


def values(found: dict[str, FacetCounts], key: str) -> dict[str | None, int]:
    return {v.value: v.count for v in found[key].values}


@dataclasses.dataclass
class Filed:
    a: str
    b: str
    a1: str
    a2: str
    b1: str
    other: str


def filed(ws: Workspace, folder: Path) -> Filed:
    """Two dossiers about a bridge, with records whose columns differ, and one off topic."""
    a = dossier(ws, "Brug Noordkade")
    b = dossier(ws, "Brug Zuidkade")
    a1 = file_text(ws, folder, a, "inspectie", "Inspectie van de brug over de kade.")
    a2 = file_text(ws, folder, a, "offerte", "Offerte voor herstel van de brug.")
    b1 = file_text(ws, folder, b, "besluit", "Besluit over de nieuwe brug.")
    other = file_text(ws, folder, b, "notulen", "Notulen van de raad over de begroting.")
    wet = informatiecategorieen()[0].uri
    set_columns(ws, a1, waardering="B", archiefvormer="gm0363", department="Stadsbeheer",
                woo_informatiecategorie=wet, dekking_begin=day("2019-05-01"),
                selectielijst_jaar=2020, resultaat_nummer="1.1",
                beperking_gebruik="Openbaar", documenttype="Inspectierapport")  # fmt: skip
    set_columns(ws, a2, waardering="V", archiefvormer="gm0363", department="Stadsbeheer",
                dekking_begin=day("2021-01-10"), dekking_eind=day("2021-02-01"))  # fmt: skip
    set_columns(ws, b1, waardering="B", archiefvormer="gm0599", documenttype="Besluit",
                woo_informatiecategorie=wet, dekking_eind=day("2019-12-31"))  # fmt: skip
    set_columns(ws, other, waardering="B", archiefvormer="gm0363", department="Stadsbeheer")
    return Filed(a, b, a1, a2, b1, other)


def test_each_facet_counts_the_objects_the_query_finds(ws: Workspace, tmp_path: Path) -> None:
    f = filed(ws, tmp_path)
    found = counts(ws, "brug")
    assert list(found) == list(FACETS)
    assert values(found, "aggregatieniveau") == {"Dossier": 2, "Archiefstuk": 3}
    assert values(found, "dossier") == {f.a: 3, f.b: 2}  # the dossier's own entry counts
    assert values(found, "waardering") == {"B": 2, "V": 1, "N": 2}  # dossiers: default N
    assert values(found, "archiefvormer")["gm0599"] == 1
    assert values(found, "afdeling") == {"Stadsbeheer": 2, None: 3}
    assert values(found, "documenttype") == {"Inspectierapport": 1, "Besluit": 1, None: 3}
    assert values(found, "woo_categorie") == {informatiecategorieen()[0].uri: 2, None: 3}
    assert values(found, "selectielijst") == {"2020/1.1": 1, None: 4}
    assert values(found, "beperking_gebruik")["Openbaar"] == 1
    assert values(found, "formaat") == {"text/plain": 3}  # dossiers hold no files
    this_year = str(ws.clock().year)
    assert values(found, "documentjaar") == {"2019": 2, "2021": 1, this_year: 2}
    assert values(found, "archiveringsjaar") == {this_year: 5}
    labels = {v.value: v.label for v in found["waardering"].values}
    assert labels["B"] == "Blijvend te bewaren"
    [woo] = [v for v in found["woo_categorie"].values if v.value is not None]
    assert woo.label == informatiecategorieen()[0].naam
    [dossier_a] = [v for v in found["dossier"].values if v.value == f.a]
    assert dossier_a.label == f"{f.a} Brug Noordkade"
    [result] = [v for v in found["selectielijst"].values if v.value == "2020/1.1"]
    assert selectielijst.resultaat(2020, "1.1").naam in result.label
    assert found["formaat"].values[0].label == "Tekst"
    assert found["waardering"].name == "Waardering"


def test_a_count_is_what_the_search_finds_with_that_value(ws: Workspace, tmp_path: Path) -> None:
    filed(ws, tmp_path)
    found = counts(ws, "brug")
    checked = 0
    for key, facet in found.items():
        for value in facet.values:
            if value.value is None:
                continue
            narrowed = FacetFilters().choose(key, value.value)
            assert find(ws, "brug", filters=narrowed).total == value.count, (key, value)
            again = counts(ws, "brug", narrowed)[key]  # drill-down: the value alone remains
            assert [(v.value, v.count) for v in again.values] == [(value.value, value.count)]
            checked += 1
    assert checked >= 15


def test_filters_and_dates_of_the_query_narrow_the_counts(ws: Workspace, tmp_path: Path) -> None:
    f = filed(ws, tmp_path)
    assert values(counts(ws, "brug datum:2019"), "dossier") == {f.a: 1, f.b: 1}
    inside_a = counts(ws, "brug", SearchFilters(dossier=f.a))
    assert values(inside_a, "waardering") == {"B": 1, "V": 1, "N": 1}
    nothing = counts(ws, "brug", FacetFilters(archiefvormer="gm9999"))
    assert all(not facet.values and facet.distinct == 0 for facet in nothing.values())
    filed_now = FacetFilters(filed_from=ws.clock().date(), filed_to=ws.clock().date())
    assert find(ws, "brug", filters=filed_now).total == 5


def test_the_top_values_come_first_and_the_rest_is_counted(ws: Workspace, tmp_path: Path) -> None:
    f = filed(ws, tmp_path)
    found = counts(ws, "brug", top=1)
    assert [(v.value, v.count) for v in found["dossier"].values] == [(f.a, 3)]
    assert found["dossier"].distinct == 2
    assert [v.value for v in found["waardering"].values] == ["B"]  # B 2, N 2: ties by value
    assert found["waardering"].distinct == 3
    some = counts(ws, "brug", only=("formaat", "dossier"))
    assert list(some) == ["dossier", "formaat"]  # in FACETS order
    every = counts(ws, "brug")
    assert (some["dossier"], some["formaat"]) == (every["dossier"], every["formaat"])
    with pytest.raises(UserError, match="kleur"):
        counts(ws, "brug", only=("kleur",))


def test_bad_facet_values_are_refused_clearly() -> None:
    with pytest.raises(UserError, match="facet"):
        FacetFilters().choose("kleur", "rood")
    with pytest.raises(UserError, match="2024"):
        FacetFilters().choose("documentjaar", "vorig jaar")
    with pytest.raises(UserError, match="JAAR/NUMMER"):
        FacetFilters().choose("selectielijst", "1.1")
    with pytest.raises(UserError):
        FacetFilters().choose("woo_categorie", "geen categorie")


def test_filters_round_trip_through_json() -> None:
    chosen = (
        FacetFilters()
        .choose("documentjaar", "2024")
        .choose("archiveringsjaar", "2025")
        .choose("formaat", "application/pdf")
        .choose("selectielijst", "2020/11.1")
        .choose("waardering", "B")
    )
    data = chosen.to_json()
    assert data["date_from"] == "2024-01-01" and data["filed_to"] == "2025-12-31"
    assert FacetFilters.from_json(data) == chosen
    assert FacetFilters.from_json({"onbekend": "x", "waardering": None}) == FacetFilters()


def test_chosen_filters_give_back_the_facet_values_they_were_chosen_with() -> None:
    values = {
        "documentjaar": "2024", "archiveringsjaar": "2025", "dossier": "D-7KQ4MX-42J",
        "aggregatieniveau": "Archiefstuk", "documenttype": "Factuur",
        "woo_categorie": "convenanten", "archiefvormer": "gm0599", "afdeling": "Burgerzaken",
        "selectielijst": "2020/11.1", "waardering": "B", "beperking_gebruik": "Openbaar",
        "formaat": "application/pdf", "status": "closed",
    }  # fmt: skip
    chosen = FacetFilters()
    for key, value in values.items():
        chosen = chosen.choose(key, value)
    assert chosen.choices() == values
    again = FacetFilters()
    for key, value in chosen.choices().items():
        again = again.choose(key, value)
    assert again == chosen and FacetFilters().choices() == {}
    half_year = dataclasses.replace(chosen, date_to=dt.date(2024, 6, 30))
    with pytest.raises(ValueError, match="documentjaar"):
        half_year.choices()
