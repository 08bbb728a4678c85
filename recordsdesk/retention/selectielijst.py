"""The VNG Selectielijst gemeenten en intergemeentelijke organen as data: a versioned list.

A Selectielijst is a begrippenlijst with a year. Every list shipped in
``resources/selectielijst/`` as ``selectielijst_<jaar>.json`` (provenance in
``resources/selectielijst/SOURCE.md``) is available; today that is 2020. A
result is keyed on ``(jaar, volledig_nummer)``, e.g. ``(2020, "11.1.2")``, never
on the UUIDs in the file: those differ from the live API (see SOURCE.md), and a
dossier classified under 2020 must keep its meaning when a later list is added
beside it. Each year is read from its own file and cached on its own, so adding
a file never changes what an earlier year returns.

File format: the Django fixture of open-zaak/vng-selectielijst (records
``selectielijst.procestype`` and ``selectielijst.resultaat``). It was chosen
over the VNG Go export because it keeps ``P0D`` (the Go JSON drops it for
19.1.17, 19.1.19 and 19.2.1) and links a specifiek result to its generiek
parent. The files are shipped verbatim; the derived values (volledig nummer,
procestermijn text, withdrawn) are computed here.

Contracts:

* :func:`lists`, :func:`procestypen`, :func:`resultaten` and :func:`resultaat`
  load a year once per process; a missing or malformed file raises
  :class:`SelectielijstDataError` naming the file (a developer error: the files
  ship with the app), never a :class:`~recordsdesk.errors.UserError`.
* :func:`resultaat` raises a :class:`~recordsdesk.errors.NotFoundError` for an
  unknown year or number; :func:`choosable` additionally refuses a withdrawn
  result (a :class:`~recordsdesk.errors.UserError` naming its replacement).
* Withdrawn results are still returned by :func:`resultaten`, :func:`resultaat`
  and :func:`search`, marked ``withdrawn``: dossiers and reports may show them.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_, _
from recordsdesk.resources import resource_path
from recordsdesk.retention.dates import Duration, parse_duration

UNKNOWN_YEAR = N_("There is no Selectielijst {jaar}; available: {available}.")
UNKNOWN_PROCESTYPE = N_("Selectielijst {jaar} has no procestype {nummer}.")
UNKNOWN_RESULT = N_("Selectielijst {jaar} has no result {nummer}.")
WITHDRAWN_RESULT = N_(
    "Result {nummer} of the Selectielijst {jaar} is withdrawn ({omschrijving}) "
    "and cannot be chosen."
)
WITHDRAWN_RESULT_REPLACED = N_(
    "Result {nummer} of the Selectielijst {jaar} is withdrawn ({omschrijving}) "
    "and cannot be chosen; choose {replacement} instead."
)

WAARDERING_BLIJVEND = "blijvend_bewaren"
WAARDERING_VERNIETIGEN = "vernietigen"
# Selectielijst waardering -> MDTO Waarderingen code (closed list: B, V, N).
MDTO_WAARDERING: Mapping[str, str] = {WAARDERING_BLIJVEND: "B", WAARDERING_VERNIETIGEN: "V"}

# The procestermijn codes of the list (vng-api-common ``Procestermijn``) with the
# texts the VNG API shows for them (``procestermijnWeergave`` in the Go export,
# the trailing space of one removed). They are the list's own Dutch wording,
# data, not interface text, so they are not translated.
PROCESTERMIJN_WEERGAVE: Mapping[str, str] = {
    "nihil": "Nihil",
    "bestaansduur_procesobject": "De bestaans- of geldigheidsduur van het procesobject.",
    "ingeschatte_bestaansduur_procesobject": (
        "De ingeschatte maximale bestaans- of geldigheidsduur van het procesobject."
    ),
    "vast_te_leggen_datum": (
        "De tijdens het proces vast te leggen datum waarop de geldigheid van het "
        "procesobject komt te vervallen."
    ),
    "samengevoegd_met_bewaartermijn": "De procestermijn is samengevoegd met de bewaartermijn.",
}

# The 14 taakgebied flags of a result, in the list's order (field names of the fixture).
TAAKGEBIEDEN = (
    "algemeen_bestuur_en_inrichting_organisatie",
    "bedrijfsvoering_en_personeel",
    "publieke_informatie_en_registratie",
    "burgerzaken",
    "veiligheid",
    "verkeer_en_vervoer",
    "economie",
    "onderwijs",
    "sport_cultuur_en_recreatie",
    "sociaal_domein",
    "volksgezonheid_en_milieu",
    "vhrosv",
    "heffen_belastingen",
    "alle_taakgebieden",
)

_FILE_PATTERN = re.compile(r"^selectielijst_(\d{4})\.json$")
_NUMBER = re.compile(r"^\d+(?:\.\d+){1,2}$")
_NUMBER_IN_TEXT = re.compile(r"\b\d+\.\d+\.\d+\b")
# How VNG marks a withdrawn result: its omschrijving starts with "Vervallen"
# (7.1.20 "Vervallen: dit is resultaat 19.1.19 geworden", 19.1.13 "Vervallen");
# such a result has no waardering, herkomst or procestermijn.
_WITHDRAWN_MARK = "vervallen"


class SelectielijstDataError(RuntimeError):
    """A shipped Selectielijst file is missing or malformed (a bug, not bad user input)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"Selectielijst file {path} is missing or malformed: {detail}")


def describe_duration(text: str) -> str:
    """A duration in words in the current language: ``P10Y`` -> "10 jaar", ``P0D`` -> "0 dagen".

    Raises ``ValueError`` for text that is not a duration (see :func:`parse_duration`).
    """
    duration = parse_duration(text)
    days = duration.days + 7 * duration.weeks  # the list writes weeks as days ("42 dagen")
    words = []
    if duration.years:
        unit = N_("{n} year") if duration.years == 1 else N_("{n} years")
        words.append(_(unit).format(n=duration.years))
    if duration.months:
        unit = N_("{n} month") if duration.months == 1 else N_("{n} months")
        words.append(_(unit).format(n=duration.months))
    if days or not words:
        unit = N_("{n} day") if days == 1 else N_("{n} days")
        words.append(_(unit).format(n=days))
    if len(words) == 1:
        return words[0]
    return _("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])


@dataclass(frozen=True)
class Procestype:
    """One procestype of a list; ``nummer`` is 1-29 in 2020."""

    jaar: int
    nummer: int
    naam: str
    omschrijving: str
    toelichting: str
    procesobject: str


@dataclass(frozen=True)
class Resultaat:
    """One result of a list, keyed on ``(jaar, volledig_nummer)``.

    ``generiek`` results are numbered ``p.g`` (e.g. "1.1"), ``specifiek`` ones
    ``p.g.s`` (e.g. "1.1.1") with ``generiek_nummer`` the number of their parent,
    whose waardering they may override. ``waardering`` is ``blijvend_bewaren`` or
    ``vernietigen`` (None only for a withdrawn result); ``bewaartermijn`` is an
    ISO 8601 duration for vernietigen results (``P0D`` included) and None for
    blijvend_bewaren ones. ``procestermijn`` is the list's code (see
    :data:`PROCESTERMIJN_WEERGAVE`) or None where the list gives none.
    """

    jaar: int
    volledig_nummer: str
    procestype: int
    nummer: int
    generiek_nummer: str | None
    naam: str
    omschrijving: str
    herkomst: str
    waardering: str | None
    bewaartermijn: str | None
    procestermijn: str | None
    procestermijn_opmerking: str
    toelichting: str
    taakgebieden: tuple[str, ...]
    withdrawn: bool
    replaced_by: str | None

    @property
    def key(self) -> tuple[int, str]:
        """The stable key a dossier stores: ``(jaar, volledig_nummer)``."""
        return (self.jaar, self.volledig_nummer)

    @property
    def generiek(self) -> bool:
        return self.generiek_nummer is None

    @property
    def specifiek(self) -> bool:
        return self.generiek_nummer is not None

    @property
    def mdto_waardering(self) -> str | None:
        """The MDTO Waarderingen code: "B" (blijvend) or "V" (vernietigen); None if withdrawn."""
        return MDTO_WAARDERING.get(self.waardering or "")

    @property
    def procestermijn_weergave(self) -> str:
        """The list's Dutch text for the procestermijn ("" when there is none)."""
        return PROCESTERMIJN_WEERGAVE.get(self.procestermijn or "", "")

    @property
    def bewaartermijn_duration(self) -> Duration | None:
        return parse_duration(self.bewaartermijn) if self.bewaartermijn else None

    def sort_key(self) -> tuple[int, ...]:
        return number_key(self.volledig_nummer)


@dataclass(frozen=True)
class Selectielijst:
    """One year's list: its procestypen and results in number order."""

    jaar: int
    source: Path
    procestypen: tuple[Procestype, ...]
    resultaten: tuple[Resultaat, ...]
    by_number: Mapping[str, Resultaat] = field(init=False, repr=False, compare=False)
    search_text: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        type_names = {t.nummer: t.naam for t in self.procestypen}
        # frozen: the derived indexes are set once here, never changed after
        object.__setattr__(self, "by_number", {r.volledig_nummer: r for r in self.resultaten})
        object.__setattr__(
            self,
            "search_text",
            {
                r.volledig_nummer: _haystack(r, type_names.get(r.procestype, ""))
                for r in self.resultaten
            },
        )

    def get(self, nummer: str) -> Resultaat | None:
        return self.by_number.get(nummer.strip())


def number_key(nummer: str) -> tuple[int, ...]:
    """Sort key for "11.1.2" (numeric per part, so 2.1 sorts before 11.1)."""
    return tuple(int(part) for part in nummer.split(".") if part.isdigit())


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- loading -------------------------------------------------------------------------------


def _text(fields: Mapping[str, Any], key: str) -> str:
    value = fields.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key!r} is not a text: {value!r}")
    return value.strip()


def _int(fields: Mapping[str, Any], key: str) -> int:
    value = fields.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key!r} is not a number: {value!r}")
    return value


def parse_fixture(data: Any, jaar: int) -> tuple[tuple[Procestype, ...], tuple[Resultaat, ...]]:
    """Procestypen and results of one year from the Django fixture's records.

    Raises ``ValueError`` (with what is wrong) for a record that does not fit.
    """
    if not isinstance(data, list):
        raise ValueError("the file is not a JSON list of records")
    types: dict[int, Procestype] = {}
    raw_results: dict[int, Mapping[str, Any]] = {}
    for record in data:
        model, pk, fields = record.get("model"), record.get("pk"), record.get("fields")
        if not isinstance(pk, int) or not isinstance(fields, dict):
            raise ValueError(f"record without pk or fields: {record!r:.200}")
        if model == "selectielijst.procestype":
            if _int(fields, "jaar") != jaar:
                raise ValueError(f"procestype pk {pk} has jaar {fields['jaar']}, not {jaar}")
            types[pk] = Procestype(
                jaar=jaar,
                nummer=_int(fields, "nummer"),
                naam=_text(fields, "naam"),
                omschrijving=_text(fields, "omschrijving"),
                toelichting=_text(fields, "toelichting"),
                procesobject=_text(fields, "procesobject"),
            )
        elif model == "selectielijst.resultaat":
            raw_results[pk] = fields
        else:
            raise ValueError(f"unknown record type {model!r}")
    results = [_resultaat(pk, raw_results, types, jaar) for pk in raw_results]
    numbers = [r.volledig_nummer for r in results]
    if len(set(numbers)) != len(numbers):
        raise ValueError("a result number occurs twice")
    if len({t.nummer for t in types.values()}) != len(types):
        raise ValueError("a procestype number occurs twice")
    for result in results:
        if result.replaced_by is not None and result.replaced_by not in numbers:
            raise ValueError(f"{result.volledig_nummer} names unknown {result.replaced_by}")
    return (
        tuple(sorted(types.values(), key=lambda t: t.nummer)),
        tuple(sorted(results, key=Resultaat.sort_key)),
    )


def _resultaat(
    pk: int,
    raw: Mapping[int, Mapping[str, Any]],
    types: Mapping[int, Procestype],
    jaar: int,
) -> Resultaat:
    fields = raw[pk]
    procestype = types.get(_int(fields, "proces_type"))
    if procestype is None:
        raise ValueError(f"resultaat pk {pk} names an unknown procestype")
    parent_pk = fields.get("generiek_resultaat")
    generiek_nummer: str | None = None
    if parent_pk is not None:
        parent = raw.get(parent_pk)
        if parent is None or parent.get("generiek_resultaat") is not None:
            raise ValueError(f"resultaat pk {pk}: its generiek parent is missing or specifiek")
        if parent.get("proces_type") != fields.get("proces_type"):
            raise ValueError(f"resultaat pk {pk}: its generiek parent is in another procestype")
        generiek_nummer = f"{procestype.nummer}.{_int(parent, 'nummer')}"
        volledig = f"{generiek_nummer}.{_int(fields, 'nummer')}"
    else:
        volledig = f"{procestype.nummer}.{_int(fields, 'nummer')}"
    omschrijving = _text(fields, "omschrijving")
    toelichting = _text(fields, "toelichting")
    withdrawn = fold(omschrijving).startswith(_WITHDRAWN_MARK)
    waardering = _text(fields, "waardering") or None
    bewaartermijn = _text(fields, "bewaartermijn") or None
    procestermijn = _text(fields, "procestermijn") or None
    if withdrawn:
        if waardering is not None:
            raise ValueError(f"{volledig} is withdrawn but has a waardering")
        replaced = _NUMBER_IN_TEXT.findall(f"{omschrijving} {toelichting}")
    else:
        replaced = []
        if waardering not in MDTO_WAARDERING:
            raise ValueError(f"{volledig}: waardering {waardering!r} is not one of the list's")
        if waardering == WAARDERING_VERNIETIGEN and bewaartermijn is None:
            raise ValueError(f"{volledig}: vernietigen without a bewaartermijn")
    if bewaartermijn is not None:
        parse_duration(bewaartermijn)
    if procestermijn is not None and procestermijn not in PROCESTERMIJN_WEERGAVE:
        raise ValueError(f"{volledig}: unknown procestermijn {procestermijn!r}")
    return Resultaat(
        jaar=jaar,
        volledig_nummer=volledig,
        procestype=procestype.nummer,
        nummer=_int(fields, "nummer"),
        generiek_nummer=generiek_nummer,
        naam=_text(fields, "naam"),
        omschrijving=omschrijving,
        herkomst=_text(fields, "herkomst"),
        waardering=waardering,
        bewaartermijn=bewaartermijn,
        procestermijn=procestermijn,
        procestermijn_opmerking=_text(fields, "procestermijn_opmerking"),
        toelichting=toelichting,
        taakgebieden=tuple(name for name in TAAKGEBIEDEN if fields.get(name) is True),
        withdrawn=withdrawn,
        replaced_by=replaced[0] if replaced else None,
    )


def load_file(path: Path, jaar: int) -> Selectielijst:
    """Read one year's list from ``path``; :class:`SelectielijstDataError` if it does not fit."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        types, results = parse_fixture(data, jaar)
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise SelectielijstDataError(path, f"{type(exc).__name__}: {exc}") from exc
    if not types or not results:
        raise SelectielijstDataError(path, "no procestypen or no results")
    return Selectielijst(jaar, path, types, results)


class Registry:
    """The lists in one folder (``selectielijst_<jaar>.json`` each), each year loaded lazily.

    Years are independent: each is read from its own file and cached on its own.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[int, Selectielijst] = {}
        # the UI may ask from a worker thread while the main thread asks too: load once
        self._lock = threading.Lock()

    def files(self) -> Mapping[int, Path]:
        found: dict[int, Path] = {}
        for path in sorted(self.folder.glob("selectielijst_*.json")):
            match = _FILE_PATTERN.match(path.name)
            if match:
                found[int(match.group(1))] = path
        return found

    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.files()))

    def get(self, jaar: int) -> Selectielijst:
        """The list of ``jaar``; a :class:`~recordsdesk.errors.NotFoundError` if there is none."""
        with self._lock:
            if jaar not in self._loaded:
                path = self.files().get(jaar)
                if path is None:
                    available = ", ".join(str(y) for y in self.years()) or "-"
                    raise NotFoundError(UNKNOWN_YEAR, {"jaar": jaar, "available": available})
                self._loaded[jaar] = load_file(path, jaar)
            return self._loaded[jaar]


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The lists shipped with the app (``resources/selectielijst/``)."""
    return Registry(resource_path("selectielijst"))


# --- the public functions (the shipped lists) ----------------------------------------------


def lists() -> tuple[int, ...]:
    """The years of the lists shipped with the app, oldest first (today: ``(2020,)``)."""
    return registry().years()


def latest() -> int:
    """The most recent list's year (the default for new classifications)."""
    years = lists()
    if not years:
        raise SelectielijstDataError(registry().folder, "no selectielijst_<jaar>.json files")
    return years[-1]


def selectielijst(jaar: int) -> Selectielijst:
    return registry().get(jaar)


def procestypen(jaar: int) -> tuple[Procestype, ...]:
    return registry().get(jaar).procestypen


def procestype(jaar: int, nummer: int) -> Procestype:
    for found in procestypen(jaar):
        if found.nummer == nummer:
            return found
    raise NotFoundError(UNKNOWN_PROCESTYPE, {"jaar": jaar, "nummer": nummer})


def resultaten(jaar: int, procestype_nummer: int | None = None) -> tuple[Resultaat, ...]:
    """Every result of ``jaar`` (withdrawn ones included), in number order."""
    everything = registry().get(jaar).resultaten
    if procestype_nummer is None:
        return everything
    return tuple(r for r in everything if r.procestype == procestype_nummer)


def resultaat(jaar: int, nummer: str) -> Resultaat:
    """The result ``nummer`` (e.g. "11.1.2") of ``jaar``, withdrawn or not.

    Raises :class:`~recordsdesk.errors.NotFoundError` for an unknown year or number.
    """
    found = registry().get(jaar).get(nummer)
    if found is None:
        raise NotFoundError(UNKNOWN_RESULT, {"jaar": jaar, "nummer": nummer.strip()})
    return found


def choosable(jaar: int, nummer: str) -> Resultaat:
    """The result to classify a dossier with: like :func:`resultaat`, but a withdrawn
    result is refused with a :class:`~recordsdesk.errors.UserError` (naming its
    replacement where the list gives one)."""
    found = resultaat(jaar, nummer)
    if found.withdrawn:
        params = {"jaar": jaar, "nummer": found.volledig_nummer, "omschrijving": found.omschrijving}
        if found.replaced_by:
            raise UserError(WITHDRAWN_RESULT_REPLACED, {**params, "replacement": found.replaced_by})
        raise UserError(WITHDRAWN_RESULT, params)
    return found


def search(jaar: int, text: str) -> tuple[Resultaat, ...]:
    """Results of ``jaar`` matching every word of ``text``, in number order.

    A word that is a number ("11" or "11.1") matches that result and the ones under
    it; other words match (case- and accent-insensitively) anywhere in the number,
    naam, omschrijving, toelichting, herkomst or the procestype's naam. Empty text
    matches everything.
    """
    words = fold(text).split()
    found = selectielijst(jaar)
    return tuple(r for r in found.resultaten if all(_matches(r, w, found) for w in words))


def _matches(result: Resultaat, word: str, found: Selectielijst) -> bool:
    prefix = word.rstrip(".")
    if _NUMBER.match(prefix) or prefix.isdigit():
        return result.volledig_nummer == prefix or result.volledig_nummer.startswith(prefix + ".")
    return word in found.search_text[result.volledig_nummer]


def _haystack(result: Resultaat, type_name: str) -> str:
    parts = (
        result.volledig_nummer,
        result.naam,
        result.omschrijving,
        result.toelichting,
        result.herkomst,
        type_name,
    )
    return fold(" ".join(parts))
