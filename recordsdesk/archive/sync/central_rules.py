"""Archival rules the central archive applies to what a workstation pushes.

The central archive is where retention is enforced, so a pushed row is checked
against the central state before it is written, on every database (on
PostgreSQL the database's own triggers and policies refuse the same and more):

* nothing new goes into a dossier that is closed, destroyed or transferred
  centrally (a workstation that filed offline learns it here);
* a destroyed or transferred object is never brought back by a push;
* a closed dossier's retention is computed here from its Selectielijst result:
  waardering and bewaartermijn must be the result's, and the archiefactiedatum
  (and for B the overbrengingsdatum) is what the central settings give.

:func:`check` returns the reason a row is refused (a :class:`Refusal`) or
``None``; it may adjust the row (the central dates) in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from recordsdesk.db.models import Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.retention import dates, selectielijst
from recordsdesk.services import organisation

_FINAL = ("destroyed", "transferred")
# the status as a word in a sentence, in the user's language
_STATUS_WORDS = {
    "closed": N_("closed"),
    "destroyed": N_("destroyed"),
    "transferred": N_("transferred"),
}
_SHUT = ("closed", *_FINAL)
SETTING_OVERBRENGING = "retention.overbrengingstermijn"


@dataclass(frozen=True)
class Refusal:
    """Why the central archive refused a row: a msgid and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _word(status: str) -> str:
    return _(_STATUS_WORDS.get(status, status))


States = Mapping[str, tuple[str, str] | None]


def parent_state(
    connection: Connection, parent_id: str | None, known: States | None = None
) -> tuple[str, str] | None:
    """(status, kenmerk) of the central parent, or None. ``known``: states the caller
    read for its whole page already (and keeps current as it writes), by id."""
    if parent_id is None:
        return None
    if known is not None and parent_id in known:
        return known[parent_id]
    row = connection.execute(
        select(Informatieobject.status, Informatieobject.kenmerk).where(
            Informatieobject.id == parent_id
        )
    ).first()
    return None if row is None else (row.status, row.kenmerk)


def check_object(
    connection: Connection,
    row: dict[str, Any],
    central: Mapping[str, Any] | None,
    known: States | None = None,
) -> Refusal | None:
    """Rules for one pushed informatieobject (``central``: its central row, if any;
    ``known``: see :func:`parent_state`)."""
    if central is not None and central["status"] in _FINAL and row["status"] != central["status"]:
        return Refusal(
            N_("{kenmerk} was {status} in the central archive; it cannot change any more."),
            {"kenmerk": row["kenmerk"], "status": _word(central["status"])},
        )
    if central is None:
        parent = parent_state(connection, row["parent_id"], known)
        # A record that is itself closed was filed before its dossier was closed (closing
        # closes the records with it): the workstation pushes both. An open record under
        # a dossier shut centrally was filed by a workstation that did not know.
        if (
            parent is not None
            and parent[0] in _SHUT
            and row["aggregatieniveau"] == "Archiefstuk"
            and row["status"] == "open"
        ):
            return Refusal(
                N_(
                    "{kenmerk} cannot be added: dossier {dossier} is {status} in the "
                    "central archive. File it into an open dossier."
                ),
                {"kenmerk": row["kenmerk"], "dossier": parent[1], "status": _word(parent[0])},
            )
    if row["status"] == "closed" and row["aggregatieniveau"] == "Dossier":
        return _retention(connection, row)
    return None


def check_child(
    connection: Connection, object_id: str, what: str, known: States | None = None
) -> Refusal | None:
    """A bestand or event may not be added under a destroyed or transferred object."""
    state = parent_state(connection, object_id, known)
    if state is not None and state[0] in _FINAL:
        return Refusal(
            N_("{what} cannot be added: {kenmerk} is {status} in the central archive."),
            {"what": _(what), "kenmerk": state[1], "status": _word(state[0])},
        )
    return None


def _retention(connection: Connection, row: dict[str, Any]) -> Refusal | None:
    """Compute a closed dossier's dates centrally; refuse what contradicts its result."""
    jaar, nummer = row["selectielijst_jaar"], row["resultaat_nummer"]
    if jaar is None or nummer is None:
        return Refusal(
            N_("{kenmerk} is closed without a Selectielijst result."), {"kenmerk": row["kenmerk"]}
        )
    try:
        result = selectielijst.resultaat(jaar, nummer)
    except UserError:
        return Refusal(
            N_("{kenmerk}: Selectielijst {jaar} has no result {nummer}."),
            {"kenmerk": row["kenmerk"], "jaar": jaar, "nummer": nummer},
        )
    waardering = "B" if result.mdto_waardering == "B" else "V"
    if row["waardering"] != waardering or (
        waardering == "V" and row["bewaartermijn"] != result.bewaartermijn
    ):
        return Refusal(
            N_(
                "{kenmerk}: waardering {waardering} and bewaartermijn {termijn} do not "
                "follow from result {nummer} of Selectielijst {jaar}."
            ),
            {
                "kenmerk": row["kenmerk"],
                "waardering": row["waardering"],
                "termijn": row["bewaartermijn"] or "-",
                "nummer": nummer,
                "jaar": jaar,
            },
        )
    closed_on = row["gesloten_op"]
    if closed_on is None:
        return Refusal(
            N_("{kenmerk} is closed without a closing date."), {"kenmerk": row["kenmerk"]}
        )
    if waardering == "B":
        with Session(bind=connection) as session:
            term = organisation.setting_value(session, SETTING_OVERBRENGING)
        transfer = dates.add(closed_on, dates.parse_duration(term))
        row["archiefactiedatum"] = row["overbrengingsdatum"] = transfer
    elif row["brondatum"] is not None and result.bewaartermijn:
        row["archiefactiedatum"] = dates.add(
            row["brondatum"], dates.parse_duration(result.bewaartermijn)
        )
    return None
