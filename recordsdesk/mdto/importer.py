"""Reading an MDTO package from disk into an import plan, trusting nothing in it.

:func:`scan` reads a sidecar tree: ours (``recordsdesk export mdto`` with the
content put beside it, ``recordsdesk export sip``, also as a BagIt bag) or
another system's. It returns either a :class:`Plan` or *every* problem found,
each with the file (relative to the folder given) and, where there is one, the
element path. It never raises for bad input and never writes anything.

What it refuses, and how:

* **Paths.** The tree is walked without following links. Every symbolic link is
  refused (its target named, and whether it leaves the package), and so is
  anything that is not a regular file or a folder (devices, pipes, sockets).
  A bestand's ``naam`` is used to find its content only as a plain file name in
  the sidecar's own folder; a ``naam`` with a path in it (``../x``, ``/etc/x``,
  ``a\\b``) is refused. Files are opened with ``O_NOFOLLOW``, so a file swapped
  for a link after the walk is not followed either.
* **XML.** Every metadata file goes through :func:`recordsdesk.mdto.schema.validate`
  (size cap before parsing, safe parser, DOCTYPE refused, so entity bombs and
  external entities never expand; other MDTO versions and non-MDTO roots are
  reported) and :func:`recordsdesk.mdto.rules.check`.
* **Metadata files** are ``*.mdto.xml``, and any other ``*.xml`` whose root
  element is ``MDTO`` in the MDTO namespace (the Nationaal Archief's examples
  are named ``MDTO-XML 1.0.1 Voorbeeld ….xml``). Only the prolog of such a file is
  read to decide; everything else is content.
* **Content.** A bestand sidecar ``X.bestand.mdto.xml`` describes the file ``X``
  beside it; a sidecar named otherwise describes the file named by its ``naam``
  in the same folder. A sidecar without its file and a file without a sidecar
  are problems (with ``metadata_only`` a sidecar without its file is skipped
  and listed instead). Content is hashed streaming (1 MiB buffer; memory stays
  flat for a file of any size); a size that differs from ``omvang`` is
  reported without reading the file at all. Every MD5, SHA-1 and SHA-2
  checksum of the sidecar is recomputed and compared; a sidecar none of whose
  checksums can be recomputed is refused.
* **Hierarchy.** Objects are matched by identificatie (kenmerk and bron).
  ``isOnderdeelVan``, ``bevatOnderdeel``, ``heeftRepresentatie`` and
  ``isRepresentatieVan`` must name objects in the package (a reference that
  cannot be resolved would be lost, so it is refused); an object has at most
  one parent; cycles are reported (:func:`rules.check_hierarchy`).
* **BagIt.** A folder with ``bagit.txt`` is a bag: the payload is ``data/``, and
  ``manifest-sha256.txt`` / ``manifest-sha512.txt`` must list every payload file
  with its true checksum, and nothing else.

The plan lists the informatieobjecten parent first, each with its bestanden
(in ``heeftRepresentatie`` order) and their content paths, sizes and verified
SHA-256; whoever stores the content must hash it again while copying and
compare, so that a file changed after the scan is noticed
(:mod:`recordsdesk.services.importing` does).
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

CHUNK = 1024 * 1024
SIDECAR_SUFFIX = ".bestand.mdto.xml"
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
NOT_A_FOLDER = N_("{path} is not a folder.")
NO_PAYLOAD = N_("This is a BagIt bag (it has bagit.txt) but it has no data folder.")
NO_OBJECTS = N_("The package holds no MDTO informatieobject (no *.mdto.xml file with one).")
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
DUPLICATE_ID = N_("The identificatie {kenmerk} ({bron}) is also used by {other}.")
REF_WITHOUT_ID = N_(
    "{element} names {naam} without an identificatie, so RecordsDesk cannot tell "
    "which object in the package is meant."
)
REF_UNRESOLVED = N_(
    "{element} names {kenmerk} ({bron}), which is not in the package; the link would be lost."
)
TWO_PARENTS = N_(
    "This object is part of two objects in the package ({first} and {second}); "
    "RecordsDesk keeps one parent per object."
)
REPRESENTATION_CONFLICT = N_(
    "This bestand says it represents {owner}, but {other} lists it in heeftRepresentatie."
)
NO_CHECKSUM_VERIFIED = N_(
    "None of this bestand's checksums can be recomputed here (MD5, SHA-1 and SHA-2 can); "
    "its content cannot be verified."
)
MANIFEST_MISSING_FILE = N_("{manifest} lists {file}, which is not in the bag.")
MANIFEST_UNLISTED = N_("This file is not listed in {manifest}.")
MANIFEST_DIFFERS = N_("The checksum of this file differs from the one in {manifest}.")
MANIFEST_BAD_LINE = N_("Line {line} is not a checksum and a path: {text}")
MANIFEST_OUTSIDE = N_("Line {line} names {path}, which lies outside the bag's data folder.")

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


@dataclass(frozen=True)
class PackageProblem:
    """One problem of a package: ``file`` relative to the folder given ('' for the folder)."""

    file: str
    problem: Problem


@dataclass(frozen=True)
class PlannedBestand:
    sidecar: str  # relative path of the sidecar
    content: Path  # the content file (absolute)
    meta: model.Bestand
    size: int
    sha256: str


@dataclass(frozen=True)
class PlannedObject:
    source: str  # relative path of its metadata file
    meta: model.Informatieobject
    parent: int | None  # index of the parent in Plan.objects (always earlier)
    bestanden: tuple[PlannedBestand, ...]


@dataclass(frozen=True)
class Plan:
    folder: Path
    objects: tuple[PlannedObject, ...]  # parent first
    skipped: tuple[str, ...] = ()  # sidecars without content (metadata_only)

    @property
    def bestanden(self) -> Iterator[PlannedBestand]:
        for obj in self.objects:
            yield from obj.bestanden


@dataclass(frozen=True)
class Scan:
    """The outcome of :func:`scan`: a plan, or (``plan`` None) every problem found."""

    plan: Plan | None
    problems: tuple[PackageProblem, ...] = field(default_factory=tuple)


@dataclass
class _Meta:
    rel: str
    path: Path
    obj: model.Informatieobject | model.Bestand


@dataclass
class _Content:
    rel: str
    path: Path
    size: int
    digests: dict[str, str] = field(default_factory=dict)


class _Problems:
    def __init__(self) -> None:
        self.items: list[PackageProblem] = []

    def add(
        self, file: str, msgid: str, params: Mapping[str, str] | None = None, path: str = ""
    ) -> None:
        self.items.append(PackageProblem(file, Problem(msgid, dict(params or {}), path=path)))

    def extend(self, file: str, problems: Iterable[Problem]) -> None:
        self.items.extend(PackageProblem(file, p) for p in problems)


def scan(folder: Path, *, metadata_only: bool = False) -> Scan:
    """The import plan of the package in ``folder``, or every problem; see the module doc."""
    problems = _Problems()
    try:
        root = folder.resolve(strict=True)
    except OSError as exc:
        problems.add("", UNREADABLE, {"reason": exc.strerror or str(exc)})
        return Scan(None, tuple(problems.items))
    if not root.is_dir():
        problems.add("", NOT_A_FOLDER, {"path": str(folder)})
        return Scan(None, tuple(problems.items))
    payload, manifests = root, []
    if _is_regular(root / BAG_DECLARATION):
        payload = root / BAG_PAYLOAD
        if not (payload.is_dir() and not payload.is_symlink()):
            problems.add(BAG_DECLARATION, NO_PAYLOAD)
            return Scan(None, tuple(problems.items))
        manifests = [a for a in MANIFEST_ALGORITHMS if _is_regular(root / f"manifest-{a}.txt")]
    files = list(_walk(root, payload, problems))
    metas, contents, failed = _read_all(root, files, problems)
    wanted = set(manifests)
    bestanden = _pair(metas, contents, failed, problems, wanted, metadata_only)
    skipped = tuple(sorted(m.rel for m, c in bestanden if c is None))
    objects = [m for m in metas if isinstance(m.obj, model.Informatieobject)]
    if not objects and not problems.items:
        problems.add("", NO_OBJECTS)
    for algorithm in manifests:
        _check_manifest(root, algorithm, files, metas, contents, problems)
    if failed:
        # references into a file that could not be read would only repeat its problem
        return Scan(None, tuple(problems.items))
    planned = _hierarchy(objects, bestanden, problems)
    if problems.items:
        return Scan(None, tuple(problems.items))
    return Scan(Plan(root, tuple(planned), skipped))


# -- walking ----------------------------------------------------------------


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _rel(root: Path, path: Path) -> str:
    return _shown(path.relative_to(root).as_posix())


def _shown(name: str) -> str:
    """A file name as shown in problems: undecodable bytes become U+FFFD, so that every
    report can be printed and stored."""
    return os.fsencode(name).decode("utf-8", errors="replace")


def _walk(root: Path, payload: Path, problems: _Problems) -> Iterator[Path]:
    """Every regular file under ``payload``; links, special files and unreadable
    folders become problems. Outside a bag's payload only the bag's own files count."""
    stack = [payload]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.add(_rel(root, folder), UNREADABLE, {"reason": exc.strerror or str(exc)})
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = _rel(root, path)
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
    return (SYMLINK if inside else SYMLINK_OUTSIDE), {"target": _shown(target)}


# -- reading ----------------------------------------------------------------


def _open(path: Path) -> int:
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
        fd = _open(path)
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


def _read_bytes(path: Path, limit: int) -> bytes | str:
    """The file's bytes (at most ``limit`` + 1), or why it cannot be read."""
    try:
        fd = _open(path)
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


def _read_all(
    root: Path, files: list[Path], problems: _Problems
) -> tuple[list[_Meta], dict[Path, _Content], set[Path]]:
    """The metadata files read (and checked), the content files, and the metadata
    files that could not be read."""
    metas: list[_Meta] = []
    contents: dict[Path, _Content] = {}
    failed: set[Path] = set()
    for path in files:
        rel = _rel(root, path)
        if not _is_metadata(path):
            try:
                info = path.lstat()
            except OSError as exc:
                problems.add(rel, UNREADABLE, {"reason": exc.strerror or str(exc)})
                continue
            contents[path] = _Content(rel, path, info.st_size)
            continue
        data = _read_bytes(path, schema.DEFAULT_MAX_BYTES)
        if isinstance(data, str):
            problems.add(rel, UNREADABLE, {"reason": data})
            failed.add(path)
            continue
        found = xmlio.read(data)  # validates first: a too large input is a problem
        if isinstance(found, list):
            problems.extend(rel, found)
            failed.add(path)
            continue
        metas.append(_Meta(rel, path, found))
        if isinstance(found, model.Informatieobject):
            problems.extend(rel, rules.check(found))
    return metas, contents, failed


# -- pairing bestanden with content -------------------------------------------


def _plain_name(naam: str) -> bool:
    if not naam or naam in (".", "..") or "\x00" in naam:
        return False
    return "/" not in naam and "\\" not in naam and not re.match(r"^[A-Za-z]:", naam)


def _pair(
    metas: list[_Meta],
    contents: dict[Path, _Content],
    failed: set[Path],
    problems: _Problems,
    wanted: set[str],
    metadata_only: bool,
) -> list[tuple[_Meta, _Content | None]]:
    """Each bestand sidecar with its content (hashed and checked), or None without
    (a problem, unless ``metadata_only``: then it is skipped)."""
    claimed: dict[Path, _Meta] = {}
    pairs: list[tuple[_Meta, _Content | None]] = []
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
                problems.add(meta.rel, SIDECAR_WITHOUT_FILE, {"expected": _shown(shown)})
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
                content.rel, FILE_WITHOUT_SIDECAR, {"expected": _shown(path.name + SIDECAR_SUFFIX)}
            )
            if wanted:  # a bag's manifest check needs it
                _hash(content, wanted, problems)
    return pairs


def _algorithm(checksum: model.Checksum) -> str | None:
    label = checksum.algoritme.label if checksum.algoritme else ""
    return _ALGORITHMS.get(re.sub(r"[^A-Z0-9]", "", label.upper()))


def _check_content(
    meta: _Meta, bestand: model.Bestand, content: _Content, problems: _Problems, wanted: set[str]
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


def _hash(content: _Content, algorithms: Iterable[str], problems: _Problems) -> bool:
    """Fill ``content.digests`` in one streamed read; False (and a problem) if unreadable."""
    hashers = {name: hashlib.new(name) for name in sorted(set(algorithms))}
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    size = 0
    try:
        fd = _open(content.path)
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


# -- BagIt manifests ----------------------------------------------------------


def _check_manifest(
    root: Path,
    algorithm: str,
    files: list[Path],
    metas: list[_Meta],
    contents: dict[Path, _Content],
    problems: _Problems,
) -> None:
    name = f"manifest-{algorithm}.txt"
    data = _read_bytes(root / name, MAX_MANIFEST_BYTES)
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
        rel = _rel(root, file)
        if file in contents:
            actual[rel] = contents[file].digests.get(algorithm)
        elif file in meta_by_path:
            xml = _read_bytes(file, schema.DEFAULT_MAX_BYTES)
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


# -- hierarchy ----------------------------------------------------------------

Key = tuple[str, str]


def _keys(obj: model.Informatieobject | model.Bestand) -> list[Key]:
    return [(i.kenmerk, i.bron) for i in obj.identificatie]


def _hierarchy(
    objects: list[_Meta],
    bestanden: list[tuple[_Meta, _Content | None]],
    problems: _Problems,
) -> list[PlannedObject]:
    """The objects parent first, each with its bestanden; problems for what does not fit."""
    index: dict[Key, int] = {}
    for number, meta in enumerate(objects):
        for key in _keys(meta.obj):
            if key in index:
                other = objects[index[key]].rel
                problems.add(
                    meta.rel, DUPLICATE_ID, {"kenmerk": key[0], "bron": key[1], "other": other}
                )
            else:
                index[key] = number
    parents: dict[int, set[int]] = {}
    for number, meta in enumerate(objects):
        obj = meta.obj
        assert isinstance(obj, model.Informatieobject)
        for found in _resolve(meta, "isOnderdeelVan", obj.is_onderdeel_van, index, problems):
            parents.setdefault(number, set()).add(found)
        for found in _resolve(meta, "bevatOnderdeel", obj.bevat_onderdeel, index, problems):
            parents.setdefault(found, set()).add(number)
    parent: dict[int, int] = {}
    for child, candidates in parents.items():
        if len(candidates) > 1:
            first, second = sorted(objects[i].rel for i in candidates)[:2]
            problems.add(objects[child].rel, TWO_PARENTS, {"first": first, "second": second})
        else:
            parent[child] = next(iter(candidates))
    infos = [m.obj for m in objects if isinstance(m.obj, model.Informatieobject)]
    cycles = rules.check_hierarchy(infos)
    problems.extend("", cycles)
    owned = _representations(objects, index, bestanden, problems)
    if problems.items:
        return []
    order: list[int] = []
    children: dict[int | None, list[int]] = {}
    for number in range(len(objects)):
        children.setdefault(parent.get(number), []).append(number)
    stack = list(reversed(children.get(None, [])))
    while stack:
        number = stack.pop()
        order.append(number)
        stack.extend(reversed(children.get(number, [])))
    position = {number: n for n, number in enumerate(order)}
    planned = []
    for number in order:
        meta = objects[number]
        assert isinstance(meta.obj, model.Informatieobject)
        up = parent.get(number)
        planned.append(
            PlannedObject(
                meta.rel,
                meta.obj,
                position[up] if up is not None else None,
                tuple(owned.get(number, ())),
            )
        )
    return planned


def _resolve(
    meta: _Meta,
    element: str,
    refs: Iterable[model.Verwijzing],
    index: Mapping[Key, int],
    problems: _Problems,
) -> Iterator[int]:
    refs = list(refs)
    root = "informatieobject" if isinstance(meta.obj, model.Informatieobject) else "bestand"
    for number, ref in enumerate(refs, start=1):
        where = f"/MDTO/{root}/{element}" + (f"[{number}]" if len(refs) > 1 else "")
        if ref.identificatie is None:
            problems.add(meta.rel, REF_WITHOUT_ID, {"element": element, "naam": ref.naam}, where)
            continue
        key = (ref.identificatie.kenmerk, ref.identificatie.bron)
        if key not in index:
            params = {"element": element, "kenmerk": key[0], "bron": key[1]}
            problems.add(meta.rel, REF_UNRESOLVED, params, where)
            continue
        yield index[key]


def _representations(
    objects: list[_Meta],
    index: Mapping[Key, int],
    bestanden: list[tuple[_Meta, _Content | None]],
    problems: _Problems,
) -> dict[int, list[PlannedBestand]]:
    """Each object's bestanden, in its heeftRepresentatie order (then by file)."""
    by_key: dict[Key, int] = {}
    for number, (meta, _content) in enumerate(bestanden):
        for key in _keys(meta.obj):
            if key in by_key:
                other = bestanden[by_key[key]][0].rel
                problems.add(
                    meta.rel, DUPLICATE_ID, {"kenmerk": key[0], "bron": key[1], "other": other}
                )
            else:
                by_key[key] = number
    owner: dict[int, int] = {}
    rank: dict[int, int] = {}
    for number, (meta, _content) in enumerate(bestanden):
        bestand = meta.obj
        assert isinstance(bestand, model.Bestand)
        for found in _resolve(
            meta, "isRepresentatieVan", [bestand.is_representatie_van], index, problems
        ):
            owner[number] = found
    for number, meta in enumerate(objects):
        obj = meta.obj
        assert isinstance(obj, model.Informatieobject)
        for place, found in enumerate(
            _resolve(meta, "heeftRepresentatie", obj.heeft_representatie, by_key, problems)
        ):
            if owner.get(found, number) != number:
                problems.add(
                    bestanden[found][0].rel,
                    REPRESENTATION_CONFLICT,
                    {"owner": objects[owner[found]].rel, "other": meta.rel},
                )
            owner.setdefault(found, number)
            rank.setdefault(found, place)
    result: dict[int, list[PlannedBestand]] = {}
    for number in sorted(owner, key=lambda n: (rank.get(n, len(bestanden)), bestanden[n][0].rel)):
        meta, content = bestanden[number]
        assert isinstance(meta.obj, model.Bestand)
        if content is None or "sha256" not in content.digests:
            continue  # skipped (metadata only), or unreadable (a problem already)
        result.setdefault(owner[number], []).append(
            PlannedBestand(
                meta.rel,
                content.path,
                meta.obj,
                content.size,
                content.digests["sha256"],
            )
        )
    return result
