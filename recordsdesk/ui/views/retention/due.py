"""The due list view (issue 5, point 4): what may be destroyed or transferred on a day.

Shows :func:`recordsdesk.services.due.due` for the day in the date picker
(default today) in four tabs: destruction candidates (V), transfer candidates
(B), held dossiers (with the reasons of their holds) and dossiers whose
archiefactiedatum is still to be determined (with the reason). Filters narrow
all four tabs at once: procestype, Serie, year of the archiefactiedatum and
Selectielijst result; each tab's title counts the rows it shows under the
filters, and the line below says how many of the due dossiers that is.

"Serie" is the Serie the dossier is directly in. It stands in for the
department, which the issue names as a filter but which is not modelled until
the central archive issue (organisation units); the filter will change to the
department then.

Threads: the list is read on the database worker (chunked, see the service),
with a progress dialog and Cancel when it is slow; filtering and the filter
choices are computed off the GUI thread too (on the IO pool), so a list of a
million dossiers does not freeze the window. The tables are
:class:`DueTableModel` over the filtered items, shown a page at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.errors import NotFoundError
from recordsdesk.i18n import N_, _, current_language
from recordsdesk.retention import selectielijst as sl
from recordsdesk.services import Workspace
from recordsdesk.services.due import DueItem, DueList, due
from recordsdesk.tasks import Cancelled, CancelToken
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.models.cells import OneCallPerCell
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.tables import row_table

Index = QModelIndex | QPersistentModelIndex

#: rows added to a table per fetchMore (as the dossier list does)
PAGE = 500
#: the date picker waits this long before reading the list again (typing a date)
DATE_DELAY_MS = 400

#: the sections, in tab order, with their titles (msgids)
SECTIONS: Mapping[str, str] = {
    "destroy": N_("To destroy (V)"),
    "transfer": N_("To transfer (B)"),
    "held": N_("Held"),
    "undetermined": N_("To be determined"),
}
#: what each section holds (the tab's tooltip and accessible description; msgids)
SECTION_TIPS: Mapping[str, str] = {
    "destroy": N_("Closed dossiers with waardering V whose archiefactiedatum has passed"),
    "transfer": N_("Closed dossiers with waardering B whose archiefactiedatum has passed"),
    "held": N_("Due dossiers that a legal hold keeps: they wait until it is lifted"),
    "undetermined": N_("Closed dossiers whose archiefactiedatum cannot be derived yet"),
}
#: the note column's header per section (destroy and transfer have none)
NOTE_HEADERS: Mapping[str, str] = {"held": N_("Holds"), "undetermined": N_("Reason")}
#: the filter value for "dossiers that are in no Serie" (None means: no filter)
NO_SERIE = ""


# -- the data (plain values, computed on worker threads) -------------------------------


@dataclass(frozen=True)
class DueFilters:
    """What the user narrowed the list to; ``None`` is "all"."""

    procestype: int | None = None
    serie: str | None = None  # NO_SERIE: dossiers in no Serie
    year: int | None = None  # of the archiefactiedatum
    resultaat: str | None = None  # as DueItem.resultaat: "2020 1.5"

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.procestype, self.serie, self.year, self.resultaat))

    def matches(self, item: DueItem) -> bool:
        if self.procestype is not None and item.procestype != self.procestype:
            return False
        if self.serie is not None and (item.serie or NO_SERIE) != self.serie:
            return False
        if self.year is not None and (
            item.archiefactiedatum is None or item.archiefactiedatum.year != self.year
        ):
            return False
        return self.resultaat is None or item.resultaat == self.resultaat


@dataclass(frozen=True)
class DueChoices:
    """The values the filters offer: those that occur in the due list."""

    procestypen: list[tuple[int, str]] = field(default_factory=list)  # (nummer, label)
    series: list[str] = field(default_factory=list)
    no_serie: bool = False
    years: list[int] = field(default_factory=list)
    resultaten: list[tuple[str, str]] = field(default_factory=list)  # (value, label)


@dataclass(frozen=True)
class DueData:
    due: DueList
    choices: DueChoices

    @property
    def total(self) -> int:
        return sum(len(self.section(name)) for name in SECTIONS)

    def section(self, name: str) -> list[DueItem]:
        items: list[DueItem] = getattr(self.due, name)
        return items


def load_due(
    ws: Workspace,
    on: dt.date,
    progress: Callable[[int], None] | None = None,
    cancel: CancelToken | None = None,
) -> DueData:
    """Runs on the database worker: the due list and the filter choices it offers."""
    listed = due(ws, on, progress=progress, cancel=cancel)
    return DueData(listed, choices_for(listed))


def choices_for(listed: DueList) -> DueChoices:
    types: set[tuple[int, int]] = set()  # (jaar, procestype)
    series: set[str] = set()
    no_serie = False
    years: set[int] = set()
    results: set[str] = set()
    for name in SECTIONS:
        for item in getattr(listed, name):
            if item.resultaat:
                results.add(item.resultaat)
                jaar = _jaar(item.resultaat)
                if item.procestype is not None and jaar is not None:
                    types.add((jaar, item.procestype))
            if item.serie:
                series.add(item.serie)
            else:
                no_serie = True
            if item.archiefactiedatum is not None:
                years.add(item.archiefactiedatum.year)
    type_labels: dict[int, str] = {}
    for jaar, nummer in sorted(types):
        try:
            type_labels[nummer] = f"{nummer}. {sl.procestype(jaar, nummer).naam}"
        except NotFoundError:
            type_labels.setdefault(nummer, str(nummer))
    return DueChoices(
        procestypen=sorted(type_labels.items()),
        series=sorted(series, key=str.casefold),
        no_serie=no_serie,
        years=sorted(years),
        resultaten=[(r, result_label(r)) for r in sorted(results, key=_result_key)],
    )


def filter_due(data: DueData, filters: DueFilters) -> dict[str, list[DueItem]]:
    """Runs off the GUI thread: each section's items that pass ``filters``."""
    if not filters.active:
        return {name: data.section(name) for name in SECTIONS}
    return {name: [i for i in data.section(name) if filters.matches(i)] for name in SECTIONS}


def result_label(resultaat: str | None) -> str:
    """ "2020 1.5" -> "1.5 Afgebroken (2020)"; the stored text if the list does not know it."""
    if not resultaat:
        return ""
    jaar, _sep, nummer = resultaat.partition(" ")
    try:
        found = sl.resultaat(int(jaar), nummer)
    except (NotFoundError, ValueError):
        return resultaat
    return f"{found.volledig_nummer} {found.naam} ({found.jaar})"


def _jaar(resultaat: str) -> int | None:
    head = resultaat.partition(" ")[0]
    return int(head) if head.isdigit() else None


def _result_key(resultaat: str) -> tuple[int, tuple[int, ...]]:
    jaar, _sep, nummer = resultaat.partition(" ")
    return (int(jaar) if jaar.isdigit() else 0, sl.number_key(nummer))


def format_day(day: dt.date | None) -> str:
    """Day first in Dutch (``29-11-2026``), ISO in English."""
    if day is None:
        return ""
    return day.strftime("%d-%m-%Y") if current_language() == "nl" else day.isoformat()


# -- the table model --------------------------------------------------------------------


class DueTableModel(OneCallPerCell, QAbstractTableModel):
    """One section's (filtered) items, shown :data:`PAGE` rows at a time.

    The items are already in memory (the service keeps only due ones); paging
    keeps the view from laying out a hundred thousand rows at once, the way
    :class:`~recordsdesk.ui.models.lazy.LazyIdModel` does for the dossier list.
    """

    BASE_COLUMNS = (
        N_("Kenmerk"),
        N_("Name"),
        N_("Serie"),
        N_("Selectielijst result"),
        N_("Closed on"),
        N_("Archiefactiedatum"),
    )

    def __init__(self, section: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.section = section
        note = NOTE_HEADERS.get(section)
        self.columns: tuple[str, ...] = self.BASE_COLUMNS + ((note,) if note else ())
        self._items: Sequence[DueItem] = ()
        self._visible = 0

    def set_items(self, items: Sequence[DueItem]) -> None:
        self.beginResetModel()
        self._items = items
        self._visible = min(len(items), PAGE)
        self.endResetModel()

    @property
    def total(self) -> int:
        """All rows under the filters (not only the ones paged in)."""
        return len(self._items)

    def item(self, row: int) -> DueItem | None:
        return self._items[row] if 0 <= row < self._visible else None

    def kenmerken(self) -> list[str]:
        return [i.kenmerk for i in self._items]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._visible

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._visible < len(self._items)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        count = min(PAGE, len(self._items) - self._visible)
        if parent.isValid() or count <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._visible, self._visible + count - 1)
        self._visible += count
        self.endInsertRows()

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section])
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return self.text(item, index.column())

    def text(self, item: DueItem, column: int) -> str:
        if column == 0:
            return item.kenmerk
        if column == 1:
            return item.naam
        if column == 2:
            return item.serie or ""
        if column == 3:
            return result_label(item.resultaat)
        if column == 4:
            return format_day(item.gesloten_op)
        if column == 5:
            return format_day(item.archiefactiedatum)
        if column == 6:
            if item.note and self.section == "undetermined":
                return _(item.note)  # the service keeps why the date is open as a msgid
            if item.note:
                return item.note
            if self.section == "held":  # the service names only a dossier's own holds
                return _("A hold on the Serie above it")
        return ""

    def retranslate(self) -> None:
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._visible:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._visible - 1, len(self.columns) - 1)
            )


# -- the view ---------------------------------------------------------------------------


class DueListView(QDialog):
    """A non-modal window with the due list, its filters and counts.

    Signals:
        loaded: a due list was read (before the filters are applied to it).
        updated: the tables and counts show the current list under the current filters.
        dossier_activated: a row was double-clicked or Enter pressed on it (argument:
            the dossier's id; the main window selects that dossier).
    """

    loaded = Signal()
    updated = Signal()
    dossier_activated = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueListView")
        self.ops = ops
        self.data: DueData | None = None
        self.shown_on: dt.date | None = None
        self._load_generation = 0
        self._filter_generation = 0
        self._loading = False
        self._status: tuple[str, dict[str, object]] = (N_("Loading…"), {})

        self.on_label = QLabel()
        self.on_label.setObjectName("dueOnLabel")
        self.on_edit = QDateEdit()
        self.on_edit.setObjectName("dueOn")
        self.on_edit.setCalendarPopup(True)
        self.on_edit.setDate(QDate.currentDate())
        self.on_label.setBuddy(self.on_edit)
        self.reload_button = QPushButton()
        self.reload_button.setObjectName("dueReload")
        self.reload_button.setAutoDefault(False)

        self.procestype_label = QLabel()
        self.procestype_label.setObjectName("dueProcestypeLabel")
        self.procestype_filter = self._combo("dueProcestype", self.procestype_label)
        self.serie_label = QLabel()
        self.serie_label.setObjectName("dueSerieLabel")
        self.serie_filter = self._combo("dueSerie", self.serie_label)
        self.year_label = QLabel()
        self.year_label.setObjectName("dueYearLabel")
        self.year_filter = self._combo("dueYear", self.year_label)
        self.result_label = QLabel()
        self.result_label.setObjectName("dueResultLabel")
        self.result_filter = self._combo("dueResult", self.result_label)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("dueClearFilters")
        self.clear_button.setAutoDefault(False)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("dueTabs")
        self.models: dict[str, DueTableModel] = {}
        self.views: dict[str, QTableView] = {}
        for name in SECTIONS:
            model = DueTableModel(name, self)
            view = _table(model, f"due_{name}")
            self.models[name], self.views[name] = model, view
            view.activated.connect(lambda index, m=model: self._activated(m, index))
            self.tabs.addTab(view, "")
        self.summary = QLabel()
        self.summary.setObjectName("dueSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.close_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setObjectName("dueClose")
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.on_label)
        top.addWidget(self.on_edit)
        top.addWidget(self.reload_button)
        top.addStretch(1)
        filters = QGridLayout()
        pairs = (
            (self.procestype_label, self.procestype_filter),
            (self.serie_label, self.serie_filter),
            (self.year_label, self.year_filter),
            (self.result_label, self.result_filter),
        )
        for column, (label, combo) in enumerate(pairs):
            filters.addWidget(label, 0, column)
            filters.addWidget(combo, 1, column)
            filters.setColumnStretch(column, 2 if column in (0, 3) else 1)
        filters.addWidget(self.clear_button, 1, len(pairs))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self._date_timer = QTimer(self, singleShot=True, interval=DATE_DELAY_MS)
        self._date_timer.timeout.connect(self.reload)
        self.on_edit.dateChanged.connect(lambda _d: self._date_timer.start())
        self.reload_button.clicked.connect(self.reload)
        for combo in (
            self.procestype_filter,
            self.serie_filter,
            self.year_filter,
            self.result_filter,
        ):
            combo.currentIndexChanged.connect(lambda _i: self.refilter())
        self.clear_button.clicked.connect(self.clear_filters)
        self.resize(1100, 640)
        self.retranslate()

    @staticmethod
    def _combo(name: str, label: QLabel) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        label.setBuddy(combo)
        return combo

    # -- reading ------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    def on(self) -> dt.date:
        day = self.on_edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def set_on(self, day: dt.date) -> None:
        """Show the list on ``day`` (read at once, not after the typing delay)."""
        self.on_edit.setDate(QDate(day.year, day.month, day.day))
        self._date_timer.stop()
        self.reload()

    def reload(self) -> None:
        """Read the due list for the chosen day on the database worker."""
        self._date_timer.stop()
        self._load_generation += 1
        generation = self._load_generation
        day = self.on()
        self._loading = True
        self._set_status(N_("Reading the due list on {date}…"), date=format_day(day))
        tracker = ProgressTracker(self, _("Reading the due list…"), indeterminate=True)
        read_label = _("{count} dossiers read")

        def report(count: int) -> None:  # on the worker: only stores the numbers
            tracker.report(count, 0, read_label.format(count=count))

        def arrived(data: DueData) -> None:
            tracker.finish()
            if generation != self._load_generation:
                return
            self.data, self.shown_on = data, day
            self._fill_choices(data.choices)
            self.loaded.emit()
            self.refilter()

        def failed(exc: BaseException) -> None:
            tracker.finish()
            if generation != self._load_generation:
                return
            self._loading = False
            if isinstance(exc, Cancelled):
                self._set_status(N_("Reading the due list was cancelled."))
            else:
                self._set_status(N_("The due list could not be read."))
                show_error(self, exc)
            self.updated.emit()

        token = tracker.token
        self.ops.db(lambda ws: load_due(ws, day, report, token), arrived, failed, owner=self)
        tracker.start()

    def _activated(self, model: DueTableModel, index: QModelIndex) -> None:
        item = model.item(index.row())
        if item is not None and item.object_id is not None:
            self.dossier_activated.emit(item.object_id)

    # -- filters --------------------------------------------------------------------
    def filters(self) -> DueFilters:
        return DueFilters(
            procestype=self.procestype_filter.currentData(),
            serie=self.serie_filter.currentData(),
            year=self.year_filter.currentData(),
            resultaat=self.result_filter.currentData(),
        )

    def set_filters(self, filters: DueFilters) -> bool:
        """Choose these filter values (False if one is not offered); rows follow."""
        wanted = (
            (self.procestype_filter, filters.procestype),
            (self.serie_filter, filters.serie),
            (self.year_filter, filters.year),
            (self.result_filter, filters.resultaat),
        )
        indexes = [combo.findData(value) if value is not None else 0 for combo, value in wanted]
        if any(i < 0 for i in indexes):
            return False
        for (combo, _value), index in zip(wanted, indexes, strict=True):
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.refilter()
        return True

    def clear_filters(self) -> None:
        self.set_filters(DueFilters())

    def refilter(self) -> None:
        """Apply the filters to the list read (off the GUI thread); ``updated`` follows."""
        data = self.data
        if data is None:
            return
        self._filter_generation += 1
        generation = self._filter_generation
        filters = self.filters()
        self._loading = True

        def filtered(sections: dict[str, list[DueItem]]) -> None:
            if generation != self._filter_generation or data is not self.data:
                return
            for name, items in sections.items():
                self.models[name].set_items(items)
            self._loading = False
            self._update_counts()
            self.updated.emit()

        self.ops.io(lambda _ws: filter_due(data, filters), filtered, owner=self)

    def _fill_choices(self, choices: DueChoices) -> None:
        def fill(combo: QComboBox, options: list[tuple[Any, str]]) -> None:
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All"), None)
            for value, label in options:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(keep)) if keep is not None else 0)
            combo.blockSignals(False)

        fill(self.procestype_filter, list(choices.procestypen))
        series: list[tuple[Any, str]] = [(s, s) for s in choices.series]
        if choices.no_serie:
            series.append((NO_SERIE, _("(in no Serie)")))
        fill(self.serie_filter, series)
        fill(self.year_filter, [(y, str(y)) for y in choices.years])
        fill(self.result_filter, list(choices.resultaten))

    # -- counts and texts -------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per section under the current filters."""
        return {name: model.total for name, model in self.models.items()}

    def _update_counts(self) -> None:
        for position, (name, title) in enumerate(SECTIONS.items()):
            text = _("{title} ({count})").format(title=_(title), count=self.models[name].total)
            self.tabs.setTabText(position, text)
            self.tabs.setTabToolTip(position, _(SECTION_TIPS[name]))
            self.views[name].setAccessibleName(text)
            self.views[name].setAccessibleDescription(
                _("Double-click a dossier or press Enter to select it in the main window.")
            )
        data = self.data
        if data is None:
            return
        shown = sum(self.counts().values())
        day = format_day(self.shown_on)
        if self.filters().active:
            self._set_status(
                N_("{shown} of the {total} dossiers on the due list on {date} match the filters."),
                shown=shown,
                total=data.total,
                date=day,
            )
        else:
            self._set_status(
                N_("{total} dossiers on the due list on {date}."), total=data.total, date=day
            )

    def _set_status(self, msgid: str, **params: object) -> None:
        self._status = (msgid, params)
        text = _(msgid).format(**params)
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Due list"))
        self.setAccessibleName(_("Due list"))
        self.on_label.setText(_("Due &on:"))
        self.on_label.setAccessibleName(_("Due on"))
        self.on_edit.setAccessibleName(_("Due on this day"))
        self.on_edit.setToolTip(_("Dossiers whose archiefactiedatum is on or before this day"))
        self.on_edit.setDisplayFormat("dd-MM-yyyy" if current_language() == "nl" else "yyyy-MM-dd")
        self.reload_button.setText(_("&Read again"))
        self.reload_button.setAccessibleName(_("Read the due list again"))
        self.reload_button.setToolTip(_("Read the due list again for the chosen day"))
        texts = (
            (self.procestype_label, self.procestype_filter, N_("&Procestype:"), N_("Procestype")),
            (self.serie_label, self.serie_filter, N_("S&erie:"), N_("Serie")),
            (self.year_label, self.year_filter, N_("&Year:"), N_("Year of the archiefactiedatum")),
            (
                self.result_label,
                self.result_filter,
                N_("Selectielijst re&sult:"),
                N_("Selectielijst result"),
            ),
        )
        for label, combo, label_text, name in texts:
            label.setText(_(label_text))
            label.setAccessibleName(_(label_text).replace("&", "").rstrip(":"))
            combo.setAccessibleName(_("Filter: {name}").format(name=_(name)))
            combo.setAccessibleDescription(
                _("Show only the dossiers with this value; All: no filter")
            )
            if combo.count():
                combo.setItemText(0, _("All"))
        self.serie_filter.setToolTip(
            _("The Serie the dossier is in (in place of the department, not yet recorded)")
        )
        self.clear_button.setText(_("&Clear filters"))
        self.clear_button.setAccessibleName(_("Clear the filters"))
        self.clear_button.setToolTip(_("Show every due dossier again"))
        self.tabs.setAccessibleName(_("Sections of the due list"))
        self.tabs.setAccessibleDescription(_("Ctrl+Tab moves to the next section"))
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setToolTip(_("Close this window (Esc)"))
        for model in self.models.values():
            model.retranslate()
        self._update_counts()
        msgid, params = self._status
        self._set_status(msgid, **params)


def _table(model: DueTableModel, name: str) -> QTableView:
    view = row_table(name, model)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    # the reason takes the rest where there is one (it is the longest), else the name
    header.setSectionResizeMode(model.columnCount() - 1 if model.section in NOTE_HEADERS else 1,
                                QHeaderView.ResizeMode.Stretch)  # fmt: skip
    metrics = view.fontMetrics()
    samples = {0: "D-MM8K0X-9K", 1: "X" * 22, 2: "X" * 14, 3: "11.1.2 Afgebroken (2020)"}
    for column, sample in samples.items():
        view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)
    for column in (4, 5):
        view.setColumnWidth(column, metrics.horizontalAdvance("Archiefactiedatum") + 16)
    return view
