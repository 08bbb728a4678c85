"""MDTO value lists (begrippenlijsten) as data: lookup, search and checking.

Every coded value in MDTO is a ``begripGegevens``: a mandatory ``begripLabel``,
a ``begripCode`` if known, and ``begripBegrippenlijst/verwijzingNaam`` naming
the list. This module loads the lists shipped in
``resources/mdto/begrippenlijsten/`` (provenance in ``resources/mdto/SOURCE.md``):

* the seven normative Nationaal Archief lists (``nationaal-archief/``); only
  Waarderingen is closed, all others are open;
* the Noord-Hollands Archief community lists (openbaarheid, AVG, triggers,
  intellectual property), all open.

Contracts: :func:`lists` and :func:`get` load every list once per process
(cached); a missing or malformed resource file raises
:class:`BegrippenDataError` naming the file, a developer error (the files ship
with the app), never a user error. Within a list codes and labels are unique
(checked at load time). Data is kept verbatim, with one documented erratum
(:data:`_LABEL_ERRATA`).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from recordsdesk.i18n import N_
from recordsdesk.mdto import model
from recordsdesk.resources import resource_path

LABEL_MISSING = N_("A value needs a label (begripLabel); MDTO requires one.")
NOT_IN_CLOSED_LIST = N_(
    "This value is not in the list, and the list is closed: choose one of its values."
)
CODE_LABEL_MISMATCH = N_("The code and the label belong to different values in this list.")
OWN_VALUE = N_(
    "This value is not in the list. The list is open, so it is accepted as an own value; "
    "document it for the receiving archive."
)

NA_SOURCE = (
    "MDTO begrippenlijsten, Nationaal Archief (NationaalArchief/MDTO-Metagegevensschema "
    "markdown/begrippenlijsten.md, commit 8749d98be07343e1b2fba34fa63240a9e144bfbb), CC BY-SA 4.0"
)
NHA_SOURCE = (
    "Noord-Hollands Archief preingest-mdto-utilities (commit "
    "29ed7f3a26c65ba2cdf7812e1f798545253f12e8), version 1.0 codes, MIT"
)

# NA list name in the JSON -> (our stable key, verwijzingNaam when the JSON has
# none). Only "Relatietypen (betrokkene)" lacks a name in the NA examples; the
# fallback follows the pattern of the other six.
_NA_LISTS: Mapping[str, tuple[str, str]] = {
    "Aggregatieniveaus": ("aggregatieniveau", "Begrippenlijst Aggregatieniveaus MDTO"),
    "Waarderingen": ("waardering", "Begrippenlijst Waarderingen MDTO"),
    "EventTypeLijst": ("event", "Begrippenlijst EventTypeLijst MDTO"),
    "Relatietypen (informatieobject)": (
        "relatie-informatieobject",
        "Begrippenlijst Relatietypen (informatieobject) MDTO",
    ),
    "Relatietypen (betrokkene)": (
        "relatie-betrokkene",
        "Begrippenlijst Relatietypen (betrokkene) MDTO",
    ),
    "BeperkingGebruikTypeLijst": ("beperking-gebruik", "Begrippenlijst Beperkingen MDTO"),
    "ChecksumAlgoritme": ("checksum-algoritme", "Begrippenlijst ChecksumAlgoritme MDTO"),
}
_CLOSED_TYPES = {"gesloten", "closed"}
_OPEN_TYPES = {"open"}

# NHA file stem -> (key, verwijzingNaam). The NHA data names no list (NA's own
# example even uses these codes under an unrelated list name), so the names are
# ours: "Begrippenlijst <subject> (Noord-Hollands Archief)", stating the source.
_NHA_LISTS: Mapping[str, tuple[str, str]] = {
    "openbaarheid_archiefwet_1995": ("openbaarheid-aw1995", "Openbaarheid Archiefwet 1995"),
    "openbaarheid_archiefwet_2021": ("openbaarheid-aw2021", "Openbaarheid Archiefwet 2021"),
    "openbaarheid_wet_open_overheid": ("openbaarheid-woo", "Openbaarheid Wet open overheid"),
    "persoonsgegevens_avg": ("persoonsgegevens-avg", "Persoonsgegevens AVG"),
    "triggers": ("triggers", "Triggers"),
    "intellectuele_eigendom_auteurswet": (
        "intellectueel-eigendom-auteurswet",
        "Intellectueel eigendom Auteurswet",
    ),
    "intellectuele_eigendom_creative_commons_licenties": (
        "intellectueel-eigendom-creative-commons",
        "Intellectueel eigendom Creative Commons-licenties",
    ),
    "intellectuele_eigendom_databankwet": (
        "intellectueel-eigendom-databankwet",
        "Intellectueel eigendom Databankenwet",
    ),
    "intellectuele_eigendom_rights_statements": (
        "intellectueel-eigendom-rights-statements",
        "Intellectueel eigendom RightsStatements.org",
    ),
    "intellectuele_eigendom_software_licenties": (
        "intellectueel-eigendom-software-licenties",
        "Intellectueel eigendom softwarelicenties",
    ),
    "intellectuele_eigendom_wet_op_de_naburige_rechten": (
        "intellectueel-eigendom-naburige-rechten",
        "Intellectueel eigendom Wet op de naburige rechten",
    ),
}

# The NHA AW2021 file gives EenheidKroon the label of VertrouwelijkeBedrijfsgegevens
# (a copy-paste slip; its definition is about the eenheid van de Kroon). Two equal
# labels would make label lookup ambiguous, so the label is corrected here,
# worded like the other AW2021 labels. Codes are never changed: archives match on them.
_LABEL_ERRATA: Mapping[str, str] = {
    "Openbaarheid/AW2021/BeperktOpenbaar-EenheidKroon/1.0": (
        "beperkt openbaar; eenheid van de Kroon (Archiefwet 2021)"
    ),
}


class BegrippenDataError(RuntimeError):
    """A shipped value-list file is missing or malformed (a bug, not bad user input)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"value list file {path} is missing or malformed: {detail}")


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching ("beëindiging" -> "beeindiging")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Concept:
    """One concept of a value list; ``list_name`` is the list's verwijzingNaam."""

    label: str
    code: str | None
    definition: str | None
    list_name: str

    def to_begrip(self) -> model.Begrip:
        """This concept as an MDTO ``begripGegevens`` (label, code, the list's name)."""
        return model.Begrip(self.label, self.code, model.Verwijzing(self.list_name))


@dataclass(frozen=True)
class Begrippenlijst:
    """A value list. ``name`` is the verwijzingNaam written in MDTO XML.

    Constructing one raises ``ValueError`` if a label is empty or a code or label
    occurs twice, so a loaded list always has unique codes and labels.
    """

    key: str
    name: str
    closed: bool
    concepts: tuple[Concept, ...]
    source: str
    _by_code: dict[str, Concept] = field(init=False, repr=False, compare=False)
    _by_label: dict[str, Concept] = field(init=False, repr=False, compare=False)
    _by_folded: dict[str, Concept] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Concept] = {}
        by_label: dict[str, Concept] = {}
        for begrip in self.concepts:
            if not begrip.label.strip():
                raise ValueError(f"{self.key}: a concept has an empty label")
            if begrip.label in by_label:
                raise ValueError(f"{self.key}: label {begrip.label!r} occurs twice")
            by_label[begrip.label] = begrip
            if begrip.code is not None:
                if begrip.code in by_code:
                    raise ValueError(f"{self.key}: code {begrip.code!r} occurs twice")
                by_code[begrip.code] = begrip
        # setdefault: where two labels differ only in case, the first one wins.
        by_folded: dict[str, Concept] = {}
        for begrip in self.concepts:
            by_folded.setdefault(begrip.label.casefold(), begrip)
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_label", by_label)
        object.__setattr__(self, "_by_folded", by_folded)

    def by_code(self, code: str) -> Concept | None:
        """The concept with exactly this code, or None."""
        return self._by_code.get(code)

    def by_label(self, label: str) -> Concept | None:
        """The concept with exactly this label (case-sensitive), or None."""
        return self._by_label.get(label)

    def by_label_ignoring_case(self, label: str) -> Concept | None:
        """The concept whose label equals ``label`` ignoring case (for search), or None."""
        return self._by_folded.get(label.casefold())

    def search(self, text: str) -> tuple[Concept, ...]:
        """Concepts matching every word of ``text`` in label, code or definition.

        Case- and accent-insensitive. Concepts whose label contains the whole
        query come first, then the rest; list order within each group. An empty
        query gives every concept.
        """
        query = fold(text).strip()
        words = query.split()
        in_label: list[Concept] = []
        elsewhere: list[Concept] = []
        for begrip in self.concepts:
            label = fold(begrip.label)
            haystack = " ".join((label, fold(begrip.code or ""), fold(begrip.definition or "")))
            if all(word in haystack for word in words):
                (in_label if query in label else elsewhere).append(begrip)
        return (*in_label, *elsewhere)

    def check(self, label: str, code: str | None = None) -> str | None:
        """Check a value against this list: None if it is a listed concept, else a msgid.

        A closed list refuses anything that is not a listed concept (label
        exact, and a code, if given, that of the same concept where it has
        one): any msgid is a refusal. An open list accepts every labelled value; the msgid is then a
        note (:data:`OWN_VALUE`, :data:`CODE_LABEL_MISMATCH`). A missing label
        is always refused. Use :meth:`accepts` for the yes/no.
        """
        if not label.strip():
            return LABEL_MISSING
        by_label = self.by_label(label)
        by_code = self.by_code(code) if code else None
        # A code on a concept the list gives no code (the NA lists but Waarderingen)
        # contradicts nothing, so it passes.
        if by_label is not None and (not code or by_label.code in (None, code)):
            return None
        if by_label is not None or by_code is not None:
            return CODE_LABEL_MISMATCH
        return NOT_IN_CLOSED_LIST if self.closed else OWN_VALUE

    def accepts(self, label: str, code: str | None = None) -> bool:
        """Whether the value may be stored with this list (see :meth:`check`)."""
        message = self.check(label, code)
        return message is None or (not self.closed and message != LABEL_MISSING)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BegrippenDataError(path, str(exc)) from exc


def _optional(item: Mapping[str, Any], key: str) -> str | None:
    """A text field that may be absent; blank counts as absent."""
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} is not a text in {item!r}")
    return value if value.strip() else None


def _required(item: Mapping[str, Any], key: str) -> str:
    value = _optional(item, key)
    if value is None:
        raise ValueError(f"{key!r} missing or blank in {item!r}")
    return value


def _load_na(path: Path) -> list[Begrippenlijst]:
    data = _read_json(path)
    try:
        result: list[Begrippenlijst] = []
        for entry in data["lists"]:
            key, fallback_name = _NA_LISTS[entry["name"]]
            kind = entry["type"]
            if kind not in _CLOSED_TYPES | _OPEN_TYPES:
                raise ValueError(f"{entry['name']}: unknown list type {kind!r}")
            name = entry.get("verwijzingNaam_in_NA_examples") or fallback_name
            concepts = tuple(
                Concept(
                    label=_required(c, "label"),
                    code=_optional(c, "code"),
                    definition=_optional(c, "definitie"),
                    list_name=name,
                )
                for c in entry["concepts"]
            )
            result.append(Begrippenlijst(key, name, kind in _CLOSED_TYPES, concepts, NA_SOURCE))
        missing = set(_NA_LISTS) - {entry["name"] for entry in data["lists"]}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise BegrippenDataError(path, f"{type(exc).__name__}: {exc}") from exc
    if missing:
        raise BegrippenDataError(path, f"lists missing: {sorted(missing)}")
    return result


def _load_nha(path: Path, key: str, subject: str) -> Begrippenlijst:
    name = f"Begrippenlijst {subject} (Noord-Hollands Archief)"
    try:
        concepts = []
        for item in _read_json(path):
            code = _required(item, "begripCode")
            concepts.append(
                Concept(
                    label=_LABEL_ERRATA.get(code) or _required(item, "begripLabel"),
                    code=code,
                    definition=_optional(item, "definitie"),
                    list_name=name,
                )
            )
        return Begrippenlijst(key, name, False, tuple(concepts), NHA_SOURCE)
    except (AttributeError, TypeError, ValueError) as exc:
        raise BegrippenDataError(path, f"{type(exc).__name__}: {exc}") from exc


@lru_cache(maxsize=1)
def lists() -> tuple[Begrippenlijst, ...]:
    """Every shipped list, NA lists first (file order), then the NHA lists."""
    folder = resource_path("mdto", "begrippenlijsten")
    result = _load_na(folder / "nationaal-archief" / "mdto-begrippenlijsten.json")
    for stem, (key, subject) in _NHA_LISTS.items():
        result.append(_load_nha(folder / "noord-hollands-archief" / f"{stem}.json", key, subject))
    return tuple(result)


@lru_cache(maxsize=1)
def _by_key() -> Mapping[str, Begrippenlijst]:
    return {lijst.key: lijst for lijst in lists()}


def get(key: str) -> Begrippenlijst:
    """The list with this stable key; ``KeyError`` for an unknown key (a bug)."""
    return _by_key()[key]


def find_by_name(name: str) -> Begrippenlijst | None:
    """The shipped list with this verwijzingNaam, or None (an unknown list).

    Values from unknown lists must still be kept: store them as a
    :class:`Concept` with the name as found.
    """
    return next((lijst for lijst in lists() if lijst.name == name), None)
