"""Workload ``ocr``: a 20-page scanned batch to PDF/A-2b, against ocrmypdf run directly.

Issue 8, "Done when": a 20-page synthetic batch; baseline: running ``ocrmypdf``
directly on the same pages in the same run; targets: ratio <= 1.2, memory flat.

* ``ocr 20 pages``: ours is ``recordsdesk.scan.ocr.make_pdfa`` (the worker process,
  its progress lines, the temp file flushed and renamed into place) with the
  default settings (Dutch, pages turned, jobs = cores). The baseline is the
  ``ocrmypdf`` command with the very options our worker passes (``-l nld
  --output-type pdfa-2 --pdfa-backend internal --rasterizer pypdfium --skip-text
  --rotate-pages -j N``), writing without a flush, so the ratio is what our layer
  costs. Runs alternate who goes first; medians.
* ``batch taken apart``: the whole of what a scanner folder does with the batch,
  ``recordsdesk.scan.process.take_apart`` (quality checks of every page, looking for
  separator sheets, the split, OCR), against the same ocrmypdf run. This is the row
  with the target: it is what a batch costs in the app.
* ``rss`` (memory flat): the resident memory of the whole process tree (this
  process, the worker and ocrmypdf's page processes) sampled every 50 ms during
  our run: the peak in the last three quarters of the run against the peak in
  the first quarter. Flat: at most +10 %, i.e. memory does not grow with the
  pages done.

The batch is made by ``tests/scan/synth.py`` (rendered Dutch letters at 300 dpi
with speckle, slight skew, one page upside down), untimed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from benchmarks import Config, Row, Workload, log, median, work_dir

PAGES_FULL, PAGES_QUICK = 20, 2
RUNS_FULL, RUNS_QUICK = 2, 1


def _batch(folder: Path, pages: int) -> Path:
    from tests.scan.synth import Page, make_batch

    layout = [
        Page(dpi=300, angle=180 if n == 3 else (0.6 if n % 2 else -0.4)) for n in range(pages)
    ]
    return make_batch(layout, folder / "batch.pdf")


def _baseline(batch: Path, out: Path) -> float:
    command = [
        sys.executable, "-m", "ocrmypdf", "-l", "nld", "--output-type", "pdfa-2",
        "--pdfa-backend", "internal", "--rasterizer", "pypdfium", "--skip-text",
        "--rotate-pages", "-j", str(os.cpu_count() or 1), "-q", str(batch), str(out),
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class _TreeRss:
    """Samples the RSS of this process and all its descendants until stopped."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.perf_counter()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.samples.append((time.perf_counter() - self._start, total / 1e6))
            self._stop.wait(0.05)

    def __enter__(self) -> _TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def quarters(self) -> tuple[float, float]:
        """Peak of the first quarter of the run, peak of the rest."""
        end = self.samples[-1][0] if self.samples else 0.0
        first = [mb for at, mb in self.samples if at <= end / 4] or [0.0]
        rest = [mb for at, mb in self.samples if at > end / 4] or [0.0]
        return max(first), max(rest)


def _take_apart(batch: Path, folder: Path) -> float:
    from recordsdesk.scan.process import take_apart
    from recordsdesk.scan.profile import ScanProfile

    counter = iter(range(10**6))
    scratch = folder / "scratch"
    scratch.mkdir()

    def name(suffix: str) -> Path:
        return scratch / f"s{next(counter)}{suffix}"

    start = time.perf_counter()
    taken = take_apart(batch, "application/pdf", ScanProfile(dpi=300), name)
    seconds = time.perf_counter() - start
    assert len(taken.parts) == 1 and taken.parts[0].pdfa is not None  # a sanity check
    import shutil

    shutil.rmtree(scratch)
    return seconds


def run(config: Config) -> list[Row]:
    from recordsdesk.scan.ocr import make_pdfa, missing_packages

    missing = missing_packages()
    if missing:
        raise RuntimeError(f"OCR needs these packages: {', '.join(missing)}")
    pages = PAGES_QUICK if config.quick else PAGES_FULL
    runs = RUNS_QUICK if config.quick else RUNS_FULL
    with work_dir(config, "ocr") as folder:
        start = time.perf_counter()
        batch = _batch(folder, pages)
        log(config, f"made a {pages}-page batch at 300 dpi ({time.perf_counter() - start:.1f} s, "
                    f"{batch.stat().st_size / 1e6:.1f} MB, untimed)")  # fmt: skip
        ours: list[float] = []
        base: list[float] = []
        rss_first: list[float] = []
        rss_rest: list[float] = []
        whole: list[float] = []
        for number in range(runs):
            order = ("ours", "base") if number % 2 == 0 else ("base", "ours")
            for who in order:
                out = folder / f"{who}-{number}.pdf"
                if who == "base":
                    base.append(_baseline(batch, out))
                    log(config, f"baseline (ocrmypdf): {base[-1]:.2f} s")
                    continue
                with _TreeRss() as rss:
                    began = time.perf_counter()
                    make_pdfa(batch, out)
                    ours.append(time.perf_counter() - began)
                first, rest = rss.quarters()
                rss_first.append(first)
                rss_rest.append(rest)
                log(config, f"ours: {ours[-1]:.2f} s; tree RSS {first:.0f} -> {rest:.0f} MB")
            whole.append(_take_apart(batch, folder))
            log(config, f"ours, the batch taken apart: {whole[-1]:.2f} s")
    ours_s, base_s = median(ours), median(base)
    first_mb, rest_mb = max(rss_first), max(rss_rest)
    note = (
        f"ocr: {pages} pages at 300 dpi, {os.cpu_count()} jobs; per page ours "
        f"{ours_s / pages:.2f} s (OCR alone), {median(whole) / pages:.2f} s (the batch taken "
        f"apart), ocrmypdf {base_s / pages:.2f} s; median of {runs} runs each"
    )
    whole_s = median(whole)
    return [
        Row(
            workload="ocr",
            case=f"batch of {pages} pages taken apart",
            unit="s",
            ours=whole_s,
            baseline=base_s,
            baseline_label="ocrmypdf directly",
            target="ratio <= 1.2",
            met=whole_s / base_s <= 1.2,
            runs_ours=whole,
            runs_baseline=base,
            notes=[note],
        ),
        Row(
            workload="ocr",
            case=f"OCR alone, {pages} pages",
            unit="s",
            ours=ours_s,
            baseline=base_s,
            baseline_label="ocrmypdf directly",
            target="(info)",
            met=None,
            runs_ours=ours,
            runs_baseline=base,
        ),
        Row(
            workload="ocr",
            case="rss tree, later vs first quarter",
            unit="MB",
            ours=rest_mb,
            baseline=first_mb,
            baseline_label="first quarter's peak",
            target="<= +10%",
            met=rest_mb <= first_mb * 1.10,
            runs_ours=rss_rest,
            runs_baseline=rss_first,
        ),
    ]


WORKLOAD = Workload(
    name="ocr",
    description=f"OCR of a {PAGES_FULL}-page scanned batch to PDF/A-2b, vs ocrmypdf directly",
    run=run,
)
