"""MDTO XML to :mod:`recordsdesk.mdto.model` objects and back.

:func:`write` writes one object as one MDTO file: elements in XSD order (the
order of the model's declarations), the MDTO namespace as the default
namespace, and ``xsi:schemaLocation`` naming MDTO-XML 1.0.1, as the official
examples do. MDTO has one object per file, so each is small: it is built as an
lxml tree and serialised in one call (lxml's incremental writer measured
slower per element), and an export of 50,000 objects, written one after the
other, still holds one object at a time.

:func:`read` validates first (:func:`recordsdesk.mdto.schema.validate`: safe
parser, DOCTYPE refused, every problem at once) and only then maps a valid
document onto the model; it returns the problems instead when there are any.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.mdto.model import ROOTS, SCALARS, Bestand, Informatieobject, declared
from recordsdesk.mdto.schema import (
    NAMESPACE,
    SCHEMA_LOCATION,
    XSI_NAMESPACE,
    Problem,
    safe_parser,
    validate,
)

_M = f"{{{NAMESPACE}}}"


def write(obj: Informatieobject | Bestand, out: IO[bytes] | Path) -> None:
    """Write ``obj`` as one MDTO XML document (UTF-8, with an XML declaration)."""
    data = to_bytes(obj)
    if isinstance(out, Path):
        out.write_bytes(data)
    else:
        out.write(data)


def to_element(obj: Informatieobject | Bestand) -> Any:
    """``obj`` as an lxml ``<MDTO>`` element (one object: small, built in one go)."""
    root_name = "informatieobject" if isinstance(obj, Informatieobject) else "bestand"
    root = etree.Element(f"{_M}MDTO", nsmap={None: NAMESPACE, "xsi": XSI_NAMESPACE})
    root.set(f"{{{XSI_NAMESPACE}}}schemaLocation", f"{NAMESPACE} {SCHEMA_LOCATION}")
    _add_fields(etree.SubElement(root, f"{_M}{root_name}"), obj)
    return root


def to_bytes(obj: Informatieobject | Bestand) -> bytes:
    """The document :func:`write` writes."""
    return serialise(to_element(obj))


def serialise(root: Any) -> bytes:
    """An ``<MDTO>`` element as the bytes of its file (UTF-8, XML declaration)."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


def _add_fields(parent: Any, obj: Any) -> None:
    sub = etree.SubElement
    for f in declared(type(obj)):
        value = getattr(obj, f.name)
        if value is None or value == ():
            continue
        tag = f"{_M}{f.metadata['mdto']}"
        for item in value if f.metadata["many"] else (value,):
            child = sub(parent, tag)
            if dataclasses.is_dataclass(item):
                _add_fields(child, item)
            else:
                child.text = str(item)


def read(source: Path | bytes) -> Informatieobject | Bestand | list[Problem]:
    """The object in an MDTO document, or every problem that stops reading it."""
    problems = validate(source)
    if problems:
        return problems
    data = source if isinstance(source, bytes) else source.read_bytes()
    root = etree.fromstring(data, safe_parser())
    [child] = [c for c in root if isinstance(c.tag, str)]  # the XSD allows exactly one
    cls = ROOTS[etree.QName(child).localname]
    result: Informatieobject | Bestand = _read_fields(cls, child)
    return result


def _read_fields(cls: type[Any], node: Any) -> Any:
    children = [c for c in node if isinstance(c.tag, str)]
    values: dict[str, Any] = {}
    for f in declared(cls):
        tag = f"{_M}{f.metadata['mdto']}"
        found = [_read_one(f.metadata["kind"], c) for c in children if c.tag == tag]
        if f.metadata["many"]:
            values[f.name] = tuple(found)
        elif found:
            values[f.name] = found[0]
    return cls(**values)


def _read_one(kind: type, node: Any) -> Any:
    if kind in SCALARS:
        # MDTO text is taken as written (the XSD has no whiteSpace collapse on strings)
        return kind(node.text or "")
    return _read_fields(kind, node)
