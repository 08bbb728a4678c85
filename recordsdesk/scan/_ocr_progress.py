"""ocrmypdf plugin: report the OCR step's progress as lines on the worker's stderr.

Loaded by ``_ocr_worker`` only (``plugins=[__name__]``). Each update of the
step ocrmypdf calls "OCR" writes ``RDPROGRESS <done> <total>``; the parent
(``recordsdesk.scan.ocr``) turns those into ``progress(done, total)`` calls.
"""

from __future__ import annotations

from typing import Any, Literal

from ocrmypdf import hookimpl

from recordsdesk.scan._ocr_lines import emit_line


class LineProgress:
    """A progress "bar" that writes one line per page done (only for the OCR step)."""

    def __init__(self, *, total: float | None = None, desc: str | None = None, **_: Any) -> None:
        self.total = int(total or 0)
        self.done = 0.0
        self.shown = -1
        self.active = (desc or "").strip().lower() == "ocr" and self.total > 0

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *_exc: object) -> Literal[False]:
        return False

    def update(self, n: float | None = 1, *, completed: float | None = None) -> None:
        self.done = completed if completed is not None else self.done + (n or 0)
        whole = min(int(self.done), self.total)
        if self.active and whole != self.shown:
            self.shown = whole
            emit_line(f"RDPROGRESS {whole} {self.total}")


@hookimpl
def get_progressbar_class() -> type[LineProgress]:
    return LineProgress
