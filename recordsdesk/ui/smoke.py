"""``--smoke-test``: prove a build works end to end, then exit.

Used by ``make dist`` on the frozen bundle and by the tests on the source tree.
The check goes through the same paths a user's first minutes do: the main window
opens the data folder, a dossier is created, one generated PDF is filed into it
through the window's filer (identification, checksum, text extraction, the
object store), and the store is verified by SHA-256. Anything missing from a
bundle (a Qt plugin, libmagic, pikepdf, the schema, the translations) fails one
of these steps.

Contract: exactly one of ``finish(EXIT_OK, …)`` or ``finish(code, "FAILED: …")``
is called, at most ``timeout_ms`` after ``start``; the note goes to stdout on
success and to stderr on failure.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pikepdf

from PySide6.QtCore import QObject, QTimer

from recordsdesk import services
from recordsdesk.services.dto import Created, VerifyReport
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops

EXIT_OK, EXIT_FAILED, EXIT_TIMEOUT = 0, 1, 3
SMOKE_TEXT = "RecordsDesk rooktest / smoke test"
DOSSIER_TITLE = "Rooktest RecordsDesk"


def write_sample_pdf(target: Path) -> Path:
    """A one-page PDF with a line of real text (so text extraction has work to do)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    content = f"BT /F1 14 Tf 72 720 Td ({SMOKE_TEXT}) Tj ET".encode("ascii")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(target)
    return target


class SmokeTest(QObject):
    """Drives the window through open → create dossier → file one PDF → verify."""

    def __init__(
        self,
        window: MainWindow,
        ops: Ops,
        finish: Callable[[int, str], None],
        timeout_ms: int,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ops = ops
        self._finish = finish
        self._done = False
        self._scratch = Path(tempfile.mkdtemp(prefix="recordsdesk-smoke-"))
        self._kenmerk = ""
        window.ready.connect(self._create_dossier)
        window.failed.connect(lambda exc: self._end(EXIT_FAILED, f"FAILED: {exc}"))
        window.dossiers.load_failed.connect(
            lambda exc: self._end(EXIT_FAILED, f"FAILED: reading the dossier list: {exc}")
        )
        window.filer.finished.connect(self._verify)
        window.filer.failed.connect(lambda exc: self._end(EXIT_FAILED, f"FAILED: filing: {exc}"))
        QTimer.singleShot(timeout_ms, self, lambda: self._end(EXIT_TIMEOUT, "FAILED: timed out"))

    def _create_dossier(self) -> None:
        self._ops.db(
            lambda ws: services.create_dossier(ws, DOSSIER_TITLE),
            self._file_sample,
            lambda exc: self._end(EXIT_FAILED, f"FAILED: creating a dossier: {exc}"),
            owner=self,
        )

    def _file_sample(self, created: Created) -> None:
        self._kenmerk = created.kenmerk
        self._window.apply_changes(created.changes)
        try:
            sample = write_sample_pdf(self._scratch / "rooktest.pdf")
        except Exception as exc:  # a bundle without a working pikepdf
            self._end(EXIT_FAILED, f"FAILED: making the sample PDF: {exc}")
            return
        if not self._window.filer.file_paths(created.kenmerk, [sample]):
            self._end(EXIT_FAILED, "FAILED: filing did not start")

    def _verify(self, result: services.FilingResult) -> None:
        filed = ", ".join(r.kenmerk for r in result.records)

        def checked(report: VerifyReport) -> None:
            if not report.intact:
                self._end(EXIT_FAILED, f"FAILED: the store did not verify: {report.to_json()}")
                return
            ws = self._ops.workspace
            where = ws.layout.root if ws is not None else "?"
            self._end(
                EXIT_OK,
                f"OK (filed {filed} into {self._kenmerk}; {report.checked} object(s) "
                f"verified by SHA-256 in {where})",
            )

        self._ops.db(
            services.verify,
            checked,
            lambda exc: self._end(EXIT_FAILED, f"FAILED: verifying: {exc}"),
            owner=self,
        )

    def _end(self, code: int, note: str) -> None:
        if self._done:
            return
        self._done = True
        shutil.rmtree(self._scratch, ignore_errors=True)
        print(f"RecordsDesk smoke test: {note}", file=sys.stdout if code == 0 else sys.stderr)
        self._finish(code, note)


__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_TIMEOUT", "SmokeTest", "write_sample_pdf"]
