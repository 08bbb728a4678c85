"""The e-Depot transfer package (SIP): its layout, content hashing and BagIt.

Pure building blocks; the service (``recordsdesk/services/sip.py``) decides what
goes in and copies the content. The layout follows the NA MDTO SIP
specification and the NHA pre-ingest checks (domain notes §11.1 and §12)::

    <package>/                          a BagIt bag (sha256 manifests)
      bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
      pakbon.xml                        the delivery note (a tag file)
      data/
        D-7KQ4MX-42J/                   one folder per aggregation level
          D-7KQ4MX-42J.mdto.xml         the folder's informatieobject, inside it
          S-7KQ4MX-43K/
            S-7KQ4MX-43K.mdto.xml
            aanvraag.pdf                content beside its sidecar:
            aanvraag.pdf.bestand.mdto.xml

The parts live beside this module:

* :mod:`recordsdesk.mdto.sip_layout`: safe names, path limits and the folder and
  file names of one package (:class:`~recordsdesk.mdto.sip_layout.Layout`);
* :mod:`recordsdesk.mdto.pakbon`: the delivery note, written streamed and read back;
* :mod:`recordsdesk.mdto.sip_verify`: re-reading a written package;
* here: the names every part shares (:data:`PAYLOAD`, :data:`PAKBON`, the
  sidecar suffixes), :class:`PackageProblem`, copying and hashing content, and BagIt.

bagit-python ``chdir()``s while it works, which must never happen in the GUI
process (other threads use relative paths and Qt dialogs remember folders), so
:func:`make_bag` and the BagIt half of :func:`recordsdesk.mdto.sip_verify.verify`
(:func:`validate_bag`) run in a spawned worker process (``_bagit_worker``), as
the intake's examiner does, which also works in a frozen build.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from recordsdesk.i18n import N_
from recordsdesk.mdto import _bagit_worker
from recordsdesk.mdto.model import Bestand
from recordsdesk.mdto.schema import Problem

PAYLOAD = "data"
PAKBON = _bagit_worker.PAKBON
MDTO_SUFFIX = ".mdto.xml"
BESTAND_SUFFIX = ".bestand.mdto.xml"
CHUNK = 1024 * 1024

NO_SHA256 = N_("The bestand has no SHA-256 checksum, so its content cannot be checked.")
UNREADABLE_FILE = N_("The file could not be read: {detail}")
BAGIT_INVALID = N_("BagIt validation failed: {detail}")
BAGIT_FAILED = N_("The BagIt package could not be made: {detail}")


@dataclass(frozen=True)
class PackageProblem:
    """A problem in a package; ``file`` is its path relative to the package ('' for the whole)."""

    file: str
    problem: Problem


# -- content ----------------------------------------------------------------


def copy_hashed(source: IO[bytes], target: Path) -> tuple[str, int]:
    """Copy ``source`` to a new file ``target`` in chunks; (sha256, bytes) of what was copied."""
    hasher = hashlib.sha256()
    total = 0
    with target.open("xb") as out:
        while chunk := source.read(CHUNK):
            hasher.update(chunk)
            out.write(chunk)
            total += len(chunk)
    return hasher.hexdigest(), total


def hash_file(path: Path) -> tuple[str, int]:
    """(sha256, bytes) of a file, read in chunks."""
    hasher = hashlib.sha256()
    total = 0
    buffer = bytearray(CHUNK)
    with path.open("rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            hasher.update(memoryview(buffer)[:count])
            total += count
    return hasher.hexdigest(), total


def sha256_of(obj: Bestand) -> str | None:
    """The bestand's SHA-256 checksum value (lower case), if it has one."""
    for checksum in obj.checksum:
        label = checksum.algoritme.label if checksum.algoritme else ""
        if label.upper().replace("-", "") == "SHA256" and checksum.waarde:
            return checksum.waarde.strip().lower()
    return None


# -- BagIt (in a worker process: bagit-python changes the working directory) --


@contextlib.contextmanager
def bag_worker() -> Iterator[Executor]:
    """A worker process for :func:`make_bag` and :func:`~recordsdesk.mdto.sip_verify.verify`
    (one start for both)."""
    # spawn, never fork: the GUI has threads (the intake's examiner does the same)
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        yield pool


def _in_worker(worker: Executor | None, function: Any, *args: Any) -> Any:
    if worker is not None:
        return worker.submit(function, *args).result()
    with bag_worker() as own:
        return own.submit(function, *args).result()


def make_bag(
    folder: Path, pakbon: Path, info: Mapping[str, str], worker: Executor | None = None
) -> list[PackageProblem]:
    """Turn ``folder`` (the payload) into a bag with sha256 manifests, moving ``pakbon``
    in as a tag file. Returns the problems (empty: done)."""
    try:
        _in_worker(worker, _bagit_worker.make, str(folder), str(pakbon), dict(info))
    except Exception as error:  # the worker's failure, whatever it is, refuses the package
        detail = str(error).strip() or type(error).__name__
        return [PackageProblem("", Problem(BAGIT_FAILED, {"detail": detail}))]
    return []


def validate_bag(folder: Path, worker: Executor | None = None) -> list[PackageProblem]:
    """bagit's own full validation of ``folder`` (every manifest entry re-hashed)."""
    try:
        found: list[str] = _in_worker(worker, _bagit_worker.validate, str(folder))
    except Exception as error:
        found = [str(error).strip() or type(error).__name__]
    return [PackageProblem("", Problem(BAGIT_INVALID, {"detail": d})) for d in found]
