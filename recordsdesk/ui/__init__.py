"""The PySide6 desktop front end: the only package that imports Qt.

Entry point: :func:`recordsdesk.ui.app.main`. Background work goes through
:mod:`recordsdesk.ui.ops`; errors through :func:`recordsdesk.ui.errors.show_error`.
"""

from recordsdesk.ui._compat import make_none_immortal

make_none_immortal()  # before any model hands None to Qt; see _compat
