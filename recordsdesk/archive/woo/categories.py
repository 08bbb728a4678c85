"""The Woo information category of a record or dossier (recordsdesk.woo, TOOI URIs).

Contract of :func:`set_woo_category` (one transaction with its audit row):

* the category is named as :func:`recordsdesk.woo.find_informatiecategorie`
  accepts (name, TOOI code, article or URI) and kept as its TOOI URI;
* on a record, or on a dossier (there it is the default for records filed later;
  records already in it keep theirs);
* refused on destroyed or transferred objects; a closed (frozen) object changes
  only by a records manager, as its other metadata does;
* setting the category it already has changes nothing and writes no audit row.

Records get a category when they are filed (:mod:`recordsdesk.services.filing`):
the drop folder's, else the dossier's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recordsdesk import audit
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services import roles
from recordsdesk.services.dossiers import DOSSIER, RECORD, find_by_kenmerk
from recordsdesk.services.workspace import Workspace
from recordsdesk.woo import find_informatiecategorie, informatiecategorieen


@dataclass(frozen=True)
class CategoryChange:
    kenmerk: str
    old: str | None  # TOOI URIs
    new: str
    naam: str  # the category's Dutch name

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def to_json(self) -> dict[str, Any]:
        return {"kenmerk": self.kenmerk, "old": self.old, "new": self.new, "naam": self.naam}


def set_woo_category(ws: Workspace, kenmerk: str, category_text: str) -> CategoryChange:
    """Give the record or dossier ``kenmerk`` a Woo category; see the module contract."""
    category = find_informatiecategorie(category_text)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = find_by_kenmerk(session, kenmerk, (RECORD, DOSSIER))
        if row.status in ("destroyed", "transferred"):
            raise UserError(
                N_("{kenmerk} was destroyed or transferred; its Woo category cannot change."),
                {"kenmerk": row.kenmerk},
            )
        change = CategoryChange(row.kenmerk, row.woo_informatiecategorie, category.uri,
                                category.naam)  # fmt: skip
        if not change.changed:
            return change
        if row.status == "closed":
            roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        row.woo_informatiecategorie = category.uri
        row.updated_at = now
        session.flush()
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.category_set",
            object_type="informatieobject",
            object_id=row.id,
            details={"kenmerk": row.kenmerk, "old": change.old, "new": change.new},
        )
        return change


def category_name(uri: str | None) -> str | None:
    """The Dutch name of the category with this TOOI URI (None for none or unknown)."""
    for category in informatiecategorieen():
        if category.uri == uri:
            return category.naam
    return None
