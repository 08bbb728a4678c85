"""Verifying a written e-Depot SIP before it is handed over.

:func:`verify` re-reads a written package: the structure (every folder has its
sidecar, every file its sidecar and the reverse), every name and path
(:func:`recordsdesk.mdto.sip_layout.unsafe_reason`, the path limit), every
``.mdto.xml`` against the XSD and :mod:`recordsdesk.mdto.rules`, every content
file re-hashed against its sidecar's checksum and omvang, the pakbon against
what is there (:mod:`recordsdesk.mdto.pakbon`), and the bag with bagit's own
validation (:func:`recordsdesk.mdto.sip.validate_bag`, in the worker process).
Memory stays flat whatever the package's size: the paths seen and the paths
the pakbon lists are compared as :class:`PathSet` sums, and the two sets are
built only when they differ, to say how.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.i18n import N_
from recordsdesk.mdto import pakbon, rules, xmlio
from recordsdesk.mdto.model import Bestand, Informatieobject
from recordsdesk.mdto.schema import Problem
from recordsdesk.mdto.sip import (
    BESTAND_SUFFIX,
    MDTO_SUFFIX,
    NO_SHA256,
    PAKBON,
    PAYLOAD,
    UNREADABLE_FILE,
    PackageProblem,
    hash_file,
    sha256_of,
    validate_bag,
)
from recordsdesk.mdto.sip_layout import MAX_PATH_UNITS, units, unsafe_reason

PATH_TOO_LONG_FOUND = N_("The path is {length} characters long; at most {limit} are allowed.")
FOLDER_WITHOUT_SIDECAR = N_("The folder has no {name}.")
FILE_WITHOUT_SIDECAR = N_("The file has no sidecar {name}.")
SIDECAR_WITHOUT_FILE = N_("The sidecar has no file {name} beside it.")
STRAY_FILE = N_("This file belongs to no aggregation level (no folder sidecar).")
WRONG_KIND = N_("Expected an MDTO {expected} here, found an MDTO {found}.")
NOT_REPRESENTATION = N_(
    "isRepresentatieVan names {found}, but the file lies in the folder of {expected}."
)
PAKBON_DIFFERS = N_("The pakbon does not match the package: {detail}")


def verify(bag: Path, package: str, worker: Executor | None = None) -> list[PackageProblem]:
    """Every problem of the package in ``bag`` (see the module contract); ``package`` is
    the name it is delivered under (the path limit counts it)."""
    seen = _Seen()
    problems = list(_verify_payload(bag / PAYLOAD, package, seen))
    problems += _verify_pakbon(bag / PAKBON, seen)
    problems += validate_bag(bag, worker)
    return problems


_TOKEN_MODULUS = 1 << 128


def _token(path: str) -> int:
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:16], "big")


@dataclass
class PathSet:
    """A set of paths kept as a count and an order-independent sum of their hashes:
    two equal sets compare equal in constant memory, whatever the package's size."""

    count: int = 0
    total: int = 0

    def add(self, path: str) -> None:
        self.count += 1
        self.total = (self.total + _token(path)) % _TOKEN_MODULUS


@dataclass
class _Seen:
    paths: PathSet = field(default_factory=PathSet)  # below the bag: "data/…"
    informatieobjecten: int = 0
    bestanden: int = 0
    size: int = 0


def _verify_payload(payload: Path, package: str, seen: _Seen) -> Iterator[PackageProblem]:
    for directory, folders, files in os.walk(payload):
        folders.sort()
        files.sort()
        here = Path(directory)
        inner = here.relative_to(payload).as_posix()
        rel = PAYLOAD if inner == "." else f"{PAYLOAD}/{inner}"
        for name in [*folders, *files]:
            where = f"{rel}/{name}"
            reason = unsafe_reason(name)
            if reason is not None:
                yield PackageProblem(where, Problem(reason, {"name": name}))
            length = units(f"{package}/{where}")
            if length > MAX_PATH_UNITS:
                yield PackageProblem(
                    where,
                    Problem(PATH_TOO_LONG_FOUND, {"length": str(length), "limit": "255"}),
                )
        if inner == ".":
            for name in files:
                yield PackageProblem(f"{rel}/{name}", Problem(STRAY_FILE))
            continue
        yield from _verify_folder(here, rel, files, seen)


def _verify_folder(here: Path, rel: str, files: list[str], seen: _Seen) -> Iterator[PackageProblem]:
    own = f"{here.name}{MDTO_SUFFIX}"
    owner: Informatieobject | None = None
    if own not in files:
        yield PackageProblem(rel, Problem(FOLDER_WITHOUT_SIDECAR, {"name": own}))
    else:
        found = _read(here / own, f"{rel}/{own}", Informatieobject)
        if isinstance(found, list):
            yield from found
        else:
            owner = found
            seen.informatieobjecten += 1
            seen.paths.add(f"{rel}/{own}")
            yield from (PackageProblem(f"{rel}/{own}", p) for p in rules.check(found))
    present = set(files)
    for name in files:
        where = f"{rel}/{name}"
        if name == own:
            continue
        if name.endswith(BESTAND_SUFFIX):
            content = name[: -len(BESTAND_SUFFIX)]
            if content not in present:
                yield PackageProblem(where, Problem(SIDECAR_WITHOUT_FILE, {"name": content}))
            continue
        if name.casefold().endswith(MDTO_SUFFIX):
            yield PackageProblem(where, Problem(STRAY_FILE))
            continue
        sidecar = f"{name}{BESTAND_SUFFIX}"
        if sidecar not in present:
            yield PackageProblem(where, Problem(FILE_WITHOUT_SIDECAR, {"name": sidecar}))
            continue
        yield from _verify_bestand(here / name, where, owner, seen)


def _verify_bestand(
    content: Path, where: str, owner: Informatieobject | None, seen: _Seen
) -> Iterator[PackageProblem]:
    sidecar_rel = f"{where}{BESTAND_SUFFIX}"
    found = _read(content.with_name(content.name + BESTAND_SUFFIX), sidecar_rel, Bestand)
    if isinstance(found, list):
        yield from found
        return
    try:
        digest, size = hash_file(content)
    except OSError as error:
        detail = error.strerror or type(error).__name__
        yield PackageProblem(where, Problem(UNREADABLE_FILE, {"detail": detail}))
        return
    seen.bestanden += 1
    seen.size += size
    seen.paths.add(where)
    seen.paths.add(sidecar_rel)
    stored = rules.StoredFacts(size, {"sha256": digest})
    yield from (PackageProblem(sidecar_rel, p) for p in rules.check(found, stored=stored))
    if sha256_of(found) is None:
        yield PackageProblem(sidecar_rel, Problem(NO_SHA256, path="/MDTO/bestand/checksum"))
    if owner is not None and owner.identificatie:
        reference = found.is_representatie_van
        expected = owner.identificatie[0]
        if reference is None or reference.identificatie != expected:
            shown = (
                reference.identificatie.kenmerk
                if reference is not None and reference.identificatie
                else "-"
            )
            yield PackageProblem(
                sidecar_rel,
                Problem(
                    NOT_REPRESENTATION,
                    {"found": shown, "expected": expected.kenmerk},
                    path="/MDTO/bestand/isRepresentatieVan",
                ),
            )


_Kind = TypeVar("_Kind", Informatieobject, Bestand)


def _read(path: Path, rel: str, kind: type[_Kind]) -> _Kind | list[PackageProblem]:
    found = xmlio.read(path)
    if isinstance(found, list):
        return [PackageProblem(rel, p) for p in found]
    if not isinstance(found, kind):
        kinds = {Informatieobject: "informatieobject", Bestand: "bestand"}
        return [
            PackageProblem(
                rel,
                Problem(WRONG_KIND, {"expected": kinds[kind], "found": kinds[type(found)]}),
            )
        ]
    return found


def _verify_pakbon(path: Path, seen: _Seen) -> list[PackageProblem]:
    """The pakbon lists exactly what is there, with the right totals (streamed)."""
    listed = PathSet()
    totals: dict[str, str] = {}
    try:
        for entry in pakbon.entries(path):
            if isinstance(entry, tuple):
                totals[entry[0]] = entry[1]
            else:
                listed.add(entry)
    except (OSError, etree.XMLSyntaxError) as error:
        return [PackageProblem(PAKBON, Problem(UNREADABLE_FILE, {"detail": str(error)}))]
    differences: list[str] = []
    if (listed.count, listed.total) != (seen.paths.count, seen.paths.total):
        differences += _listing_differences(path)
    expected = {
        "informatieobjecten": str(seen.informatieobjecten),
        "bestanden": str(seen.bestanden),
        "omvang": str(seen.size),
    }
    for key, value in expected.items():
        if totals.get(key) != value:
            differences.append(f"{key} {totals.get(key, '-')} != {value}")
    return [PackageProblem(PAKBON, Problem(PAKBON_DIFFERS, {"detail": d})) for d in differences]


def _listing_differences(path: Path) -> list[str]:
    """What the pakbon lists that is not there, and the reverse (only when they differ,
    so the sets are built only then)."""
    listed = {e for e in pakbon.entries(path) if isinstance(e, str)}
    bag = path.parent
    there = {
        (Path(directory) / name).relative_to(bag).as_posix()
        for directory, _folders, files in os.walk(bag / PAYLOAD)
        for name in files
    }
    differences = []
    if missing := sorted(listed - there):
        differences.append("listed but not there: " + ", ".join(missing[:5]))
    if extra := sorted(there - listed):
        differences.append("there but not listed: " + ", ".join(extra[:5]))
    # both empty: the files are there but some could not be read (reported above)
    return differences or ["the listed files differ from the files that could be checked"]
