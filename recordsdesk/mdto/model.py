"""The MDTO 1.0.1 metadata of an informatieobject or a bestand, as plain data.

Each class mirrors one XSD type; its fields are the type's elements **in XSD
order** (MDTO enforces order with ``xs:sequence``), each declared with
:func:`element`: the element name, the Python type of one value, and whether it
repeats. :mod:`recordsdesk.mdto.xmlio` reads and writes XML by walking these
declarations, and :func:`to_json` / :func:`from_json` store the same tree in
the database, so XML, JSON and the classes cannot drift apart.

Values are kept as MDTO writes them: dates stay strings, because MDTO allows
``2024``, ``2024-05`` and ``2024-05-17`` in the same element and the
granularity is part of the meaning. Values from open value lists are kept as
they are, also when the list is unknown to us (an importer must keep them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Python types that are written as element text
SCALARS = (str, int)


def element(name: str, kind: type, *, many: bool = False, required: bool = False) -> Any:
    """Declare a field as the MDTO element ``name`` holding values of ``kind``.

    ``many`` fields hold a tuple (default empty); other optional fields default to
    None. ``required`` marks minOccurs ≥ 1 in the XSD (informative: the XSD and
    :mod:`recordsdesk.mdto.rules` check it).
    """
    metadata = {"mdto": name, "kind": kind, "many": many, "required": required}
    if many:
        return field(default=(), metadata=metadata)
    return field(default=None, metadata=metadata)


@dataclass(frozen=True, slots=True)
class Identificatie:
    kenmerk: str = element("identificatieKenmerk", str, required=True)
    bron: str = element("identificatieBron", str, required=True)


@dataclass(frozen=True, slots=True)
class Verwijzing:
    naam: str = element("verwijzingNaam", str, required=True)
    identificatie: Identificatie | None = element("verwijzingIdentificatie", Identificatie)


@dataclass(frozen=True, slots=True)
class Begrip:
    label: str = element("begripLabel", str, required=True)
    code: str | None = element("begripCode", str)
    begrippenlijst: Verwijzing = element("begripBegrippenlijst", Verwijzing, required=True)


@dataclass(frozen=True, slots=True)
class Termijn:
    trigger_start_looptijd: Begrip | None = element("termijnTriggerStartLooptijd", Begrip)
    startdatum_looptijd: str | None = element("termijnStartdatumLooptijd", str)
    looptijd: str | None = element("termijnLooptijd", str)  # xs:duration, e.g. P10Y
    einddatum: str | None = element("termijnEinddatum", str)


@dataclass(frozen=True, slots=True)
class Raadpleeglocatie:
    fysiek: tuple[Verwijzing, ...] = element("raadpleeglocatieFysiek", Verwijzing, many=True)
    online: tuple[str, ...] = element("raadpleeglocatieOnline", str, many=True)


@dataclass(frozen=True, slots=True)
class DekkingInTijd:
    type: Begrip = element("dekkingInTijdType", Begrip, required=True)
    begindatum: str = element("dekkingInTijdBegindatum", str, required=True)
    einddatum: str | None = element("dekkingInTijdEinddatum", str)


@dataclass(frozen=True, slots=True)
class Event:
    type: Begrip = element("eventType", Begrip, required=True)
    tijd: str | None = element("eventTijd", str)
    # the XSD's spelling; the metagegevensschema text has "eventVerantwoordelijkActor"
    verantwoordelijke_actor: Verwijzing | None = element("eventVerantwoordelijkeActor", Verwijzing)
    resultaat: str | None = element("eventResultaat", str)


@dataclass(frozen=True, slots=True)
class GerelateerdInformatieobject:
    verwijzing: Verwijzing = element(
        "gerelateerdInformatieobjectVerwijzing", Verwijzing, required=True
    )
    type_relatie: Begrip = element("gerelateerdInformatieobjectTypeRelatie", Begrip, required=True)


@dataclass(frozen=True, slots=True)
class Betrokkene:
    type_relatie: Begrip = element("betrokkeneTypeRelatie", Begrip, required=True)
    actor: Verwijzing = element("betrokkeneActor", Verwijzing, required=True)


@dataclass(frozen=True, slots=True)
class BeperkingGebruik:
    type: Begrip = element("beperkingGebruikType", Begrip, required=True)
    nadere_beschrijving: str | None = element("beperkingGebruikNadereBeschrijving", str)
    documentatie: tuple[Verwijzing, ...] = element(
        "beperkingGebruikDocumentatie", Verwijzing, many=True
    )
    termijn: Termijn | None = element("beperkingGebruikTermijn", Termijn)


@dataclass(frozen=True, slots=True)
class Checksum:
    algoritme: Begrip = element("checksumAlgoritme", Begrip, required=True)
    waarde: str = element("checksumWaarde", str, required=True)
    datum: str = element("checksumDatum", str, required=True)  # xs:dateTime


@dataclass(frozen=True, slots=True)
class Informatieobject:
    """``informatieobject``: the 23 elements of XSD 1.0.1, in order."""

    identificatie: tuple[Identificatie, ...] = element(
        "identificatie", Identificatie, many=True, required=True
    )
    naam: str = element("naam", str, required=True)
    aggregatieniveau: Begrip | None = element("aggregatieniveau", Begrip)
    classificatie: tuple[Begrip, ...] = element("classificatie", Begrip, many=True)
    trefwoord: tuple[str, ...] = element("trefwoord", str, many=True)
    omschrijving: tuple[str, ...] = element("omschrijving", str, many=True)
    raadpleeglocatie: tuple[Raadpleeglocatie, ...] = element(
        "raadpleeglocatie", Raadpleeglocatie, many=True
    )
    dekking_in_tijd: tuple[DekkingInTijd, ...] = element("dekkingInTijd", DekkingInTijd, many=True)
    dekking_in_ruimte: tuple[Verwijzing, ...] = element("dekkingInRuimte", Verwijzing, many=True)
    taal: tuple[str, ...] = element("taal", str, many=True)
    event: tuple[Event, ...] = element("event", Event, many=True)
    waardering: Begrip = element("waardering", Begrip, required=True)
    bewaartermijn: Termijn | None = element("bewaartermijn", Termijn)
    informatiecategorie: Begrip | None = element("informatiecategorie", Begrip)
    is_onderdeel_van: tuple[Verwijzing, ...] = element("isOnderdeelVan", Verwijzing, many=True)
    bevat_onderdeel: tuple[Verwijzing, ...] = element("bevatOnderdeel", Verwijzing, many=True)
    heeft_representatie: tuple[Verwijzing, ...] = element(
        "heeftRepresentatie", Verwijzing, many=True
    )
    aanvullende_metagegevens: tuple[Verwijzing, ...] = element(
        "aanvullendeMetagegevens", Verwijzing, many=True
    )
    gerelateerd_informatieobject: tuple[GerelateerdInformatieobject, ...] = element(
        "gerelateerdInformatieobject", GerelateerdInformatieobject, many=True
    )
    archiefvormer: tuple[Verwijzing, ...] = element(
        "archiefvormer", Verwijzing, many=True, required=True
    )
    betrokkene: tuple[Betrokkene, ...] = element("betrokkene", Betrokkene, many=True)
    activiteit: Verwijzing | None = element("activiteit", Verwijzing)
    beperking_gebruik: tuple[BeperkingGebruik, ...] = element(
        "beperkingGebruik", BeperkingGebruik, many=True, required=True
    )


@dataclass(frozen=True, slots=True)
class Bestand:
    """``bestand``: the 7 elements of XSD 1.0.1, in order."""

    identificatie: tuple[Identificatie, ...] = element(
        "identificatie", Identificatie, many=True, required=True
    )
    naam: str = element("naam", str, required=True)
    omvang: int = element("omvang", int, required=True)
    bestandsformaat: Begrip = element("bestandsformaat", Begrip, required=True)
    checksum: tuple[Checksum, ...] = element("checksum", Checksum, many=True, required=True)
    url_bestand: str | None = element("URLBestand", str)
    is_representatie_van: Verwijzing = element("isRepresentatieVan", Verwijzing, required=True)


MdtoObject = Informatieobject | Bestand
ROOTS: dict[str, type[Informatieobject] | type[Bestand]] = {
    "informatieobject": Informatieobject,
    "bestand": Bestand,
}


_DECLARED: dict[type, tuple[dataclasses.Field[Any], ...]] = {}


def declared(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """The element fields of an MDTO class, in XSD order (computed once per class:
    every read, write and check walks them)."""
    found = _DECLARED.get(cls)
    if found is None:
        found = tuple(f for f in dataclasses.fields(cls) if "mdto" in f.metadata)
        _DECLARED[cls] = found
    return found


def to_json(value: Any) -> Any:
    """A JSON-ready tree (dicts keyed by element name, lists for repeats, no Nones)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        tree: dict[str, Any] = {}
        for f in declared(type(value)):
            item = getattr(value, f.name)
            if item is None or item == ():
                continue
            name = f.metadata["mdto"]
            tree[name] = [to_json(v) for v in item] if f.metadata["many"] else to_json(item)
        return tree
    return value


def from_json(cls: type[Any], tree: Mapping[str, Any]) -> Any:
    """The inverse of :func:`to_json` for class ``cls``; unknown keys are an error
    (a tree that does not fit the class is a bug, not data to guess at)."""
    fields = {f.metadata["mdto"]: f for f in declared(cls)}
    unknown = set(tree) - set(fields)
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown elements {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in tree:
            continue
        kind = f.metadata["kind"]
        raw = tree[name]
        if f.metadata["many"]:
            values[f.name] = tuple(_value_from_json(kind, item) for item in raw)
        else:
            values[f.name] = _value_from_json(kind, raw)
    return cls(**values)


def _value_from_json(kind: type, raw: Any) -> Any:
    if kind in SCALARS:
        return kind(raw)
    return from_json(kind, raw)
