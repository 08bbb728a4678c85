"""From stored rows to MDTO objects: what an export writes for a dossier, record or file.

An object's metadata is its stored MDTO document (``mdto`` column, see
:mod:`recordsdesk.mdto.stored`) once it has been edited or imported, and
otherwise what its flat columns describe; events come from the ``event`` rows,
the hierarchy and the files from the rows themselves. Coded values
are written as the lists say (label, code, list name; :mod:`recordsdesk.mdto.begrippen`),
and values inherited from the dossier are materialised on every level: MDTO has
no inheritance at exchange time.

Contract: pure functions over already-loaded rows; no session, no I/O.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Sequence

from recordsdesk.db.models import Bestand, Event, Informatieobject
from recordsdesk.mdto import begrippen, inherit, model, rules, stored, tooi
from recordsdesk.mdto.model import Begrip, Identificatie, Termijn, Verwijzing

OWN_SOURCE = "RecordsDesk"
PRONOM_LIST = "PRONOM-register"
MEDIA_TYPE_LIST = "IANA Media Types"
LOOPTIJD = "Looptijd"
LOOPTIJD_LIST = "Begrippenlijst DekkingInTijd RecordsDesk"
CLASSIFICATIE_LIST = "Classificatieschema RecordsDesk"
DOCUMENTTYPE_LIST = "Documenttypen RecordsDesk"  # the kind of document (column documenttype)
INFORMATIECATEGORIE_LIST = "Selectielijst gemeenten en intergemeentelijke organen 2020"


def reference(row: Informatieobject) -> Verwijzing:
    """An informatieobject as a verwijzing: its name and its kenmerk."""
    return Verwijzing(row.naam, Identificatie(row.kenmerk, row.identificatie_bron))


def bestand_reference(row: Bestand) -> Verwijzing:
    """A bestand as a verwijzing: the name and first identificatie its own metadata
    carries (:func:`bestand`), so that heeftRepresentatie and the bestand agree."""
    if row.mdto is not None:
        received = stored.loads_bestand(row.mdto)
        return Verwijzing(received.naam, received.identificatie[0])
    return Verwijzing(row.original_name, Identificatie(row.id, OWN_SOURCE))


def local_time(moment: dt.datetime) -> str:
    """An ``xs:dateTime`` in local time without fractions, as the NA examples write it."""
    return moment.astimezone().replace(tzinfo=None, microsecond=0).isoformat()


@functools.lru_cache(maxsize=512)
def concept(list_key: str, label: str) -> Begrip:
    """``label`` from the list ``list_key``, with its code; an own value keeps the list's name
    (open lists accept own values). Cached: an export asks for the same few values once per
    object, and sharing one frozen instance lets later checks skip what they have seen."""
    lijst = begrippen.get(list_key)
    found = lijst.by_label(label) or lijst.by_code(label) or lijst.by_label_ignoring_case(label)
    if found is not None:
        return found.to_begrip()
    return Begrip(label, None, Verwijzing(lijst.name))


@functools.lru_cache(maxsize=64)
def archiefvormer(name: str) -> Verwijzing:
    """The archiefvormer by name; a Dutch municipality is identified by its TOOI code.
    Cached: an export asks for the same name once per object."""
    wanted = begrippen.fold(name.strip())
    for gemeente in tooi.municipalities():
        if gemeente.current and begrippen.fold(gemeente.label) == wanted:
            return gemeente.archiefvormer()
    return Verwijzing(name)


def own_metadata(row: Informatieobject, parent: Informatieobject | None) -> stored.StoredMeta:
    """The object's own metadata and the fields it inherits.

    The stored document when there is one (:mod:`recordsdesk.mdto.stored`);
    otherwise the metadata its flat columns describe, inheriting each
    inheritable field whose column is empty or equal to the parent's (filing
    copies the dossier's values; a value set on the record itself, such as a
    drop folder's Woo category, stays its own). System fields are empty.
    """
    if row.mdto is not None:
        return stored.loads(row.mdto)
    own = _from_columns(row)
    if parent is None:
        return stored.StoredMeta(own, frozenset())
    parent_own = _parent_effective(parent)
    inherits = frozenset(
        name
        for name in inherit.INHERITABLE
        if getattr(own, name) in (None, ()) or getattr(own, name) == getattr(parent_own, name)
    )
    return stored.StoredMeta(own, inherits)


def effective_metadata(
    row: Informatieobject, parent: Informatieobject | None
) -> model.Informatieobject:
    """``row``'s metadata with inherited values filled in from ``parent`` (whose own
    parent is not consulted: dossiers are the top level today). System fields empty."""
    own = own_metadata(row, parent)
    parent_meta = _parent_effective(parent) if parent is not None else None
    return inherit.effective(own.meta, own.inherits, parent_meta)


_parent_cache: dict[tuple[str, int], model.Informatieobject] = {}


def _parent_effective(parent: Informatieobject) -> model.Informatieobject:
    # an export maps thousands of records of one dossier: its metadata once per version
    key = (parent.id, parent.version)
    found = _parent_cache.get(key)
    if found is None:
        _parent_cache.clear()
        found = _parent_cache[key] = own_metadata(parent, None).meta
    return found


def informatieobject(
    row: Informatieobject,
    *,
    parent: Informatieobject | None,
    children: Sequence[Verwijzing],
    bestanden: Sequence[Bestand],
    events: Sequence[Event],
) -> model.Informatieobject:
    """The MDTO informatieobject of a stored dossier or record, values materialised;
    ``children`` are the references for its bevatOnderdeel (see :func:`reference`)."""
    own = own_metadata(row, parent)
    values: dict[str, object] = {}
    if parent is not None and own.inherits:
        parent_meta = _parent_effective(parent)
        values = {name: getattr(parent_meta, name) for name in own.inherits}
    # one replace for the inherited and the archive's own fields (an export makes
    # thousands of these; see inherit.effective for the rule itself)
    return dataclasses.replace(
        own.meta,
        **values,  # type: ignore[arg-type]
        event=tuple(_event(e) for e in events),
        is_onderdeel_van=(reference(parent),) if parent is not None else (),
        bevat_onderdeel=tuple(children),
        heeft_representatie=tuple(bestand_reference(b) for b in bestanden),
    )


def _from_columns(row: Informatieobject) -> model.Informatieobject:
    """The metadata an object's flat columns describe (an object never edited)."""
    waardering = concept("waardering", row.waardering)
    bewaartermijn = (
        Termijn(looptijd=row.bewaartermijn) if row.bewaartermijn and row.waardering == "V" else None
    )
    dekking: tuple[model.DekkingInTijd, ...] = ()
    if row.dekking_begin is not None:
        dekking = (
            model.DekkingInTijd(
                Begrip(LOOPTIJD, None, Verwijzing(LOOPTIJD_LIST)),
                row.dekking_begin.isoformat(),
                row.dekking_eind.isoformat() if row.dekking_eind else None,
            ),
        )
    return model.Informatieobject(
        identificatie=(Identificatie(row.kenmerk, row.identificatie_bron),),
        naam=row.naam,
        aggregatieniveau=concept("aggregatieniveau", row.aggregatieniveau),
        classificatie=tuple(
            Begrip(label, None, Verwijzing(scheme))
            for label, scheme in (
                (row.classificatie, CLASSIFICATIE_LIST),
                (row.documenttype, DOCUMENTTYPE_LIST),
            )
            if label
        ),
        omschrijving=(row.omschrijving,) if row.omschrijving else (),
        dekking_in_tijd=dekking,
        waardering=waardering,
        bewaartermijn=bewaartermijn,
        informatiecategorie=(
            Begrip(row.informatiecategorie, None, Verwijzing(INFORMATIECATEGORIE_LIST))
            if row.informatiecategorie
            else None
        ),
        archiefvormer=(archiefvormer(row.archiefvormer),),
        activiteit=Verwijzing(row.activiteit) if row.activiteit else None,
        beperking_gebruik=(
            model.BeperkingGebruik(concept("beperking-gebruik", row.beperking_gebruik)),
        ),
    )


def _event(row: Event) -> model.Event:
    if row.mdto is not None:  # received as it is (an import): written back verbatim
        event: model.Event = model.from_json(model.Event, json.loads(row.mdto))
        return event
    actor = Verwijzing(row.verantwoordelijke_actor) if row.verantwoordelijke_actor else None
    return model.Event(
        concept("event", row.event_type), local_time(row.event_tijd), actor, row.resultaat
    )


def bestand(row: Bestand, owner: Informatieobject) -> model.Bestand:
    """The MDTO bestand of a stored file; technical values come from the store's facts.

    A file received by an import keeps its metadata as received (its identificatie,
    name, format and checksums, verified when it was imported); its omvang still
    comes from the store."""
    if row.mdto is not None:
        received = stored.loads_bestand(row.mdto)
        return dataclasses.replace(received, omvang=row.size, is_representatie_van=reference(owner))
    if row.puid:
        label = rules.pronom_name(row.puid) or row.mime or row.puid
        formaat = Begrip(label, row.puid, Verwijzing(PRONOM_LIST))
    else:
        formaat = Begrip(row.mime, None, Verwijzing(MEDIA_TYPE_LIST))
    checksum = model.Checksum(
        concept("checksum-algoritme", "SHA-256"), row.sha256, local_time(row.created_at)
    )
    return model.Bestand(
        identificatie=(Identificatie(row.id, OWN_SOURCE),),
        naam=row.original_name,
        omvang=row.size,
        bestandsformaat=formaat,
        checksum=(checksum,),
        is_representatie_van=reference(owner),
    )
