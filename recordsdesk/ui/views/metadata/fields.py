"""Editors for one MDTO value: text, a sub-form of a compound type, and their common base.

Every editor is a :class:`FieldEditor`: it holds the value of one element (or
of one repeat of it) as a model value (``str``, a frozen dataclass, ``None``
for "not filled in"), says :attr:`FieldEditor.changed` on every edit, and
knows its element path (``/MDTO/informatieobject/naam``) so a problem from
:func:`recordsdesk.services.metadata.check_metadata` can be put next to it.
Every input gets an accessible name: the field's label, with the repeat
number where there is one ("Trefwoord 2").

:func:`make_editor` picks the editor for an element from its declaration in
:mod:`recordsdesk.mdto.model`, so the editor follows the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import Field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import N_, _
from recordsdesk.mdto import model

#: the label (English msgid) of each MDTO element the editor shows
LABELS: dict[str, str] = {
    "identificatie": N_("Identification"),
    "identificatieKenmerk": N_("Identifier"),
    "identificatieBron": N_("Source"),
    "naam": N_("Name"),
    "aggregatieniveau": N_("Aggregation level"),
    "classificatie": N_("Classification"),
    "trefwoord": N_("Keyword"),
    "omschrijving": N_("Description"),
    "raadpleeglocatie": N_("Consultation location"),
    "raadpleeglocatieFysiek": N_("Physical location"),
    "raadpleeglocatieOnline": N_("Online location (URL)"),
    "dekkingInTijd": N_("Coverage in time"),
    "dekkingInTijdType": N_("Type of period"),
    "dekkingInTijdBegindatum": N_("Begin date"),
    "dekkingInTijdEinddatum": N_("End date"),
    "dekkingInRuimte": N_("Coverage in space"),
    "taal": N_("Language"),
    "event": N_("Events"),
    "waardering": N_("Appraisal"),
    "bewaartermijn": N_("Retention period"),
    "termijnTriggerStartLooptijd": N_("Trigger for the start"),
    "termijnStartdatumLooptijd": N_("Start date"),
    "termijnLooptijd": N_("Duration (e.g. P10Y)"),
    "termijnEinddatum": N_("End date"),
    "informatiecategorie": N_("Information category"),
    "isOnderdeelVan": N_("Part of"),
    "bevatOnderdeel": N_("Contains"),
    "heeftRepresentatie": N_("Representations"),
    "aanvullendeMetagegevens": N_("Additional metadata"),
    "gerelateerdInformatieobject": N_("Related information object"),
    "gerelateerdInformatieobjectVerwijzing": N_("Reference"),
    "gerelateerdInformatieobjectTypeRelatie": N_("Type of relation"),
    "archiefvormer": N_("Archive creator"),
    "betrokkene": N_("Party involved"),
    "betrokkeneTypeRelatie": N_("Type of relation"),
    "betrokkeneActor": N_("Actor"),
    "activiteit": N_("Activity"),
    "beperkingGebruik": N_("Restriction on use"),
    "beperkingGebruikType": N_("Type of restriction"),
    "beperkingGebruikNadereBeschrijving": N_("Further description"),
    "beperkingGebruikDocumentatie": N_("Documentation"),
    "beperkingGebruikTermijn": N_("Term of the restriction"),
    "verwijzingNaam": N_("Name"),
    "verwijzingIdentificatie": N_("Identification"),
    "begripLabel": N_("Label"),
    "begripCode": N_("Code"),
    "begripBegrippenlijst": N_("Value list"),
}

#: elements holding a date (MDTO allows 2024, 2024-05 and 2024-05-17)
DATES = {
    "dekkingInTijdBegindatum",
    "dekkingInTijdEinddatum",
    "termijnStartdatumLooptijd",
    "termijnEinddatum",
}
#: elements holding running text: a few lines instead of one
LONG_TEXT = {"omschrijving", "beperkingGebruikNadereBeschrijving"}


def label_of(mdto_name: str) -> str:
    """The translated label of an MDTO element (the element name if we have none)."""
    msgid = LABELS.get(mdto_name)
    return _(msgid) if msgid else mdto_name


def summary(value: Any) -> str:
    """A value in one line of text (its filled-in parts), e.g. for a screen reader."""
    if value is None or value == ():
        return "–"
    if isinstance(value, model.SCALARS):
        return str(value)
    if isinstance(value, tuple):
        return "; ".join(summary(v) for v in value)
    parts = [summary(getattr(value, f.name)) for f in model.declared(type(value))]
    return ", ".join(p for p in parts if p != "–") or "–"


def is_empty(value: Any) -> bool:
    """Nothing filled in: None, blank text, an empty tuple, or a compound of empties."""
    if value is None or value == ():
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple):
        return all(is_empty(v) for v in value)
    if isinstance(value, model.SCALARS):
        return False
    return all(is_empty(getattr(value, f.name)) for f in model.declared(type(value)))


class FieldEditor(QWidget):
    """The base of every editor. Signal ``changed``: the value was edited."""

    changed = Signal()

    def __init__(self, path: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: the element path of this value (problem paths are matched against it)
        self.path = path
        #: the accessible name of the input(s), e.g. "Trefwoord 2"
        self.name = name

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The widget that gets the focus when a problem of this value is chosen."""
        return self

    def set_path(self, path: str, name: str) -> None:
        """A new place (a repeat moved): path and accessible names follow."""
        self.path = path
        self.name = name
        self._named()

    def _named(self) -> None:
        """Give the inputs their accessible names from :attr:`name`."""

    def editors(self) -> Iterator[FieldEditor]:
        """This editor and every editor inside it (to map problem paths)."""
        yield self


class TextEditor(FieldEditor):
    """One line (or, for running text, a few lines) of text.

    ``required``: a blank value is ``""`` (the check then says it is empty),
    else ``None`` (the element is left out).
    """

    def __init__(
        self,
        path: str,
        name: str,
        *,
        required: bool,
        long: bool = False,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(path, name, parent)
        self.required = required
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit: QLineEdit | QPlainTextEdit
        if long:
            self.edit = QPlainTextEdit()
            self.edit.setTabChangesFocus(True)  # Tab must leave the field (keyboard use)
            self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 3 + 12)
            self.edit.textChanged.connect(self.changed)
        else:
            self.edit = QLineEdit()
            self.edit.setPlaceholderText(placeholder)
            self.edit.textEdited.connect(lambda _text: self.changed.emit())
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._named()

    def _named(self) -> None:
        self.edit.setAccessibleName(self.name)
        where = self.path.replace("/", " › ")
        self.edit.setAccessibleDescription(
            _("Required. MDTO: {path}").format(path=where)
            if self.required
            else _("MDTO: {path}").format(path=where)
        )

    def text(self) -> str:
        if isinstance(self.edit, QPlainTextEdit):
            return self.edit.toPlainText()
        return self.edit.text()

    def value(self) -> str | None:
        text = self.text().strip()
        return text if text or self.required else None

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if isinstance(self.edit, QPlainTextEdit):
            self.edit.blockSignals(True)
            self.edit.setPlainText(text)
            self.edit.blockSignals(False)
        else:
            self.edit.setText(text)

    def focus_target(self) -> QWidget:
        return self.edit


#: makes the editor for one value of an element: (field, path, accessible name)
Factory = Callable[[Field[Any], str, str], FieldEditor]


class CompoundEditor(FieldEditor):
    """A sub-form for a compound MDTO type (verwijzing, termijn, …): one editor per element.

    ``required``: an all-empty compound is still a value (the check names what is
    missing), else it is ``None`` (left out).
    """

    def __init__(
        self,
        cls: type[Any],
        path: str,
        name: str,
        factory: Factory,
        *,
        required: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(path, name, parent)
        self.cls = cls
        self.required = required
        self.frame = QFrame()
        self.frame.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame)
        self.form = QFormLayout(self.frame)
        self.form.setContentsMargins(6, 4, 6, 4)
        self.children_by_field: dict[str, FieldEditor] = {}
        self.labels: dict[str, QLabel] = {}
        for f in model.declared(cls):
            element = f.metadata["mdto"]
            child = factory(f, f"{path}/{element}", self._child_name(element))
            child.changed.connect(self.changed)
            label = QLabel(label_of(element) + ":")
            label.setBuddy(child.focus_target())
            self.form.addRow(label, child)
            self.children_by_field[f.name] = child
            self.labels[f.name] = label
        first = next(iter(self.children_by_field.values()), None)
        if first is not None:
            self.setFocusProxy(first)

    def _child_name(self, element: str) -> str:
        return f"{self.name}: {label_of(element)}"

    def set_path(self, path: str, name: str) -> None:
        super().set_path(path, name)
        for f in model.declared(self.cls):
            element = f.metadata["mdto"]
            child = self.children_by_field[f.name]
            child.set_path(f"{path}/{element}", self._child_name(element))

    def value(self) -> Any:
        values = {name: child.value() for name, child in self.children_by_field.items()}
        if not self.required and all(is_empty(v) for v in values.values()):
            return None
        return self.cls(**values)

    def set_value(self, value: Any) -> None:
        for name, child in self.children_by_field.items():
            child.set_value(getattr(value, name) if value is not None else None)

    def focus_target(self) -> QWidget:
        first = next(iter(self.children_by_field.values()), None)
        return first.focus_target() if first is not None else self

    def editors(self) -> Iterator[FieldEditor]:
        yield self
        for child in self.children_by_field.values():
            yield from child.editors()
