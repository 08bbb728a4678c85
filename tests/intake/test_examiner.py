"""The examination worker: a file that kills it is refused, everything else goes on;
a worker that cannot start at all makes intake examine in its own process.

Real worker processes (spawn) and real files. The one thing simulated is a C
library crashing on a file (the world, which we do not ship): a picklable
scratch namer that ends the worker process the moment a step uses it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from recordsdesk.intake.examine import Job, RoundScratch
from recordsdesk.intake.examiner import CRASHED, Examiner

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CrashingScratch:
    """Ends the process that calls it, as a segfault in a format library would."""

    def __call__(self, suffix: str) -> Path:
        os._exit(70)


def job(key: str, path: Path, scratch: object) -> Job:
    return Job(key, path.name, path, scratch)  # type: ignore[arg-type]


def test_a_file_that_kills_the_worker_is_refused_and_the_others_are_examined(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("gewoon een brief\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("nog een brief\n", encoding="utf-8")
    round_dir = tmp_path / "round"
    round_dir.mkdir()
    jobs = [
        job("a", tmp_path / "a.txt", RoundScratch(round_dir, "0")),
        job("killer", tmp_path / "b.txt", CrashingScratch()),
        job("b", tmp_path / "b.txt", RoundScratch(round_dir, "2")),
    ]
    examiner = Examiner(in_process=False)
    try:
        examined = examiner.result(examiner.submit(jobs), jobs)
        [pid] = examiner.worker_pids()
    finally:
        examiner.close()

    by_key = {j.key: j for j in examined}
    assert [j.key for j in examined] == ["a", "killer", "b"]
    assert by_key["killer"].refusal == (CRASHED, {})
    for key in ("a", "b"):
        assert by_key[key].refusal is None
        assert by_key[key].mime == "text/plain"
        assert by_key[key].text is not None and "brief" in by_key[key].text.text
    assert pid != os.getpid(), "examined in a worker process"


def test_a_program_without_a_main_guard_still_takes_files_examined_in_process(
    tmp_path: Path,
) -> None:
    """Spawned workers re-import ``__main__``; without the guard they cannot start.
    That is no file's fault: nothing may be quarantined for it."""
    drop = tmp_path / "scanner"
    drop.mkdir()
    (drop / "brief.txt").write_text("Geachte heer,\n", encoding="utf-8")
    script = tmp_path / "embedding.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from pathlib import Path
            sys.path.insert(0, {str(REPO)!r})
            from recordsdesk.intake import inbox, runner
            from recordsdesk.intake.folders import add_drop_folder
            from recordsdesk.services import open_workspace
            ws = open_workspace(Path({str(tmp_path / "home")!r}))
            add_drop_folder(ws, Path({str(drop)!r}))
            runner.process_once(ws, quiet_period=0)
            print([item.state for item in inbox.list_inbox(ws)])
            ws.close()
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "RECORDSDESK_EXAMINE_IN_PROCESS": "0"}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "['ready']"
    assert "examining in this process" in done.stderr


def test_the_worker_runs_at_a_lower_priority_than_the_application(tmp_path: Path) -> None:
    """Examination yields the processor to the application (the window stays
    responsive); only where the platform has niceness (POSIX)."""
    from recordsdesk.intake.examiner import WORKER_NICENESS

    (tmp_path / "a.txt").write_text("brief\n", encoding="utf-8")
    round_dir = tmp_path / "round"
    round_dir.mkdir()
    jobs = [job("a", tmp_path / "a.txt", RoundScratch(round_dir, "0"))]
    examiner = Examiner(in_process=False)
    try:
        examiner.result(examiner.submit(jobs), jobs)
        [pid] = examiner.worker_pids()
        worker = os.getpriority(os.PRIO_PROCESS, pid)
    finally:
        examiner.close()
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert worker == min(ours + WORKER_NICENESS, 19)
