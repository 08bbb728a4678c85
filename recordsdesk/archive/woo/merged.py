"""The merged PDF of a Woo export: every published PDF in inventory order, with a
bookmark (outline entry) per dossier and, under it, one per document.

pikepdf copies pages lazily: a source must stay open until the merged file is
saved. So that a request of 50,000 documents does not hold 50,000 files open,
documents are merged into parts of :data:`PART` documents, each saved (and its
sources closed) when full; :meth:`MergedWriter.finish` then joins the parts and
adds the outline, which it keeps as (dossier, title, first page) only.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf

NAME = "documenten-samengevoegd.pdf"
PART = 200


@dataclass(frozen=True)
class _Mark:
    dossier: str
    title: str
    page: int  # 0-based, in the merged file


class MergedWriter:
    """Collects PDFs in order; ``finish()`` writes ``folder/NAME``; ``work`` is scratch."""

    def __init__(self, folder: Path, work: Path) -> None:
        self.folder = folder
        self.work = work
        self.work.mkdir()
        self._parts: list[Path] = []
        self._marks: list[_Mark] = []
        self._pages = 0
        self._current: pikepdf.Pdf | None = None
        self._sources: list[pikepdf.Pdf] = []

    @property
    def documents(self) -> int:
        return len(self._marks)

    @property
    def pages(self) -> int:
        return self._pages

    def add(self, path: Path, dossier: str, title: str) -> None:
        """Append the pages of the PDF at ``path`` (readable, not encrypted: the caller
        checked) under ``dossier`` with the bookmark ``title``."""
        source = pikepdf.open(path)
        if self._current is None:
            self._current = pikepdf.new()
        self._sources.append(source)
        self._marks.append(_Mark(dossier, title, self._pages))
        self._current.pages.extend(source.pages)
        self._pages += len(source.pages)
        if len(self._sources) >= PART:
            self._flush()

    def finish(self) -> str | None:
        """Write the merged PDF; its name, or None when there was nothing to merge."""
        self._flush()
        if not self._parts:
            self.close()
            return None
        parts = [pikepdf.open(path) for path in self._parts]
        try:
            merged = pikepdf.new()
            for part in parts:
                merged.pages.extend(part.pages)
            self._outline(merged)
            merged.docinfo["/Title"] = pikepdf.String("Woo-publicatie")
            merged.save(self.folder / NAME, compress_streams=True)
            merged.close()
        finally:
            for part in parts:
                part.close()
            self.close()
        return NAME

    def close(self) -> None:
        """Close what is open and remove the scratch folder (also after a failure)."""
        for source in self._sources:
            source.close()
        self._sources.clear()
        if self._current is not None:
            self._current.close()
            self._current = None
        shutil.rmtree(self.work, ignore_errors=True)

    def _flush(self) -> None:
        if self._current is None:
            return
        path = self.work / f"part-{len(self._parts):05d}.pdf"
        self._current.save(path)
        self._current.close()
        self._current = None
        for source in self._sources:
            source.close()
        self._sources.clear()
        self._parts.append(path)

    def _outline(self, merged: pikepdf.Pdf) -> None:
        with merged.open_outline() as outline:
            dossier: pikepdf.OutlineItem | None = None
            for mark in self._marks:
                if dossier is None or dossier.title != (mark.dossier or "-"):
                    dossier = pikepdf.OutlineItem(mark.dossier or "-", mark.page)
                    outline.root.append(dossier)
                dossier.children.append(pikepdf.OutlineItem(mark.title, mark.page))
