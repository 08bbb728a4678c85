"""Workload ``intake``: drop-folder intake against ``sha256sum`` + ``file --mime-type``.

Cases (from issue 3, "Done when"; see benchmarks/README.md):

* ``mixed``: 5,000 small distinct files, one fifth each a real PDF (pikepdf),
  a .docx-like ZIP, a PNG, a .txt and an .eml, lie in the drop folder of a fresh
  home; timed: one ``runner.process_once(ws, quiet_period=0.0)`` call until every
  file is ``ready`` (the median of three such runs, each in a fresh home). The
  quiet period is 0 because the files are complete before the run starts (the
  stability wait is the subject of the other cases).
  Baseline over the same files: ``sha256sum`` then ``file --mime-type``, each one
  process with every name as an argument (no per-file process spawn).
* ``rss``: peak resident set size (``VmHWM``) of a child process doing ``mixed``,
  plus that of its examination worker process (the figure is the sum).
* ``latency``: ``runner.watch(quiet_period=0.5)`` runs in a thread while files
  are dropped at a steady rate; per file, the item's ``ready`` time
  (``InboxItem.updated_at``) minus (write finished + quiet period); p95.
* ``slow writers``: files written 1 KiB every 100 ms into a watched folder;
  how many were taken before they were complete.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import email.message
import hashlib
import io
import json
import os
import random
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import (
    Config,
    Row,
    Workload,
    log,
    median,
    profile_summary,
    remove_tree,
    require_tools,
    settle,
    work_dir,
)

RATIO_TARGET = 4.0
RSS_TARGET_MB = 300.0
LATENCY_TARGET_S = 1.0
LATENCY_QUIET = 0.5
SLOW_QUIET = 0.5
BASELINE = "sha256sum + file --mime-type"
KINDS = ("pdf", "docx", "png", "txt", "eml")

PROFILE_POINTS: tuple[tuple[str, str, str], ...] = (
    ("process_once (total)", "runner.py", "process_once"),
    ("  pipeline.take_many (per round)", "pipeline.py", "take_many"),
    ("    _claim_many (claimed rows + commit)", "pipeline.py", "_claim_many"),
    ("    _store_many (store batch + commit)", "pipeline.py", "_store_many"),
    ("      PutBatch.stage (copy + hash)", "batch.py", "stage"),
    ("      PutBatch.commit (syncfs, rename)", "batch.py", "commit"),
    ("    examine_and_record", "recording.py", "examine_and_record"),
    ("      examination steps (all run calls)", "examine.py", "run_steps"),
    ("      identify_many", "identify.py", "identify_many"),
    ("        libmagic (MIME)", "identify.py", "mime_type"),
    ("        siegfried (PUID, one call)", "identify.py", "_pronom_puids"),
    ("      inspect_pdf", "pdf.py", "inspect_pdf"),
    ("      read_mail", "mail.py", "read_mail"),
    ("      extract_text", "text.py", "extract_text"),
    ("      _record (states + text + commit)", "recording.py", "_record"),
    ("    release_many (move + audit)", "recording.py", "release_many"),
    ("      audit.append_many", "audit.py", "append_many"),
    ("  stability mark (probe)", "stability.py", "mark"),
    ("  stability poll (probe)", "stability.py", "poll"),
    ("all SQLite COMMITs", "~", "<method 'commit' of 'sqlite3.Connection' objects>"),
    ("all os.fsync calls", "~", "<built-in method posix.fsync>"),
    ("all os.syncfs / sync calls", "~", "<built-in method posix.sync>"),
)


# ---------------------------------------------------------------- generated files


def _png(index: int, size: int = 16) -> bytes:
    rng = random.Random(index)
    raw = b"".join(b"\x00" + rng.randbytes(size * 3) for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _docx(index: int) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>Besluit op Woo-verzoek nummer {index}.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def _eml(index: int) -> bytes:
    message = email.message.EmailMessage()
    message["From"] = "burger@example.org"
    message["To"] = "postbus@gemeente.example"
    message["Subject"] = f"Verzoek {index}"
    message["Date"] = "Sat, 28 Nov 2026 12:00:00 +0000"
    message["Message-ID"] = f"<bench-{index}@example.org>"
    message.set_content(f"Geachte heer, mevrouw,\n\nHierbij mijn verzoek nummer {index}.\n")
    return message.as_bytes()


def _txt(index: int) -> bytes:
    return f"Notitie {index}\n{'Lorem ipsum dolor sit amet. ' * 20}\n".encode()


def _pdf_maker() -> Callable[[int], bytes]:
    import pikepdf

    template = pikepdf.new()
    template.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    template.save(buffer)
    base = buffer.getvalue()

    def make(index: int) -> bytes:
        with pikepdf.open(io.BytesIO(base)) as pdf:
            pdf.docinfo["/Title"] = f"Benchmark document {index}"
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()

    return make


class FileMaker:
    """Distinct small files of the five kinds, round robin by index."""

    def __init__(self) -> None:
        self._pdf = _pdf_maker()

    def name(self, index: int, prefix: str = "doc") -> str:
        return f"{prefix}-{index:05d}.{KINDS[index % len(KINDS)]}"

    def content(self, index: int) -> bytes:
        kind = KINDS[index % len(KINDS)]
        if kind == "pdf":
            return self._pdf(index)
        if kind == "docx":
            return _docx(index)
        if kind == "png":
            return _png(index)
        if kind == "eml":
            return _eml(index)
        return _txt(index)

    def write(self, folder: Path, count: int, prefix: str = "doc", offset: int = 0) -> list[str]:
        names = []
        for index in range(offset, offset + count):
            name = self.name(index, prefix)
            (folder / name).write_bytes(self.content(index))
            names.append(name)
        return names


# ---------------------------------------------------------------- helpers


def _fresh_home_with_folder(home: Path, drop: Path):  # type: ignore[no-untyped-def]
    from recordsdesk.intake.folders import add_drop_folder
    from recordsdesk.services.workspace import open_workspace

    ws = open_workspace(home)
    add_drop_folder(ws, drop, after_intake="move")
    return ws


def _items_by_name(home: Path) -> dict[str, list[tuple[str, str | None, dt.datetime]]]:
    """Every inbox item of ``home``: name -> [(state, sha256, updated_at)]."""
    from sqlalchemy import select

    from recordsdesk.db.models import InboxItem
    from recordsdesk.services.workspace import open_workspace

    ws = open_workspace(home)
    try:
        with ws.readers() as session:
            rows = session.execute(
                select(
                    InboxItem.source_name, InboxItem.state, InboxItem.sha256, InboxItem.updated_at
                )
            ).all()
    finally:
        ws.close()
    found: dict[str, list[tuple[str, str | None, dt.datetime]]] = {}
    for name, state, sha256, updated in rows:
        found.setdefault(name, []).append((state, sha256, updated))
    return found


def _intake_once(home: Path, drop: Path, profiler: cProfile.Profile | None = None) -> float:
    """Fresh home, drop folder added (untimed); time one ``process_once`` call."""
    from recordsdesk.intake import runner

    ws = _fresh_home_with_folder(home, drop)
    try:
        os.sync()
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        runner.process_once(ws, quiet_period=0.0)
        elapsed = time.perf_counter() - start
        if profiler is not None:
            profiler.disable()
    finally:
        ws.close()
    return elapsed


def _check_all_ready(home: Path, names: list[str]) -> None:
    items = _items_by_name(home)
    bad = [n for n in names if [s for s, _sha, _at in items.get(n, [])] != ["ready"]]
    if bad:  # a sanity check, not a timing assertion
        raise RuntimeError(f"{len(bad)} of {len(names)} files not ready, e.g. {bad[:3]}")


# ---------------------------------------------------------------- case 1 and 2


def _warm_up(work: Path, maker: FileMaker) -> float:
    """One file of each kind through a throwaway home: imports, libmagic, siegfried, pikepdf."""
    drop = work / "drop-warm-up"
    drop.mkdir()
    names = maker.write(drop, len(KINDS), prefix="warm", offset=900_000)
    start = time.perf_counter()
    _intake_once(work / "home-warm-up", drop)
    elapsed = time.perf_counter() - start
    _check_all_ready(work / "home-warm-up", names)
    remove_tree(work / "home-warm-up")
    remove_tree(drop)
    return elapsed


def _measure_mixed(config: Config, work: Path, maker: FileMaker, count: int) -> list[Row]:
    case = f"{count} mixed"
    drop = work / "drop-mixed"
    drop.mkdir()
    log(config, f"generating {case} (pdf, docx, png, txt, eml)")
    names = maker.write(drop, count)
    total = sum((drop / n).stat().st_size for n in names)
    log(config, f"{count} files, {total / 1e6:.1f} MB")
    baseline_commands = [
        ["sha256sum", "--", *names],
        ["file", "--mime-type", "--", *names],
    ]

    def baseline(where: Path) -> float:
        os.sync()
        start = time.perf_counter()
        for command in baseline_commands:
            subprocess.run(command, cwd=where, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    # Baseline before (files in the drop folder) and after each of ours (the same
    # files, moved by intake into verwerkt/): ours sits between baselines, nobody
    # gets a colder cache. Between runs of ours the files go back (untimed) and
    # a fresh home is made: this machine varies by a third from run to run.
    # The homes are removed only after the last run: on a file system without a
    # journal (this machine's ext4) every new inode skips the ones freed in the
    # last minute, so deleting 10,000 of them just before a run cost that run
    # up to 2 s of system time, a cost of the harness, not of intake.
    repeats = 1 if config.quick else 3
    waited = 0.0 if config.quick else settle(config)
    baselines = [baseline(drop)]
    log(config, f"{case}: baseline {baselines[-1]:.3f} s")
    runs: list[float] = []
    for run in range(repeats):
        if run:
            for name in names:
                (drop / "verwerkt" / name).rename(drop / name)
        home = work / f"home-mixed-{run}"
        runs.append(_intake_once(home, drop))
        log(config, f"{case}: ours {runs[-1]:.3f} s")
        _check_all_ready(home, names)
        baselines.append(baseline(drop / "verwerkt"))
        log(config, f"{case}: baseline {baselines[-1]:.3f} s")
    for run in range(repeats):
        remove_tree(work / f"home-mixed-{run}")
    ours = median(runs)
    base = median(baselines)
    notes = [
        f"mixed: {count} files, {total / 1e6:.1f} MB; quiet period 0 (files complete "
        f"before the run); ours: median of {repeats} runs, each in a fresh home; "
        "baseline = sha256sum and file --mime-type, one process each with all names as "
        f"arguments, run before and after each of ours (median of {len(baselines)})",
    ]
    if waited:
        notes.append(
            f"waited {waited:.0f} s before the first run (untimed): the harness had just "
            "deleted thousands of files, and this file system does not reuse their inodes "
            "for 60 s (see settle() in benchmarks/__init__.py)"
        )
    if config.profile:
        sample = min(count, 500)
        pdrop = work / "drop-profile"
        pdrop.mkdir()
        for name in names[:sample]:
            os.link(drop / "verwerkt" / name, pdrop / name)
        profiler = cProfile.Profile()
        seconds = _intake_once(work / "home-profile", pdrop, profiler)
        remove_tree(work / "home-profile")
        remove_tree(pdrop)
        notes.append(f"profile: {sample} files under cProfile took {seconds:.3f} s")
        notes.extend(profile_summary(profiler, PROFILE_POINTS, 42))
    remove_tree(drop)
    return [
        Row(
            workload="intake",
            case=case,
            unit="s",
            ours=ours,
            baseline=base,
            baseline_label=BASELINE,
            target=f"ratio <= {RATIO_TARGET:g}",
            met=ours / base <= RATIO_TARGET,
            runs_ours=runs,
            runs_baseline=baselines,
            notes=notes,
        )
    ]


def _measure_rss(config: Config, work: Path, maker: FileMaker, count: int) -> Row:
    drop = work / "drop-rss"
    drop.mkdir()
    maker.write(drop, count, prefix="rss")
    home = work / "home-rss"
    os.sync()
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.intake", "rss-child", str(home), str(drop)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    remove_tree(home)
    remove_tree(drop)
    mb = 1e6
    peak, after_open = figures["peak"] / mb, figures["after_open"] / mb
    main, worker = figures["main_peak"] / mb, figures["worker_peak"] / mb
    log(config, f"rss child: open {after_open:.1f} MB, peak {main:.1f} + worker {worker:.1f} MB")
    return Row(
        workload="intake",
        case=f"rss {count} mixed",
        unit="MB",
        ours=peak,
        baseline=after_open,
        baseline_label="same child before intake",
        target=f"peak < {RSS_TARGET_MB:g} MB",
        met=peak < RSS_TARGET_MB,
        runs_ours=[peak],
        runs_baseline=[after_open],
        notes=[
            f"rss: child VmHWM after imports + open + drop folder {after_open:.1f} MB; "
            f"after process_once over {figures['items']} files: the child's peak "
            f"{main:.1f} MB + the examination worker's peak {worker:.1f} MB = {peak:.1f} MB "
            f"(the sum of two peaks: at least the most both held at once; "
            f"{figures['seconds']:.1f} s in the child)"
        ],
    )


def _rss_child(home: Path, drop: Path) -> int:
    from benchmarks._rss_child import max_rss_bytes
    from recordsdesk.intake import runner
    from recordsdesk.intake.examiner import shared_examiner

    ws = _fresh_home_with_folder(home, drop)
    try:
        after_open = max_rss_bytes()
        start = time.perf_counter()
        touched = runner.process_once(ws, quiet_period=0.0)
        seconds = time.perf_counter() - start
        peak = max_rss_bytes()
        # the examination worker's own high-water mark, read while it still lives
        worker = sum(max_rss_bytes(pid) for pid in shared_examiner().worker_pids())
    finally:
        ws.close()
    print(
        json.dumps(
            {
                "after_open": after_open,
                "main_peak": peak,
                "worker_peak": worker,
                "peak": peak + worker,
                "seconds": seconds,
                "items": len(touched),
            }
        )
    )
    return 0


# ---------------------------------------------------------------- case 3 and 4


class _Watcher:
    """``runner.watch`` on a thread with its own workspace; ``stop()`` ends it."""

    def __init__(self, home: Path, drop: Path, quiet: float) -> None:
        self.home, self.drop, self.quiet = home, drop, quiet
        self.stop_event = threading.Event()
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from recordsdesk.intake import runner

        try:
            ws = _fresh_home_with_folder(self.home, self.drop)
            try:
                self.ready.set()
                runner.watch(ws, self.stop_event, quiet_period=self.quiet)
            finally:
                ws.close()
        except BaseException as exc:  # reported by stop()
            self.error = exc
            self.ready.set()

    def start(self) -> None:
        self.thread.start()
        self.ready.wait(60)
        time.sleep(1.0)  # watch(): resume, first rescan, observers started

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(60)
        if self.error is not None:
            raise RuntimeError(f"watch failed: {self.error!r}") from self.error


def _wait_for(home: Path, names: list[str], timeout: float) -> dict[str, list[tuple[Any, ...]]]:
    deadline = time.monotonic() + timeout
    while True:
        items = _items_by_name(home)
        done = [n for n in names if any(s in ("ready", "duplicate") for s, *_ in items.get(n, []))]
        if len(done) == len(names) or time.monotonic() > deadline:
            return items
        time.sleep(0.5)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _measure_latency(config: Config, work: Path, maker: FileMaker, count: int, rate: float) -> Row:
    drop = work / "drop-latency"
    drop.mkdir()
    home = work / "home-latency"
    contents = [(maker.name(i, "lat"), maker.content(i)) for i in range(count)]
    watcher = _Watcher(home, drop, LATENCY_QUIET)
    watcher.start()
    finished: dict[str, float] = {}
    start = time.monotonic()
    for index, (name, data) in enumerate(contents):
        due = start + index / rate
        time.sleep(max(0.0, due - time.monotonic()))
        with (drop / name).open("wb") as handle:
            handle.write(data)
        finished[name] = time.time()  # wall clock, as InboxItem.updated_at
    items = _wait_for(home, list(finished), timeout=60 + count / rate)
    watcher.stop()
    latencies = []
    for name, written in finished.items():
        ready = [at for state, _sha, at in items.get(name, []) if state == "ready"]
        if ready:
            latencies.append(ready[0].timestamp() - (written + LATENCY_QUIET))
    missing = count - len(latencies)
    remove_tree(home)
    remove_tree(drop)
    p95 = _p95(latencies) if latencies else float("inf")
    log(config, f"latency: p95 {p95:.3f} s over {len(latencies)} files")
    return Row(
        workload="intake",
        case=f"latency {count} @ {rate:g}/s",
        unit="s",
        ours=p95,
        baseline=LATENCY_QUIET,
        baseline_label="quiet period (not counted)",
        target=f"p95 < {LATENCY_TARGET_S:g} s",
        met=missing == 0 and p95 < LATENCY_TARGET_S,
        runs_ours=latencies,
        runs_baseline=[LATENCY_QUIET],
        notes=[
            f"latency: watch(quiet_period={LATENCY_QUIET}) on a thread; {count} files written "
            f"at {rate:g}/s; per file: InboxItem.updated_at of its ready transition minus "
            f"(write closed + {LATENCY_QUIET} s); median {median(latencies):.3f} s, "
            f"p95 {p95:.3f} s, max {max(latencies):.3f} s, not ready: {missing}"
        ],
    )


def _measure_slow(
    config: Config, work: Path, count: int, chunks: int, interval: float
) -> list[Row]:
    drop = work / "drop-slow"
    drop.mkdir()
    home = work / "home-slow"
    watcher = _Watcher(home, drop, SLOW_QUIET)
    watcher.start()
    expected: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()

    def writer(index: int) -> None:
        rng = random.Random(10_000 + index)
        name = f"slow-{index:03d}.txt"
        digest = hashlib.sha256()
        size = 0
        with (drop / name).open("wb") as handle:
            for _ in range(chunks):
                block = rng.randbytes(512).hex().encode()  # 1 KiB of text
                handle.write(block)
                handle.flush()
                digest.update(block)
                size += len(block)
                time.sleep(interval)
        with lock:
            expected[name] = (size, digest.hexdigest())

    start = time.monotonic()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
        time.sleep(interval / max(1, count // 10))  # staggered starts
    for thread in threads:
        thread.join()
    items = _wait_for(home, list(expected), timeout=30)
    watcher.stop()
    elapsed = time.monotonic() - start
    early = 0
    not_ready = 0
    for name, (_size, sha) in expected.items():
        entries = items.get(name, [])
        if not any(state == "ready" for state, *_ in entries):
            not_ready += 1
        early += sum(1 for _state, got, _at in entries if got is not None and got != sha)
    extra = sum(max(0, len(items.get(n, [])) - 1) for n in expected)
    remove_tree(home)
    remove_tree(drop)
    log(config, f"slow writers: {early} taken early, {not_ready} not ready, {elapsed:.1f} s")
    return [
        Row(
            workload="intake",
            case=f"slow writers {count} x {chunks} KiB",
            unit="files",
            ours=float(early),
            baseline=float(count),
            baseline_label="files written",
            target="0 taken early",
            met=early == 0 and not_ready == 0,
            runs_ours=[float(early)],
            runs_baseline=[float(count)],
            notes=[
                f"slow: {count} threads each wrote 1 KiB every {interval * 1000:.0f} ms, "
                f"{chunks} times, into a folder under watch(quiet_period={SLOW_QUIET}); "
                f"items whose sha256 differs from the complete file: {early}; "
                f"files not ready at the end: {not_ready}; extra items: {extra}; "
                f"case took {elapsed:.1f} s"
            ],
        )
    ]


# ---------------------------------------------------------------- entry


def run(config: Config) -> list[Row]:
    require_tools("sha256sum", "file")
    count = 20 if config.quick else 5000
    stream, rate = (10, 20.0) if config.quick else (300, 20.0)
    slow, chunks = (5, 5) if config.quick else (50, 20)
    rows: list[Row] = []
    with work_dir(config, "intake") as work:
        log(config, f"work dir {work}")
        maker = FileMaker()
        warm = _warm_up(work, maker)
        log(config, f"warm-up intake (imports, libmagic, siegfried, pikepdf) {warm:.3f} s")
        rows += _measure_mixed(config, work, maker, count)
        rows[0].notes.insert(0, f"warm-up intake before timing (not counted): {warm:.3f} s")
        rows.append(_measure_rss(config, work, maker, count))
        rows.append(_measure_latency(config, work, maker, stream, rate))
        rows += _measure_slow(config, work, slow, chunks, 0.1)
    return rows


WORKLOAD = Workload(
    name="intake",
    description="5,000 mixed files through drop-folder intake vs sha256sum + file; "
    "RSS, latency, slow writers",
    run=run,
)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "rss-child":
    sys.exit(_rss_child(Path(sys.argv[2]), Path(sys.argv[3])))
