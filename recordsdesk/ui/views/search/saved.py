"""Saved searches in the search view (issue 7, point 2): the query and the chosen filters
kept under a name, run again with one click, forgotten when no longer wanted.

They are the user's own (:mod:`recordsdesk.archive.saved_searches`) and kept in this
workstation's store, whichever archive the view searches: running one puts its query in
the box and its filters in the panel and searches where the view searches now (the
central archive does not keep them for restricted logins). The list is read in the
window's reader process when the view opens and after each change; the menu shows it.

Keys: Ctrl+S saves the current search (a name is asked); the "Saved" button (Alt+V; in
Dutch "&Opgeslagen", Alt+O) opens the menu, whose entries run a search; "Forget" lists them
again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QMessageBox, QToolButton, QWidget

from recordsdesk.archive import saved_searches
from recordsdesk.archive.saved_searches import NAME_MAX, SavedSearchInfo
from recordsdesk.i18n import _
from recordsdesk.search.facets import FacetFilters
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.form_dialog import FormDialog
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.reader import Reader


class SaveSearchDialog(FormDialog):
    """Asks the name to keep a search under (OK while the name is not blank)."""

    def __init__(self, parent: QWidget | None, query: str) -> None:
        super().__init__(parent, "saveSearchDialog", _("Save search"), _("&Save"))
        self.name = QLineEdit()
        self.name.setMaxLength(NAME_MAX)
        self.name.setText(" ".join(query.split())[:NAME_MAX])
        self.name.selectAll()
        self.name.textChanged.connect(lambda _text: self.update_ok())
        self.add_field(_("&Name:"), self.name, "saveSearchName")
        self.finish_layout(
            _("Keep the query and the chosen filters under a name; they stay on this "
              "workstation.")
        )  # fmt: skip

    def complete(self) -> bool:
        return bool(self.name.text().strip())


class SavedSearches(QObject):
    """The view's "Saved" button with its menu, and the Ctrl+S action.

    ``current`` gives what to save (query, filters); ``chosen`` is emitted with a saved
    search to run; ``saved(name)`` when one was kept.
    """

    chosen = Signal(object)  # SavedSearchInfo
    saved = Signal(str)

    def __init__(
        self,
        view: QWidget,
        ops: Ops,
        current: Callable[[], tuple[str, FacetFilters]],
        reads: Ops | Reader | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.ops = ops  # this workstation's: saved searches stay here
        #: where the list is read (the window's reader process: the search view opens
        #: while it paints); saving and forgetting are ``ops``' database worker's
        self.reads = reads or ops
        self._reloads = 0  # only the latest reading is shown (they may overtake)
        self.current = current
        self.searches: list[SavedSearchInfo] = []
        self.dialog: QWidget | None = None  # the question open now
        self.button = QToolButton()
        self.button.setObjectName("searchSavedButton")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.setObjectName("searchSavedMenu")
        self.button.setMenu(self.menu)
        self.forget_menu = QMenu(self.menu)
        self.forget_menu.setObjectName("searchSavedForgetMenu")
        self.save_action = QAction(view)
        self.save_action.setObjectName("searchSaveAction")
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(self.ask_name)
        view.addAction(self.save_action)
        self.menu.aboutToShow.connect(self._fill)
        self.retranslate()

    # -- the list --------------------------------------------------------------------
    def reload(self) -> None:
        """Read the user's saved searches again (in the reader process, if given); only
        the latest reading's answer is shown."""
        self._reloads += 1
        number = self._reloads
        self.reads.db(
            saved_searches.list_searches,
            lambda found: self._arrived(number, found),
            lambda exc: self._failed(exc) if number == self._reloads else None,
            owner=self,
        )

    def _arrived(self, number: int, found: list[SavedSearchInfo]) -> None:
        if number == self._reloads:
            self.searches = found
            self._fill()

    def _failed(self, exc: BaseException) -> None:
        show_error(self.view, exc)

    def _fill(self) -> None:
        self.menu.clear()
        self.menu.addAction(self.save_action)
        self.forget_menu.clear()
        self.forget_menu.setEnabled(bool(self.searches))
        self.menu.addMenu(self.forget_menu)
        if self.searches:
            self.menu.addSeparator()
        for info in self.searches:
            run = self.menu.addAction(info.name.replace("&", "&&"))
            run.setObjectName("searchSavedRun")
            run.setToolTip(_describe(info))
            run.setStatusTip(run.toolTip())
            run.triggered.connect(lambda _checked=False, i=info: self.chosen.emit(i))
            forget = self.forget_menu.addAction(info.name.replace("&", "&&"))
            forget.setObjectName("searchSavedForget")
            forget.triggered.connect(lambda _checked=False, i=info: self.ask_forget(i))
        self.menu.setToolTipsVisible(True)

    # -- saving ------------------------------------------------------------------------
    def ask_name(self) -> None:
        """Ask a name for the current search, then keep it (nothing to keep: a message)."""
        query, filters = self.current()
        if not query.strip():
            QMessageBox.information(
                self.view, _("Save search"), _("Type a query first; then save it.")
            )
            return
        dialog = SaveSearchDialog(self.view, query)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._save(dialog.name.text(), query, filters))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _save(self, name: str, query: str, filters: FacetFilters) -> None:
        def done(info: SavedSearchInfo) -> None:
            self.saved.emit(info.name)
            self.reload()

        self.ops.db(
            lambda ws: saved_searches.save_search(ws, name, query, filters),
            done,
            self._failed,
            owner=self,
        )

    # -- forgetting --------------------------------------------------------------------
    def ask_forget(self, info: SavedSearchInfo) -> None:
        """Forget ``info`` after a confirmation (it only removes the name and the query)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Forget saved search"),
            _("Forget the saved search {name}? Records are not affected.").format(name=info.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.view,
        )
        box.setObjectName("searchForgetQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.dialog = box
        box.accepted.connect(lambda: self._forget(info.name))
        box.finished.connect(box.deleteLater)
        box.open()

    def _forget(self, name: str) -> None:
        self.ops.db(
            lambda ws: saved_searches.forget_search(ws, name),
            lambda _info: self.reload(),
            self._failed,
            owner=self,
        )

    def retranslate(self) -> None:
        self.button.setText(_("Sa&ved"))
        self.button.setAccessibleName(_("Saved searches"))
        self.button.setToolTip(_("Saved searches: run one, save this one (Ctrl+S), forget one"))
        self.menu.setTitle(_("Saved searches"))
        self.menu.setAccessibleName(_("Saved searches"))
        self.forget_menu.setTitle(_("&Forget"))
        self.forget_menu.setAccessibleName(_("Forget saved search"))
        self.save_action.setText(_("&Save this search…"))
        self.save_action.setToolTip(_("Keep the query and the chosen filters under a name"))
        self._fill()


def _describe(info: SavedSearchInfo) -> str:
    """The query and the filters of a saved search, for its tooltip."""
    filters = info.filters.to_json()
    if not filters:
        return info.query
    shown = ", ".join(f"{key}={value}" for key, value in sorted(filters.items()))
    return _("{query} (filters: {filters})").format(query=info.query, filters=shown)
