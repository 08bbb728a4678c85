"""MDTO XML to :mod:`recordsdesk.mdto.model` objects and back.

:func:`write` streams one object as one MDTO file with lxml's incremental
writer: elements in XSD order (the order of the model's declarations), the
MDTO namespace as the default namespace, and ``xsi:schemaLocation`` naming
MDTO-XML 1.0.1, as the official examples do. Nothing but the object is held
in memory, so exporting 50,000 objects stays flat.

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
    root_name = "informatieobject" if isinstance(obj, Informatieobject) else "bestand"
    target = str(out) if isinstance(out, Path) else out
    with etree.xmlfile(target, encoding="UTF-8") as xf:
        xf.write_declaration()
        attributes = {f"{{{XSI_NAMESPACE}}}schemaLocation": f"{NAMESPACE} {SCHEMA_LOCATION}"}
        nsmap = {None: NAMESPACE, "xsi": XSI_NAMESPACE}
        with xf.element(f"{_M}MDTO", attributes, nsmap=nsmap), xf.element(f"{_M}{root_name}"):
            _write_fields(xf, obj)


def to_bytes(obj: Informatieobject | Bestand) -> bytes:
    """:func:`write` into memory (tests, small objects)."""
    import io

    buffer = io.BytesIO()
    write(obj, buffer)
    return buffer.getvalue()


def _write_fields(xf: Any, obj: Any) -> None:
    for f in declared(type(obj)):
        value = getattr(obj, f.name)
        if value is None or value == ():
            continue
        for item in value if f.metadata["many"] else (value,):
            _write_one(xf, f.metadata["mdto"], item)


def _write_one(xf: Any, name: str, value: Any) -> None:
    if dataclasses.is_dataclass(value):
        with xf.element(f"{_M}{name}"):
            _write_fields(xf, value)
        return
    with xf.element(f"{_M}{name}"):
        xf.write(str(value))


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
