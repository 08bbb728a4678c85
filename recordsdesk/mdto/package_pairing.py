"""Pairing each bestand sidecar of an MDTO package with its content, and hashing it.

The second step of :func:`recordsdesk.mdto.importer.scan`, after
:mod:`recordsdesk.mdto.package_walk` has sorted the files:

* A bestand sidecar ``X.bestand.mdto.xml`` describes the file ``X`` beside it; a
  sidecar named otherwise describes the file named by its ``naam`` in the same
  folder. A bestand's ``naam`` is used to find its content only as a plain file
  name in the sidecar's own folder; a ``naam`` with a path in it (``../x``,
  ``/etc/x``, ``a\\b``) is refused.
* A sidecar without its file and a file without a sidecar are problems (with
  ``metadata_only`` a sidecar without its file is skipped and listed instead);
  so is a file claimed by two sidecars, and an empty file.
* Content is hashed streaming (1 MiB buffer; memory stays flat for a file of any
  size), every algorithm wanted in one read; a size that differs from
  ``omvang`` is reported without reading the file at all. Every MD5, SHA-1 and
  SHA-2 checksum of the sidecar is recomputed and compared; a sidecar none of
  whose checksums can be recomputed is refused. SHA-256 is always computed (the
  plan carries it) and so is every algorithm of the bag's manifests.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from recordsdesk.i18n import N_
from recordsdesk.mdto import model, rules
from recordsdesk.mdto.package_walk import (
    SPECIAL_FILE,
    UNREADABLE,
    Content,
    Meta,
    Problems,
    open_nofollow,
    shown_name,
)
from recordsdesk.mdto.schema import Problem

CHUNK = 1024 * 1024
SIDECAR_SUFFIX = ".bestand.mdto.xml"

UNSAFE_NAME = N_(
    "The naam {naam} contains a path; a bestand's naam must be a plain file name, "
    "so that it cannot point outside the package."
)
SIDECAR_WITHOUT_FILE = N_(
    "The file this bestand describes is not in the package (looked for {expected} beside "
    "this sidecar); its content cannot be imported or its checksum checked."
)
FILE_WITHOUT_SIDECAR = N_(
    "No bestand sidecar describes this file (expected {expected} beside it); "
    "it cannot be imported without its metadata."
)
CLAIMED_TWICE = N_("This file is described by two sidecars: {first} and {second}.")
EMPTY_CONTENT = N_("This file is empty; RecordsDesk does not store empty files.")
NO_CHECKSUM_VERIFIED = N_(
    "None of this bestand's checksums can be recomputed here (MD5, SHA-1 and SHA-2 can); "
    "its content cannot be verified."
)

# checksumAlgoritme labels without punctuation, upper case -> hashlib name
_ALGORITHMS = {
    "MD5": "md5",
    "SHA1": "sha1",
    "SHA224": "sha224",
    "SHA256": "sha256",
    "SHA384": "sha384",
    "SHA512": "sha512",
}
_NOT_SHA2 = ("md5", "sha1")


def _plain_name(naam: str) -> bool:
    if not naam or naam in (".", "..") or "\x00" in naam:
        return False
    return "/" not in naam and "\\" not in naam and not re.match(r"^[A-Za-z]:", naam)


def pair(
    metas: list[Meta],
    contents: dict[Path, Content],
    failed: set[Path],
    problems: Problems,
    wanted: set[str],
    metadata_only: bool,
) -> list[tuple[Meta, Content | None]]:
    """Each bestand sidecar with its content (hashed and checked), or None without
    (a problem, unless ``metadata_only``: then it is skipped)."""
    claimed: dict[Path, Meta] = {}
    pairs: list[tuple[Meta, Content | None]] = []
    for meta in metas:
        bestand = meta.obj
        if not isinstance(bestand, model.Bestand):
            continue
        name = meta.path.name
        expected: list[str] = []
        if name.lower().endswith(SIDECAR_SUFFIX):
            expected.append(name[: -len(SIDECAR_SUFFIX)])
        if _plain_name(bestand.naam):
            expected.append(bestand.naam)
        else:
            problems.add(meta.rel, UNSAFE_NAME, {"naam": bestand.naam}, "/MDTO/bestand/naam")
        found = [contents[p] for e in expected if (p := meta.path.parent / e) in contents]
        content = found[0] if found else None
        if content is None:
            # kept without content, so that references to it still resolve
            pairs.append((meta, None))
            problems.extend(meta.rel, rules.check(bestand))  # what can be checked without it
            if expected and not metadata_only:
                shown = " / ".join(dict.fromkeys(expected))
                problems.add(meta.rel, SIDECAR_WITHOUT_FILE, {"expected": shown_name(shown)})
            continue
        if content.path in claimed:
            other = claimed[content.path].rel
            problems.add(content.rel, CLAIMED_TWICE, {"first": other, "second": meta.rel})
            pairs.append((meta, None))
            continue
        claimed[content.path] = meta
        _check_content(meta, bestand, content, problems, wanted)
        pairs.append((meta, content))
    for path, content in contents.items():
        if path.with_name(path.name + SIDECAR_SUFFIX) in failed:
            continue  # its sidecar's own problem says enough
        if path not in claimed:
            problems.add(
                content.rel,
                FILE_WITHOUT_SIDECAR,
                {"expected": shown_name(path.name + SIDECAR_SUFFIX)},
            )
            if wanted:  # a bag's manifest check needs it
                _hash(content, wanted, problems)
    return pairs


def _algorithm(checksum: model.Checksum) -> str | None:
    label = checksum.algoritme.label if checksum.algoritme else ""
    return _ALGORITHMS.get(re.sub(r"[^A-Z0-9]", "", label.upper()))


def _check_content(
    meta: Meta, bestand: model.Bestand, content: Content, problems: Problems, wanted: set[str]
) -> None:
    """Hash the content (unless its size already differs) and check the sidecar against it."""
    if content.size == 0:
        problems.add(content.rel, EMPTY_CONTENT)
        return
    if bestand.omvang is not None and bestand.omvang != content.size:
        # reported by the rules without reading a byte: a wrong size is enough
        problems.extend(meta.rel, rules.check(bestand, rules.StoredFacts(content.size, {})))
        return
    needed = {"sha256", *wanted} | {a for c in bestand.checksum if (a := _algorithm(c))}
    if not _hash(content, needed, problems):
        return
    sha2 = {k: v for k, v in content.digests.items() if k not in _NOT_SHA2}
    found = rules.check(bestand, rules.StoredFacts(content.size, sha2))
    verified = 0
    for index, checksum in enumerate(bestand.checksum, start=1):
        where = "/MDTO/bestand/checksum" + (f"[{index}]" if len(bestand.checksum) > 1 else "")
        algorithm = _algorithm(checksum)
        if algorithm is None:
            continue
        verified += 1
        if algorithm in _NOT_SHA2:
            # rules recompute SHA-2 only; MD5 and SHA-1 are compared here
            label = checksum.algoritme.label
            found = [
                p
                for p in found
                if not (p.msgid == rules.CHECKSUM_UNVERIFIABLE and p.path.startswith(where + "/"))
            ]
            if (checksum.waarde or "").strip().lower() != content.digests[algorithm]:
                found.append(
                    Problem(
                        rules.CHECKSUM_DIFFERS, {"algorithm": label}, path=f"{where}/checksumWaarde"
                    )
                )
    if verified:
        # an algorithm we cannot compute is only a note when another one was verified
        found = [p for p in found if p.msgid != rules.CHECKSUM_UNVERIFIABLE]
    else:
        problems.add(meta.rel, NO_CHECKSUM_VERIFIED, path="/MDTO/bestand/checksum")
    problems.extend(meta.rel, found)


def _hash(content: Content, algorithms: Iterable[str], problems: Problems) -> bool:
    """Fill ``content.digests`` in one streamed read; False (and a problem) if unreadable."""
    hashers = {name: hashlib.new(name) for name in sorted(set(algorithms))}
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    size = 0
    try:
        fd = open_nofollow(content.path)
        with os.fdopen(fd, "rb", buffering=0) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                problems.add(content.rel, SPECIAL_FILE)
                return False
            while count := handle.readinto(buffer):
                chunk = view[:count]
                for hasher in hashers.values():
                    hasher.update(chunk)
                size += count
    except OSError as exc:
        problems.add(content.rel, UNREADABLE, {"reason": exc.strerror or str(exc)})
        return False
    content.size = size
    content.digests = {name: h.hexdigest() for name, h in hashers.items()}
    return True
