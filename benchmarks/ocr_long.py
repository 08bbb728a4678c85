"""Workload ``ocr-long``: a 500-page scanned batch without sheets, taken apart whole.

Issue 8, "Bad input": a 500-page batch needs bounded memory, progress, cancel and
resume. Ours is ``recordsdesk.scan.process.take_apart`` on the batch (quality
checks of every page, looking for sheets, one record of 500 pages OCR'd 50 pages
at a time with each chunk kept, the chunks joined into one PDF/A); the
baseline is the ``ocrmypdf`` command on the same file with our worker's options,
in the same run. Rows:

* ``batch of 500 pages taken apart`` (s): ours against ocrmypdf; ratio target
  <= 1.2, as for the 20-page batch.
* ``rss tree`` (MB): the resident memory of the whole process tree (this process,
  the OCR worker, ocrmypdf's page processes) sampled every 50 ms: the peak after
  the first quarter against the peak of the first quarter; flat is <= +10 %.
* ``progress``: how many progress calls the run made, and the longest gap between
  two (info: the status bar never stands still for long).

The batch is 20 synthetic letters (``tests/scan/synth.py``, 300 dpi, speckle,
slight skew) repeated to 500 pages, untimed. ``--quick``: 3 pages (its shape only).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import img2pdf  # type: ignore[import-untyped]

from benchmarks import Config, Row, Workload, log, work_dir
from benchmarks.ocr import _baseline, _TreeRss

PAGES_FULL, PAGES_QUICK = 500, 3  # quick: the harness smoke test runs every workload
DISTINCT = 20


def _long_batch(folder: Path, pages: int) -> Path:
    from tests.scan.synth import Page, page_images

    layout = [Page(dpi=300, angle=0.6 if n % 2 else -0.4) for n in range(min(pages, DISTINCT))]
    images = []
    for number, image in enumerate(page_images(layout, folder)):
        path = folder / f"page-{number}.png"
        image.save(path, dpi=(300, 300))
        images.append(path.read_bytes())
        path.unlink()
    batch = folder / "long.pdf"
    batch.write_bytes(img2pdf.convert([images[n % len(images)] for n in range(pages)]))
    return batch


def run(config: Config) -> list[Row]:
    from recordsdesk.scan.process import take_apart
    from recordsdesk.scan.profile import ScanProfile

    pages = PAGES_QUICK if config.quick else PAGES_FULL
    with work_dir(config, "ocr-long") as folder:
        start = time.perf_counter()
        batch = _long_batch(folder, pages)
        log(config, f"made a {pages}-page batch ({time.perf_counter() - start:.1f} s, "
                    f"{batch.stat().st_size / 1e6:.0f} MB, untimed)")  # fmt: skip
        scratch = folder / "scratch"
        scratch.mkdir()
        counter = iter(range(10**6))
        calls: list[float] = []

        def progress(done: int, total: int, label: str) -> None:
            calls.append(time.perf_counter())

        with _TreeRss() as rss:
            began = time.perf_counter()
            taken = take_apart(batch, "application/pdf", ScanProfile(dpi=300),
                               lambda suffix: scratch / f"s{next(counter)}{suffix}",
                               progress=progress)  # fmt: skip
            ours = time.perf_counter() - began
        assert len(taken.parts) == 1 and taken.parts[0].pdfa is not None
        first, rest = rss.quarters()
        log(config, f"ours: {ours:.1f} s; tree RSS {first:.0f} -> {rest:.0f} MB")
        shutil.rmtree(scratch)
        base = _baseline(batch, folder / "base.pdf")
        log(config, f"baseline (ocrmypdf): {base:.1f} s")
    gaps = [b - a for a, b in zip([began, *calls], [*calls, began + ours], strict=True)]
    note = (f"ocr-long: {pages} pages at 300 dpi, {os.cpu_count()} jobs; {len(calls)} progress "
            f"calls, the longest gap {max(gaps):.1f} s")  # fmt: skip
    return [
        Row(workload="ocr-long", case=f"batch of {pages} pages taken apart", unit="s",
            ours=ours, baseline=base, baseline_label="ocrmypdf directly",
            target="ratio <= 1.2", met=ours / base <= 1.2, runs_ours=[ours],
            runs_baseline=[base], notes=[note]),
        Row(workload="ocr-long", case="rss tree, later vs first quarter", unit="MB",
            ours=rest, baseline=first, baseline_label="first quarter's peak",
            target="<= +10%", met=rest <= first * 1.10, runs_ours=[rest],
            runs_baseline=[first]),
    ]  # fmt: skip


WORKLOAD = Workload(
    name="ocr-long",
    description=f"a {PAGES_FULL}-page scanned batch taken apart (memory, progress), vs ocrmypdf",
    run=run,
)
