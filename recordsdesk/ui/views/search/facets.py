"""The facet panel of the search view (issue 7, point 2): counts per value, chosen filters.

After a search's first page arrives the view calls :meth:`FacetPanel.load`; the counts
(:func:`recordsdesk.search.facets.facet_counts` of the same query and filters) are read
where the view searches (its reader process, the central executors or the database
worker), never on the GUI thread, and only the answer to the latest
request is shown: an older one that arrives later is dropped.

One tree: a section per facet (its name; Left/Right or a click on the arrow collapses
it), under it the values with their counts, as "PDF (12)". A click on a value, or
Space/Enter on it, chooses it and :attr:`FacetPanel.changed` asks the view to search
again with :meth:`FacetPanel.filters`. A chosen value is marked with a ✓ and the word
"chosen" (never colour alone); the entry "All" above it, a click on it again, its
"×" button above the tree or "Clear filters" removes it. :attr:`FacetPanel.summary`
is a label for above the results that says the chosen filters in words.

Signals:
    changed: the chosen filters changed (the view searches again).
    counted: the answer to the latest request (counts or a failure) has been shown.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.errors import UserError
from recordsdesk.i18n import _
from recordsdesk.search.facets import FACETS, FacetCounts, FacetFilters, facet_counts
from recordsdesk.services import Workspace
from recordsdesk.ui.errors import show_error, user_message
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.reader import Reader

#: item roles: the facet key (every item), the value a value item chooses, what it does
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3
SECTION, VALUE, ALL, INFO = "section", "value", "all", "info"
_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)

Request = tuple[str, FacetFilters]


def load_facets(ws: Workspace, text: str, filters: FacetFilters) -> dict[str, FacetCounts]:
    """Runs on a worker (the reader process, or a thread): the counts of every facet for
    ``text`` and ``filters``."""
    with ws.sessions() as session, session.begin():
        return facet_counts(session, text, filters)


class FacetPanel(QWidget):
    """Facet counts and the chosen filters; see the module docstring."""

    changed = Signal()
    counted = Signal()

    def __init__(self, ops: Ops | Reader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchFacetPanel")
        self._ops = ops
        self._chosen: dict[str, tuple[str, str]] = {}  # key -> (value, label), as chosen
        self._counts: dict[str, FacetCounts] = {}
        self._latest: Request | None = None
        self._collapsed: set[str] = set()
        self.dropped = 0  # stale answers left unshown (for tests and diagnosis)

        self.title = QLabel()
        self.title.setObjectName("searchFacetTitle")
        self.chips = QWidget()
        self.chips.setObjectName("searchFacetChips")
        self.chips_layout = QVBoxLayout(self.chips)
        self.chips_layout.setContentsMargins(0, 0, 0, 0)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("searchFacetClear")
        self.clear_button.setAutoDefault(False)
        self.tree = QTreeWidget()
        self.tree.setObjectName("searchFacets")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.installEventFilter(self)
        self.title.setBuddy(self.tree)
        #: the chosen filters in words, for above the results (the view places it)
        self.summary = QLabel()
        self.summary.setObjectName("searchFilterSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.chips)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.tree, 1)

        self.clear_button.clicked.connect(self.clear)
        self.tree.itemClicked.connect(lambda item, _column: self.activate(item))
        self.tree.itemCollapsed.connect(lambda item: self._collapsed.add(item.data(0, KEY_ROLE)))
        self.tree.itemExpanded.connect(lambda item: self._collapsed.discard(item.data(0, KEY_ROLE)))
        self.retranslate()

    # -- filters -------------------------------------------------------------
    def filters(self) -> FacetFilters:
        """The chosen values as filters for the search (and for the counts)."""
        out = FacetFilters()
        for key, (value, _label) in self._chosen.items():
            out = out.choose(key, value)
        return out

    def chosen(self) -> dict[str, str]:
        """Facet key -> the chosen value."""
        return {key: value for key, (value, _label) in self._chosen.items()}

    def choose(self, key: str, value: str, label: str) -> None:
        """Narrow the search to ``value`` of facet ``key`` (one value per facet)."""
        before = dict(self._chosen)
        self._chosen[key] = (value, label)
        try:
            self.filters()
        except UserError as exc:  # a value the filter refuses: say so, keep what was
            self._chosen = before
            show_error(self, exc)
            return
        self._chosen_changed()

    def set_choices(self, choices: dict[str, str]) -> None:
        """Choose exactly these facet values (a saved search's); no ``changed`` signal:
        the caller searches."""
        self._chosen = {key: (value, self._value_label(key, value))
                        for key, value in choices.items()}  # fmt: skip
        self._show_chosen()
        self._fill()

    def remove(self, key: str) -> None:
        """No longer narrow on facet ``key``."""
        if self._chosen.pop(key, None) is not None:
            self._chosen_changed()

    def clear(self) -> None:
        """Remove every chosen filter."""
        if self._chosen:
            self._chosen.clear()
            self._chosen_changed()

    def activate(self, item: QTreeWidgetItem) -> None:
        """What a click or Space/Enter on ``item`` does (see the module docstring)."""
        kind = item.data(0, KIND_ROLE)
        key = str(item.data(0, KEY_ROLE))
        if kind == ALL:
            self.remove(key)
        elif kind == VALUE:
            value = item.data(0, VALUE_ROLE)
            if value is None:
                return  # objects without a value: counted, cannot be chosen
            if self._chosen.get(key, (None, ""))[0] == value:
                self.remove(key)
            else:
                self.choose(key, str(value), self._value_label(key, str(value)))

    def _value_label(self, key: str, value: str) -> str:
        counts = self._counts.get(key)
        found = [v.label for v in counts.values if v.value == value] if counts else []
        return found[0] if found else value

    def _chosen_changed(self) -> None:
        self._show_chosen()
        self._fill()
        self.changed.emit()

    # -- counts ----------------------------------------------------------------
    @property
    def ops(self) -> Ops | Reader:
        """Where the counts are read (the view's search's place)."""
        return self._ops

    @ops.setter
    def ops(self, where: Ops | Reader) -> None:
        self._ops = where
        self._latest = None  # an answer from the previous place is not for the next one

    def load(self, text: str, filters: FacetFilters) -> None:
        """Read the counts for ``text`` and ``filters``; only the latest request is shown."""
        request: Request = (text, filters)
        self._latest = request
        self.ops.db(
            partial(load_facets, text=text, filters=filters),
            lambda counts: self._arrived(request, counts),
            lambda exc: self._failed(request, exc),
            owner=self,
        )

    def _arrived(self, request: Request, counts: dict[str, FacetCounts]) -> None:
        if request != self._latest:
            self.dropped += 1
            return
        self._counts = counts
        self._fill()
        self.counted.emit()

    def _failed(self, request: Request, exc: BaseException) -> None:
        if request != self._latest:
            self.dropped += 1
            return
        self._counts = {}
        self._fill()
        known = user_message(exc)
        if known is None:
            show_error(self, exc)
        else:  # the search itself says what is wrong with the query; here a line suffices
            item = QTreeWidgetItem([_("Counts not available: {message}").format(message=known[0])])
            item.setData(0, KIND_ROLE, INFO)
            self.tree.addTopLevelItem(item)
        self.counted.emit()

    # -- showing ----------------------------------------------------------------
    def _fill(self) -> None:
        """The tree anew from the counts; the current entry and collapsed sections stay."""
        current = self.tree.currentItem()
        keep = (
            (current.data(0, KEY_ROLE), current.data(0, KIND_ROLE), current.data(0, VALUE_ROLE))
            if current is not None
            else None
        )
        self.tree.clear()
        restore: QTreeWidgetItem | None = None
        for key, counts in self._counts.items():
            if not counts.values and key not in self._chosen:
                continue
            section = self._item(key, SECTION, None, _(FACETS[key]))
            name = _(FACETS[key])
            section.setData(
                0,
                Qt.ItemDataRole.AccessibleTextRole,
                _("{facet}: {count} values").format(facet=name, count=counts.distinct),
            )
            self.tree.addTopLevelItem(section)
            children = []
            chosen = self._chosen.get(key)
            if chosen is not None:
                every = self._item(key, ALL, None, _("All (remove this filter)"))
                children.append(every)
            for found in counts.values:
                text = f"{found.label} ({found.count})"
                spoken = _("{facet}: {value}, {count} hits").format(
                    facet=name, value=found.label, count=found.count
                )
                if chosen is not None and found.value == chosen[0]:
                    text = _("✓ {value} (chosen)").format(value=text)
                    spoken = _("{value}, chosen").format(value=spoken)
                item = self._item(key, VALUE, found.value, text)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, spoken)
                if found.value is None:
                    item.setToolTip(0, _("Objects without a value cannot be chosen."))
                children.append(item)
            if counts.distinct > len(counts.values):
                more = counts.distinct - len(counts.values)
                children.append(
                    self._item(
                        key, INFO, None, _("{count} more values not shown").format(count=more)
                    )
                )
            section.addChildren(children)
            section.setExpanded(key not in self._collapsed)
            for item in (section, *children):
                ident = (key, item.data(0, KIND_ROLE), item.data(0, VALUE_ROLE))
                if ident == keep:
                    restore = item
        if restore is not None:
            self.tree.setCurrentItem(restore)

    @staticmethod
    def _item(key: str, kind: str, value: str | None, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, KEY_ROLE, key)
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, VALUE_ROLE, value)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, text)
        return item

    def _show_chosen(self) -> None:
        """The "×" buttons, the clear button and the summary for what is chosen."""
        while self.chips_layout.count():
            taken = self.chips_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        parts = []
        for key, (_value, label) in self._chosen.items():
            name = _(FACETS[key])
            parts.append(f"{name}: {label}")
            chip = QToolButton()
            chip.setObjectName("searchFacetChip")
            chip.setText(f"× {name}: {label}")
            spoken = _("Remove filter {facet}: {value}").format(facet=name, value=label)
            chip.setAccessibleName(spoken)
            chip.setToolTip(spoken)
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _checked=False, k=key: self.remove(k))
            self.chips_layout.addWidget(chip)
        self.chips.setVisible(bool(parts))
        self.clear_button.setVisible(bool(parts))
        text = _("Filters: {filters}").format(filters="; ".join(parts)) if parts else ""
        self.summary.setText(text)
        self.summary.setAccessibleName(text or _("No filters chosen"))
        self.summary.setVisible(bool(parts))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Space or Enter on a value chooses it; on a section it opens or closes it."""
        plain = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _KEYS
            and event.modifiers() in plain
        ):
            item = self.tree.currentItem()
            if item is not None and item.data(0, KIND_ROLE) == SECTION:
                item.setExpanded(not item.isExpanded())
            elif item is not None:
                self.activate(item)
            return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        self.setAccessibleName(_("Filters"))
        self.title.setText(_("&Filters"))
        self.title.setAccessibleName(_("Filters"))
        self.chips.setAccessibleName(_("Chosen filters"))
        self.clear_button.setText(_("Clear filters"))
        self.clear_button.setAccessibleName(_("Clear filters"))
        self.tree.setAccessibleName(_("Filter values with their number of hits"))
        self.tree.setToolTip(_("Space or Enter chooses a value; choose it again to remove it"))
        self._show_chosen()
        self._fill()
