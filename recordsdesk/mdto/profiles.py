"""Archive profiles: the extra rules of a receiving archive, on top of MDTO.

Receiving archives differ: some accept exactly one checksum or one
beperkingGebruik, some demand an aggregation chain from Archief down. A
:class:`Profile` bundles such rules. The setting that chooses one per
receiving archive is :data:`SETTING` (``mdto.profile``), default
:data:`DEFAULT` (``"MDTO"``: no extra rules); :func:`get` turns the setting's
value into a profile.

Contract:

- ``profile.check(obj)`` returns the problems of one informatieobject or
  bestand under the profile's **extra** rules only. It is meant to run in
  addition to :func:`recordsdesk.mdto.rules.check`, which stays the MDTO
  baseline; a profile never repeats a baseline rule (the NHA schematron's
  "checksumWaarde not empty" is baseline rule 1, empty text).
- ``profile.check_package(objects)`` checks a whole delivery: every object
  with :meth:`Profile.check`, plus the rules that need the other objects
  (nesting of aggregation levels). It returns ``(index, problem)`` pairs,
  ``index`` being the object's position in ``objects``, ordered by index.
  ``objects`` must be the complete delivery: a parent outside it counts as
  missing.
- Both are pure functions over :mod:`recordsdesk.mdto.model` objects, never
  raise for bad metadata, and report every problem at once, each a
  :class:`~recordsdesk.mdto.schema.Problem` with the element path.

"Noord-Hollands Archief" (:data:`NHA`) implements

- every assertion of the NHA's schematron ``mdto.sch`` (``preingest-xslweb``;
  not shipped, it has no licence: see ``resources/mdto/SOURCE.md``):
  aggregatieniveau present and labelled Archief, Serie, Dossier, Zaak or
  Archiefstuk; exactly one beperkingGebruik (with a type label); exactly one
  checksum with algorithm SHA-224/256/384/512 (hyphen optional) and a value.
  ``tests/mdto/test_profiles.py`` runs the real schematron on the same files and
  checks that both flag the same files for the same rules. Known differences,
  by design: a missing aggregatieniveau is one problem here (the .sch fails
  assertions 1 and 2); with two or more checksums the .sch cannot evaluate its
  algorithm and value tests (``matches()`` on a sequence is an XPath 2 type
  error, XPTY0004) while this profile judges each checksum; and the value test
  is baseline rule 1, which also refuses a whitespace-only value the .sch accepts.
- two business rules of NHA's pre-ingest tool that the schematron lacks
  (domain notes §12, items 5 and 9): Archief, Dossier and Zaak have exactly one
  dekkingInTijd of type Looptijd (a type label starting with "Looptijd": the
  Nationaal Archief's own example says "Looptijd van een dossier"), with an end
  date of the same granularity as its begin (year, year-month or date); and the
  aggregation levels nest as
  Archief → Serie|Dossier|Zaak|Archiefstuk, Serie → Serie|Dossier|Archiefstuk,
  Dossier → Zaak|Archiefstuk, Zaak → Archiefstuk, Archiefstuk → Bestand, every
  chain starting at an Archief and ending at a Bestand.

Not implemented: the NHA's check that every beperkingGebruikType matches an
entry of its Archiefwet 1995 list (commented out in ``mdto.sch``; the pre-ingest
tool reports it as "begrippenlijst not confirmed", not as a refusal).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.mdto.model import Bestand, Informatieobject
from recordsdesk.mdto.schema import Problem

SETTING = "mdto.profile"
DEFAULT = "MDTO"

MdtoObject = Informatieobject | Bestand
ObjectCheck = Callable[[MdtoObject], Iterable[Problem]]
PackageCheck = Callable[[Sequence[MdtoObject]], Iterable[tuple[int, Problem]]]

UNKNOWN_PROFILE = N_("There is no archive profile {name}; known profiles: {known}.")
MDTO_DESCRIPTION = N_("MDTO 1.0.1 and its own rules, nothing more.")
NHA_DESCRIPTION = N_(
    "The rules of the Noord-Hollands Archief's pre-ingest: one aggregatieniveau, "
    "beperkingGebruik and SHA-2 checksum each, a Looptijd, and nesting from Archief to Bestand."
)
AGGREGATIE_MISSING = N_("{archive} requires an aggregatieniveau.")
AGGREGATIE_NOT_ALLOWED = N_(
    "{archive} accepts the aggregatieniveau Archief, Serie, Dossier, Zaak or Archiefstuk, "
    "not {value}."
)
BEPERKING_NOT_ONE = N_("{archive} requires exactly one beperkingGebruik; there are {count}.")
CHECKSUM_NOT_ONE = N_("{archive} requires exactly one checksum; there are {count}.")
CHECKSUM_ALGORITHM = N_(
    "{archive} accepts the checksum algorithms SHA-224, SHA-256, SHA-384 and SHA-512 "
    "(with or without hyphen), not {value}."
)
LOOPTIJD_NOT_ONE = N_(
    "{archive} requires exactly one dekkingInTijd of type Looptijd on a {level}; there are {count}."
)
LOOPTIJD_NO_END = N_("{archive} requires an end date for the Looptijd of a {level}.")
LOOPTIJD_GRANULARITY = N_(
    "{archive} requires the Looptijd's begin and end in the same form (year, year-month or "
    "date): {begin} and {end} differ."
)
NESTING = N_("{archive} does not accept a {child} directly under a {parent}.")
TOP_NOT_ARCHIEF = N_(
    "{archive} requires every chain of objects to start at an Archief; this {level} has no "
    "parent in the delivery."
)
NO_BESTAND = N_(
    "{archive} requires every chain of objects to end at a Bestand; this {level} has no "
    "parts and no files in the delivery."
)


@dataclass(frozen=True)
class Profile:
    """A receiving archive's rules beyond MDTO (see the module docstring for the contract)."""

    name: str
    description: str  # an N_ msgid
    object_checks: tuple[ObjectCheck, ...] = ()
    package_checks: tuple[PackageCheck, ...] = ()

    def check(self, obj: MdtoObject) -> list[Problem]:
        """The problems of one object under this profile's extra rules (empty: none)."""
        return [problem for rule in self.object_checks for problem in rule(obj)]

    def check_package(self, objects: Sequence[MdtoObject]) -> list[tuple[int, Problem]]:
        """Every problem of a complete delivery: per object, then across objects, by index."""
        found = [(i, problem) for i, obj in enumerate(objects) for problem in self.check(obj)]
        for rule in self.package_checks:
            found += rule(objects)
        return sorted(found, key=lambda pair: pair[0])  # stable: rule order within an object


def profiles() -> tuple[Profile, ...]:
    """Every profile RecordsDesk ships, the default first."""
    return (MDTO, NHA)


def get(name: str | None) -> Profile:
    """The profile named ``name`` (the value of the ``mdto.profile`` setting).

    ``None`` or an empty name gives the default. Raises UserError for an unknown name.
    """
    wanted = (name or "").strip() or DEFAULT
    for profile in profiles():
        if profile.name.casefold() == wanted.casefold():
            return profile
    raise UserError(
        UNKNOWN_PROFILE, {"name": wanted, "known": ", ".join(p.name for p in profiles())}
    )


# -- Noord-Hollands Archief -------------------------------------------------------------

_NHA = "Noord-Hollands Archief"
_LEVELS = ("Archief", "Serie", "Dossier", "Zaak", "Archiefstuk")
# mdto.sch: matches(label, '^(SHA-224|SHA-384|SHA-256|SHA-512|SHA224|SHA384|SHA256|SHA512)$')
_NHA_ALGORITHMS = re.compile(r"SHA-?(224|256|384|512)")
_WITH_LOOPTIJD = ("Archief", "Dossier", "Zaak")
_CHILDREN = {
    "Archief": ("Serie", "Dossier", "Zaak", "Archiefstuk"),
    "Serie": ("Serie", "Dossier", "Archiefstuk"),
    "Dossier": ("Zaak", "Archiefstuk"),
    "Zaak": ("Archiefstuk",),
    "Archiefstuk": ("Bestand",),
}
_FORM = re.compile(r"-?\d{4,}(-\d{2})?(-\d{2})?")
_TIMEZONE = re.compile(r"(Z|[+-]\d{2}:\d{2})$")
_IO = "/MDTO/informatieobject"


def _aggregatieniveau(obj: MdtoObject) -> Iterator[Problem]:
    """mdto.sch assertions 1 and 2 (one message when it is missing, where the .sch gives two)."""
    if not isinstance(obj, Informatieobject):
        return
    if obj.aggregatieniveau is None:
        yield Problem(AGGREGATIE_MISSING, {"archive": _NHA}, path=f"{_IO}/aggregatieniveau")
    elif obj.aggregatieniveau.label not in _LEVELS:  # exact, as the .sch's ^...$ regex
        yield Problem(
            AGGREGATIE_NOT_ALLOWED,
            {"archive": _NHA, "value": obj.aggregatieniveau.label},
            path=f"{_IO}/aggregatieniveau/begripLabel",
        )


def _one_beperking(obj: MdtoObject) -> Iterator[Problem]:
    """mdto.sch assertions 3 and 4 (the XSD makes the type's label required, so they agree)."""
    if isinstance(obj, Informatieobject) and len(obj.beperking_gebruik) != 1:
        yield Problem(
            BEPERKING_NOT_ONE,
            {"archive": _NHA, "count": str(len(obj.beperking_gebruik))},
            path=f"{_IO}/beperkingGebruik",
        )


def _one_sha2_checksum(obj: MdtoObject) -> Iterator[Problem]:
    """mdto.sch assertions 5 and 6; assertion 7 (a value) is baseline rule 1."""
    if not isinstance(obj, Bestand):
        return
    if len(obj.checksum) != 1:
        yield Problem(
            CHECKSUM_NOT_ONE,
            {"archive": _NHA, "count": str(len(obj.checksum))},
            path="/MDTO/bestand/checksum",
        )
    for index, checksum in enumerate(obj.checksum, start=1):
        label = checksum.algoritme.label
        if not _NHA_ALGORITHMS.fullmatch(label):
            where = "/MDTO/bestand/checksum" + (f"[{index}]" if len(obj.checksum) > 1 else "")
            yield Problem(
                CHECKSUM_ALGORITHM,
                {"archive": _NHA, "value": label},
                path=f"{where}/checksumAlgoritme/begripLabel",
            )


def _looptijd(obj: MdtoObject) -> Iterator[Problem]:
    """Pre-ingest: one Looptijd on Archief, Dossier and Zaak, begin and end alike in form."""
    if not isinstance(obj, Informatieobject) or _level(obj) not in _WITH_LOOPTIJD:
        return
    level = _level(obj)
    found = [
        (index, d)
        for index, d in enumerate(obj.dekking_in_tijd, start=1)
        if d.type.label.strip().casefold().startswith("looptijd")
    ]
    if len(found) != 1:
        yield Problem(
            LOOPTIJD_NOT_ONE,
            {"archive": _NHA, "level": level, "count": str(len(found))},
            path=f"{_IO}/dekkingInTijd",
        )
        return
    index, dekking = found[0]
    where = f"{_IO}/dekkingInTijd" + (f"[{index}]" if len(obj.dekking_in_tijd) > 1 else "")
    if not (dekking.einddatum or "").strip():
        yield Problem(
            LOOPTIJD_NO_END,
            {"archive": _NHA, "level": level},
            path=f"{where}/dekkingInTijdEinddatum",
        )
    elif _form(dekking.begindatum) != _form(dekking.einddatum or ""):
        yield Problem(
            LOOPTIJD_GRANULARITY,
            {"archive": _NHA, "begin": dekking.begindatum, "end": dekking.einddatum or ""},
            path=f"{where}/dekkingInTijdEinddatum",
        )


def _nesting(objects: Sequence[MdtoObject]) -> Iterator[tuple[int, Problem]]:
    """Pre-ingest: allowed parent → child levels; chains from an Archief down to a Bestand.

    Parents are found by identificatieKenmerk: ``isOnderdeelVan`` for an
    informatieobject, ``isRepresentatieVan`` for a bestand. Objects without a
    known level (reported by the aggregatieniveau rule) are not judged here.
    """
    level_of: dict[str, str] = {}
    for obj in objects:
        level = _level(obj)
        for ident in obj.identificatie:
            level_of.setdefault(ident.kenmerk, level)
    has_child: set[str] = set()
    for index, obj in enumerate(objects):
        child = _level(obj)
        if isinstance(obj, Informatieobject):
            refs, where = obj.is_onderdeel_van, f"{_IO}/isOnderdeelVan"
        else:
            refs, where = (obj.is_representatie_van,), "/MDTO/bestand/isRepresentatieVan"
        parents = [
            ref.identificatie.kenmerk
            for ref in refs
            if ref.identificatie and ref.identificatie.kenmerk in level_of
        ]
        has_child.update(parents)
        if child == "?":
            continue
        if not parents and child != "Archief":
            top = where if refs else _IO  # a reference leading outside, or none at all
            yield index, Problem(TOP_NOT_ARCHIEF, {"archive": _NHA, "level": child}, path=top)
        for kenmerk in parents:
            parent = level_of[kenmerk]
            if parent in _CHILDREN and child not in _CHILDREN[parent]:
                yield (
                    index,
                    Problem(
                        NESTING, {"archive": _NHA, "child": child, "parent": parent}, path=where
                    ),
                )
    for index, obj in enumerate(objects):
        level = _level(obj)
        if level in _LEVELS and not any(i.kenmerk in has_child for i in obj.identificatie):
            yield index, Problem(NO_BESTAND, {"archive": _NHA, "level": level}, path=_IO)


def _level(obj: MdtoObject) -> str:
    """The aggregation level: "Bestand", an informatieobject's label, or "?" without one."""
    if isinstance(obj, Bestand):
        return "Bestand"
    return obj.aggregatieniveau.label if obj.aggregatieniveau is not None else "?"


def _form(value: str) -> int:
    """1 for a year, 2 for year-month, 3 for a date (a timezone suffix does not count)."""
    # "2024-05:00" is a year in UTC-5, not May: drop the timezone before counting parts
    found = _FORM.fullmatch(_TIMEZONE.sub("", value.strip()))
    if found is None:
        return 0
    return 1 + sum(part is not None for part in found.groups())


MDTO = Profile(DEFAULT, MDTO_DESCRIPTION)
NHA = Profile(
    _NHA,
    NHA_DESCRIPTION,
    object_checks=(_aggregatieniveau, _one_beperking, _one_sha2_checksum, _looptijd),
    package_checks=(_nesting,),
)
