"""Walking and reading an MDTO package for import, trusting nothing in it.

The first step of :func:`recordsdesk.mdto.importer.scan`: every file of the
package found and sorted into metadata and content, every problem on the way
collected (:class:`Problems`), nothing raised for bad input, nothing written.

* **Paths.** The tree is walked without following links (:func:`walk`). Every
  symbolic link is refused (its target named, and whether it leaves the
  package), and so is anything that is not a regular file or a folder
  (devices, pipes, sockets). Files are opened with ``O_NOFOLLOW``
  (:func:`open_nofollow`), so a file swapped for a link after the walk is not
  followed either, and never wait on a FIFO.
* **XML.** Every metadata file goes through :func:`recordsdesk.mdto.schema.validate`
  (size cap before parsing, safe parser, DOCTYPE refused, so entity bombs and
  external entities never expand; other MDTO versions and non-MDTO roots are
  reported); an informatieobject also through :func:`recordsdesk.mdto.rules.check`
  (a bestand is checked once it is paired with its content,
  :mod:`recordsdesk.mdto.package_pairing`).
* **Metadata files** are ``*.mdto.xml``, and any other ``*.xml`` whose root
  element is ``MDTO`` in the MDTO namespace (the Nationaal Archief's examples
  are named ``MDTO-XML 1.0.1 Voorbeeld ….xml``). Only the prolog of such a file is
  read to decide; everything else is content.
* **BagIt.** A folder with ``bagit.txt`` is a bag: the payload is ``data/``, and
  ``manifest-sha256.txt`` / ``manifest-sha512.txt`` must list every payload file
  with its true checksum, and nothing else (:func:`check_manifest`, after the
  content has been hashed).

File names in problems are shown with undecodable bytes as U+FFFD
(:func:`shown_name`), so that every report can be printed and stored.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.i18n import N_
from recordsdesk.mdto import model, rules, schema, xmlio
from recordsdesk.mdto.schema import Problem

METADATA_SUFFIX = ".mdto.xml"
SNIFF_BYTES = 64 * 1024
BAG_DECLARATION = "bagit.txt"
BAG_PAYLOAD = "data"
MANIFEST_ALGORITHMS = ("sha256", "sha512")
MAX_MANIFEST_BYTES = 64 * 1024 * 1024

SYMLINK = N_(
    "This is a symbolic link (to {target}). Links are refused in a package: "
    "they could point anywhere."
)
SYMLINK_OUTSIDE = N_(
    "This is a symbolic link to {target}, outside the package. Links are refused in a package."
)
SPECIAL_FILE = N_("This is not a regular file or folder (a device, pipe or socket); refused.")
UNREADABLE = N_("This cannot be read: {reason}")
MANIFEST_MISSING_FILE = N_("{manifest} lists {file}, which is not in the bag.")
MANIFEST_UNLISTED = N_("This file is not listed in {manifest}.")
MANIFEST_DIFFERS = N_("The checksum of this file differs from the one in {manifest}.")
MANIFEST_BAD_LINE = N_("Line {line} is not a checksum and a path: {text}")
MANIFEST_OUTSIDE = N_("Line {line} names {path}, which lies outside the bag's data folder.")


@dataclass(frozen=True)
class PackageProblem:
    """One problem of a package: ``file`` relative to the folder given ('' for the folder)."""

    file: str
    problem: Problem


@dataclass
class Meta:
    """A metadata file read: its shown path relative to the package, its path, its object."""

    rel: str
    path: Path
    obj: model.Informatieobject | model.Bestand


@dataclass
class Content:
    """A content file; ``digests`` (hashlib name -> hex) once it has been hashed."""

    rel: str
    path: Path
    size: int
    digests: dict[str, str] = field(default_factory=dict)


class Problems:
    """Every problem found so far, in the order found."""

    def __init__(self) -> None:
        self.items: list[PackageProblem] = []

    def add(
        self, file: str, msgid: str, params: Mapping[str, str] | None = None, path: str = ""
    ) -> None:
        self.items.append(PackageProblem(file, Problem(msgid, dict(params or {}), path=path)))

    def extend(self, file: str, problems: Iterable[Problem]) -> None:
        self.items.extend(PackageProblem(file, p) for p in problems)


# -- walking ----------------------------------------------------------------


def is_regular(path: Path) -> bool:
    """True if ``path`` itself (not a link's target) is a regular file."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def relative_name(root: Path, path: Path) -> str:
    """``path`` relative to ``root``, as shown in problems (:func:`shown_name`)."""
    return shown_name(path.relative_to(root).as_posix())


def shown_name(name: str) -> str:
    """A file name as shown in problems: undecodable bytes become U+FFFD, so that every
    report can be printed and stored."""
    return os.fsencode(name).decode("utf-8", errors="replace")


def walk(root: Path, payload: Path, problems: Problems) -> Iterator[Path]:
    """Every regular file under ``payload``; links, special files and unreadable
    folders become problems. Outside a bag's payload only the bag's own files count."""
    stack = [payload]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.add(
                relative_name(root, folder), UNREADABLE, {"reason": exc.strerror or str(exc)}
            )
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = relative_name(root, path)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                problems.add(rel, UNREADABLE, {"reason": exc.strerror or str(exc)})
                continue
            if stat.S_ISLNK(info.st_mode):
                problems.add(rel, *_link_problem(root, path))
            elif stat.S_ISDIR(info.st_mode):
                stack.append(path)
            elif stat.S_ISREG(info.st_mode):
                yield path
            else:
                problems.add(rel, SPECIAL_FILE)


def _link_problem(root: Path, path: Path) -> tuple[str, dict[str, str]]:
    try:
        target = str(path.readlink())
    except OSError:
        target = "?"
    resolved = Path(os.path.normpath(path.parent / target))
    with contextlib.suppress(OSError, RuntimeError):  # a loop of links
        resolved = (path.parent / target).resolve()
    inside = resolved == root or root in resolved.parents
    return (SYMLINK if inside else SYMLINK_OUTSIDE), {"target": shown_name(target)}


# -- reading ----------------------------------------------------------------


def open_nofollow(path: Path) -> int:
    """A read descriptor that never follows a link and never waits on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    return os.open(path, flags | getattr(os, "O_BINARY", 0))


def _is_metadata(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(METADATA_SUFFIX):
        return True
    return name.endswith(".xml") and _root_is_mdto(path)


class _Root(Exception):
    def __init__(self, tag: str) -> None:
        self.tag = tag


class _Sniff:
    """Parser target that stops at the root element (a DOCTYPE stops it too: not MDTO)."""

    def doctype(self, *_args: object) -> None:
        raise _Root("")

    def start(self, tag: str, _attrib: object) -> None:
        raise _Root(tag)

    def close(self) -> None:
        return None


def _root_is_mdto(path: Path) -> bool:
    """True if an ``.xml`` file's root is ``{MDTO namespace}MDTO``; reads only its start."""
    try:
        fd = open_nofollow(path)
        with os.fdopen(fd, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    parser = etree.XMLParser(
        target=_Sniff(), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        etree.fromstring(head, parser)
    except _Root as found:
        return bool(found.tag == f"{{{schema.NAMESPACE}}}MDTO")
    except etree.XMLSyntaxError:
        return False
    return False


def read_bytes(path: Path, limit: int) -> bytes | str:
    """The file's bytes (at most ``limit`` + 1), or why it cannot be read."""
    try:
        fd = open_nofollow(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link"
        return exc.strerror or str(exc)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return "not a regular file"
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            return exc.strerror or str(exc)


def read_all(
    root: Path, files: list[Path], problems: Problems
) -> tuple[list[Meta], dict[Path, Content], set[Path]]:
    """The metadata files read (and checked), the content files, and the metadata
    files that could not be read."""
    metas: list[Meta] = []
    contents: dict[Path, Content] = {}
    failed: set[Path] = set()
    for path in files:
        rel = relative_name(root, path)
        if not _is_metadata(path):
            try:
                info = path.lstat()
            except OSError as exc:
                problems.add(rel, UNREADABLE, {"reason": exc.strerror or str(exc)})
                continue
            contents[path] = Content(rel, path, info.st_size)
            continue
        data = read_bytes(path, schema.DEFAULT_MAX_BYTES)
        if isinstance(data, str):
            problems.add(rel, UNREADABLE, {"reason": data})
            failed.add(path)
            continue
        found = xmlio.read(data)  # validates first: a too large input is a problem
        if isinstance(found, list):
            problems.extend(rel, found)
            failed.add(path)
            continue
        metas.append(Meta(rel, path, found))
        if isinstance(found, model.Informatieobject):
            problems.extend(rel, rules.check(found))
    return metas, contents, failed


# -- BagIt manifests ----------------------------------------------------------


def check_manifest(
    root: Path,
    algorithm: str,
    files: list[Path],
    metas: list[Meta],
    contents: dict[Path, Content],
    problems: Problems,
) -> None:
    """Check ``manifest-<algorithm>.txt`` of the bag at ``root`` against ``files`` (the
    content already hashed with ``algorithm``, metadata files hashed here)."""
    name = f"manifest-{algorithm}.txt"
    data = read_bytes(root / name, MAX_MANIFEST_BYTES)
    if isinstance(data, str):
        problems.add(name, UNREADABLE, {"reason": data})
        return
    listed: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.strip().split(None, 1)
        if len(parts) != 2 or not re.fullmatch(r"[0-9a-fA-F]+", parts[0]):
            problems.add(name, MANIFEST_BAD_LINE, {"line": str(number), "text": line[:200]})
            continue
        digest, path = parts[0].lower(), parts[1].strip()
        pure = PurePosixPath(path.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%"))
        if pure.is_absolute() or ".." in pure.parts or pure.parts[:1] != (BAG_PAYLOAD,):
            problems.add(name, MANIFEST_OUTSIDE, {"line": str(number), "path": path})
            continue
        listed[pure.as_posix()] = digest
    actual: dict[str, str | None] = {}
    meta_by_path = {m.path: m for m in metas}
    for file in files:
        rel = relative_name(root, file)
        if file in contents:
            actual[rel] = contents[file].digests.get(algorithm)
        elif file in meta_by_path:
            xml = read_bytes(file, schema.DEFAULT_MAX_BYTES)
            actual[rel] = (
                hashlib.new(algorithm, xml).hexdigest() if isinstance(xml, bytes) else None
            )
        else:  # an unreadable metadata file: reported already
            actual[rel] = None
    for rel, digest in listed.items():
        if rel not in actual:
            problems.add(name, MANIFEST_MISSING_FILE, {"manifest": name, "file": rel})
        elif actual[rel] is not None and actual[rel] != digest:
            problems.add(rel, MANIFEST_DIFFERS, {"manifest": name})
    for rel in actual:
        if rel not in listed:
            problems.add(rel, MANIFEST_UNLISTED, {"manifest": name})
