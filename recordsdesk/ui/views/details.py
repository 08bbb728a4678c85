"""The details pane: metadata of the selected record (or dossier, or inbox item) and a preview.

Metadata is a read-only labelled form: every value is a selectable label whose
accessible name is its field name, so a screen reader reads "Kenmerk:
S-…". Loading happens on the workers; answers for an earlier selection are
dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recordsdesk import services
from recordsdesk.i18n import N_, _
from recordsdesk.intake.inbox import InboxItemInfo
from recordsdesk.services.dto import DossierDetail, RecordDetail
from recordsdesk.services.holds import HoldInfo
from recordsdesk.ui.formatting import (
    format_bytes,
    format_datetime,
    format_size,
    status_name,
    type_name,
)
from recordsdesk.ui.models.inbox import state_name
from recordsdesk.ui.models.inbox_facts import describe_facts
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.preview import (
    PreviewData,
    PreviewPane,
    load_object_preview,
    load_preview,
)

#: below this many characters of room the details put each label above its value
SIDE_BY_SIDE_CHARS = 40
# MDTO "Begrippenlijst Waarderingen": domain terms, the same in both languages.
WAARDERINGEN = {"B": "Blijvend te bewaren", "V": "Tijdelijk te bewaren", "N": "Nader te bepalen"}

Field = tuple[str, str]  # (msgid of the label, value as shown)


def _waardering(code: str) -> str:
    name = WAARDERINGEN.get(code)
    return f"{code} ({name})" if name else code


def record_fields(detail: RecordDetail) -> list[Field]:
    fields: list[Field] = [
        (N_("Kenmerk"), detail.kenmerk),
        (N_("Title"), detail.title),
        (N_("Dossier"), detail.dossier_kenmerk),
        (N_("Status"), status_name(detail.status)),
        (N_("Waardering"), _waardering(detail.waardering)),
        (N_("Archiefvormer"), detail.archiefvormer),
        (N_("Beperking gebruik"), detail.beperking_gebruik),
        (N_("Filed on"), format_datetime(detail.created_at)),
        (N_("Filed by"), detail.created_by),
    ]
    if detail.omschrijving:
        fields.insert(2, (N_("Description"), detail.omschrijving))
    fields[3:3] = _hold_fields(detail.holds)
    if len(detail.files) > 1:
        fields.append((N_("Files"), str(len(detail.files))))
    if detail.files:
        first = detail.files[0]
        fields += [
            (N_("File name"), first.name),
            (N_("Type"), f"{type_name(first.mime)} ({first.mime})"),
            (N_("PRONOM"), first.puid or "–"),
            (N_("Size"), f"{format_size(first.size)} ({format_bytes(first.size)})"),
            (N_("SHA-256"), first.sha256),
        ]
    return fields


def dossier_fields(detail: DossierDetail) -> list[Field]:
    fields: list[Field] = [
        (N_("Kenmerk"), detail.kenmerk),
        (N_("Title"), detail.title),
        (N_("Status"), status_name(detail.status)),
        (N_("Records"), str(len(detail.records))),
        (N_("Waardering"), _waardering(detail.waardering)),
        (N_("Archiefvormer"), detail.archiefvormer),
        (N_("Beperking gebruik"), detail.beperking_gebruik),
        (N_("Classificatie"), detail.classificatie or "–"),
        (N_("Created on"), format_datetime(detail.created_at)),
        (N_("Created by"), detail.created_by),
    ]
    if detail.omschrijving:
        fields.insert(2, (N_("Description"), detail.omschrijving))
    fields[3:3] = _hold_fields(detail.holds)
    return fields


def _hold_fields(holds: tuple[HoldInfo, ...]) -> list[Field]:
    """One line per active legal hold, right under the status: it stops destruction and
    transfer, so whoever looks at the dossier must see it."""
    return [
        (
            N_("Legal hold"),
            _("{reason} (on {kenmerk} since {date}, by {who})").format(
                reason=hold.reason,
                kenmerk=hold.kenmerk,
                date=format_datetime(hold.placed_at),
                who=hold.placed_by,
            ),
        )
        for hold in holds
    ]


def inbox_fields(item: InboxItemInfo) -> list[Field]:
    """Name, state, type, size, checksum, source, the quarantine reason and what intake found."""
    kind = f"{type_name(item.mime)} ({item.mime})" if item.mime else "–"
    fields: list[Field] = [
        (N_("File name"), item.name),
        (N_("Status"), state_name(item.state)),
        (N_("Type"), kind),
        (N_("PRONOM"), item.puid or "–"),
        (N_("Size"), f"{format_size(item.size)} ({format_bytes(item.size)})"),
        (N_("SHA-256"), item.sha256 or "–"),
        (N_("Source"), item.source),
    ]
    if item.reason:
        fields.append((N_("Reason"), item.reason))
    found = describe_facts(item.facts)
    if found:
        fields.append((N_("Found by intake"), found))
    return fields


class DetailsPane(QWidget):
    """Heading, metadata form and preview of what is selected.

    Signals:
        shown: metadata for the current selection is on screen.
        preview_shown: the preview finished (argument: the ``PreviewData``).
    """

    shown = Signal()
    preview_shown = Signal(object)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._ticket = 0
        #: the inbox item shown (``None`` while a record, dossier or nothing is shown)
        self.inbox_item: InboxItemInfo | None = None
        #: the widget before the metadata fields in the focus chain (the record list)
        self.tab_after: QWidget | None = None
        self._render: Callable[[], tuple[str, list[Field]]] = lambda: (
            _("Nothing selected"),
            [],
        )
        self.heading = QLabel()
        self.heading.setObjectName("detailsHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setVerticalSpacing(3)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidget(self.form_host)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.viewport().installEventFilter(self)  # its width sets the layout
        self.preview = PreviewPane()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("detailsSplitter")
        self.splitter.addWidget(self.form_scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([330, 390])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.splitter)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.form_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the same room holds fewer characters
            self._fit_rows()

    def _fit_rows(self) -> None:
        """Labels beside their values while the pane holds about :data:`SIDE_BY_SIDE_CHARS`
        characters of the current font, above them when it is narrower (a large font, a
        narrow pane), so a kenmerk or a long word is never cut at the edge."""
        room = self.form_scroll.viewport().width()
        chars = room / max(1, self.fontMetrics().averageCharWidth())
        wanted = (
            QFormLayout.RowWrapPolicy.DontWrapRows
            if chars >= SIDE_BY_SIDE_CHARS
            else QFormLayout.RowWrapPolicy.WrapAllRows
        )
        if self.form.rowWrapPolicy() != wanted:
            self.form.setRowWrapPolicy(wanted)
            self.form.setLabelAlignment(
                Qt.AlignmentFlag.AlignRight
                if wanted == QFormLayout.RowWrapPolicy.DontWrapRows
                else Qt.AlignmentFlag.AlignLeft
            )

    # -- what to show -------------------------------------------------------
    def show_nothing(self) -> None:
        self._ticket += 1
        self.inbox_item = None
        self._render = lambda: (_("Nothing selected"), [])
        self._refresh()
        self.preview.show_message(N_("Select a record to see its contents."))

    def show_dossier(self, dossier_id: str) -> None:
        ticket = self._next()
        self.preview.show_message(N_("Select a record in the list to see its contents."))

        def arrived(detail: DossierDetail) -> None:
            if ticket == self._ticket:
                self._render = lambda: (
                    _("Dossier {kenmerk}").format(kenmerk=detail.kenmerk),
                    dossier_fields(detail),
                )
                self._refresh()
                self.shown.emit()

        self._ops.db(lambda ws: services.dossier_detail(ws, dossier_id), arrived, owner=self)

    def show_record(self, record_id: str) -> None:
        ticket = self._next()
        self.preview.show_message(N_("Loading…"))

        def arrived(detail: RecordDetail) -> None:
            if ticket != self._ticket:
                return
            self._render = lambda: (
                _("Record {kenmerk}").format(kenmerk=detail.kenmerk),
                record_fields(detail),
            )
            self._refresh()
            self.shown.emit()
            if detail.files:
                bestand_id = detail.files[0].id
                self._ops.io(lambda ws: load_preview(ws, bestand_id), previewed, owner=self)
            else:
                self.preview.show_message(N_("This record has no files."))

        def previewed(data: PreviewData) -> None:
            if ticket == self._ticket:
                self.preview.show_data(data)
                self.preview_shown.emit(data)

        self._ops.db(lambda ws: services.record_detail(ws, record_id), arrived, owner=self)

    def show_inbox_item(self, item: InboxItemInfo) -> None:
        """Its facts at once; its content, checked against its hash, from the IO pool."""
        ticket = self._next()
        self.update_inbox_item(item)
        if item.sha256 is None:
            self.preview.show_message(N_("No content stored yet."))
            return
        self.preview.show_message(N_("Loading…"))
        sha256, mime, name = item.sha256, item.mime or "", item.name

        def previewed(data: PreviewData) -> None:
            if ticket == self._ticket:
                self.preview.show_data(data)
                self.preview_shown.emit(data)

        self._ops.io(lambda ws: load_object_preview(ws, sha256, mime, name), previewed, owner=self)

    def update_inbox_item(self, item: InboxItemInfo) -> None:
        """Show the item's facts again (a new read: its state or reason may have changed)."""
        self.inbox_item = item
        self._render = lambda: (
            _("Inbox item {name}").format(name=item.name),
            inbox_fields(item),
        )
        self._refresh()
        self.shown.emit()

    def _next(self) -> int:
        self._ticket += 1
        self.inbox_item = None
        self._render = lambda: (_("Loading…"), [])
        self._refresh()
        return self._ticket

    # -- drawing ------------------------------------------------------------
    def field_value(self, msgid: str) -> str | None:
        """The value shown for a field (tests and accessibility checks)."""
        for label, value in self._render()[1]:
            if label == msgid:
                return value
        return None

    def _refresh(self) -> None:
        heading, fields = self._render()
        self.heading.setText(heading)
        self.heading.setAccessibleName(heading)
        while self.form.rowCount():
            self.form.removeRow(0)
        previous = self.tab_after
        for msgid, value in fields:
            name = QLabel(_("{field}:").format(field=_(msgid)))
            shown = self._value_widget(msgid, value)
            shown.setAccessibleName(_(msgid))
            shown.setAccessibleDescription(value)
            name.setBuddy(shown)
            self.form.addRow(name, shown)
            if previous is not None:
                QWidget.setTabOrder(previous, shown)
            previous = shown

    @staticmethod
    def _value_widget(msgid: str, value: str) -> QWidget:
        """A selectable label; a checksum in a fixed-width font, on two lines of 32."""
        label = QLabel(value)
        if msgid == N_("SHA-256"):
            label.setText(f"{value[:32]}\n{value[32:]}")
            label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            label.setToolTip(value)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return label

    def retranslate(self) -> None:
        self.setAccessibleName(_("Details"))
        self.form_scroll.setAccessibleName(_("Metadata"))
        self.preview.retranslate()
        self._refresh()
