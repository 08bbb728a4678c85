"""Steps 3 and 4 of the intake contract (see :mod:`recordsdesk.intake.pipeline`).

:func:`examine_and_record` runs the examination steps over a round of
``stored`` items, stores the attachments of mails, and records everything in
one transaction. :func:`release_many` lets the originals go, as each drop
folder says, and audits that in one transaction.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recordsdesk import audit, names
from recordsdesk.db.models import Bestand, ContentText, InboxItem, table_of
from recordsdesk.errors import UserError
from recordsdesk.intake.examine import Job, RoundScratch
from recordsdesk.intake.examiner import Examiner, shared_examiner
from recordsdesk.intake.pipeline import (
    CHUNK,
    Claim,
    current_states,
    fingerprint,
    move,
    update_items,
)
from recordsdesk.intake.states import InboxState
from recordsdesk.services.workspace import Workspace
from recordsdesk.store.batch import PutBatch

log = logging.getLogger(__name__)
S = InboxState
NAME_MAX = 255  # bytes, on every file system we meet (ext4, NTFS via SMB, APFS)


@dataclass
class Examination:
    """A round whose jobs are with the examiner: what :func:`finish_examination` needs."""

    claims: list[Claim]
    jobs: list[Job]
    batch: PutBatch  # holds the lock over the round's temp directory and attachments
    folder: Path
    future: Future[list[Job]]

    def abandon(self) -> None:
        """Drop the round (its items stay ``stored`` and are examined again later)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.batch.close()


def start_examination(
    ws: Workspace, claims: Sequence[Claim], examiner: Examiner
) -> Examination | None:
    """Hand the round's ``stored`` items to the examiner; returns at once."""
    if not claims:
        return None
    batch = ws.objects.batch()
    try:
        folder = batch.scratch_path("-round")
        folder.mkdir()
        jobs = []
        for number, claim in enumerate(claims):
            assert claim.sha256 is not None
            content = ws.objects.path_for(claim.sha256)
            jobs.append(Job(claim.item_id, claim.name, content, RoundScratch(folder, str(number))))
        future = examiner.submit(jobs)
    except BaseException:
        batch.close()
        raise
    return Examination(list(claims), jobs, batch, folder, future)


def finish_examination(ws: Workspace, examination: Examination, examiner: Examiner) -> None:
    """Wait for the examiner, store what it split off, then one transaction:
    ready / duplicate / quarantined, facts and text."""
    try:
        jobs = examiner.result(examination.future, examination.jobs)
        _store_parts(examination.batch, jobs)
    finally:
        examination.abandon()
    with ws.sessions() as session, session.begin():
        _record(ws, session, examination.claims, jobs)


def examine_and_record(ws: Workspace, claims: Sequence[Claim]) -> None:
    """Identify, inspect, split and extract; then ready / duplicate / quarantined."""
    examiner = shared_examiner()
    examination = start_examination(ws, claims, examiner)
    if examination is not None:
        finish_examination(ws, examination, examiner)


def _store_parts(batch: PutBatch, jobs: Sequence[Job]) -> None:
    """Attachments into the store (durable before any row names them)."""
    staged_any = False
    for job in jobs:
        if job.refusal is not None:
            continue
        for role, path in job.derived:
            try:
                staged = batch.stage(path)
            except UserError:  # an empty repair: the original alone is kept
                continue
            copy = {"role": role, "sha256": staged.sha256, "size": staged.size}
            job.facts.setdefault("derived", []).append(copy)
            staged_any = True
        for part in job.parts:
            try:
                staged = batch.stage(part.content)
            except UserError as error:  # an empty attachment: noted, not stored
                part.refusal = (error.msgid, dict(error.params))
                continue
            part.facts["sha256"], part.facts["size"] = staged.sha256, staged.size
            staged_any = True
    if staged_any:
        batch.commit()


def _record(ws: Workspace, session: Session, claims: Sequence[Claim], jobs: Sequence[Job]) -> None:
    current = current_states(session, [c.item_id for c in claims])
    hashes = [c.sha256 for c in claims if c.sha256 is not None]
    filed = _filed_bestanden(session, hashes)
    waiting = _waiting_elsewhere(session, hashes, {c.item_id for c in claims})
    texts: dict[str, Job] = {}
    updates: list[dict[str, Any]] = []
    for claim, job in zip(claims, jobs, strict=True):
        if current.get(claim.item_id) != S.STORED.value:
            claim.state = None if claim.item_id not in current else S(current[claim.item_id])
            continue
        assert claim.sha256 is not None
        facts = dict(job.facts)
        if job.parts:
            facts["parts"] = [_part_json(part) for part in job.parts]
        values: dict[str, Any] = {
            "mime": job.mime,
            "puid": job.puid,
            "facts": json.dumps(facts, ensure_ascii=False) if facts else None,
        }
        if job.refusal is not None:
            msgid, params = job.refusal
            values.update(reason=msgid, reason_params=json.dumps(params, ensure_ascii=False))
            updates.append(move(claim, S.QUARANTINED, ws, **values))
            continue
        twin = filed.get(claim.sha256)
        if twin is not None or claim.sha256 in waiting:
            updates.append(move(claim, S.DUPLICATE, ws, duplicate_of_bestand_id=twin, **values))
        else:
            updates.append(move(claim, S.READY, ws, **values))
        waiting.add(claim.sha256)  # a later twin in this round is a duplicate of this one
        for each in (job, *job.parts):
            digest = claim.sha256 if each is job else each.facts.get("sha256")
            if each.text is not None and isinstance(digest, str):
                texts.setdefault(digest, each)
    update_items(session, updates)
    _keep_texts(ws, session, texts)


def _part_json(part: Job) -> dict[str, Any]:
    shown: dict[str, Any] = {"name": part.name, "mime": part.mime, "puid": part.puid}
    shown.update({k: v for k, v in part.facts.items() if k in ("sha256", "size", "pdf")})
    if part.refusal is not None:
        shown["problem"] = part.refusal[0]
    if part.text is not None and part.text.needs_ocr:
        shown["needs_ocr"] = True
    return shown


def _filed_bestanden(session: Session, hashes: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), CHUNK):
        query = select(Bestand.sha256, Bestand.id).where(
            Bestand.sha256.in_(unique[start : start + CHUNK])
        )
        for row in session.execute(query):
            found.setdefault(row.sha256, row.id)
    return found


def _waiting_elsewhere(session: Session, hashes: Sequence[str], round_ids: set[str]) -> set[str]:
    """Hashes of items outside this round that hold the same content in the inbox."""
    found: set[str] = set()
    unique = list(dict.fromkeys(hashes))
    holding = [S.STORED.value, S.READY.value, S.DUPLICATE.value]
    for start in range(0, len(unique), CHUNK):
        query = select(InboxItem.id, InboxItem.sha256).where(
            InboxItem.sha256.in_(unique[start : start + CHUNK]),
            InboxItem.state.in_(holding),
        )
        found.update(row.sha256 for row in session.execute(query) if row.id not in round_ids)
    return found


def _keep_texts(ws: Workspace, session: Session, texts: dict[str, Job]) -> None:
    if not texts:
        return
    have: set[str] = set()
    digests = list(texts)
    for start in range(0, len(digests), CHUNK):
        query = select(ContentText.sha256).where(
            ContentText.sha256.in_(digests[start : start + CHUNK])
        )
        have.update(session.scalars(query))
    now = ws.clock()
    rows = []
    for digest, job in texts.items():
        if digest in have or job.text is None:
            continue
        rows.append(
            {
                "sha256": digest,
                "text": job.text.text,
                "needs_ocr": job.text.needs_ocr,
                "method": job.text.method[:20],
                "truncated": job.text.truncated,
                "extracted_at": now,
            }
        )
    if rows:
        from sqlalchemy import insert

        session.execute(insert(table_of(ContentText)), rows)


def release_many(ws: Workspace, claims: Sequence[Claim]) -> None:
    """Move, delete or keep the originals, as their folders say; see the contract."""
    entries: list[audit.Entry] = []
    made: set[Path] = set()
    now = ws.clock()
    for claim in claims:
        folder, path = claim.folder, claim.path
        if folder.after_intake == "keep" or fingerprint(path) != claim.taken:
            continue  # kept by choice, already released, or no longer the file we took
        try:
            if folder.after_intake == "delete":
                path.unlink()
                where = None
            else:
                if folder.processed_dir not in made:
                    folder.processed_dir.mkdir(exist_ok=True)
                    made.add(folder.processed_dir)
                target = free_name(folder.processed_dir / path.name)
                path.rename(target)
                where = names.path_to_text(target)
        except OSError as exc:
            log.warning("original left in place: %s (%s)", path, exc)
            shown = names.path_to_text(path)
            details: dict[str, Any] = {"path": shown, "reason": exc.strerror}
            entries.append(_entry(ws, now, claim, "inbox.original_kept", details))
            continue
        details = {"path": names.path_to_text(path), "moved_to": where}
        entries.append(_entry(ws, now, claim, "inbox.original_released", details))
    if entries:
        with ws.sessions() as session, session.begin():
            audit.append_many(session, entries)


def _entry(
    ws: Workspace, now: Any, claim: Claim, action: str, details: dict[str, Any]
) -> audit.Entry:
    return audit.Entry(
        at=now,
        actor=ws.actor,
        action=action,
        object_type="inbox_item",
        object_id=claim.item_id,
        details=details,
    )


def free_name(target: Path) -> Path:
    """``target``, or ``name (2).ext`` … when taken; shortened to fit NAME_MAX bytes."""
    if len(os.fsencode(target.name)) <= NAME_MAX and not os.path.lexists(target):
        return target  # the usual case, answered without taking the name apart
    stem, suffix = target.stem, target.suffix
    if len(os.fsencode(suffix)) > 32:  # not a real extension: part of the name
        stem, suffix = target.name, ""
    number = 1
    while True:
        tail = (f" ({number})" if number > 1 else "") + suffix
        budget = NAME_MAX - len(os.fsencode(tail))
        # cut whole characters only; a name that fits is left exactly as it is
        short = os.fsdecode(os.fsencode(stem)[:budget])
        while short and _cut_byte(short[-1]) and len(os.fsencode(stem)) > budget:
            short = short[:-1]
        candidate = target.parent / (short + tail)
        if not os.path.lexists(candidate):
            return candidate
        number += 1


def _cut_byte(char: str) -> bool:
    """A byte that ``os.fsdecode`` could not decode (part of a cut character)."""
    return "\udc80" <= char <= "\udcff"
