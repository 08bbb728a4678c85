"""The MDTO metadata an object keeps in the database, and the columns derived from it.

An ``informatieobject`` row has a ``mdto`` column (JSON text). It is NULL for an
object nobody has edited or imported: its metadata is then exactly what
:mod:`recordsdesk.mdto.mapping` makes of the flat columns. Once the metadata
editor saves it or an import creates it, the column holds the document below and
is the source of truth; the flat columns are *derived* from it by
:func:`derive_columns` in the same transaction, so search, access control and
the database's CHECK constraints keep working on them.

The stored document::

    {"v": 1, "tree": {<MDTO elements, as model.to_json writes them>},
     "inherits": ["waardering", ...]}

* ``tree`` holds every element of :class:`model.Informatieobject` except the
  ones the archive itself owns (:data:`SYSTEM_FIELDS`: the events, which live in
  the ``event`` table, and the hierarchy and representations, which follow from
  the rows). Those are filled in when the object is loaded or exported.
* ``inherits`` names the fields (:data:`recordsdesk.mdto.inherit.INHERITABLE`)
  that the object takes from its dossier instead of its own tree; see
  :mod:`recordsdesk.mdto.inherit`.

A ``bestand`` row's ``mdto`` column, when set (by an import), holds
``{"v": 1, "tree": {...}}`` for the :class:`model.Bestand` as received. The
technical facts (omvang, the store's checksum) still come from the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from recordsdesk.mdto import model

FORMAT_VERSION = 1

#: fields of model.Informatieobject that the archive fills, never the stored tree
SYSTEM_FIELDS = ("event", "is_onderdeel_van", "bevat_onderdeel", "heeft_representatie")


class StoredMetadataError(ValueError):
    """A stored document this version cannot read: a bug or a newer version, never user input."""


@dataclass(frozen=True)
class StoredMeta:
    """What :func:`loads` returns: the object's own tree and the fields it inherits."""

    meta: model.Informatieobject
    inherits: frozenset[str]


def dumps(meta: model.Informatieobject, inherits: Iterable[str] = ()) -> str:
    """The document to store for ``meta`` (system fields dropped), compact JSON."""
    tree = model.to_json(without_system_fields(meta))
    document = {"v": FORMAT_VERSION, "tree": tree, "inherits": sorted(set(inherits))}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> StoredMeta:
    """The inverse of :func:`dumps`; system fields come back empty."""
    document = _document(text)
    inherits = document.get("inherits", [])
    if not isinstance(inherits, list) or not all(isinstance(i, str) for i in inherits):
        raise StoredMetadataError("stored MDTO metadata: 'inherits' is not a list of names")
    meta = model.from_json(model.Informatieobject, document["tree"])
    return StoredMeta(meta, frozenset(inherits))


def dumps_bestand(meta: model.Bestand) -> str:
    document = {"v": FORMAT_VERSION, "tree": model.to_json(meta)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def loads_bestand(text: str) -> model.Bestand:
    bestand: model.Bestand = model.from_json(model.Bestand, _document(text)["tree"])
    return bestand


def _document(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoredMetadataError(f"stored MDTO metadata is not JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("tree"), dict):
        raise StoredMetadataError("stored MDTO metadata has no tree")
    if document.get("v") != FORMAT_VERSION:
        raise StoredMetadataError(f"stored MDTO metadata version {document.get('v')!r}")
    return document


def without_system_fields(meta: model.Informatieobject) -> model.Informatieobject:
    empty: dict[str, Any] = {name: () for name in SYSTEM_FIELDS}
    return dataclasses.replace(meta, **empty)


def derive_columns(meta: model.Informatieobject) -> dict[str, Any]:
    """The flat ``informatieobject`` columns that follow from ``meta``.

    Repeatable elements give their first value (the column is a summary for
    lists, search and access control; the tree keeps all of them). Only a
    dekkingInTijd of type Looptijd with full dates fills the dekking pair.
    """
    from recordsdesk.mdto import mapping  # mapping imports this module

    beperking = meta.beperking_gebruik[0].type.label if meta.beperking_gebruik else None
    looptijd = next((d for d in meta.dekking_in_tijd if d.type.label == mapping.LOOPTIJD), None)
    begin = _full_date(looptijd.begindatum) if looptijd else None
    eind = _full_date(looptijd.einddatum) if looptijd and looptijd.einddatum else None
    if begin is None or (eind is not None and eind < begin):
        begin = eind = None  # a partial or reversed range is in the tree, not the columns
    waardering = meta.waardering.code or meta.waardering.label
    return {
        "naam": meta.naam,  # as written: references to the object repeat it exactly
        "aggregatieniveau": meta.aggregatieniveau.label if meta.aggregatieniveau else None,
        "omschrijving": meta.omschrijving[0] if meta.omschrijving else None,
        "classificatie": next((b.label for b in meta.classificatie if not _is_type(b)), None),
        "documenttype": next((b.label for b in meta.classificatie if _is_type(b)), None),
        "informatiecategorie": meta.informatiecategorie.label if meta.informatiecategorie else None,
        "waardering": waardering,
        "bewaartermijn": meta.bewaartermijn.looptijd if meta.bewaartermijn else None,
        "archiefvormer": meta.archiefvormer[0].naam if meta.archiefvormer else "",
        "activiteit": meta.activiteit.naam if meta.activiteit else None,
        "beperking_gebruik": beperking,
        "dekking_begin": begin,
        "dekking_eind": eind,
    }


def _is_type(begrip: model.Begrip) -> bool:
    """A classificatie in the document types' list (the column ``documenttype``)."""
    from recordsdesk.mdto import mapping

    return begrip.begrippenlijst.naam == mapping.DOCUMENTTYPE_LIST


def _full_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
