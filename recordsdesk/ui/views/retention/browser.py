"""The Selectielijst browser (issue 5, point 1): a tree by procestype, search, full text.

The tree shows the procestypen of one year's list with their generiek results
and, under those, the specifiek ones. Typing in the search field filters it
through :func:`recordsdesk.retention.selectielijst.search` (a number such as
"11.1" or words, case- and accent-insensitive); the results around a match stay
visible so the path to it is clear. Selecting a result shows its full text.

Withdrawn results (7.1.20, 19.1.13 in 2020) are shown, marked "Withdrawn" in
words (not only by colour), and can never be chosen: in picking mode the Choose
button is disabled for them and :meth:`SelectielijstBrowser.choose` refuses
them with the core's message (naming the replacement). When more than one list
is shipped, a year selector appears; a dossier keeps the year it was classified
under, so the browser shows the latest list by default and the others on
request.

Loading a year reads and checks a JSON file (tens of milliseconds the first
time), so it runs on the IO worker; searching the loaded list is in memory.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.retention import selectielijst as sl
from recordsdesk.ui.a11y import name_builtin_buttons
from recordsdesk.ui.errors import user_message
from recordsdesk.ui.ops import Ops

NUMBER_ROLE = Qt.ItemDataRole.UserRole
#: typing pauses this long before the tree is filtered (each key press would redo it)
SEARCH_DELAY_MS = 150

_WITHDRAWN = N_("Withdrawn")


def waardering_text(result: sl.Resultaat) -> str:
    """The appraisal in words: "Keep permanently (B)", "Destroy after 10 years (V)",
    or "Withdrawn (now 19.1.19)"."""
    if result.withdrawn:
        if result.replaced_by:
            return _("Withdrawn (now {replacement})").format(replacement=result.replaced_by)
        return _(_WITHDRAWN)
    if result.waardering == sl.WAARDERING_BLIJVEND:
        return _("Keep permanently (B)")
    termijn = sl.describe_duration(result.bewaartermijn or "P0D")
    return _("Destroy after {termijn} (V)").format(termijn=termijn)


def result_title(result: sl.Resultaat) -> str:
    """Naam, with the omschrijving of a specifiek result ("Verleend: Rijbewijs")."""
    text = " ".join(result.omschrijving.split())
    return f"{result.naam}: {text}" if text else result.naam


class SelectielijstBrowser(QDialog):
    """A non-modal window to look up Selectielijst results (or pick one).

    ``picking``: show a Choose button; :attr:`chosen` is emitted with the
    :class:`~recordsdesk.retention.selectielijst.Resultaat` chosen.

    Signals:
        loaded: a year's list is in the tree (argument: the year).
        chosen: a result was chosen (argument: the Resultaat; never a withdrawn one).
    """

    loaded = Signal(int)
    chosen = Signal(object)

    def __init__(self, ops: Ops, parent: QWidget | None = None, *, picking: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("selectielijstBrowser")
        self.ops = ops
        self.picking = picking
        self.jaar: int | None = None
        self.lijst: sl.Selectielijst | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self._type_items: dict[int, QTreeWidgetItem] = {}
        self._matches: int | None = None
        self._found: set[str] = set()

        self.year_label = QLabel()
        self.year_label.setObjectName("selectielijstYearLabel")
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("selectielijstYear")
        self.year_label.setBuddy(self.year_combo)
        self.search_label = QLabel()
        self.search_label.setObjectName("selectielijstSearchLabel")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("selectielijstSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)
        self.count_label = QLabel()
        self.count_label.setObjectName("selectielijstCount")

        self.tree = QTreeWidget()
        self.tree.setObjectName("selectielijstTree")
        self.tree.setColumnCount(3)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 240)

        self.detail = QTextBrowser()
        self.detail.setObjectName("selectielijstDetail")
        self.detail.setOpenLinks(False)
        self.hint = QLabel()
        self.hint.setObjectName("selectielijstHint")
        self.hint.setWordWrap(True)
        self.hint.hide()

        self.buttons = QDialogButtonBox()
        self.choose_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.choose_button.setObjectName("selectielijstChoose")
        self.choose_button.setVisible(picking)
        self.choose_button.setEnabled(False)
        self.close_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setObjectName("selectielijstClose")
        self.close_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.choose)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year_combo)
        top.addWidget(self.search_label)
        top.addWidget(self.search_edit, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("selectielijstSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.count_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(self.hint)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([660, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.search_edit, self.tree)
        QWidget.setTabOrder(self.tree, self.detail)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_now)
        self.tree.currentItemChanged.connect(lambda *_args: self._show_current())
        self.tree.itemActivated.connect(lambda *_args: self._activated())
        self.year_combo.activated.connect(lambda _i: self.load(self.year_combo.currentData()))

        years = sl.lists()
        for year in reversed(years):
            self.year_combo.addItem(str(year), year)
        # one list: nothing to choose, so no selector (a second list brings it)
        self.year_label.setVisible(len(years) > 1)
        self.year_combo.setVisible(len(years) > 1)
        self.resize(1120, 680)
        self.retranslate()
        if years:
            self.load(years[-1])

    # -- loading ------------------------------------------------------------------
    def load(self, jaar: int) -> None:
        """Show the list of ``jaar`` (read on the IO worker; ``loaded`` follows)."""
        self.count_label.setText(_("Loading…"))

        def arrived(lijst: sl.Selectielijst) -> None:
            self._fill(lijst)
            self.loaded.emit(lijst.jaar)

        self.ops.io(lambda _ws: sl.selectielijst(jaar), arrived, owner=self)

    def _fill(self, lijst: sl.Selectielijst) -> None:
        self.jaar, self.lijst = lijst.jaar, lijst
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(lijst.jaar)))
        self.tree.clear()
        self._items.clear()
        self._type_items.clear()
        for procestype in lijst.procestypen:
            item = QTreeWidgetItem([str(procestype.nummer), procestype.naam, ""])
            item.setData(0, NUMBER_ROLE, None)
            for column in range(2):
                font = item.font(column)
                font.setBold(True)
                item.setFont(column, font)
            self._type_items[procestype.nummer] = item
            self.tree.addTopLevelItem(item)
        dim = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        for result in lijst.resultaten:
            parent = (
                self._items.get(result.generiek_nummer)
                if result.generiek_nummer
                else self._type_items.get(result.procestype)
            )
            if parent is None:
                continue  # the loader guarantees parents; never show an orphan at top level
            item = QTreeWidgetItem(
                [result.volledig_nummer, result_title(result), waardering_text(result)]
            )
            item.setData(0, NUMBER_ROLE, result.volledig_nummer)
            if result.withdrawn:
                for column in range(3):
                    font = item.font(column)
                    font.setItalic(True)
                    item.setFont(column, font)
                    item.setForeground(column, dim)
            parent.addChild(item)
            self._items[result.volledig_nummer] = item
        self.apply_search()

    # -- search -------------------------------------------------------------------
    def search(self, text: str) -> int:
        """Type ``text`` in the search field and filter now; the number of matches."""
        self.search_edit.setText(text)
        self._search_timer.stop()
        self.apply_search()
        return self._matches or 0

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.apply_search()
        first = self._first_visible_result()
        if first is not None:
            self.tree.setCurrentItem(first)
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_search(self) -> None:
        """Hide what does not match the search text; results around a match stay visible."""
        if self.lijst is None:
            return
        text = self.search_edit.text().strip()
        found = {r.volledig_nummer for r in sl.search(self.lijst.jaar, text)}
        self._found = found
        self._matches = len(found)
        for nummer, item in self._items.items():
            item.setHidden(nummer not in found)
        for result in self.lijst.resultaten:  # a matching specifiek result shows its generiek
            if result.volledig_nummer in found and result.generiek_nummer:
                parent = self._items.get(result.generiek_nummer)
                if parent is not None:
                    parent.setHidden(False)
        for type_item in self._type_items.values():
            children = (type_item.child(i) for i in range(type_item.childCount()))
            empty = all(child is None or child.isHidden() for child in children)
            type_item.setHidden(bool(text) and empty)
        if text:
            self.tree.expandAll()
        else:
            self.tree.collapseAll()
        current = self.tree.currentItem()
        if current is not None and _hidden(current):
            first = self._first_visible_result()
            if first is not None:
                self.tree.setCurrentItem(first)
            else:
                self.tree.setCurrentIndex(QModelIndex())
        self._update_count()

    def _first_visible_result(self) -> QTreeWidgetItem | None:
        """The first match in number order (a generiek shown only as a path is skipped)."""
        for nummer, item in self._items.items():
            if nummer in self._found:
                return item
        return None

    def visible_numbers(self) -> list[str]:
        """The result numbers the tree shows now (matches and their generiek parents)."""
        return [nummer for nummer, item in self._items.items() if not _hidden(item)]

    def _update_count(self) -> None:
        if self.lijst is None:
            return
        total = len(self.lijst.resultaten)
        if self.search_edit.text().strip():
            text = _("{count} of {total} results match.").format(
                count=self._matches or 0, total=total
            )
        else:
            text = _("Selectielijst {jaar}: {types} procestypen, {total} results.").format(
                jaar=self.lijst.jaar, types=len(self.lijst.procestypen), total=total
            )
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)

    # -- selection and choosing ------------------------------------------------------
    def select(self, nummer: str) -> bool:
        """Make result ``nummer`` current (clearing a search that hides it)."""
        item = self._items.get(nummer)
        if item is None:
            return False
        if _hidden(item):
            self.search("")
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def current_result(self) -> sl.Resultaat | None:
        item = self.tree.currentItem()
        nummer = item.data(0, NUMBER_ROLE) if item is not None else None
        if not nummer or self.lijst is None:
            return None
        return self.lijst.get(str(nummer))

    def current_procestype(self) -> sl.Procestype | None:
        item = self.tree.currentItem()
        if item is None or self.lijst is None or item.data(0, NUMBER_ROLE):
            return None
        for nummer, type_item in self._type_items.items():
            if type_item is item:
                return next(t for t in self.lijst.procestypen if t.nummer == nummer)
        return None

    def choose(self) -> bool:
        """Choose the current result: emits ``chosen`` and closes; a withdrawn result
        is refused with the reason shown under the text (the window stays open)."""
        result = self.current_result()
        if result is None or not self.picking:
            return False
        try:
            found = sl.choosable(result.jaar, result.volledig_nummer)
        except UserError as exc:
            known = user_message(exc)
            self._set_hint(known[0] if known else str(exc))
            return False
        self.chosen.emit(found)
        self.accept()
        return True

    def _activated(self) -> None:
        if self.picking and self.current_result() is not None:
            self.choose()

    def _set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setAccessibleName(text)
        self.hint.setVisible(bool(text))

    def _show_current(self) -> None:
        result = self.current_result()
        self.choose_button.setEnabled(result is not None and not result.withdrawn)
        if result is not None:
            self.detail.setHtml(self._result_html(result))
            self._set_hint(
                _("Withdrawn results cannot be chosen.")
                if result.withdrawn and self.picking
                else ""
            )
        elif (procestype := self.current_procestype()) is not None:
            self.detail.setHtml(_procestype_html(procestype))
            self._set_hint("")
        else:
            self.detail.setHtml("")
            self._set_hint("")
        self.detail.setAccessibleDescription(self.detail.toPlainText()[:200])

    def _result_html(self, result: sl.Resultaat) -> str:
        lijst = self.lijst
        assert lijst is not None
        procestype = next(t for t in lijst.procestypen if t.nummer == result.procestype)
        heading = _("Result {nummer} of the Selectielijst {jaar}").format(
            nummer=result.volledig_nummer, jaar=result.jaar
        )
        parts = [f"<h3>{html.escape(heading)}</h3>"]
        if result.withdrawn:
            warning = _("Withdrawn: this result can no longer be chosen.")
            if result.replaced_by:
                warning += " " + _("Use {replacement} instead.").format(
                    replacement=result.replaced_by
                )
            parts.append(f"<p><b>{html.escape(warning)}</b></p>")
        rows: list[tuple[str, str]] = [
            (_("Procestype"), f"{procestype.nummer}. {procestype.naam}"),
        ]
        if result.generiek_nummer is not None:
            parent = lijst.get(result.generiek_nummer)
            parent_text = f"{parent.volledig_nummer} {result_title(parent)}" if parent else ""
            rows.append((_("Kind"), _("Specific, under {generic}").format(generic=parent_text)))
        else:
            rows.append((_("Kind"), _("Generic")))
        rows += [
            (_("Name"), result.naam),
            (_("Description"), result.omschrijving),
            (_("Appraisal"), waardering_text(result)),
        ]
        if result.bewaartermijn is not None:
            words = sl.describe_duration(result.bewaartermijn)
            rows.append((_("Retention period"), f"{words} ({result.bewaartermijn})"))
        rows += [
            (_("Process period"), result.procestermijn_weergave),
            (_("Process period note"), result.procestermijn_opmerking),
            (_("Origin"), result.herkomst),
            (_("Explanation"), result.toelichting),
        ]
        if result.generiek:
            specific = [r.volledig_nummer for r in _specifiek(lijst, result)]
            rows.append((_("Specific results"), ", ".join(specific)))
        parts.append(_table(rows))
        return "".join(parts)

    # -- language -------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("Selectielijst"))
        self.setAccessibleName(_("Selectielijst"))
        self.year_label.setText(_("&Year:"))
        self.year_label.setAccessibleName(_("Year"))
        self.year_combo.setAccessibleName(_("Year of the Selectielijst"))
        self.search_label.setText(_("&Search:"))
        self.search_label.setAccessibleName(_("Search"))
        self.search_edit.setAccessibleName(_("Search the Selectielijst"))
        self.search_edit.setPlaceholderText(_("A number (11.1) or words (bouwvergunning)"))
        self.search_edit.setToolTip(
            _("Matches the number, name, description, explanation, origin and procestype")
        )
        self.tree.setHeaderLabels([_("Number"), _("Result"), _("Appraisal")])
        self.tree.setAccessibleName(_("Procestypen and results"))
        self.tree.setAccessibleDescription(
            _("The Selectielijst: each procestype with its results, their appraisal and "
              "retention period; when choosing for a dossier, Enter on a result chooses it")
        )  # fmt: skip
        self.detail.setAccessibleName(_("Full text of the selected result"))
        self.count_label.setAccessibleName(self.count_label.text() or _("Number of results"))
        self.hint.setAccessibleName(self.hint.text() or _("Hint"))
        self.choose_button.setText(_("&Choose"))
        self.choose_button.setAccessibleName(_("Choose the selected result"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setToolTip(_("Close this window (Esc)"))
        self.splitter.setAccessibleName(_("Results and full text"))
        name_builtin_buttons(self)
        if self.lijst is not None:
            for nummer, item in self._items.items():
                result = self.lijst.get(nummer)
                if result is not None:
                    item.setText(2, waardering_text(result))
            self._update_count()
            self._show_current()


def _hidden(item: QTreeWidgetItem) -> bool:
    current: QTreeWidgetItem | None = item
    while current is not None:
        if current.isHidden():
            return True
        current = current.parent()
    return False


def _specifiek(lijst: sl.Selectielijst, result: sl.Resultaat) -> Iterator[sl.Resultaat]:
    return (r for r in lijst.resultaten if r.generiek_nummer == result.volledig_nummer)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:12px; vertical-align:top'><b>{html.escape(label)}</b>"
        f"</td><td>{html.escape(' '.join(value.split()))}</td></tr>"
        for label, value in rows
        if value
    )
    return f"<table>{cells}</table>"


def _procestype_html(procestype: sl.Procestype) -> str:
    heading = _("Procestype {nummer}: {naam}").format(
        nummer=procestype.nummer, naam=procestype.naam
    )
    rows = [
        (_("Description"), procestype.omschrijving),
        (_("Explanation"), procestype.toelichting),
        (_("Process object"), procestype.procesobject),
    ]
    return f"<h3>{html.escape(heading)}</h3>{_table(rows)}"
