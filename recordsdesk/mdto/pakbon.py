"""The pakbon of the e-Depot SIP: written while the package is written, read back.

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

:class:`Pakbon` writes it streamed and :func:`entries` reads it streamed, so
memory does not grow with the package either way;
:mod:`recordsdesk.mdto.sip_verify` compares what it lists with what is there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]

from recordsdesk.mdto import schema
from recordsdesk.mdto.model import Bestand, Informatieobject
from recordsdesk.mdto.sip import BESTAND_SUFFIX, PAYLOAD
from recordsdesk.mdto.sip_layout import Folder

PAKBON_NAMESPACE = "urn:recordsdesk:pakbon:1"


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


# -- reading it back ----------------------------------------------------------


def entries(path: Path) -> Iterator[str | tuple[str, str]]:
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
