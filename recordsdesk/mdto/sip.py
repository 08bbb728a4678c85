"""The e-Depot transfer package (SIP): layout, safe names, pakbon, BagIt and verification.

Pure building blocks; the service (``recordsdesk/services/sip.py``) decides what
goes in and copies the content. The layout follows the NA MDTO SIP
specification and the NHA pre-ingest checks (domain notes §11.1 and §12)::

    <package>/                          a BagIt bag (sha256 manifests)
      bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
      pakbon.xml                        the delivery note (a tag file, see below)
      data/
        D-7KQ4MX-42J/                   one folder per aggregation level
          D-7KQ4MX-42J.mdto.xml         the folder's informatieobject, inside it
          S-7KQ4MX-43K/
            S-7KQ4MX-43K.mdto.xml
            aanvraag.pdf                content beside its sidecar:
            aanvraag.pdf.bestand.mdto.xml

Names (:func:`safe_name`, :class:`Layout`): a technical delivery name, unique
in its folder (compared case-insensitively, as Windows and most e-Depots do),
never lossy without a record: the original name stays in the sidecar's
``naam``. Characters refused by NHA or Windows (``< > : " / \\ | ? * # &``,
``+``, any whitespace, control and invisible formatting characters such as a
zero-width non-joiner or a right-to-left override) become ``_``, one ``_`` per
run. No leading dot (a hidden file), no trailing dot, no DOS device name
(``CON``, ``NUL.txt``, ``COM1``…: an ``_`` is put in front), no dot-only name.
Letters are never transliterated (``café`` stays ``café``, in NFC). The full
path ``<package>/data/…/<file>.bestand.mdto.xml`` stays within 255 UTF-16
units (the receiving archive counts characters as Windows does) and every name
within 255 UTF-8 bytes (Linux): the stem is shortened, the extension kept. A
clash gets ``_2``, ``_3``… before the extension, in the order names are
claimed; the export claims a folder's files sorted by original name, then
checksum, so the same dossier gives the same names every time.

The pakbon (``pakbon.xml``, namespace :data:`PAKBON_NAMESPACE`, Dutch element
names like MDTO's): delivery id, title, creation time, source and MDTO
version; every informatieobject and bestand with its path, original name and
(for a bestand) size, SHA-256 and format; totals (informatieobjecten,
bestanden, sidecars, other files, bytes), the formats with their counts, and the
archiefvormers. It is a BagIt tag file, not payload: NA counts every file in
the SIP that is not an ``.mdto.xml`` as delivered content, and the pakbon is
about the SIP, not in it. ``tagmanifest-sha256.txt`` binds it to the payload
manifest. No XSD is shipped for it: the format is ours until an archive asks
for its own ("format agreed per archive", §11.1).

bagit-python ``chdir()``s while it works, which must never happen in the GUI
process (other threads use relative paths and Qt dialogs remember folders), so
:func:`make_bag` and the BagIt half of :func:`verify` run in a spawned worker
process (``_bagit_worker``), as the intake's examiner does, which also works
in a frozen build.

:func:`verify` re-reads a written package: the structure (every folder has its
sidecar, every file its sidecar and the reverse), every name and path, every
``.mdto.xml`` against the XSD and :mod:`recordsdesk.mdto.rules`, every content
file re-hashed against its sidecar's checksum and omvang, the pakbon against
what is there, and the bag with bagit's own validation.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import unicodedata
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk import names
from recordsdesk.i18n import N_
from recordsdesk.mdto import _bagit_worker, rules, schema, xmlio
from recordsdesk.mdto.model import Bestand, Informatieobject
from recordsdesk.mdto.schema import Problem

PAYLOAD = "data"
PAKBON = _bagit_worker.PAKBON
PAKBON_NAMESPACE = "urn:recordsdesk:pakbon:1"
MDTO_SUFFIX = ".mdto.xml"
BESTAND_SUFFIX = ".bestand.mdto.xml"
MAX_PATH_UNITS = 255  # full path inside the package, UTF-16 code units
MAX_NAME_BYTES = 255  # one name, UTF-8 bytes
MIN_NAME_UNITS = 12  # below this a name cannot stay recognisable
FALLBACK_NAME = "bestand"
CHUNK = 1024 * 1024

_REFUSED = frozenset('<>:"/\\|?*#&+')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}
_MAX_EXTENSION = 16

PATH_TOO_LONG = N_(
    "The folder {folder} leaves no room for a name within {limit} characters of path."
)
PATH_TOO_LONG_FOUND = N_("The path is {length} characters long; at most {limit} are allowed.")
FOLDER_WITHOUT_SIDECAR = N_("The folder has no {name}.")
FILE_WITHOUT_SIDECAR = N_("The file has no sidecar {name}.")
SIDECAR_WITHOUT_FILE = N_("The sidecar has no file {name} beside it.")
STRAY_FILE = N_("This file belongs to no aggregation level (no folder sidecar).")
WRONG_KIND = N_("Expected an MDTO {expected} here, found an MDTO {found}.")
NOT_REPRESENTATION = N_(
    "isRepresentatieVan names {found}, but the file lies in the folder of {expected}."
)
NO_SHA256 = N_("The bestand has no SHA-256 checksum, so its content cannot be checked.")
UNREADABLE_FILE = N_("The file could not be read: {detail}")
PAKBON_DIFFERS = N_("The pakbon does not match the package: {detail}")
BAGIT_INVALID = N_("BagIt validation failed: {detail}")
BAGIT_FAILED = N_("The BagIt package could not be made: {detail}")

REASON_CHARACTERS = N_("The name {name} has characters the receiving archive refuses.")
REASON_DOTS = N_("The name {name} starts or ends with a dot.")
REASON_DEVICE = N_("The name {name} is a reserved device name (such as CON or NUL).")
REASON_LONG = N_("The name {name} is longer than 255 bytes.")
REASON_EMPTY = N_("A name is empty.")


@dataclass(frozen=True)
class PackageProblem:
    """A problem in a package; ``file`` is its path relative to the package ('' for the whole)."""

    file: str
    problem: Problem


class LayoutError(Exception):
    """No safe name fits (the folders above are too deep); carries the problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.english())


# -- names ------------------------------------------------------------------


def units(text: str) -> int:
    """Length in UTF-16 code units, as Windows and Java-based e-Depot tools count."""
    return len(text.encode("utf-16-le")) // 2


def _refused(char: str) -> bool:
    # C*: control, format (ZWNJ, bidi overrides), private use, unassigned;
    # Z*: every kind of space and line separator
    return char in _REFUSED or unicodedata.category(char)[0] in "CZ"


def _split(name: str) -> tuple[str, str]:
    """(stem, extension with its dot); a long or odd "extension" is part of the stem."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and 0 < len(suffix) <= _MAX_EXTENSION and suffix.isalnum():
        return stem, f".{suffix}"
    return name, ""


def _fit(stem: str, extension: str, max_units: int, max_bytes: int) -> str:
    """``stem + extension`` shortened at the end of the stem until it fits."""
    stem = stem[:max_units]
    while stem and (
        units(stem + extension) > max_units or len((stem + extension).encode()) > max_bytes
    ):
        stem = stem[:-1]
    # a cut must not leave a lone combining mark or a trailing dot behind
    while stem and (unicodedata.combining(stem[-1]) or stem[-1] == "."):
        stem = stem[:-1]
    if not stem:
        stem = FALLBACK_NAME[: max(1, max_units - units(extension))]
    return stem + extension


def safe_name(original: str, *, max_units: int = 200, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A name for ``original`` that :func:`unsafe_reason` accepts, within the limits.

    Deterministic; see the module contract. ``max_units`` must be at least
    :data:`MIN_NAME_UNITS`.
    """
    text = names.display_name(original)
    cleaned: list[str] = []
    for char in text:
        if _refused(char):
            if not cleaned or cleaned[-1] != "_":
                cleaned.append("_")
        else:
            cleaned.append(char)
    name = "".join(cleaned).rstrip(".")
    stripped = name.lstrip(".")
    name = "_" * (len(name) - len(stripped)) + stripped if stripped else ""
    if not name:
        name = FALLBACK_NAME
    if name.casefold().endswith(MDTO_SUFFIX):
        # content must never be mistaken for a sidecar
        name = name[: -len(MDTO_SUFFIX)] + "_mdto.xml"
    stem, extension = _split(name)
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return _fit(stem, extension, max_units, max_bytes)


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` is not a safe name in a package (a msgid with ``{name}``), or None."""
    if not name:
        return REASON_EMPTY
    if any(_refused(c) for c in name) or unicodedata.normalize("NFC", name) != name:
        return REASON_CHARACTERS
    if name.startswith(".") or name.endswith("."):
        return REASON_DOTS
    if name.split(".")[0].upper() in _RESERVED:
        return REASON_DEVICE
    if len(name.encode()) > MAX_NAME_BYTES:
        return REASON_LONG
    return None


@dataclass
class Folder:
    """A folder of the package: its path below ``data/`` and the names taken in it."""

    path: str  # "" for data/ itself, else "D-…/S-…"
    name: str
    taken: set[str] = field(default_factory=set)

    @property
    def sidecar(self) -> str:
        """Path of the folder's informatieobject sidecar, below ``data/``."""
        return f"{self.path}/{self.name}{MDTO_SUFFIX}"


class Layout:
    """Hands out the folder and file names of one package (see the module contract)."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.root = Folder("", "")

    def _prefix(self, folder: Folder) -> int:
        """UTF-16 units of ``<package>/data/<folder>/``."""
        inner = f"{folder.path}/" if folder.path else ""
        return units(f"{self.package}/{PAYLOAD}/{inner}")

    def folder(self, parent: Folder, wanted: str) -> Folder:
        """A new folder in ``parent`` for an informatieobject called ``wanted``.

        Raises:
            LayoutError: ``parent`` is too deep for any name.
        """
        # the longest path in it is its own sidecar: <prefix>NAME/NAME.mdto.xml
        room = (MAX_PATH_UNITS - self._prefix(parent) - 1 - len(MDTO_SUFFIX)) // 2
        name = self._claim(parent, wanted, room, MAX_NAME_BYTES - len(MDTO_SUFFIX), "")
        path = f"{parent.path}/{name}" if parent.path else name
        made = Folder(path, name)
        made.taken.add(f"{name}{MDTO_SUFFIX}".casefold())
        return made

    def file(self, folder: Folder, original: str) -> str:
        """The path (below ``data/``) for a content file called ``original`` in ``folder``;
        its sidecar is that path + :data:`BESTAND_SUFFIX`.

        Raises:
            LayoutError: ``folder`` is too deep for any name.
        """
        room = MAX_PATH_UNITS - self._prefix(folder) - len(BESTAND_SUFFIX)
        name = self._claim(
            folder, original, room, MAX_NAME_BYTES - len(BESTAND_SUFFIX), BESTAND_SUFFIX
        )
        return f"{folder.path}/{name}" if folder.path else name

    def _claim(self, folder: Folder, wanted: str, room: int, max_bytes: int, sidecar: str) -> str:
        if room < MIN_NAME_UNITS:
            raise LayoutError(
                Problem(
                    PATH_TOO_LONG,
                    {"folder": f"{PAYLOAD}/{folder.path}", "limit": str(MAX_PATH_UNITS)},
                )
            )
        name = safe_name(wanted, max_units=room, max_bytes=max_bytes)
        stem, extension = _split(name)
        number = 1
        while name.casefold() in folder.taken or f"{name}{sidecar}".casefold() in folder.taken:
            number += 1
            name = _fit(stem, f"_{number}{extension}", room, max_bytes)
        folder.taken.add(name.casefold())
        if sidecar:
            folder.taken.add(f"{name}{sidecar}".casefold())
        return name


# -- the pakbon -------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """What the pakbon says about the delivery as a whole."""

    id: str
    title: str
    created: str  # xs:dateTime, local time without fractions
    source: str  # the producing application and version


@dataclass
class Totals:
    informatieobjecten: int = 0
    bestanden: int = 0
    size: int = 0


class Pakbon:
    """Writes the pakbon while the package is written (streamed: memory does not grow
    with the package). Use as a context manager; totals and formats go at the end."""

    def __init__(self, out: Path, delivery: Delivery) -> None:
        self.out = out
        self.delivery = delivery
        self.totals = Totals()
        self._formats: dict[tuple[str, str], int] = {}
        self._archiefvormers: dict[tuple[str, str], None] = {}
        self._stack = contextlib.ExitStack()
        self._xf: Any = None
        self._inhoud: Any = None

    def __enter__(self) -> Pakbon:
        handle: IO[bytes] = self._stack.enter_context(self.out.open("xb"))
        self._xf = self._stack.enter_context(etree.xmlfile(handle, encoding="UTF-8"))
        self._xf.write_declaration()
        self._stack.enter_context(
            self._xf.element(_p("pakbon"), {"versie": "1"}, nsmap={None: PAKBON_NAMESPACE})
        )
        with self._open("levering", level=1):
            for tag, value in (
                ("leveringId", self.delivery.id),
                ("naam", self.delivery.title),
                ("aangemaakt", self.delivery.created),
                ("bron", self.delivery.source),
                ("mdtoVersie", schema.VERSION),
            ):
                self._leaf(tag, value, level=2)
            self._xf.write("\n  ")
        self._inhoud = self._open("inhoud", level=1)
        self._inhoud.__enter__()
        return self

    def _open(self, tag: str, attributes: Mapping[str, str] | None = None, *, level: int) -> Any:
        # one entry per line: the pakbon is also read by people
        self._xf.write("\n" + "  " * level)
        return self._xf.element(_p(tag), attributes or {})

    def _leaf(
        self, tag: str, text: str, attributes: Mapping[str, str] | None = None, *, level: int
    ) -> None:
        with self._open(tag, attributes, level=level):
            self._xf.write(text)

    def informatieobject(self, folder: Folder, obj: Informatieobject) -> None:
        """List the informatieobject of ``folder``."""
        attributes = {"pad": f"{PAYLOAD}/{folder.path}", "mdto": f"{PAYLOAD}/{folder.sidecar}"}
        if obj.identificatie:
            attributes["kenmerk"] = obj.identificatie[0].kenmerk
        if obj.aggregatieniveau is not None:
            attributes["aggregatieniveau"] = obj.aggregatieniveau.label
        self._leaf("informatieobject", obj.naam, attributes, level=2)
        self.totals.informatieobjecten += 1
        for vormer in obj.archiefvormer:
            code = vormer.identificatie.kenmerk if vormer.identificatie else ""
            self._archiefvormers[(vormer.naam, code)] = None

    def bestand(self, path: str, obj: Bestand, sha256: str, size: int) -> None:
        """List the content file at ``path`` (below ``data/``) with its checked facts."""
        attributes = {
            "pad": f"{PAYLOAD}/{path}",
            "mdto": f"{PAYLOAD}/{path}{BESTAND_SUFFIX}",
            "omvang": str(size),
            "sha256": sha256,
        }
        formaat = obj.bestandsformaat
        if formaat is not None:
            attributes["formaat"] = formaat.code or formaat.label
            key = (formaat.code or "", formaat.label)
            self._formats[key] = self._formats.get(key, 0) + 1
        self._leaf("bestand", obj.naam, attributes, level=2)
        self.totals.bestanden += 1
        self.totals.size += size

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None:
            with contextlib.suppress(Exception):  # the file is thrown away anyway
                self._stack.close()
            return
        self._xf.write("\n  ")
        self._inhoud.__exit__(None, None, None)
        with self._open("totalen", level=1):
            counts = (
                ("informatieobjecten", self.totals.informatieobjecten),
                ("bestanden", self.totals.bestanden),
                ("mdtoBestanden", self.totals.informatieobjecten + self.totals.bestanden),
                ("overigeBestanden", self.totals.bestanden),
                ("omvang", self.totals.size),
            )
            for tag, number in counts:
                self._leaf(tag, str(number), level=2)
            with self._open("formaten", level=2):
                for (code, label), count in sorted(self._formats.items()):
                    found = {"aantal": str(count)} | ({"code": code} if code else {})
                    self._leaf("formaat", label, found, level=3)
                self._xf.write("\n    ")
            with self._open("archiefvormers", level=2):
                for naam, code in sorted(self._archiefvormers):
                    self._leaf("archiefvormer", naam, {"kenmerk": code} if code else {}, level=3)
                self._xf.write("\n    ")
            self._xf.write("\n  ")
        self._xf.write("\n")
        self._stack.close()
        fsync_file(self.out)


def _p(tag: str) -> str:
    return f"{{{PAKBON_NAMESPACE}}}{tag}"


def fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


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
    """A worker process for :func:`make_bag` and :func:`verify` (one start for both)."""
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


# -- verification -------------------------------------------------------------


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
        names_ = {Informatieobject: "informatieobject", Bestand: "bestand"}
        return [
            PackageProblem(
                rel,
                Problem(WRONG_KIND, {"expected": names_[kind], "found": names_[type(found)]}),
            )
        ]
    return found


def _verify_pakbon(path: Path, seen: _Seen) -> list[PackageProblem]:
    """The pakbon lists exactly what is there, with the right totals (streamed)."""
    listed = PathSet()
    totals: dict[str, str] = {}
    try:
        for entry in _pakbon_entries(path):
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


def _pakbon_entries(path: Path) -> Iterator[str | tuple[str, str]]:
    """Each path the pakbon lists, and its totals as (name, value); memory stays flat."""
    for _event, element in etree.iterparse(
        str(path), events=("end",), resolve_entities=False, no_network=True, load_dtd=False
    ):
        tag = etree.QName(element).localname
        parent = element.getparent()
        if tag in ("informatieobject", "bestand"):
            yield element.get("mdto", "")
            if tag == "bestand":
                yield element.get("pad", "")
        elif tag in ("informatieobjecten", "bestanden", "omvang"):
            yield tag, (element.text or "").strip()
        if parent is not None and etree.QName(parent).localname in ("inhoud", "pakbon"):
            # what was read is dropped (its text was read above)
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del parent[0]


def _listing_differences(path: Path) -> list[str]:
    """What the pakbon lists that is not there, and the reverse (only when they differ,
    so the sets are built only then)."""
    listed = {e for e in _pakbon_entries(path) if isinstance(e, str)}
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
