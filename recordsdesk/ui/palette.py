"""The command palette (Ctrl+K) and the list of keyboard shortcuts (Help menu).

Both are built from the window's menus at the moment they open, so every command
in a menu is in them, in the current language, with its shortcut, and nothing has
to be registered twice. A command that is disabled is listed greyed out and cannot
be run from the palette either; its tooltip gives the reason, and when every
command found is disabled the line under the list says why (for keyboard and
screen-reader users, who do not see tooltips).

The palette: type words (in any order, any case) to narrow the list; Up and Down
move through it without leaving the text; Enter runs the chosen command after
the palette has closed, so a command that opens a dialog opens it over the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from recordsdesk.i18n import N_, _
from recordsdesk.ui.a11y import name_builtin_buttons

ACTION_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Command:
    """One command of the menus: where it is, what it does, its key."""

    action: QAction
    path: str  # "File › New dossier…", without mnemonics
    shortcut: str  # in the platform's words ("Ctrl+N"); "" when there is none
    tip: str

    @property
    def label(self) -> str:
        return f"{self.path}    {self.shortcut}" if self.shortcut else self.path


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def commands(window: QMainWindow) -> list[Command]:
    """Every visible command of the window's menu bar, in menu order."""
    found: list[Command] = []
    seen: set[int] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.isVisible():
            found.extend(_walk(menu, [_plain(menu.title())], seen))
    return found


def _walk(menu: QMenu, trail: list[str], seen: set[int]) -> Iterator[Command]:
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible() or id(action) in seen:
            continue
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _walk(sub, [*trail, _plain(sub.title())], seen)
            continue
        seen.add(id(action))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        yield Command(action, " › ".join([*trail, _plain(action.text())]), keys, action.toolTip())


def matches(command: Command, query: str) -> bool:
    """Every word of ``query`` occurs in the command's path or shortcut (any case)."""
    haystack = command.label.casefold()
    return all(word in haystack for word in query.casefold().split())


class CommandPalette(QDialog):
    """Find a command by typing and run it (Ctrl+K)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("commandPalette")
        self.setWindowTitle(_("Find a command"))
        self.commands = commands(window)
        self.query = QLineEdit()
        self.query.setObjectName("paletteQuery")
        self.query.setAccessibleName(_("Command"))
        self.query.setAccessibleDescription(
            _("Type words of a command; Up and Down choose, Enter runs it, Esc closes")
        )
        self.query.setPlaceholderText(_("Type to find a command…"))
        self.query.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("paletteCommands")
        self.list.setAccessibleName(_("Commands"))
        self.list.setAccessibleDescription(_("The commands that match; Enter runs the chosen one"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hint = QLabel()
        self.hint.setObjectName("paletteHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.query.textChanged.connect(self._filter)
        self.query.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.run_current())
        self.list.currentItemChanged.connect(lambda *_args: self._show_hint())
        self.resize(560, 420)
        self._filter("")
        name_builtin_buttons(self)

    def _filter(self, text: str) -> None:
        self.list.clear()
        for command in self.commands:
            if not matches(command, text):
                continue
            item = QListWidgetItem(command.label)
            item.setData(ACTION_ROLE, command)
            item.setToolTip(command.tip)
            if not command.action.isEnabled():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        for row in range(self.list.count()):
            if self.list.item(row).flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentRow(row)
                break
        self._show_hint()

    def _show_hint(self) -> None:
        item = self.list.currentItem()
        if self.list.count() == 0:
            text = _("No command matches.")
        elif item is None:  # all greyed out: say why, also to keyboard and screen readers
            first = self.list.item(0).data(ACTION_ROLE)
            text = _("None of these commands can be used now. {command}: {reason}").format(
                command=first.path, reason=first.tip
            )
        else:
            text = item.data(ACTION_ROLE).tip
        self.hint.setText(text)
        self.hint.setAccessibleName(text)

    def current(self) -> Command | None:
        item = self.list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        found = item.data(ACTION_ROLE)
        return found if isinstance(found, Command) else None

    def run_current(self) -> bool:
        """Close and run the chosen command; ``False`` when none can run."""
        command = self.current()
        if command is None or not command.action.isEnabled():
            return False
        self.accept()
        QTimer.singleShot(0, command.action.trigger)  # after the palette has gone
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.query
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.list.keyPressEvent(event)  # move the choice; the text keeps the focus
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run_current()
                return True
        return super().eventFilter(watched, event)


#: keys inside a window of its own (not in the main window's menus), listed after them
WINDOW_KEYS = (
    (N_("Metadata editor › Save"), "Ctrl+S"),
    (N_("Metadata editor › Undo last save"), "Ctrl+Alt+Z"),
    (N_("Metadata editor › Group 1 to 7"), "Alt+1 … Alt+7"),
    (N_("Metadata editor › Move a row up or down"), "Alt+Up / Alt+Down"),
    (N_("Metadata editor › Close"), "Esc"),
)


class ShortcutList(QDialog):
    """Help › Keyboard shortcuts: every command that has a key, with its key, then the
    keys of the metadata editor (:data:`WINDOW_KEYS`)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcutList")
        self.setWindowTitle(_("Keyboard shortcuts"))
        listed = [(c.path, c.shortcut) for c in commands(window) if c.shortcut]
        listed += [(_(path), key) for path, key in WINDOW_KEYS]
        self.table = QTableWidget(len(listed), 2)
        self.table.setObjectName("shortcutTable")
        self.table.setAccessibleName(_("Keyboard shortcuts"))
        self.table.setAccessibleDescription(_("Each command with its key, in menu order"))
        self.table.setHorizontalHeaderLabels([_("Command"), _("Key")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, (path, key) in enumerate(listed):
            self.table.setItem(row, 0, QTableWidgetItem(path))
            self.table.setItem(row, 1, QTableWidgetItem(key))
        self.table.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setToolTip(_("Close this window (Esc)"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 520)


def show_palette(window: QMainWindow) -> CommandPalette:
    palette = CommandPalette(window)
    palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    palette.show()
    palette.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
    return palette


def show_shortcuts(window: QMainWindow) -> ShortcutList:
    dialog = ShortcutList(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


__all__ = [
    "Command",
    "CommandPalette",
    "ShortcutList",
    "commands",
    "matches",
    "show_palette",
    "show_shortcuts",
]
