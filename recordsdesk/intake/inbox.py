"""The inbox: what came in through the drop folders, and what the user does with it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from recordsdesk import audit, names
from recordsdesk.changes import Changes
from recordsdesk.db.models import InboxItem, ScanBatch
from recordsdesk.errors import IntegrityError, NotFoundError, UserError
from recordsdesk.i18n import N_, _
from recordsdesk.identify import FormatInfo
from recordsdesk.intake.states import InboxState, check_transition
from recordsdesk.services.dto import Created
from recordsdesk.services.filing import FilingResult, StoredFile, record_stored
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import StoredObject

S = InboxState
FILEABLE = (S.READY.value, S.DUPLICATE.value)
#: states that have left the inbox (``list_inbox`` leaves them out)
DONE = (S.FILED.value, S.DISCARDED.value)
CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True)
class InboxItemInfo:
    id: str
    state: str
    name: str
    source: str
    size: int
    sha256: str | None
    mime: str | None
    puid: str | None
    reason: str | None  # translated, for people
    record_id: str | None
    facts: dict[str, Any] | None = None  # inspection results, e.g. {"pdf": {...}}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "name": self.name,
            "source": self.source,
            "size": self.size,
            "sha256": self.sha256,
            "mime": self.mime,
            "puid": self.puid,
            "reason": self.reason,
            "facts": self.facts,
        }


def _info(item: InboxItem) -> InboxItemInfo:
    reason = None
    if item.reason:
        params = json.loads(item.reason_params or "{}")
        reason = _(item.reason).format(**params)
    return InboxItemInfo(
        id=item.id,
        state=item.state,
        name=item.source_name,
        source=names.display_path(item.source_path),
        size=item.source_size,
        sha256=item.sha256,
        mime=item.mime,
        puid=item.puid,
        reason=reason,
        record_id=item.record_id,
        facts=json.loads(item.facts) if item.facts else None,
    )


_IS_BATCH = exists().where(ScanBatch.item_id == InboxItem.id)


def list_inbox(ws: Workspace, include_done: bool = False) -> list[InboxItemInfo]:
    """Items in arrival order; filed and discarded ones only on request."""
    query = (
        select(InboxItem)
        .where(~_IS_BATCH)  # a scanned batch is shown as its records
        .order_by(InboxItem.created_at, InboxItem.source_name)
    )
    if not include_done:
        query = query.where(InboxItem.state.not_in([S.FILED.value, S.DISCARDED.value]))
    with ws.readers() as session:
        return [_info(item) for item in session.scalars(query)]


@dataclass(frozen=True)
class InboxRead:
    """One read of the inbox: the order of its items and the items that changed.

    ``changed`` holds every item when ``full``; otherwise only those new or
    updated since the previous read, the others are the ones already shown.
    """

    stamp: tuple[int, dt.datetime | None]
    order: list[str]
    changed: dict[str, InboxItemInfo]
    full: bool


def read_inbox(ws: Workspace, previous: tuple[int, dt.datetime | None] | None) -> InboxRead | None:
    """Read what changed since the read with stamp ``previous`` (``None``: everything).

    Returns ``None`` when nothing changed. The stamp (rows, latest
    ``updated_at``) is one aggregate query, so polling an unchanged inbox of
    thousands costs next to nothing; when it moved, the ids come in arrival
    order (``list_inbox``'s order and filter) and only the items updated since
    are built, :data:`CHUNK` at a time (building thousands of items at once
    in a worker holds the GIL long enough to make the GUI thread wait). Every
    state change sets ``updated_at``; rows are never deleted.
    """
    with ws.readers() as session:
        count, latest = session.execute(
            select(func.count(InboxItem.id), func.max(InboxItem.updated_at))
        ).one()
        stamp = (int(count), latest)
        if previous is not None and stamp == previous:
            return None
        since = previous[1] if previous is not None else None
        rows = session.execute(
            select(InboxItem.id, InboxItem.updated_at)
            .where(InboxItem.state.not_in(DONE), ~_IS_BATCH)
            .order_by(InboxItem.created_at, InboxItem.source_name)
        ).all()
        # ">=": a change within the same clock tick as the previous read is read again
        wanted = [i for i, at in rows if previous is None or since is None or at >= since]
        changed: dict[str, InboxItemInfo] = {}
        for first in range(0, len(wanted), CHUNK):
            chunk = wanted[first : first + CHUNK]
            for item in session.scalars(select(InboxItem).where(InboxItem.id.in_(chunk))):
                changed[item.id] = _info(item)
        return InboxRead(stamp, [i for i, _at in rows], changed, previous is None)


def _items(session: Session, ids: Sequence[str]) -> list[InboxItem]:
    found = {i.id: i for i in session.scalars(select(InboxItem).where(InboxItem.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(N_("No inbox item {id}."), {"id": missing[0]})
    return [found[i] for i in ids]


def file_items(
    ws: Workspace,
    ids: Sequence[str],
    dossier_kenmerk: str | None = None,
    *,
    title: str | None = None,
    documenttype: str | None = None,
    scanned_batch: bool = False,
) -> FilingResult:
    """File ready (or duplicate, on purpose) items into a dossier: one transaction.

    Without ``dossier_kenmerk`` the items go to their drop folder's default
    dossier, which must be one and the same for all of them. Each item's
    content is re-verified first; the items become ``filed`` in the same
    transaction that creates their records. ``title`` and ``documenttype``
    (a separator sheet's) replace what the item and its drop folder say. A
    scanner folder's file is refused while it waits to be taken apart and once
    it is (its records are filed instead); ``scanned_batch`` lets the approval
    of a batch file the scanner's file itself into its report dossier.
    """
    if not ids:
        raise UserError(N_("No inbox items given."))
    with ws.readers() as session:
        items = _items(session, ids)
        if dossier_kenmerk is None:
            dossier_kenmerk = _default_dossier(session, items)
        problems = [
            UserError(
                N_("{name} cannot be filed: it is {state}."),
                {"name": i.source_name, "state": i.state},
            )
            for i in items
            if i.state not in FILEABLE
        ]
        problems += [p for i in items if (p := scan_refusal(session, i, scanned_batch))]
        if problems:
            raise UserError(N_("Nothing was filed."), details=problems)
        files = []
        read_as = {item.id: item.sha256 for item in items}  # checked again when filing
        for item in items:
            stored = _checked(ws, item.sha256, item.source_size)
            assert stored is not None  # fileable items have stored content
            info = FormatInfo(item.mime or "application/octet-stream", item.puid)
            woo, kind = _drop_folder_defaults(session, item)  # the record's defaults
            found = _stored_file(ws, item, stored, info)
            files.append(
                replace(
                    found,
                    woo_informatiecategorie=woo,
                    documenttype=documenttype or kind,
                    title=title or found.title,
                )
            )

    def mark_filed(session: Session, created: Sequence[Created]) -> None:
        for item, record in zip(_items(session, ids), created, strict=True):
            # again in the filing transaction: a batch may have been taken apart meanwhile
            refused = scan_refusal(session, item, scanned_batch)
            if refused is not None:
                raise UserError(N_("Nothing was filed."), details=[refused])
            if item.sha256 != read_as[item.id]:  # a re-scan replaced its pages meanwhile
                raise UserError(N_("{name} changed while it was being filed; file it again."),
                                {"name": item.source_name})  # fmt: skip
            check_transition(InboxState(item.state), S.FILED)
            item.state = S.FILED.value
            item.record_id = record.id
            item.updated_at = ws.clock()

    return record_stored(ws, dossier_kenmerk, files, mark_filed)


def scan_refusal(session: Session, item: InboxItem, scanned_batch: bool) -> UserError | None:
    """Why a scanner folder's file may not be filed or removed by hand now (None: it may).

    Its evidence must stay whole: once taken apart, its records are filed and the
    file goes with the batch's approval (``scanned_batch``); before that it waits
    to be taken apart, unless that failed (the item then has a reason).
    """
    from recordsdesk.db.models import DropFolder, ScanPart

    if session.scalar(select(ScanBatch.id).where(ScanBatch.item_id == item.id)) is not None:
        if scanned_batch:
            return None
        return UserError(
            N_("{name} is a scanned batch that was taken apart: file its records; the "
               "scan itself is kept with the batch's approval."),
            {"name": item.source_name},
        )  # fmt: skip
    folder = session.get(DropFolder, item.drop_folder_id) if item.drop_folder_id else None
    if folder is None or folder.scan_profile is None or item.reason is not None:
        return None
    if session.get(ScanPart, item.id) is not None or item.state not in (S.READY.value,):
        return None
    return UserError(
        N_("{name} is waiting to be taken apart as a scanned batch."), {"name": item.source_name}
    )


def _default_dossier(session: Session, items: Sequence[InboxItem]) -> str:
    from recordsdesk.db.models import DropFolder, Informatieobject

    kenmerken: set[str] = set()
    for item in items:
        folder = session.get(DropFolder, item.drop_folder_id) if item.drop_folder_id else None
        dossier = (
            session.get(Informatieobject, folder.dossier_id)
            if folder is not None and folder.dossier_id
            else None
        )
        if dossier is None:
            raise UserError(
                N_(
                    "No dossier given, and {name} did not come from a drop folder with a "
                    "default dossier. Choose a dossier."
                ),
                {"name": item.source_name},
            )
        kenmerken.add(dossier.kenmerk)
    if len(kenmerken) > 1:
        raise UserError(
            N_("No dossier given, and these items belong to different dossiers: {kenmerken}"),
            {"kenmerken": ", ".join(sorted(kenmerken))},
        )
    return kenmerken.pop()


def _drop_folder_defaults(session: Session, item: InboxItem) -> tuple[str | None, str | None]:
    """The Woo information category and the document type of the item's drop folder."""
    from recordsdesk.db.models import DropFolder

    folder = session.get(DropFolder, item.drop_folder_id) if item.drop_folder_id else None
    if folder is None:
        return None, None
    return folder.informatiecategorie, folder.document_type


def _stored_file(
    ws: Workspace, item: InboxItem, stored: StoredObject, info: FormatInfo
) -> StoredFile:
    """The item as a file to record: a mail with its attachments and description,
    a damaged PDF with its repaired copy."""
    facts = json.loads(item.facts) if item.facts else {}
    derived = []
    for copy in facts.get("derived", []):
        copy_stored = _checked(ws, copy.get("sha256"), copy.get("size"))
        if copy_stored is not None:
            name = f"{Path(item.source_name).stem} ({copy['role']}){Path(item.source_name).suffix}"
            derived.append((str(copy["role"]), StoredFile(name, copy_stored, info)))
    mail = facts.get("mail")
    if not isinstance(mail, dict):
        return StoredFile(item.source_name, stored, info, derived=tuple(derived))
    parts = []
    for part in facts.get("parts", []):
        part_stored = _checked(ws, part.get("sha256"), part.get("size"))
        if part_stored is None:
            continue  # an empty attachment: nothing was stored
        part_info = FormatInfo(part.get("mime") or "application/octet-stream", part.get("puid"))
        parts.append(
            StoredFile(str(part.get("name") or part_stored.sha256), part_stored, part_info)
        )
    return StoredFile(
        item.source_name,
        stored,
        info,
        attachments=tuple(parts),
        derived=tuple(derived),
        title=str(mail.get("subject") or "").strip() or None,
        description=_mail_description(mail),
        date=_mail_date(mail.get("date")),
    )


def _checked(ws: Workspace, digest: object, size: object) -> StoredObject | None:
    """A stored object named in an item's facts, verified; None when none was stored."""
    if not isinstance(digest, str) or not isinstance(size, int):
        return None
    problem = ws.objects.check(digest, size)
    if problem:
        raise IntegrityError(digest, problem)
    return StoredObject(digest, size, ws.objects.path_for(digest), False)


def _mail_date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _mail_description(mail: dict[str, Any]) -> str:
    """Sender, recipients and date in the record's omschrijving (MDTO detail: issue 4).

    Archival metadata is Dutch whatever the language of the screen, so the
    labels are not translated.
    """
    lines = [
        f"Van: {mail.get('sender') or '-'}",
        f"Aan: {', '.join(mail.get('to') or []) or '-'}",
    ]
    if mail.get("cc"):
        lines.append(f"Cc: {', '.join(mail['cc'])}")
    if mail.get("date"):
        lines.append(f"Datum: {mail['date']}")
    return "\n".join(lines)


def add_to_existing_record(ws: Workspace, item_id: str) -> Created:
    """A duplicate joins the record that already holds its content: no new record.

    The record gets an MDTO event ``Ontvangst`` naming the file that came in again
    (the content is stored once already), the item becomes ``filed`` with that
    record, and the audit trail says so; one transaction. Refused for an item
    that is not a duplicate of filed content, or when the record's dossier is
    not open.
    """
    from recordsdesk.db.models import Bestand, Event, Informatieobject

    now = ws.clock()
    with ws.sessions() as session, session.begin():
        [item] = _items(session, [item_id])
        if item.state != S.DUPLICATE.value or item.duplicate_of_bestand_id is None:
            raise UserError(
                N_(
                    "{name} can only join an existing record when its content is already "
                    "filed; file it as a new record or discard it."
                ),
                {"name": item.source_name},
            )
        bestand = session.get(Bestand, item.duplicate_of_bestand_id)
        assert bestand is not None  # a foreign key; bestanden are never deleted
        record = session.get(Informatieobject, bestand.informatieobject_id)
        assert record is not None
        dossier = session.get(Informatieobject, record.parent_id) if record.parent_id else None
        if dossier is not None and dossier.status != "open":
            raise UserError(
                N_("Dossier {kenmerk} is not open; no records can be added."),
                {"kenmerk": dossier.kenmerk},
            )
        check_transition(InboxState(item.state), S.FILED)
        session.add(
            Event(
                id=str(uuid.uuid4()),
                informatieobject=record,
                event_type="Ontvangst",
                event_tijd=now,
                verantwoordelijke_actor=ws.actor,
                resultaat=f"Opnieuw ontvangen als {item.source_name} (sha256:{item.sha256})",
            )
        )
        item.state, item.record_id, item.updated_at = S.FILED.value, record.id, now
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="inbox.add_to_record",
            object_type="inbox_item",
            object_id=item.id,
            details={"name": item.source_name, "sha256": item.sha256, "record": record.kenmerk},
        )
        return Created(
            record.id, record.kenmerk, Changes(records=frozenset({record.id}), audit=True)
        )


def discard_item(ws: Workspace, item_id: str) -> Changes:
    """Take an item out of the inbox (audited); its original is left where it is."""
    with ws.sessions() as session, session.begin():
        [item] = _items(session, [item_id])
        refused = scan_refusal(session, item, False)
        if refused is not None:
            raise refused
        check_transition(InboxState(item.state), S.DISCARDED)
        item.state = S.DISCARDED.value
        item.updated_at = ws.clock()
        audit.append(
            session,
            at=ws.clock(),
            actor=ws.actor,
            action="inbox.discard",
            object_type="inbox_item",
            object_id=item.id,
            details={"name": item.source_name, "sha256": item.sha256},
        )
    return Changes(audit=True)


def reopen_for_retry(ws: Workspace, item_id: str) -> Path:
    """Put a quarantined item back to ``claimed``; returns its source path.

    The user retries the file that is at the source path *now* (e.g. an empty
    scan that has since been written): the claim takes its current fingerprint,
    or resuming the claim would see "another file" and withdraw it.
    """
    with ws.sessions() as session, session.begin():
        [item] = _items(session, [item_id])
        check_transition(InboxState(item.state), S.CLAIMED)
        try:
            now = names.path_from_text(item.source_path).stat()
        except OSError:
            # nothing to retry with; the item stays quarantined for the user to discard
            raise UserError(
                N_("The original is no longer there, so it cannot be tried again: {path}"),
                {"path": names.display_path(item.source_path)},
            ) from None
        item.source_size, item.source_mtime_ns = now.st_size, now.st_mtime_ns
        item.source_inode = now.st_ino
        item.state = S.CLAIMED.value
        item.reason = item.reason_params = None
        item.attempts += 1
        item.updated_at = ws.clock()
        return names.path_from_text(item.source_path)
