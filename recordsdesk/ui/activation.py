"""Item views that do not repaint themselves whole when their window is (de)activated,
where that repaint cannot show anything new.

Qt's item views repaint their whole viewport when the window they are in gains or loses
activation: the style may draw a selection in an inactive window in other colours. Each
time the user opens the search view (or any other window) and comes back, the main
window's lists were drawn again in full — every visible cell asked of its model, some
30-50 ms of the GUI thread at once (benchmark ``heartbeat``: the largest stall came
from exactly this, right as the search view opened).

Where the palette in use draws both states alike (``QPalette.isEqual(Active,
Inactive)``, as Fusion's, our default, does), the repaint shows the same pixels again,
so :func:`quiet_activation` drops those two events at the views (a view hands them on
to its viewport, header and scroll bars; all are drawn alike in both states then). The
filter sits on the view, not the viewport: a viewport's paint would otherwise call into
Python once more (the search results' paint calls none but its snippets, see
``recordsdesk.ui.models.search``). Where the states differ (a platform style that greys
an inactive selection, a high-contrast theme that does), nothing is dropped and Qt
repaints as ever. A view that has the focus still redraws its current cell when the
focus goes and comes back: that comes with the focus events, which pass.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QWidget

_ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)


class SameWhenInactive(QObject):
    """Event filter for item views; see the module docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVATION and isinstance(watched, QWidget):
            palette = watched.palette()
            return palette.isEqual(QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
        return False


def quiet_activation(root: QWidget) -> SameWhenInactive:
    """Install one :class:`SameWhenInactive` (a child of ``root``) on every item view in
    ``root`` now; returns it (for views made later: ``view.installEventFilter(it)``)."""
    guard = SameWhenInactive(root)
    guard.setObjectName("sameWhenInactive")
    for view in root.findChildren(QAbstractItemView):
        view.installEventFilter(guard)
    return guard


__all__ = ["SameWhenInactive", "quiet_activation"]
