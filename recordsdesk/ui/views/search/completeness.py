"""Reading the completeness of the dossiers the search view shows (issue 7, point 3).

:func:`recordsdesk.archive.completeness.dossier_completeness` takes a few queries per
dossier, so it is read in the background (the window's reader process; searching the
central archive, the central IO pool), only for the dossier rows on screen and the
current one, :data:`BATCH` dossiers per job, each once until :meth:`forget` or
:meth:`refresh`; :data:`DELAY_MS` after the view settles (scrolling, new rows), so a
fast scroll asks nothing on the way. Where it is read (this workstation or the central
archive) is the view's search's.

The batches are read one after the other, not side by side: the queries are mostly
Python, and on a thread of the window (the central archive's reads) every one makes
the GUI thread wait for the interpreter lock while it paints the results (benchmark
``heartbeat``). :meth:`forget` and :meth:`refresh` start a new round: a
read of the previous one that is still under way (a slow central archive) holds up
nothing after it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QTreeView, QWidget

from recordsdesk.archive.completeness import Completeness
from recordsdesk.ui.errors import show_error, user_message
from recordsdesk.ui.models.search import DOSSIER_ROLE, SearchResultModel, load_completeness
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.reader import Reader

DELAY_MS = 120  # completeness is asked for the dossiers on screen this long after settling
BATCH = 8  # dossiers per job (a few queries each)


class CompletenessReader(QObject):
    """See the module docstring. ``arrived`` follows each batch put into the model."""

    arrived = Signal()

    def __init__(
        self,
        tree: QTreeView,
        model: SearchResultModel,
        where: Callable[[], tuple[Ops | Reader, bool]],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.tree, self.model, self.where, self.window = tree, model, where, parent
        self.asked: set[str] = set()
        self._waiting: list[list[str]] = []  # batches not asked for yet
        self._reading = False  # a batch of this round is being read
        self._round = 0  # forget and refresh start a new one
        self.timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self.timer.timeout.connect(self.ask)
        tree.verticalScrollBar().valueChanged.connect(self.later)

    def later(self) -> None:
        """Ask for the rows on screen once the view has settled."""
        self.timer.start()

    def forget(self) -> None:
        """Ask again for every dossier (the model was cleared)."""
        self._new_round()

    def refresh(self) -> None:
        """Forget what was read and read it again for the rows on screen."""
        self.model.forget_completeness()
        self._new_round()
        self.timer.start()

    def _new_round(self) -> None:
        self.asked.clear()
        self._waiting.clear()
        self._reading = False
        self._round += 1

    def ask(self) -> None:
        """Read the completeness of the dossier rows on screen (and the current one)."""
        viewport = self.tree.viewport().rect()
        wanted: list[str] = []
        current = self.model.group(self.tree.currentIndex())
        if current is not None:
            wanted.append(current.kenmerk)
        for row in range(self.model.group_count):
            index = self.model.index(row, 0)
            rect = self.tree.visualRect(index)
            if rect.top() > viewport.bottom():
                break
            if rect.isValid() and rect.intersects(viewport):
                wanted.append(str(index.data(DOSSIER_ROLE)))
        todo = [k for k in dict.fromkeys(wanted) if k not in self.asked]
        todo = [k for k in todo if self.model.needs_completeness(k)]
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            self.asked.update(batch)
            self._waiting.append(batch)
        self._read_next()

    def _read_next(self) -> None:
        if self._reading or not self._waiting:
            return
        batch = self._waiting.pop(0)
        source, central = self.where()
        number = self._round
        self._reading = True
        started = source.io(
            partial(load_completeness, kenmerken=batch, central=central),
            lambda found: self._arrived(number, found),
            lambda exc: self._failed(number, batch, exc),
            owner=self,
        )
        if not started:  # the workers have shut down: nothing more to read
            self._reading = False

    def _done(self, number: int) -> None:
        """A batch of round ``number`` ended: the next one of this round may start."""
        if number == self._round:
            self._reading = False
            self._read_next()

    def _arrived(self, number: int, found: dict[str, Completeness]) -> None:
        self.model.set_completeness(found)
        self.arrived.emit()
        self._done(number)

    def _failed(self, number: int, kenmerken: list[str], exc: BaseException) -> None:
        self._done(number)
        self.model.set_completeness_failed(kenmerken)
        if user_message(exc) is None:
            show_error(self.window, exc)
