"""Cyclic garbage is freed on the GUI thread only, however much a worker thread
allocates: a Qt object freed from a worker thread kills the process."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QWidget

from recordsdesk.ui.collector import MainThreadCollector
from recordsdesk.ui.mainwindow import MainWindow


class Cycle:
    """Half of a reference cycle that notes the thread it was freed on."""

    def __init__(self, freed_on: list[int]) -> None:
        self.freed_on = freed_on
        self.partner: Cycle | None = None
        self.widget: QWidget | None = None

    def __del__(self) -> None:
        self.freed_on.append(threading.get_ident())


def make_cycle(freed_on: list[int]) -> None:
    first, second = Cycle(freed_on), Cycle(freed_on)
    first.partner, second.partner = second, first


def churn_on_a_worker() -> list[list[int]]:
    """Allocate far more container objects than the youngest generation's threshold,
    on another thread: enough to start automatic collection there. They are returned,
    so the allocation count stays up for the GUI thread's check."""
    kept: list[list[int]] = []

    def work() -> None:
        kept.extend([n] for n in range(gc.get_threshold()[0] * 20))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return kept


@pytest.fixture
def automatic() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    gc.collect()
    yield
    if not was:
        gc.disable()


def test_without_the_guard_a_worker_thread_frees_the_cycle(automatic: None) -> None:
    """The hazard itself, so the next test cannot pass by accident."""
    freed_on: list[int] = []
    make_cycle(freed_on)
    churn_on_a_worker()
    assert freed_on and set(freed_on) != {threading.get_ident()}


def test_with_the_guard_the_cycle_waits_for_the_gui_thread(qtbot: QtBot, automatic: None) -> None:
    guard = MainThreadCollector(interval_ms=50)
    try:
        assert not gc.isenabled()
        freed_on: list[int] = []
        make_cycle(freed_on)
        kept = churn_on_a_worker()
        assert freed_on == [], "nothing was collected on the worker thread"
        qtbot.waitUntil(lambda: len(freed_on) == 2, timeout=5_000)
        del kept
        assert set(freed_on) == {threading.get_ident()}, "freed by the timer, here"
    finally:
        guard.uninstall()
    assert gc.isenabled(), "automatic collection is back as it was"


def test_a_widget_in_a_cycle_is_freed_here(qtbot: QtBot, automatic: None) -> None:
    guard = MainThreadCollector(interval_ms=50)
    try:
        freed_on: list[int] = []
        first, second = Cycle(freed_on), Cycle(freed_on)
        first.partner, second.partner = second, first
        first.widget = QWidget()
        first.widget.destroyed.connect(lambda: freed_on.append(-1))
        del first, second
        churn_on_a_worker()
        assert freed_on == []
        assert gc.collect() > 0  # here, on the GUI thread (what the timer does)
        here = threading.get_ident()
        assert sorted(freed_on) == sorted([here, here, -1]), "both halves and the widget"
    finally:
        guard.uninstall()


def test_check_collects_nothing_below_the_threshold(qtbot: QtBot, automatic: None) -> None:
    guard = MainThreadCollector(interval_ms=60_000)
    try:
        gc.collect()
        freed_on: list[int] = []
        make_cycle(freed_on)
        assert guard.check() == 0 and freed_on == [], "like Python: only once a generation is full"
        kept = churn_on_a_worker()
        assert guard.check() > 0 and len(freed_on) == 2
        del kept
    finally:
        guard.uninstall()


def test_freeze_leaves_start_up_out_and_later_cycles_are_still_freed(
    qtbot: QtBot, automatic: None
) -> None:
    guard = MainThreadCollector(interval_ms=60_000)
    frozen_freed: list[int] = []
    try:
        make_cycle(frozen_freed)  # garbage already at the end of start-up
        guard.freeze()
        assert gc.get_freeze_count() > 0
        freed_on: list[int] = []
        make_cycle(freed_on)  # after start-up: still the collector's
        gc.collect()
        assert len(freed_on) == 2, "a cycle made after the freeze is freed"
        assert frozen_freed == [], "what existed at the freeze is out of the collector's sight"
    finally:
        guard.uninstall()
    assert gc.get_freeze_count() == 0, "uninstall gives everything back to the collector"
    assert len(frozen_freed) == 2, "and collects it"


def test_preloading_ends_with_its_modules_in(qtbot: QtBot) -> None:
    from recordsdesk.ui.preload import preload

    thread = preload(("json", "recordsdesk.ui.no_such_module"))  # a failure is only logged
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert "json" in sys.modules


def test_the_window_says_when_preloading_is_over(qtbot: QtBot, window: MainWindow) -> None:
    """``preloaded`` comes on the GUI thread, once, after every module is in."""
    from recordsdesk.ui.preload import MODULES

    threads: list[bool] = []
    window.preloaded.connect(
        lambda: threads.append(threading.current_thread() is threading.main_thread())
    )
    qtbot.waitUntil(lambda: threads != [], timeout=30_000)
    assert threads == [True]
    assert all(name in sys.modules for name in MODULES)
    qtbot.wait(200)
    assert threads == [True]
