"""Jobs on the central archive run in a worker process (recordsdesk.workers.sync):
a result, a refusal and a worker killed outright each reach the window as they
should (real processes, the embedded central archive, no stand-ins)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recordsdesk import services
from recordsdesk.errors import IntegrityError, UserError
from recordsdesk.i18n import translate_error
from recordsdesk.ui.sync import SyncRunner
from recordsdesk.workers.protocol import WorkerError, decode_value, encode_error
from tests.ui import sync_jobs
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def runner(qtbot: QtBot, home: Path) -> SyncRunner:
    ws = services.open_workspace(home)
    try:
        services.create_dossier(ws, "Subsidie buurthuis De Esch")
    finally:
        ws.close()
    made = SyncRunner()
    made.home = home
    return made


def test_a_job_s_result_comes_back_from_the_worker(qtbot: QtBot, runner: SyncRunner) -> None:
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS) as done:
        assert runner.run(sync_jobs.dossier_count)
        assert runner.busy and not runner.run(sync_jobs.dossier_count)  # one at a time
    assert done.args == [(1, "sqlite")]
    assert not runner.busy


def test_a_refusal_comes_back_translatable(qtbot: QtBot, runner: SyncRunner) -> None:
    with qtbot.waitSignal(runner.failed, timeout=WAIT_MS) as failed:
        runner.run(partial(sync_jobs.refuse, name="nachtscan"))
    [error] = failed.args
    assert isinstance(error, UserError)
    assert (error.msgid, error.params) == ("There is no scan profile named {name}.",
                                           {"name": "nachtscan"})  # fmt: skip
    assert translate_error(error) == "Er is geen scanprofiel met de naam nachtscan."


def test_a_killed_worker_is_told_and_the_next_job_runs(
    qtbot: QtBot, runner: SyncRunner, tmp_path: Path
) -> None:
    flag = tmp_path / "at-work"
    with qtbot.waitSignal(runner.failed, timeout=WAIT_MS) as failed:
        runner.run(partial(sync_jobs.wait_for, flag=str(flag)))
        qtbot.waitUntil(flag.exists, timeout=WAIT_MS)
        worker = runner._worker
        assert worker is not None
        worker.process.kill()  # kill -9; TerminateProcess on Windows
    [error] = failed.args
    assert isinstance(error, WorkerError) and "ended unexpectedly" in str(error)
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS):
        assert runner.run(sync_jobs.dossier_count)


def test_a_lambda_is_refused_before_anything_starts(runner: SyncRunner) -> None:
    with pytest.raises(Exception, match=r"pickle|lambda"):
        runner.run(lambda ws, central: None)
    assert not runner.busy


def test_a_damaged_file_reported_by_the_worker_stays_that_error() -> None:
    """Errors with an __init__ of their own cross the process boundary as themselves,
    so the window can say what they mean (a damaged stored file, here)."""
    damaged = decode_value(encode_error(IntegrityError("ab" * 32, "size differs")))
    assert isinstance(damaged, IntegrityError)
    assert (damaged.sha256, damaged.reason) == ("ab" * 32, "size differs")
    refused = decode_value(encode_error(UserError("No {what}.", {"what": "dossier"})))
    assert isinstance(refused, UserError) and refused.params == {"what": "dossier"}
