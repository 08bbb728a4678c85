"""Examination in a worker process, beside the process that stores and records.

Why a process: identification (libmagic, siegfried), PDF inspection, mail
parsing and text extraction are most of an item's cost and mostly hold
Python's global lock, so threads cannot run them beside the store and the
database work. One worker process can: while it examines round *k* the caller
claims and stores round *k+1* and records round *k-1* (see
:func:`recordsdesk.intake.pipeline.take_many`). It also keeps the format
libraries (siegfried's signatures, pikepdf, pdfium) and their memory out of the
application, and a file that makes one of them crash takes down the worker,
not the application.

Contract of :class:`Examiner`:

* :meth:`Examiner.submit` hands a round's jobs to the worker and returns at
  once; :meth:`Examiner.result` waits for them. The jobs come back examined
  (see :mod:`recordsdesk.intake.examine`); files a step wrote (a mail's
  attachments, a repaired PDF) lie in the round's temp directory, which the
  caller owns and removes.
* If the worker dies (a crash in a C library, the out-of-memory killer), the
  round is examined again one job at a time in a fresh worker; a job that kills
  the worker on its own is refused with a reason people can read, so it waits
  in quarantine instead of stopping intake for ever.
* ``RECORDSDESK_EXAMINE_IN_PROCESS=1`` examines in the calling process (for
  debugging with a profiler or a debugger).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from recordsdesk.i18n import N_
from recordsdesk.intake.examine import Job, examine

log = logging.getLogger(__name__)

WORKER_NICENESS = 10  # POSIX niceness added in the worker (Windows: normal priority)
CRASHED = N_(
    "RecordsDesk could not examine this file: the examination stopped unexpectedly. "
    "The original is kept; ask for another copy or contact the application manager."
)


def _ping() -> bool:
    return True


def _lower_priority() -> None:
    """Runs first in the worker: examination yields the processor to the application
    (the window stays responsive; the caller's storing and recording, which the
    worker waits for anyway, go first). The ``file`` helper it starts inherits this."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):  # not allowed here: normal priority, then
            os.nice(WORKER_NICENESS)


def _examine_here(jobs: list[Job]) -> list[Job]:
    """Runs in the worker: the jobs go back with what the steps found."""
    examine(jobs)
    return jobs


class Examiner:
    """A single worker process that examines rounds of jobs; see the module contract."""

    def __init__(self, in_process: bool | None = None) -> None:
        if in_process is None:
            in_process = os.environ.get("RECORDSDESK_EXAMINE_IN_PROCESS") == "1"
        self._in_process = in_process
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, jobs: Sequence[Job]) -> Future[list[Job]]:
        if self._in_process:
            done: Future[list[Job]] = Future()
            try:
                done.set_result(_examine_here(list(jobs)))
            except BaseException as exc:  # delivered by result(), as from a worker
                done.set_exception(exc)
            return done
        return self._executor().submit(_examine_here, list(jobs))

    def result(self, future: Future[list[Job]], jobs: Sequence[Job]) -> list[Job]:
        """The examined jobs, in order; survives a worker that died (see the contract)."""
        try:
            return future.result()
        except BrokenProcessPool:
            log.warning("the examination worker died; examining %d jobs one by one", len(jobs))
            self._reset()
        examined: list[Job] = []
        for job in jobs:
            if self._in_process or not self._worker_starts():
                examined.append(_examine_here([job])[0])
                continue
            try:
                [done] = self._executor().submit(_examine_here, [job]).result()
            except BrokenProcessPool:
                self._reset()
                if not self._worker_starts():
                    examined.append(_examine_here([job])[0])
                    continue
                log.error("examining %s (%s) kills the worker; refused", job.name, job.key)
                job.refusal = (CRASHED, {})
                done = job
            examined.append(done)
        return examined

    def _worker_starts(self) -> bool:
        """Whether a worker can run at all; if not, examine here from now on.

        A worker that cannot even start (a program that embeds RecordsDesk
        without an ``if __name__ == "__main__"`` guard, a frozen build without
        ``freeze_support``) is no file's fault: nothing may be quarantined for it.
        """
        if self._in_process:
            return False
        try:
            self._executor().submit(_ping).result()
        except BrokenProcessPool:
            self._reset()
            log.warning("the examination worker cannot start; examining in this process")
            self._in_process = True
            return False
        return True

    def worker_pids(self) -> list[int]:
        """The worker's process id(s), e.g. to measure its memory."""
        pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return [int(pid) for pid in processes]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, never fork: the parent has threads (watchdog, Qt) and
                # siegfried's Go runtime does not survive a fork
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_lower_priority,
                )
            return self._pool

    def _reset(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


_shared: Examiner | None = None
_shared_lock = threading.Lock()


def shared_examiner() -> Examiner:
    """The process's examiner (started on first use, stopped at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Examiner()
            atexit.register(_shared.close)
        return _shared
