"""Role workspaces: one main window, arranged for the work of one role.

* **Filing** (civil servants): dossiers, records and details, with the inbox below.
* **Records management**: the same lists, with the due list (due and to be
  determined) and the destruction and transfer lists docked below.
* **Woo**: the same lists, with the Woo requests and the search docked below.

Beeld › Werkruimte switches (Ctrl+Alt+1/2/3, also in the command palette). Each
workspace remembers its own arrangement of docks (moved, resized, floated, closed)
in QSettings; the last one chosen opens again next time.

A docked tool view is the same view the menus open; while docked it is raised in
its dock instead of as a window of its own, Escape does not close it (a dock has
its own close button), and its window-only close button is hidden.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from recordsdesk.i18n import N_, _

if TYPE_CHECKING:
    from recordsdesk.ui.mainwindow import MainWindow

FILING, RECORDS_MANAGEMENT, WOO = "filing", "records_management", "woo"
WORKSPACES = (FILING, RECORDS_MANAGEMENT, WOO)
#: menu texts and the docks' titles (translated when shown)
WORKSPACE_TEXTS = {
    FILING: N_("&Filing"),
    RECORDS_MANAGEMENT: N_("&Records management"),
    WOO: N_("&Woo requests and search"),
}
KEY_WORKSPACE = "workspace/current"
KEY_LAYOUT = "workspace/{name}/state"
#: bump when the docks of a workspace change, so an old stored layout is not applied
LAYOUT_VERSION = 1


class Workspaces(QObject):
    """The Beeld › Werkruimte menu and the docks of each workspace of ``window``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.current = FILING
        #: dock object name -> dock, made the first time its workspace is shown
        self.docks: dict[str, QDockWidget] = {}
        self.menu = QMenu(window)
        self.menu.setObjectName("menuWorkspace")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for number, name in enumerate(WORKSPACES, start=1):
            act = QAction(window)
            act.setObjectName(f"actionWorkspace_{name}")
            act.setCheckable(True)
            act.setShortcut(QKeySequence(f"Ctrl+Alt+{number}"))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False, chosen=name: self.switch(chosen))
            window.addAction(act)
            self.group.addAction(act)
            self.menu.addAction(act)
            self.actions[name] = act
        self.actions[FILING].setChecked(True)
        commands = window.commands
        commands.view_menu.insertMenu(commands.language_menu.menuAction(), self.menu)

    # -- switching ------------------------------------------------------------
    def stored(self) -> str:
        """The workspace chosen last time (Filing when none or unknown)."""
        value = self.window.settings.value(KEY_WORKSPACE)
        return value if isinstance(value, str) and value in WORKSPACES else FILING

    def switch(self, name: str, *, keep_current: bool = True) -> None:
        """Arrange the window for workspace ``name``, first keeping the current one's
        layout (``keep_current``; not at start-up, where the window shows the last
        session's layout, which is not the current workspace's)."""
        if name not in WORKSPACES:
            raise ValueError(name)
        if keep_current:
            self.save()
        self.current = name
        self.actions[name].setChecked(True)
        self.window.settings.setValue(KEY_WORKSPACE, name)
        wanted = self._docks_of(name)  # new docks are hidden until they are arranged
        for dock in self.docks.values():
            if dock not in wanted:
                dock.hide()
        self.window.inbox_dock.setVisible(name == FILING)
        state = self.window.settings.value(KEY_LAYOUT.format(name=name))
        if not (isinstance(state, QByteArray) and self.window.restoreState(state, LAYOUT_VERSION)):
            self._default_layout(wanted)
        self.window.set_status(N_("Workspace: {name}"), name=_plain(WORKSPACE_TEXTS[name]))

    def _default_layout(self, docks: list[QDockWidget]) -> None:
        """The docks of a workspace below the lists, at half the height, as tabs (side by
        side they would not fit a 1280-pixel window), the first one in front."""
        window = self.window
        for first, second in itertools.pairwise(docks):
            window.tabifyDockWidget(first, second)
        for dock in docks:
            dock.show()
        if docks:
            window.resizeDocks(docks[:1], [window.height() // 2], Qt.Orientation.Vertical)
            docks[0].raise_()

    def save(self) -> None:
        """Remember the current workspace's arrangement of docks."""
        state = self.window.saveState(LAYOUT_VERSION)
        self.window.settings.setValue(KEY_LAYOUT.format(name=self.current), state)

    def _docks_of(self, name: str) -> list[QDockWidget]:
        tools = self.window.tools
        makers: dict[str, list[tuple[str, Callable[[], QWidget]]]] = {
            FILING: [],
            RECORDS_MANAGEMENT: [
                ("dueListDock", tools.show_due_list),
                ("disposalListsDock", tools.show_disposal_lists),
            ],
            WOO: [
                ("wooRequestsDock", tools.show_woo_requests),
                ("searchDock", tools.show_search),
            ],
        }
        return [self._dock(object_name, make) for object_name, make in makers[name]]

    def _dock(self, object_name: str, make: Callable[[], QWidget]) -> QDockWidget:
        dock = self.docks.get(object_name)
        if dock is not None and dock.widget() is not None:
            return dock
        if dock is None:
            dock = QDockWidget(self.window)
            dock.setObjectName(object_name)
            dock.hide()  # side by side for a moment, two views would widen the window
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            self.docks[object_name] = dock
            self.menu.addAction(dock.toggleViewAction())
        tools = self.window.tools
        tools.dock_into = lambda view: self._place(dock, view)
        try:
            view = make()  # a new view goes into the dock (no window flashes up)
        finally:
            tools.dock_into = None
        if view.parentWidget() is not dock:  # it was open as a window already
            self._place(dock, view)
        return dock

    @staticmethod
    def _place(dock: QDockWidget, view: QWidget) -> None:
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # the dock keeps it
        dock.setWidget(view)  # a child now, no longer a window of its own
        view.installEventFilter(_KeepDocked(dock))
        # A view's keys (its buttons' shortcuts) must not clash with the main window's
        # (Qt runs neither of two actions on one key): docked, they work only while the
        # focus is in the view.
        for action in dict.fromkeys([*view.actions(), *view.findChildren(QAction)]):
            if action.shortcuts() and (
                action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut
            ):
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                view.addAction(action)  # so "within the view" means the whole view
        close = getattr(view, "close_button", None)  # "Close this window (Esc)"
        if isinstance(close, QWidget):
            close.hide()
        view.show()
        dock.setWindowTitle(view.windowTitle())
        dock.toggleViewAction().setText(view.windowTitle())

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Workspace"))
        for name, act in self.actions.items():
            act.setText(_(WORKSPACE_TEXTS[name]))
            tip = _("Arrange the window for this work (Ctrl+Alt+{number})").format(
                number=WORKSPACES.index(name) + 1
            )
            act.setToolTip(tip)
            act.setStatusTip(tip)
        for dock in self.docks.values():
            view = dock.widget()
            if view is not None:
                dock.setWindowTitle(view.windowTitle())
                dock.toggleViewAction().setText(view.windowTitle())


class _KeepDocked(QObject):
    """Escape does not close a docked view (it would leave an empty dock)."""

    def __init__(self, dock: QDockWidget) -> None:
        super().__init__(dock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return bool(event.key() == Qt.Key.Key_Escape)
        return False


def _plain(text: str) -> str:
    return _(text).replace("&", "")
