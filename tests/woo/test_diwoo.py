"""DiWoo 0.9.8 metadata: what we write validates against the shipped XSD, offline, and the
schema really checks (wrong value-list URIs, missing required elements, MDTO inside)."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.archive.woo import diwoo
from recordsdesk.mdto import schema as mdto_schema
from recordsdesk.resources import resource_path

SHARED = Path("/work/shared/standards/woo/diwoo-0.9.8")
EXAMPLE = Path(__file__).parents[1] / "data" / "mdto" / "examples"
ROTTERDAM = "https://identifier.overheid.nl/tooi/id/gemeente/gm0599"
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"


def document(**changes: object) -> diwoo.DiWooDocument:
    values: dict[str, object] = {
        "identifiers": ("S-ABCDEF-1",),
        "publisher_uri": ROTTERDAM,
        "publisher_label": "gemeente Rotterdam",
        "titel": "Advies welstand Blaak 12 \x07",
        "categorie_uri": WOO_VERZOEKEN,
        "categorie_label": "Woo-verzoek of -besluit",
        "handeling": "ontvangst",
        "handeling_at": dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC),
        "mime": "application/pdf",
        "creatiedatum": dt.date(2026, 10, 30),
        "omschrijving": "Advies & <toelichting>",
        "aggregatiekenmerk": "D-ABCDEF-2",
    }
    values.update(changes)
    return diwoo.DiWooDocument(**values)  # type: ignore[arg-type]


def test_full_document_validates_and_says_what_we_meant() -> None:
    data = diwoo.document_xml(document())
    assert diwoo.validate(data) == []
    root = etree.fromstring(data)
    ns = {"d": diwoo.NAMESPACE}
    assert root.findtext("d:DiWoo/d:titelcollectie/d:officieleTitel", namespaces=ns) == (
        "Advies welstand Blaak 12 "
    )  # the control character is dropped: XML 1.0 cannot carry it
    category = root.find("d:DiWoo/d:classificatiecollectie//d:informatiecategorie", ns)
    assert category.get("resource") == WOO_VERZOEKEN
    assert root.find("d:DiWoo/d:publisher", ns).get("resource") == ROTTERDAM
    assert root.findtext("d:DiWoo//d:atTime", namespaces=ns) == "2026-11-02T09:30:00Z"
    assert root.find("d:DiWoo/d:format", ns).get("resource").endswith("/file-type/PDF")
    assert root.findtext("d:DiWoo/d:omschrijvingen/d:omschrijving", namespaces=ns) == (
        "Advies & <toelichting>"
    )


def test_minimal_document_validates() -> None:
    data = diwoo.document_xml(
        document(creatiedatum=None, omschrijving=None, aggregatiekenmerk=None, mime="x/unknown",
                 handeling="vaststelling")
    )  # fmt: skip
    assert diwoo.validate(data) == []
    assert b"diwoo:format" not in data and b"diwoo:creatiedatum" not in data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"publisher_uri": "https://identifier.overheid.nl/tooi/id/gemeente/gm9999"}, "publisher"),
        ({"categorie_uri": "https://identifier.overheid.nl/tooi/def/thes/kern/c_0"}, "resource"),
    ],
)
def test_values_outside_the_lists_are_invalid(change: dict[str, str], expected: str) -> None:
    problems = diwoo.validate(diwoo.document_xml(document(**change)))
    assert problems and expected in " ".join(problems)


def test_missing_required_element_is_invalid() -> None:
    data = diwoo.document_xml(document())
    root = etree.fromstring(data)
    ns = {"d": diwoo.NAMESPACE}
    handelingen = root.find("d:DiWoo/d:documenthandelingen", ns)
    handelingen.getparent().remove(handelingen)
    problems = diwoo.validate(etree.tostring(root))
    assert problems and "documenthandelingen" in " ".join(problems)
    assert diwoo.validate(b"<not xml") != []


def test_mdto_import_resolves_to_our_copy_offline() -> None:
    """A diwoo:Document may carry mdto:MDTO instead of DiWoo: the imported MDTO schema is
    really there (resolved from resources/mdto, never fetched)."""
    mdto = etree.parse(
        str(EXAMPLE / "MDTO-XML 1.0.1 Voorbeeld Archiefstuk Informatieobject.xml"),
        mdto_schema.safe_parser(),
    ).getroot()
    root = etree.Element(f"{{{diwoo.NAMESPACE}}}Document", nsmap={"diwoo": diwoo.NAMESPACE})
    root.append(mdto)
    assert diwoo.validate(etree.tostring(root)) == []
    broken = etree.fromstring(etree.tostring(root))
    first = broken[0][0]  # mdto:informatieobject
    first.remove(first[0])  # its identificatie: required by MDTO
    assert diwoo.validate(etree.tostring(broken)) != []


def test_shipped_schema_is_a_byte_copy_of_the_shared_standard() -> None:
    for name, blob in (
        ("diwoo-metadata.xsd", "1840a8f9561c46921e05cd76a5a22e32e8799410"),
        ("diwoo-metadata-lijsten.xsd", "88d96c25eedc7fdb0e8b3e0773b033addfa773c1"),
    ):
        data = resource_path("woo", "diwoo-0.9.8", name).read_bytes()
        header = f"blob {len(data)}\0".encode()
        assert hashlib.sha1(header + data).hexdigest() == blob
        if SHARED.is_dir():
            assert data == (SHARED / name).read_bytes()


def test_validation_needs_no_network(tmp_path: Path) -> None:
    """Load the schema in a process whose network access is cut (unshare -n when we may;
    else the parser's no_network flag, which the loader sets, is what keeps it offline)."""
    script = (
        "from recordsdesk.archive.woo import diwoo; import datetime as dt;"
        "print(diwoo.load_schema() is not None)"
    )
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    prefix = ["unshare", "-n"] if probe.returncode == 0 else []
    import sys

    done = subprocess.run([*prefix, sys.executable, "-c", script], capture_output=True,
                          check=False, timeout=120, cwd=Path(__file__).parents[2])  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.strip() == b"True"
