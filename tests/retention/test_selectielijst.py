"""The Selectielijst 2020 as data: counts, keys, P0D, withdrawn results, parents, search,
and a second year loaded beside 2020 without changing it."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recordsdesk import i18n
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.resources import resource_path
from recordsdesk.retention import dates
from recordsdesk.retention import selectielijst as sl

SHIPPED = resource_path("selectielijst", "selectielijst_2020.json")


@pytest.fixture
def dutch() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("nl")
    try:
        yield
    finally:
        i18n.set_language(before)


def test_the_2020_list_has_29_procestypen_and_346_results() -> None:
    assert sl.lists() == (2020,)
    assert sl.latest() == 2020
    assert [t.nummer for t in sl.procestypen(2020)] == list(range(1, 30))
    results = sl.resultaten(2020)
    assert len(results) == 346
    assert Counter(r.generiek for r in results) == {True: 94, False: 252}
    assert Counter(r.waardering for r in results) == {
        "vernietigen": 255,
        "blijvend_bewaren": 89,
        None: 2,
    }
    # the distributions of the domain notes, section 1.3
    assert Counter(r.procestermijn for r in results) == {
        "nihil": 200,
        None: 92,
        "bestaansduur_procesobject": 40,
        "vast_te_leggen_datum": 8,
        "samengevoegd_met_bewaartermijn": 5,
        "ingeschatte_bestaansduur_procesobject": 1,
    }
    terms = Counter(r.bewaartermijn for r in results if r.waardering == "vernietigen")
    assert (terms["P1Y"], terms["P5Y"], terms["P10Y"], terms["P110Y"], terms["P0D"]) == (
        70,
        55,
        43,
        6,
        3,
    )
    assert len(sl.resultaten(2020, 29)) == 2 and len(sl.resultaten(2020, 19)) == 28


def test_results_are_keyed_on_year_and_full_number() -> None:
    results = sl.resultaten(2020)
    keys = [r.key for r in results]
    assert len(set(keys)) == 346
    assert all(jaar == 2020 for jaar, _nummer in keys)
    found = sl.resultaat(2020, "11.1.2")
    assert found.key == (2020, "11.1.2")
    assert (found.procestype, found.generiek_nummer, found.nummer) == (11, "11.1", 2)
    assert (found.naam, found.omschrijving) == (
        "Verleend",
        "Toestemming voor een afgebakende periode",
    )
    assert (found.waardering, found.mdto_waardering, found.bewaartermijn) == (
        "vernietigen",
        "V",
        "P1Y",
    )
    assert found.procestermijn == "vast_te_leggen_datum"
    assert found.procestermijn_weergave.startswith("De tijdens het proces vast te leggen datum")
    assert found.herkomst == "Risicoanalyse"
    assert found.toelichting.startswith("Eenmalige collectevergunning")
    assert sl.resultaat(2020, " 11.1.2 ") is found  # surrounding blanks are not part of a number
    # number order is numeric per part: 2.x before 11.x, 11.1.9 before 11.1.10
    order = [r.volledig_nummer for r in results]
    assert order.index("2.1") < order.index("11.1")
    assert order.index("11.1.9") < order.index("11.1.10")
    assert results[0].volledig_nummer == "1.1"
    assert not any("-" in r.volledig_nummer for r in results)  # no UUID ever used as a key


@pytest.mark.parametrize("nummer", ["19.1.17", "19.1.19", "19.2.1"])
def test_zero_retention_is_p0d_not_missing(nummer: str) -> None:
    found = sl.resultaat(2020, nummer)
    assert found.waardering == "vernietigen"
    assert found.bewaartermijn == "P0D"
    assert found.bewaartermijn_duration == dates.Duration()


def test_every_result_has_a_consistent_waardering_and_bewaartermijn() -> None:
    for result in sl.resultaten(2020):
        if result.withdrawn:
            continue
        if result.waardering == "blijvend_bewaren":
            assert result.bewaartermijn is None and result.mdto_waardering == "B", result
        else:
            assert result.bewaartermijn is not None and result.mdto_waardering == "V", result
        assert result.herkomst, result


@pytest.mark.parametrize(
    ("nummer", "replacement", "wording"),
    [
        ("7.1.20", "19.1.19", "Vervallen: dit is resultaat 19.1.19 geworden"),
        ("19.1.13", "4.1.14", "Vervallen"),
    ],
)
def test_withdrawn_results_are_shown_but_cannot_be_chosen(
    nummer: str, replacement: str, wording: str
) -> None:
    found = sl.resultaat(2020, nummer)
    assert found.withdrawn and found.waardering is None and found.mdto_waardering is None
    assert (found.omschrijving, found.replaced_by) == (wording, replacement)
    assert found in sl.resultaten(2020)
    assert found in sl.search(2020, "vervallen")
    with pytest.raises(UserError) as refused:
        sl.choosable(2020, nummer)
    assert refused.value.params["nummer"] == nummer
    assert refused.value.params["replacement"] == replacement
    assert "withdrawn" in refused.value.english()
    assert sl.choosable(2020, replacement).key == (2020, replacement)


def test_only_the_two_known_results_are_withdrawn() -> None:
    assert [r.volledig_nummer for r in sl.resultaten(2020) if r.withdrawn] == ["7.1.20", "19.1.13"]


def test_withdrawn_refusal_reads_in_dutch(dutch: None) -> None:
    with pytest.raises(UserError) as refused:
        sl.choosable(2020, "7.1.20")
    message = i18n.translate_error(refused.value)
    assert message == (
        "Resultaat 7.1.20 van de Selectielijst 2020 is vervallen (Vervallen: dit is resultaat "
        "19.1.19 geworden) en kan niet worden gekozen; kies in plaats daarvan 19.1.19."
    )


def test_a_specifiek_result_knows_its_generiek_parent() -> None:
    child = sl.resultaat(2020, "1.1.1")
    assert child.specifiek and not child.generiek
    assert child.generiek_nummer == "1.1"
    parent = sl.resultaat(2020, child.generiek_nummer)
    assert parent.generiek and parent.generiek_nummer is None
    # the specific result overrides its parent: 1.1 vernietigen P10Y, 1.1.1 blijvend bewaren
    assert (parent.waardering, parent.bewaartermijn) == ("vernietigen", "P10Y")
    assert (child.waardering, child.bewaartermijn) == ("blijvend_bewaren", None)
    for result in sl.resultaten(2020):
        if result.specifiek:
            assert result.generiek_nummer is not None
            assert result.volledig_nummer.startswith(result.generiek_nummer + ".")
            assert sl.resultaat(2020, result.generiek_nummer).generiek
        else:
            assert result.volledig_nummer.count(".") == 1


@pytest.mark.parametrize("nummer", ["99.1", "11.1.99", "1", "abc", "", "11.1.2.1"])
def test_an_unknown_number_is_refused(nummer: str) -> None:
    with pytest.raises(NotFoundError) as refused:
        sl.resultaat(2020, nummer)
    assert refused.value.msgid == sl.UNKNOWN_RESULT
    with pytest.raises(NotFoundError):
        sl.choosable(2020, nummer)


def test_an_unknown_year_is_refused_naming_the_available_ones(dutch: None) -> None:
    with pytest.raises(NotFoundError) as refused:
        sl.resultaat(2017, "1.1")
    assert i18n.translate_error(refused.value) == (
        "Er is geen Selectielijst 2017; beschikbaar: 2020."
    )
    with pytest.raises(NotFoundError):
        sl.procestype(2020, 30)


def test_search_matches_words_and_number_prefixes() -> None:
    def numbers(text: str) -> list[str]:
        return [r.volledig_nummer for r in sl.search(2020, text)]

    assert numbers("rijbewijs") == ["5.1.6", "5.2", "5.2.2", "7.1.24"]
    assert numbers("RIJBEWIJS fraude") == ["7.1.24"]  # every word, any case
    assert numbers("1.1") == ["1.1", "1.1.1", "1.1.2", "1.1.3"]  # not 11.1 or 1.10
    assert numbers("29") == ["29.1", "29.2"]
    assert numbers("") == [r.volledig_nummer for r in sl.resultaten(2020)]
    assert numbers("rijbewijs 7") == ["7.1.24"]
    assert numbers("geen-zulk-woord") == []
    # the procestype's naam is searched too; accents are ignored
    assert set(numbers("aangifte doen")) == {"29.1", "29.2"}
    assert numbers("financiële") == numbers("financiele") != []


def test_durations_in_words(dutch: None) -> None:
    cases = {
        "P10Y": "10 jaar",
        "P1Y": "1 jaar",
        "P1Y6M": "1 jaar en 6 maanden",
        "P6M": "6 maanden",
        "P42D": "42 dagen",
        "P0D": "0 dagen",
    }
    assert {k: sl.describe_duration(k) for k in cases} == cases
    i18n.set_language("en")
    assert sl.describe_duration("P1Y6M") == "1 year and 6 months"
    assert sl.describe_duration("P1D") == "1 day"
    assert sl.describe_duration("P2W") == "14 days", "weeks are told as days, as the list does"
    for text in ("P2W", "P1Y2M3D"):
        assert (
            str(dates.parse_duration(text)) == text
        )  # the one parser: recordsdesk.retention.dates
    for bad in ("P", "10Y", "PT1H", "P1.5Y"):
        with pytest.raises(ValueError):
            dates.parse_duration(bad)


def _later_list(data: list[dict[str, Any]], jaar: int) -> list[dict[str, Any]]:
    """A made-up later list: the 2020 records with another year and one changed result."""
    changed: list[dict[str, Any]] = json.loads(json.dumps(data))
    for record in changed:
        fields = record["fields"]
        if record["model"] == "selectielijst.procestype":
            fields["jaar"] = jaar
        elif record["pk"] == 1:  # 1.1 "Ingericht": P10Y in 2020
            fields["bewaartermijn"] = "P7Y"
    return changed


def test_a_later_list_loads_beside_2020_without_changing_it(tmp_path: Path) -> None:
    shutil.copy(SHIPPED, tmp_path / SHIPPED.name)
    registry = sl.Registry(tmp_path)
    before = registry.get(2020).get("1.1")
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    (tmp_path / "selectielijst_2024.json").write_text(json.dumps(_later_list(data, 2024)))
    (tmp_path / "notes.json").write_text("[]")  # not a list file: ignored
    assert registry.years() == (2020, 2024)
    newer = registry.get(2024).get("1.1")
    assert newer is not None and newer.key == (2024, "1.1") and newer.bewaartermijn == "P7Y"
    older = registry.get(2020).get("1.1")
    assert older is before and older is not None
    assert older.key == (2020, "1.1") and older.bewaartermijn == "P10Y"
    assert len(registry.get(2024).resultaten) == len(registry.get(2020).resultaten) == 346
    with pytest.raises(NotFoundError):
        registry.get(2023)


def test_a_file_whose_year_differs_from_its_name_is_refused(tmp_path: Path) -> None:
    shutil.copy(SHIPPED, tmp_path / "selectielijst_2024.json")
    with pytest.raises(sl.SelectielijstDataError) as failed:
        sl.Registry(tmp_path).get(2024)
    assert "selectielijst_2024.json" in str(failed.value) and "jaar 2020" in str(failed.value)


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (lambda f: f.update(waardering="bewaren"), "waardering 'bewaren'"),
        (lambda f: f.update(bewaartermijn="tien jaar"), "ISO 8601"),
        (lambda f: f.update(procestermijn="eeuwig"), "unknown procestermijn"),
        (lambda f: f.update(proces_type=999), "unknown procestype"),
        (lambda f: f.update(bewaartermijn=None), "without a bewaartermijn"),
    ],
)
def test_a_malformed_result_is_a_data_error_naming_the_file(
    tmp_path: Path, change: Any, detail: str
) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    first = next(r for r in data if r["model"] == "selectielijst.resultaat")  # 1.1, vernietigen
    change(first["fields"])
    path = tmp_path / "selectielijst_2020.json"
    path.write_text(json.dumps(data))
    with pytest.raises(sl.SelectielijstDataError) as failed:
        sl.Registry(tmp_path).get(2020)
    assert str(path) in str(failed.value) and detail in str(failed.value)
    assert not isinstance(failed.value, UserError)


def test_unreadable_json_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "selectielijst_2020.json").write_text("[{")
    with pytest.raises(sl.SelectielijstDataError, match=r"selectielijst_2020\.json"):
        sl.Registry(tmp_path).get(2020)
