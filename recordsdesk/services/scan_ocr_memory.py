"""OCR results kept in the working store as they are made (``scan_ocr_result``).

``StoreOcrMemory`` is the ``OcrMemory`` a batch is taken apart with: each
record's PDF/A goes into the object store (durably) and its row into the
database as soon as OCR has made it, each in a step of its own. A batch taken
apart again after a cancel or a crash then finds those records done: the
records are split again the same way (the same pages give the same bytes), so
their content hash finds the earlier OCR. A row whose object is missing or
damaged is ignored (the pages are OCR'd again).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from recordsdesk.db.models import ScanOcrResult
from recordsdesk.mdto.sip import hash_file
from recordsdesk.scan.ocr import OcrSettings
from recordsdesk.services.workspace import Workspace

log = logging.getLogger("recordsdesk.scan")


def settings_key(settings: OcrSettings) -> str:
    """A hash of what changes OCR's result (not the number of pages at once)."""
    what = {"languages": list(settings.languages), "rotate": settings.rotate,
            "deskew": settings.deskew}  # fmt: skip
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


class StoreOcrMemory:
    """See the module docstring; ``recalled`` counts the records found done."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.recalled = 0
        self._hashes: dict[Path, str] = {}  # recall, then remember: the chunk is read once

    def _sha256(self, path: Path) -> str:
        if path not in self._hashes:
            self._hashes[path] = hash_file(path)[0]
        return self._hashes[path]

    def recall(
        self, original: Path, settings: OcrSettings
    ) -> tuple[Path, dict[int, float | None]] | None:
        with self.ws.readers() as session:
            row = session.get(ScanOcrResult, (self._sha256(original), settings_key(settings)))
            if row is None:
                return None
            sha, size, confidence = row.pdfa_sha256, row.pdfa_size, row.confidence
        if self.ws.objects.check(sha, size) is not None:
            return None  # gone or damaged: OCR again
        self.recalled += 1
        read = {int(page): value for page, value in json.loads(confidence).items()}
        return self.ws.objects.path_for(sha), read

    def remember(
        self,
        original: Path,
        settings: OcrSettings,
        pdfa: Path,
        confidence: dict[int, float | None],
    ) -> None:
        """Keep what OCR made; a failure here is logged, not raised: the memory only
        saves work, and the batch has its OCR either way."""
        try:
            self._remember(original, settings, pdfa, confidence)
        except Exception:  # the store or the database refused: the batch goes on
            log.warning("keeping the OCR of %s for a resume failed", original, exc_info=True)

    def _remember(
        self,
        original: Path,
        settings: OcrSettings,
        pdfa: Path,
        confidence: dict[int, float | None],
    ) -> None:
        with self.ws.objects.batch() as store:
            store.stage(pdfa)
            [stored] = store.commit()  # durable before the row names it
        key = (self._sha256(original), settings_key(settings))
        with self.ws.sessions() as session, session.begin():
            row = session.get(ScanOcrResult, key) or ScanOcrResult(
                original_sha256=key[0], settings=key[1]
            )
            row.pdfa_sha256, row.pdfa_size = stored.sha256, stored.size
            row.confidence = json.dumps({str(p): v for p, v in confidence.items()})
            row.created_at = self.ws.clock()
            session.add(row)
