"""The dossier's document is written and checked as a stream (flat memory for 50,000
records): the same bytes as building it whole, the same problems as checking it whole."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from recordsdesk.mdto import rules, schema, xmlio
from recordsdesk.mdto.model import Identificatie, Verwijzing
from tests.mdto.samples import full_informatieobject


def refs(count: int) -> tuple[Verwijzing, ...]:
    return tuple(
        Verwijzing(f"Stuk {n} & <co>", Identificatie(f"S-{n}", "RecordsDesk")) for n in range(count)
    )


@pytest.mark.parametrize("count", [0, 1, 2, 500])
def test_streamed_references_give_the_same_bytes_as_the_whole_tree(count: int) -> None:
    whole = dataclasses.replace(full_informatieobject(), bevat_onderdeel=refs(count))
    out = io.BytesIO()
    empty = dataclasses.replace(whole, bevat_onderdeel=())
    xmlio.write_streamed(out, empty, "bevat_onderdeel", iter(refs(count)))
    assert out.getvalue() == xmlio.to_bytes(whole)


def test_only_an_empty_repeatable_verwijzing_can_be_streamed() -> None:
    full = full_informatieobject()
    with pytest.raises(ValueError, match="left empty"):
        xmlio.write_streamed(io.BytesIO(), full, "bevat_onderdeel", iter(()))
    with pytest.raises(ValueError, match="not a repeatable verwijzing"):
        xmlio.write_streamed(io.BytesIO(), full, "trefwoord", iter(()))


def test_a_file_checked_while_read_has_no_problems_when_valid(tmp_path: Path) -> None:
    path = tmp_path / "dossier.mdto.xml"
    path.write_bytes(
        xmlio.to_bytes(dataclasses.replace(full_informatieobject(), bevat_onderdeel=refs(3000)))
    )
    assert schema.validate_own_file(path) == []


def test_an_invalid_file_gets_every_problem_the_whole_check_finds(tmp_path: Path) -> None:
    data = xmlio.to_bytes(dataclasses.replace(full_informatieobject(), bevat_onderdeel=refs(3)))
    # two problems the XSD sees: an omvang-like bad value and an unknown element
    broken = data.replace(b"<naam>", b"<onbekend/><naam>", 1).replace(b"<taal>", b"<taal><x/>", 1)
    path = tmp_path / "dossier.mdto.xml"
    path.write_bytes(broken)
    found = schema.validate_own_file(path)
    assert found == schema.validate(broken) and len(found) == 1
    assert found[0].path == "/MDTO/informatieobject/onbekend"


def test_each_streamed_reference_is_checked_with_its_path() -> None:
    blank = Verwijzing("  ", Identificatie("S-1", "RecordsDesk"))
    [problem] = rules.check_reference(blank, "/MDTO/informatieobject/bevatOnderdeel[7]")
    assert problem.msgid == rules.EMPTY_TEXT
    assert problem.path == "/MDTO/informatieobject/bevatOnderdeel[7]/verwijzingNaam"
    assert rules.check_reference(refs(1)[0], "/x") == []
