"""The grouped form of one dossier's or record's metadata.

Seven groups, one tab each (Ctrl+Tab / Ctrl+Shift+Tab and Ctrl+PgDown / PgUp
move between them; Alt+1 … Alt+7 jump to one): Identificatie, Beschrijving,
Context, Waardering en bewaren, Openbaarheid, Relaties, Bestanden. Each field
of :class:`model.Informatieobject` is in one group. What the archive owns
(our identificatie, the aggregatieniveau, the events, the hierarchy) and the
technical metadata of the files are shown read-only.

Problems (:meth:`MetadataForm.show_problems`) are shown under the field their
path points into; :meth:`MetadataForm.focus_path` brings that field into view.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.i18n import N_, _
from recordsdesk.mdto import inherit, model, schema
from recordsdesk.services.metadata import MetadataView
from recordsdesk.ui.formatting import format_bytes, format_size
from recordsdesk.ui.views.metadata.build import (
    InheritedField,
    make_editor,
    read_only_line,
    read_only_table,
)
from recordsdesk.ui.views.metadata.fields import FieldEditor, label_of

ROOT = "/MDTO/informatieobject"
REQUIRED = N_("{element} is required in MDTO; fill it in.")

#: (group title msgid, the model fields in it); "bestanden" is the files table
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Identification"), ("identificatie", "naam", "aggregatieniveau")),
    (
        N_("Description and coverage"),
        (
            "omschrijving",
            "trefwoord",
            "classificatie",
            "taal",
            "dekking_in_tijd",
            "dekking_in_ruimte",
            "raadpleeglocatie",
        ),
    ),
    (N_("Context"), ("archiefvormer", "activiteit", "betrokkene", "event")),
    (N_("Appraisal and retention"), ("waardering", "bewaartermijn", "informatiecategorie")),
    (N_("Access"), ("beperking_gebruik",)),
    (
        N_("Relations"),
        (
            "is_onderdeel_van",
            "bevat_onderdeel",
            "heeft_representatie",
            "gerelateerd_informatieobject",
            "aanvullende_metagegevens",
        ),
    ),
    (N_("Files"), ("bestanden",)),
)
#: shown, never edited here (the archive owns them)
READ_ONLY = {"aggregatieniveau", "event", "is_onderdeel_van", "bevat_onderdeel"}
READ_ONLY |= {"heeft_representatie"}

_FIRST = re.compile(r"\[1\](?=/|$)")


def normalise(path: str) -> str:
    """``x[1]`` and ``x`` name the same element when matching problem paths."""
    return _FIRST.sub("", path)


class MetadataForm(QWidget):
    """The tabs of fields for ``view``. Signal ``changed``: any field was edited."""

    changed = Signal()

    def __init__(self, view: MetadataView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataForm")
        self.view = view
        self.tabs = QTabWidget()
        self.tabs.setObjectName("metadataGroups")
        self.tabs.setAccessibleName(_("Metadata groups"))
        self.tabs.tabBar().setAccessibleName(_("Metadata groups"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        #: the editor of each editable top-level field
        self.fields: dict[str, FieldEditor] = {}
        #: the problem label under each top-level field, and the tab it is on
        self.problem_labels: dict[str, QLabel] = {}
        self.page_of: dict[str, int] = {}
        self.scrolls: list[QScrollArea] = []
        #: the technical values of the file chosen in the files table (read-only)
        self.bestand_lines: list[QLineEdit] = []
        #: per tab, the labels of its fields (the tab's tooltip and description)
        self.page_fields: list[list[str]] = [[] for _group in GROUPS]
        for index, (title, names) in enumerate(GROUPS):
            page = QWidget()
            page.setObjectName(f"metadataGroup{index + 1}")
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                self._add_row(form, name, index)
            column = QVBoxLayout(page)
            column.addLayout(form)
            column.addStretch(1)  # fields keep their height; the space is below them
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            scroll.setAccessibleName(_(title))
            self.scrolls.append(scroll)
            self.tabs.addTab(scroll, f"&{index + 1} {_(title)}")  # Alt+1 … Alt+7
            self.tabs.setTabToolTip(index, self._tab_tip(index, bad=False))
        for editor in self.fields.values():
            editor.changed.connect(self.changed)
        self.set_read_only(not view.editable)

    # -- building -------------------------------------------------------------
    def _add_row(self, form: QFormLayout, name: str, page: int) -> None:
        view = self.view
        if name == "bestanden":
            form.addRow(self._bestanden())
            self.page_fields[page].append(_("the files and their technical values"))
            return
        f = next(f for f in model.declared(model.Informatieobject) if f.name == name)
        element = f.metadata["mdto"]
        label_text = label_of(element)
        if name == "identificatie":
            label_text = _("Other identifiers")
        self.page_fields[page].append(label_text)
        label = QLabel(label_text + ":")
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if name in READ_ONLY:
            widget = self._read_only(name, label_text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            return
        if name == "identificatie":
            form.addRow(_("Our identifier:"), self._ours())
        editor = make_editor(f, f"{ROOT}/{element}", label_text)
        own = getattr(view.own, name)
        if name == "identificatie":
            own = tuple(i for i in own if i.kenmerk != view.kenmerk)  # ours is shown above
        if name in inherit.INHERITABLE and view.parent is not None:
            editor = InheritedField(
                editor,
                own,
                getattr(view.parent, name),
                view.parent_kenmerk or "",
                name in view.inherits,
            )
        else:
            editor.set_value(own)
        label.setBuddy(editor.focus_target())
        form.addRow(label, editor)
        problems = QLabel()
        problems.setObjectName("fieldProblems")
        problems.setWordWrap(True)
        palette = problems.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#b00020"))
        problems.setPalette(palette)
        problems.setVisible(False)
        form.addRow("", problems)
        self.fields[name] = editor
        self.problem_labels[name] = problems
        self.page_of[name] = page

    def _ours(self) -> QWidget:
        ours = next(
            (i for i in self.view.own.identificatie if i.kenmerk == self.view.kenmerk), None
        )
        text = f"{self.view.kenmerk} ({ours.bron if ours else 'RecordsDesk'})"
        return read_only_line(text, _("Our identifier"))

    def _read_only(self, name: str, label: str) -> QWidget:
        effective = self.view.effective
        if name == "aggregatieniveau":
            level = effective.aggregatieniveau
            return read_only_line(level.label if level else self.view.aggregatieniveau, label)
        if name == "event":
            rows = [
                [
                    e.type.label,
                    e.tijd or "",
                    e.verantwoordelijke_actor.naam if e.verantwoordelijke_actor else "",
                    e.resultaat or "",
                ]
                for e in effective.event
            ]
            headers = [_("Type"), _("Time"), _("Responsible"), _("Result")]
            return read_only_table(label, headers, rows)
        refs: tuple[model.Verwijzing, ...] = getattr(effective, name)
        if not refs:
            return read_only_line("–", label)
        return read_only_table(label, [_("Name"), _("Identifier")], _refs(refs))

    def _bestanden(self) -> QWidget:
        """The files: a list, and every technical value of the chosen one (read-only)."""
        files = self.view.bestanden
        rows = [[b.naam, format_size(b.omvang), _format(b.bestandsformaat)] for b in files]
        headers = [_("File name"), _("Size"), _("File format")]
        table = read_only_table(_("Files (read-only, from the store)"), headers, rows)
        table.setObjectName("bestandenTable")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(table)
        details = QFormLayout()
        names = [
            _("File name"),
            _("Size"),
            _("File format"),
            _("Checksum algorithm"),
            _("Checksum"),
            _("Checksum date"),
        ]
        self.bestand_lines = [read_only_line("", name) for name in names]
        for name, line in zip(names, self.bestand_lines, strict=True):
            line.setObjectName("bestandDetail")
            details.addRow(name + ":", line)
        column.addLayout(details)

        def show(row: int) -> None:
            b = files[row] if 0 <= row < len(files) else None
            checksum = b.checksum[0] if b is not None and b.checksum else None
            values = (
                [
                    b.naam,
                    f"{format_size(b.omvang)} ({format_bytes(b.omvang)})",
                    _format(b.bestandsformaat),
                    checksum.algoritme.label if checksum else "",
                    checksum.waarde if checksum else "",
                    checksum.datum if checksum else "",
                ]
                if b is not None
                else [""] * len(names)
            )
            for line, value in zip(self.bestand_lines, values, strict=True):
                line.setText(value)
                line.setCursorPosition(0)

        table.selectionModel().currentRowChanged.connect(lambda current, _old: show(current.row()))
        if files:
            table.selectRow(0)
        show(0)
        return box

    # -- state ----------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        for editor in self.fields.values():
            editor.setEnabled(not read_only)

    def value(self) -> tuple[model.Informatieobject, frozenset[str]]:
        """The object's own metadata as edited, and the fields it inherits."""
        values: dict[str, Any] = {n: e.value() for n, e in self.fields.items()}
        if "identificatie" in values:
            ours = model.Identificatie(self.view.kenmerk, "RecordsDesk")
            kept = [i for i in self.view.own.identificatie if i.kenmerk == self.view.kenmerk]
            values["identificatie"] = (kept[0] if kept else ours, *values["identificatie"])
        own = dataclasses.replace(self.view.own, **values)
        inherits = frozenset(
            n for n, e in self.fields.items() if isinstance(e, InheritedField) and e.is_inherited()
        )
        return own, inherits

    def missing_required(self) -> list[schema.Problem]:
        """A problem for each required element left out (no value at all, taking the
        dossier's where the field inherits). The schema check stops at the first
        element missing from a sequence; these name every one of them at once."""
        own, inherits = self.value()
        effective = inherit.effective(own, inherits & set(inherit.INHERITABLE), self.view.parent)
        problems = []
        for f in model.declared(model.Informatieobject):
            if f.metadata["required"] and getattr(effective, f.name) in (None, ()):
                element = f.metadata["mdto"]
                problems.append(
                    schema.Problem(REQUIRED, {"element": label_of(element)}, f"{ROOT}/{element}")
                )
        return problems

    # -- problems ---------------------------------------------------------------
    def editor_for(self, path: str) -> tuple[str, FieldEditor] | None:
        """The top-level field and the innermost editor a problem path points into."""
        wanted = normalise(path)
        best: tuple[int, str, FieldEditor] | None = None
        for name, top in self.fields.items():
            for editor in top.editors():
                mine = normalise(editor.path)
                inside = wanted == mine or wanted.startswith(mine + "/")
                if inside and (best is None or len(mine) >= best[0]):
                    best = (len(mine), name, editor)
        return (best[1], best[2]) if best is not None else None

    def show_problems(self, problems: list[schema.Problem]) -> None:
        """Every problem under its field (the others only in the dialog's list)."""
        texts: dict[str, list[str]] = {name: [] for name in self.problem_labels}
        for problem in problems:
            found = self.editor_for(problem.path) if problem.path else None
            if found is not None:
                texts[found[0]].append(problem.text())
        for name, label in self.problem_labels.items():
            label.setText("\n".join(f"⚠ {t}" for t in texts[name]))
            label.setAccessibleName(label.text())
            label.setVisible(bool(texts[name]))
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for page in range(self.tabs.count()):
            bad = any(texts[n] for n, p in self.page_of.items() if p == page)
            self.tabs.setTabIcon(page, warning if bad else QIcon())
            self.tabs.setTabToolTip(page, self._tab_tip(page, bad))

    def _tab_tip(self, page: int, bad: bool) -> str:
        """What a tab holds and its key; first, when it has them, that it has problems."""
        tip = _("Alt+{number}: {fields}").format(
            number=page + 1, fields=", ".join(self.page_fields[page])
        )
        return _("This group has problems. {tip}").format(tip=tip) if bad else tip

    def focused_path(self) -> str | None:
        """The path of the (innermost) editor that has the focus, if any."""
        focus = QApplication.focusWidget()
        if focus is None:
            return None
        found = None
        for top in self.fields.values():
            for editor in top.editors():  # outer before inner: the last match is innermost
                target = editor.focus_target()
                if target is focus or target.isAncestorOf(focus):
                    found = editor.path
        return found

    def focus_path(self, path: str) -> bool:
        """Show the tab of the field ``path`` points into and put the focus there."""
        found = self.editor_for(path)
        if found is None:
            return False
        name, editor = found
        page = self.page_of[name]
        self.tabs.setCurrentIndex(page)
        target = editor.focus_target()
        self.scrolls[page].ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


def _format(begrip: model.Begrip) -> str:
    return f"{begrip.label} ({begrip.code})" if begrip.code else begrip.label


def _refs(refs: tuple[model.Verwijzing, ...]) -> list[list[str]]:
    return [[r.naam, r.identificatie.kenmerk if r.identificatie else ""] for r in refs]


__all__ = ["GROUPS", "MetadataForm", "normalise"]
