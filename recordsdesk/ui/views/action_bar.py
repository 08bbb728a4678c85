"""A row of command buttons, each the face of a QAction with its own shortcut.

The destruction-list window and the Woo request window both offer their commands
as a row of buttons whose actions also work by shortcut anywhere in the window
and sit in the tables' context menus. :class:`ActionBar` makes them from one
table of ``name -> (text msgid, tip msgid, keys)`` and says them again in the
current language (:meth:`ActionBar.retranslate`): text, tip with the keys,
status tip, and the button's accessible name and description.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from recordsdesk.i18n import _

#: name -> (text msgid, tip msgid, keys)
Commands = Mapping[str, tuple[str, str, str]]

GAP = 12  # pixels between groups of buttons


class ActionBar:
    """The actions (``actions[name]``), their buttons (``buttons[name]``) and the row that
    holds the buttons (``layout``), made on ``owner`` (the actions are its, so their
    shortcuts work anywhere in it). ``prefix`` names them: ``{prefix}Action_{name}`` and
    ``{prefix}Button_{name}``; a gap follows each button named in ``gaps_after``."""

    def __init__(
        self,
        owner: QWidget,
        prefix: str,
        commands: Commands,
        handlers: Mapping[str, Callable[[], object]],
        gaps_after: Collection[str] = (),
    ) -> None:
        self.commands = commands
        self.actions: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        self.layout = QHBoxLayout()
        for name, (_text, _tip, keys) in commands.items():
            act = QAction(owner)
            act.setObjectName(f"{prefix}Action_{name}")
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False, run=handlers[name]: run())
            owner.addAction(act)
            self.actions[name] = act
            button = QToolButton()
            button.setObjectName(f"{prefix}Button_{name}")
            button.setDefaultAction(act)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.buttons[name] = button
            self.layout.addWidget(button)
            if name in gaps_after:
                self.layout.addSpacing(GAP)
        self.layout.addStretch(1)

    def retranslate(self) -> None:
        for name, (text, tip, keys) in self.commands.items():
            act = self.actions[name]
            act.setText(_(text))
            act.setToolTip(f"{_(tip)} ({keys})")
            act.setStatusTip(act.toolTip())
            self.buttons[name].setAccessibleName(_(text).replace("&", "").rstrip("…"))
            self.buttons[name].setAccessibleDescription(act.toolTip())
