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
calls it from Python. A model's ``data`` should not call back into Qt on every
call either (``checkIndex`` calls ``rowCount`` and ``columnCount`` back in Python):
a bounds check in Python does the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, QPersistentModelIndex


class _Model(Protocol):
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = ...) -> Any: ...


class OneCallPerCell:
    """Mixin for an item model (put it before the Qt base class): the roles a view
    asks of a cell at once are answered by ``data`` in a single call into Python."""

    def multiData(  # noqa: N802
        self: _Model,
        index: QModelIndex | QPersistentModelIndex,
        roleDataSpan: QModelRoleDataSpan | QModelRoleData,  # noqa: N803
        /,
    ) -> None:
        if isinstance(roleDataSpan, QModelRoleData):
            roleDataSpan.setData(self.data(index, roleDataSpan.role()))
            return
        # the binding iterates a span (__len__, __getitem__); its stubs do not say so
        roles: Iterable[QModelRoleData] = roleDataSpan  # type: ignore[assignment]
        for role_data in roles:
            role_data.setData(self.data(index, role_data.role()))


__all__ = ["OneCallPerCell"]
