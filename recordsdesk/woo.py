"""Woo value lists: the information categories of the Wet open overheid (art. 3.3).

Read from ``resources/woo/woo-informatiecategorieen.csv`` (TOOI list
``scw_woo_informatiecategorieen`` version 4; provenance in its SOURCE.md).
A category is kept by its TOOI URI; people may name it by that URI, by its
TOOI code (``c_139c6280``), by its Woo article (``3.3 lid 1 sub a``) or by
its Dutch name, singular or plural, in any case.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.resources import resource_path


@dataclass(frozen=True)
class Informatiecategorie:
    uri: str
    code: str
    artikel: str
    naam: str  # singular, as the DiWoo schema labels it in lists
    naam_meervoud: str


@cache
def informatiecategorieen() -> tuple[Informatiecategorie, ...]:
    """The 18 categories in the list's own order."""
    with resource_path("woo", "woo-informatiecategorieen.csv").open(encoding="utf-8") as f:
        return tuple(
            Informatiecategorie(
                uri=row["tooi_uri"],
                code=row["tooi_code"],
                artikel=row["woo_artikel"],
                naam=row["naam_enkelvoud"],
                naam_meervoud=row["naam_meervoud"],
            )
            for row in sorted(csv.DictReader(f), key=lambda r: int(r["order"]))
        )


def find_informatiecategorie(text: str) -> Informatiecategorie:
    """The category ``text`` names (see the module docstring); a clear refusal otherwise."""
    wanted = " ".join(text.split()).casefold()
    for category in informatiecategorieen():
        names = (category.uri, category.code, category.artikel, category.naam)
        if wanted in {n.casefold() for n in (*names, category.naam_meervoud)}:
            return category
    raise UserError(
        N_(
            "Unknown Woo information category: {value}. Use its name, TOOI code or "
            "article, e.g. 'convenanten' or '3.3 lid 2 sub f'."
        ),
        {"value": text},
    )
