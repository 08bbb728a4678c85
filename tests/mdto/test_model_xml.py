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
from recordsdesk.mdto.model import Bestand, Informatieobject
from recordsdesk.mdto.schema import SCHEMA_LOCATION, validate
from tests.mdto.samples import full_bestand, full_informatieobject

EXAMPLES = sorted((Path(__file__).parents[1] / "data" / "mdto" / "examples").glob("*.xml"))


def canonical(data: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True, resolve_entities=False)
    return bytes(etree.tostring(etree.fromstring(data, parser), method="c14n"))


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


def test_a_built_tree_is_checked_as_its_file_would_be() -> None:
    from recordsdesk.mdto.schema import validate_element

    good = xmlio.to_element(full_informatieobject())
    assert validate_element(good) == [] == validate(xmlio.serialise(good))
    bad = xmlio.to_element(dataclasses.replace(full_bestand(), checksum=()))
    from_tree = [(p.msgid, p.path) for p in validate_element(bad)]
    from_file = [(p.msgid, p.path) for p in validate(xmlio.serialise(bad))]
    assert from_tree == from_file and from_tree
