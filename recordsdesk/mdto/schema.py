"""Validate MDTO XML against the official MDTO-XML 1.0.1 schema, safely.

Contract of :func:`validate`: it takes untrusted input (a path or bytes) and
returns *every* problem found as a list of :class:`Problem` (empty = valid);
it never raises for bad input. It refuses, without validating further:
input over the size cap (checked before any parsing), XML that is not
well-formed, any document type declaration (MDTO never needs one, and refusing
it defeats entity-expansion bombs and XXE), a root outside the MDTO namespace,
and a root whose ``xsi:schemaLocation`` names another MDTO-XML version.
Otherwise each entry of the schema's error log becomes one ``Problem``.

Messages are English msgids marked with ``N_`` (translated in
``resources/i18n/nl/core.po``); the schema's own English detail is a parameter.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.i18n import N_, _
from recordsdesk.resources import resource_path

NAMESPACE = "https://www.nationaalarchief.nl/mdto"
VERSION = "1.0.1"
XSD_NAME = f"MDTO-XML{VERSION}.xsd"
# The canonical URL the official examples put in xsi:schemaLocation.
SCHEMA_LOCATION = f"{NAMESPACE}/{XSD_NAME}"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

TOO_LARGE = N_("The file is larger than {limit} MiB; it was not checked.")
UNREADABLE = N_("The file could not be read: {detail}")
NOT_WELL_FORMED = N_("This is not well-formed XML: {detail}")
HAS_DOCTYPE = N_(
    "The XML contains a document type declaration (DOCTYPE). For safety, files with a "
    "DOCTYPE or entity declarations are refused; MDTO never needs them."
)
NOT_MDTO = N_(
    "This is not an MDTO file: the root element is {root}, expected MDTO in the "
    "namespace {namespace}."
)
OTHER_VERSION = N_(
    "This file states MDTO version {found} ({location}); RecordsDesk checks MDTO version "
    "{expected}."
)
SCHEMA_VIOLATION = N_("Does not conform to the MDTO {version} schema: {detail}")

_MDTO_TAG = f"{{{NAMESPACE}}}MDTO"
_XSI_LOCATION = f"{{{XSI_NAMESPACE}}}schemaLocation"
_OUR_LOCATION = f"{NAMESPACE} {SCHEMA_LOCATION}"
_VERSION_IN_LOCATION = re.compile(r"MDTO-XML\s*([0-9][0-9.]*[0-9])\.xsd\s*$", re.IGNORECASE)
# lxml reports a schema's error log on the schema object, which a cached
# schema shares between threads; the lock keeps one validation's log intact.
_SCHEMA_LOCK = threading.Lock()


@dataclass(frozen=True)
class Problem:
    """One problem found in an MDTO document.

    ``path`` is the element path from the root (``/MDTO/bestand/omvang``, with
    ``[n]`` where an element has same-named siblings), empty when the problem
    is not tied to an element. ``line`` is the 1-based source line, if known.
    ``msgid`` is an English template; ``params`` fills its placeholders.
    """

    msgid: str
    params: Mapping[str, str] = field(default_factory=dict, hash=False)
    path: str = ""
    line: int | None = None

    def english(self) -> str:
        """The message in the source language (logs, tests)."""
        return self.msgid.format(**self.params)

    def text(self) -> str:
        """The message in the current language."""
        return _(self.msgid).format(**self.params)


def safe_parser() -> etree.XMLParser:
    """A fresh lxml parser that never expands entities, loads DTDs or touches the network.

    A new parser per document: lxml parsers must not be shared between threads.
    ``huge_tree=False`` keeps libxml2's own depth and text-size limits.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


@lru_cache(maxsize=1)
def load_schema() -> etree.XMLSchema:
    """The MDTO 1.0.1 XMLSchema from the shipped XSD (loaded once, safely)."""
    xsd = etree.parse(str(resource_path("mdto", XSD_NAME)), safe_parser())
    return etree.XMLSchema(xsd)


def validate(source: Path | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Problem]:
    """Every problem of ``source`` against MDTO 1.0.1; an empty list means valid.

    Never raises for bad input (see the module docstring for what is refused).
    ``max_bytes`` caps the input size and is checked before parsing.
    """
    data = _read(source, max_bytes)
    if isinstance(data, Problem):
        return [data]
    if _declares_doctype(data):
        return [Problem(HAS_DOCTYPE, line=1)]
    parser = safe_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # parser.error_log is this parse only; exc.error_log is the thread's
        # global log and can carry stale entries from earlier validations.
        entries = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
        if not entries:
            return [Problem(NOT_WELL_FORMED, {"detail": str(exc)}, line=exc.lineno)]
        return [Problem(NOT_WELL_FORMED, {"detail": e.message}, line=e.line) for e in entries]
    if root is None:  # lxml returns None for input that yields no document
        return [Problem(NOT_WELL_FORMED, {"detail": "no root element"})]
    tree = root.getroottree()
    # Belt and braces: the prolog scan should already have refused this.
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return [Problem(HAS_DOCTYPE, line=1)]
    refused = _check_root(root)
    if refused is not None:
        return [refused]
    return _schema_problems(tree)


def validate_element(root: etree._Element) -> list[Problem]:
    """Every schema problem of a document we built ourselves (an lxml ``<MDTO>`` element).

    For our own output only: it skips the checks for untrusted input (size, DOCTYPE,
    parsing), which :func:`validate` does for anything that comes from outside.
    """
    refused = _check_root(root)
    if refused is not None:
        return [refused]
    return _schema_problems(root.getroottree())


def validate_own_file(path: Path) -> list[Problem]:
    """Every schema problem of a large document we wrote ourselves, checked while it is
    read (each element dropped once read: memory stays flat for a dossier's 50,000
    references). Only a document that turns out invalid is read whole, to list every
    problem. For our own output only, like :func:`validate_element`.
    """
    try:
        for _event, element in etree.iterparse(
            str(path),
            events=("end",),
            schema=load_schema(),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,  # ours: one long list of references, no untrusted input
        ):
            parent = element.getparent()
            if parent is not None and parent.getparent() is not None:
                element.clear()
                while element.getprevious() is not None:
                    del parent[0]
    except (etree.DocumentInvalid, etree.XMLSyntaxError) as exc:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        tree = etree.parse(str(path), parser)
        refused = _check_root(tree.getroot())
        problems = [refused] if refused is not None else _schema_problems(tree)
        detail = {"version": VERSION, "detail": _readable(str(exc))}
        return problems or [Problem(SCHEMA_VIOLATION, detail)]
    return []


class _DoctypeSeen(Exception):
    """Raised from the prolog scan's parser target on a DOCTYPE."""


class _RootReached(Exception):
    """Raised from the prolog scan's parser target at the root element: stop there."""


class _PrologScan:
    """Parser target that stops at the DOCTYPE (if any) or else at the root element."""

    def doctype(self, name: str | None, pubid: str | None, system: str | None) -> None:
        raise _DoctypeSeen(name)

    def start(self, tag: str, attrib: Mapping[str, str]) -> None:
        raise _RootReached(tag)

    def close(self) -> None:
        return None


def _declares_doctype(data: bytes) -> bool:
    """True if the document declares a DOCTYPE, found before its entities are parsed.

    libxml2 reports the DOCTYPE before it reads the internal subset, so an
    entity bomb is refused as a DOCTYPE instead of tripping libxml2's own
    amplification guard as a vague syntax error. Only the prolog is read.
    """
    parser = etree.XMLParser(
        target=_PrologScan(),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        etree.fromstring(data, parser)
    except _DoctypeSeen:
        return True
    except (_RootReached, etree.XMLSyntaxError):
        # Syntax errors are reported by the real parse that follows.
        return False
    return False


def _read(source: Path | bytes, max_bytes: int) -> bytes | Problem:
    """The input's bytes, or the Problem that stops us reading it."""
    too_large = Problem(TOO_LARGE, {"limit": _mib(max_bytes)})
    if isinstance(source, bytes):
        return too_large if len(source) > max_bytes else source
    try:
        if source.stat().st_size > max_bytes:
            return too_large
        with source.open("rb") as handle:
            # Read one byte more than allowed: the file may grow after stat().
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Problem(UNREADABLE, {"detail": exc.strerror or str(exc)})
    return too_large if len(data) > max_bytes else data


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _check_root(root: etree._Element) -> Problem | None:
    """Refuse a root outside the MDTO namespace or one that names another version."""
    if root.tag == _MDTO_TAG and root.get(_XSI_LOCATION) == _OUR_LOCATION:
        return None  # what we write ourselves: the general checks below find nothing
    qname = etree.QName(root)
    if qname.namespace != NAMESPACE:
        shown = f"{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname
        return Problem(
            NOT_MDTO,
            {"root": shown, "namespace": NAMESPACE},
            path=f"/{qname.localname}",
            line=root.sourceline,
        )
    tokens = (root.get(f"{{{XSI_NAMESPACE}}}schemaLocation") or "").split()
    # schemaLocation is pairs of "namespace location"; only MDTO's pair matters.
    for namespace, location in zip(tokens[::2], tokens[1::2], strict=False):
        match = _VERSION_IN_LOCATION.search(location)
        if namespace == NAMESPACE and match and match.group(1) != VERSION:
            return Problem(
                OTHER_VERSION,
                {"found": match.group(1), "location": location, "expected": VERSION},
                path=f"/{qname.localname}",
                line=root.sourceline,
            )
    return None


def _schema_problems(tree: etree._ElementTree) -> list[Problem]:
    schema = load_schema()
    with _SCHEMA_LOCK:
        schema.validate(tree)
        entries = list(schema.error_log)
    return [
        Problem(
            SCHEMA_VIOLATION,
            {"version": VERSION, "detail": _readable(entry.message)},
            path=_element_path(tree, entry.path),
            line=entry.line or None,
        )
        for entry in entries
    ]


def _readable(message: str) -> str:
    """The schema's message without the namespace noise on every element name."""
    return message.replace(f"{{{NAMESPACE}}}", "")


def _element_path(tree: etree._ElementTree, xpath: str | None) -> str:
    """Turn lxml's positional path (``/*/*/*[2]``) into local names (``/MDTO/bestand/omvang``)."""
    if not xpath:
        return ""
    try:
        found = tree.xpath(xpath)
    except etree.XPathError:
        return xpath
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return xpath
    steps: list[str] = []
    element: etree._Element | None = found[0]
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == element.tag]
            if len(same) > 1:
                name += f"[{same.index(element) + 1}]"
        steps.append(name)
        element = parent
    return "/" + "/".join(reversed(steps))
