"""The query box: completion of field names and the short syntax help.

Completion works on the word being typed, not on the whole line: typing
``ti`` (or ``-ti``) anywhere in the query offers ``titel:``; choosing it (Enter,
Tab or a click) replaces just that word. The syntax help is a list of
constructs with an example each (:data:`CONSTRUCTS`); the examples are query
syntax and stay as they are in both languages, the explanations are translated.

Keys: Down with no completion open moves into the results (:attr:`QueryBox.down`);
Enter runs the search at once (``returnPressed``).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from recordsdesk.i18n import N_, _
from recordsdesk.search.query import DATE_FIELD, TEXT_FIELDS

FIELD_NAMES = tuple(f"{name}:" for name in (*TEXT_FIELDS, DATE_FIELD))

#: (example, what it does) — the examples are syntax, the same in every language
CONSTRUCTS: tuple[tuple[str, str], ...] = (
    ("vergunning bouw", N_("both words (in any order)")),
    ('"niet openbaar"', N_("exactly this phrase")),
    ("-sloop", N_("leave out what contains this word")),
    ("bouw OR sloop", N_("either word")),
    ("vergun*", N_("words that start with vergun")),
    ("titel:besluit", N_("in the title")),
    ("dossier:Coolsingel", N_("in the dossier's name")),
    ("categorie:convenant", N_("in the Woo information category")),
    ('afzender:"J. de Vries"', N_("the sender of a mail")),
    ("datum:2024-01..2024-06", N_("dated in this period (also datum:2024, datum:..2023-12)")),
)

_WORD_BEFORE_CURSOR = re.compile(r"-?([^\W\d_]*)$")


def help_text() -> str:
    """The constructs as plain text (the query box's tooltip)."""
    lines = [_("Search syntax:")]
    lines += [f"{example}   {_(meaning)}" for example, meaning in CONSTRUCTS]
    lines.append(
        _("Lower and upper case and accents do not matter; vergunningen finds vergunning.")
    )
    return "\n".join(lines)


def help_html() -> str:
    """The constructs as a small table (the help panel under the query box)."""
    rows = "".join(
        f"<tr><td><code>{html.escape(example)}</code></td><td>{html.escape(_(meaning))}</td></tr>"
        for example, meaning in CONSTRUCTS
    )
    note = html.escape(
        _("Lower and upper case and accents do not matter; vergunningen finds vergunning.")
    )
    return f"<table cellspacing='2' cellpadding='1'>{rows}</table><p>{note}</p>"


class QueryBox(QLineEdit):
    """A line edit that completes field names in the word being typed.

    Signals:
        down: Down was pressed with no completion list open.
    """

    down = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchQuery")
        self.setClearButtonEnabled(True)
        self.fields = QStringListModel(list(FIELD_NAMES), self)  # kept: the completer's model
        self.completer_ = QCompleter(self.fields, self)
        self.completer_.setObjectName("searchFieldCompleter")
        self.completer_.setWidget(self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.activated.connect(self.insert_completion)
        self.textEdited.connect(self._offer_completion)
        self._completed = False

    def _popup(self) -> QAbstractItemView:
        popup = self.completer_.popup()
        assert popup is not None  # a completer always has its popup
        return popup

    def word_before_cursor(self) -> str:
        """The letters of the word being typed (without a leading minus), or ''."""
        before = self.text()[: self.cursorPosition()]
        if before and not before[-1].isalpha():
            return ""
        found = _WORD_BEFORE_CURSOR.search(before.rsplit(" ", 1)[-1])
        return found.group(1) if found else ""

    def _offer_completion(self, _text: str) -> None:
        word = self.word_before_cursor()
        popup = self._popup()
        if not word or ":" in self.text()[: self.cursorPosition()].rsplit(" ", 1)[-1]:
            popup.hide()
            return
        self.completer_.setCompletionPrefix(word)
        if self.completer_.completionCount() == 0 or (
            self.completer_.completionCount() == 1
            and self.completer_.currentCompletion().lower() == f"{word.lower()}:"
        ):
            popup.hide()
            return
        popup.setAccessibleName(_("Search fields"))
        self.completer_.complete()
        popup.setCurrentIndex(self.completer_.completionModel().index(0, 0))

    def insert_completion(self, completion: str) -> None:
        """Replace the word being typed with ``completion`` (a field name with its colon)."""
        word = self.word_before_cursor()
        position = self.cursorPosition()
        text = self.text()
        start = position - len(word)
        self.setText(text[:start] + completion + text[position:])
        self.setCursorPosition(start + len(completion))
        self._completed = True
        QTimer.singleShot(0, self._forget_completion)  # a click chose it: no key follows
        self.textEdited.emit(self.text())  # a changed query searches again (debounced)

    def _forget_completion(self) -> None:
        self._completed = False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if self._completed and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            # the key that chose a completion (the completer passes it on): not a search
            self._completed = False
            event.accept()
            return
        self._completed = False
        if key == Qt.Key.Key_Down and not self._popup().isVisible():
            self.down.emit()
            event.accept()
            return
        super().keyPressEvent(event)
