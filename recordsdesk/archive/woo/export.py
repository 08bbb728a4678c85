"""The Woo export package of a request: ``recordsdesk woo export NUMMER --out DIR``.

Contract of :func:`export_package`:

* Refused (:class:`UserError`, nothing written) when documents in scope are not yet
  assessed (how many, and the first few), when nothing is in scope, and when
  ``out`` exists and is not an empty folder.
* Every document in scope is visited in inventory order, a page at a time
  (memory does not grow with the request), with ``progress`` per document and
  ``cancel`` checked between documents. What goes into ``out``:

  - ``documenten/<ID>.<ext>``: each document judged openbaar as its PDF/A (or
    other PDF copy, see :func:`~recordsdesk.archive.woo.redactions.publication_pdf`),
    else its original file; each document judged deels openbaar as a redacted PDF
    made by :func:`recordsdesk.redact.redact` from its recorded areas and checked
    by :func:`recordsdesk.redact.verify` with the text that lay under the areas.
    Niet openbaar and reeds openbaar documents are not included (the inventory
    list gives the public link of the latter). Copies are checked against the
    store's SHA-256 while copying and read back afterwards.
  - ``documenten-samengevoegd.pdf``: every published PDF in order, with a bookmark
    per dossier and per document (:mod:`recordsdesk.archive.woo.merged`).
  - ``inventarislijst.csv`` and ``.xlsx`` (:mod:`recordsdesk.archive.woo.inventory`).
  - ``diwoo/<ID>.xml`` (valid DiWoo 0.9.8, :mod:`recordsdesk.archive.woo.diwoo`) and
    ``mdto/<ID>.xml`` (the record's MDTO, checked as the MDTO export checks it)
    per published document.
  - ``LEESMIJ.txt`` (the verantwoording: what is in the package, with counts) and
    ``SHA256SUMS`` (a checksum per file).

* A document that cannot be published as judged (no redaction areas, areas on
  more than one file, an area's ground missing from its assessment, no PDF, an
  encrypted or unreadable PDF, a page without a text layer, no Woo category, a
  leak found by the check) stops the package: :class:`ExportRefused` names every
  such document and why (``report.problems``). After the first problem the
  remaining documents are only checked, not written, so all problems are listed.
* The package is built in a hidden folder next to ``out`` and renamed into place
  at the end, so ``out`` is complete or absent; a refusal, a cancel or any error
  removes the hidden folder. A finished export writes one audit row.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recordsdesk import audit
from recordsdesk.archive.woo import package as pkg
from recordsdesk.archive.woo import scope
from recordsdesk.archive.woo.inventory import InventoryWriter
from recordsdesk.archive.woo.merged import MergedWriter
from recordsdesk.archive.woo.package import ExportProblem
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.services.organisation import Organisation, archive_profile, organisation
from recordsdesk.services.workspace import Workspace
from recordsdesk.store import durability
from recordsdesk.tasks import CancelToken, Progress, no_progress

MAX_PROBLEMS = 200  # listed in the refusal; all are counted


@dataclass
class ExportReport:
    out: Path
    nummer: str
    documents: int = 0
    published: int = 0
    withheld: int = 0  # niet openbaar
    redacted: int = 0  # deels openbaar, published redacted
    already_public: int = 0  # reeds openbaar
    files: list[str] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    remarks: list[ExportProblem] = field(default_factory=list)  # did not stop anything

    def to_json(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "nummer": self.nummer,
            "documents": self.documents,
            "published": self.published,
            "withheld": self.withheld,
            "redacted": self.redacted,
            "already_public": self.already_public,
            "files": list(self.files),
            "problems": [p.to_json() for p in self.problems],
            "remarks": [r.to_json() for r in self.remarks],
        }


class ExportRefused(UserError):
    """Documents cannot be published as judged; ``report.problems`` says which and why."""

    def __init__(self, report: ExportReport, total: int) -> None:
        details = [
            UserError(N_("{kenmerk}: {problem}"), {"kenmerk": p.kenmerk, "problem": _Text(p)})
            for p in report.problems
        ]
        super().__init__(
            N_("The Woo package of {nummer} was not written: {count} problems with its "
               "documents."),
            {"nummer": report.nummer, "count": total},
            details,
        )  # fmt: skip
        self.report = report


class _Text:
    """A problem's message, translated when it is shown (in the language of that moment)."""

    def __init__(self, problem: ExportProblem) -> None:
        self.problem = problem

    def __str__(self) -> str:
        return self.problem.text()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def export_package(
    ws: Workspace,
    nummer: str,
    out: Path,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ExportReport:
    """Write the Woo package of request ``nummer`` to ``out``; see the module contract."""
    with ws.readers() as session:
        request = scope.find_request(session, nummer)
        total = scope.count_documents(session, request.id)
        first = scope.unassessed(session, request.id, limit=5)
        if first:
            counts = scope.counts_by_beoordeling(session, request.id)
            raise UserError(
                N_("{count} documents of Woo request {nummer} are not yet assessed (first: "
                   "{first}); assess every document before exporting."),
                {"count": total - sum(counts.values()), "nummer": request.nummer,
                 "first": ", ".join(first)},
            )  # fmt: skip
        if total == 0:
            raise UserError(
                N_("Woo request {nummer} has no documents in scope; there is nothing to export."),
                {"nummer": request.nummer},
            )
        org = organisation(session)
        info = pkg.RequestFacts(request.id, request.nummer, request.onderwerp,
                                request.ontvangen_op, request.status, request.besluit)  # fmt: skip
    temp = _prepare(out)
    report = ExportReport(out, info.nummer)
    try:
        _build(ws, info, org, temp, report, total, progress, cancel)
        durability.flush(temp, files=[temp / f for f in report.files],
                         directories=_folders(temp))  # fmt: skip
        os.replace(temp, out)
        durability.flush(out.parent, directories=[out.parent])
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": error.strerror or type(error).__name__},
        ) from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _audit(ws, info, report)
    return report


def _build(
    ws: Workspace,
    info: pkg.RequestFacts,
    org: Organisation,
    temp: Path,
    report: ExportReport,
    total: int,
    progress: Progress,
    cancel: CancelToken | None,
) -> None:
    """Every document, then the lists, the merged PDF, LEESMIJ and SHA256SUMS, into ``temp``."""
    builder = pkg.Builder(ws, info, org, archive_profile(ws), temp, report)
    inventory = InventoryWriter(temp)
    merged = MergedWriter(temp, temp / ".merge")
    try:
        done = 0
        for page in pkg.pages(ws, info):
            builder.fetch(page)
            for item in page:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                builder.add(item, inventory, merged, write=not report.problems)
                done += 1
                progress(done, total, item.kenmerk)
        lists = inventory.close()
        if report.problems:
            raise ExportRefused(_capped(report), len(report.problems))
        name = merged.finish()
        extra = [*lists, *([name] if name is not None else [])]
        report.files[:0] = extra
        builder.finish(extra)
    finally:
        inventory.abandon()
        merged.close()
        builder.close()


def _prepare(out: Path) -> Path:
    """Check ``out`` and make the hidden folder the package is built in, next to it."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(
            N_("{path} exists and is not an empty folder; choose a new folder for the package."),
            {"path": str(out)},
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        temp = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
        temp.mkdir()
        for sub in (pkg.DOCUMENTS, pkg.DIWOO, pkg.MDTO):
            (temp / sub).mkdir()
    except OSError as error:
        raise UserError(
            N_("Cannot write to {path}: {reason}"),
            {"path": str(out), "reason": error.strerror or type(error).__name__},
        ) from None
    return temp


def _folders(temp: Path) -> list[Path]:
    return [temp, *(temp / sub for sub in (pkg.DOCUMENTS, pkg.DIWOO, pkg.MDTO))]


def _capped(report: ExportReport) -> ExportReport:
    report.problems = report.problems[:MAX_PROBLEMS]
    return report


def _audit(ws: Workspace, info: pkg.RequestFacts, report: ExportReport) -> None:
    now = ws.clock()
    with ws.sessions() as session, session.begin():
        audit.append(
            session,
            at=now,
            actor=ws.actor,
            action="woo.exported",
            object_type="woo_request",
            object_id=info.id,
            details={
                "nummer": info.nummer,
                "out": str(report.out),
                "documents": report.documents,
                "published": report.published,
                "redacted": report.redacted,
                "withheld": report.withheld,
                "already_public": report.already_public,
                "sha256sums": hashlib.sha256((report.out / pkg.SUMS).read_bytes()).hexdigest(),
            },
        )


__all__ = ["ExportProblem", "ExportRefused", "ExportReport", "export_package"]
