"""Names and paths in the e-Depot SIP: safe names, path limits and the layout.

:func:`safe_name` and :class:`Layout` give a technical delivery name, unique
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

:func:`unsafe_reason` is the check the other way round, used when a written
package is verified (:mod:`recordsdesk.mdto.sip_verify`). The tree the names
are laid out in is drawn in :mod:`recordsdesk.mdto.sip`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from recordsdesk import names
from recordsdesk.i18n import N_
from recordsdesk.mdto.schema import Problem
from recordsdesk.mdto.sip import BESTAND_SUFFIX, MDTO_SUFFIX, PAYLOAD

MAX_PATH_UNITS = 255  # full path inside the package, UTF-16 code units
MAX_NAME_BYTES = 255  # one name, UTF-8 bytes
MIN_NAME_UNITS = 12  # below this a name cannot stay recognisable
FALLBACK_NAME = "bestand"

_REFUSED = frozenset('<>:"/\\|?*#&+')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}
_MAX_EXTENSION = 16

PATH_TOO_LONG = N_(
    "The folder {folder} leaves no room for a name within {limit} characters of path."
)
REASON_CHARACTERS = N_("The name {name} has characters the receiving archive refuses.")
REASON_DOTS = N_("The name {name} starts or ends with a dot.")
REASON_DEVICE = N_("The name {name} is a reserved device name (such as CON or NUL).")
REASON_LONG = N_("The name {name} is longer than 255 bytes.")
REASON_EMPTY = N_("A name is empty.")


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


# -- the layout -------------------------------------------------------------


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
