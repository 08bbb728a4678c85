"""Choosing a value from an MDTO value list (begrippenlijst).

* :class:`BegripPicker` (open lists): type to filter the list's concepts (search
  by label, code and definition, :meth:`Begrippenlijst.search`) and pick one from
  the popup; any other text is accepted as an *own value* and marked as such
  next to the field.
* :class:`ClosedBegripPicker` (closed lists, e.g. Waarderingen): only the list's
  concepts; typing a letter jumps to the matching one. A stored value that is
  not in the list is shown as such so the check can name it.
* :class:`FreeBegripEditor`: a begrip from a list we do not ship (classificatie,
  informatiecategorie …): label, code and the list's name typed in; the names of
  RecordsDesk's own lists for the element (:data:`OWN_LISTS`: for classificatie the
  ordering scheme and the document types) are completed as they are typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from recordsdesk.i18n import _
from recordsdesk.mdto import begrippen, mapping, model
from recordsdesk.ui.views.metadata.fields import FieldEditor

#: MDTO element -> the shipped value lists its picker searches (first = default list)
LISTS: dict[str, tuple[str, ...]] = {
    "waardering": ("waardering",),
    "beperkingGebruikType": (
        "beperking-gebruik",
        "openbaarheid-woo",
        "openbaarheid-aw2021",
        "openbaarheid-aw1995",
        "persoonsgegevens-avg",
    ),
    "termijnTriggerStartLooptijd": ("triggers",),
    "gerelateerdInformatieobjectTypeRelatie": ("relatie-informatieobject",),
    "betrokkeneTypeRelatie": ("relatie-betrokkene",),
    "eventType": ("event",),
}


#: MDTO element -> names of RecordsDesk's own lists a free begrip of it may name
OWN_LISTS: dict[str, tuple[str, ...]] = {
    "classificatie": (mapping.CLASSIFICATIE_LIST, mapping.DOCUMENTTYPE_LIST),
}


def display(concept: begrippen.Concept, several: bool) -> str:
    """How a concept is listed in the popup (with its list when several lists are searched)."""
    text = f"{concept.label} ({concept.code})" if concept.code else concept.label
    if several:
        short = concept.list_name.removeprefix("Begrippenlijst ")
        text += f" — {short}"
    return text


class BegripPicker(FieldEditor):
    """A searchable picker over one or more open lists; other text is an own value."""

    def __init__(
        self, path: str, name: str, keys: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(path, name, parent)
        self.lists = tuple(begrippen.get(k) for k in keys)
        self._original: model.Begrip | None = None
        self._chosen: begrippen.Concept | None = None
        self._shown: dict[str, begrippen.Concept] = {}
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("Type to search the list…"))
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated.connect(self._picked)
        # setWidget, not setCompleter: the line edit must not insert the shown text
        # ("label (code) — list"); picking puts in the concept's label instead
        self.completer.setWidget(self.edit)
        self.edit.textEdited.connect(self._typed)
        self.edit.installEventFilter(self)
        self.note = QLabel()
        self.note.setObjectName("ownValueNote")
        self.note.setStyleSheet("color: #8a5a00;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.note)
        self.setFocusProxy(self.edit)
        self._named()

    def _named(self) -> None:
        self.edit.setAccessibleName(self.name)
        self.edit.setAccessibleDescription(_("Type to search the list; Down opens the choices"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down (or Alt+Down) in the field opens the choices for what is typed."""
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and not self.popup_shown()
        ):
            self._fill("" if self.concept() is not None else self.edit.text())
            self.completer.complete()
            return True
        return super().eventFilter(watched, event)

    def popup_shown(self) -> bool:
        popup = self.completer.popup()
        return popup is not None and popup.isVisible()

    def _fill(self, text: str) -> None:
        several = len(self.lists) > 1
        if text.strip():
            found = [c for lijst in self.lists for c in lijst.search(text)]
        else:  # the whole list: no need to search (the choices are filled when asked for)
            found = [c for lijst in self.lists for c in lijst.concepts]
        self._shown = {display(c, several): c for c in found}
        self.model.setStringList(list(self._shown))

    def _typed(self, text: str) -> None:
        self._chosen = None
        self._fill(text)
        self.completer.complete()
        self._update_note()
        self.changed.emit()

    def _picked(self, shown: str) -> None:
        concept = self._shown.get(shown)
        if concept is None:
            return
        self._chosen = concept
        self.edit.setText(concept.label)
        self._update_note()
        self.changed.emit()

    def concept(self) -> begrippen.Concept | None:
        """The list concept the text names, if any."""
        text = self.edit.text().strip()
        if self._chosen is not None and self._chosen.label == text:
            return self._chosen
        for lijst in self.lists:
            found = lijst.by_label(text) or lijst.by_label_ignoring_case(text)
            if found is not None:
                return found
        return None

    def is_own_value(self) -> bool:
        return bool(self.edit.text().strip()) and self.concept() is None

    def _update_note(self) -> None:
        own = self.is_own_value()
        self.note.setText(_("own value") if own else "")
        self.note.setToolTip(
            _("Not in the list. The list is open, so it is kept as an own value.") if own else ""
        )
        self.note.setAccessibleName(self.note.text())

    def value(self) -> model.Begrip | None:
        text = self.edit.text().strip()
        if not text:
            return None
        original = self._original
        if original is not None and original.label == text and self._chosen is None:
            return original  # as stored: keeps the code and an unknown list's name
        concept = self.concept()
        if concept is not None:
            return concept.to_begrip()
        return model.Begrip(text, None, model.Verwijzing(self.lists[0].name))

    def set_value(self, value: Any) -> None:
        self._original = value if isinstance(value, model.Begrip) else None
        self._chosen = None
        self.edit.setText(self._original.label if self._original is not None else "")
        self._update_note()

    def focus_target(self) -> QWidget:
        return self.edit


class ClosedBegripPicker(FieldEditor):
    """A closed list: one of its concepts, or nothing."""

    def __init__(self, path: str, name: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(path, name, parent)
        self.lijst = begrippen.get(key)
        self.combo = QComboBox()
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        self.setFocusProxy(self.combo)
        self._fill(None)
        self._named()

    def _named(self) -> None:
        self.combo.setAccessibleName(self.name)

    def _fill(self, stored: model.Begrip | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_("(choose)"), None)
        for concept in self.lijst.concepts:
            self.combo.addItem(display(concept, False), concept.to_begrip())
        if stored is not None and self.lijst.by_label(stored.label) is None:
            self.combo.addItem(_("{label} (not in the list)").format(label=stored.label), stored)
        self.combo.blockSignals(False)

    def value(self) -> model.Begrip | None:
        data = self.combo.currentData()
        return data if isinstance(data, model.Begrip) else None

    def set_value(self, value: Any) -> None:
        stored = value if isinstance(value, model.Begrip) else None
        self._fill(stored)
        index = 0
        if stored is not None:
            concept = self.lijst.by_label(stored.label)
            label = concept.label if concept is not None else stored.label
            for i in range(1, self.combo.count()):
                data = self.combo.itemData(i)
                if isinstance(data, model.Begrip) and data.label == label:
                    index = i
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.combo


class FreeBegripEditor(FieldEditor):
    """A begrip from a list we do not ship: label, code (optional) and list name."""

    def __init__(
        self, path: str, name: str, parent: QWidget | None = None, lists: tuple[str, ...] = ()
    ) -> None:
        super().__init__(path, name, parent)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText(_("Label"))
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(_("Code"))
        self.code_edit.setMaximumWidth(110)
        self.list_edit = QLineEdit()
        self.list_edit.setPlaceholderText(_("Value list"))
        if lists:  # RecordsDesk's own lists for this element, completed as typed
            completer = QCompleter(list(lists), self.list_edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.list_edit.setCompleter(completer)
            self.list_edit.setToolTip(_("For example: {lists}").format(lists="; ".join(lists)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label_edit, 3)
        layout.addWidget(self.code_edit, 1)
        layout.addWidget(self.list_edit, 2)
        for edit in (self.label_edit, self.code_edit, self.list_edit):
            edit.textEdited.connect(lambda _text: self.changed.emit())
        self.setFocusProxy(self.label_edit)
        self._named()

    def _named(self) -> None:
        self.label_edit.setAccessibleName(_("{field}: label").format(field=self.name))
        self.code_edit.setAccessibleName(_("{field}: code").format(field=self.name))
        self.list_edit.setAccessibleName(_("{field}: value list").format(field=self.name))

    def value(self) -> model.Begrip | None:
        label = self.label_edit.text().strip()
        code = self.code_edit.text().strip() or None
        lijst = self.list_edit.text().strip()
        if not (label or code or lijst):
            return None
        return model.Begrip(label, code, model.Verwijzing(lijst))

    def set_value(self, value: Any) -> None:
        begrip = value if isinstance(value, model.Begrip) else None
        self.label_edit.setText(begrip.label if begrip else "")
        self.code_edit.setText((begrip.code or "") if begrip else "")
        self.list_edit.setText(begrip.begrippenlijst.naam if begrip else "")

    def focus_target(self) -> QWidget:
        return self.label_edit
