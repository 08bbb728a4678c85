"""Examining stored content: identify, inspect, take a mail apart, extract text.

No database here: the pipeline hands a round of :class:`Job` objects in and
writes what the steps found in one transaction afterwards.

Contract of a :class:`Step`:

* ``applies(job)`` says whether the step has anything to do for a job (it may
  look at what earlier steps found, e.g. the MIME type).
* ``run(jobs)`` does the work for every job it applies to, as one call, so a
  step can batch (siegfried scans a whole round at once). A problem with one
  job's content is recorded on that job (``refusal``, a risk in ``facts``),
  never raised; an exception is a bug or the world failing (disk, memory) and
  stops the round, which is then repeated from ``stored``.
* ``cleanup(job)`` always runs for every job, after the last step, also when a
  step failed.

Every job has its own temp area inside its round's temp directory (in the
store's temp area: same file system as the objects, covered by the round's
batch lock, removed after a crash): ``job.scratch(suffix)`` names temp files,
``job.temp_dir()`` gives the job's own directory, made only when a step needs
one (a mail's attachments), because making and removing thousands of empty
directories costs more than the rest of a small file's examination. The
round's directory is removed when the round ends, whatever happened.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from recordsdesk.errors import UserError
from recordsdesk.extract.mail import MailAttachment, read_mail
from recordsdesk.extract.pdftext import OVERSIZED
from recordsdesk.extract.text import TextResult, extract_text, mail_text
from recordsdesk.i18n import N_
from recordsdesk.identify import identify_many
from recordsdesk.names import safe_name
from recordsdesk.pdf import PdfFacts, inspect_pdf, save_repaired

log = logging.getLogger(__name__)
MAIL_TYPES = frozenset({"message/rfc822", "application/vnd.ms-outlook"})
MAIL_SUFFIXES = frozenset({".eml", ".msg"})


@dataclass
class Job:
    """One piece of content on its way through the steps."""

    key: str  # the inbox item id, or "<item id>/<n>" for a mail's attachment
    name: str  # the original file name (identification weighs its suffix)
    content: Path  # the stored object, or a temp file for an attachment
    scratch: Callable[[str], Path]  # names a temp file (suffix given) in the job's area
    mime: str = "application/octet-stream"
    puid: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    text: TextResult | None = None
    refusal: tuple[str, dict[str, Any]] | None = None  # (msgid, params): quarantine
    parts: list[Job] = field(default_factory=list)  # a mail's attachments
    derived: list[tuple[str, Path]] = field(default_factory=list)  # (bestand role, temp file)
    _temp: Path | None = None

    def temp_dir(self) -> Path:
        """The job's own temp directory, made on first use."""
        if self._temp is None:
            self._temp = self.scratch("-job")
            self._temp.mkdir()
        return self._temp


@dataclass(frozen=True)
class RoundScratch:
    """Names temp files in a round's temp directory; picklable, as jobs travel to
    the examination worker (see :mod:`recordsdesk.intake.examiner`)."""

    folder: Path
    prefix: str

    def __call__(self, suffix: str) -> Path:
        return self.folder / f"{self.prefix}-{uuid.uuid4().hex[:12]}{suffix}"


class Step(Protocol):
    name: str

    def applies(self, job: Job) -> bool: ...

    def run(self, jobs: Sequence[Job]) -> None: ...

    def cleanup(self, job: Job) -> None: ...


class Identify:
    """MIME type (libmagic) and PRONOM PUID (siegfried) for every job, in one batch."""

    name = "identify"

    def applies(self, job: Job) -> bool:
        return True

    def run(self, jobs: Sequence[Job]) -> None:
        found = identify_many([(job.content, job.name, job.scratch) for job in jobs])
        for job, info in zip(jobs, found, strict=True):
            job.mime, job.puid = info.mime, info.puid

    def cleanup(self, job: Job) -> None:
        pass


class InspectPdf:
    """Pages, encryption, PDF/A claim and risks; unreadable PDFs are refused."""

    name = "inspect-pdf"

    def applies(self, job: Job) -> bool:
        return job.mime == "application/pdf"

    def run(self, jobs: Sequence[Job]) -> None:
        for job in jobs:
            facts = inspect_pdf(job.content)
            job.facts["pdf"] = facts.to_json()
            job.refusal = job.refusal or pdf_refusal(facts)

    def cleanup(self, job: Job) -> None:
        pass


class RepairPdf:
    """A PDF qpdf could read only by rebuilding it gets a repaired copy; the original stays."""

    name = "repair-pdf"

    def applies(self, job: Job) -> bool:
        pdf = job.facts.get("pdf")
        return job.refusal is None and isinstance(pdf, dict) and bool(pdf.get("repaired"))

    def run(self, jobs: Sequence[Job]) -> None:
        for job in jobs:
            target = job.temp_dir() / "repaired.pdf"
            if save_repaired(job.content, target):
                job.derived.append(("repaired", target))

    def cleanup(self, job: Job) -> None:
        pass


class SplitMail:
    """A mail's attachments become parts: their own jobs, later their own bestanden."""

    name = "split-mail"

    def applies(self, job: Job) -> bool:
        return job.mime in MAIL_TYPES or Path(job.name).suffix.lower() in MAIL_SUFFIXES

    def run(self, jobs: Sequence[Job]) -> None:
        for job in jobs:
            try:
                message = read_mail(job.content)
            except UserError as error:
                if job.mime in MAIL_TYPES:
                    job.refusal = job.refusal or (error.msgid, dict(error.params))
                continue  # a .eml that is not a mail: kept as the file it is
            job.text = mail_text(message)  # read once: the text step leaves it
            shown = message.to_json()
            shown.pop("body_text", None)  # kept as the content's text, not as a fact
            job.facts["mail"] = shown
            job.parts = [
                _part(job, number, attachment)
                for number, attachment in enumerate(message.attachments, start=1)
            ]

    def cleanup(self, job: Job) -> None:
        pass


def _part(job: Job, number: int, attachment: MailAttachment) -> Job:
    name = attachment.name
    content = job.temp_dir() / f"part-{number}{Path(safe_name(name)).suffix[:16]}"
    content.write_bytes(attachment.data)
    return Job(key=f"{job.key}/{number}", name=name, content=content, scratch=job.scratch)


class ExtractText:
    """Text for search; a scan without a text layer is marked as needing OCR."""

    name = "extract-text"

    def applies(self, job: Job) -> bool:
        return job.refusal is None and job.text is None

    def run(self, jobs: Sequence[Job]) -> None:
        for job in jobs:
            job.text = extract_text(job.content, job.mime)
            pdf = job.facts.get("pdf")
            if job.text.method == OVERSIZED and isinstance(pdf, dict):
                # content streams that inflate past any sane size: a decompression
                # bomb, or close enough that the user should know before opening it
                pdf["risks"] = [*pdf.get("risks", []), "oversized-content"]

    def cleanup(self, job: Job) -> None:
        pass


MAIN_STEPS: tuple[Step, ...] = (
    Identify(),
    InspectPdf(),
    RepairPdf(),
    SplitMail(),
    ExtractText(),
)
PART_STEPS: tuple[Step, ...] = (Identify(), InspectPdf(), ExtractText())


def run_steps(steps: Sequence[Step], jobs: Sequence[Job]) -> None:
    """Run each step over the jobs it applies to; every cleanup always runs."""
    try:
        for step in steps:
            chosen = [job for job in jobs if step.applies(job)]
            if chosen:
                step.run(chosen)
    finally:
        for step in steps:
            for job in jobs:
                try:
                    step.cleanup(job)
                except Exception:  # one failing cleanup must not skip the others
                    log.exception("cleanup of step %s failed for %s", step.name, job.key)


def examine(jobs: Sequence[Job]) -> None:
    """The main steps for the round's jobs, then the part steps for their parts."""
    run_steps(MAIN_STEPS, jobs)
    parts = [part for job in jobs for part in job.parts]
    if parts:
        run_steps(PART_STEPS, parts)


def pdf_refusal(facts: PdfFacts) -> tuple[str, dict[str, Any]] | None:
    """Why a PDF cannot be archived as it is (a msgid), or None. The original stays."""
    if facts.needs_password:
        return (
            N_(
                "The PDF is protected with a password, so it cannot be read or archived. "
                "Ask the sender for a copy without a password."
            ),
            {},
        )
    if facts.damaged:
        return (
            N_(
                "The PDF is damaged and cannot be read. The original is kept; "
                "ask the sender for a new copy."
            ),
            {},
        )
    return None
