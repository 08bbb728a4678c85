"""One call from Qt into Python per cell a view paints.

A view's delegate asks a cell for some seven roles at once (``multiData``: text,
icon, font, alignment, colours, check state); Qt's default answers by calling
``data`` once per role, so one paint of a screenful of a five-column list is some
800 calls from C++ into Python. Every such call takes the interpreter lock, and
while another thread of the window runs Python (reading the database) each one
first waits for the lock to be handed over: one paint of the inbox took 130 ms
with one busy thread beside it, 9 ms without (benchmark ``heartbeat``; the numbers
are in ``benchmarks/README.md``). :class:`OneCallPerCell` answers all the roles of a
cell in one call: 13 ms with the busy thread.

``data`` stays the one place that says what a cell shows; ``multiData`` only
calls it from Python, and only for the roles the model says it answers
(:attr:`OneCallPerCell.answered_roles`: a paint asks for seven, a list of text
answers two of them). A model's ``data`` should not call back into Qt on every
call either (``checkIndex`` calls ``rowCount`` and ``columnCount`` back in
Python): a bounds check in Python does the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import (
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
)

#: what a list of text answers: its text, tooltip, alignment and what a screen reader says
TEXT_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.AccessibleTextRole,
    )
)


class _Model(Protocol):
    answered_roles: frozenset[int] | None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = ...) -> Any: ...


class OneCallPerCell:
    """Mixin for an item model (put it before the Qt base class): the roles a view
    asks of a cell at once are answered by ``data`` in a single call into Python."""

    #: the roles ``data`` answers (a model that answers more must say so; a test
    #: checks it); the others are left empty without asking. ``None``: ask for all.
    answered_roles: frozenset[int] | None = None

    def multiData(  # noqa: N802
        self: _Model,
        index: QModelIndex | QPersistentModelIndex,
        roleDataSpan: QModelRoleDataSpan | QModelRoleData,  # noqa: N803
        /,
    ) -> None:
        # the binding iterates a span (__len__, __getitem__); its stubs do not say so
        asked: Iterable[QModelRoleData] = (
            (roleDataSpan,) if isinstance(roleDataSpan, QModelRoleData) else roleDataSpan  # type: ignore[assignment]
        )
        answered = self.answered_roles
        for role_data in asked:
            role = role_data.role()
            if answered is None or role in answered:
                role_data.setData(self.data(index, role))
            else:
                role_data.clearData()


__all__ = ["TEXT_ROLES", "OneCallPerCell"]
