"""DiWoo 0.9.8 metadata of a published Woo document, built and checked offline.

DiWoo (``https://standaarden.overheid.nl/diwoo/metadata/``) is the metadata the
national Woo index harvests. :func:`document_xml` writes one ``diwoo:Document``
with a ``diwoo:DiWoo`` element holding:

* ``identifiers``: the inventory ID (the published file's name) and the kenmerk;
* ``publisher``: the organisation (setting ``mdto.archiefvormer``) as its TOOI URI
  with its label, e.g. ``gemeente Rotterdam`` / ``.../tooi/id/gemeente/gm0599``;
* ``titelcollectie/officieleTitel``: the record's naam; ``omschrijvingen`` its
  omschrijving when it has one;
* ``classificatiecollectie/informatiecategorieen``: the record's Woo information
  category (TOOI URI and the schema's label);
* ``creatiedatum``: the document's date, when known;
* ``language``: Dutch; ``format``: the published file's format (EU file-type URI),
  when the value list has it;
* ``aggregatiekenmerk``: the dossier kenmerk;
* ``documenthandelingen``: one ``ontvangst`` (a document received) or
  ``vaststelling`` (one drawn up here) with ``atTime`` (the moment it was filed).

:func:`validate` checks bytes against the shipped XSD (``resources/woo/diwoo-0.9.8``).
The schema imports MDTO from the Nationaal Archief's URL; a resolver maps that URL
to our copy of the MDTO XSD and the parser has the network switched off.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.mdto import schema as mdto_schema
from recordsdesk.resources import resource_path

NAMESPACE = "https://standaarden.overheid.nl/diwoo/metadata/"
VERSION = "0.9.8"
MDTO_URL = "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
NLD = ("Nederlands", "http://publications.europa.eu/resource/authority/language/NLD")
_HANDELINGEN = {
    "ontvangst": "https://identifier.overheid.nl/tooi/def/thes/kern/c_dfcee535",
    "vaststelling": "https://identifier.overheid.nl/tooi/def/thes/kern/c_641ecd76",
    "ondertekening": "https://identifier.overheid.nl/tooi/def/thes/kern/c_e1ec050e",
}
_FILE_TYPES = {
    "application/pdf": "PDF",
    "text/plain": "TXT",
    "text/csv": "CSV",
    "text/html": "HTML",
    "application/rtf": "RTF",
    "text/rtf": "RTF",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.presentation": "ODP",
    "application/zip": "ZIP",
}
_FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"
_LOCK = threading.Lock()  # the cached schema's error log is shared (see mdto.schema)


@dataclass(frozen=True)
class DiWooDocument:
    """What the DiWoo file of one published document says (see the module docstring)."""

    identifiers: tuple[str, ...]
    publisher_uri: str
    publisher_label: str
    titel: str
    categorie_uri: str
    categorie_label: str
    handeling: str  # ontvangst, vaststelling or ondertekening
    handeling_at: dt.datetime
    mime: str
    creatiedatum: dt.date | None = None
    omschrijving: str | None = None
    aggregatiekenmerk: str | None = None


def file_type(mime: str) -> tuple[str, str] | None:
    """(label, URI) of a MIME type in the DiWoo format list, or None when it has none."""
    code = _FILE_TYPES.get(mime.split(";")[0].strip().lower())
    return (code, _FILE_TYPE_BASE + code) if code else None


def document_xml(doc: DiWooDocument) -> bytes:
    """The ``diwoo:Document`` of ``doc``, UTF-8 with an XML declaration."""
    if doc.handeling not in _HANDELINGEN:
        raise ValueError(f"unknown documenthandeling {doc.handeling}")
    root = etree.Element(_q("Document"), nsmap={"diwoo": NAMESPACE})
    diwoo = etree.SubElement(root, _q("DiWoo"))
    identifiers = etree.SubElement(diwoo, _q("identifiers"))
    for identifier in doc.identifiers:
        _text(identifiers, "identifier", identifier)
    _coded(diwoo, "publisher", doc.publisher_label, doc.publisher_uri)
    titels = etree.SubElement(diwoo, _q("titelcollectie"))
    _text(titels, "officieleTitel", doc.titel)
    if doc.omschrijving and doc.omschrijving.strip():
        _text(etree.SubElement(diwoo, _q("omschrijvingen")), "omschrijving", doc.omschrijving)
    classificatie = etree.SubElement(diwoo, _q("classificatiecollectie"))
    categorieen = etree.SubElement(classificatie, _q("informatiecategorieen"))
    _coded(categorieen, "informatiecategorie", doc.categorie_label, doc.categorie_uri)
    if doc.creatiedatum is not None:
        _text(diwoo, "creatiedatum", doc.creatiedatum.isoformat())
    _coded(diwoo, "language", *NLD)
    found = file_type(doc.mime)
    if found is not None:
        _coded(diwoo, "format", *found)
    if doc.aggregatiekenmerk:
        _text(diwoo, "aggregatiekenmerk", doc.aggregatiekenmerk)
    handelingen = etree.SubElement(diwoo, _q("documenthandelingen"))
    handeling = etree.SubElement(handelingen, _q("documenthandeling"))
    _coded(handeling, "soortHandeling", doc.handeling, _HANDELINGEN[doc.handeling])
    _text(handeling, "atTime", _date_time(doc.handeling_at))
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def validate(data: bytes) -> list[str]:
    """Every schema problem of ``data`` (English, from the validator); empty when valid."""
    try:
        tree = etree.fromstring(data, mdto_schema.safe_parser())
    except etree.XMLSyntaxError as error:
        return [str(error)]
    schema = load_schema()
    with _LOCK:
        if schema.validate(tree):
            return []
        return [f"line {e.line}: {e.message}" for e in schema.error_log]


class _LocalImports(etree.Resolver):  # type: ignore[misc]
    """Resolve the MDTO import to our copy; anything else is not resolved here."""

    def resolve(self, url: str, _public_id: str | None, context: Any) -> Any:
        if url == MDTO_URL:
            return self.resolve_filename(str(resource_path("mdto", mdto_schema.XSD_NAME)), context)
        return None


@lru_cache(maxsize=1)
def load_schema() -> etree.XMLSchema:
    """The DiWoo 0.9.8 XMLSchema from the shipped XSDs (loaded once, offline)."""
    parser = mdto_schema.safe_parser()
    parser.resolvers.add(_LocalImports())
    path = resource_path("woo", f"diwoo-{VERSION}", "diwoo-metadata.xsd")
    return etree.XMLSchema(etree.parse(str(path), parser))


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _text(parent: Any, name: str, value: str) -> None:
    etree.SubElement(parent, _q(name)).text = _clean(value)


def _coded(parent: Any, name: str, label: str, uri: str) -> None:
    element = etree.SubElement(parent, _q(name), resource=uri)
    element.text = _clean(label)


def _clean(value: str) -> str:
    """Text XML 1.0 can carry: control characters (bar tab and newlines) dropped."""
    return "".join(c for c in value if c >= " " or c in "\t\n\r")


def _date_time(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
