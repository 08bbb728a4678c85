"""The weigeringsgronden of the Woo: the legal grounds for withholding information.

Read from ``resources/woo/weigeringsgronden.csv`` (provenance in its SOURCE.md):
5.1.1a-e (absolute grounds, art. 5.1 lid 1), 5.1.2a-i (relative grounds that
need a weighing of interests, lid 2), 5.1.5, 5.2 and 5.4.

Contracts:

* :func:`parse_gronden` reads a list as people type it (``"5.1.1c; 5.1.2e"``,
  ``"5.1.2 E, 5.2"``): separated by ``;`` or ``,``, spaces and case free. It
  returns the codes once each, in the list's own order (the order of the law),
  and refuses an unknown code with a message that lists the valid ones.
* :func:`format_gronden` writes codes as the inventory list does (``"; "``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.resources import resource_path

SEPARATOR = "; "
_SPLIT = re.compile(r"[;,]")
# "art. 5.1.2e", "artikel 5.2": the article word is noise around the code
_ARTICLE_WORD = re.compile(r"^(?:artikel|art\.?)")


@dataclass(frozen=True)
class Weigeringsgrond:
    code: str  # "5.1.2e", as the inventory list writes it
    artikel: str  # "Woo art. 5.1 lid 2 sub e"
    omschrijving: str  # Dutch, as in the law
    absoluut: bool  # lid 1: no weighing of interests

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "artikel": self.artikel,
            "omschrijving": self.omschrijving,
            "absoluut": self.absoluut,
        }


@cache
def weigeringsgronden() -> tuple[Weigeringsgrond, ...]:
    """Every ground, in the order of the law."""
    with resource_path("woo", "weigeringsgronden.csv").open(encoding="utf-8", newline="") as f:
        return tuple(
            Weigeringsgrond(
                code=row["code"],
                artikel=row["artikel"],
                omschrijving=row["omschrijving"],
                absoluut=row["absoluut"] == "ja",
            )
            for row in csv.DictReader(f)
        )


def parse_gronden(text: str | None) -> tuple[str, ...]:
    """The codes named in ``text``; see the module contract. Blank gives ``()``."""
    if text is None:
        return ()
    known = _by_code()
    wanted: set[str] = set()
    unknown: list[str] = []
    for part in _SPLIT.split(text):
        code = _normalise(part)
        if not code:
            continue
        if code in known:
            wanted.add(code)
        else:
            unknown.append(part.strip())
    if unknown:
        raise UserError(
            N_("Unknown weigeringsgrond: {codes}. Valid grounds: {valid}."),
            {"codes": ", ".join(unknown), "valid": ", ".join(known)},
        )
    return tuple(code for code in known if code in wanted)


def format_gronden(codes: tuple[str, ...]) -> str:
    return SEPARATOR.join(codes)


def _normalise(part: str) -> str:
    squeezed = "".join(part.split()).casefold()
    return _ARTICLE_WORD.sub("", squeezed)


@cache
def _by_code() -> dict[str, Weigeringsgrond]:
    return {grond.code: grond for grond in weigeringsgronden()}
