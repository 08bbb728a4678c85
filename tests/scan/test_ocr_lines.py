"""The OCR worker's report lines: written whole from many processes, read safely."""

from __future__ import annotations

import subprocess
import sys

from recordsdesk.scan.ocr import _read_report

WRITER = """
import sys
from recordsdesk.scan._ocr_lines import emit_line
for n in range(int(sys.argv[2])):
    emit_line(f"{sys.argv[1]} {n} 4000")
"""


def test_lines_from_many_processes_on_one_pipe_never_interleave() -> None:
    # Four processes share one stderr pipe, as ocrmypdf's page workers and the
    # worker's main process do; every line read back must be one whole report.
    count = 4000
    shell = " & ".join(
        f"{sys.executable} -c '{WRITER}' {kind} {count}"
        for kind in ("RDPROGRESS", "RDCONFIDENCE", "RDPROGRESS", "RDCONFIDENCE")
    )
    done = subprocess.run(
        ["sh", "-c", shell + " ; wait"], stderr=subprocess.PIPE, text=True, check=True
    )
    lines = done.stderr.splitlines()
    assert len(lines) == 4 * count
    for line in lines:
        kind, number, total = line.split(" ")
        assert kind in ("RDPROGRESS", "RDCONFIDENCE") and number.isdigit() and total == "4000"


def test_reports_are_read_and_garbled_ones_become_messages() -> None:
    seen: list[tuple[int, int]] = []
    confidence: dict[int, float | None] = {}

    def progress(done: int, total: int, _step: str) -> None:
        seen.append((done, total))

    assert _read_report("RDPROGRESS 1 2\n", progress, confidence)
    assert _read_report("RDCONFIDENCE 3 87.5 120\n", progress, confidence)
    assert _read_report("RDCONFIDENCE 4 - 0\n", progress, confidence)
    assert seen == [(1, 2)] and confidence == {3: 87.5, 4: None}
    for garbled in ("RDPROGRESS 1 2RDCONFIDENCE 1 90.0 12", "RDPROGRESS", "RDCONFIDENCE x y",
                    "Tesseract says hello", ""):  # fmt: skip
        assert not _read_report(garbled, progress, confidence)
    assert seen == [(1, 2)] and confidence == {3: 87.5, 4: None}
