"""Dutch municipalities from the TOOI register "Gemeenten compleet", for archiefvormer.

The register ships as JSON-LD in ``resources/mdto/begrippenlijsten/tooi/``
(version 4, zichtdatum 2022-12-22, municipal reorganisation of 2023-01-01
included). It holds every gemeente past and present; a gemeente is *current*
when the register gives it no end date. Changes after the register's date are
unknown to it.

Contracts: the register is loaded once per process (cached); a missing or
malformed file raises :class:`~recordsdesk.mdto.begrippen.BegrippenDataError`
naming the file (a developer error). Keys are full URIs, values JSON-LD value
lists; entries of other types (merger events, the ontology header) are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from recordsdesk.mdto.begrippen import BegrippenDataError, fold
from recordsdesk.mdto.model import Identificatie, Verwijzing
from recordsdesk.resources import resource_path

# The list name mdto.py (and the domain notes) use for archiefvormer references.
TOOI_LIST_NAME = "TOOI register Gemeenten compleet"
REGISTER_FILE = "rwc_gemeenten_compleet_4.json"

_ONT = "https://identifier.overheid.nl/tooi/def/ont/"
_GEMEENTE_TYPE = _ONT + "Gemeente"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class Gemeente:
    """One municipality: ``code`` is the TOOI organisatiecode (``gm0599``),
    ``gemeentecode`` the CBS number (``0599``), ``label`` the preferred name
    including its kind ("gemeente Rotterdam"). ``begin``/``end`` are the first
    and last day it existed, None where the register gives none (``end`` None:
    it still exists). ``sort_name`` is the register's folded sort name."""

    code: str
    gemeentecode: str
    label: str
    name: str
    begin: dt.date | None
    end: dt.date | None
    uri: str
    sort_name: str

    @property
    def current(self) -> bool:
        """True if the register gives it no end date."""
        return self.end is None

    def exists_on(self, day: dt.date) -> bool:
        """Whether it existed on ``day`` (begin and end inclusive)."""
        return (self.begin is None or self.begin <= day) and (self.end is None or day <= self.end)

    def archiefvormer(self) -> Verwijzing:
        """This gemeente as MDTO ``archiefvormer`` (a verwijzing to an actor, not a begrip):
        its name, identified by its TOOI code in the TOOI register."""
        return Verwijzing(self.label, Identificatie(self.code, TOOI_LIST_NAME))


def _value(entry: Mapping[str, Any], key: str) -> str | None:
    """The first ``@value`` of a JSON-LD property, or None if absent."""
    values = entry.get(key)
    if values is None:
        return None
    if not isinstance(values, list) or not values or not isinstance(values[0], dict):
        raise ValueError(f"{key} is not a JSON-LD value list in {entry.get('@id')}")
    value = values[0].get("@value")
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} has no text value in {entry.get('@id')}")
    return value.strip()


def _required(entry: Mapping[str, Any], key: str) -> str:
    value = _value(entry, key)
    if value is None:
        raise ValueError(f"{key} missing in {entry.get('@id')}")
    return value


def _date(entry: Mapping[str, Any], key: str) -> dt.date | None:
    value = _value(entry, key)
    return None if value is None else dt.date.fromisoformat(value[:10])


def _parse(entry: Mapping[str, Any]) -> Gemeente:
    label = _value(entry, _ONT + "voorkeursnaamInclSoort") or _required(entry, _LABEL)
    return Gemeente(
        code=_required(entry, _ONT + "organisatiecode").lower(),
        gemeentecode=_required(entry, _ONT + "gemeentecode"),
        label=label,
        name=_value(entry, _ONT + "voorkeursnaamExclSoort") or label,
        begin=_date(entry, _ONT + "begindatum"),
        end=_date(entry, _ONT + "einddatum"),
        uri=str(entry.get("@id", "")),
        # The register's own sort name files "'s-Hertogenbosch" under H.
        sort_name=fold(_value(entry, _ONT + "voorkeursnaamSorteer") or label),
    )


@lru_cache(maxsize=1)
def _register() -> Mapping[str, Gemeente]:
    path: Path = resource_path("mdto", "begrippenlijsten", "tooi", REGISTER_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BegrippenDataError(path, str(exc)) from exc
    result: dict[str, Gemeente] = {}
    try:
        for entry in data:
            if _GEMEENTE_TYPE not in entry.get("@type", ()):
                continue
            gemeente = _parse(entry)
            if gemeente.code in result:
                raise ValueError(f"{gemeente.code} occurs twice")
            result[gemeente.code] = gemeente
    except (AttributeError, TypeError, ValueError) as exc:
        raise BegrippenDataError(path, f"{type(exc).__name__}: {exc}") from exc
    if not result:
        raise BegrippenDataError(path, "no gemeenten found")
    return result


def municipality(code: str) -> Gemeente | None:
    """The gemeente with this TOOI code (``gm0599``, any case) or CBS number
    (``0599`` or ``599``), or None if the register does not know it."""
    wanted = code.strip().lower()
    if wanted.isdigit() and len(wanted) <= 4:
        wanted = "gm" + wanted.zfill(4)
    return _register().get(wanted)


@lru_cache(maxsize=1)
def _all_sorted() -> tuple[Gemeente, ...]:
    return tuple(sorted(_register().values(), key=lambda g: (g.sort_name, g.code)))


def municipalities(on: dt.date | None = None) -> tuple[Gemeente, ...]:
    """Gemeenten sorted by name as the register sorts it (``'s-Hertogenbosch`` under H).

    With ``on``, only those that existed on that day; without, every gemeente
    in the register, past and present (archives outlive municipal mergers).
    """
    if on is None:
        return _all_sorted()
    return tuple(g for g in _all_sorted() if g.exists_on(on))
