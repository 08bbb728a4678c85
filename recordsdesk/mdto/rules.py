"""Checks of MDTO metadata beyond the XSD, all problems at once, each with its path.

The XSD 1.0.1 lets through what MDTO itself forbids or a receiving archive
refuses (see the domain notes, §1 and §10): empty or whitespace-only text,
negative sizes, an end date before its begin date, a bewaartermijn on
something not to be destroyed, "Overig" without saying what, a value outside
the closed waardering list. :func:`check` reports each as a
:class:`~recordsdesk.mdto.schema.Problem` whose ``path`` names the element
(``/MDTO/informatieobject/dekkingInTijd[2]/dekkingInTijdEinddatum``).

A bestandsformaat from PRONOM must carry a PUID (``fmt/N`` or ``x-fmt/N``) that
siegfried's signature file knows (:func:`known_puids`; the list ships as
``resources/mdto/pronom-puids.txt``, derived from the siegfried in pygfried).
With ``stored`` (what the object store knows of a bestand's content) it also
compares ``omvang`` and SHA-2 checksums with the stored bytes.
:func:`check_hierarchy` finds cycles in ``isOnderdeelVan`` over a set of objects.

Contract: pure functions over :mod:`recordsdesk.mdto.model` objects; they never
raise for bad metadata and never touch the database or the disk.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from recordsdesk.i18n import N_
from recordsdesk.mdto import begrippen
from recordsdesk.mdto.model import Begrip, Bestand, Informatieobject, Verwijzing, declared
from recordsdesk.mdto.schema import Problem
from recordsdesk.resources import resource_path

EMPTY_TEXT = N_("{element} is empty; MDTO does not allow empty values.")
NEGATIVE_SIZE = N_("The size (omvang) is negative: {value}.")
SIZE_DIFFERS = N_("The size (omvang) {value} differs from the file's actual {stored} bytes.")
END_BEFORE_BEGIN = N_("The end date {end} lies before the begin date {begin}.")
TERM_WITHOUT_V = N_(
    "A bewaartermijn is only recorded for waardering V (to be destroyed); "
    "the waardering here is {waardering}."
)
OVERIG_UNDESCRIBED = N_(
    "The restriction type 'Overig' needs a description (beperkingGebruikNadereBeschrijving)."
)
NOT_IN_CLOSED_LIST = N_("{value} is not in the closed list {list}; allowed: {allowed}.")
CHECKSUM_DIFFERS = N_("The {algorithm} checksum does not match the file's content.")
CHECKSUM_UNVERIFIABLE = N_(
    "The {algorithm} checksum cannot be checked here; only SHA-2 checksums are recomputed."
)
CYCLE = N_("isOnderdeelVan forms a cycle: {chain}.")
PUID_MISSING = N_("The file format names the PRONOM register but gives no PUID (begripCode).")
PUID_MALFORMED = N_("{value} is not a PRONOM identifier; a PUID reads fmt/N or x-fmt/N.")
PUID_UNKNOWN = N_("The PUID {value} is not in the PRONOM signature file used here ({signature}).")

PUID_FILE = "pronom-puids.txt"
_PUID = re.compile(r"(?:x-)?fmt/[1-9][0-9]*")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# by label without punctuation: "SHA-256", "SHA256" and "sha-256" are one algorithm
_SHA2 = {"SHA224": "sha224", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512"}


@dataclass(frozen=True)
class StoredFacts:
    """What the object store knows of a bestand's content."""

    size: int
    digests: Mapping[str, str]  # hashlib name ("sha256") -> lower-case hex


def check(obj: Informatieobject | Bestand, stored: StoredFacts | None = None) -> list[Problem]:
    """Every problem of one object beyond the XSD (empty list: none found)."""
    root = "/MDTO/" + ("informatieobject" if isinstance(obj, Informatieobject) else "bestand")
    problems = list(_empty_texts(obj, root))
    if isinstance(obj, Informatieobject):
        problems += _informatieobject_rules(obj, root)
    else:
        problems += _bestand_rules(obj, root, stored)
    return problems


def check_reference(reference: Verwijzing, path: str) -> list[Problem]:
    """The problems :func:`check` finds in one verwijzing at ``path`` (a reference the
    caller writes on its own, such as one of a dossier's streamed bevatOnderdeel)."""
    return list(_empty_texts(reference, path))


def _empty_texts(node: Any, path: str) -> Iterator[Problem]:
    """Text that is present (or required) but empty or only whitespace."""
    if not _has_empty_text(node):  # the common case, without building a single path
        return
    for attr, name, many, is_text, required, _nested in _text_plan(type(node)):
        value = getattr(node, attr)
        items = value if many else (value,)
        for index, item in enumerate(items, start=1):
            where = f"{path}/{name}" + (f"[{index}]" if many and len(items) > 1 else "")
            if is_text:
                if (item is None and required) or (isinstance(item, str) and not item.strip()):
                    yield Problem(EMPTY_TEXT, {"element": name}, path=where)
            elif dataclasses.is_dataclass(item):
                yield from _empty_texts(item, where)


def _has_empty_text(node: Any) -> bool:
    """Whether :func:`_empty_texts` finds anything under ``node`` (fast: no paths).

    Begrippen shared between objects (the mapping hands out one instance per list
    value) are remembered by identity once found clean."""
    seen = _CLEAN.get(id(node))
    if seen is node:
        return False
    for attr, _name, many, is_text, required, nested in _text_plan(type(node)):
        value = getattr(node, attr)
        if value is None:
            if is_text and required:
                return True
            continue
        for item in value if many else (value,):
            if is_text:
                if isinstance(item, str) and not item.strip():
                    return True
            elif nested and _has_empty_text(item):
                return True
    if type(node) is Begrip:  # the values that repeat from object to object
        if len(_CLEAN) >= _CLEAN_MAX:
            _CLEAN.clear()
        _CLEAN[id(node)] = node  # holding it keeps its id from being reused
    return False


# objects found without empty text, by id; bounded so memory does not grow with an export
_CLEAN: dict[int, Any] = {}
_CLEAN_MAX = 1024


_TextPlan = tuple[tuple[str, str, bool, bool, bool, bool], ...]
_TEXT_PLANS: dict[type, _TextPlan] = {}


def _text_plan(cls: type) -> _TextPlan:
    """Per element of ``cls``: attribute, MDTO name, repeats, is text, required, nested."""
    found = _TEXT_PLANS.get(cls)
    if found is None:
        found = _TEXT_PLANS[cls] = _make_text_plan(cls)
    return found


def _make_text_plan(cls: type) -> _TextPlan:
    return tuple(
        (
            f.name,
            f.metadata["mdto"],
            f.metadata["many"],
            f.metadata["kind"] is str,
            f.metadata["required"],
            dataclasses.is_dataclass(f.metadata["kind"]),
        )
        for f in declared(cls)
    )


def _informatieobject_rules(obj: Informatieobject, root: str) -> Iterator[Problem]:
    for index, dekking in enumerate(obj.dekking_in_tijd, start=1):
        where = f"{root}/dekkingInTijd" + (f"[{index}]" if len(obj.dekking_in_tijd) > 1 else "")
        if dekking.einddatum and dekking.begindatum:
            begin, end = _earliest(dekking.begindatum), _latest(dekking.einddatum)
            if begin is not None and end is not None and end < begin:
                yield Problem(
                    END_BEFORE_BEGIN,
                    {"begin": dekking.begindatum, "end": dekking.einddatum},
                    path=f"{where}/dekkingInTijdEinddatum",
                )
    code = obj.waardering.code if obj.waardering is not None else None
    waarderingen = begrippen.get("waardering")  # the closed list, as shipped
    allowed = [c.code for c in waarderingen.concepts if c.code]
    if code is not None and code not in allowed:
        yield Problem(
            NOT_IN_CLOSED_LIST,
            {"value": code, "list": waarderingen.name, "allowed": ", ".join(allowed)},
            path=f"{root}/waardering/begripCode",
        )
    if obj.bewaartermijn is not None and code != "V":
        shown = code or (obj.waardering.label if obj.waardering else "?")
        yield Problem(TERM_WITHOUT_V, {"waardering": shown}, path=f"{root}/bewaartermijn")
    for index, beperking in enumerate(obj.beperking_gebruik, start=1):
        where = f"{root}/beperkingGebruik" + (
            f"[{index}]" if len(obj.beperking_gebruik) > 1 else ""
        )
        label = beperking.type.label.strip().lower() if beperking.type else ""
        if label == "overig" and not (beperking.nadere_beschrijving or "").strip():
            yield Problem(OVERIG_UNDESCRIBED, path=f"{where}/beperkingGebruikNadereBeschrijving")


def _bestand_rules(obj: Bestand, root: str, stored: StoredFacts | None) -> Iterator[Problem]:
    if obj.omvang is not None and obj.omvang < 0:
        yield Problem(NEGATIVE_SIZE, {"value": str(obj.omvang)}, path=f"{root}/omvang")
    elif stored is not None and obj.omvang is not None and obj.omvang != stored.size:
        yield Problem(
            SIZE_DIFFERS,
            {"value": str(obj.omvang), "stored": str(stored.size)},
            path=f"{root}/omvang",
        )
    yield from _pronom_rules(obj.bestandsformaat, f"{root}/bestandsformaat/begripCode")
    if stored is None:
        return
    for index, checksum in enumerate(obj.checksum, start=1):
        where = f"{root}/checksum" + (f"[{index}]" if len(obj.checksum) > 1 else "")
        label = checksum.algoritme.label if checksum.algoritme else "?"
        algorithm = _SHA2.get(re.sub(r"[^A-Z0-9]", "", label.upper()))
        if algorithm is None:
            yield Problem(
                CHECKSUM_UNVERIFIABLE, {"algorithm": label}, path=f"{where}/checksumAlgoritme"
            )
            continue
        known = stored.digests.get(algorithm)
        if known is not None and (checksum.waarde or "").strip().lower() != known:
            yield Problem(CHECKSUM_DIFFERS, {"algorithm": label}, path=f"{where}/checksumWaarde")


def _pronom_rules(formaat: Begrip | None, where: str) -> Iterator[Problem]:
    """Rule 7: a PRONOM bestandsformaat needs a well-formed PUID that siegfried knows."""
    if formaat is None or not names_pronom(formaat.begrippenlijst.naam):
        return
    if formaat.code is None:
        yield Problem(PUID_MISSING, path=where)
        return
    code = formaat.code.strip()
    if not code:  # reported as empty text already
        return
    if not _PUID.fullmatch(code):
        yield Problem(PUID_MALFORMED, {"value": code}, path=where)
    elif code not in known_puids():
        yield Problem(PUID_UNKNOWN, {"value": code, "signature": puid_signature()}, path=where)


def names_pronom(list_name: str | None) -> bool:
    """True if a begrippenlijst name means PRONOM, however a system spells it.

    "PRONOM-register" (ours, the NA's examples), "PRONOM", "Pronom register",
    "PRONOM Technical Registry", "The National Archives PRONOM" all do.
    """
    return "pronom" in (list_name or "").lower()


@cache
def known_puids() -> frozenset[str]:
    """Every PUID in the siegfried signature file RecordsDesk identifies with (read once:
    every exported bestand asks)."""
    return frozenset(_puid_file()[1])


def pronom_name(puid: str) -> str | None:
    """PRONOM's name of the format ``puid`` ("Acrobat PDF 1.3 - Portable Document
    Format" for fmt/17), or None when the signature file gives none."""
    return _puid_file()[1].get(puid) or None


def puid_signature() -> str:
    """The DROID and container signature versions the PUID list comes from."""
    return _puid_file()[0]


@cache
def _puid_file() -> tuple[str, Mapping[str, str]]:
    """The shipped list: ``#`` lines are notes (one ``# signature: ...``), then one PUID a
    line, a tab and its format name (possibly empty)."""
    signature = "?"
    puids: dict[str, str] = {}
    text = resource_path("mdto", PUID_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# signature:"):
            signature = line.removeprefix("# signature:").strip()
        elif line.strip() and not line.startswith("#"):
            puid, _tab, name = line.partition("\t")
            puids[puid.strip()] = name.strip()
    return signature, puids


def check_hierarchy(objects: Sequence[Informatieobject]) -> list[Problem]:
    """Cycles in ``isOnderdeelVan`` among ``objects`` (matched by identificatieKenmerk)."""
    parents: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for obj in objects:
        for ident in obj.identificatie:
            names[ident.kenmerk] = obj.naam
            parents.setdefault(ident.kenmerk, []).extend(
                ref.identificatie.kenmerk for ref in obj.is_onderdeel_van if ref.identificatie
            )
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for start in parents:
        chain = _cycle_from(start, parents)
        if chain and frozenset(chain) not in reported:
            reported.add(frozenset(chain))
            shown = " → ".join([*chain, chain[0]])
            problems.append(
                Problem(CYCLE, {"chain": shown}, path="/MDTO/informatieobject/isOnderdeelVan")
            )
    return problems


def _cycle_from(start: str, parents: Mapping[str, list[str]]) -> list[str] | None:
    """The kenmerken of a cycle through ``start``, or None (depth-first, iterative)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, chain = stack.pop()
        for parent in parents.get(node, []):
            if parent == start:
                return chain
            if parent not in chain:
                stack.append((parent, [*chain, parent]))
    return None


def _earliest(value: str) -> dt.date | None:
    """The first day a gYear / gYearMonth / date value can mean."""
    found = _DATE.match(value)
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def _latest(value: str) -> dt.date | None:
    """The last day a gYear / gYearMonth / date value can mean."""
    found = _DATE.match(value)
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        last_month = int(month or 12)
        last_day = int(day) if day else calendar.monthrange(int(year), last_month)[1]
        return dt.date(int(year), last_month, last_day)
    except ValueError:
        return None
