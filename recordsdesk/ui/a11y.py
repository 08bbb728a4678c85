"""Names for the buttons Qt adds to widgets by itself, which a screen reader would
otherwise announce as just "button".

A toolbar that does not fit shows an overflow button (``qt_toolbar_ext_button``),
and a line edit with ``setClearButtonEnabled`` has a clear button; neither has a
name or a tooltip of its own. :func:`name_builtin_buttons` gives them one in the
current language; call it again after a language switch (from ``retranslate``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QToolBar, QToolButton, QWidget

from recordsdesk.i18n import _

OVERFLOW_BUTTON = "qt_toolbar_ext_button"  # Qt's object name for it
CLEAR_ACTION = "_q_qlineeditclearaction"  # Qt's object name for a clear button's action


def name_builtin_buttons(root: QWidget) -> None:
    """Name and describe the toolbar overflow and line-edit clear buttons under
    ``root``, in the current language."""
    for toolbar in root.findChildren(QToolBar):
        for button in toolbar.findChildren(QToolButton, OVERFLOW_BUTTON):
            title = toolbar.windowTitle() or toolbar.accessibleName()
            button.setAccessibleName(_("More buttons: {toolbar}").format(toolbar=title) if title
                                     else _("More buttons"))  # fmt: skip
            button.setToolTip(_("Show the buttons that do not fit in the toolbar"))
    for edit in root.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            action = button.defaultAction()
            if action is None or action.objectName() != CLEAR_ACTION:
                continue  # an action the view added to the line edit itself
            label = edit.accessibleName()
            button.setAccessibleName(_("Clear: {field}").format(field=label) if label
                                     else _("Clear"))  # fmt: skip
            button.setToolTip(_("Clear the text"))
