"""The reader (recordsdesk.ui.reader with recordsdesk.workers.reader): read jobs run in a
real process of their own on the same data folder, answered on the GUI thread; a
reader killed outright loses no read; one that cannot open the data folder leaves
the reads to the window."""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

import shiboken6
from PySide6.QtWidgets import QWidget

from recordsdesk import services
from recordsdesk.errors import UserError
from recordsdesk.ui import reader as reader_module
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.reader import Reader
from tests.ui import reader_jobs
from tests.ui.conftest import WAIT_MS

Answer = tuple[Any, bool]  # (value, True) or (exception, False)
#: ends a process outright (on Windows: TerminateProcess)
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


@pytest.fixture
def open_ops(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    ws = services.open_workspace(home)
    try:
        services.create_dossier(ws, "Kapvergunning Vroesenpark")
    finally:
        ws.close()
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


@pytest.fixture
def reader(open_ops: Ops) -> Iterator[Reader]:
    made = Reader(open_ops)
    yield made
    made.shutdown()


def ask(
    qtbot: QtBot,
    reader: Reader,
    job: Callable[..., Any],
    prepare: Callable[[Any], Any] | None = None,
) -> Answer:
    """Run ``job`` in ``reader`` and wait for its answer (checked to come on the GUI thread)."""
    got: list[Answer] = []

    def answered(value: Any, ok: bool) -> None:
        assert threading.current_thread() is threading.main_thread()
        got.append((value, ok))

    assert reader.db(
        job, lambda v: answered(v, True), lambda e: answered(e, False), prepare=prepare
    )
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    return got[0]


def test_a_read_runs_in_a_process_of_its_own_on_the_same_data_folder(
    qtbot: QtBot, reader: Reader, home: Path
) -> None:
    (pid, root, objects), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok
    assert pid != os.getpid()
    assert pid == reader.pid
    assert Path(root).resolve() == home.resolve()
    assert objects == 1  # the dossier made before the window opened
    assert reader.answered == 1
    again, ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and again[0] == pid  # one process for all reads


def test_a_jobs_exception_reaches_on_error_as_itself(qtbot: QtBot, reader: Reader) -> None:
    error, ok = ask(qtbot, reader, reader_jobs.refuse)
    assert not ok
    assert isinstance(error, UserError)
    assert error.msgid == reader_jobs.CLOSED
    assert error.params == {"kenmerk": "D-1"}


def test_jobs_run_in_the_users_language(qtbot: QtBot, reader: Reader) -> None:
    dutch, _ok = ask(qtbot, reader, reader_jobs.language)
    assert dutch == "D-1 is afgesloten; de metagegevens kunnen hier niet meer worden gewijzigd."
    ui_settings.apply_language("en")  # switched while the reader runs
    english, _ok = ask(qtbot, reader, reader_jobs.language)
    assert english == "D-1 is closed; its metadata can no longer be changed here."


def test_prepare_runs_in_the_windows_process_off_the_gui_thread(
    qtbot: QtBot, reader: Reader
) -> None:
    def prepare(value: Any) -> tuple[Any, int, bool]:
        return value, os.getpid(), threading.current_thread() is threading.main_thread()

    (value, pid, on_gui_thread), ok = ask(qtbot, reader, reader_jobs.where, prepare)
    assert ok
    assert value[0] == reader.pid != os.getpid()
    assert pid == os.getpid() and not on_gui_thread


def test_a_reader_killed_outright_loses_no_read_and_the_next_read_starts_a_new_one(
    qtbot: QtBot, reader: Reader, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="recordsdesk.ui.reader")
    (first, _root, _count), _ok = ask(qtbot, reader, reader_jobs.where)
    got: list[Answer] = []
    # waits two minutes in the reader, none in this process
    reader.db(
        partial(reader_jobs.slow_unless_in, pid=os.getpid()),
        lambda v: got.append((v, True)),
        lambda e: got.append((e, False)),
    )
    os.kill(first, KILL)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    assert got == [(os.getpid(), True)]  # answered by the window's database worker
    assert "; 1 reads run again" in caplog.text
    (second, _root, _count), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and second not in (first, os.getpid())
    assert reader.pending == 0


def test_a_reader_that_cannot_open_the_data_folder_leaves_the_reads_to_the_window(
    qtbot: QtBot, reader: Reader, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="recordsdesk.ui.reader")
    monkeypatch.setattr(Reader, "module", "tests.ui.failing_reader_worker")
    (pid, _root, objects), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and pid == os.getpid() and objects == 1
    assert "the reader failed (The data folder is not open.); reads run in the window" in (
        caplog.text
    )
    (pid, _root, _count), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and pid == os.getpid()  # not started again
    assert reader.pid is None and reader.answered == 0


def test_an_answer_for_a_widget_that_is_gone_is_dropped(qtbot: QtBot, reader: Reader) -> None:
    owner = QWidget()
    got: list[object] = []
    with qtbot.waitSignal(reader.idle, timeout=WAIT_MS):
        reader.db(reader_jobs.where, got.append, got.append, owner=owner)
        shiboken6.delete(owner)
    assert got == []
    assert reader.answered == 1


def test_shutdown_ends_the_reader_and_later_reads_go_to_the_window(
    qtbot: QtBot, reader: Reader
) -> None:
    (pid, _root, _count), _ok = ask(qtbot, reader, reader_jobs.where)
    reader.shutdown()
    assert reader.pid is None
    if sys.platform != "win32":  # (there, signal 0 would end a process)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # ended and reaped
    (later, _root, _count), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and later == os.getpid()


def test_the_main_windows_search_reads_in_its_reader(qtbot: QtBot, window: MainWindow) -> None:
    view = window.show_search()
    with qtbot.waitSignals([view.searched, view.facets.counted], timeout=WAIT_MS):
        view.search("vergunning")
    assert view.error is None
    assert window.reader.pid is not None
    assert window.reader.answered >= 2  # the page and its facet counts


def test_the_search_views_saved_searches_are_listed_by_the_reader(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.show_search()
    saved = view.saved
    assert saved.reads is window.reader
    qtbot.waitUntil(lambda: window.reader.answered >= 1, timeout=WAIT_MS)  # read on show
    before = window.reader.answered
    with qtbot.waitSignal(saved.saved, timeout=WAIT_MS):
        saved._save("Kapvergunningen", "kap*", view.facets.filters())
    qtbot.waitUntil(
        lambda: [s.name for s in saved.searches] == ["Kapvergunningen"], timeout=WAIT_MS
    )
    assert window.reader.answered > before  # the list after saving came from the reader


def test_a_job_that_does_not_pickle_is_refused_at_once(reader: Reader) -> None:
    with pytest.raises((AttributeError, TypeError, pickle.PicklingError)):
        reader.db(lambda ws: ws, print)  # a closure: a programming error, said at the call
    assert reader.pending == 0


def test_a_bug_in_a_job_comes_with_the_readers_traceback(
    qtbot: QtBot, reader: Reader, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    error, ok = ask(qtbot, reader, reader_jobs.crash)
    assert not ok and isinstance(error, RuntimeError) and str(error) == "disk on fire"
    (note,) = error.__notes__
    assert note.startswith("In the reader process:")
    assert "reader_jobs.py" in note and "disk on fire" in note
    qtbot.waitUntil(lambda: "a read failed" in caplog.text, timeout=WAIT_MS)  # its log


def test_shutdown_with_a_read_under_way_leaves_nothing_pending(
    qtbot: QtBot, reader: Reader
) -> None:
    ask(qtbot, reader, reader_jobs.where)  # started and ready
    got: list[object] = []
    reader.db(partial(reader_jobs.slow_unless_in, pid=os.getpid()), got.append, got.append)
    assert reader.pending == 1
    reader.shutdown()
    assert reader.pending == 0
    qtbot.wait(200)
    assert got == []  # dropped, not answered


def test_an_answer_on_the_windows_side_for_a_widget_that_is_gone_is_dropped_and_counted(
    qtbot: QtBot, reader: Reader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Reader, "module", "tests.ui.failing_reader_worker")
    ask(qtbot, reader, reader_jobs.where)  # it fails: from now on the window reads
    owner = QWidget()
    got: list[object] = []
    with qtbot.waitSignal(reader.idle, timeout=WAIT_MS):
        reader.db(reader_jobs.where, got.append, got.append, owner=owner)
        shiboken6.delete(owner)
    assert got == [] and reader.pending == 0


def test_a_reader_that_keeps_ending_before_it_is_ready_is_given_up_after_three_starts(
    qtbot: QtBot, reader: Reader, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="recordsdesk.ui.reader")
    monkeypatch.setattr(Reader, "module", "tests.ui.failing_reader_worker")
    monkeypatch.setenv("RD_TEST_BREAK", "crash")
    for _start in range(4):
        (pid, _root, _count), ok = ask(qtbot, reader, reader_jobs.where)
        assert ok and pid == os.getpid()  # each read answered by the window
    ended = [r.getMessage() for r in caplog.records if r.name == "recordsdesk.ui.reader"]
    assert ended == [
        "the reader ended (exit status 3); 1 reads run again",
        "the reader ended (exit status 3); 1 reads run again",
        "the reader failed (rd-reader ended unexpectedly (exit status 3)); reads run in the window",
    ]
    assert reader.answered == 0 and reader.pending == 0


def test_a_reader_that_does_not_get_ready_in_time_is_ended_and_not_started_again(
    qtbot: QtBot, reader: Reader, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="recordsdesk.ui.reader")
    monkeypatch.setattr(Reader, "module", "tests.ui.failing_reader_worker")
    monkeypatch.setenv("RD_TEST_BREAK", "hang")
    monkeypatch.setattr(reader_module, "READY_TIMEOUT_S", 1.0)
    (pid, _root, _count), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and pid == os.getpid()  # answered by the window once the reader was ended
    assert "the reader was not ready after 1 s; reads run in the window" in caplog.text
    (pid, _root, _count), ok = ask(qtbot, reader, reader_jobs.where)
    assert ok and pid == os.getpid() and reader.pid is None  # not started again
