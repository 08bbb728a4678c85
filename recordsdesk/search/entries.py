"""The index entry of a dossier or record: what its searchable fields hold.

What one entry holds (fields of the query language):

* ``titel``: the object's naam.
* ``dossier``: kenmerk and naam of its dossier (of itself, for a dossier).
* ``categorie``: the name of its Woo information category (its own, else its
  dossier's), singular and plural. The document type is not stored on a
  record yet, so it is not here.
* ``afzender``: the sender of a mail: the ``From:`` line of the mail's
  extracted text, else the ``Van:`` line intake writes in the omschrijving.
* ``body``: the omschrijving, then the extracted text of each original bestand
  (``content_text``; a mail's text starts with its Subject/From/To/Cc lines).
  An original without text (a scan) is represented by the text of its OCR
  derivative, else its PDF/A or repaired copy. The body is capped at
  :data:`MAX_TEXT` characters, so one huge file cannot stall indexing; words
  beyond the cap are not findable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, func, select

from recordsdesk.db.models import Bestand, ContentText, Informatieobject, table_of
from recordsdesk.woo import informatiecategorieen

MAX_TEXT = 200_000  # characters of an entry's body
INDEXED_LEVELS = ("Dossier", "Archiefstuk")
_TEXT_ROLES = ("ocr", "pdfa", "repaired")  # which derivative stands in for a silent original

_IO = table_of(Informatieobject)
_BESTAND = table_of(Bestand)
_TEXT = table_of(ContentText)


@dataclass(frozen=True)
class Entry:
    """One object's index entry (the fields of the module docstring)."""

    object_id: str
    dossier_id: str | None
    titel: str
    dossier: str
    categorie: str
    afzender: str
    body: str


def build_entries(connection: Connection, ids: Sequence[str]) -> list[Entry]:
    """Index entries of the indexable objects among ``ids`` (others are left out)."""
    columns = (_IO.c.id, _IO.c.kenmerk, _IO.c.aggregatieniveau, _IO.c.parent_id, _IO.c.naam,
               _IO.c.omschrijving, _IO.c.woo_informatiecategorie)  # fmt: skip
    objects = connection.execute(select(*columns).where(_IO.c.id.in_(ids))).all()
    objects = [o for o in objects if o.aggregatieniveau in INDEXED_LEVELS]
    parent_ids = {o.parent_id for o in objects if o.aggregatieniveau != "Dossier" and o.parent_id}
    parents = {
        p.id: p for p in connection.execute(select(*columns).where(_IO.c.id.in_(parent_ids)))
    }
    files = connection.execute(
        select(
            _BESTAND.c.informatieobject_id,
            _BESTAND.c.id,
            _BESTAND.c.sha256,
            _BESTAND.c.role,
            _BESTAND.c.derived_from_id,
        )
        .where(_BESTAND.c.informatieobject_id.in_([o.id for o in objects]))
        .order_by(_BESTAND.c.created_at, _BESTAND.c.id)
    ).all()
    texts = _texts(connection, {f.sha256 for f in files})
    by_object: dict[str, list[Any]] = {}
    for f in files:
        by_object.setdefault(f.informatieobject_id, []).append(f)
    entries = []
    for o in objects:
        dossier = o if o.aggregatieniveau == "Dossier" else parents.get(o.parent_id)
        found = _file_texts(by_object.get(o.id, []), texts)
        body = "\n".join(t for t in (o.omschrijving, *(t for _m, t in found)) if t)[:MAX_TEXT]
        woo = o.woo_informatiecategorie or (dossier.woo_informatiecategorie if dossier else None)
        entries.append(
            Entry(
                object_id=o.id,
                dossier_id=dossier.id if dossier is not None else o.id,  # never NULL: a group
                titel=o.naam,
                dossier=f"{dossier.kenmerk} {dossier.naam}" if dossier is not None else "",
                categorie=_category_names().get(woo or "", ""),
                afzender=_sender(found, o.omschrijving),
                body=body,
            )
        )
    return entries


def _texts(connection: Connection, digests: Iterable[str]) -> dict[str, tuple[str, str]]:
    """sha256 -> (method, text cut at MAX_TEXT), for content with any text."""
    found: dict[str, tuple[str, str]] = {}
    wanted = sorted(digests)
    for start in range(0, len(wanted), 900):
        rows = connection.execute(
            select(_TEXT.c.sha256, _TEXT.c.method, func.substr(_TEXT.c.text, 1, MAX_TEXT)).where(
                _TEXT.c.sha256.in_(wanted[start : start + 900])
            )
        )
        for digest, method, body in rows:
            if body and body.strip():
                found[digest] = (method, body)
    return found


def _file_texts(files: Sequence[Any], texts: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(method, text) of each original, or of the derivative standing in for it."""
    derived: dict[str, list[Any]] = {}
    for f in files:
        if f.derived_from_id is not None:
            derived.setdefault(f.derived_from_id, []).append(f)
    out: list[tuple[str, str]] = []
    for f in files:
        if f.derived_from_id is not None:
            continue
        chosen = texts.get(f.sha256)
        copies = derived.get(f.id, [])
        for role in _TEXT_ROLES:
            if chosen is not None:
                break
            chosen = next(
                (texts[c.sha256] for c in copies if c.role == role and c.sha256 in texts), None
            )
        if chosen is not None:
            out.append(chosen)
    return out


def _sender(found: Sequence[tuple[str, str]], omschrijving: str | None) -> str:
    """The ``From:`` header line of a mail's text, else the ``Van:`` line intake wrote."""
    for method, body in found:
        if method == "mail":
            head = body.split("\n\n", 1)[0]
            for line in head.splitlines():
                if line.startswith("From: "):
                    return line[6:].strip()
    for line in (omschrijving or "").splitlines():
        if line.startswith("Van: ") and line[5:].strip() != "-":
            return line[5:].strip()
    return ""


@cache
def _category_names() -> dict[str, str]:
    """TOOI URI -> the category's names (singular and plural), as searched in categorie."""
    return {c.uri: f"{c.naam} {c.naam_meervoud}" for c in informatiecategorieen()}
