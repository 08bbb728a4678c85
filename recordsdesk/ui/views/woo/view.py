"""The Woo request window (issue 7, point 6): requests, and for the chosen one its data,
its scope, the documents in scope with their assessment, redaction and export
(Archiefbeheer › Woo-verzoeken…, Ctrl+Shift+V).

Left the requests; right the chosen request: its header, the dossiers and records
named in its scope, and every document in scope in a lazy table
(:class:`recordsdesk.ui.models.woo.DocumentsModel`, a page at a time: a request may
hold 50,000 documents). Every action is a QAction with a shortcut and a button;
Enter on a document assesses it. All work runs on the database worker; refusals
of the services are shown through :func:`recordsdesk.ui.errors.show_error` and
change nothing. Export asks for a folder and shows progress with Cancel. The steps
themselves are in :mod:`.steps`; this module builds the window and reads what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recordsdesk.archive.woo import requests
from recordsdesk.archive.woo.requests import RequestInfo
from recordsdesk.i18n import N_, _
from recordsdesk.ui.errors import show_error
from recordsdesk.ui.models.woo import (
    REQUEST_STATES,
    DocumentRow,
    DocumentsModel,
    RequestsModel,
    ScopeModel,
    beoordeling_word,
    format_date,
)
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.progress import ProgressTracker
from recordsdesk.ui.views.action_bar import ActionBar
from recordsdesk.ui.views.tables import row_table
from recordsdesk.ui.views.woo.dialogs import (
    BESLUITEN,
)
from recordsdesk.ui.views.woo.steps import RequestSteps
from recordsdesk.ui.views.woo.summary import ExportSummary

#: action name -> (text, tooltip, shortcut)
ACTIONS: Mapping[str, tuple[str, str, str]] = {
    "new": (N_("&New request…"), N_("Register a new Woo request"), "Ctrl+N"),
    "add": (N_("&Add to scope…"), N_("Add dossiers or records to the scope"), "Ctrl+Shift+A"),
    "remove": (N_("Re&move from scope…"), N_("Take the selected dossier or record out of the "
                                              "scope"), "Ctrl+Shift+Del"),
    "assess": (N_("A&ssess…"), N_("Assess the selected document (or press Enter)"), "Ctrl+B"),
    "redact": (N_("Re&dact…"), N_("Mark the areas of the selected document to black out"),
               "Ctrl+R"),
    "export": (N_("&Export…"), N_("Write the Woo package of the request into a folder"),
               "Ctrl+E"),
    "close": (N_("&Close request…"), N_("Close the request with its decision"), "Ctrl+Shift+C"),
    "reload": (N_("Read a&gain"), N_("Read the requests again"), "F5"),
}  # fmt: skip
HEADER: Mapping[str, str] = {
    "ontvangen": N_("Received:"), "uiterlijk": N_("Decide by:"), "status": N_("State:"),
    "besluit": N_("Decision:"), "documents": N_("Documents:"), "counts": N_("Assessed:"),
}  # fmt: skip


class WooRequestView(RequestSteps):
    """The window (non-modal): requests left, the chosen request right, steps below.
    Its ``updated`` signal (:class:`.steps.RequestSteps`) tells when a read has ended."""

    def __init__(self, ops: Ops, parent: QWidget | None = None, central: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("wooRequestView")
        self.ops = ops
        #: the requests of the central archive (``ops`` works there), not this workstation's
        self.central = central
        self.current: RequestInfo | None = None
        self.dialog: QWidget | None = None  # the question an action asks, while open
        self.summary: ExportSummary | None = None
        self.tracker: ProgressTracker | None = None
        #: a kenmerk offered when adding to the scope (the main window's dossier)
        self.suggestion = ""
        self._generation = 0
        self._busy = False
        self._loading = False
        self._restoring = False
        self._keep_document: str | None = None  # the document to select again after a read
        self._status: tuple[str, dict[str, object]] = (N_("Loading…"), {})

        self.requests_model = RequestsModel(self)
        self.requests_view = row_table("wooRequests", self.requests_model)
        self.requests_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        requests_header = self.requests_view.horizontalHeader()
        requests_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        requests_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.requests_label = QLabel()
        self.requests_label.setObjectName("wooRequestsLabel")
        self.requests_label.setBuddy(self.requests_view)
        self.title = QLabel()
        self.title.setObjectName("wooTitle")
        self.title.setWordWrap(True)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        header = QGridLayout()
        for n, key in enumerate(HEADER):
            label, value = QLabel(), QLabel()
            label.setObjectName(f"wooField_{key}Label")
            value.setObjectName(f"wooField_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = (label, value)
            row, column = (n % 3, 0 if n < 3 else 2)
            header.addWidget(label, row, column)
            header.addWidget(value, row, column + 1)
        header.setColumnStretch(1, 1)
        header.setColumnStretch(3, 2)
        self.scope_model = ScopeModel(self)
        self.scope_view = row_table("wooScope", self.scope_model)
        self.scope_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.scope_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.scope_label = QLabel()
        self.scope_label.setObjectName("wooScopeLabel")
        self.scope_label.setBuddy(self.scope_view)
        self.documents_model = DocumentsModel(ops, self)
        self.documents_view = row_table("wooDocuments", self.documents_model)
        self.documents_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents_view.horizontalHeader().setSectionResizeMode(
            5, QHeaderView.ResizeMode.Stretch
        )
        metrics = self.documents_view.fontMetrics()
        for column, sample in enumerate(("D-MM8K0X-9K", "S-MM8K0X-9K", "X" * 28,
                                         "Deels openbaar", "5.1.2e; 5.1.2i")):  # fmt: skip
            self.documents_view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 20)
        self.documents_label = QLabel()
        self.documents_label.setObjectName("wooDocumentsLabel")
        self.documents_label.setBuddy(self.documents_view)
        self.documents_summary = QLabel()
        self.documents_summary.setObjectName("wooDocumentsSummary")

        handlers: dict[str, Callable[[], object]] = {
            "new": self.new_request, "add": self.add_to_scope, "remove": self.remove_from_scope,
            "assess": self.assess, "redact": self.redact, "export": self.export,
            "close": self.close_request, "reload": self.reload,
        }  # fmt: skip
        self.bar = ActionBar(self, "woo", ACTIONS, handlers, gaps_after=("new", "remove", "redact"))
        self.actions_, self.buttons = self.bar.actions, self.bar.buttons
        bar = self.bar.layout
        self.documents_view.addActions([self.actions_[n] for n in ("assess", "redact")])
        self.documents_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.scope_view.addActions([self.actions_[n] for n in ("add", "remove")])
        self.scope_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.status = QLabel()
        self.status.setObjectName("wooStatus")
        self.status.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("wooClose")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        self.left_pane = left = QWidget()
        left.setObjectName("wooRequestsPane")
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.requests_label)
        left_box.addWidget(self.requests_view, 1)
        self.right_pane = right = QWidget()
        right.setObjectName("wooRequestPane")
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.title)
        right_box.addLayout(header)
        right_box.addWidget(self.scope_label)
        right_box.addWidget(self.scope_view, 1)
        right_box.addWidget(self.documents_label)
        right_box.addWidget(self.documents_view, 3)
        right_box.addWidget(self.documents_summary)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("wooSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 900])
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)
        layout.addLayout(bottom)

        self.requests_view.selectionModel().currentRowChanged.connect(self._request_chosen)
        self.documents_view.selectionModel().currentRowChanged.connect(self._update_actions)
        self.scope_view.selectionModel().currentRowChanged.connect(self._update_actions)
        self.documents_view.activated.connect(lambda _i: self.assess())
        self.documents_model.page_loaded.connect(self._page_loaded)
        QWidget.setTabOrder(self.requests_view, self.scope_view)
        QWidget.setTabOrder(self.scope_view, self.documents_view)
        self.resize(1280, 720)
        self.retranslate()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Enter belongs to the table (it assesses); QDialog would press the default
        button of whichever child dialog is open instead."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- reading --------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading or self._busy or self.documents_model.loading

    def reload(self, keep: str | None = None) -> None:
        """Read the requests, then the chosen one (or ``keep``); ``updated`` follows."""
        self._generation += 1
        generation = self._generation
        keep = keep or (self.current.nummer if self.current else None)
        self._loading = True
        self._update_actions()

        def arrived(found: list[RequestInfo]) -> None:
            if generation != self._generation:
                return
            self._restoring = True
            self.requests_model.set_requests(found)
            row = self.requests_model.row_of(keep) if keep else None
            row = row if row is not None else (0 if found else None)
            if row is not None:
                self.requests_view.setCurrentIndex(self.requests_model.index(row, 0))
            self._restoring = False
            if self._status[0] == N_("Loading…"):
                self._set_status(N_("Requests shown: {count}"), count=len(found))
            self._show(found[row].nummer if row is not None else None, generation)

        self.ops.db(requests.list_requests, arrived, self._read_failed(generation), owner=self)

    def _read_failed(self, generation: int) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._loading = False
                show_error(self, exc)
                self._fill(None)

        return failed

    def _request_chosen(self, *_args: object) -> None:
        if self._restoring:
            return
        row = self.requests_view.currentIndex().row()
        found = self.requests_model.requests
        self._generation += 1
        self._loading = True
        self._show(found[row].nummer if 0 <= row < len(found) else None, self._generation)

    def _show(self, nummer: str | None, generation: int) -> None:
        """Read the request ``nummer`` itself (scope and counts) and show it."""
        if nummer is None:
            self._fill(None)
            return

        def arrived(info: RequestInfo) -> None:
            if generation == self._generation:
                self._fill(info)

        self.ops.db(lambda ws: requests.show_request(ws, nummer), arrived,
                    self._read_failed(generation), owner=self)  # fmt: skip

    def _fill(self, info: RequestInfo | None) -> None:
        self._loading = False
        same = info is not None and self.current is not None and self.current.nummer == info.nummer
        self.current = info
        self._fill_header()
        self.scope_model.set_items(info.scope if info else ())
        keep = self.current_document() if same else None
        self.documents_model.set_request(info.nummer if info else None,
                                         info.documents if info else 0)  # fmt: skip
        self._keep_document = keep.kenmerk if keep else None
        self._update_actions()

    def _refresh_request(self) -> None:
        """Read the chosen request's data again (its counts after an assessment); the
        documents table keeps the rows read so far and the selection."""
        info, generation = self.current, self._generation
        if info is None:
            return

        def arrived(new: RequestInfo) -> None:
            if generation == self._generation:
                self.current = new
                self._fill_header()
                self._update_actions()
                if not self.loading:
                    self.updated.emit()

        self.ops.db(lambda ws: requests.show_request(ws, info.nummer), arrived,
                    self._read_failed(generation), owner=self)  # fmt: skip

    def _page_loaded(self) -> None:
        wanted = self._keep_document
        if wanted is not None and (row := self.documents_model.row_of(wanted)) is not None:
            self.documents_view.setCurrentIndex(self.documents_model.index(row, 0))
            self._keep_document = None
        elif not self.documents_view.currentIndex().isValid() and self.documents_model.rowCount():
            self.documents_view.setCurrentIndex(self.documents_model.index(0, 0))
        self._update_summary()
        self._update_actions()
        if not self.loading:
            self.updated.emit()

    def current_document(self) -> DocumentRow | None:
        index = self.documents_view.currentIndex()
        return self.documents_model.row(index.row()) if index.isValid() else None

    def select_document(self, kenmerk: str) -> bool:
        row = self.documents_model.row_of(kenmerk)
        if row is not None:
            self.documents_view.setCurrentIndex(self.documents_model.index(row, 0))
        return row is not None

    # -- actions ----------------------------------------------------------------------
    def enabled_actions(self) -> set[str]:
        return {name for name, act in self.actions_.items() if act.isEnabled()}

    def _update_actions(self, *_args: object) -> None:
        info, idle = self.current, not self._busy and not self._loading
        is_open = idle and info is not None and info.status == "open"
        document = self.current_document()
        enabled = {
            "new": not self._busy, "reload": not self._busy,
            "add": is_open, "remove": is_open and self.scope_view.currentIndex().isValid(),
            "assess": is_open and document is not None,
            "redact": is_open and document is not None,
            "export": idle and info is not None and bool(info.documents),
            "close": is_open,
        }  # fmt: skip
        for name, act in self.actions_.items():
            act.setEnabled(enabled[name])

    # -- texts ---------------------------------------------------------------------------
    def _fill_header(self) -> None:
        info = self.current
        self.title.setText(f"{info.nummer}  {info.onderwerp}" if info else _("No request chosen"))
        self.title.setAccessibleName(self.title.text())
        values: dict[str, str] = {}
        if info is not None:
            counts = ", ".join(f"{n} {beoordeling_word(code).lower()}"
                               for code, n in info.counts.items() if n)  # fmt: skip
            values = {
                "ontvangen": format_date(info.ontvangen_op),
                "uiterlijk": format_date(info.besluit_uiterlijk),
                "status": _(REQUEST_STATES.get(info.status, info.status)),
                "besluit": _(BESLUITEN[info.besluit]) if info.besluit in BESLUITEN else "–",
                "documents": str(info.documents),
                "counts": _("{counts}; {open} not assessed").format(
                    counts=counts or _("none"), open=info.unassessed),
            }  # fmt: skip
        for key, (label, value) in self.fields.items():
            value.setText(values.get(key, ""))
            name = _(HEADER[key]).rstrip(":")
            label.setText(_(HEADER[key]))
            label.setAccessibleName(name)
            value.setAccessibleName(f"{name}: {value.text()}" if value.text() else name)

    def _update_summary(self) -> None:
        model = self.documents_model
        text = _("{shown} of {total} documents shown").format(shown=model.rowCount(),
                                                              total=model.total)  # fmt: skip
        self.documents_summary.setText(text)
        self.documents_summary.setAccessibleName(text)

    def _set_status(self, msgid: str, **params: object) -> None:
        self._status = (msgid, params)
        shown = {k: beoordeling_word(str(v)).lower() if k == "beoordeling" else v
                 for k, v in params.items()}  # fmt: skip
        self.status.setText(_(msgid).format(**shown))
        self.status.setAccessibleName(self.status.text() or _("Status"))

    def retranslate(self) -> None:
        title = _("Woo requests in the central archive") if self.central else _("Woo requests")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        if self.central:  # in sight, not only in the title bar: two such windows may be open
            self.requests_label.setText(_("&Requests in the central archive"))
            requests_name = _("Requests in the central archive")
        else:
            self.requests_label.setText(_("&Requests"))
            requests_name = _("Requests")
        self.requests_label.setAccessibleName(requests_name)
        self.requests_view.setAccessibleName(requests_name)
        self.requests_view.setAccessibleDescription(
            _("Woo requests with their state and deadline; select one to see its scope")
        )
        self.scope_label.setText(_("Sc&ope: dossiers and records"))
        self.scope_label.setAccessibleName(_("Scope"))
        self.scope_view.setAccessibleName(_("Scope"))
        self.scope_view.setAccessibleDescription(_("The dossiers and records the request covers"))
        self.documents_label.setText(_("Doc&uments in scope"))
        self.documents_label.setAccessibleName(_("Documents in scope"))
        self.documents_view.setAccessibleName(_("Documents in scope"))
        self.documents_view.setAccessibleDescription(
            _("Each document with its assessment in words; Enter or a double-click assesses it")
        )
        self.splitter.setAccessibleName(_("Requests and the chosen request"))
        self.left_pane.setAccessibleName(_("Requests"))
        self.right_pane.setAccessibleName(_("The chosen request"))
        self.bar.retranslate()
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.close_button.setToolTip(_("Close this window (Esc)"))
        self.requests_model.retranslate()
        self.scope_model.retranslate()
        self.documents_model.retranslate()
        self._fill_header()
        self._update_summary()
        msgid, params = self._status
        self._set_status(msgid, **params)
