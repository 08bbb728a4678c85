"""A view asks each cell it paints in one call into Python (``multiData``), and what it
gets is what ``data`` says: one paint of a screenful is otherwise some 800 calls, each
waiting for the interpreter lock while a worker thread runs Python (see
recordsdesk.ui.models.cells)."""

from __future__ import annotations

import datetime as dt
import sys
from types import FrameType

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, QModelRoleData, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from recordsdesk.archive.sync.outbox import ObjectSync
from recordsdesk.intake.inbox import InboxItemInfo
from recordsdesk.ui.models.cells import OneCallPerCell
from recordsdesk.ui.models.dossiers import DossierListRow, DossierModel
from recordsdesk.ui.models.inbox import NAME, SIZE, InboxModel
from recordsdesk.ui.models.records import RecordListRow, RecordModel
from recordsdesk.ui.ops import Ops

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
)


class Calls:
    """Counts, during a paint, the calls of a model's ``data`` that came from Qt directly
    (one per role) and the cells asked through ``multiData`` (one call per cell)."""

    def __init__(self) -> None:
        self.per_cell = 0
        self.per_role = 0

    def __call__(self, frame: FrameType, event: str, arg: object) -> None:
        if event != "call":
            return
        if frame.f_code is OneCallPerCell.multiData.__code__:
            self.per_cell += 1
        elif frame.f_code is InboxModel.data.__code__:
            caller = frame.f_back
            if caller is None or caller.f_code is not OneCallPerCell.multiData.__code__:
                self.per_role += 1


def items(count: int) -> list[InboxItemInfo]:
    return [
        InboxItemInfo(
            id=f"item-{n}",
            state="ready",
            name=f"scan-{n:03d}.pdf",
            source="/scanner",
            size=1000 * (n + 1),
            sha256=None,
            mime="application/pdf",
            puid="fmt/276",
            reason=None,
            record_id=None,
        )
        for n in range(count)
    ]


def test_a_paint_asks_each_cell_once(qtbot: QtBot) -> None:
    model = InboxModel()
    model.set_items(items(200))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 400)
    with qtbot.waitExposed(view):
        view.show()
    calls = Calls()
    sys.setprofile(calls)
    try:
        view.viewport().repaint()
    finally:
        sys.setprofile(None)
    assert calls.per_cell > 20, "the visible cells were painted"
    assert calls.per_role == 0, "no cell was asked role by role"


def test_the_view_gets_what_data_says(qtbot: QtBot) -> None:
    model = InboxModel()
    model.set_items(items(3))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    for column in (NAME, SIZE):
        index = model.index(1, column)
        option = QStyleOptionViewItem()
        view.itemDelegate().initStyleOption(option, index)  # what a paint does
        assert option.text == model.data(index)
        for role in ROLES:
            asked = QModelRoleData(role)
            model.multiData(index, asked)
            assert asked.data() == model.data(index, role), role
    alignment = model.index(0, SIZE).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment == int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def test_an_invalid_or_stale_index_shows_nothing() -> None:
    model = InboxModel()
    model.set_items(items(2))
    assert model.data(QModelIndex()) is None
    stale = QPersistentModelIndex(model.index(1, NAME))
    model.set_items(items(1))  # the row went away
    assert model.data(model.createIndex(5, NAME)) is None
    assert stale.data() is None


ALL_ROLES = [
    *range(0, 32),
    *range(int(Qt.ItemDataRole.UserRole), int(Qt.ItemDataRole.UserRole) + 8),
]


def test_the_lists_answer_no_role_they_do_not_declare(ops: Ops) -> None:
    """A role a model answers but does not declare would never reach a view's paint."""
    when = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    inbox = InboxModel()
    inbox.set_items(items(1))
    record = RecordListRow("id", "R-1", "Besluit", when, 1, "application/pdf", 2048,
                           ObjectSync("pending", 2, 1024))  # fmt: skip
    dossier = DossierListRow("id", "D-1", "Vergunning", "open", 3, when, ObjectSync("conflict"))
    answered: dict[str, set[int]] = {}
    for column in range(len(inbox.columns)):
        index = inbox.index(0, column)
        answered.setdefault("inbox", set()).update(
            role for role in ALL_ROLES if inbox.data(index, role) is not None
        )
    for name, model, row in (
        ("records", RecordModel(ops), record),
        ("dossiers", DossierModel(ops), dossier),
    ):
        for column in range(len(model.columns)):
            answered.setdefault(name, set()).update(
                role
                for role in ALL_ROLES
                if model.cell(row, column, role) is not None  # type: ignore[arg-type]
            )
    assert answered["inbox"] <= InboxModel.answered_roles  # type: ignore[operator]
    assert answered["records"] <= RecordModel.answered_roles  # type: ignore[operator]
    assert answered["dossiers"] <= DossierModel.answered_roles  # type: ignore[operator]
    assert int(Qt.ItemDataRole.DisplayRole) in answered["records"]
