"""Destruction and transfer lists: compiling them and the four-eyes procedure (issue 5).

The states, as the Dutch procedure names them::

    concept -> ter_beoordeling -> beoordeeld -> ter_accordering -> geaccordeerd
            -> vernietigd (destruction) | uitgevoerd -> overgebracht (transfer)
    plus wijzigingen_gevraagd (back to the author) and afgebroken (aborted)

Contracts:

* :func:`create_list` (records manager) takes every dossier due on the day
  (closed, archiefactiedatum on or before it, waardering V for destruction and
  B for transfer), except held ones and those on another list still in
  progress, in one INSERT ... SELECT (a list of 100,000 items is one
  statement). An empty list is refused.
* The reviewer (process owner) reviews: without exclusions the list is
  *beoordeeld*; excluding items (each with a reason) or rejecting sends it back
  (*wijzigingen gevraagd*). The archivist approves (*geaccordeerd*) or rejects
  the same way. The author then keeps or removes each excluded item
  (:func:`decide`) and submits again. Neither the reviewer nor the approver is
  ever the author.
* Every change locks the list row and raises its ``version``; a caller that
  passes ``expected_version`` (what the user looked at) is refused when someone
  else changed the list meanwhile, so no update is lost.
* Each action is one transaction with its audit row(s).

Execution lives in :mod:`recordsdesk.services.disposal_run`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, cast, exists, func, insert, literal, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import flag_modified

from recordsdesk import audit
from recordsdesk.db.models import DisposalItem, DisposalList, Informatieobject, table_of
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.i18n import N_
from recordsdesk.services import dossiers, roles
from recordsdesk.services.holds import held_ids, held_lookup
from recordsdesk.services.workspace import Workspace

DESTRUCTION, TRANSFER = "destruction", "transfer"
FINAL = ("afgebroken", "vernietigd", "overgebracht")
ON_LIST = ("listed", "excluded", "kept")  # item states that keep a dossier on a list
TO_CARRY_OUT = ("listed", "kept")
_CHUNK = 500


@dataclass(frozen=True)
class ListInfo:
    """A list's header and item counts (safe to hand to another thread)."""

    id: str
    kind: str
    naam: str
    state: str
    on_date: dt.date
    author: str
    reviewer: str | None
    reviewed_by: str | None
    approved_by: str | None
    executed_by: str | None
    created_at: dt.datetime
    version: int
    counts: Mapping[str, int]
    last_reason: str | None
    execution_started: bool = False  # carried out in part: only finishing it is possible

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "naam": self.naam,
            "state": self.state,
            "on": self.on_date.isoformat(),
            "author": self.author,
            "reviewer": self.reviewer,
            "reviewed_by": self.reviewed_by,
            "approved_by": self.approved_by,
            "executed_by": self.executed_by,
            "created_at": self.created_at.isoformat(),
            "version": self.version,
            "counts": dict(self.counts),
            "last_reason": self.last_reason,
            "execution_started": self.execution_started,
        }


@dataclass(frozen=True)
class ItemInfo:
    kenmerk: str
    naam: str
    resultaat: str | None
    archiefactiedatum: dt.date | None
    state: str
    note: str | None  # the exclusion, decision or execution reason
    held: bool = False  # still to carry out, and under a legal hold now (it will be skipped)

    def to_json(self) -> dict[str, Any]:
        day = self.archiefactiedatum
        return {
            "kenmerk": self.kenmerk,
            "naam": self.naam,
            "resultaat": self.resultaat,
            "archiefactiedatum": day.isoformat() if day else None,
            "state": self.state,
            "note": self.note,
            "held": self.held,
        }


def create_list(ws: Workspace, *, kind: str, name: str, on: dt.date | None = None) -> ListInfo:
    """Compile a list of everything due on ``on`` (default today); see the contract."""
    naam = " ".join(name.split())
    if not naam:
        raise UserError(N_("A list needs a name."))
    if kind not in (DESTRUCTION, TRANSFER):
        raise UserError(N_("{kind} is not a kind of list."), {"kind": kind})
    now = ws.clock()
    day = on or now.astimezone().date()
    with ws.sessions() as session, session.begin():
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        row = DisposalList(
            id=str(uuid.uuid4()),
            kind=kind,
            naam=naam[:300],
            state="concept",
            on_date=day,
            author=ws.actor,
            created_at=now,
            updated_at=now,
            review_round=0,
        )
        session.add(row)
        session.flush()
        listed = _insert_candidates(session, row.id, kind, day)
        if listed:
            listed -= _drop_held(session, row.id)
        if not listed:
            raise UserError(
                N_("Nothing is due on {date} for this kind of list; no list was made."),
                {"date": day.isoformat()},
            )
        _audit(session, ws, now, "disposal.created", row, {"items": listed, "on": day.isoformat()})
        return _info(session, row)


def submit(
    ws: Workspace, list_id: str, *, reviewer: str | None = None, expected: int | None = None
) -> ListInfo:
    """The author hands the list on: to the reviewer (from concept or after changes were
    asked) or, once reviewed, to the archivist for approval."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = lock_list(session, list_id, expected)
        roles.require(session, ws.actor, roles.RECORDS_MANAGER)
        _require_author(row, ws.actor)
        if row.state in ("concept", "wijzigingen_gevraagd"):
            undecided = _count(session, row.id, ("excluded",))
            if undecided:
                raise UserError(
                    N_(
                        "{count} excluded items still wait for your decision (keep or remove); "
                        "decide them first."
                    ),
                    {"count": undecided},
                )
            who = " ".join((reviewer or row.reviewer or "").split())
            if not who:
                raise UserError(N_("Name the reviewer (the process owner) who reviews the list."))
            if who == row.author:
                raise UserError(N_("The author cannot review their own list; name someone else."))
            row.reviewer = who
            target = "ter_beoordeling"
        elif row.state == "beoordeeld":
            target = "ter_accordering"
        else:
            raise _wrong_state(row)
        if not _count(session, row.id, TO_CARRY_OUT):
            raise UserError(N_("No items are left on the list; abort it instead."))
        _move(session, ws, now, row, target, {"reviewer": row.reviewer})
        return _info(session, row)


def review(
    ws: Workspace,
    list_id: str,
    *,
    exclusions: Mapping[str, str] | None = None,
    expected: int | None = None,
) -> ListInfo:
    """The reviewer's verdict: no exclusions -> *beoordeeld*; exclusions (kenmerk ->
    reason) -> *wijzigingen gevraagd*, back to the author."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = lock_list(session, list_id, expected)
        if row.state != "ter_beoordeling":
            raise _wrong_state(row)
        _require_reviewer(session, row, ws.actor)
        excluded = _exclude(session, row, exclusions or {}, ws.actor)
        row.review_round += 1
        row.reviewed_by, row.reviewed_at = ws.actor, now
        target = "wijzigingen_gevraagd" if excluded else "beoordeeld"
        _move(session, ws, now, row, target, {"excluded": excluded})
        return _info(session, row)


def approve(ws: Workspace, list_id: str, *, expected: int | None = None) -> ListInfo:
    """The archivist approves a reviewed list (*geaccordeerd*); never the author."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = lock_list(session, list_id, expected)
        if row.state != "ter_accordering":
            raise _wrong_state(row)
        roles.require(session, ws.actor, roles.ARCHIVIST)
        if ws.actor == row.author:
            raise UserError(N_("You compiled this list, so you cannot approve it (four eyes)."))
        row.approved_by, row.approved_at = ws.actor, now
        _move(session, ws, now, row, "geaccordeerd", {})
        return _info(session, row)


def reject(
    ws: Workspace,
    list_id: str,
    reason: str,
    *,
    exclusions: Mapping[str, str] | None = None,
    expected: int | None = None,
) -> ListInfo:
    """The reviewer (under review) or the archivist (under approval) sends the list back
    with a reason, optionally excluding items; the author gets *wijzigingen gevraagd*."""
    text = _reason(reason)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = lock_list(session, list_id, expected)
        if row.state == "ter_beoordeling":
            _require_reviewer(session, row, ws.actor)
            row.review_round += 1
        elif row.state == "ter_accordering":
            roles.require(session, ws.actor, roles.ARCHIVIST)
            if ws.actor == row.author:
                raise UserError(N_("You compiled this list; someone else must judge it."))
        else:
            raise _wrong_state(row)
        excluded = _exclude(session, row, exclusions or {}, ws.actor)
        row.last_reason = text
        _move(session, ws, now, row, "wijzigingen_gevraagd", {"reason": text, "excluded": excluded})
        return _info(session, row)


def decide(
    ws: Workspace,
    list_id: str,
    typed_kenmerk: str,
    *,
    keep: bool,
    reason: str = "",
    expected: int | None = None,
) -> ListInfo:
    """The author keeps an excluded item on the list (with a reason) or removes it; in
    concept the author may also remove any item."""
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = lock_list(session, list_id, expected)
        _require_author(row, ws.actor)
        if row.state not in ("concept", "wijzigingen_gevraagd"):
            raise _wrong_state(row)
        item = _item(session, row, typed_kenmerk)
        allowed = ("excluded",) if keep else ("listed", "excluded", "kept")
        if item.state not in allowed:
            raise UserError(
                N_("{kenmerk} is {state} on this list; that cannot be changed now."),
                {"kenmerk": item.kenmerk, "state": item.state},
            )
        text = " ".join(reason.split())
        if keep and not text:
            raise UserError(N_("Keeping an excluded item needs a reason for the reviewer."))
        item.state = "kept" if keep else "removed"
        item.decided_by, item.decision_reason = ws.actor, text or None
        _touch(row, now)
        session.flush()
        _audit(
            session, ws, now, "disposal.item_kept" if keep else "disposal.item_removed", row,
            {"kenmerk": item.kenmerk, "reason": text or None},
        )  # fmt: skip
        return _info(session, row)


def abort(ws: Workspace, list_id: str, reason: str, *, expected: int | None = None) -> ListInfo:
    """Abort a list that is not being carried out (author or admin); its dossiers are
    free to go on another list."""
    text = _reason(reason)
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        row = lock_list(session, list_id, expected)
        if ws.actor != row.author:
            roles.require(session, ws.actor, roles.ADMIN)
        if row.state in FINAL or row.execution_started_at is not None:
            raise _wrong_state(row)
        row.last_reason = text
        _move(session, ws, now, row, "afgebroken", {"reason": text})
        return _info(session, row)


def show(ws: Workspace, list_id: str) -> ListInfo:
    with ws.readers() as session:
        return _info(session, find_list(session, list_id))


def all_lists(ws: Workspace, *, include_final: bool = True) -> list[ListInfo]:
    with ws.readers() as session:
        query = select(DisposalList).order_by(DisposalList.created_at)
        if not include_final:
            query = query.where(DisposalList.state.not_in(FINAL))
        return [_info(session, row) for row in session.scalars(query)]


def items(ws: Workspace, list_id: str, *, offset: int = 0, limit: int = 1000) -> list[ItemInfo]:
    """A page of the list's items in list order (lists can hold 100,000 items)."""
    with ws.readers() as session:
        row = find_list(session, list_id)
        query = (
            select(DisposalItem, Informatieobject.parent_id)
            .join(Informatieobject, Informatieobject.id == DisposalItem.object_id)
            .where(DisposalItem.list_id == row.id)
            .order_by(DisposalItem.position)
            .offset(offset)
            .limit(limit)
        )
        page = session.execute(query).all()
        lookup = held_lookup(session)  # holds show wherever the dossier does
        waiting = [(item, parent) for item, parent in page if item.state in TO_CARRY_OUT]
        unsure = [i.object_id for i, p in waiting if lookup.is_held(i.object_id, p) is None]
        held = held_ids(session, unsure) | {
            i.object_id for i, p in waiting if lookup.is_held(i.object_id, p)
        }
        return [
            dataclasses.replace(item_info(item), held=item.object_id in held)
            for item, _parent in page
        ]


def item_info(item: DisposalItem) -> ItemInfo:
    note = item.outcome_reason or item.decision_reason or item.exclusion_reason
    return ItemInfo(
        item.kenmerk, item.naam, resultaat_text(item), item.archiefactiedatum, item.state, note
    )


def resultaat_text(item: DisposalItem) -> str | None:
    if item.resultaat_nummer is None:
        return None
    return f"{item.selectielijst_jaar} {item.resultaat_nummer}"


def find_list(session: Session, typed: str, *, lock: bool = False) -> DisposalList:
    """The list whose id is ``typed`` or starts with it (at least 6 characters)."""
    text = typed.strip().lower()
    if len(text) < 6:
        raise NotFoundError(N_("No list with id {id}; give at least 6 characters."), {"id": typed})
    # SQLite keeps a UUID as 32 hex digits, PostgreSQL as uuid: compare both without dashes
    bare = func.replace(cast(DisposalList.id, String), "-", "")
    query = select(DisposalList.id).where(bare.startswith(text.replace("-", ""))).limit(2)
    found = session.scalars(query).all()
    if len(found) != 1:
        raise NotFoundError(
            N_("No list with id {id}.") if not found else N_("Several lists start with {id}."),
            {"id": typed},
        )
    row = session.get(DisposalList, found[0], with_for_update=lock, populate_existing=lock)
    assert row is not None
    return row


def _insert_candidates(session: Session, list_id: str, kind: str, day: dt.date) -> int:
    io = Informatieobject
    other, other_list = aliased(DisposalItem), aliased(DisposalList)
    busy = exists().where(
        other.object_id == io.id,
        other.state.in_(ON_LIST),
        other_list.id == other.list_id,
        other_list.state.not_in(FINAL),
    )
    candidates = select(
        literal(list_id, type_=DisposalItem.list_id.type),
        io.id,
        func.row_number().over(order_by=io.kenmerk),
        io.kenmerk,
        io.naam,
        io.waardering,
        io.selectielijst_jaar,
        io.resultaat_nummer,
        io.gesloten_op,
        io.archiefactiedatum,
        io.version,
        literal("listed"),
    ).where(
        io.status == "closed",
        io.aggregatieniveau == dossiers.DOSSIER,
        io.archiefactiedatum <= day,
        io.waardering == ("V" if kind == DESTRUCTION else "B"),
        ~busy,
    )
    columns = (
        "list_id", "object_id", "position", "kenmerk", "naam", "waardering",
        "selectielijst_jaar", "resultaat_nummer", "gesloten_op", "archiefactiedatum",
        "listed_version", "state",
    )  # fmt: skip
    session.execute(insert(table_of(DisposalItem)).from_select(columns, candidates))
    # counted, not taken from rowcount: drivers differ in what they report for INSERT … SELECT
    return _count(session, list_id, ON_LIST)


def _drop_held(session: Session, list_id: str) -> int:
    """Take held dossiers off a new list again; returns how many."""
    lookup = held_lookup(session)
    if not lookup.roots:
        return 0
    rows = session.execute(
        select(DisposalItem.object_id, Informatieobject.parent_id)
        .join(Informatieobject, Informatieobject.id == DisposalItem.object_id)
        .where(DisposalItem.list_id == list_id)
    ).all()
    doomed: list[str] = []
    unsure: list[str] = []
    for object_id, parent_id in rows:
        answer = lookup.is_held(object_id, parent_id)
        if answer:
            doomed.append(object_id)
        elif answer is None:
            unsure.append(object_id)
    doomed.extend(held_ids(session, unsure))
    for start in range(0, len(doomed), _CHUNK):
        session.execute(
            table_of(DisposalItem)
            .delete()
            .where(
                and_(
                    DisposalItem.list_id == list_id,
                    DisposalItem.object_id.in_(doomed[start : start + _CHUNK]),
                )
            )
        )
    return len(doomed)


def lock_list(session: Session, list_id: str, expected: int | None) -> DisposalList:
    """The list, locked for this transaction; refused when ``expected`` (the version the
    user saw) is given and the list has changed since."""
    row = find_list(session, list_id, lock=True)
    if expected is not None and row.version != expected:
        raise UserError(
            N_(
                "The list {naam} was changed by someone else meanwhile (version {now}, you saw "
                "{seen}); look at it again and repeat your change."
            ),
            {"naam": row.naam, "now": row.version, "seen": expected},
        )
    return row


def _require_author(row: DisposalList, actor: str) -> None:
    if actor != row.author:
        raise UserError(
            N_("Only the author of the list ({author}) can do this."), {"author": row.author}
        )


def _require_reviewer(session: Session, row: DisposalList, actor: str) -> None:
    roles.require(session, actor, roles.PROCESS_OWNER)
    if actor == row.author:
        raise UserError(N_("You compiled this list, so you cannot review it (four eyes)."))
    if row.reviewer is not None and actor != row.reviewer:
        raise UserError(N_("This list is for {reviewer} to review."), {"reviewer": row.reviewer})


def _exclude(
    session: Session, row: DisposalList, exclusions: Mapping[str, str], actor: str
) -> list[str]:
    done: list[str] = []
    for typed, reason in exclusions.items():
        text = " ".join(reason.split())
        if not text:
            raise UserError(N_("Excluding {kenmerk} needs a reason."), {"kenmerk": typed})
        item = _item(session, row, typed)
        if item.state not in TO_CARRY_OUT:
            raise UserError(
                N_("{kenmerk} is not (or no longer) on this list."), {"kenmerk": item.kenmerk}
            )
        item.state, item.excluded_by, item.exclusion_reason = "excluded", actor, text
        done.append(item.kenmerk)
    return done


def _item(session: Session, row: DisposalList, typed_kenmerk: str) -> DisposalItem:
    target = dossiers.find_by_kenmerk(session, typed_kenmerk, dossiers.DOSSIER)
    item = session.get(DisposalItem, (row.id, target.id))
    if item is None:
        raise NotFoundError(
            N_("{kenmerk} is not on the list {naam}."),
            {"kenmerk": target.kenmerk, "naam": row.naam},
        )
    return item


def _move(
    session: Session,
    ws: Workspace,
    now: dt.datetime,
    row: DisposalList,
    target: str,
    details: Mapping[str, Any],
) -> None:
    before = row.state
    row.state = target
    _touch(row, now)
    session.flush()
    _audit(session, ws, now, f"disposal.{target}", row, {"from": before, **details})


def _touch(row: DisposalList, now: dt.datetime) -> None:
    """Mark the list changed, so its ``version`` rises even when nothing in its own row
    differs (an item changed): anyone holding the old version is refused."""
    row.updated_at = now
    flag_modified(row, "updated_at")


def _audit(
    session: Session,
    ws: Workspace,
    now: dt.datetime,
    action: str,
    row: DisposalList,
    details: Mapping[str, Any],
) -> None:
    audit_list(session, ws, now, action, row.id, {"naam": row.naam, "kind": row.kind, **details})


def audit_list(
    session: Session,
    ws: Workspace,
    now: dt.datetime,
    action: str,
    list_id: str,
    details: Mapping[str, Any],
) -> None:
    """One audit row about the list ``list_id`` (its steps and its items alike)."""
    audit.append(
        session,
        at=now,
        actor=ws.actor,
        action=action,
        object_type="disposal_list",
        object_id=list_id,
        details=details,
    )


def _count(session: Session, list_id: str, states: Sequence[str]) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(DisposalItem)
            .where(DisposalItem.list_id == list_id, DisposalItem.state.in_(states))
        )
        or 0
    )


def _info(session: Session, row: DisposalList) -> ListInfo:
    counts = dict(
        session.execute(
            select(DisposalItem.state, func.count())
            .where(DisposalItem.list_id == row.id)
            .group_by(DisposalItem.state)
        ).all()
    )
    return ListInfo(
        row.id, row.kind, row.naam, row.state, row.on_date, row.author, row.reviewer,
        row.reviewed_by, row.approved_by, row.executed_by, row.created_at, row.version,
        {str(k): int(v) for k, v in counts.items()}, row.last_reason,
        row.execution_started_at is not None,
    )  # fmt: skip


def _wrong_state(row: DisposalList) -> UserError:
    return UserError(
        N_("The list {naam} is {state}; this step is not possible in that state."),
        {"naam": row.naam, "state": row.state},
    )


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise UserError(N_("Give a reason; it goes into the audit trail."))
    return text


__all__ = [
    "DESTRUCTION",
    "TRANSFER",
    "ItemInfo",
    "ListInfo",
    "abort",
    "all_lists",
    "approve",
    "audit_list",
    "create_list",
    "decide",
    "find_list",
    "items",
    "lock_list",
    "reject",
    "review",
    "show",
    "submit",
]
