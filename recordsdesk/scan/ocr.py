"""OCR to PDF/A-2b: a text layer over a scan, in a worker process.

``make_pdfa`` runs ocrmypdf (Tesseract for the text, its internal backend for PDF/A) in
a process of its own (``_ocr_worker``), never in the caller's threads: it is
CPU-heavy and starts processes of its own, up to the cores. The input is only
read; the result is written beside ``dest`` and renamed into place once it is
complete and flushed, so a crash or a cancel leaves no half-written derivative.
Pages that already carry text are not OCR'd again, and ``needs_ocr`` says when
a file needs no OCR at all (a PDF/A with text on every page). The result
reports Tesseract's confidence in each page it read (``_ocr_confidence``).
"""

from __future__ import annotations

import functools
import json
import os
import queue
import secrets
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pikepdf
import pypdfium2  # type: ignore[import-untyped]

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.scan import _ocr_worker as worker
from recordsdesk.store.durability import fsync_path, remove_quietly
from recordsdesk.tasks import Cancelled, CancelToken, Progress, no_progress

# The Debian package that provides each program or language; named in the message.
# Ghostscript is not among them: ocrmypdf's internal PDF/A backend and pdfium do its
# work, which also avoids Debian 12's Ghostscript 10.0.0 (ocrmypdf refuses it for
# scans that already have text on some pages) and the AGPL on Windows bundles.
PACKAGES = {"tesseract": "tesseract-ocr"}
LANGUAGE_PACKAGE = "tesseract-ocr-{language}"


@dataclass(frozen=True)
class OcrSettings:
    """How to OCR a scan (from its scan profile).

    ``languages`` are Tesseract's codes (``nld``, ``eng``), tried together;
    ``rotate`` turns pages scanned sideways or upside down; ``deskew``
    straightens slightly skewed pages (costs several seconds a page);
    ``jobs`` is the number of pages at once (default: the cores).
    """

    languages: tuple[str, ...] = ("nld",)
    rotate: bool = True
    deskew: bool = False
    jobs: int | None = None


@dataclass(frozen=True)
class OcrReport:
    """What the OCR found: per page read (1-based), Tesseract's mean word confidence
    (0-100), ``None`` where it recognised no words. Pages that had text already
    were not read and are absent."""

    confidence: dict[int, float | None]


@functools.cache
def _installed_languages(tesseract: str) -> frozenset[str]:
    try:
        listed = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def missing_packages(languages: tuple[str, ...] = ("nld",)) -> list[str]:
    """The packages to install before OCR in ``languages`` can run here (none: ready)."""
    missing = [package for program, package in PACKAGES.items() if shutil.which(program) is None]
    tesseract = shutil.which("tesseract")
    if tesseract is not None:
        have = _installed_languages(tesseract)
        missing += [
            LANGUAGE_PACKAGE.format(language=lang) for lang in languages if lang not in have
        ]
    return missing


def require_tools(languages: tuple[str, ...] = ("nld",)) -> None:
    """Raise ``UserError`` naming what to install when OCR cannot run here."""
    missing = missing_packages(languages)
    if missing:
        raise UserError(
            N_("Scans cannot be OCR'd on this computer: install {packages} (Tesseract OCR "
               "and its language data). Other files are taken in as usual."),
            {"packages": ", ".join(missing)},
        )  # fmt: skip


def needs_ocr(path: Path) -> bool:
    """False when the PDF at ``path`` is PDF/A already and has text on every page.

    Such a file is its own archival copy: OCR would only add a second text
    layer. Anything pdfium or pikepdf cannot read needs OCR (and will fail
    there with a reason).
    """
    try:
        with pikepdf.open(path) as pdf:
            if not pdf.open_metadata().pdfa_status:
                return True
        document = pypdfium2.PdfDocument(str(path))
    except (pikepdf.PdfError, pypdfium2.PdfiumError, OSError):
        return True
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            try:
                if text.count_chars() == 0:
                    return True
            finally:
                text.close()
                page.close()
        return len(document) == 0
    finally:
        document.close()


def make_pdfa(
    source: Path,
    dest: Path,
    settings: OcrSettings | None = None,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> OcrReport:
    """OCR the PDF ``source`` into a PDF/A-2b with a text layer at ``dest``.

    ``progress(done, total, label)`` follows the pages; ``cancel`` stops the
    worker (raising ``Cancelled``). Raises ``UserError`` when the tools are
    missing, the scan is encrypted or cannot be read, or OCR fails; ``dest``
    is then left as it was and no temp file remains.
    """
    settings = settings or OcrSettings()
    require_tools(settings.languages)
    _require_readable(source)
    token = secrets.token_hex(6)
    temp = dest.parent / f".{dest.name}.{token}.tmp"
    # ocrmypdf's own temp folder, beside ``dest``: removed here however the worker ends
    # (a cancel kills it before ocrmypdf can clean up after itself)
    work = dest.parent / f".{dest.name}.{token}.work"
    options = {
        "input": str(source),
        "output": str(temp),
        "languages": list(settings.languages),
        "rotate": settings.rotate,
        "deskew": settings.deskew,
        "jobs": settings.jobs or os.cpu_count() or 1,
        "pdfa_backend": "internal",
    }
    confidence: dict[int, float | None] = {}
    try:
        work.mkdir()
        code, messages = _run_worker(json.dumps(options), progress, cancel, confidence, work)
        if code != worker.EXIT_OK:
            _raise_failure(code, messages, source)
        with open(temp, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temp, dest)
    except BaseException:
        remove_quietly(temp)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fsync_path(dest.parent)
    return OcrReport(confidence)


def _require_readable(source: Path) -> None:
    """Refuse an encrypted or unreadable scan before a worker is started for it."""
    try:
        with pikepdf.open(source) as pdf:
            encrypted = pdf.is_encrypted
    except pikepdf.PasswordError:
        encrypted = True
    except (pikepdf.PdfError, OSError) as error:
        raise UserError(N_("The scan {name} cannot be read: {reason}"),
                        {"name": source.name, "reason": str(error)}) from error  # fmt: skip
    if encrypted:
        raise UserError(
            N_("The scan {name} is encrypted; it cannot be OCR'd. Scan it again without a "
               "password, or file it as it is."),
            {"name": source.name},
        )  # fmt: skip


def _run_worker(
    options: str,
    progress: Progress,
    cancel: CancelToken | None,
    confidence: dict[int, float | None],
    work: Path,
) -> tuple[int, list[str]]:
    folder = str(work)
    process = subprocess.Popen(
        [sys.executable, "-m", "recordsdesk.scan._ocr_worker", options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,  # so a cancel stops ocrmypdf's own workers too
        env=os.environ
        | {
            "TMPDIR": folder,
            "TEMP": folder,
            "TMP": folder,
            worker.PARENT_VARIABLE: str(os.getpid()),
        },
    )
    lines: queue.Queue[str | None] = queue.Queue()
    assert process.stderr is not None
    reader = threading.Thread(target=_pump, args=(process.stderr, lines), daemon=True)
    reader.start()
    messages: list[str] = []
    try:
        while True:
            if cancel is not None and cancel.cancelled:
                _stop(process)
                raise Cancelled("cancelled")
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                break
            if not _read_report(line, progress, confidence) and line.strip():
                messages.append(line.rstrip())
        return process.wait(), messages
    except BaseException:
        _stop(process)
        raise


def _read_report(line: str, progress: Progress, confidence: dict[int, float | None]) -> bool:
    """Act on one RDPROGRESS or RDCONFIDENCE line; False for anything else, a
    garbled report included (it becomes a message, never a crash of the OCR)."""
    kind, *fields = line.split()[:3] or [""]
    try:
        if kind == "RDPROGRESS" and len(fields) == 2:
            progress(int(fields[0]), int(fields[1]), N_("OCR"))
            return True
        if kind == "RDCONFIDENCE" and len(fields) == 2:
            page, mean = int(fields[0]), None if fields[1] == "-" else float(fields[1])
            confidence[page] = mean
            return True
    except ValueError:
        pass
    return False


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, 9)
        except (ProcessLookupError, PermissionError, AttributeError):
            process.kill()
    process.wait()


def _raise_failure(code: int, messages: list[str], source: Path) -> None:
    if code == worker.EXIT_ENCRYPTED:
        raise UserError(
            N_("The scan {name} is encrypted; it cannot be OCR'd. Scan it again without a "
               "password, or file it as it is."),
            {"name": source.name},
        )  # fmt: skip
    if code == worker.EXIT_MISSING:
        require_tools()  # names the package if it is one we know
        what = [m.removeprefix("RDMISSING ") for m in messages if m.startswith("RDMISSING ")]
        raise UserError(N_("OCR needs a program this computer lacks: {what}"),
                        {"what": " ".join(what) or "?"})  # fmt: skip
    if code == worker.EXIT_INPUT:
        raise UserError(N_("The scan {name} cannot be read: {reason}"),
                        {"name": source.name, "reason": (messages or ["?"])[-1]})  # fmt: skip
    raise UserError(
        N_("OCR of {name} failed: {reason}"),
        {"name": source.name, "reason": (messages or [f"exit {code}"])[-1]},
    )
