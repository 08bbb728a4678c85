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
import sys
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.mdto.model import (
    ROOTS,
    SCALARS,
    Begrip,
    BeperkingGebruik,
    Bestand,
    DekkingInTijd,
    Informatieobject,
    Termijn,
    Verwijzing,
    declared,
)
from recordsdesk.mdto.schema import (
    NAMESPACE,
    SCHEMA_LOCATION,
    XSI_NAMESPACE,
    Problem,
    safe_parser,
    validate,
)

_M = f"{{{NAMESPACE}}}"
_NSMAP = {None: NAMESPACE, "xsi": XSI_NAMESPACE}


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
    root = etree.Element(f"{_M}MDTO", nsmap=_NSMAP)
    root.set(f"{{{XSI_NAMESPACE}}}schemaLocation", f"{NAMESPACE} {SCHEMA_LOCATION}")
    _add_fields(etree.SubElement(root, f"{_M}{root_name}"), obj, _subtrees())
    return root


def write_streamed(out: IO[bytes], obj: Informatieobject, field: str, items: Iterable[Any]) -> None:
    """Write ``obj`` as :func:`write` does, except that the repeatable element ``field``
    (an attribute name, e.g. ``"bevat_onderdeel"``) takes its values from ``items``,
    which are written as they come.

    For the one document whose size grows with the dossier: a dossier's
    bevatOnderdeel names every record, and writing it this way needs memory for
    one reference at a time. The bytes equal :func:`to_bytes` of ``obj`` with
    ``field`` filled: the document is serialised once with a single marker value
    in ``field``, and the marker's bytes are replaced by each item's, serialised
    on its own (lxml then declares the namespaces on the item's element again;
    those declarations, already in scope, are dropped).
    """
    [spec] = [f for f in declared(Informatieobject) if f.name == field]
    if spec.metadata["kind"] is not Verwijzing or not spec.metadata["many"]:
        raise ValueError(f"{field} is not a repeatable verwijzing")
    if getattr(obj, field) != ():
        raise ValueError(f"{field} must be left empty in obj")
    tag = f"{_M}{spec.metadata['mdto']}"
    marker = Verwijzing(f"marker-{uuid.uuid4().hex}")
    filled: dict[str, Any] = {field: (marker,)}
    whole = to_bytes(dataclasses.replace(obj, **filled))
    marked = _item_bytes(tag, marker)
    head, found, tail = whole.partition(marked)
    if not found or marked in tail:
        raise AssertionError("the marker's element was not found once in the document")
    out.write(head)
    for item in items:
        out.write(_item_bytes(tag, item))
    out.write(tail)


_DECLARED_AGAIN = f' xmlns="{NAMESPACE}" xmlns:xsi="{XSI_NAMESPACE}"'.encode()


def _item_bytes(tag: str, item: Any) -> bytes:
    """One element ``tag`` for ``item``, as the bytes it has inside an MDTO document."""
    holder = etree.Element(f"{_M}MDTO", nsmap=_NSMAP)
    element = etree.SubElement(holder, tag)
    _add_fields(element, item, _subtrees())
    data: bytes = etree.tostring(element, encoding="UTF-8")
    start = data.index(b">")
    if data[:start].endswith(_DECLARED_AGAIN):
        data = data[: start - len(_DECLARED_AGAIN)] + data[start:]
    else:  # lxml wrote the declarations differently: nothing to drop (checked by tests)
        raise AssertionError(f"unexpected namespace declarations in {data[:start]!r}")
    return data


def to_bytes(obj: Informatieobject | Bestand) -> bytes:
    """The document :func:`write` writes."""
    return serialise(to_element(obj))


def serialise(root: Any) -> bytes:
    """An ``<MDTO>`` element as the bytes of its file (UTF-8, XML declaration)."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data


# Per class: (attribute, element tag, repeats, holds text) for each declared element.
_Plan = tuple[tuple[str, str, bool, bool], ...]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    found = _PLANS.get(cls)
    if found is None:
        found = tuple(
            (f.name, f"{_M}{f.metadata['mdto']}", f.metadata["many"], f.metadata["kind"] in SCALARS)
            for f in declared(cls)
        )
        _PLANS[cls] = found
    return found


# Begrippen and verwijzingen repeat from object to object (the waardering, the
# lists, the archiefvormer, the dossier every record is part of), and so do
# restrictions, terms and (per day) dekking: each is built
# once as a template and copied, which libxml2 does in C for about a third of
# the cost of building it again element by element (an export of 10,000
# objects: about 0.3 s less). The copy serialises to the same bytes. Keyed by
# tag and value (frozen dataclasses: equal values, equal elements); bounded, so
# the memory an export needs does not grow with its size; per thread, because
# lxml trees are not to be shared between threads.
_SUBTREE_TYPES = (Begrip, Verwijzing, BeperkingGebruik, DekkingInTijd, Termijn)
_SUBTREES_MAX = 256
# References to one other object each, which hardly repeat (a dossier's
# bevatOnderdeel names each of its records once): templates of them would only
# cost memory and push out the ones that repeat.
_ONE_OFF_TAGS = frozenset(
    f"{_M}{name}" for name in ("bevatOnderdeel", "heeftRepresentatie", "isRepresentatieVan")
)
_local = threading.local()


def _subtrees() -> dict[tuple[str, object], Any]:
    found: dict[tuple[str, object], Any] | None = getattr(_local, "subtrees", None)
    if found is None:
        found = _local.subtrees = {}
    return found


def _add_fields(parent: Any, obj: Any, subtrees: dict[tuple[str, object], Any]) -> None:
    sub = etree.SubElement
    for attr, tag, many, text in _plan(type(obj)):
        value = getattr(obj, attr)
        if value is None or value == ():
            continue
        for item in value if many else (value,):
            kind = type(item)
            if text and (kind is str or kind is int):
                sub(parent, tag).text = str(item)
            elif kind in _SUBTREE_TYPES and tag not in _ONE_OFF_TAGS:
                parent.append(_template(tag, item, subtrees)())
            elif dataclasses.is_dataclass(item):
                _add_fields(sub(parent, tag), item, subtrees)
            else:
                sub(parent, tag).text = str(item)


def _template(tag: str, item: Any, subtrees: dict[tuple[str, object], Any]) -> Any:
    """A function that returns a new copy of the element ``tag`` for ``item``, which is
    built once (see ``_SUBTREE_TYPES``)."""
    key = (tag, item)
    found = subtrees.get(key)
    if found is None:
        # under an <MDTO> of its own, so it uses the same namespace declarations
        # as the document it is copied into (the copy then declares none)
        holder = etree.Element(f"{_M}MDTO", nsmap=_NSMAP)
        element = etree.SubElement(holder, tag)
        _add_fields(element, item, subtrees)
        if len(subtrees) >= _SUBTREES_MAX:
            subtrees.clear()
        # lxml's __copy__ copies the element with its whole subtree (in C)
        found = subtrees[key] = element.__copy__
    return found


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
    if kind is str:
        # MDTO text is taken as written (the XSD has no whiteSpace collapse on strings).
        # Short texts repeat from object to object (labels, list names, sources): one
        # copy each keeps an import of a large package smaller.
        text: str = node.text or ""
        return sys.intern(text) if len(text) <= _INTERNED else text
    if kind in SCALARS:
        return kind(node.text or "")
    value = _read_fields(kind, node)
    if kind in _SHARED_TYPES:  # equal values read once: the same instance
        return _shared.setdefault(value, value) if len(_shared) < _SHARED_MAX else value
    return value


_INTERNED = 80
_SHARED_TYPES = (Begrip,)
_SHARED_MAX = 4096
_shared: dict[Any, Any] = {}
